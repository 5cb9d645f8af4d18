"""``publish check`` where what some checks need is not installed (the [check] extra, Java,
Chromium): those checks are "not run", not failed, in the terminal, conformance.json,
conformance.html and the publication page; the first line says what to install; the exit code
is 1 all the same, as nothing verified those editions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publish.check.findings import CHECK_EXTRA
from publish.cli import main
from tests.builds import ROOT, ArticleBuild
from tests.check.conftest import assert_large_print_pages, copy_dist
from tests.tools import require_java

if TYPE_CHECKING:
    from playwright.sync_api import Browser

NO_CHECK_EXTRA = Path(__file__).parent / "no_check_extra"  # its sitecustomize.py hides the extra's packages
NEED_THE_EXTRA = {"audio-levels", "epub-axe", "epubcheck", "large-print-axe", "large-print-contrast",
                  "large-print-layout"}
NEED_CHROMIUM_OR_JAVA = NEED_THE_EXTRA - {"audio-levels"}


def results(report: dict[str, object]) -> dict[str, str]:
    editions = report["editions"]
    assert isinstance(editions, list)
    return {c["name"]: c["result"] for e in editions for c in e["checks"]}


def test_without_the_check_extra(seed: ArticleBuild, tmp_path: Path, chromium_browser: Browser) -> None:
    """The real command in a Python where the extra's packages cannot be imported."""
    require_java()  # present (and Chromium, for the fixture), so that the extra is all that is missing
    dist = copy_dist(seed, tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NO_CHECK_EXTRA), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "publish", "check", str(dist)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == ("publish: 6 of 16 checks cannot run here; to run them, install soundfile, playwright, "
                        f"axe-core, epubcheck: {CHECK_EXTRA}")
    assert not [line for line in lines if line.startswith("✗")], done.stderr
    assert f"    not run: playwright is not installed ({CHECK_EXTRA})" in lines
    assert "gut-barrier: not fully checked: 10 of 16 checks passed, 0 failed, 0 with warnings, 6 not run" \
        in done.stderr

    slug = seed.document.slug
    report = json.loads((dist / slug / "conformance.json").read_text(encoding="utf-8"))
    assert report["result"] == "not-run"
    assert report["counts"] == {"checks": 16, "passed": 10, "warnings": 0, "failed": 0, "not_run": 6}
    found = results(report)
    assert {name for name, result in found.items() if result == "not-run"} == NEED_THE_EXTRA
    assert {result for name, result in found.items() if name not in NEED_THE_EXTRA} == {"pass"}
    for edition in report["editions"]:
        for check in edition["checks"]:
            if check["name"] in NEED_THE_EXTRA:
                assert check["findings"] == [] and check["missing"]["install"] == CHECK_EXTRA, check

    page = (dist / slug / "conformance.html").read_text(encoding="utf-8")
    assert "6 of 16 checks could not run here, so the editions are not fully verified" in page
    assert "<li><code>pip install &#39;accessible-publish[check]&#39;</code></li>" in page
    assert len(re.findall(r"This check did not run: \w+ is not installed here", page)) == 6
    index = (dist / "index.html").read_text(encoding="utf-8")
    assert "6 of 16 accessibility and parity checks could not run" in index
    assert index.count("Not fully checked") == 4  # the article, the EPUB, the large print and the audio
    assert_large_print_pages([dist / slug / "conformance.html", dist / "index.html"], chromium_browser)


def test_without_java_and_chromium(seed: ArticleBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    dist = copy_dist(seed, tmp_path)
    nowhere = tmp_path / "no-chromium"
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PUBLISH_CHROMIUM", str(nowhere))
    assert main(["check", "-q", str(dist)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        f"publish: 5 of 16 checks cannot run here; to run them, install chromium at {nowhere}: "
        "apt-get update && apt-get install -y chromium (or set PUBLISH_CHROMIUM); "
        "java: apt-get install -y default-jre-headless (or any Java 11+ runtime on PATH)")
    report = json.loads((dist / seed.document.slug / "conformance.json").read_text(encoding="utf-8"))
    found = results(report)
    assert {name for name, result in found.items() if result == "not-run"} == NEED_CHROMIUM_OR_JAVA
    assert report["counts"]["failed"] == 0
