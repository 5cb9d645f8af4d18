"""The build pipeline: find articles, decide which editions are out of date, render those (here
or in workers), then move the finished files into ``dist/<slug>/`` so a failed edition never
replaces the last good one, and write ``dist/index.html``, the page to download them from.

An edition is out of date when its key (``publish.inputs``: the article's files, the settings,
the renderer's code and packages, the results of the editions it uses) differs from the one
its manifest entry records, or when its published files no longer match their sha256. Each
edition is decided once the editions it uses are done, and up-to-date editions hand their
published files and recorded facts to those that use them, as if just built. Only this
process reads manifests and commits; workers only render into the article's staging folder.
"""

from __future__ import annotations

import heapq
import traceback
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from publish import __version__, executors, inputs, output
from publish.check import index
from publish.errors import SourceError, UsageError
from publish.model import Document, SourceWarning
from publish.reader import read_article, slug_of
from publish.renderer import Renderer, Rendition, Settings, ordered
from publish.tasks import Task, TaskResult


@dataclass
class EditionOutcome:
    name: str
    ok: bool
    seconds: float
    files: tuple[str, ...] = ()
    error: str = ""
    bad_input: bool = False  # the source was at fault, not the toolkit
    detail: str = ""  # the traceback of an internal failure, shown under --debug
    up_to_date: bool = False  # skipped: its published files are what a build would make
    worker: str = ""  # host:pid of the process that built it
    peak_rss_mb: float = 0.0  # that process's peak resident memory, and its speech engine's
    engine_rss_mb: float = 0.0


@dataclass
class ArticleOutcome:
    source: Path
    slug: str = ""
    error: SourceError | None = None  # the source cannot be read: the writer's to fix
    internal: str = ""  # the reader failed on it: the toolkit's bug, "internal error: ..."
    detail: str = ""  # that failure's traceback, shown under --debug
    editions: list[EditionOutcome] = field(default_factory=list)
    warnings: tuple[SourceWarning, ...] = ()  # weak but workable input, each with its place

    @property
    def ok(self) -> bool:
        return self.error is None and not self.internal and all(e.ok for e in self.editions)


# Called as (article, edition, None) when an edition starts and with its outcome when it ends
# (an up-to-date edition only ends, with ``up_to_date`` set).
Progress = Callable[[str, str, "EditionOutcome | None"], None]


@dataclass(frozen=True)
class Options:
    jobs: int = 1  # tasks at once; 1 builds in this process
    executor: str = "local"  # "local" (worker processes here) or "dask"
    scheduler: str | None = None  # a Dask scheduler's address; None starts a local cluster
    cache: Path | None = None  # reusable work such as synthesised speech; None: no cache
    force: bool = False  # rebuild every edition, up to date or not
    strict: bool = False  # a warning about the source is an error: nothing of that article is built


def find_articles(paths: Sequence[Path]) -> list[Path]:
    """The article sources named by the paths: a Markdown file of any name, an article folder
    (holding ``article.md``, or exactly one ``.md`` file) or a folder of article folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif (source := _source_in(path)) is not None:
            found.append(source)
        elif path.is_dir():
            inside = [s for folder in sorted(p for p in path.iterdir() if p.is_dir())
                      if (s := _source_in(folder)) is not None]
            if not inside:
                raise UsageError(f"{path}: no article here (expected {path}/<slug>/article.md)")
            found.extend(inside)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def _source_in(folder: Path) -> Path | None:
    """A folder's article: its ``article.md``, else its only Markdown file."""
    if (folder / "article.md").is_file():
        return folder / "article.md"
    if not folder.is_dir():
        return None
    markdown = [p for p in folder.glob("*.md") if p.is_file() and p.name.lower() not in ("readme.md", "license.md")]
    return markdown[0] if len(markdown) == 1 else None


def select(renderers: dict[str, Renderer], names: Sequence[str]) -> dict[str, Renderer]:
    """The editions to build, in dependency order; unknown names are a usage error."""
    unknown = [n for n in names if n not in renderers]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; installed: {', '.join(renderers)}")
    chosen = {n: renderers[n] for n in (names or renderers)}
    return {n: chosen[n] for n in ordered(chosen)}


def build(
    sources: Sequence[Path],
    renderers: dict[str, Renderer],
    out: Path,
    settings: Settings | None = None,
    progress: Progress | None = None,
    options: Options | None = None,
    executor: executors.Executor | None = None,
) -> list[ArticleOutcome]:
    """Build ``sources``; with ``executor`` (from ``executors.start``), on its workers, which
    stay up for the caller's next build (``publish watch``), else on workers of its own."""
    options = options or Options()
    sources = list(dict.fromkeys(sources))  # named twice, built once
    _refuse_shared_slugs(sources)
    # More workers than tasks there could be would only cost start-up time.
    jobs = min(options.jobs, max(1, len(sources) * len(renderers)))
    articles = [_Article(i, source, out) for i, source in enumerate(sources)]
    with _Scheduler(renderers, out, settings or Settings(), progress, options, jobs, executor) as scheduler:
        scheduler.run(articles)
    index.update_index(out)
    order = list(renderers)
    for article in articles:
        article.outcome.editions.sort(key=lambda e: order.index(e.name))
    return [article.outcome for article in articles]


