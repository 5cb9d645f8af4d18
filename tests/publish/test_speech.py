"""The speech translator: the seed's script as a golden file, and each normalisation rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formats.html.renderer import LargePrintRenderer
from publish.reader import read_article
from publish.renderer import RenderContext
from publish.speech import normalise, segments, spell_doi

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "source" / "gut-barrier" / "article.md"
GOLDEN = ROOT / "tests" / "golden" / "gut-barrier.speech.txt"


def script(document_segments: list) -> str:
    lines = []
    for s in document_segments:
        chapter = f" [chapter: {s.chapter}]" if s.chapter else ""
        lines.append(f"{s.id} +{s.pause_before:.2f}s{chapter}\n  {s.text}\n")
    return "\n".join(lines)


def test_seed_speech_script_matches_golden() -> None:
    text = script(segments(read_article(SEED)))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_segment_ids_are_the_html_block_ids(tmp_path: Path) -> None:
    document = read_article(SEED)
    context = RenderContext(out_dir=tmp_path, article_dir=SEED.parent)
    markup = LargePrintRenderer().render(document, context).files[0].read_text(encoding="utf-8")
    for segment in segments(document):
        assert f'id="{segment.id}"' in markup, segment.id


def test_script_order_title_disclaimer_article_references() -> None:
    ids = [s.id for s in segments(read_article(SEED))]
    assert ids[0] == "title"
    assert ids[1:3] == ["disclaimer-heading", "disclaimer-p-1"]
    assert ids.index("p-1") < ids.index("references-heading") < ids.index("ref-turner2009")
    assert ids[-1] == "ref-turner2009"
    assert sum(i.startswith("ref-") for i in ids) == 9


def test_chapters_for_sections_disclaimer_and_references() -> None:
    chapters = [s.chapter for s in segments(read_article(SEED)) if s.chapter]
    assert chapters[:3] == ["What’s Going On With Your Gut Barrier", "Disclaimer", "Introduction"]
    assert chapters[-1] == "References"
    assert len(chapters) == 3 + 5 + 1


def test_citations_are_silent_by_default_and_read_on_request() -> None:
    document = read_article(SEED)
    quiet = {s.id: s.text for s in segments(document)}
    loud = {s.id: s.text for s in segments(document, read_citations=True)}
    assert "(9)" not in quiet["p-1"] and "reference" not in quiet["p-1"]
    assert loud["p-1"].endswith("(reference 9)")


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Acute infections (e.g., gastroenteritis)", "Acute infections (for example, gastroenteritis)"),
        ("one thing, i.e. another", "one thing, that is, another"),
        ("Smith et al. found", "Smith and colleagues found"),
        ("pages 799–809.", "pages 799 to 809."),
        ("from 1990-2000 on", "from 1990 to 2000 on"),
        ("version 10.5 stays", "version 10.5 stays"),
        ("a wall – it's", "a wall, it's"),
        ("see p. 12", "see page 12"),
        ("at https://example.org/a/b today", "at link to example.org today"),
    ],
)
def test_normalisation_rules(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


def test_doi_spelled_out_character_by_character() -> None:
    assert spell_doi("10.1038/nri2653") == "D O I 10 dot 1038 slash n r i 2 6 5 3"
    assert normalise("https://doi.org/10.2337/db06-1491") == "D O I 10 dot 2337 slash d b 0 6 dash 1 4 9 1"


def test_abbreviations_spoken_as_the_source_says() -> None:
    texts = {s.id: s.text for s in segments(read_article(SEED))}
    assert texts["li-10"].startswith("L P S remains")
    assert "en-saids" in texts["li-17"]


def test_reference_read_with_volume_issue_pages() -> None:
    texts = {s.id: s.text for s in segments(read_article(SEED))}
    assert "volume 9, pages 799 to 809" in texts["ref-turner2009"]
    assert "volume 56, issue 7, pages 1761 to 1772" in texts["ref-cani2007"]
    assert texts["ref-ajamian2019"].startswith("Reference 1. M. Ajamian and colleagues. 2019.")


def test_a_table_is_heard_and_read_with_its_caption() -> None:
    document = read_article(ROOT / "tests" / "fixtures" / "pandoc-markdown" / "article.md")
    (grid,) = [s for s in segments(document) if s.caption.startswith("Table 2: A grid table.")]
    assert grid.text.startswith("Table 2: A grid table. A table of 2 rows with the columns Fruit, Price.")
