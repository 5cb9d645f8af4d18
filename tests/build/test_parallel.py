"""Worker processes build the same bytes as one process, and report back to it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publish.build import Options, build, select
from publish.cli import main
from publish.renderer import registered
from tests.build.conftest import EPOCH, SETTINGS, SeedBuild, published


def test_two_workers_build_the_same_bytes_as_one_process(serial_seed: SeedBuild, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    # A cache of its own, so the speech engine really runs inside a pool worker.
    (outcome,) = build([serial_seed.source / "article.md"], select(registered(), []), out, SETTINGS,
                       options=Options(jobs=2, cache=tmp_path / "cache"))
    assert outcome.ok, outcome
    assert [e.name for e in outcome.editions] == [e.name for e in serial_seed.outcome.editions]
    parent = f":{os.getpid()}"
    assert all(e.worker and not e.worker.endswith(parent) for e in outcome.editions), "built in workers"
    assert all(e.peak_rss_mb > 0 for e in outcome.editions)
    assert published(out / "gut-barrier") == published(serial_seed.folder)

    # Built again from the command line: nothing to do, and it says so for every edition.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    version = (out / "gut-barrier").resolve()
    capsys.readouterr()
    assert main(["build", str(serial_seed.source), "--out", str(out), "--cache", str(tmp_path / "cache"),
                 "--jobs", "2"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "up to date" in line]
    assert sorted(line.split()[2] for line in lines) == sorted(registered())
    assert (out / "gut-barrier").resolve() == version