def build_article(
    document: Document,
    renderers: dict[str, Renderer],
    out: Path,
    settings: Settings,
    progress: Progress | None = None,
    options: Options | None = None,
) -> list[EditionOutcome]:
    """Build one article already read (its source must still be where it was read from)."""
    article = _Article(0, Path(document.source), out)
    article.document = document
    with _Scheduler(renderers, out, settings, progress, options or Options(), 1) as scheduler:
        scheduler.run([article])
    index.update_index(out)
    return article.outcome.editions


def _refuse_shared_slugs(sources: Sequence[Path]) -> None:
    """Two articles with one slug would overwrite each other's editions in dist/<slug>/."""
    seen: dict[str, Path] = {}
    for source in sources:
        other = seen.setdefault(slug_of(source), source)
        if other != source:
            raise UsageError(f"{other} and {source} would both be published as {slug_of(source)}/; "
                             "rename one of the folders")


def article_info(document: Document) -> dict[str, Any]:
    """What the manifest says of the article itself, the warnings about its source included."""
    return {"slug": document.slug, "source": document.source, "title": document.meta.title,
            "lang": document.meta.lang, "generator": f"accessible-publish {__version__}",
            "warnings": [warning_entry(w) for w in document.warnings]}


def warning_entry(warning: SourceWarning) -> dict[str, Any]:
    return {"line": warning.line, "col": warning.col, "message": warning.message}


class _Article:
    """One article's progress through a build."""

    def __init__(self, index: int, source: Path, out: Path) -> None:
        self.index = index
        self.source = source
        self.slug = slug_of(source)
        self.outcome = ArticleOutcome(source, self.slug)
        self.published = output.current(out, self.slug)
        self.manifest = output.read_manifest(self.published)
        self.document: Document | None = None
        self.sources: dict[str, str] | None = None  # from the document, once read
        self.undecided: list[str] = []
        self.done: set[str] = set()  # built, failed or up to date
        self.results: dict[str, Rendition] = {}
        self.keys: dict[str, str] = {}
        self.built: dict[str, Rendition] = {}
        self.running = 0
        self.staging: Path | None = None
        self.stack = ExitStack()  # holds the staging folder until the article is committed


