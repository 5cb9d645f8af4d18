"""Where the bibliography goes, as Pandoc puts it: a `::: {#refs}` div, else the paper's own
empty References section, else the end. What follows it is the appendix, after the references
in every edition; there is never a second References section."""

from __future__ import annotations

from pathlib import Path

import pytest

from formats.epub.renderer import part_of
from publish.model import Document, Heading, element_ids, headings_in, plain_text
from publish.reader import read_article
from tests.builds import build_and_check
from tests.importing.roundtrip import bookmarks, pdf_words
from tests.publish.conftest import WriteArticle

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "refs-div" / "paper.md"
CITED = """references:
  - id: a
    type: book
    title: Alpha
    author: [{family: Smith, given: John}]
    issued: {date-parts: [[2020]]}"""


def titles(blocks: tuple[object, ...]) -> list[str]:
    return [plain_text(h.children) for h in headings_in(blocks)]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def paper() -> Document:
    return read_article(FIXTURE)


def test_the_refs_div_splits_the_paper_and_its_empty_heading_goes(paper: Document) -> None:
    assert titles(paper.body) == ["Summary"]
    assert titles(paper.appendix) == ["Appendix: the drift correction"]
    assert [r.key for r in paper.references] == ["b", "a"]
    # A citation in the appendix is one of the reference's citations, linked back.
    assert paper.references[1].cited_by == ("cite-1", "cite-3")
    assert {"cite-3", "fnref-1", "eq-1", "tbl-1"} <= set(element_ids(paper.appendix))
    assert [note.ref_ids for note in paper.footnotes] == [("fnref-1",)]


def test_a_cross_reference_into_the_appendix_resolves(paper: Document) -> None:
    text = plain_text(paper.body[1].children)
    assert "(see Equation 1)" in text


def test_an_empty_references_section_before_an_appendix_takes_the_bibliography(
        write_article: WriteArticle) -> None:
    body = "\nText [@a].\n\n# References\n\n# Appendix\n\nMore.\n"
    document = read_article(write_article(f"title: T\nlang: en\n{CITED}", body))
    assert titles(document.body) == []
    assert titles(document.appendix) == ["Appendix"]


def test_text_in_the_refs_div_stays_before_the_works(write_article: WriteArticle) -> None:
    body = "\n# Intro\n\nText [@a].\n\n# Works\n\n::: {#refs}\nThe works cited:\n:::\n\n# Data\n\nMore.\n"
    document = read_article(write_article(f"title: T\nlang: en\n{CITED}", body))
    assert titles(document.body) == ["Intro", "Works"]
    assert plain_text(document.body[-1].children) == "The works cited:"  # type: ignore[attr-defined]
    assert titles(document.appendix) == ["Data"]


@pytest.mark.parametrize("body", [
    "\nText [@a].\n\n# References\n\n1. A typed list the author keeps.\n\n# Appendix\n\nMore.\n",
    "\nText with no citation.\n\n# References\n\n# Appendix\n\nMore.\n",
])
def test_a_references_section_with_text_or_no_citations_stays_in_the_body(
        write_article: WriteArticle, body: str) -> None:
    front = f"title: T\nlang: en\n{CITED}" if "[@a]" in body else "title: T\nlang: en"
    document = read_article(write_article(front, body))
    assert titles(document.body) == ["References", "Appendix"]
    assert document.appendix == ()


def test_epub_parts_know_the_appendix_by_its_ids(paper: Document) -> None:
    ids = frozenset(element_ids(paper.appendix))
    assert part_of("cite-3", ids).file_name == "appendix.xhtml"
    assert part_of("cite-1", ids).file_name == "article.xhtml"
    assert part_of("fn-1", ids).file_name == "notes.xhtml"  # the appendix's note is with the others


def test_every_edition_puts_the_appendix_after_the_references(tmp_path: Path) -> None:
    folder = build_and_check(FIXTURE, tmp_path / "dist")
    slug = folder.name
    large_print = (folder / f"{slug}.large-print.html").read_text(encoding="utf-8")
    assert large_print.count(">References</h2>") == 1
    assert large_print.index('id="abstract-heading"') < large_print.index('id="summary"')
    assert large_print.index('id="references-heading"') < large_print.index('id="appendix-the-drift-correction"')
    for pdf in (folder / f"{slug}.pdf", folder / f"{slug}.large-print.pdf"):
        text = " ".join(pdf_words(pdf).split())
        assert text.index("Harbour Press") < text.index("Appendix: the drift correction")
        assert text.index("Tide gauges drift.") < text.index("Tide gauges record")
        assert [t for t in bookmarks(pdf) if t in ("References", "Appendix: the drift correction")] == [
            "References", "Appendix: the drift correction"]
    transcript = (folder / f"{slug}.vtt").read_text(encoding="utf-8")
    assert transcript.index("Tide gauges drift.") < transcript.index("Tide gauges record")
    assert transcript.index("Harbour Press") < transcript.index("Appendix: the drift correction")
    assert not any(isinstance(b, Heading) and plain_text(b.children) == "References"
                   for b in read_article(FIXTURE).body)


def test_the_refs_div_under_its_heading_past_raw_tex_that_sets_the_page(write_article: WriteArticle) -> None:
    """OptiFit (R Markdown): ## References, \\setlength and \\noindent, then <div id="refs"></div>."""
    body = ("\nText [@a].\n\n## References\n\n\\setlength{\\parindent}{-0.25in}\n\\noindent\n\n<div id=\"refs\"></div>"
            "\n\n## Figures\n\nMore.\n")
    document = read_article(write_article(f"title: T\nlang: en\n{CITED}", body))
    assert titles(document.body) == [] and titles(document.appendix) == ["Figures"]


def test_the_abstract_is_read_with_its_citation_and_formula(paper: Document) -> None:
    """The front matter's abstract: every edition shows it under the title (the build test above
    checks them all); Pandoc's templates do, and a paper lost it in every edition before."""
    first, second = paper.abstract
    assert plain_text(first.children) == (  # type: ignore[union-attr]
        "Tide gauges drift. We correct the drift (1) with one formula, h sub c equals h minus delta t.")
    assert plain_text(second.children) == "The correction is in the appendix."  # type: ignore[union-attr]
    assert paper.references[0].cited_by[0] == "abstract-cite-1"
