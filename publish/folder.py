"""Files an article names (a bibliography, a style, a preamble, a figure found by LaTeX's rules):
found in its folder, never outside it."""

from __future__ import annotations

from pathlib import Path


def locate(name: str, article_dir: Path) -> tuple[Path, bool, bool]:
    """Where a file name leads, whether that stays inside the article's folder, and whether it
    is a file there; the one path both checked and read, so a link cannot change in between."""
    try:
        file = (article_dir / name).resolve()
        return file, file.is_relative_to(article_dir.resolve()), file.is_file()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL byte, a name too long
        return article_dir, True, False
