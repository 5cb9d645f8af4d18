"""The checker Protocol, the article a checker looks at, and the registry of checks.

A check is a small object registered in the entry-point group ``publish.checks``, like the
renderers in ``publish.formats``, so a third-party edition brings its own checks::

    [project.entry-points."publish.checks"]
    braille-table = "my_package.checks:BrailleTableCheck"

    class BrailleTableCheck:
        name = "braille-table"
        edition = "braille"            # runs only where this edition was built
        description = "Every table has a transcriber's note"

        def check(self, article: BuiltArticle) -> list[Finding]:
            brf = article.file("braille", ".brf")
            ...

Three optional attributes: ``title``, a heading for the report ("Chapters"; default: the name);
``concurrent = True`` when it uses no browser and is thread-safe
(epubcheck, PDF and audio checks, parity), so that it runs in a thread beside the browser checks,
which share one Chromium and run one at a time; and ``needs``, functions that raise
``ToolMissing`` when a program or package the check needs is not installed
(``(java_executable, epubcheck_jar)``), called before the check runs, and by ``publish check``
before any check runs, so that it says first what to install.

``check`` returns findings (``publish.check.findings.Finding``); an empty list counts as a
pass with nothing to say, so a check should return one ``ok`` finding saying what it
verified. A missing external program or package (``ToolMissing``, from ``needs`` or from the
check itself) makes the check "not run", naming what to install: it says nothing about the
edition, but nothing verified it either. Any other exception is reported as a failed check,
never as a traceback.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, runtime_checkable

from publish.check.findings import Finding, ToolMissing
from publish.errors import SourceError
from publish.model import Document

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ENTRY_POINT_GROUP = "publish.checks"
T = TypeVar("T")


@runtime_checkable
class Checker(Protocol):
    name: str  # unique, e.g. "pdf-ua" or "parity-epub"
    edition: str  # the edition it checks (a renderer's name), e.g. "epub"
    description: str  # one line for reports: what passing means

    def check(self, article: BuiltArticle) -> list[Finding]: ...


class SourceUnavailable(RuntimeError):
    """The article's source cannot be read again (moved, deleted or now invalid)."""


class Tools:
    """What the checks of one run share: one headless Chromium, a scratch folder and a memo.

    The browser starts on first use and closes when the run ends; if Chromium is missing,
    every browser check gets the same ToolMissing.
    """

    def __init__(self, stack: ExitStack, scratch: Path, browser: Browser | None = None) -> None:
        self._stack = stack
        self.scratch = scratch
        self._browser: Browser | None = browser
        self._browser_error: ToolMissing | None = None

    def browser(self) -> Browser:
        if self._browser_error is not None:
            raise self._browser_error
        if self._browser is None:
            from publish.check.browser import open_browser

            try:
                self._browser = self._stack.enter_context(open_browser())
            except ToolMissing as err:
                self._browser_error = err
                raise
        return self._browser


@contextmanager
def tools(browser: Browser | None = None) -> Iterator[Tools]:
    """The shared tools for one ``publish check`` run (``browser``: use this one, e.g. a test's)."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="publish-check-") as tmp:
        yield Tools(stack, Path(tmp), browser)


@dataclass
class BuiltArticle:
    """A published article as the checks see it: ``dist/<slug>`` and its manifest.

    ``folder`` is the version folder ``dist/<slug>`` pointed at when the run started, so all
    checks of a run look at the same files even if a build publishes a new version meanwhile.
    """

    slug: str
    dist: Path  # the output folder holding dist/<slug>
    folder: Path  # the version folder dist/<slug> pointed at
    manifest: Mapping[str, Any]
    tools: Tools
    root: Path = Path(".")  # where relative source paths are resolved first (the working folder)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def editions(self) -> tuple[str, ...]:
        return tuple(sorted(self.manifest.get("editions", {})))

    def has(self, edition: str) -> bool:
        return edition in self.manifest.get("editions", {})

    def files(self, edition: str) -> list[Path]:
        entry = self.manifest.get("editions", {}).get(edition, {})
        return [self.folder / f["name"] for f in entry.get("files", [])]

    def file(self, edition: str, suffix: str) -> Path:
        """The edition's file whose name ends in ``suffix``; FileNotFoundError if there is none."""
        for path in self.files(edition):
            if path.name.endswith(suffix):
                if not path.is_file():
                    raise FileNotFoundError(f"{path.name} is listed in manifest.json but missing")
                return path
        raise FileNotFoundError(f"the {edition} edition has no *{suffix} file")

    def facts(self, edition: str) -> Mapping[str, Any]:
        entry = self.manifest.get("editions", {}).get(edition, {})
        return cast(Mapping[str, Any], entry.get("facts", {}))

    @property
    def title(self) -> str:
        return str(self.manifest.get("title") or self.slug)

    def scratch(self, name: str) -> Path:
        """A private folder for this article under the run's temporary folder."""
        folder = self.tools.scratch / self.slug / re.sub(r"[^\w.-]", "_", name)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """``make()`` once per article and run: share derived data (an unpacked EPUB, decoded
        audio) between checks, also across threads. A failure is remembered and raised again
        to every caller."""
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memo:
                try:
                    self._memo[key] = (True, make())
                except Exception as exc:  # re-raised to each caller below
                    self._memo[key] = (False, exc)
            ok, value = self._memo[key]
        if not ok:
            raise value
        return cast(T, value)

    def source_path(self) -> Path:
        """The article.md it was built from (manifest "source"), if it still exists."""
        source = str(self.manifest.get("source") or "")
        if not source:
            raise SourceUnavailable("manifest.json does not name the source")
        path = Path(source)
        candidates = [path] if path.is_absolute() else [self.root / path, self.dist.parent / path]
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        raise SourceUnavailable(f"the source {source} is not there any more (looked in "
                                + ", ".join(str(c.parent) for c in candidates) + ")")

    def document(self) -> Document:
        """The source re-read with ``publish.reader.read_article`` (once per run)."""
        def read() -> Document:
            from publish.reader import read_article

            path = self.source_path()
            try:
                return read_article(path)
            except SourceError as exc:
                raise SourceUnavailable(f"the source no longer reads: {exc}") from exc

        return self.memo("document", read)


def registered() -> dict[str, Checker]:
    """Every installed check by name, sorted by edition then name."""
    found: dict[str, Checker] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        loaded = ep.load()
        checker = loaded() if isinstance(loaded, type) else loaded
        if not isinstance(checker, Checker):
            raise TypeError(f"entry point {ep.name} ({ep.value}) does not provide a Checker")
        found[checker.name] = checker
    return dict(sorted(found.items(), key=lambda item: (item[1].edition, item[0])))
