"""What an edition is made from, as content hashes: the key that decides whether to rebuild it.

An edition's key covers its article's source files (``article.md``, the images it shows, a
``.csl`` style beside it), the build settings, the renderer's code and the versions of the
packages it runs on, and the results of the editions it uses. Hashes of content, never
timestamps: touching a file rebuilds nothing, and a changed file is noticed even if its
modification time lies.

The manifest records, per edition, the key and the source files it was computed from
(``{"key": ..., "sources": {"article.md": sha256, "images/a.png": sha256}}``). An unchanged
article can then be recognised without parsing it: if every recorded file still has its
recorded hash, the article reads as it did, so it refers to the same files.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Mapping
from importlib.metadata import Distribution, distributions, entry_points
from pathlib import Path
from typing import Any

from publish import assets, cache
from publish.errors import SourceError
from publish.model import Document
from publish.renderer import ENTRY_POINT_GROUP, Renderer, Rendition, Settings

MISSING = "missing"


# Far above what the reader accepts (an article, an image): a larger file is not hashed, it
# just counts as changed, and reading the article then says what is wrong with it.
HASH_LIMIT = 200_000_000


def file_sha256(path: Path) -> str:
    """The file's sha256; "missing" for anything but a regular file (a FIFO would block)."""
    digest = hashlib.sha256()
    try:
        if not path.is_file():
            return MISSING
        size = path.stat().st_size
        if size > HASH_LIMIT:
            return f"{size} bytes"
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return MISSING
    return digest.hexdigest()


class Hashes:
    """sha256 of files, each read once per build however many editions ask."""

    def __init__(self) -> None:
        self._known: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        path = path.absolute()
        if path not in self._known:
            self._known[path] = file_sha256(path)
        return self._known[path]


# ---------------------------------------------------------------- the article's files


def sources(document: Document, hashes: Hashes) -> dict[str, str]:
    """The files an article is read from, relative to its folder, with their hashes."""
    folder = Path(document.figures_dir)
    paths = [Path(document.source)]
    if document.meta.csl_style.endswith(".csl"):
        paths.append(folder / document.meta.csl_style)
    paths += [folder / name for name in document.bibliography_files]
    for figure in assets.figures(document):
        try:
            paths.append(assets.resolve(document, figure))
        except SourceError:
            continue  # the renderers report it; a failed edition records nothing
    return {_relative(path, folder): hashes(path) for path in paths}


def recorded_sources(record: Any, folder: Path, hashes: Hashes) -> dict[str, str] | None:
    """A manifest's record of an article's files, if every file still has its hash."""
    if not isinstance(record, Mapping) or not record:
        return None
    files = {str(name): str(sha) for name, sha in record.items()}
    if any(Path(name).is_absolute() or ".." in Path(name).parts for name in files):
        return None  # an article's files are inside its folder
    if any(hashes(folder / name) != sha for name, sha in files.items()):
        return None
    return files


def _relative(path: Path, folder: Path) -> str:
    return os.path.relpath(path.resolve(), folder.resolve()).replace(os.sep, "/")


# ---------------------------------------------------------------- the key


def result_digest(rendition: Rendition, hashes: Hashes) -> str:
    """What an edition hands to those using it: its files' contents and its facts."""
    files = sorted((path.name, hashes(path)) for path in rendition.files)
    return cache.key({"files": files, "facts": rendition.facts})


def edition_key(sources: Mapping[str, str], settings: Settings, code: str, used: Mapping[str, str]) -> str:
    return cache.key({"sources": dict(sources), "settings": dataclasses.asdict(settings), "code": code,
                      "uses": dict(used)})


# ---------------------------------------------------------------- the renderer's code


def code_fingerprints(renderers: Mapping[str, Renderer]) -> dict[str, str]:
    """Per edition: a hash of the renderer's code, the toolkit's and every package they need.

    Code is hashed as files (an editable install changes without a new version number);
    installed packages by name and version, following their requirements.
    """
    installed = {_normal(d.metadata["Name"] or ""): d for d in distributions()}
    providers = {ep.value: ep.dist for ep in entry_points(group=ENTRY_POINT_GROUP)}
    # The conformance checks read finished editions and never shape one: editing them must
    # not rebuild every article.
    toolkit = _package_files("publish", skip=("check",))
    trees: dict[str, str] = {}
    prints = {}
    for name, renderer in renderers.items():
        cls = type(renderer)
        top = cls.__module__.split(".")[0]
        if top not in trees:
            trees[top] = _package_files(top)
        dist = providers.get(f"{cls.__module__}:{cls.__qualname__}")
        roots = ["accessible-publish", *([_normal(dist.metadata["Name"] or "")] if dist else []),
                 # packages an optional extra brings that shape this edition (a speech engine), if installed
                 *(_normal(name) for name in getattr(renderer, "packages", ()))]
        prints[name] = cache.key({
            "renderer": f"{cls.__module__}:{cls.__qualname__}",
            "python": sys.version,
            "code": {"publish": toolkit, top: trees[top]},
            "packages": _versions(roots, installed),
        })
    return prints


@functools.cache
def _package_files(top: str, skip: tuple[str, ...] = ()) -> str:
    """A hash of a top-level package's files (a module's own file if it is not a package).

    Once per process: the code that runs is the code imported when the process started, so
    a file edited later (in a long test run, say) does not describe it any better."""
    module = sys.modules.get(top)
    location = getattr(module, "__file__", None)
    if location is None:
        return MISSING
    path = Path(location)
    root = path.parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.relative_to(root).parts[0] not in skip) if path.name == "__init__.py" else [path]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def _versions(roots: Iterable[str], installed: Mapping[str, Distribution]) -> dict[str, str]:
    """Versions of the named distributions and everything they require, transitively."""
    found: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        dist = installed.get(name)
        if name in found or dist is None:
            continue
        found[name] = dist.version
        for requirement in dist.requires or []:
            if re.search(r"\bextra\s*==", requirement):
                continue  # an optional extra: not what our code runs on
            match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
            if match:
                todo.append(_normal(match.group()))
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
