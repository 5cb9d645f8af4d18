"""Figures given as PDF files (as papers often give them): every edition shows the first page,
drawn by PDFium as a 300 dpi PNG, and a PDF that cannot be drawn is a located error."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import weasyprint
from PIL import Image

from publish import pdfimage
from publish.check.epubcheck import run_epubcheck
from publish.cli import main
from tests.hostile.support import article, build, verify_manifest

Capsys = pytest.CaptureFixture[str]

EDITIONS = ("pdf", "large-print-pdf", "epub", "large-print")
ALT = "A blue box with the word FIG in white"
BLUE = (0x15, 0x65, 0xC0)
# A figure of two pages, 4 by 3 inches: a blue first page, and a red second one that no edition
# shows (as with LaTeX's \includegraphics, a figure is the first page).
FIGURE_HTML = """<style>
@page { size: 4in 3in; margin: 0 }
body { margin: 0; font: bold 72pt sans-serif; color: white }
div { height: 3in; line-height: 3in; text-align: center }
</style>
<div style="background: #1565c0">FIG</div><div style="background: #c62828">TWO</div>"""
BODY = f"""
# A figure

Some text before the figure.

![{ALT}](figure.pdf)

Some text after it.
"""


def figure_pdf() -> bytes:
    data = weasyprint.HTML(string=FIGURE_HTML).write_pdf()
    assert isinstance(data, bytes)
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The article built into its four visual editions: (its published folder, the cache)."""
    root = tmp_path_factory.mktemp("pdf-figure")
    path = article(root / "art", body=BODY)
    (path.parent / "figure.pdf").write_bytes(figure_pdf())
    code = main(["build", str(path.parent), "--out", str(root / "dist"), "-q", "--jobs", "1",
                 "--cache", str(root / "cache"), *(arg for name in EDITIONS for arg in ("-f", name))])
    assert code == 0
    yield root / "dist" / "art", root / "cache"


def assert_first_page(png: bytes, size: tuple[int, int] = (1200, 900)) -> None:
    """The PNG is the figure's first page at 300 dpi: 4 x 3 inches, blue, not the red page 2."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == size
        rgb = image.convert("RGB")
        assert rgb.getpixel((10, 10)) == BLUE
        white = int((np.asarray(rgb).min(axis=2) > 240).sum())
        assert white > 0.05 * size[0] * size[1]  # the letters FIG, drawn in white


def struct_elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                stack.append(kid)


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_pdf_editions_show_the_first_page_as_a_tagged_figure(built: tuple[Path, Path], suffix: str) -> None:
    folder, _ = built
    with pikepdf.open(folder / f"art{suffix}") as pdf:
        figures = [e for e in struct_elements(pdf) if pikepdf.Name.Figure == e.S]
        assert [str(f.Alt) for f in figures] == [ALT]
        images = [pikepdf.PdfImage(xobject) for page in pdf.pages for xobject in page.get_images().values()]
        assert len(images) == 1
        assert (images[0].width, images[0].height) == (1200, 900)
        out = io.BytesIO()
        images[0].as_pil_image().save(out, "PNG")
        assert_first_page(out.getvalue())


def test_epub_holds_a_png_that_epubcheck_accepts(built: tuple[Path, Path], java: str) -> None:
    folder, _ = built
    epub = folder / "art.epub"
    with zipfile.ZipFile(epub) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        assert re.search(r'<item [^>]*href="images/1\.png"[^>]*media-type="image/png"', opf) or \
            re.search(r'<item [^>]*media-type="image/png"[^>]*href="images/1\.png"', opf), opf
        assert not any(name.endswith(".pdf") for name in book.namelist())
        assert_first_page(book.read("EPUB/images/1.png"))
        pages = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))
        assert f'src="images/1.png" alt="{ALT}"' in pages
    problems = [f for f in run_epubcheck(epub) if not f.ok and f.severity not in ("usage", "info")]
    assert not problems, "\n".join(map(str, problems))


def test_large_print_embeds_the_png(built: tuple[Path, Path]) -> None:
    folder, _ = built
    page = (folder / "art.large-print.html").read_text(encoding="utf-8")
    found = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"', page)
    assert [alt for _, alt in found] == [ALT]
    assert_first_page(base64.b64decode(found[0][0]))
    assert "application/pdf" not in page


def test_only_the_editions_are_published_and_the_page_is_drawn_once(built: tuple[Path, Path]) -> None:
    folder, cache = built
    assert set(verify_manifest(folder)) == {"art.pdf", "art.large-print.pdf", "art.epub", "art.large-print.html"}
    drawn = list((cache / "pdf-figures").rglob("*.png"))
    assert len(drawn) == 1  # four editions, one drawing, kept for the next build
    assert_first_page(drawn[0].read_bytes())


def test_the_pixel_limit_lowers_the_resolution(tmp_path: Path) -> None:
    path = tmp_path / "figure.pdf"
    path.write_bytes(figure_pdf())
    with Image.open(io.BytesIO(pdfimage.first_page_png(path, max_pixels=30_000))) as image:
        width, height = image.size
        assert width * height <= 30_000 and width * height > 0.9 * 30_000
        assert abs(width / height - 4 / 3) < 0.02
        assert 45 < image.info["dpi"][0] <= 50.5  # about 200 x 150 pixels for 4 x 3 inches: 50 dpi
    # The largest page a PDF may have, 200 inches a side, stays within the default limit too.
    scale = pdfimage._scale(14_400, 14_400, 40_000_000)
    assert (14_400 * scale) ** 2 <= 40_000_000


def blank_pdf(size: tuple[float, float] = (300, 200), password: str | None = None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.MediaBox = pikepdf.Array([0, 0, *size])  # pikepdf itself refuses a page past 14,400
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner=password, user=password) if password else False)
    return out.getvalue()


@pytest.mark.parametrize("make, message", [
    (lambda: bytes(range(256)) * 8, r"cannot be read as a PDF file \(it is damaged, or not a PDF\)$"),
    (lambda: b"", r"cannot be read as a PDF file"),
    (lambda: figure_pdf()[:600], r"cannot be read as a PDF file"),
    (lambda: blank_pdf(password="secret"),
     r"is a PDF locked with a password or security handler; save it without one$"),
    (lambda: blank_pdf((20_000, 100)),
     r"is a PDF whose page is 20,000 x 100 points; a page must be between 1 and 14,400 points a side$"),
    (lambda: blank_pdf((0.5, 100)), r"is a PDF whose page is 0 x 100 points"),
], ids=["random-bytes", "empty", "truncated", "password", "page-too-large", "page-too-small"])
def test_a_pdf_that_cannot_be_drawn_is_a_located_error(tmp_path: Path, capsys: Capsys, make: Callable[[], bytes],
                                                        message: str) -> None:
    path = article(tmp_path / "art", body=BODY)
    (path.parent / "figure.pdf").write_bytes(make())
    error = build(capsys, path.parent, tmp_path / "dist").one_error(path, message, line=10)
    assert error.group("col") == "1"
    assert error.group("message").startswith("the image 'figure.pdf' ")
