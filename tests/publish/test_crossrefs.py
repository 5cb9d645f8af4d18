"""Cross-references as JOSS, pandoc-crossref and Quarto papers write them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formats.html.renderer import LargePrintRenderer
from publish.model import CrossRef, Document, Equation, Figure, Heading, Paragraph, Table, block_inlines, plain_text
from publish.reader import read_article
from publish.renderer import RenderContext
from tests.publish.conftest import WriteArticle

CROSSREFS = Path(__file__).resolve().parents[1] / "fixtures" / "crossrefs" / "article.md"


@pytest.fixture(scope="module")
def document() -> Document:
    return read_article(CROSSREFS)


def test_references_read_as_the_editions_number_them(document: Document) -> None:
    first = plain_text(next(b for b in document.body if isinstance(b, Paragraph)).children)
    assert first.startswith("JOSS papers write Figure 1, 1 and Methods; pandoc-crossref papers write Figure 2 "
                            "and 2; Quarto papers write Figure 3.")
    last = plain_text([b for b in document.body if isinstance(b, Paragraph)][-1].children)
    assert last == "See Table 3 and the introduction, Introduction."  # \newpage dropped


def test_captions_carry_their_numbers(document: Document) -> None:
    assert [plain_text(f.caption) for f in document.body if isinstance(f, Figure)] == [
        "Figure 1: Lines rising", "Figure 2: Bars", "Figure 3: Dots"]
    assert [plain_text(t.caption) for t in document.body if isinstance(t, Table)] == [
        "Table 1: Reading speed by size", "Table 2: Counts", "Table 3: A raw LaTeX table"]


def test_each_reference_links_to_its_target(document: Document) -> None:
    ids = {b.id: b for b in document.body if isinstance(b, Figure | Table | Heading)}
    refs = [n for n in block_inlines(document.body) if isinstance(n, CrossRef)]
    assert len(refs) == 8
    for ref in refs:
        target = ids[ref.target]
        if ref.text.startswith("Figure"):
            assert isinstance(target, Figure) and plain_text(target.caption).startswith(ref.text + ":")
        elif ref.text.startswith("Table"):
            assert isinstance(target, Table) and plain_text(target.caption).startswith(ref.text + ":")


def test_a_raw_latex_table_becomes_a_real_table(document: Document) -> None:
    raw = [t for t in document.body if isinstance(t, Table)][-1]
    assert [plain_text(c.children) for c in raw.header] == ["Name", "Value"]
    assert [[plain_text(c.children) for c in row] for row in raw.rows] == [["alpha", "1"]]


def test_an_undefined_label_is_a_warning_and_shows_as_written(document: Document) -> None:
    (warning,) = document.warnings
    assert "'fig:nowhere'" in warning.message and (warning.line, warning.col) == (10, 34)
    assert "[fig:nowhere]" in plain_text(next(b for b in document.body if isinstance(b, Paragraph)).children)


def test_the_links_land_on_the_page(document: Document, tmp_path: Path) -> None:
    (page,) = LargePrintRenderer().render(document, RenderContext(out_dir=tmp_path, article_dir=CROSSREFS.parent)).files
    markup = page.read_text(encoding="utf-8")
    targets = re.findall(r'<a class="crossref" href="#([^"]+)">', markup)
    assert len(targets) == 8
    assert all(f'id="{target}"' in markup for target in targets)
    assert "\\autoref" not in markup and "\\label" not in markup and "@fig" not in markup


def test_equations_in_raw_environments_and_display_math(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\n---\n\nAs \\autoref{eq:first} and \\eqref{eq:second} show.\n\n"
                         "\\begin{equation}\\label{eq:first}\nE = mc^2\n\\end{equation}\n\n"
                         "$$ a^2 + b^2 = c^2 \\label{eq:second} $$\n", folder="eq")
    document = read_article(path)
    (first,) = [b for b in document.body if isinstance(b, Paragraph)]
    equations = [b for b in document.body if isinstance(b, Equation)]
    refs = [n for n in first.children if isinstance(n, CrossRef)]
    assert [r.text for r in refs] == ["Equation 1", "(2)"]
    assert [r.target for r in refs] == [equations[0].id, equations[1].id]
    assert [e.number for e in equations] == [1, 2] and not document.warnings


def test_a_label_leaves_no_space_before_the_full_stop(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\n---\n\nSee \\autoref{fig:a}.\n\n"
                         "![Lines rising \\label{fig:a}.](chart.png)\n", folder="lab")
    (path.parent / "chart.png").write_bytes((CROSSREFS.parent / "chart.png").read_bytes())
    (figure,) = [b for b in read_article(path).body if isinstance(b, Figure)]
    assert plain_text(figure.caption) == "Figure 1: Lines rising."


def test_a_table_labelled_with_an_empty_span_as_inara_writes_it(write_article: WriteArticle) -> None:
    body = ("\nAs \\autoref{langs} shows, and table \\ref{langs}.\n\n| Language | Year |\n|---|---|\n| C | 1972 |\n\n"
            ": Languages used. []{label=\"langs\"}\n")
    document = read_article(write_article(body=body))
    refs = [n for n in block_inlines(document.body) if isinstance(n, CrossRef)]
    (table,) = [b for b in document.body if isinstance(b, Table)]
    assert sorted((r.text, r.target) for r in refs) == [("1", table.id), ("Table 1", table.id)]
    assert not document.warnings


def test_a_reference_after_the_name_of_its_kind_gives_the_number(write_article: WriteArticle) -> None:
    """bayesmeas writes "Figure @fig:accuracy": "Figure Figure 2" before."""
    body = ("\n![Accuracy](chart.png){#fig:accuracy}\n\nSee Figure @fig:accuracy, Fig. @fig:accuracy and "
            "@fig:accuracy; then the figure \\ref{fig:accuracy} again.\n")
    path = write_article(body=body)
    (path.parent / "chart.png").write_bytes((CROSSREFS.parent / "chart.png").read_bytes())
    paragraph = next(b for b in read_article(path).body if isinstance(b, Paragraph))
    assert plain_text(paragraph.children) == "See Figure 1, Fig. 1 and Figure 1; then the figure 1 again."
