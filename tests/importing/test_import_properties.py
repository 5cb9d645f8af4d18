"""Any document imports into a source the reader takes, or fails with a located error: never
a traceback. Hypothesis writes the documents: Word files with python-docx (headings, bold
paragraphs, lists, tables, odd text) and web pages of arbitrary markup and text."""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.errors import SourceError, UsageError
from publish.importing import import_document
from publish.reader import read_article

# Text as people type it, and as it arrives from other tools: any letters, marks, symbols,
# punctuation Markdown gives meaning to, and the odd control character python-docx accepts.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co")) | st.sampled_from("*_`#[]()<>|\\$@^~{}\t"),
               min_size=1, max_size=60)
BLOCK = st.tuples(st.sampled_from(["Title", "Heading 1", "Heading 2", "Heading 3", "Normal", "bold",
                                   "List Bullet", "List Number", "Quote", "Caption", "table"]), TEXT)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _imports_or_says_why(path: Path) -> None:
    with tempfile.TemporaryDirectory() as into:
        try:
            imported = import_document(path, Path(into))
        except (SourceError, UsageError) as exc:
            assert str(exc).startswith(str(path)), exc  # says which file
            return
        try:
            read_article(imported.article)
        except SourceError as exc:  # a located error about the written source is allowed
            assert str(exc).startswith(str(imported.article)), exc


@SETTINGS
@given(blocks=st.lists(BLOCK, min_size=1, max_size=8))
def test_any_word_document_imports_or_fails_cleanly(blocks: list[tuple[str, str]]) -> None:
    document = docx.Document()
    for style, text in blocks:
        if style == "bold":
            document.add_paragraph().add_run(text).bold = True
        elif style == "table":
            table = document.add_table(rows=2, cols=2)
            for cell in table._cells:
                cell.text = text
        else:
            document.add_paragraph(text, style=style)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.docx"
        document.save(str(path))
        _imports_or_says_why(path)


TAG = st.sampled_from(["p", "h1", "h2", "div", "article", "nav", "footer", "li", "blockquote", "span", "b",
                       "script", "table", "td", "a"])


@SETTINGS
@given(parts=st.lists(st.tuples(TAG, TEXT), min_size=1, max_size=12), lang=st.sampled_from(["", "en", "xx-bad"]))
def test_any_web_page_imports_or_fails_cleanly(parts: list[tuple[str, str]], lang: str) -> None:
    from html import escape

    body = "".join(f"<{tag}>{escape(text)}</{tag}>" for tag, text in parts)
    page = f'<!DOCTYPE html><html lang="{lang}"><head><title>T</title></head><body>{body}</body></html>'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        _imports_or_says_why(path)
