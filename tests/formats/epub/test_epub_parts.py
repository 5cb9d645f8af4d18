"""Which part of the EPUB each element lives in: the back-matter parts by their own names and
generated ids, everything else in the article, a body section named like a part included."""

from __future__ import annotations

import pytest

from formats.epub.renderer import part_of


@pytest.mark.parametrize(("element_id", "part"), [
    ("references", "references.xhtml"), ("references-heading", "references.xhtml"),
    ("ref-turner2009", "references.xhtml"), ("footnotes-heading", "notes.xhtml"), ("fn-3", "notes.xhtml"),
    ("fn-3-p-1", "notes.xhtml"), ("disclaimer", "disclaimer.xhtml"), ("disclaimer-p-2", "disclaimer.xhtml"),
    ("disclaimer-li-4", "disclaimer.xhtml"),
    # An article's own References or Disclaimer heading (a typed list, an imported page): its id
    # takes a number, as the part's name is taken, and it stays in the article.
    ("references-2", "article.xhtml"), ("disclaimer-2", "article.xhtml"), ("footnotes-3", "article.xhtml"),
    ("references-and-further-reading", "article.xhtml"), ("p-12", "article.xhtml"), ("fnref-1-2", "article.xhtml"),
])
def test_part_of(element_id: str, part: str) -> None:
    assert part_of(element_id).file_name == part
