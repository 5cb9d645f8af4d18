"""The packaged fonts of the PDF editions and their ``@font-face`` rules.

The fonts come from PyPI packages (``fontpkg-literata``,
``fontpkg-atkinson-hyperlegible``), so their location depends on the
installation: the ``@font-face`` rules are generated at run time with
``file:`` URLs, and the folders are added to the allowed roots of the
stylesheet fetcher only.

Literata ships as two variable fonts (roman and italic, axes ``opsz`` and
``wght``).  Each weight/style used gets its own ``@font-face`` rule pointing at
the variable file; WeasyPrint 70 instantiates a static instance for each weight
(and for each font size, as the ``opsz`` axis follows the size) when it embeds
the font.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

__all__ = [
    "ATKINSON",
    "FAMILIES",
    "LITERATA",
    "FontFace",
    "FontFamily",
    "font_face_css",
    "font_roots",
    "uncovered_characters",
]


@dataclass(frozen=True)
class FontFace:
    file: str  # file name inside the package's files/ folder
    weight: int
    style: str  # "normal" | "italic"


@dataclass(frozen=True)
class FontFamily:
    css_name: str  # the name the stylesheets use in font-family
    package: str  # importable package shipping the .ttf files
    faces: tuple[FontFace, ...]

    @property
    def folder(self) -> Path:
        return Path(str(files(self.package).joinpath("files"))).resolve()

    def path(self, face: FontFace) -> Path:
        return self.folder / face.file


LITERATA = FontFamily(
    css_name="Literata",
    package="fontpkg_literata",
    faces=(
        FontFace("Literata[opsz,wght].ttf", 400, "normal"),
        FontFace("Literata[opsz,wght].ttf", 700, "normal"),
        FontFace("Literata-Italic[opsz,wght].ttf", 400, "italic"),
        FontFace("Literata-Italic[opsz,wght].ttf", 700, "italic"),
    ),
)

ATKINSON = FontFamily(
    css_name="Atkinson Hyperlegible",
    package="fontpkg_atkinson_hyperlegible",
    faces=(
        FontFace("AtkinsonHyperlegible-Regular.ttf", 400, "normal"),
        FontFace("AtkinsonHyperlegible-Bold.ttf", 700, "normal"),
        FontFace("AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
        FontFace("AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
    ),
)

FAMILIES: tuple[FontFamily, ...] = (LITERATA, ATKINSON)


def font_roots(families: Iterable[FontFamily] = FAMILIES) -> list[Path]:
    """Folders the stylesheet fetcher must be allowed to read fonts from."""
    return sorted({family.folder for family in families})


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def font_face_css(families: Iterable[FontFamily] = FAMILIES) -> str:
    """``@font-face`` rules for ``families``, pointing at the packaged files."""
    rules = []
    for family in families:
        for face in family.faces:
            path = family.path(face)
            if not path.is_file():
                raise FileNotFoundError(f"font file missing from {family.package}: {path}")
            rules.append(
                "@font-face {\n"
                f"  font-family: {_css_string(family.css_name)};\n"
                f"  src: url({_css_string(path.as_uri())}) format(\"truetype\");\n"
                f"  font-weight: {face.weight};\n"
                f"  font-style: {face.style};\n"
                "}\n"
            )
    return "".join(rules)


@cache
def _coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def uncovered_characters(text: str, families: Sequence[FontFamily] = FAMILIES) -> list[str]:
    """Characters of ``text`` (beyond controls and spaces) no regular face of ``families`` covers."""
    covered: set[int] = set()
    for family in families:
        regular = next(face for face in family.faces if face.style == "normal")
        covered |= _coverage(family.path(regular))
    missing = sorted(
        {
            char
            for char in text
            if ord(char) not in covered and not char.isspace() and ord(char) >= 0x20
            and char not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"
        }
    )
    return missing
