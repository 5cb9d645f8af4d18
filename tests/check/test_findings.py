from __future__ import annotations

import pytest

from publish.check.findings import Finding, ToolMissing, failures


def test_finding_is_frozen_and_validates_severity() -> None:
    finding = Finding("pdfua:lang", False, "error", "no /Lang", "catalog", "set lang")
    with pytest.raises(AttributeError):
        finding.ok = True  # type: ignore[misc]
    with pytest.raises(ValueError, match="severity"):
        Finding("x", True, "fatal", "bad")  # type: ignore[arg-type]
    assert str(finding) == "catalog: error [pdfua:lang] no /Lang (set lang)"


def test_failures_keeps_only_blocking_findings() -> None:
    ok = Finding("a", True, "info", "fine")
    warn = Finding("b", False, "warning", "hmm")
    assert failures([ok, warn]) == [warn]


def test_tool_missing_names_the_install() -> None:
    err = ToolMissing("java", "apt-get install -y default-jre-headless")
    assert "java" in str(err) and "apt-get" in str(err) and err.tool == "java"
