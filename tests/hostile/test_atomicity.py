"""Interrupted and concurrent builds: ``dist/<slug>`` is always a whole version.

A build is killed (SIGKILL, no chance to clean up) at random moments, and two builds of the
same article race into one dist/. After each, ``dist/<slug>`` must resolve to a folder whose
manifest describes exactly the files beside it (names, sizes, sha256), and every file must be
byte for byte one that a complete build of one of the sources made: never a mix within a file,
never a partial file. A last build shows the leftovers of the killed ones are cleared.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from publish import output
from tests.hostile.support import SEED, verify_manifest

SLUG = "gut-barrier"
EDITIONS = ("large-print", "pdf")
WITH_AUDIO = ("large-print", "pdf", "audio")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


def variant(base: Path, name: str) -> Path:
    """The seed with a sentence of its own, in ``base/<name>/gut-barrier/``."""
    folder = base / name / SLUG
    folder.mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    (folder / "article.md").write_text(f"{text[:body]}\nThis is version {name}.\n{text[body:]}", encoding="utf-8")
    return folder


def command(source: Path, dist: Path, editions: Sequence[str], *extra: str) -> list[str]:
    args = [sys.executable, "-m", "publish", "build", str(source), "--out", str(dist), "-q", *extra]
    for name in editions:
        args += ["-f", name]
    return args


def run(source: Path, dist: Path, editions: Sequence[str], *extra: str) -> float:
    started = time.monotonic()
    done = subprocess.run(command(source, dist, editions, *extra), env=ENV, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def group_alive(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies waiting for a reaper are not)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


@dataclass
class Reference:
    """The files a complete build of each source makes, by name: the only bytes allowed in dist."""

    by_name: dict[str, set[bytes]]

    def check(self, dist: Path) -> dict[str, bytes]:
        link = dist / SLUG
        assert link.is_symlink() and link.resolve().is_dir(), f"{link} is not a link to a version"
        files = verify_manifest(link.resolve())
        for name, data in files.items():
            assert data in self.by_name.get(name, set()), f"{name} is not any complete build's file"
        return files


def reference(base: Path, sources: Sequence[Path], editions: Sequence[str],
              *extra: str) -> tuple[Reference, float, list[Path]]:
    """Each source built alone (all at once) into a fresh dist: the bytes, the time the builds
    took (an upper bound for one), and the dists, the first of which the test then works on."""
    dists = [base / f"reference-{index}" for index in range(len(sources))]
    started = time.monotonic()
    builds = [subprocess.Popen(command(source, dist, editions, *extra), env=ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
              for source, dist in zip(sources, dists, strict=True)]
    for build in builds:
        output, _ = build.communicate(timeout=300)
        assert build.returncode == 0, output
    by_name: dict[str, set[bytes]] = {}
    for dist in dists:
        for name, data in verify_manifest((dist / SLUG).resolve()).items():
            by_name.setdefault(name, set()).add(data)
    return Reference(by_name), time.monotonic() - started, dists


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("sources")
    return variant(base, "A"), variant(base, "B"), variant(base, "C")


LEFT_RUNNING: list[int] = []


def kill_at(args: list[str], delay: float) -> None:
    """Start a build, SIGKILL it after ``delay`` seconds, and wait until none of its processes
    (its workers, their speech engines) still run: a killed build should leave nothing behind.
    Any still running 15 s later are recorded in LEFT_RUNNING, then killed."""
    build = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        build.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 15  # a worker mid-render notices within a second or two; CI may be loaded
    while group_alive(build.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = group_alive(build.pid)
    if left:
        LEFT_RUNNING.extend(left)
        os.killpg(build.pid, signal.SIGKILL)


def no_process_left() -> None:
    """Checked last, after the atomicity checks. Pool workers now end with a SIGKILLed build
    (publish.limits.exit_with_parent), but a killed build can still leave processes behind
    (seen in CI: multiprocessing's resource tracker among them): a known leak, not yet fixed."""
    if LEFT_RUNNING:
        left = list(LEFT_RUNNING)
        LEFT_RUNNING.clear()
        pytest.xfail(f"processes {left} of a killed build were still running 15 s later")


def test_killed_builds_leave_whole_versions(tmp_path: Path, sources: tuple[Path, Path, Path]) -> None:
    a, b, c = sources
    allowed, duration, dists = reference(tmp_path, (a, b, c), EDITIONS)
    dist = dists[0]  # A, published
    published = a
    rng = random.Random(20240501)
    for _ in range(15):
        source = b if published == a else a  # the other one, so there is work to interrupt
        kill_at(command(source, dist, EDITIONS), rng.uniform(0, duration))
        files = allowed.check(dist)
        page = files[f"{SLUG}.large-print.html"].decode("utf-8")
        published = b if "This is version B." in page else a

    # A complete build afterwards publishes, and clears what the killed ones left behind.
    run(c, dist, EDITIONS)
    allowed.check(dist)
    versions = list((dist / ".versions" / SLUG).iterdir())
    assert versions == [(dist / SLUG).resolve()], versions
    assert list((dist / ".staging").iterdir()) == []
    assert not [p.name for p in dist.iterdir() if re.match(rf"\.{SLUG}\.link-", p.name)]
    no_process_left()


def test_a_build_killed_during_audio_leaves_a_whole_version(tmp_path: Path, sources: tuple[Path, Path, Path]) -> None:
    a, b, _ = sources
    cache = ("--cache", str(tmp_path / "cache"))  # a fresh speech cache: the speech is really synthesised
    allowed, duration, dists = reference(tmp_path, (a, b), WITH_AUDIO, *cache)
    kill_at(command(b, dists[0], WITH_AUDIO, *cache), random.Random(7).uniform(0.3, 0.6) * duration)
    files = allowed.check(dists[0])
    assert {f"{SLUG}.mp3", f"{SLUG}.vtt"} <= set(files)
    no_process_left()


def test_concurrent_builds_end_consistent(tmp_path: Path, sources: tuple[Path, Path, Path]) -> None:
    a, b, _ = sources
    allowed, _, dists = reference(tmp_path, (a, b), EDITIONS)
    dist = dists[0]
    for round in range(3):
        # --force: both really build (and commit), even when one source is already published.
        builds = [subprocess.Popen(command(source, dist, EDITIONS, "--force"), env=ENV, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True) for source in (a, b)]
        for build in builds:
            output, _ = build.communicate(timeout=300)
            assert build.returncode == 0, f"round {round}: {output}"
        allowed.check(dist)
    assert list((dist / ".versions" / SLUG).iterdir()) == [(dist / SLUG).resolve()]
    shutil.rmtree(dist)


# ------------------------------------------------------------------ the commit itself


def test_a_commit_clears_the_link_a_killed_commit_left(tmp_path: Path) -> None:
    """Killed between making the new link and renaming it over dist/<slug>, a commit leaves
    ``.<slug>.link-<pid>``; the next commit of the article removes it."""
    dist = tmp_path / "dist"
    made = tmp_path / "made.txt"
    made.write_text("one")
    output.commit(dist, "art", {"e": output.Edition((made,))}, {})
    (dist / ".art.link-99999999").symlink_to(".versions/art/gone")
    made.write_text("two")
    output.commit(dist, "art", {"e": output.Edition((made,))}, {})
    assert sorted(p.name for p in dist.iterdir()) == [".locks", ".versions", "art"]
    assert verify_manifest(dist / "art") == {"made.txt": b"two"}


def test_an_edition_whose_file_is_taken_is_dropped_not_misdescribed(tmp_path: Path) -> None:
    """Two editions writing the same file name: the manifest must still describe the bytes there."""
    dist = tmp_path / "dist"
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    (first / "same.txt").write_text("from a")
    (first / "a-only.txt").write_text("a")
    output.commit(dist, "art", {"a": output.Edition((first / "same.txt", first / "a-only.txt"))}, {})
    (second / "same.txt").write_text("from b")
    output.commit(dist, "art", {"b": output.Edition((second / "same.txt",))}, {})
    assert verify_manifest(dist / "art") == {"same.txt": b"from b"}


COMMIT_KILLED_AT = """
import os, signal, sys
from pathlib import Path
from publish import output

step, dist, made = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
calls = 0


def deadly(function):
    def call(*args, **kwargs):
        global calls
        calls += 1
        if calls == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return call


for name in ("replace", "rename", "link", "symlink", "unlink", "rmdir", "mkdir", "chmod", "fsync", "open"):
    setattr(os, name, deadly(getattr(os, name)))
output.commit(dist, "art", {"one": output.Edition((made / "one.txt",)), "two": output.Edition((made / "two.txt",))},
              {"slug": "art"})
print(calls)
"""


def test_a_commit_killed_at_every_step(tmp_path: Path) -> None:
    """Every file-system call of a commit in turn is where the process is SIGKILLed: before the
    link moves, dist/art is the old version; after, the new one; never anything between."""
    dist, made = tmp_path / "dist", tmp_path / "made"
    made.mkdir()
    for name in ("one", "two", "kept"):
        (made / f"{name}.txt").write_text(f"old {name}")
    output.commit(dist, "art", {name: output.Edition((made / f"{name}.txt",)) for name in ("one", "two", "kept")},
                  {"slug": "art"})
    old = verify_manifest(dist / "art")
    new = {**old, "one.txt": b"new one", "two.txt": b"new two"}
    outcomes = set()
    for step in range(1, 200):
        for name in ("one", "two"):
            (made / f"{name}.txt").write_text(f"new {name}")
        done = subprocess.run([sys.executable, "-c", COMMIT_KILLED_AT, str(step), str(dist), str(made)], env=ENV,
                              capture_output=True, text=True, timeout=60)
        files = verify_manifest((dist / "art").resolve())
        assert files in (old, new), (step, files)
        outcomes.add("new" if files == new else "old")
        if done.returncode == 0:  # the commit ran to its end: no call left to kill it at
            break
        assert done.returncode == -signal.SIGKILL, done.stderr
        if files == new:  # back to the old version, so the next round has something to do again
            for name in ("one", "two"):
                (made / f"{name}.txt").write_text(f"old {name}")
            output.commit(dist, "art", {n: output.Edition((made / f"{n}.txt",)) for n in ("one", "two")}, {})
    assert outcomes == {"old", "new"} and step > 10, (outcomes, step)
    assert list((dist / ".versions" / "art").iterdir()) == [(dist / "art").resolve()]
    assert sorted(p.name for p in dist.iterdir()) == [".locks", ".versions", "art"]
