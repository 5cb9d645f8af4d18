"""One article x edition, rendered: the unit of work that runs here, in a worker process or on
a Dask worker. Everything a task carries is picklable and the result comes back as data, so
the same task runs unchanged wherever it is sent (the file system must be shared: the task
reads the article's folder and writes into the build's private staging folder)."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import socket
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publish import limits
from publish.errors import SourceError
from publish.model import Document
from publish.renderer import RenderContext, Renderer, Rendition, Settings, registered, warm_up

if TYPE_CHECKING:
    from multiprocessing.queues import SimpleQueue


@dataclass(frozen=True)
class Task:
    slug: str
    edition: str
    document: Document
    out_dir: Path  # the edition's own empty folder inside the article's staging folder
    settings: Settings
    results: Mapping[str, Rendition]  # of the editions it uses, built or up to date
    cache_dir: Path | None = None
    threads: int = 1  # see RenderContext.threads


@dataclass(frozen=True)
class TaskResult:
    slug: str
    edition: str
    rendition: Rendition | None  # None when the edition failed
    seconds: float
    error: str = ""
    bad_input: bool = False  # the source was at fault, not the toolkit
    detail: str = ""  # the traceback of an internal failure
    worker: str = ""  # host:pid of the process that did the work
    peak_rss_mb: float = 0.0  # that process's peak resident memory so far, or its edition processes'
    engine_rss_mb: float = 0.0  # the largest of its finished child processes (the speech engine)


def execute(task: Task, renderer: Renderer, seconds: float | None = None) -> TaskResult:
    """Render one edition, within ``seconds`` if given; a failure becomes a result, never an exception."""
    started = time.perf_counter()
    context = RenderContext(out_dir=task.out_dir, article_dir=Path(task.document.figures_dir),
                            settings=task.settings, results=task.results, cache_dir=task.cache_dir,
                            threads=task.threads)

    def result(rendition: Rendition | None = None, error: str = "", bad_input: bool = False,
               detail: str = "") -> TaskResult:
        # This process, or the largest child it forked to render an edition in (a budget child)
        own = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024
        return TaskResult(task.slug, task.edition, rendition, time.perf_counter() - started, error, bad_input,
                          detail, worker=f"{socket.gethostname()}:{os.getpid()}", peak_rss_mb=round(own, 1),
                          engine_rss_mb=round(_children_peak_mb(), 1))

    try:
        rendition = limits.render_within(seconds, renderer, task.document, context)
        _check_inside(rendition, task.out_dir)
    except SourceError as exc:
        return result(error=str(exc), bad_input=True)
    except Exception as exc:  # a renderer's bug must not take the other editions down
        return result(error=f"internal error: {type(exc).__name__}: {exc}", detail=traceback.format_exc())
    # Facts as the manifest will hold them, so an edition using this one sees the same facts
    # whether it was built now or is up to date (and read back from the manifest).
    facts = json.loads(json.dumps(rendition.facts, default=str))
    return result(Rendition(rendition.files, facts, tuple(rendition.warnings)))


_installed: dict[str, Renderer] = {}

# Where a local pool's worker says when a task starts (see executors.LocalPool).
_starts: list[SimpleQueue[tuple[int, float]]] = []


def start_worker(starts: SimpleQueue[tuple[int, float]] | None = None) -> None:
    """A pool worker's initializer: it ends with the build, and leaves Ctrl-C to the build,
    which stops its workers itself (else each would print a KeyboardInterrupt traceback)."""
    limits.exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _starts[:] = [starts] if starts is not None else []


_warm: set[str] = set()


def run(task: Task, contained: bool = True, mark: int | None = None) -> TaskResult:
    """A task in a worker: the renderer is looked up by name among the installed editions,
    never pickled (a renderer object need not be picklable; its entry point is).

    ``contained``: in a child process with the edition time budget, so a pathological source
    cannot hold a worker forever, unless the renderer says it needs none; not contained, the
    caller keeps the time (the local pool does, and spares every edition a fork). The worker
    loads an edition's engine itself the first time (``warm_up``), so every later edition of
    that kind starts with it loaded, in this process or in a fork of it. ``mark``: the pool's
    number for the task, sent with the time the edition starts, once its engine is loaded,
    so that the pool's clock counts the edition's own running time only."""
    if not _installed:
        _installed.update(registered())
    if task.edition not in _warm:
        _warm.add(task.edition)
        warm_up(_installed[task.edition])
    renderer = _installed[task.edition]
    if mark is not None and _starts:
        _starts[0].put((mark, time.monotonic()))
    budget = contained and getattr(renderer, "needs_time_budget", True)
    return execute(task, renderer, limits.DEFAULT.edition_seconds if budget else None)


def over_budget(task: Task, seconds: float) -> TaskResult:
    """The result of a task stopped for running past the time budget of one edition."""
    error = limits.over_budget(task.document.source, task.edition, seconds)
    return TaskResult(task.slug, task.edition, None, seconds, error=str(error), bad_input=True)


def crashed(task: Task, exc: BaseException) -> TaskResult:
    """The result of a task whose worker died or could not run it."""
    return TaskResult(task.slug, task.edition, None, 0.0,
                      error=f"internal error: the worker failed: {type(exc).__name__}: {exc}",
                      detail="".join(traceback.format_exception(exc)))


def _children_peak_mb() -> float:
    """The largest peak RSS among this process's live children (the speech engine kept for
    the next article), from Linux's /proc; 0 elsewhere. Not getrusage(RUSAGE_CHILDREN): it
    only counts children already gone, and counts a forked child's inherited pages."""
    try:
        listed = " ".join(p.read_text() for p in Path(f"/proc/{os.getpid()}/task").glob("*/children"))
    except OSError:
        return 0.0
    peak = 0.0
    for pid in listed.split():
        try:
            found = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
        except OSError:
            continue  # gone meanwhile
        if found:
            peak = max(peak, int(found.group(1)) / 1024)
    return peak


def _check_inside(rendition: Rendition, folder: Path) -> None:
    for path in rendition.files:
        if path.parent != folder or not path.is_file():
            raise RuntimeError(f"renderer reported {path}, which is not a file it wrote in {folder}")
