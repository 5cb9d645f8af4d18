"""``publish watch``: build, then build again whenever a source changes, on warm workers.

An author edits one paragraph and wants every edition back in a moment. ``publish build``
already rebuilds only what changed, but each run starts a Python process and its workers and
loads WeasyPrint and the speech modules again, which is most of the time an edit takes. Here
the workers stay up between builds, so an edit costs the editions' own work.

A change is noticed by polling the article folders' files (size and modification time), which
needs no extra dependency and works on network drives; what is rebuilt is still decided by
content hashes, by the build itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from publish import executors
from publish.build import ArticleOutcome, Options, Progress, build, find_articles
from publish.renderer import Renderer, Settings

Snapshot = dict[str, tuple[int, int]]

# A save can be several writes (editors write a temporary file, then rename it): wait until
# the folder has been still this long before building.
SETTLE_SECONDS = 0.05


def snapshot(paths: Sequence[Path]) -> Snapshot:
    """Size and modification time of every file under ``paths``, hidden ones left out."""
    found: Snapshot = {}
    for root in paths:
        if root.is_file():
            root = root.parent
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:  # removed while we looked
                    continue
                found[path] = (info.st_size, info.st_mtime_ns)
    return found


def watch(paths: Sequence[Path], renderers: dict[str, Renderer], out: Path, settings: Settings,
          progress: Progress, options: Options, built: Callable[[list[ArticleOutcome], float], None], *,
          interval: float = 0.25, rounds: int | None = None) -> None:
    """Build ``paths`` now and after every change, until interrupted (or after ``rounds`` builds).

    ``built`` receives each build's outcomes and seconds (to report them); a failed build is
    reported and the watch goes on, the last good editions staying in place.
    """
    workers = executors.start(options.executor, options.jobs, renderers, options.scheduler)
    try:
        done = 0
        while rounds is None or done < rounds:
            seen = snapshot(paths)
            began = time.perf_counter()
            outcomes = build(find_articles(paths), renderers, out, settings, progress, options, executor=workers)
            built(outcomes, time.perf_counter() - began)
            done += 1
            if rounds is not None and done >= rounds:
                break
            _wait_for_change(paths, seen, interval)
    finally:
        workers.close()


def _wait_for_change(paths: Sequence[Path], seen: Snapshot, interval: float) -> None:
    while snapshot(paths) == seen:
        time.sleep(interval)
    while True:  # settle
        before = snapshot(paths)
        time.sleep(SETTLE_SECONDS)
        if snapshot(paths) == before:
            return
