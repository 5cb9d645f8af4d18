"""Page 1 and 2 rendered to pixels: running head and page number where a reader looks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from formats.pdf.weasy import PdfMetadata, stylesheets, write_pdf

from .conftest import Article

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Dark pixels in ``box`` (left, top, right, bottom)."""
    histogram = image.crop(box).convert("L").histogram()
    return sum(histogram[:160])


@pytest.mark.parametrize("edition", ["standard", "large-print"])
def test_pages_render_with_head_and_folio(article: Article, tmp_path: Path, edition: str) -> None:
    out = tmp_path / "a.pdf"
    write_pdf(article.html, base_dir=article.folder, allowed_roots=[article.folder],
              stylesheets=stylesheets(edition), out=out,  # type: ignore[arg-type]
              metadata=PdfMetadata.from_html(article.html))
    subprocess.run(["pdftoppm", "-r", "100", "-f", "1", "-l", "2", "-png", str(out),
                    str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    first, second = (Image.open(path) for path in pages)
    width, height = first.size
    top = (0, 0, width, int(height * 0.075))  # above the text block
    bottom = (0, int(height * 0.915), width, height)  # below it
    assert _ink(first, top) == 0, "no running head on the title page"
    assert _ink(second, top) > 20, "running head missing on page 2"
    assert _ink(first, bottom) > 10 and _ink(second, bottom) > 10, "page number missing"
    assert _ink(first, (0, 0, width, height)) > 2000, "page 1 is (nearly) blank"
