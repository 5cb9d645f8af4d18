"""Round trips: an imported document builds into all six files with no hand edit, `publish
check` passes, every paragraph of the original is in the PDF's text in order, and every heading
is a bookmark. Few, as each builds every edition (audio included)."""

from __future__ import annotations

from pathlib import Path

from publish.importing import Imported
from tests.builds import build_and_check
from tests.importing.conftest import PAGES
from tests.importing.roundtrip import (
    bookmarks,
    docx_paragraphs,
    html_paragraphs,
    missing_in_order,
    odt_paragraphs,
    pdf_words,
)


def test_word_round_trip(word_file: Path, word_import: Imported, tmp_path: Path) -> None:
    folder = build_and_check(word_import.article, tmp_path / "dist")
    pdf = folder / f"{folder.name}.pdf"
    paragraphs, headings = docx_paragraphs(word_file)
    assert len(paragraphs) == 32
    text = pdf_words(pdf)
    assert missing_in_order(paragraphs, text) == []
    assert missing_in_order(paragraphs[::-1], text)  # the order is checked, not only the words
    marks = bookmarks(pdf)
    assert [h for h in headings if h not in marks] == []


def test_opendocument_round_trip(odt_file: Path, odt_import: Imported, tmp_path: Path) -> None:
    folder = build_and_check(odt_import.article, tmp_path / "dist")
    pdf = folder / f"{folder.name}.pdf"
    paragraphs, headings = odt_paragraphs(odt_file)
    assert len(paragraphs) == 22
    assert missing_in_order(paragraphs, pdf_words(pdf)) == []
    assert [h for h in headings if h not in bookmarks(pdf)] == []


def test_web_page_round_trip(page_import: Imported, tmp_path: Path) -> None:
    folder = build_and_check(page_import.article, tmp_path / "dist")
    pdf = folder / f"{folder.name}.pdf"
    paragraphs, headings = html_paragraphs(PAGES / "gut-barrier.html", "//div[contains(@class, 'article__content')]")
    text = pdf_words(pdf)
    disclaimer = next(p for p in paragraphs if p.startswith("Disclaimer:"))
    left_out = {"EXPLORE THE GUT HEALTH COLLECTION", disclaimer}
    assert missing_in_order([p for p in paragraphs if p not in left_out], text) == []
    assert missing_in_order([disclaimer.removeprefix("Disclaimer: ")], text) == []  # in its own section
    # Headings in capitals are in sentence case now; bookmarks are compared without case.
    marks = [m.casefold() for m in bookmarks(pdf)]
    assert [h for h in headings if h.casefold() not in marks] == []
