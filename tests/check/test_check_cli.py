"""``publish check`` and ``publish build --check``: exit codes 0, 1 and 2, ``--strict``, and checks
as plugins (a stand-in registry keeps these tests quick; the real run is in test_conformance)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from publish import output
from publish.check.checker import BuiltArticle, Checker
from publish.check.findings import Finding, ToolMissing
from publish.cli import main
from tests.builds import ARTICLES


@dataclass
class Stub:
    """A checker that reports what it is given (or raises it)."""

    name: str
    edition: str = "pdf"
    findings: list[Finding] = field(default_factory=list)
    raises: Exception | None = None
    description: str = "a stand-in check"
    seen: list[BuiltArticle] = field(default_factory=list)

    def check(self, article: BuiltArticle) -> list[Finding]:
        self.seen.append(article)
        if self.raises is not None:
            raise self.raises
        return list(self.findings)


OK = Finding("stub", True, "info", "all good")
WARNING = Finding("stub", True, "warning", "could be better", "demo.pdf", "Do better.")
FAILURE = Finding("stub", False, "error", "broken", "demo.pdf: page 1", "Fix it.")


def use(monkeypatch: pytest.MonkeyPatch, *checkers: Checker) -> None:
    monkeypatch.setattr("publish.check.run.registered", lambda: {c.name: c for c in checkers})


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A dist with one small published article (a PDF edition only)."""
    out = tmp_path / "dist"
    out.mkdir()
    with output.staging(out, "demo") as staging:
        pdf = staging / "demo.pdf"
        pdf.write_bytes(b"%PDF-1.7 tiny")
        output.commit(out, "demo", {"pdf": output.Edition((pdf,), {"pages": 1})},
                      {"slug": "demo", "title": "Demo", "lang": "en", "source": ""})
    return out


