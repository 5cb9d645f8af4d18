"""Where tasks run: here, one at a time; in local worker processes; or on a Dask cluster.

All three take the same tasks (``publish.tasks.Task``) and give back the same results, so the
pipeline does not know which one it drives. The pipeline hands a task over only when a slot
is free, which keeps its progress lines true ("starts" means starts) and lets it choose what
runs next. Local workers start with the first task, so a build with nothing to do starts none.
"""

from __future__ import annotations

import concurrent.futures
import gc
import importlib
import itertools
import multiprocessing
import os
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol

from publish import limits
from publish.errors import UsageError
from publish.renderer import Renderer, registered
from publish.tasks import Task, TaskResult, crashed, execute, over_budget, run, start_worker

if TYPE_CHECKING:
    from collections.abc import Mapping
    from multiprocessing.queues import SimpleQueue


class Executor(Protocol):
    slots: int  # how many tasks can run at once

    def submit(self, task: Task) -> None: ...

    def wait(self) -> list[TaskResult]:
        """Block until at least one submitted task is done; the results of all that are."""
        ...

    def close(self) -> None: ...


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def start(kind: str, jobs: int, renderers: Mapping[str, Renderer], scheduler: str | None = None) -> Executor:
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if kind == "local" and jobs == 1:
        return Serial(renderers)
    _check_installed(renderers)
    if kind == "local":
        return LocalPool(jobs, limits.DEFAULT.edition_seconds)
    if kind == "dask":
        return DaskCluster(scheduler, jobs)
    raise UsageError(f"unknown executor {kind!r}; choose 'local' or 'dask'")


def _check_installed(renderers: Mapping[str, Renderer]) -> None:
    """Workers find renderers by name among the installed ones, so only those can be sent."""
    installed = registered()
    for name, renderer in renderers.items():
        if name not in installed or type(installed[name]) is not type(renderer):
            raise UsageError(f"edition {name!r} is not an installed renderer; "
                             "worker processes can only build installed editions (use --jobs 1)")


class Serial:
    """In this process, one task at a time, with the renderer objects given (so a test can
    pass its own)."""

    slots = 1

    def __init__(self, renderers: Mapping[str, Renderer]) -> None:
        self._renderers = renderers
        self._queue: list[Task] = []

    def submit(self, task: Task) -> None:
        self._queue.append(task)

    def wait(self) -> list[TaskResult]:
        task = self._queue.pop(0)
        return [execute(task, self._renderers[task.edition])]

    def close(self) -> None:
        self._queue.clear()


