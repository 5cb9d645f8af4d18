"""The skip-or-fail rule of tests/tools.py itself."""

from __future__ import annotations

import pytest

from publish.check.findings import ToolMissing
from tests.tools import in_ci, require


def missing() -> None:
    raise ToolMissing("frobnicator", "apt-get install frobnicator")


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_missing_tool_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setattr("tests.tools.MISSING", set())  # keep the real summary clean
    monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match="frobnicator"):
        require(missing)


@pytest.mark.parametrize("value", ["true", "1"])
def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require(missing)


def test_present_tool_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    require(lambda: None)