def test_passing_checks_exit_0_and_publish_reports(dist: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    stub = Stub("stub-pass", findings=[OK])
    use(monkeypatch, stub, Stub("other-edition", edition="braille", raises=AssertionError("must not run")))
    assert main(["check", str(dist)]) == 0
    assert [a.slug for a in stub.seen] == ["demo"]
    manifest = json.loads((dist / "demo" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["facts"]["result"] == "pass"
    assert (dist / "demo" / "conformance.html").is_file() and (dist / "index.html").is_file()
    err = capsys.readouterr().err
    assert "demo: passed: 1 of 1 checks passed" in err and "Publication page:" in err


def test_a_failing_check_exits_1(dist: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, Stub("stub-pass", findings=[OK]), Stub("stub-fail", findings=[FAILURE]))
    assert main(["check", str(dist / "demo")]) == 1
    err = capsys.readouterr().err
    assert "demo.pdf: page 1: error [stub] broken (Fix it.)" in err
    report = json.loads((dist / "demo" / "conformance.json").read_text(encoding="utf-8"))
    assert report["result"] == "fail" and report["counts"]["failed"] == 1
    [check] = [c for c in report["editions"][0]["checks"] if c["name"] == "stub-fail"]
    assert check["findings"][0] | {"location": "demo.pdf: page 1", "advice": "Fix it."} == check["findings"][0]


def test_warnings_fail_only_with_strict(dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, Stub("stub-warn", findings=[OK, WARNING]))
    assert main(["check", "-q", str(dist)]) == 0
    assert main(["check", "-q", "--strict", str(dist)]) == 1
    report = json.loads((dist / "demo" / "conformance.json").read_text(encoding="utf-8"))
    assert report["result"] == "warn"


def test_usage_errors_exit_2(dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    assert "nothing built here" in capsys.readouterr().err
    assert main(["check", str(dist / "demo" / "demo.pdf")]) == 2
    version = (dist / "demo").resolve()
    assert main(["check", str(version)]) == 2
    assert "version folder" in capsys.readouterr().err


def test_default_path_is_dist(dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, Stub("stub-pass", findings=[OK]))
    monkeypatch.chdir(dist.parent)
    assert main(["check", "-q"]) == 0
    shutil.rmtree(dist)
    assert main(["check"]) == 2


def test_checker_bugs_are_findings(dist: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, Stub("buggy", raises=ZeroDivisionError("oops")), Stub("silent"))
    assert main(["check", "--debug", str(dist)]) == 1
    err = capsys.readouterr().err
    assert "Internal error in the check: ZeroDivisionError: oops" in err
    assert "Traceback" in err  # --debug shows it
    report = json.loads((dist / "demo" / "conformance.json").read_text(encoding="utf-8"))
    silent = next(c for c in report["editions"][0]["checks"] if c["name"] == "silent")
    assert silent["result"] == "pass" and silent["findings"][0]["message"] == "Nothing to report"


def frobnicator() -> None:
    raise ToolMissing("frobnicator", "apt-get install frobnicator")


@dataclass
class Needy(Stub):
    """A checker that says what it needs (``needs``), so that publish check finds out first."""

    needs: tuple[Callable[[], None], ...] = (frobnicator,)


def test_a_check_whose_tool_is_missing_is_not_run_not_failed(dist: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    needy = Needy("needs-tool", raises=AssertionError("must not be called without its tool"))
    late = Stub("finds-out-late", raises=ToolMissing("frobnicator", "apt-get install frobnicator"))
    use(monkeypatch, needy, late, Stub("stub-pass", findings=[OK]))
    assert main(["check", str(dist)]) == 1  # nothing failed, but not everything was verified
    lines = capsys.readouterr().err.splitlines()
    # Only the declared need is known before the run; the other check finds out as it runs.
    assert lines[0] == "publish: 1 of 3 checks cannot run here; to run them, install frobnicator: " \
                       "apt-get install frobnicator"
    assert "    not run: frobnicator is not installed (apt-get install frobnicator)" in lines
    assert "demo: not fully checked: 1 of 3 checks passed, 0 failed, 0 with warnings, 2 not run" in "\n".join(lines)
    assert "  pdf              not fully checked      3 checks; not run: finds-out-late, needs-tool" in lines
    report = json.loads((dist / "demo" / "conformance.json").read_text(encoding="utf-8"))
    assert report["result"] == "not-run"
    assert report["counts"] == {"checks": 3, "passed": 1, "warnings": 0, "failed": 0, "not_run": 2}
    for name in ("needs-tool", "finds-out-late"):
        [check] = [c for c in report["editions"][0]["checks"] if c["name"] == name]
        assert check["result"] == "not-run" and check["findings"] == []
        assert check["missing"] == {"tool": "frobnicator", "install": "apt-get install frobnicator"}
    manifest = json.loads((dist / "demo" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["checks"]["facts"]["editions"] == {"pdf": "not-run"}
    page = (dist / "demo" / "conformance.html").read_text(encoding="utf-8")
    assert "This check did not run: frobnicator is not installed here" in page
    assert "<li><code>apt-get install frobnicator</code></li>" in page
    assert "2 of 3 checks could not run here" in page
    assert "Not fully checked" in (dist / "index.html").read_text(encoding="utf-8")


def test_an_edition_without_checks_is_a_warning(dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch)
    assert main(["check", "-q", str(dist)]) == 0
    assert main(["check", "-q", "--strict", str(dist)]) == 1


def test_build_check_checks_what_it_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publish.check.checkers.parity import LargePrintParity

    use(monkeypatch, LargePrintParity())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "dist"
    code = main(["build", str(ARTICLES["everything"]), "--format", "large-print", "--out", str(out),
                 "--check", "-q"])
    assert code == 0
    report = json.loads((out / "everything" / "conformance.json").read_text(encoding="utf-8"))
    assert [(e["edition"], e["result"]) for e in report["editions"]] == [("large-print", "pass")]
    assert (out / "index.html").is_file()