class _Scheduler:
    def __init__(self, renderers: dict[str, Renderer], out: Path, settings: Settings, progress: Progress | None,
                 options: Options, jobs: int, executor: executors.Executor | None = None) -> None:
        self.renderers = renderers
        # Absolute, as tasks may run in processes with another working folder (Dask workers).
        self.out = out.absolute()
        self.cache = options.cache.absolute() if options.cache else None
        self.settings = settings
        self.progress = progress or (lambda article, edition, outcome: None)
        self.options = options
        self.codes = inputs.code_fingerprints(renderers)
        self.hashes = inputs.Hashes()
        self.owns_executor = executor is None
        self.executor = executor or executors.start(options.executor, jobs, renderers, options.scheduler)
        # A local build's editions may also use threads, up to --jobs; a Dask worker has its own.
        self.threads = jobs if options.executor == "local" else 1
        self.ready: list[tuple[int, int, Task]] = []  # a heap: earlier articles first
        self.running = 0
        self.open: list[_Article] = []

    def __enter__(self) -> _Scheduler:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.owns_executor:
                self.executor.close()
        finally:
            for article in self.open:
                article.stack.close()

    def run(self, articles: list[_Article]) -> None:
        waiting = list(reversed(articles))
        while True:
            # Read and plan articles only as workers need tasks, so the first tasks start early
            # and a long build never holds every article's plan at once.
            while self.running < self.executor.slots and (self.ready or waiting):
                if self.ready:
                    self._submit(heapq.heappop(self.ready)[2])
                else:
                    self._plan(waiting.pop())
            if not self.running:
                return
            for result in self.executor.wait():
                self._finish(result)

    def _plan(self, article: _Article) -> None:
        self.open.append(article)
        article.undecided = list(self.renderers)
        self._advance(article)

    def _advance(self, article: _Article) -> None:
        """Decide every edition whose used editions are done: up to date, or a task."""
        for name in list(article.undecided):
            if not all(used in article.done for used in self.renderers[name].uses if used in self.renderers):
                continue
            article.undecided.remove(name)
            if self._up_to_date(article, name):
                continue
            if not self._read(article):
                article.undecided.clear()
                break
            self._queue(article, name)
        if not article.undecided and not article.running:
            self._commit(article)

    def _used(self, article: _Article, name: str) -> dict[str, Rendition]:
        return {used: article.results[used] for used in self.renderers[name].uses if used in article.results}

    def _key(self, article: _Article, name: str, sources: dict[str, str]) -> str:
        used = {u: inputs.result_digest(r, self.hashes) for u, r in self._used(article, name).items()}
        return inputs.edition_key(sources, self.settings, self.codes[name], used)

    def _up_to_date(self, article: _Article, name: str) -> bool:
        entry: dict[str, Any] = article.manifest["editions"].get(name) or {}
        record = entry.get("inputs")
        if self.options.force or not isinstance(record, dict) or article.published is None:
            return False
        if self.options.strict and entry.get("warnings"):
            return False  # built again, to fail on its warnings
        sources = article.sources or inputs.recorded_sources(record.get("sources"), article.source.parent,
                                                             self.hashes)
        if sources is None or self._key(article, name, sources) != record.get("key"):
            return False
        described = {str(f.get("name")): f.get("sha256") for f in entry.get("files") or [] if isinstance(f, dict)}
        if not described or any(Path(name).name != name for name in described):
            return False  # not a manifest this toolkit wrote
        files = [article.published / name for name in described]
        if any(self.hashes(path) != sha for path, sha in zip(files, described.values(), strict=True)):
            return False  # someone changed a published file: make it again
        recorded = tuple(SourceWarning(str(article.source), int(w.get("line", 1)), int(w.get("col", 1)),
                                       str(w.get("message", ""))) for w in entry.get("warnings") or []
                         if isinstance(w, dict))
        article.results[name] = Rendition(tuple(files), entry.get("facts") or {}, recorded)
        article.outcome.warnings = (*article.outcome.warnings, *recorded)  # told again, as when it was built
        article.done.add(name)
        outcome = EditionOutcome(name, True, 0.0, files=tuple(p.name for p in files), up_to_date=True)
        article.outcome.editions.append(outcome)
        self.progress(article.slug, name, outcome)
        return True

    def _read(self, article: _Article) -> bool:
        """Read the article (once, when an edition must be built); False if it is unreadable."""
        if article.outcome.error is not None or article.outcome.internal:
            return False
        if article.document is None:
            try:
                article.document = read_article(article.source)
                article.outcome.warnings = (*article.document.warnings, *article.outcome.warnings)
                if self.options.strict and article.document.warnings:
                    first = article.document.warnings[0]
                    raise SourceError(first.path, f"{first.message} (an error under --strict)", first.line, first.col)
            except SourceError as exc:
                article.outcome.error = exc
                return False
            except Exception as exc:  # a reader bug, not the writer's mistake: name the article, keep the traceback
                article.outcome.internal = f"internal error: {type(exc).__name__}: {exc}"
                article.outcome.detail = traceback.format_exc()
                return False
        if article.sources is None:
            article.sources = inputs.sources(article.document, self.hashes)
        return True

    def _queue(self, article: _Article, name: str) -> None:
        assert article.document is not None and article.sources is not None
        if article.staging is None:
            article.staging = article.stack.enter_context(output.staging(self.out, article.slug))
        folder = article.staging / name
        folder.mkdir()
        article.keys[name] = self._key(article, name, article.sources)
        article.running += 1
        task = Task(article.slug, name, article.document, folder, self.settings, self._used(article, name),
                    self.cache, self.threads)
        heapq.heappush(self.ready, (article.index, list(self.renderers).index(name), task))

    def _submit(self, task: Task) -> None:
        self.running += 1
        self.progress(task.slug, task.edition, None)
        self.executor.submit(task)

    def _finish(self, result: TaskResult) -> None:
        self.running -= 1
        article = next(a for a in self.open if a.slug == result.slug)  # slugs are unique in a build
        article.running -= 1
        article.done.add(result.edition)
        outcome = EditionOutcome(result.edition, result.rendition is not None, result.seconds, error=result.error,
                                 bad_input=result.bad_input, detail=result.detail, worker=result.worker,
                                 peak_rss_mb=result.peak_rss_mb, engine_rss_mb=result.engine_rss_mb)
        warnings = result.rendition.warnings if result.rendition is not None else ()
        if warnings and self.options.strict:  # the edition fails, as the article would on a warning of the reader
            first = warnings[0]
            error = SourceError(first.path, f"{first.message} (an error under --strict)", first.line, first.col)
            outcome.ok, outcome.error, outcome.bad_input = False, str(error), True
            result = replace(result, rendition=None)
        elif warnings:
            article.outcome.warnings = (*article.outcome.warnings, *warnings)
        if result.rendition is not None:
            article.results[result.edition] = article.built[result.edition] = result.rendition
            outcome.files = tuple(p.name for p in result.rendition.files)
        article.outcome.editions.append(outcome)
        self.progress(article.slug, result.edition, outcome)
        self._advance(article)

    def _commit(self, article: _Article) -> None:
        """Publish what was built (nothing to do if every edition was up to date)."""
        try:
            if article.built:
                assert article.document is not None
                editions = {name: output.Edition(r.files, r.facts,
                                                 inputs={"key": article.keys[name], "sources": article.sources},
                                                 warnings=tuple(warning_entry(w) for w in r.warnings))
                            for name, r in article.built.items()}
                output.commit(self.out, article.slug, editions, article_info(article.document))
        finally:
            article.stack.close()
            self.open.remove(article)
