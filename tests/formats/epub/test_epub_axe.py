"""axe-core finds nothing in the test book's XHTML documents, loaded as XHTML in Chromium."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from publish.check.axe import epub_documents, run_axe

TAGS = ("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice")


def test_axe_finds_no_violation_in_any_document(built_epub: Path, tmp_path: Path, chromium_browser: Browser) -> None:
    documents = epub_documents(built_epub, tmp_path)
    assert len(documents) == 5
    found = run_axe(documents, TAGS, browser=chromium_browser)
    problems = {path.name: [f"{f.check}: {f.location}" for f in fs if not f.ok] for path, fs in found.items()}
    assert problems == {document.name: [] for document in documents}
