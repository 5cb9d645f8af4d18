"""The build cache: a folder of reusable work (synthesised speech, for now) keyed by content.

Everything in it can be made again from the sources, so deleting the folder (or any file in
it) is always safe; the next build is just slower. Entries are written to a temporary name and
renamed into place, so a killed build or two builds at once never leave a torn entry, and a
damaged entry reads as missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def default_dir() -> Path:
    """``$XDG_CACHE_HOME/publish`` when the user has one, else ``.cache/publish`` here."""
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(xdg) / "publish" if xdg else Path(".cache") / "publish"


def key(value: Any) -> str:
    """A content hash of JSON-like data: same data, same key, whatever the dict order."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """Files in ``root/<kind>/<ab>/<key><suffix>``, written atomically."""

    def __init__(self, root: Path, kind: str, suffix: str) -> None:
        self.folder = root / kind
        self.suffix = suffix

    def path(self, entry: str) -> Path:
        return self.folder / entry[:2] / f"{entry}{self.suffix}"

    def load(self, entry: str, read: Callable[[Path], T]) -> T | None:
        """``read(path)`` of the entry, or None if it is missing or cannot be read."""
        path = self.path(entry)
        try:
            return read(path)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged entry is a miss; the caller will write it again
            path.unlink(missing_ok=True)
            return None

    def save(self, entry: str, write: Callable[[Path], None]) -> None:
        """``write(path)`` into a temporary file, then rename it to the entry's name."""
        path = self.path(entry)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".tmp-", suffix=self.suffix, dir=path.parent)
        os.close(handle)
        try:
            write(Path(name))
            os.replace(name, path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
