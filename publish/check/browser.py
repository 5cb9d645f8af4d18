"""One way to start the headless Chromium every browser check uses.

Playwright drives the distribution's Chromium (``/usr/bin/chromium``) through
``executable_path``: a browser downloaded by ``playwright install`` is
neither reproducible nor allowed on the build machines.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from publish.check.findings import CHECK_EXTRA, ToolMissing

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ENV = "PUBLISH_CHROMIUM"
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium (or set PUBLISH_CHROMIUM)"
CHROMIUM_ARGS = (
    # Containers run as root without user namespaces.
    "--no-sandbox",
    "--disable-gpu",
    # Checks must be hermetic and quick: no background traffic of any kind.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Docker's default 64 MB /dev/shm crashes renderers on long pages.
    "--disable-dev-shm-usage",
)


def chromium_executable() -> Path:
    """$PUBLISH_CHROMIUM or /usr/bin/chromium, else ToolMissing."""
    configured = os.environ.get(CHROMIUM_ENV, "").strip()
    path = Path(configured) if configured else DEFAULT_CHROMIUM
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise ToolMissing(f"chromium at {path}", CHROMIUM_INSTALL)
    return path


def playwright_package() -> None:
    """Playwright, which drives Chromium, is importable (the [check] extra), else ToolMissing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        raise ToolMissing("playwright", CHECK_EXTRA) from err


class _Driver(threading.local):
    """This thread's Playwright driver and how many open_browser() use it."""

    playwright: Playwright | None = None
    users: int = 0


_driver = _Driver()


@contextmanager
def open_browser() -> Iterator[Browser]:
    """A headless Chromium for the duration of the ``with`` block.

    Nested calls share one Playwright driver: a second ``sync_playwright()``
    in the same thread fails ("Sync API inside the asyncio loop"), so a
    checker that opens its own browser would otherwise break whenever its
    caller (or a test fixture) already holds one. Playwright's sync API
    cannot run inside a running asyncio event loop at all.
    """
    executable = chromium_executable()
    playwright_package()
    from playwright.sync_api import sync_playwright

    if _driver.playwright is None:
        _driver.playwright = sync_playwright().start()
    _driver.users += 1
    try:
        browser = _driver.playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        _driver.users -= 1
        if _driver.users == 0:
            _driver.playwright.stop()
            _driver.playwright = None


def new_context(browser: Browser, width: int, height: int = 900) -> BrowserContext:
    """A context that cannot reach the network, so a page under test that
    references remote assets fails visibly instead of depending on them."""
    return browser.new_context(viewport={"width": width, "height": height}, offline=True)


def file_url(path: Path) -> str:
    """``file://`` URL; Chromium picks the MIME type from the extension, so
    ``.xhtml`` loads as application/xhtml+xml (XML parser, as in a reader)."""
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(path)
    return path.as_uri()
