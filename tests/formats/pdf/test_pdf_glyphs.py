"""A character the packaged fonts cannot draw fails the PDF edition with the place of its first
occurrence in the article source and the character's name, so the writer can find it."""

from __future__ import annotations

from pathlib import Path

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
        # In neither Literata nor Atkinson Hyperlegible: both PDFs fail, at the first one.
        ("pdf", "\nPlain text first.\n\nA snowman \u2603 here, then a check \u2713.\n", (8, 11),
         "U+2603 SNOWMAN '\u2603' is in none of this edition's packaged fonts, so the PDF would draw it in "),
        ("large-print-pdf", "\nFirst a check &#x2713;.\n\nA snowman \u2603.\n", (6, 15),
         "U+2713 CHECK MARK '\u2713' is in none of this edition's packaged fonts"),
        # Literata has it, Atkinson Hyperlegible (the large print) does not.
        ("large-print-pdf", "\nA change \u2206 of 3 units.\n", (6, 10), "U+2206 INCREMENT '\u2206' is in none"),
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
    source.write_text(FRONT + "\nA snowman \u2603 and a check \u2713.\n", encoding="utf-8")
    assert main(["build", str(source.parent), "--out", str(tmp_path / "dist"), "-q", "--jobs", "1", "-f", "pdf"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("(also missing: U+2713 CHECK MARK '\u2713')")
