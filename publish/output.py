"""Publishing into ``dist/`` so that readers never see a half-built article.

``dist/<slug>`` is a symbolic link to a complete version folder under ``dist/.versions/<slug>/``.
A commit builds the next version beside the current one (unchanged files are hard links, so it
costs no copying), writes its manifest, then swaps the link with one atomic rename. Killed at
any moment, a build leaves ``dist/<slug>`` pointing at a whole version whose ``manifest.json``
describes exactly the files beside it. Commits of the same article take a lock, so two builds
at once end as a consistent merge: each edition is whole, the last writer's where both built it.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import limits

MANIFEST = "manifest.json"
VERSIONS = ".versions"
LOCKS = ".locks"
STAGING = ".staging"


@dataclass(frozen=True)
class Edition:
    """An edition ready to publish: its finished files (anywhere on dist's file system) and facts."""

    files: tuple[Path, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)
    # What it was made from (see publish.inputs), recorded so the next build can skip it.
    inputs: Mapping[str, Any] | None = None
    # Warnings about the source that concern this edition alone (Rendition.warnings), as
    # {"line", "col", "message"}, like the article's own.
    warnings: tuple[Mapping[str, Any], ...] = ()


def current(out: Path, slug: str) -> Path | None:
    """The folder of the published version of an article, if any."""
    target = out / slug
    return target.resolve() if target.exists() else None


def read_manifest(folder: Path | None) -> dict[str, Any]:
    if folder is not None:
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if isinstance(manifest, dict) and isinstance(manifest.get("editions"), dict):
                return manifest
        except (OSError, ValueError):
            pass
    return {"editions": {}}


def describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return {"name": path.name, "size": path.stat().st_size, "sha256": digest.hexdigest()}


@contextmanager
def locked(out: Path, slug: str) -> Iterator[None]:
    """Hold the article's lock: one commit at a time per article, across processes."""
    with _flock(out, f"{slug}.lock"):
        yield


@contextmanager
def locked_page(out: Path) -> Iterator[None]:
    """Hold the lock of ``out/index.html``: one writer at a time, each reading the manifests only
    once it holds it, so the page written last was made after every commit before it. (No
    ".lock" suffix, so that no article's lock file has its name.)"""
    with _flock(out, "index"):
        yield


@contextmanager
def _flock(out: Path, name: str) -> Iterator[None]:
    locks = out / LOCKS
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / name, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def staging(out: Path, slug: str) -> Iterator[Path]:
    """A private folder on dist's file system (so publishing is renames), removed afterwards.

    Its name carries our process id, so folders left by a killed build can be told apart from
    those of a build still running, and cleared.
    """
    root = out / STAGING
    root.mkdir(parents=True, exist_ok=True)
    _clear_abandoned(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{slug}-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def commit(
    out: Path,
    slug: str,
    editions: Mapping[str, Edition],
    info: Mapping[str, Any],
    checks: Edition | None = None,
) -> Path:
    """Publish new editions (and, from ``publish check``, new check results) of one article.

    Editions not named keep their current files. Check results describe the files they were
    made on, so they are dropped whenever an edition changes. Returns the new version folder.
    """
    with locked(out, slug):
        old = current(out, slug)
        manifest = read_manifest(old)
        versions = (out / VERSIONS / slug).resolve()
        versions.mkdir(parents=True, exist_ok=True)
        _clear_unused_versions(versions, keep=old)
        new = Path(tempfile.mkdtemp(prefix="v-", dir=versions))
        # An edition not rebuilt keeps its files, unless a new file takes one of their names
        # (two editions writing the same name): its manifest entry would describe the wrong bytes.
        arriving = {path.name for edition in editions.values() for path in edition.files}
        kept = {name: entry for name, entry in manifest["editions"].items()
                if name not in editions and not arriving & {f["name"] for f in entry["files"]}}
        for entry in kept.values():
            for described in entry["files"]:
                _link_or_copy(old, described["name"], new)
        for name, edition in editions.items():
            for path in edition.files:
                os.replace(path, new / path.name)
            kept[name] = {"files": [describe(new / p.name) for p in edition.files], "facts": _jsonable(edition.facts)}
            if edition.inputs is not None:
                kept[name]["inputs"] = _jsonable(edition.inputs)
            if edition.warnings:
                kept[name]["warnings"] = [dict(w) for w in edition.warnings]
        manifest["editions"] = {name: kept[name] for name in sorted(kept)
                                if all((new / f["name"]).is_file() for f in kept[name]["files"])}
        if checks is not None:
            for path in checks.files:
                os.replace(path, new / path.name)
            manifest["checks"] = {"files": [describe(new / p.name) for p in checks.files],
                                  "facts": _jsonable(checks.facts)}
        elif editions or "checks" not in manifest:
            manifest.pop("checks", None)
        else:
            for described in manifest["checks"]["files"]:
                _link_or_copy(old, described["name"], new)
        manifest.update(info)
        _write_synced(new / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        os.chmod(new, 0o755)
        _swap_link(out / slug, new)
        if old is not None and old != new and old.parent == versions:
            shutil.rmtree(old, ignore_errors=True)
        return new


def replace_file(out: Path, name: str, text: str) -> Path:
    """Write ``out/name`` whole or not at all: into a staging folder (cleared by the next build
    if we are killed), then one rename over the old file."""
    with staging(out, name) as folder:
        _write_synced(folder / name, text)
        os.replace(folder / name, out / name)
    _fsync_dir(out)
    return out / name


def _link_or_copy(old: Path | None, name: str, new: Path) -> None:
    if old is None or not (old / name).is_file():
        return
    try:
        os.link(old / name, new / name)
    except OSError:
        shutil.copy2(old / name, new / name)


def _swap_link(link: Path, folder: Path) -> None:
    """Point ``link`` at ``folder`` with one rename; a real folder from older builds moves aside."""
    if link.exists() and not link.is_symlink():
        # A folder from before versioned publishing: it becomes an old version (a moment without
        # dist/<slug>, once, is the price of the migration).
        os.replace(link, folder.parent / f"legacy-{os.getpid()}")
    for stale in link.parent.glob(f".{glob.escape(link.name)}.link-*"):  # of commits killed here (we hold the lock)
        stale.unlink(missing_ok=True)
    temporary = link.with_name(f".{link.name}.link-{os.getpid()}")
    os.symlink(os.path.relpath(folder, link.parent), temporary)
    os.replace(temporary, link)
    _fsync_dir(link.parent)


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o644)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _clear_unused_versions(versions: Path, keep: Path | None) -> None:
    """Versions other than the current one are leftovers of killed commits (we hold the lock)."""
    for folder in versions.iterdir():
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)


def _clear_abandoned(root: Path) -> None:
    for folder in root.iterdir():
        pid = folder.name.rsplit("-", 2)[-2] if folder.name.count("-") >= 2 else ""
        if pid.isdigit() and not limits.process_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))

