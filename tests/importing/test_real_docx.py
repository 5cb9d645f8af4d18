"""A real manuscript sent back to its journal with tracked changes (tests/importing/real/SOURCE):
imported as it is, with the report a real author would get."""

from __future__ import annotations

from pathlib import Path

from publish.importing import import_document
from publish.reader import read_article
from tests.importing.conftest import REAL


def test_real_revision_with_tracked_changes(tmp_path: Path) -> None:
    imported = import_document(REAL / "deep-rules-revision.docx", tmp_path)
    text = imported.article.read_text(encoding="utf-8")
    report = [str(note) for note in imported.report.notes]
    assert imported.article == tmp_path / "ten-quick-tips-for-deep-learning-in-biology" / "article.md"
    assert any("tracked changes were accepted (183 insertions, 172 deletions)" in n for n in report)
    assert "This invention is not related to this work." not in text  # a deleted sentence
    assert "## Tip 10: Actively consider the ethical implications of your work" in text
    assert "$\\text{HasAsthma}(x) \\Rightarrow \\text{LowerRisk}(x)$" in text
    assert "](images/a-summary-overview-of-the-10.png)" in text
    assert any(n.startswith("heading 'References' (¶70)") and "127 entries" in n and "typed text" in n
               for n in report)
    assert any("128 links to places inside the document" in n for n in report)
    assert any("no author" in n for n in report)  # the file's author field is empty
    # Word tracked a change inside a hyperlink's field code, and Pandoc gives "https://.cc/paper/"
    assert any(n.startswith("¶134 (under 'References'): the link 'https://papers.nips.cc/paper/2017/") and
               "pointed to a broken address ('https://.cc/paper/')" in n for n in report)
    assert "](https://.cc/paper/)" not in text
    document = read_article(imported.article)
    assert document.meta.lang == "en-US"
    assert len(list(document.headings())) == 16
    assert not document.warnings, [str(w) for w in document.warnings]
