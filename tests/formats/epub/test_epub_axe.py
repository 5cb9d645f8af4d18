"""axe-core finds nothing in the EPUB's XHTML documents (needs Playwright and Chromium)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium")
def test_axe_finds_no_violation_in_any_document(built_epub: Path, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    with zipfile.ZipFile(built_epub) as archive:
        archive.extractall(tmp_path)
    documents = sorted((tmp_path / "EPUB").glob("*.xhtml"))
    assert len(documents) == 5
    axe = axe_module.Axe()
    found: dict[str, list[str]] = {}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            for document in documents:
                page.goto(document.as_uri())
                assert page.evaluate("document.contentType") == "application/xhtml+xml"
                result = axe.run(page)
                found[document.name] = [
                    f"{v['id']}: {node['html']}" for v in result.response["violations"] for node in v["nodes"]
                ]
        finally:
            browser.close()
    assert found == {document.name: [] for document in documents}
