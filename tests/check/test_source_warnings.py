"""Warnings about the source reach the manifest and the conformance report."""

from __future__ import annotations

import json
from pathlib import Path

from publish.check.report import render_html, report_data
from publish.check.run import ArticleResult, _source_warnings
from publish.cli import main

JOSS_LIKE = Path(__file__).resolve().parents[1] / "fixtures" / "joss-like" / "paper.md"


def test_warnings_are_kept_in_the_manifest_and_shown_in_the_report(tmp_path: Path) -> None:
    assert main(["build", str(JOSS_LIKE), "--out", str(tmp_path), "-f", "large-print", "-q"]) == 0
    manifest = json.loads((tmp_path / "joss-like" / "manifest.json").read_text(encoding="utf-8"))
    assert {"line": 23, "col": 1, "message": "the reference 'Ramsay:1998' is in 'paper.bib' twice, or in two "
            "files: the first is used"} in manifest["warnings"]
    warnings = _source_warnings(manifest)
    assert "23:1: the reference 'Ramsay:1998' is in 'paper.bib' twice, or in two files: the first is used" in warnings
    result = ArticleResult("joss-like", tmp_path / "joss-like", "T", "en", str(JOSS_LIKE), [],
                           source_warnings=warnings)
    assert report_data(result)["source_warnings"] == list(warnings)
    page = render_html(result)
    assert "Warnings about the source" in page and "is in &#39;paper.bib&#39; twice" in page


def test_an_editions_own_warnings_join_the_articles_in_the_report() -> None:
    manifest = {"warnings": [{"line": 3, "col": 1, "message": "a guessed language"}],
                "editions": {"audio": {"files": [], "warnings": [
                    {"line": 12, "col": 1, "message": "the audio edition cannot speak this passage (...)"}]},
                             "epub": {"files": []}}}
    assert _source_warnings(manifest) == ("3:1: a guessed language",
                                          "12:1: the audio edition cannot speak this passage (...)")
