"""External tools for tests: skip where they are merely absent, fail in CI.

A developer without Java or Chromium still gets a useful test run, with the
reason visible; CI (any truthy $CI) must never turn a missing tool into a
quiet pass.

Use from any test folder::

    # tests/<folder>/conftest.py
    from tests.tools import chromium_browser, java, pytest_terminal_summary  # noqa: F401

    # a test
    from tests.tools import requires_chromium
    @requires_chromium
    def test_x() -> None: ...

    def test_y(chromium_browser: Browser) -> None: ...  # one shared browser
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import pytest

from publish.check.browser import chromium_executable, open_browser
from publish.check.epubcheck import epubcheck_jar, java_executable
from publish.check.findings import ToolMissing

if TYPE_CHECKING:
    from playwright.sync_api import Browser

P = ParamSpec("P")
R = TypeVar("R")

# Reasons collected during the run, repeated in the terminal summary so a
# skipped browser or Java test cannot go unnoticed (pytest hides skip reasons
# unless run with -rs).
MISSING: set[str] = set()


def in_ci() -> bool:
    """Whether $CI is set to something truthy (GitHub, GitLab, ... set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(probe: Callable[[], object]) -> None:
    """Run ``probe``; if it raises ToolMissing, skip the test, or fail it in CI."""
    try:
        probe()
    except ToolMissing as err:
        if in_ci():
            pytest.fail(f"{err} (CI is set, so a missing tool fails the test)", pytrace=False)
        MISSING.add(str(err))
        pytest.skip(f"{err} (set CI=1 to make this a failure)")


def require_chromium() -> None:
    require(chromium_executable)


def require_java() -> None:
    require(lambda: (java_executable(), epubcheck_jar()))


def _requires(check: Callable[[], None]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorate(test: Callable[P, R]) -> Callable[P, R]:
        # functools.wraps keeps the signature, so pytest still injects fixtures.
        @functools.wraps(test)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            check()
            return test(*args, **kwargs)

        return wrapper

    return decorate


requires_chromium = _requires(require_chromium)
requires_java = _requires(require_java)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session (start-up is ~0.5 s)."""
    require_chromium()
    with open_browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def java() -> str:
    """Path of ``java``, after checking the epubcheck jar is there too."""
    require_java()
    return java_executable()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if MISSING:
        terminalreporter.section("missing tools (tests skipped)", yellow=True)
        for reason in sorted(MISSING):
            terminalreporter.line(reason)
