"""What one article may cost: source size, nesting, references, images, and time per edition.

A hostile or broken source must end in one clear error, not exhaust the build machine's memory,
stack or patience. The bounds live here so the reader, the asset checks and the pipeline share
them, and a command-line option can change one without touching the code that enforces it.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from publish.errors import SourceError

if TYPE_CHECKING:
    from publish.model import Document
    from publish.renderer import RenderContext, Renderer, Rendition

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Bounds on one article; the defaults admit any real article many times over."""

    max_bytes: int = 10_000_000  # the article.md file
    max_depth: int = 20  # lists and quotes inside each other; emphasis and links inside each other
    max_references: int = 2_000
    max_image_bytes: int = 20_000_000
    max_image_pixels: int = 40_000_000  # width x height; a 2 kB PNG can claim billions (a "bomb")
    edition_seconds: float | None = 600.0  # wall clock per edition; None for no limit


DEFAULT = Limits()

# How long a process may take to begin an edition or a call (to start, import what the call
# needs, load an engine) before it counts as stuck: not the source's time, so not the budget's.
# Seconds on a loaded machine; ten times that is a process that will never start.
START_SECONDS = 120.0


class TimeBudgetExceeded(Exception):
    """A call took longer than its budget; its process (and every process it started) is gone."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"took longer than {seconds:g} s")


class _RemoteTraceback(Exception):
    """The child's traceback as text, chained as the cause so ``--debug`` shows where it failed."""

    def __str__(self) -> str:
        return str(self.args[0])


def call_within(seconds: float | None, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)``, run in a child process that is killed after ``seconds``.

    A child, not a thread or an alarm: only a process can be stopped at any point (inside
    WeasyPrint's C code, say) and gives back all its memory. The child leads a process group of
    its own, so the helpers it starts (the speech engine's worker) are killed with it; and it
    kills that group itself if this process dies, so a killed build leaves nothing running.
    The result, or the exception, comes back pickled; files the child wrote stay where it wrote
    them. With ``seconds`` None the call runs here, with no child at all.

    The clock starts when the child calls ``fn``: starting it (a fork server, the first time)
    and importing what ``fn`` needs are not the call's time; they may take ``START_SECONDS``.
    """
    if seconds is None:
        return fn(*args, **kwargs)
    context: Any = multiprocessing.get_context(_start_method())  # typeshed's BaseContext lacks Process
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, os.getpid(), fn, args, kwargs), name="publish-budget")
    with frozen_heap():
        child.start()
    sender.close()  # ours closed, the pipe reports end-of-file if the child dies without answering
    answer: tuple[bool, Any, str] | None = None
    try:
        _own_group(child.pid)
        if not receiver.poll(START_SECONDS):
            raise RuntimeError(f"the worker process did not start within {START_SECONDS:g} s")
        with contextlib.suppress(EOFError):  # the child died without answering
            receiver.recv_bytes()  # the call starts
            if not receiver.poll(seconds):
                raise TimeBudgetExceeded(seconds)
            answer = receiver.recv()
        # Let the child finish exiting (it has answered) before its group is cleared below.
        wait([child.sentinel], timeout=5)
    finally:
        _kill_group(child.pid)  # before join(): an unreaped child keeps its pid, so the group is still ours
        child.kill()  # in case it had no time to make its group (a fork server's child is not ours to move)
        child.join()
        receiver.close()
    if answer is None:
        raise RuntimeError(f"the worker process died without an answer (exit code {child.exitcode})")
    ok, value, remote = answer
    if ok:
        return value  # type: ignore[no-any-return]
    value.__cause__ = _RemoteTraceback(remote)
    raise value


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Around a fork: what this process holds stays out of the child's garbage collections,
    whose passes over every object would copy the pages the fork shares (and find nothing:
    none of it is the child's garbage). This process collects as before once it has forked."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _start_method() -> str:
    # fork is fast and keeps whatever the caller has loaded (a plug-in's renderer, a test's);
    # forking a process with other threads can deadlock the child, so then a fork server does it.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _own_group(pid: int | None) -> None:
    """Put the child in its own process group from this side too: whichever of the two runs
    first, the group exists before anyone signals it."""
    with contextlib.suppress(OSError, AttributeError):  # it already did (or has exited); or not POSIX
        os.setpgid(pid or 0, pid or 0)


def _kill_group(pid: int | None) -> None:
    if pid is None or not hasattr(os, "killpg"):
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def process_running(pid: int) -> bool:
    """Whether a process runs; a killed one that its own parent has not reaped yet does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):  # no /proc (not Linux): the signal test is all there is
        return True


def _child(sender: Connection, parent: int, fn: Callable[..., Any], args: tuple[Any, ...],
           kwargs: dict[str, Any]) -> None:
    _own_group(None)
    exit_with_parent(parent, group=True)
    sender.send_bytes(b"")  # the parent's clock starts
    try:
        payload: tuple[bool, Any, str] = (True, fn(*args, **kwargs), "")
    except BaseException as exc:
        payload = (False, exc, traceback.format_exc())
    try:
        data = pickle.dumps(payload)
    except Exception as exc:  # a result or an exception that cannot cross processes
        what = payload[1] if not payload[0] else exc
        payload = (False, RuntimeError(f"{type(what).__name__}: {what}"), payload[2] or traceback.format_exc())
        data = pickle.dumps(payload)
    sender.send_bytes(data)
    sender.close()


def exit_with_parent(parent: int | None = None, *, group: bool = False) -> None:
    """End this process (with ``group``, its whole process group) once ``parent`` is gone.

    For worker processes: a SIGKILLed build cannot tell its workers to stop, and a pool worker
    waits for its next task forever (it holds both ends of its task queue, so it never sees the
    parent close it). Usable as a pool's ``initializer``; ``parent`` defaults to the current one.
    """
    watched = os.getppid() if parent is None else parent
    if parent is None and not group and _killed_with_parent(watched):
        return

    def watch() -> None:
        # By pid, not by getppid(): a child made by a fork server is the server's, not the caller's.
        while process_running(watched):
            time.sleep(0.2)
        if group:
            _kill_group(os.getpgid(0))
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _killed_with_parent(parent: int) -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where it cannot.

    Better than a watching thread where it works: a process without threads can fork, so what
    a pool worker starts (a budget child, the speech engine's worker) starts as a fork of it,
    with everything it has imported, rather than importing it all again.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):  # not Linux
        return False
    if os.getppid() != parent:  # it ended before we asked
        os._exit(1)
    return True


_PR_SET_PDEATHSIG = 1


def render_within(seconds: float | None, renderer: Renderer, document: Document, context: RenderContext) -> Rendition:
    """``renderer.render(document, context)`` within the time budget of one edition.

    Running out of time is reported as the source's doing (exit code 2), located at the
    article: an article that needs more than the budget is too large for this build, and the
    renderer itself did nothing wrong.
    """
    try:
        return call_within(seconds, renderer.render, document, context)
    except TimeBudgetExceeded as exc:
        raise over_budget(document.source, renderer.name, exc.seconds) from None


def over_budget(source: str, edition: str, seconds: float) -> SourceError:
    return SourceError(source, f"the {edition} edition took longer than {seconds:g} s, the limit for one edition; "
                       "is the article unusually large?")
