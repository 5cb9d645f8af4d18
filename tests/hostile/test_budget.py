"""The time budget of an edition (publish.limits.call_within / render_within) and the watch that
ends worker processes with their build (exit_with_parent)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import publish.limits
from publish.errors import SourceError
from publish.limits import TimeBudgetExceeded, call_within, render_within
from publish.model import Document
from publish.reader import read_article
from publish.renderer import RenderContext, Rendition
from tests.hostile.support import article


def running(pid: int) -> bool:
    """Whether a process runs (a zombie waiting to be reaped does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_gone(pid: int, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running(pid)


# Module-level, so that any start method can find them.
def add(a: int, b: int) -> int:
    return a + b


def fail_with_source_error(path: str) -> None:
    raise SourceError(path, "a located problem", 3, 4)


def fail_with_bug() -> None:
    raise KeyError("internal")


def die() -> None:
    os._exit(3)  # as a crash in C code would: no answer, no exception


def unpicklable() -> object:
    return lambda: None


def sleep_with_a_helper(pid_file: str, seconds: float) -> None:
    """Starts a helper process (as the speech engine would), records both pids, then sleeps."""
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    # Written whole under another name, then renamed: a reader never sees it half written.
    Path(f"{pid_file}.part").write_text(f"{os.getpid()} {helper.pid}")
    os.replace(f"{pid_file}.part", pid_file)
    time.sleep(seconds)


@pytest.fixture(autouse=True, params=["fork", "forkserver"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test with both ways of starting the child: fork (a single-threaded caller) and a fork
    server (what a caller with threads, a browser's say, gets)."""
    monkeypatch.setattr(publish.limits, "_start_method", lambda: request.param)
    return str(request.param)


def test_the_result_comes_back() -> None:
    assert call_within(30, add, 2, b=3) == 5
    assert call_within(None, add, 2, 3) == 5  # no budget: no child at all


def test_a_source_error_comes_back_whole() -> None:
    with pytest.raises(SourceError) as info:
        call_within(30, fail_with_source_error, "/a/article.md")
    assert str(info.value) == "/a/article.md:3:4: a located problem"
    assert info.value.line == 3 and info.value.col == 4


def test_an_internal_error_comes_back_with_the_child_traceback() -> None:
    with pytest.raises(KeyError) as info:
        call_within(30, fail_with_bug)
    assert "fail_with_bug" in str(info.value.__cause__)  # shown under --debug


def test_an_unpicklable_result_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match=r"PicklingError|AttributeError|pickle"):
        call_within(30, unpicklable)


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match=r"^the worker process died without an answer \(exit code 3\)$"):
        call_within(30, die)


def test_over_budget_the_child_and_its_helpers_are_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    with pytest.raises(TimeBudgetExceeded, match=r"took longer than 1 s"):
        call_within(1, sleep_with_a_helper, str(pid_file), 60)
    # Stopped at the budget, not after the 60 s sleep: timed from when the call had started
    # (the pids written), as a fork server's child may take seconds to start on a busy machine.
    assert time.time() - pid_file.stat().st_mtime < 5
    child, helper = (int(p) for p in pid_file.read_text().split())
    assert wait_gone(child) and wait_gone(helper)


class SlowToArrive:
    """Takes ``seconds`` to unpickle: a child that is sent one (a fork server's; a forked
    child inherits its arguments) starts that much later, as when it imports a heavy engine."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __reduce__(self) -> tuple[Any, tuple[float]]:
        return arrive_slowly, (self.seconds,)


def arrive_slowly(seconds: float) -> SlowToArrive:
    time.sleep(seconds)
    return SlowToArrive(seconds)


def seconds_of(thing: SlowToArrive) -> float:
    return thing.seconds


def test_the_budget_runs_from_when_the_call_starts() -> None:
    """Starting the child is not the call's time: 1.5 s to start, then a quick call, fits a 1 s budget."""
    assert call_within(1, seconds_of, SlowToArrive(1.5)) == 1.5


def test_a_child_that_never_starts_the_call_is_an_error(start_method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if start_method == "fork":
        pytest.skip("a forked child inherits its arguments: it starts at once")
    monkeypatch.setattr(publish.limits, "START_SECONDS", 0.5)
    with pytest.raises(RuntimeError, match=r"^the worker process did not start within 0.5 s$"):
        call_within(30, seconds_of, SlowToArrive(30))


class SlowRenderer:
    name = "slow"
    description = "sleeps"
    suffixes = (".txt",)
    media_type = "text/plain"
    uses: tuple[str, ...] = ()

    def render(self, document: Document, context: RenderContext) -> Rendition:
        time.sleep(30)
        raise AssertionError("not reached")


class QuickRenderer(SlowRenderer):
    def render(self, document: Document, context: RenderContext) -> Rendition:
        out = context.out_dir / f"{document.slug}{self.suffixes[0]}"
        out.write_text(document.meta.title, encoding="utf-8")  # written in the child, seen here
        return Rendition(files=(out,), facts={"pid": os.getpid()})


def test_render_within_reports_the_article(tmp_path: Path) -> None:
    document = read_article(article(tmp_path / "art"))
    context = RenderContext(out_dir=tmp_path, article_dir=tmp_path / "art")
    with pytest.raises(SourceError) as info:
        render_within(0.5, SlowRenderer(), document, context)
    assert str(info.value) == (f"{document.source}: the slow edition took longer than 0.5 s, the limit for one "
                               "edition; is the article unusually large?")
    rendition = render_within(30, QuickRenderer(), document, context)
    assert rendition.files[0].read_text(encoding="utf-8") == "A Test Article"
    assert rendition.facts["pid"] != os.getpid()


def test_a_killed_caller_takes_its_child_along(tmp_path: Path, start_method: str) -> None:
    """SIGKILL the process that called call_within: the child (and its helper) end too."""
    pid_file = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        import publish.limits
        from tests.hostile.test_budget import sleep_with_a_helper
        if __name__ == "__main__":
            publish.limits._start_method = lambda: {start_method!r}
            publish.limits.call_within(600, sleep_with_a_helper, {str(pid_file)!r}, 600)
    """)
    (tmp_path / "caller.py").write_text(script)
    caller = subprocess.Popen([sys.executable, str(tmp_path / "caller.py")])
    deadline = time.monotonic() + 30
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    child, helper = (int(p) for p in pid_file.read_text().split())
    caller.send_signal(signal.SIGKILL)
    caller.wait()
    assert wait_gone(child) and wait_gone(helper)


def test_pool_workers_end_with_a_killed_build(tmp_path: Path) -> None:
    """What the local executor's worker pool gets from initializer=exit_with_parent."""
    pid_file = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import concurrent.futures, multiprocessing, os, pathlib, time
        from publish.limits import exit_with_parent

        def pid() -> int:
            time.sleep(0.2)
            return os.getpid()

        if __name__ == "__main__":
            pool = concurrent.futures.ProcessPoolExecutor(
                2, mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent)
            pids = {{pool.submit(pid).result() for _ in range(4)}}
            pathlib.Path({str(pid_file)!r}).write_text(" ".join(map(str, pids)))
            time.sleep(600)
    """)
    (tmp_path / "build.py").write_text(script)
    caller = subprocess.Popen([sys.executable, str(tmp_path / "build.py")])
    deadline = time.monotonic() + 60
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p) for p in pid_file.read_text().split()]
    assert workers
    caller.send_signal(signal.SIGKILL)
    caller.wait()
    assert all(wait_gone(worker) for worker in workers)


class SlowFirstTime(QuickRenderer):
    """Sleeps through its first attempt, leaving a mark; quick once the mark is there."""

    def render(self, document: Document, context: RenderContext) -> Rendition:
        mark = Path(document.source).parent / "tried"
        if not mark.exists():
            mark.touch()
            time.sleep(30)
        return super().render(document, context)


def started_at(folder: Path, name: str) -> float | None:
    """When the edition ``name`` said it started (time.monotonic, one clock for all processes)."""
    with contextlib.suppress(FileNotFoundError):
        return float((folder / f"{name}.started").read_text())
    return None


def say_started(folder: Path, name: str) -> None:
    note = folder / f"{name}.started.part"
    note.write_text(repr(time.monotonic()))
    note.replace(folder / f"{name}.started")  # whole or absent for a reader in another process


class SlowAndSays(SlowRenderer):
    def render(self, document: Document, context: RenderContext) -> Rendition:
        say_started(Path(document.source).parent, self.name)
        return super().render(document, context)


class QuickHalfwayThroughTheSlowOne(QuickRenderer):
    """Done once the slow edition has used half its budget: the worker is then free for the
    next edition, whose own budget therefore ends half a budget after the slow one's, a margin
    for the build process's lateness in noticing the first deadline that no machine is slow
    enough to use up."""

    def render(self, document: Document, context: RenderContext) -> Rendition:
        budget = publish.limits.DEFAULT.edition_seconds
        assert budget is not None
        while (slow := started_at(Path(document.source).parent, "a-slow")) is None:
            time.sleep(0.01)
        time.sleep(max(0.0, slow + budget / 2 - time.monotonic()))
        return super().render(document, context)


class SlowToWarmUp(QuickRenderer):
    """Loads its engine for longer than the whole budget of an edition, then renders at once."""

    def warm_up(self) -> None:
        budget = publish.limits.DEFAULT.edition_seconds
        assert budget is not None
        time.sleep(budget * 1.5)


def build_in_a_pool(folder: str, seconds: float, *renderers: Any) -> None:
    """In a fresh process (see below): a parallel build of ``renderers``, each as its name
    says, within ``seconds`` per edition; prints {edition: [ok, bad_input, error]}."""
    import json

    import publish.executors
    import publish.tasks
    from publish.build import Options, build
    from publish.limits import Limits

    by_name: dict[str, Any] = {r.name: r for r in renderers}
    # Workers are forked from this thread-free process, so they see these too.
    publish.limits.DEFAULT = Limits(edition_seconds=seconds)
    publish.executors.registered = lambda: by_name
    publish.tasks.registered = lambda: by_name
    (outcome,) = build([article(Path(folder) / "art")], dict(by_name), Path(folder) / "dist",
                       options=Options(jobs=2))
    print(json.dumps({e.name: [e.ok, e.bad_input, e.error] for e in outcome.editions}))


def named(renderer: Any, name: str) -> Any:
    renderer.name = name
    renderer.suffixes = (f".{name}.txt",)
    return renderer


def build_with_a_slow_edition(folder: str) -> None:
    build_in_a_pool(folder, 2.0, named(SlowAndSays(), "a-slow"), named(QuickHalfwayThroughTheSlowOne(), "b-quick"),
                    named(SlowFirstTime(), "c-again"))


def build_with_a_slow_warm_up(folder: str) -> None:
    # Two editions, or the build would not start a pool for one task.
    build_in_a_pool(folder, 1.0, named(SlowToWarmUp(), "warms-up"), named(QuickRenderer(), "quick"))


class NeverWarm(QuickRenderer):
    uses = ("quick",)  # handed over once the quick edition is done: alone, so alone stuck

    def warm_up(self) -> None:
        time.sleep(600)


def build_with_a_stuck_worker(folder: str) -> None:
    publish.limits.START_SECONDS = 1.0
    build_in_a_pool(folder, 30.0, named(NeverWarm(), "stuck"), named(QuickRenderer(), "quick"))


def in_a_fresh_process(tmp_path: Path, build: str) -> dict[str, list[Any]]:
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parents[2])!r})
        from tests.hostile.test_budget import {build}
        {build}({str(tmp_path)!r})
    """)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30
    editions: dict[str, list[Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return editions


def test_the_local_pool_stops_an_edition_past_its_budget(tmp_path: Path) -> None:
    """Parallel builds keep the budget in the build process: the slow edition fails with the
    budget's message, and the one running beside it (its worker killed too, halfway through
    its own budget) starts again with a fresh clock."""
    editions = in_a_fresh_process(tmp_path, "build_with_a_slow_edition")
    ok, bad_input, error = editions["a-slow"]
    assert not ok and bad_input
    assert "the a-slow edition took longer than 2 s, the limit for one edition" in error
    assert editions["b-quick"] == [True, False, ""]
    assert editions["c-again"] == [True, False, ""]  # killed once while it slept, then built
    assert (tmp_path / "art" / "tried").exists()
    assert (tmp_path / "dist" / "art" / "art.c-again.txt").read_text(encoding="utf-8") == "A Test Article"


def test_the_local_pool_starts_the_clock_once_the_engine_is_loaded(tmp_path: Path) -> None:
    """Loading an engine is the worker's time, not the edition's: an edition whose worker
    takes longer than the budget to warm up still has its whole budget to render."""
    editions = in_a_fresh_process(tmp_path, "build_with_a_slow_warm_up")
    assert editions == {"warms-up": [True, False, ""], "quick": [True, False, ""]}
    assert (tmp_path / "dist" / "art" / "art.warms-up.txt").read_text(encoding="utf-8") == "A Test Article"


def test_the_local_pool_stops_a_worker_that_never_starts_its_edition(tmp_path: Path) -> None:
    """A worker stuck before the edition starts (loading its engine) is the toolkit's fault,
    not the source's: an internal error after limits.START_SECONDS, and the build goes on."""
    editions = in_a_fresh_process(tmp_path, "build_with_a_stuck_worker")
    ok, bad_input, error = editions["stuck"]
    assert not ok and not bad_input
    assert error == "internal error: the worker failed: TimeoutError: it did not start the edition within 1 s"
    assert editions["quick"] == [True, False, ""]
