"""run_epubcheck on hand-made EPUBs (not our renderer's), so a failure here
is about the checker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from publish.check.epubcheck import run_epubcheck
from publish.check.findings import ToolMissing, failures
from tests.check.epubs import write_epub
from tests.tools import requires_java


@requires_java
def test_minimal_valid_epub_is_clean(tmp_path: Path) -> None:
    start = time.perf_counter()
    findings = run_epubcheck(write_epub(tmp_path / "ok.epub"))
    elapsed = time.perf_counter() - start
    assert failures(findings) == []
    summary = findings[-1]
    assert summary.check == "epubcheck" and "0 errors" in summary.message
    assert elapsed < 60, elapsed


@requires_java
def test_missing_title_is_an_error_with_location(tmp_path: Path) -> None:
    findings = run_epubcheck(write_epub(tmp_path / "bad.epub", title=None))
    errors = failures(findings)
    assert len(errors) == 1
    error = errors[0]
    assert error.check == "epubcheck:RSC-005" and error.severity == "error"
    assert 'missing required element "dc:title"' in error.message
    path, line, col = error.location.split(":")
    assert path == "EPUB/package.opf" and int(line) > 0 and int(col) > 0


@requires_java
def test_not_a_zip_is_reported_not_raised(tmp_path: Path) -> None:
    junk = tmp_path / "junk.epub"
    junk.write_bytes(b"this is not a zip")
    assert failures(run_epubcheck(junk))


def test_missing_java_raises_tool_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ToolMissing, match="java"):
        run_epubcheck(write_epub(tmp_path / "ok.epub"))
