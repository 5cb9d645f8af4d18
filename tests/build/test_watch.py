"""``publish watch``: a change to a source is built again on the same workers, and Ctrl-C
stops it cleanly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from publish.build import ArticleOutcome, Options, select
from publish.renderer import registered
from publish.watch import snapshot, watch
from tests.build.conftest import SEED, SETTINGS

PARAGRAPH = "The intestinal barrier is a multi-layered system"


def watch_twice(tmp_path: Path, jobs: int, edit: Callable[[Path], None]) -> tuple[Path, list[list[ArticleOutcome]]]:
    """A copy of the seed watched for two builds (large print only), ``edit`` applied to its
    article.md once the first is done; the output folder and both builds' outcomes."""
    source = tmp_path / "src" / "gut-barrier"
    shutil.copytree(SEED, source)
    out = tmp_path / "dist"
    builds: list[list[ArticleOutcome]] = []
    first_done = threading.Event()

    def built(outcomes: list[ArticleOutcome], seconds: float) -> None:
        assert seconds > 0
        builds.append(outcomes)
        first_done.set()

    worker = threading.Thread(target=watch, args=([source], select(registered(), ["large-print"]), out, SETTINGS,
                                                  lambda *_: None, Options(jobs=jobs), built),
                              kwargs={"interval": 0.05, "rounds": 2})
    worker.start()
    assert first_done.wait(120)
    edit(source / "article.md")
    worker.join(120)
    assert not worker.is_alive()
    return out, builds


def test_an_edit_is_built_again_on_the_same_workers(tmp_path: Path) -> None:
    def edit(article: Path) -> None:
        article.write_text(article.read_text(encoding="utf-8").replace(PARAGRAPH, "A freshly edited barrier"),
                           encoding="utf-8")

    out, builds = watch_twice(tmp_path, 2, edit)
    assert [[e.up_to_date for e in o.editions] for outcomes in builds for o in outcomes] == [[False], [False]]
    assert "A freshly edited barrier" in (out / "gut-barrier" / "gut-barrier.large-print.html").read_text()


def test_the_snapshot_sees_edits_new_files_and_removals_but_not_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text("one", encoding="utf-8")
    before = snapshot([tmp_path])
    (tmp_path / ".draft.swp").write_text("editor state", encoding="utf-8")
    assert snapshot([tmp_path]) == before
    (tmp_path / "figure.png").write_bytes(b"png")
    assert snapshot([tmp_path]) != before
    (tmp_path / "figure.png").unlink()
    (tmp_path / "article.md").write_text("one, edited", encoding="utf-8")
    assert snapshot([tmp_path]) != before


def test_ctrl_c_stops_the_watch_without_a_traceback(tmp_path: Path) -> None:
    source = tmp_path / "gut-barrier"
    shutil.copytree(SEED, source)
    command = [sys.executable, "-m", "publish", "watch", str(source), "-o", str(tmp_path / "dist"),
               "-f", "large-print", "--jobs", "2", "--cache", str(tmp_path / "cache"), "--interval", "0.05"]
    # Its own process group, as a terminal's Ctrl-C reaches the whole foreground group.
    watching = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert watching.stderr is not None
    lines = []
    for line in watching.stderr:
        lines.append(line)
        if line.startswith("Built in"):
            break
    time.sleep(0.2)
    os.killpg(watching.pid, signal.SIGINT)
    _, rest = watching.communicate(timeout=60)
    output = "".join(lines) + rest
    assert watching.returncode == 0, output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    assert "stopped watching" in output


def test_a_broken_save_is_reported_and_the_last_good_editions_stay(tmp_path: Path) -> None:
    pages: list[bytes] = []

    def break_it(article: Path) -> None:
        pages.append((tmp_path / "dist" / "gut-barrier" / "gut-barrier.large-print.html").read_bytes())
        article.write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")

    out, builds = watch_twice(tmp_path, 1, break_it)
    (broken,) = builds[1]
    assert broken.error is not None and "article.md:2:" in str(broken.error)
    assert (out / "gut-barrier" / "gut-barrier.large-print.html").read_bytes() == pages[0]
