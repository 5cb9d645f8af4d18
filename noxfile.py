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
    """The test suite, validators included (epubcheck needs Java, axe needs Chromium)."""
    session.install(".[test]")
    session.run("pytest", *(session.posargs or ["-q"]))


@nox.session(python=PYTHON[0])
def lint(session: nox.Session) -> None:
    """ruff, and mypy --strict on the package code."""
    session.install(".[test,lint]")
    session.run("ruff", "check", "publish", "formats", "tests", "noxfile.py")
    session.run("mypy", "--strict", "publish", "formats")
