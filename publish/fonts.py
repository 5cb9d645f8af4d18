"""Fonts the editions embed, shipped as Python packages so no machine's fonts are relied on."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

ATKINSON = "fontpkg_atkinson_hyperlegible"
LITERATA = "fontpkg_literata"


def font_path(package: str, filename: str) -> Path:
    """The path of a font file inside an installed font package."""
    root = importlib.resources.files(package)
    for candidate in (root / filename, root / "files" / filename):
        if candidate.is_file():
            return Path(str(candidate))
    raise FileNotFoundError(f"font {filename} is not in the package {package}; reinstall the project")


def atkinson(weight: str) -> Path:
    """Atkinson Hyperlegible: ``weight`` is "Regular" or "Bold" (large print uses no italics)."""
    return font_path(ATKINSON, f"AtkinsonHyperlegible-{weight}.ttf")
