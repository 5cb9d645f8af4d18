"""The rest of Pandoc Markdown, each construct in the model (a golden JSON) and on the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from formats.html.renderer import LargePrintRenderer
from publish.model import (
    Document,
    Figure,
    LanguageBlock,
    LanguageSpan,
    Paragraph,
    Styled,
    Table,
    block_inlines,
    plain_text,
    to_json,
)
from publish.reader import read_article
from publish.renderer import RenderContext
from tests.publish.conftest import WriteArticle

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "fixtures" / "pandoc-markdown" / "article.md"
GOLDEN = ROOT / "tests" / "golden" / "pandoc-markdown.model.json"


@pytest.fixture(scope="module")
def document() -> Document:
    return read_article(SOURCE)


def test_golden_model_json(document: Document) -> None:
    actual = to_json(document).replace(str(SOURCE.parent), "<article>")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8"), "the model changed: UPDATE_GOLDEN=1 if on purpose"


def test_inline_styles_and_languages(document: Document) -> None:
    nodes = list(block_inlines(document.body))
    assert sorted(n.style for n in nodes if isinstance(n, Styled)) == [
        "smallcaps", "strikeout", "subscript", "superscript", "underline"]
    (french,) = [n for n in nodes if isinstance(n, LanguageSpan)]
    assert french.lang == "fr" and plain_text(french.children) == "Je ne sais quoi"
    (german,) = [b for b in document.body if isinstance(b, LanguageBlock)]
    assert german.lang == "de" and [plain_text(p.children) for p in german.blocks] == ["Ein Absatz auf Deutsch."]


def test_citations_and_their_odd_keys(document: Document) -> None:
    citations = plain_text(document.body[3].children)
    assert citations == "(1, 2), Smith et al. (2, p.\u00a033), (2), (see, e.g., 1, ch.\u00a02)."
    assert [r.key for r in document.references] == ["doe:2020/a&b", "smith.2019"]


def test_tables_of_every_kind_keep_header_and_caption(document: Document) -> None:
    simple, grid = [b for b in document.body if isinstance(b, Table)]
    assert [plain_text(c.children) for c in simple.header] == ["Right", "Left", "Center", "Default"]
    assert [c.align for c in simple.header] == ["right", "left", "center", ""]
    assert [[plain_text(c.children) for c in row] for row in grid.rows] == [["Bananas", "$1.34"],
                                                                             ["Oranges", "$2.10"]]
    assert plain_text(grid.caption) == "Table 2: A grid table."


def test_layout_commands_and_comments_vanish_unknown_latex_stays(document: Document) -> None:
    text = to_json(document)
    assert "newpage" not in text and "vspace" not in text and "nobody sees" not in text
    (warning,) = document.warnings
    assert warning.line == 74 and "\\unknowncommand{kept as text}" in warning.message


def test_the_page_marks_each_construct(document: Document, tmp_path: Path) -> None:
    (page,) = LargePrintRenderer().render(document, RenderContext(out_dir=tmp_path, article_dir=SOURCE.parent)).files
    markup = page.read_text(encoding="utf-8")
    for fragment in ("H<sub>2</sub>O", "mc<sup>2</sup>", "<s>struck out</s>", '<span class="smallcaps">small caps',
                     "<u>underlined</u>", '<span lang="fr">Je ne sais quoi</span>', "A fenced div’s paragraph",
                     '<div id="lang-1" lang="de">'):
        assert fragment in markup, fragment


def test_what_real_papers_write_for_their_latex_pdf(write_article: WriteArticle) -> None:
    """From unseen papers: layout commands in a row, \\includegraphics alone with no file
    extension (LaTeX finds plot.pdf), text symbols typed as commands, a raw block for another
    format, a YAML block in the text."""
    path = write_article(body="\nText.\n\n\\clearpage \\appendix\n\n\\listoflistings\n\n\\pagebreak[4]\n\n"
                         "\\includegraphics[page=2]{plots/speed}\n\nDone \\checkmark and \\LaTeX{} here.\n\n"
                         "``` {=comment}\nA note to the editor.\n```\n\n---\nlatex:\n  x: 1\n---\n\nEnd.\n")
    (path.parent / "plots").mkdir()
    (path.parent / "plots" / "speed.pdf").write_bytes((ROOT / "tests" / "corpus" / "pvlib" / "community.pdf")
                                                      .read_bytes())
    document = read_article(path)
    texts = [plain_text(b.children) for b in document.body if isinstance(b, Paragraph)]
    assert texts == ["Text.", "Done \u2713 and LaTeX here.", "End."]
    (figure,) = [b for b in document.body if isinstance(b, Figure)]
    assert figure.src == "plots/speed.pdf"
    messages = [w.message for w in document.warnings]
    assert any("a raw block for 'comment' is left out" in m for m in messages)
    assert any("a YAML block in the text (latex) is not shown and not read" in m for m in messages)
    assert not any("raw LaTeX" in m for m in messages)


def test_front_matter_indented_with_tabs_is_read_with_a_warning(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\nauthor:\n\t- Anders M\u00e6hlum\n\t- \u00d8zlem B\n---\n\n"
                         "Text.\n")
    document = read_article(path)
    assert document.meta.authors == ("Anders M\u00e6hlum", "\u00d8zlem B")
    assert [(w.line, w.message) for w in document.warnings] == [
        (5, "the front matter is indented with tabs, which YAML does not allow; each is read as two spaces")]


def test_latex_text_commands_are_what_they_mean(write_article: WriteArticle) -> None:
    """EnsembleKalmanProcesses.jl's paper writes \\texttt{...} 29 times; each was shown as TeX."""
    body = ("\nUse \\texttt{EKP.jl} and \\emph{this}, see \\href{https://a.example}{the site} or "
            "\\url{https://b.example}; \\textbf{bold} and \\mbox{plain} end.\n")
    document = read_article(write_article(body=body))
    (paragraph,) = document.body
    assert plain_text(paragraph.children) == (  # type: ignore[attr-defined]
        "Use EKP.jl and this, see the site or https://b.example; bold and plain end.")
    kinds = [type(node).__name__ for node in paragraph.children]  # type: ignore[attr-defined]
    assert [k for k in kinds if k != "Text"] == ["Code", "Emphasis", "Link", "Link", "Strong"]
    assert not document.warnings
