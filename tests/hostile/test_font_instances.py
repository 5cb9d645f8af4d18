"""The static font instances of the PDF editions live in a folder per process, in the temporary
folder. A build killed with SIGKILL runs no clean-up, so its folder stays; the next build
removes it (and never the folder of a process still running)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.hostile.support import article
from tests.hostile.test_atomicity import ENV, command, group_alive


def test_the_next_build_removes_the_font_instances_of_a_killed_one(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**ENV, "TMPDIR": str(temporary)}  # tempfile.gettempdir() of the builds
    root = temporary / f"publish-fonts-{os.getuid()}"
    source = article(tmp_path / "art").parent
    build = subprocess.Popen(command(source, tmp_path / "dist", ("pdf",), "--jobs", "2"), env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list(root.glob("*/*.ttf")) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list(root.glob("*/*.ttf")), "the build made no font instances in its folder"
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    while group_alive(build.pid):
        time.sleep(0.05)
    left = list(root.iterdir())
    assert left and all(folder.name.split("-")[0].isdigit() for folder in left)  # no clean-up ran
    running = root / f"{os.getpid()}-running"  # this process's: still running, so kept
    running.mkdir()

    done = subprocess.run(command(source, tmp_path / "dist", ("pdf",), "--jobs", "1"), env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert list(root.iterdir()) == [running]  # the killed build's removed, the new build's own too
    assert [p.name for p in temporary.iterdir()] == [root.name]
