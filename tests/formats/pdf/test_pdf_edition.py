"""Both PDF editions of the seed and the fixture, built through the pipeline: PDF/UA machine
checks, the seed's tag tree as a golden file, reading order, paper size and containment."""

from __future__ import annotations

import http.server
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pikepdf
import pytest
from pdfminer.high_level import extract_text

from publish.check.pdfua import check_pdf, tag_tree
from publish.cli import main
from publish.model import Document, FootnoteRef, Inline, Paragraph, plain_text, walk_blocks
from tests.builds import ArticleBuilds

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden" / "gut-barrier.pdf-tags.txt"
EDITIONS = [("pdf", ".pdf"), ("large-print-pdf", ".large-print.pdf")]


@pytest.mark.parametrize("article", ["seed", "everything"])
@pytest.mark.parametrize(("edition", "suffix"), EDITIONS)
def test_pdf_passes_every_pdfua_machine_check(article_builds: ArticleBuilds, article: str, edition: str,
                                              suffix: str) -> None:
    pdf = article_builds.get(article).file(edition, suffix)
    failures = [f"{f.check}: {f.message} ({f.location})" for f in check_pdf(pdf) if not f.ok]
    assert failures == []


def test_seed_tag_tree_matches_golden(article_builds: ArticleBuilds) -> None:
    tree = tag_tree(article_builds.get("seed").file("pdf", ".pdf"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(tree, encoding="utf-8")
    assert tree == GOLDEN.read_text(encoding="utf-8")


def _squash(text: str) -> str:
    """Text without any white space: line and page breaks (even inside URLs) do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _words(inlines: tuple[Inline, ...]) -> str:
    # Note numbers are superscripts that text extraction places by position, not reading order.
    return plain_text(tuple(node for node in inlines if not isinstance(node, FootnoteRef)))


def _blocks_in_order(document: Document) -> list[str]:
    """The text of every paragraph, disclaimer paragraph and reference, in source order."""
    # Paragraphs at any depth: list items, quotes and notes hold theirs as Paragraph blocks.
    texts = [_words(b.children) for b in walk_blocks(document.body) if isinstance(b, Paragraph)]
    texts += [_words(b.children) for b in document.disclaimer if isinstance(b, Paragraph)]
    texts += [_words(r.children) for r in document.references]
    return texts


@pytest.mark.parametrize("article", ["seed", "everything"])
@pytest.mark.parametrize(("edition", "suffix"), EDITIONS)
def test_text_in_reading_order_holds_every_block_reference_and_disclaimer(
    article_builds: ArticleBuilds, article: str, edition: str, suffix: str
) -> None:
    build = article_builds.get(article)
    # Page furniture (running head, page numbers) sits between pages; drop it before matching.
    text = _text_without_page_furniture(build.file(edition, suffix), build.document.meta.title)
    position = 0
    for block in _blocks_in_order(build.document):
        # A note's superscript number is placed by extraction where it sits on the line, which
        # may be between any two words: allow one there.
        pattern = r"(?:\d{1,3})?".join(re.escape(_squash(word)) for word in block.split())
        found = re.compile(pattern).search(text, position)
        assert found, f"not found in order after position {position}: {block[:80]!r}"
        position = found.end()


def _text_without_page_furniture(pdf: Path, title: str) -> str:
    """The text of every page, less the running head and the page number of each."""
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    pages = []
    for number in range(count):
        lines = extract_text(pdf, page_numbers=[number]).splitlines()
        kept = [line for line in lines if line.strip() not in (title, f"Page {number + 1} of {count}")]
        pages.append("\n".join(kept))
    return _squash("\n".join(pages))


def test_seed_links_citations_and_dois(article_builds: ArticleBuilds) -> None:
    with pikepdf.open(article_builds.get("seed").file("pdf", ".pdf")) as pdf:
        links = [annot for page in pdf.pages for annot in page.get("/Annots", []) if annot.get("/Subtype") == "/Link"]
        contents = [str(a.get("/Contents")) for a in links]
        uris = [str(a.A.URI) for a in links if "/A" in a and "/URI" in a.A]
    assert contents.count("Go to reference 9") == 2
    for doi in ("10.1038/nri2653", "10.14814/phy2.14219", "10.1097/MOG.0000000000000157"):
        assert f"https://doi.org/{doi}" in uris


def _article(folder: Path, image: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.md").write_text(
        f"---\ntitle: Hostile\nlang: en\n---\n\nText.\n\n![a picture]({image})\n", encoding="utf-8")
    return folder


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[http.server.HTTPServer]:
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()


def test_network_image_is_a_placeholder_without_a_request(tmp_path: Path, server: http.server.HTTPServer,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{server.server_address[1]}/x.png"
    folder = _article(tmp_path / "net", url)
    code = main(["build", str(folder), "--out", str(tmp_path / "dist"), "-f", "pdf"])
    assert code == 0
    message = r"article\.md:8:\d+: warning: the image 'http://127\.0\.0\.1:\d+/x\.png' is not in the article's folder"
    assert re.search(message, capsys.readouterr().err)
    assert _Recorder.requests == []
    built = tmp_path / "dist" / "net" / "net.pdf"
    with pikepdf.open(built) as pdf:
        assert not [x for page in pdf.pages for x in page.get_images()]
    assert "Image not included: it is on the network" in " ".join(extract_text(built).split())


@pytest.mark.parametrize("image", ["/etc/passwd", "file:///etc/passwd", "../../../../../../etc/passwd"])
def test_files_outside_the_folder_never_reach_the_pdf(tmp_path: Path, image: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = _article(tmp_path / "outside", image)
    code = main(["build", str(folder), "--out", str(tmp_path / "dist"), "-f", "pdf", "-q"])
    assert code == 2
    assert "article.md:8:1: the image" in capsys.readouterr().err
    assert not (tmp_path / "dist" / "outside" / "outside.pdf").exists()


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _article(tmp_path / "link", "images/secret.png")
    (folder / "images").mkdir()
    (folder / "images" / "secret.png").symlink_to("/etc/passwd")
    assert main(["build", str(folder), "--out", str(tmp_path / "dist"), "-f", "pdf", "-q"]) == 2
    assert "lies outside the article's folder" in capsys.readouterr().err


@pytest.mark.parametrize(("option", "size"), [([], (595, 842)), (["--papersize", "letter"], (612, 792))])
def test_paper_size_by_option(tmp_path: Path, option: list[str], size: tuple[int, int]) -> None:
    folder = _article(tmp_path / "paper", "")
    (folder / "article.md").write_text("---\ntitle: Paper\nlang: en\n---\n\nText.\n", encoding="utf-8")
    assert main(["build", str(folder), "--out", str(tmp_path / "dist"), "-f", "pdf", "-q", *option]) == 0
    with pikepdf.open(tmp_path / "dist" / "paper" / "paper.pdf") as pdf:
        box = [round(float(v)) for v in pdf.pages[0].MediaBox]
    assert tuple(box[2:]) == size



def test_a_figures_bbox_is_where_its_image_is_drawn(article_builds: ArticleBuilds) -> None:
    """PDF/UA's layout BBox is in user space (points from the bottom left), not WeasyPrint's CSS
    pixels from the top: it must frame the image that pdfminer finds on the page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTFigure, LTImage

    path = article_builds.get("everything").file("pdf", ".pdf")
    boxes: list[list[float]] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            elem = stack.pop(0)
            if elem.get("/S") == pikepdf.Name.Figure:
                boxes.append([float(v) for v in elem.A.BBox])
            kids = elem.get("/K")
            stack += [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                      if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    drawn = [[item.x0, item.y0, item.x1, item.y1] for page in extract_pages(path) for item in page
             if isinstance(item, LTFigure | LTImage)]
    assert boxes and len(boxes) == len(drawn)
    for box in boxes:
        assert any(box == pytest.approx(image, abs=1.0) for image in drawn), (box, drawn)
