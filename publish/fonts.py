"""Fonts the editions embed, shipped as Python packages so no machine's fonts are relied on."""

from __future__ import annotations

from pathlib import Path

import fontpkg  # type: ignore[import-untyped]

ATKINSON = "Atkinson Hyperlegible"


def atkinson(weight: int) -> Path:
    """Atkinson Hyperlegible at ``weight`` 400 or 700 (large print uses no italics)."""
    return Path(fontpkg.path(ATKINSON, weight=weight))
