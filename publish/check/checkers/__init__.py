"""The built-in checks, one small module per edition plus parity (registered in
``publish.checks``, see pyproject.toml). Each check is a class with ``name``, ``edition``,
``description`` and ``check(article) -> list[Finding]`` (``publish.check.checker.Checker``)."""

from __future__ import annotations

from pathlib import Path

from publish.check.findings import Finding


def located(path: Path, findings: list[Finding]) -> list[Finding]:
    """Findings whose location names the file first (``gut-barrier.pdf: page 2, ...``)."""
    out = []
    for f in findings:
        where = f.location
        if not where.startswith(path.name):
            where = f"{path.name}: {where}" if where else path.name
        out.append(Finding(f.check, f.ok, f.severity, f.message, where, f.advice))
    return out
