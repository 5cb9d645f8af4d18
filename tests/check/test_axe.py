"""axe-core in the distribution's Chromium, on HTML and XHTML."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publish.check.axe import epub_documents, run_axe
from publish.check.browser import file_url, open_browser
from publish.check.findings import ToolMissing, failures
from tests.check import pages
from tests.check.epubs import write_epub

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ALL_TAGS = ("wcag2a", "wcag2aa", "wcag2aaa", "wcag21aa", "wcag22aa", "best-practice")


def test_good_page_has_no_violations(chromium_browser: Browser, tmp_path: Path) -> None:
    good = pages.write(tmp_path, "good.html", pages.GOOD)
    start = time.perf_counter()
    results = run_axe([good], ALL_TAGS, browser=chromium_browser)
    elapsed = time.perf_counter() - start
    assert failures(results[good]) == []
    assert "0 violated" in results[good][-1].message
    assert elapsed < 30, elapsed


def test_image_without_alt(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "noalt.html", pages.NO_ALT)
    [finding] = failures(run_axe([path], ALL_TAGS, browser=chromium_browser)[path])
    assert finding.check == "axe:image-alt" and finding.severity == "error"
    assert finding.location == "noalt.html img"
    assert finding.advice.startswith("https://dequeuniversity.com/rules/axe/")
    assert "Images must have alternative text" in finding.message


def test_low_contrast(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "faint.html", pages.LOW_CONTRAST)
    results = run_axe([path], ALL_TAGS, browser=chromium_browser)
    # #aaa on white is 2.3:1. axe reports it under AA only: the AAA rule
    # (color-contrast-enhanced) passes anything below 4.5:1 to avoid a
    # duplicate, so it alone never proves 7:1.
    assert {f.check for f in failures(results[path])} == {"axe:color-contrast"}
    assert "2.32" in failures(results[path])[0].message


def test_aaa_contrast(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "grey.html", pages.MID_CONTRAST)
    results = run_axe([path], ALL_TAGS, browser=chromium_browser)
    assert {f.check for f in failures(results[path])} == {"axe:color-contrast-enhanced"}


def test_tags_select_rules(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "faint.html", pages.LOW_CONTRAST)
    checks = {f.check for f in failures(run_axe([path], ["wcag2aa"], browser=chromium_browser)[path])}
    assert checks == {"axe:color-contrast"}


def test_xhtml_is_parsed_as_xml(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "chapter.xhtml", pages.XHTML)
    page = chromium_browser.new_page()
    try:
        page.goto(file_url(path))
        assert page.evaluate("document.contentType") == "application/xhtml+xml"
    finally:
        page.close()
    assert [f.check for f in failures(run_axe([path], ALL_TAGS, browser=chromium_browser)[path])] \
        == ["axe:image-alt"]


def test_malformed_xhtml_is_an_error_not_a_pass(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "broken.xhtml", pages.XHTML.replace("</p>", ""))
    [finding] = run_axe([path], ALL_TAGS, browser=chromium_browser)[path]
    assert finding.check == "axe:xml-parse" and not finding.ok
    assert "not well-formed" in finding.message


def test_epub_documents_one_browser_many_files(chromium_browser: Browser, tmp_path: Path) -> None:
    docs = epub_documents(write_epub(tmp_path / "book.epub"), tmp_path / "book")
    assert [d.name for d in docs] == ["nav.xhtml", "chapter.xhtml"]
    results = run_axe(docs, ALL_TAGS, browser=chromium_browser)
    assert list(results) == docs
    assert failures(results[docs[1]]) == []


def test_run_axe_opens_its_own_browser(chromium_browser: Browser, tmp_path: Path) -> None:
    # The fixture only proves Chromium exists; this call starts another one.
    path = pages.write(tmp_path, "good.html", pages.GOOD)
    assert failures(run_axe([path], ALL_TAGS)[path]) == []


def test_missing_chromium_raises_tool_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PUBLISH_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ToolMissing, match="chromium"), open_browser():
        pass
