"""A character the packaged fonts cannot draw fails the PDF edition with the place of its first
occurrence in the article source and the character's name, so the writer can find it; one a
packaged fallback has is drawn with it."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from formats.pdf.glyphs import describe, first_in_source
from publish.cli import main

FRONT = "---\ntitle: Glyphs\nlang: en\n---\n"


def test_describe_names_the_code_point_and_the_character() -> None:
    assert describe("\u2206") == "U+2206 INCREMENT '\u2206'"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a\nb \u2713 \u2603\n", ("\u2713", 2, 3)),
        ("a &#x2603; then \u2713", ("\u2603", 1, 3)),  # a character reference is the character
        ("a &#9731; &amp; &snowman;", ("\u2603", 1, 3)),
        ("no such characters &amp; here", None),
    ],
)
def test_first_in_source(text: str, found: tuple[str, int, int] | None) -> None:
    assert first_in_source(text, "\u2603\u2713") == found


@pytest.mark.parametrize(
    ("edition", "body", "where", "message"),
    [
        # CJK and emoji are in none of the packaged fonts (Literata, Atkinson Hyperlegible and
        # their fallbacks): both PDFs fail, at the first one.
        ("pdf", "\nPlain text first.\n\nA character \u6f22 here, then an emoji \U0001f600.\n", (8, 13),
         "U+6F22 CJK UNIFIED IDEOGRAPH-6F22 '\u6f22' is in none of this edition's packaged fonts, "),
        ("large-print-pdf", "\nFirst a reference &#x1F600;.\n\nA character \u6f22.\n", (6, 19),
         "U+1F600 GRINNING FACE '\U0001f600' is in none of this edition's packaged fonts"),
        # A private-use character no font has: WeasyPrint would draw the empty box of .notdef.
        ("pdf", "\nA private character \U0010fffd here.\n", (6, 21),
         "U+10FFFD UNNAMED CHARACTER '\\U0010fffd' is in none of this edition's packaged fonts, nor in any "
         "installed font, so the PDF would show an empty box; use another character"),
    ],
)
def test_an_unpackaged_glyph_is_located_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str], edition: str,
                                                  body: str, where: tuple[int, int], message: str) -> None:
    source = tmp_path / "art" / "article.md"
    source.parent.mkdir()
    source.write_text(FRONT + body, encoding="utf-8")
    code = main(["build", str(source.parent), "--out", str(tmp_path / "dist"), "-q", "--jobs", "1", "-f", edition])
    lines = capsys.readouterr().err.splitlines()
    assert code == 2, lines
    prefix = f"✗ art  {edition}: {source}:{where[0]}:{where[1]}: "
    assert len(lines) == 1 and lines[0].startswith(prefix + message), lines
    assert not (tmp_path / "dist" / "art").exists()


def test_the_other_missing_characters_are_named_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "art" / "article.md"
    source.parent.mkdir()
    source.write_text(FRONT + "\nA character \u6f22 and an emoji \U0001f600.\n", encoding="utf-8")
    assert main(["build", str(source.parent), "--out", str(tmp_path / "dist"), "-q", "--jobs", "1", "-f", "pdf"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("(also missing: U+1F600 GRINNING FACE '\U0001f600')")


@pytest.mark.parametrize("edition", ["pdf", "large-print-pdf"])
def test_a_character_the_text_face_lacks_comes_from_a_packaged_fallback(tmp_path: Path, edition: str) -> None:
    """Atkinson Hyperlegible has no U+2206 INCREMENT and Literata no check mark: both PDFs build,
    drawing them in a packaged fallback (tests/formats/test_every_character.py checks them all)."""
    source = tmp_path / "art" / "article.md"
    source.parent.mkdir()
    source.write_text(FRONT + "\nA change \u2206 of 3 units \u2713.\n", encoding="utf-8")
    dist = tmp_path / "dist"
    assert main(["build", str(source.parent), "--out", str(dist), "-q", "--jobs", "1", "-f", edition]) == 0
    pdf_file = next((dist / "art").glob("*.pdf"))
    with pikepdf.open(pdf_file) as pdf:
        fonts = {str(font.BaseFont).split("+", 1)[1] for page in pdf.pages for font in page.Resources.Font.values()}
    assert any(name.startswith("Packaged-") for name in fonts), fonts
