"""The speech translator: the seed's script as a golden file (``publish script``'s format;
``UPDATE_GOLDEN=1`` rewrites it), and each normalisation rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formats.html.renderer import LargePrintRenderer
from publish.reader import read_article
from publish.renderer import RenderContext, Settings
from publish.speech import normalise, segments, spell_doi
from publish.speech.script import plain
from tests.publish.conftest import WriteArticle

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "source" / "gut-barrier" / "article.md"
REFS_DIV = ROOT / "tests" / "fixtures" / "refs-div" / "paper.md"
GOLDEN = ROOT / "tests" / "golden" / "gut-barrier.speech.txt"


def test_seed_speech_script_matches_golden() -> None:
    text = plain(segments(read_article(SEED)))
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
    loud = {s.id: s.text for s in segments(document, Settings(read_citations=True))}
    assert "(9)" not in quiet["p-1"] and "reference" not in quiet["p-1"]
    assert loud["p-1"].endswith("(reference 9)")
    # The list says the numbers only when the text does.
    assert quiet["ref-turner2009"].startswith("Turner, 2009.")
    assert loud["ref-turner2009"].startswith("Reference 9. Turner, 2009.")


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
        ("at https://example.org/a/b today", "at link to example dot org today"),
    ],
)
def test_normalisation_rules(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


def test_doi_spelled_out_character_by_character_when_asked() -> None:
    assert normalise(spell_doi("10.1038/nri2653")) == "D O I 10 dot 1038 slash n r i 2 6 5 3"
    assert normalise(spell_doi("10.2337/db06-1491")) == "D O I 10 dot 2337 slash d b 0 6 dash 1 4 9 1"
    # In running text a DOI is a link like any other: where it leads, not a minute of letters.
    assert normalise("see https://doi.org/10.2337/db06-1491.") == "see link to doi dot org."


def test_abbreviations_spoken_as_the_source_says() -> None:
    texts = {s.id: s.text for s in segments(read_article(SEED))}
    assert texts["li-10"].startswith("L P S remains")
    assert "en-saids" in texts["li-17"]


def test_references_are_spoken_concisely_and_written_in_full() -> None:
    spoken = {s.id: s for s in segments(read_article(SEED))}
    turner = spoken["ref-turner2009"]
    assert turner.text == ("Turner, 2009. Intestinal mucosal barrier function in health and disease. "
                           "Nature Reviews Immunology.")
    assert spoken["ref-ajamian2019"].text.startswith("Ajamian and colleagues, twenty nineteen. Serum zonulin")
    # The transcript keeps the written reference, DOI included.
    assert turner.caption.endswith("Nature Reviews Immunology, 9, 799–809. https://doi.org/10.1038/nri2653")


def test_dois_read_on_request_from_the_build_or_the_source(tmp_path: Path) -> None:
    asked = {s.id: s.text for s in segments(read_article(SEED), Settings(read_dois=True))}
    assert asked["ref-turner2009"].endswith("Nature Reviews Immunology. D O I 10 dot 1038 slash n r i 2 6 5 3.")
    source = SEED.read_text(encoding="utf-8").replace("\nlang: en-GB\n", "\nlang: en-GB\nread-dois: true\n", 1)
    (tmp_path / "article.md").write_text(source, encoding="utf-8")
    from_source = {s.id: s.text for s in segments(read_article(tmp_path / "article.md"))}
    assert from_source["ref-turner2009"] == asked["ref-turner2009"]


def test_a_table_is_heard_and_read_with_its_caption() -> None:
    document = read_article(ROOT / "tests" / "fixtures" / "pandoc-markdown" / "article.md")
    (grid,) = [s for s in segments(document) if s.caption.startswith("Table 2: A grid table.")]
    assert grid.text == "Table 2, A grid table: 2 columns, 2 rows. Bananas: Price $1.34. Oranges: Price $2.10."


def test_the_transcript_leaves_out_note_numbers(write_article: WriteArticle) -> None:
    """The audio does not say them, and in the transcript they stick to a word: "ABM4ALL1"."""
    path = write_article(body="\n## We thank ABM4ALL[^2]\n\nWe thank ABM4ALL.[^1]\n\n[^1]: A group.\n[^2]: Them.\n")
    captions = {s.id: s.caption for s in segments(read_article(path))}
    assert captions["p-1"] == "We thank ABM4ALL."
    assert captions["we-thank-abm4all"] == "We thank ABM4ALL"  # the heading's id is Pandoc's too


def test_the_appendix_is_read_after_the_references() -> None:
    chapters = [s.chapter for s in segments(read_article(REFS_DIV)) if s.chapter]
    assert chapters[-2:] == ["References", "Appendix: the drift correction"]
