"""An article with no heading at all still makes a valid EPUB: its contents list leads to the title."""

from __future__ import annotations

from pathlib import Path

from publish import html
from publish.check.epubcheck import run_epubcheck
from publish.cli import main
from publish.reader import read_article
from tests.tools import requires_java


def write(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "article.md").write_text("---\ntitle: No headings at all\nlang: en\n---\n\nOne paragraph, and nothing "
                                       "else in this article.\n", encoding="utf-8")
    return folder


def test_the_contents_lead_to_the_title(tmp_path: Path) -> None:
    document = read_article(write(tmp_path / "bare") / "article.md")
    assert [(e.id, e.title) for e in html.toc(document)] == [("title", "No headings at all")]


@requires_java
def test_epubcheck_passes_an_article_without_headings(tmp_path: Path) -> None:
    source = write(tmp_path / "bare")
    assert main(["build", str(source), "--out", str(tmp_path / "dist"), "-f", "epub", "-q"]) == 0
    problems = [f for f in run_epubcheck(tmp_path / "dist" / "bare" / "bare.epub")
                if not f.ok and f.severity not in ("usage", "info")]
    assert problems == []