class LocalPool:
    """Worker processes on this machine.

    Forked from this process while it has no other thread, so a worker starts at once with
    what this process has imported; each loads an edition's engine when it first renders one
    (``tasks.run``), so the first editions start without waiting for engines they do not use.
    A process with threads is never forked (a copied lock could be held forever): then
    workers are spawned.

    The pool keeps the time budget of each edition itself, from here. A worker says when an
    edition starts, once its engine is loaded, and the clock runs from then: waiting for a
    worker to start or to load an engine is not the edition's time (a worker that has not
    started an edition after ``limits.START_SECONDS`` is stuck: an internal error). An edition
    that runs past its budget is stopped by killing the workers (only a process can be stopped
    inside WeasyPrint's C code); the editions that were running beside it start again on new
    ones, each with a fresh clock. Workers then render in their own process, with no child
    per edition to fork.
    """

    def __init__(self, jobs: int, seconds: float | None) -> None:
        self.slots = jobs
        self.seconds = seconds
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._starts: SimpleQueue[tuple[int, float]] | None = None  # (mark, when it started), from the workers
        self._running: dict[concurrent.futures.Future[TaskResult], Task] = {}
        self._marks: dict[int, concurrent.futures.Future[TaskResult]] = {}  # the running tasks by their mark
        self._handed: dict[concurrent.futures.Future[TaskResult], float] = {}  # when each was handed over
        self._deadlines: dict[concurrent.futures.Future[TaskResult], float] = {}  # of the started ones
        self._next_mark = itertools.count()

    def submit(self, task: Task) -> None:
        if self._pool is None:
            forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            context = multiprocessing.get_context("fork" if forkable else "spawn")
            # A queue per pool: a killed worker may leave it half written, or its lock held.
            self._starts = context.SimpleQueue() if self.seconds is not None else None
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.slots, mp_context=context, initializer=start_worker, initargs=(self._starts,))
            # What this process holds now (modules, the plan) lives as long as the build: kept
            # out of every later collection, here and in the workers (see limits.frozen_heap).
            gc.freeze()
        self._submit(task)

    def _submit(self, task: Task) -> None:
        assert self._pool is not None
        mark = next(self._next_mark) if self._starts is not None else None
        try:
            future = self._pool.submit(run, task, False, mark)  # not contained: the budget is kept here
        except Exception as exc:  # a broken pool (a worker was killed) refuses new tasks
            failed: concurrent.futures.Future[TaskResult] = concurrent.futures.Future()
            failed.set_result(crashed(task, exc))
            self._running[failed] = task
            return
        self._running[future] = task
        if mark is not None:
            self._marks[mark] = future
            self._handed[future] = time.monotonic()

    def wait(self) -> list[TaskResult]:
        while True:
            self._read_starts()
            done = [future for future in self._running if future.done()]
            if done:
                for future in done:
                    self._handed.pop(future, None)
                    self._deadlines.pop(future, None)
                self._marks = {m: f for m, f in self._marks.items() if f not in done}
                return _collect(done, self._running)
            now = time.monotonic()
            overdue = [future for future, deadline in self._deadlines.items() if deadline <= now]
            stuck = [future for future, handed in self._handed.items()
                     if future not in self._deadlines and handed + limits.START_SECONDS <= now]
            if overdue or stuck:
                return self._stop(overdue, stuck)
            concurrent.futures.wait(self._running, timeout=self._timeout(now),
                                    return_when=concurrent.futures.FIRST_COMPLETED)

    def _read_starts(self) -> None:
        """Start the clock of each edition that a worker has said started, from the time the
        worker read (time.monotonic is one clock for the whole machine on Linux and macOS), so
        a late look from here gives no edition more or less time."""
        while self._starts is not None and self.seconds is not None and not self._starts.empty():
            mark, started = self._starts.get()
            future = self._marks.get(mark)
            if future is not None:
                self._deadlines[future] = started + self.seconds

    def _timeout(self, now: float) -> float | None:
        """How long to wait for a result: until the first deadline; and while a task has not
        said it started, no longer than a budget (an edition that starts meanwhile is looked at
        again before its own deadline) nor past the time it has to start."""
        if self.seconds is None:
            return None
        waits = [deadline - now for deadline in self._deadlines.values()]
        waits += [min(self.seconds, handed + limits.START_SECONDS - now)
                  for future, handed in self._handed.items() if future not in self._deadlines]
        return max(0.0, min(waits)) if waits else None

    def _stop(self, overdue: list[concurrent.futures.Future[TaskResult]],
              stuck: list[concurrent.futures.Future[TaskResult]]) -> list[TaskResult]:
        """Fail the overdue tasks and those whose worker never started them, kill every worker
        (which one runs which task is not known here), and start the other running tasks
        again on new workers."""
        assert self.seconds is not None and self._pool is not None
        results = [over_budget(self._running.pop(future), self.seconds) for future in overdue]
        not_started = TimeoutError(f"it did not start the edition within {limits.START_SECONDS:g} s")
        results += [crashed(self._running.pop(future), not_started) for future in stuck]
        again = list(self._running.values())
        workers: dict[int, multiprocessing.process.BaseProcess] = getattr(self._pool, "_processes", None) or {}
        for process in list(workers.values()):
            process.kill()
        self.close()
        for task in again:
            self.submit(task)
        return results

    def close(self) -> None:
        self._running.clear()
        self._marks.clear()
        self._handed.clear()
        self._deadlines.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._starts is not None:
            self._starts.close()
            self._starts = None


class DaskCluster:
    """Tasks sent to a Dask distributed scheduler (``--scheduler ADDRESS``), or to a local
    cluster of ``jobs`` single-threaded worker processes when no address is given.

    Workers must see the same paths as this process (the article folders, the output folder
    and the cache), and must be allowed child processes for the speech engine: start them with
    DASK_DISTRIBUTED__WORKER__DAEMON=False (the local cluster here does that itself).
    """

    def __init__(self, scheduler: str | None, jobs: int) -> None:
        try:  # an optional extra, untyped: reached through Any
            dask: Any = importlib.import_module("dask")
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise UsageError("the dask executor needs the optional extra: "
                             "pip install 'accessible-publish[dask]'") from None
        self._distributed = distributed
        self._cluster: Any = None
        self._client: Any = None
        if scheduler is None:
            with dask.config.set({"distributed.worker.daemon": False}):
                self._cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                                         dashboard_address=None)
        try:
            self._client = distributed.Client(scheduler or self._cluster)
        except OSError as exc:
            self.close()
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        self.slots = max(1, sum(self._client.nthreads().values()))
        self._running: dict[Any, Task] = {}

    def submit(self, task: Task) -> None:
        # pure=False: the same task twice (e.g. --force) must run twice, not be deduplicated
        self._running[self._client.submit(run, task, pure=False)] = task

    def wait(self) -> list[TaskResult]:
        done = self._distributed.wait(list(self._running), return_when="FIRST_COMPLETED").done
        return _collect(done, self._running)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _collect(done: Any, running: dict[Any, Task]) -> list[TaskResult]:
    """The results of finished futures (local or Dask alike), each taken out of ``running``."""
    results = []
    for future in done:
        task = running.pop(future)
        try:
            results.append(future.result())
        except Exception as exc:  # the worker died or the task could not be sent
            results.append(crashed(task, exc))
    return results
