"""Fonts the editions embed, shipped as Python packages so no machine's fonts are relied on.

Each edition has one face for its text (Literata in the PDF, Atkinson Hyperlegible in the
large print) and, behind it, a chain of packaged fallbacks for the characters that face lacks
(Greek and Cyrillic beyond its range, IPA, mathematical operators, arrows, ``✓``...):

- sans-serif, behind Atkinson Hyperlegible (the large print, PDF and HTML): Noto Sans for
  letters, Noto Sans Mono for the mathematical operators (sans-serif, in regular and bold),
  Noto Sans Symbols 2 for dingbats, shapes and pictographs, STIX Two Math for the rest of
  mathematics and the arrows.  No proportional sans-serif font with the operators is on PyPI
  (Noto Sans Math is not).
- serif, behind Literata (the PDF): Noto Serif, STIX Two Math, Noto Sans Symbols 2.

The fallbacks all come from ``justmytype-western-core`` (SIL OFL 1.1 fonts from Google Fonts).
Covered: Latin, Greek and Cyrillic with all their accents, IPA, punctuation, super- and
subscripts, letterlike symbols, arrows, mathematical operators and alphanumerics, technical
symbols, shapes, dingbats, black-and-white pictographs.  Not covered, so still an error in
the PDF: CJK, the other scripts Noto splits into families of their own (Arabic, Hebrew,
Devanagari...), and emoji.

The stylesheets call each fallback by a name no installed font has (``Packaged Noto Sans``,
not ``Noto Sans``): WeasyPrint's fontconfig and a browser would otherwise be free to take a
system font of the same name instead of the packaged file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

import fontpkg  # type: ignore[import-untyped]

__all__ = [
    "ATKINSON",
    "ATKINSON_FAMILY",
    "NOTO_SANS",
    "NOTO_SANS_MONO",
    "NOTO_SANS_SYMBOLS",
    "NOTO_SERIF",
    "SANS_FALLBACKS",
    "SERIF_FALLBACKS",
    "STIX_TWO_MATH",
    "STIX_TWO_MATH_MATHML",
    "FontFace",
    "FontFamily",
    "atkinson",
    "coverage",
    "drawn",
    "fallback_characters",
    "static_font",
    "unicode_range",
]

ATKINSON = "Atkinson Hyperlegible"


@dataclass(frozen=True)
class FontFace:
    file: str  # file name inside the family's folder
    weight: int
    style: str  # "normal" | "italic"
    # ``file`` is a variable font: use a static instance of it, with ``wght`` pinned at
    # ``weight`` and these other axes pinned too.  Empty: ``file`` is static.
    pins: tuple[tuple[str, float], ...] = ()
    # OpenType tables to leave out of the copy the editions use.
    drop: tuple[str, ...] = ()

    @property
    def variable(self) -> bool:
        return bool(self.pins)

    @property
    def prepared(self) -> bool:
        """Whether the editions use a copy made by :func:`static_font`, not ``file`` itself."""
        return bool(self.pins or self.drop)


@dataclass(frozen=True)
class FontFamily:
    css_name: str  # the name the stylesheets use in font-family
    package: str  # importable package shipping the .ttf files
    faces: tuple[FontFace, ...]
    subfolder: str = "files"  # where the files lie inside the package (fontpkg's layout)
    # Draws only the characters in these ranges (first, last code point), where it has them;
    # empty: every character it has.
    only: tuple[tuple[int, int], ...] = ()

    @property
    def folder(self) -> Path:
        return Path(str(files(self.package).joinpath(self.subfolder))).resolve()

    def path(self, face: FontFace) -> Path:
        """The packaged file of ``face`` (for an instanced face, the variable font)."""
        return self.folder / face.file

    @property
    def regular(self) -> FontFace:
        return next(face for face in self.faces if face.style == "normal")

    @property
    def covers(self) -> frozenset[int]:
        """The code points this family draws."""
        return _family_coverage(self)



def atkinson(weight: int) -> Path:
    """Atkinson Hyperlegible at ``weight`` 400 or 700 (large print uses no italics)."""
    return Path(fontpkg.path(ATKINSON, weight=weight))


ATKINSON_FAMILY = FontFamily(
    css_name=ATKINSON,
    package="fontpkg_atkinson_hyperlegible",
    faces=(
        FontFace("AtkinsonHyperlegible-Regular.ttf", 400, "normal"),
        FontFace("AtkinsonHyperlegible-Bold.ttf", 700, "normal"),
        FontFace("AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
        FontFace("AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
    ),
)

_PACK = "justmytype_western_core"
_NORMAL_WIDTH = (("wdth", 100.0),)

# Roman only: the large print never sets italics.
NOTO_SANS = FontFamily(
    css_name="Packaged Noto Sans",
    package=_PACK,
    subfolder="fonts/ofl/notosans",
    faces=(
        FontFace("NotoSans[wdth,wght].ttf", 400, "normal", _NORMAL_WIDTH),
        FontFace("NotoSans[wdth,wght].ttf", 700, "normal", _NORMAL_WIDTH),
    ),
)

NOTO_SERIF = FontFamily(
    css_name="Packaged Noto Serif",
    package=_PACK,
    subfolder="fonts/ofl/notoserif",
    faces=(
        FontFace("NotoSerif[wdth,wght].ttf", 400, "normal", _NORMAL_WIDTH),
        FontFace("NotoSerif[wdth,wght].ttf", 700, "normal", _NORMAL_WIDTH),
        FontFace("NotoSerif-Italic[wdth,wght].ttf", 400, "italic", _NORMAL_WIDTH),
        FontFace("NotoSerif-Italic[wdth,wght].ttf", 700, "italic", _NORMAL_WIDTH),
    ),
)

# Monospaced, but its mathematical operators and arrows are sans-serif, as wide as any font's,
# and come in bold: behind Noto Sans in the large print, before the lighter STIX Two Math.
NOTO_SANS_MONO = FontFamily(
    css_name="Packaged Noto Sans Mono",
    package=_PACK,
    subfolder="fonts/ofl/notosansmono",
    faces=(
        FontFace("NotoSansMono[wdth,wght].ttf", 400, "normal", _NORMAL_WIDTH),
        FontFace("NotoSansMono[wdth,wght].ttf", 700, "normal", _NORMAL_WIDTH),
    ),
    only=((0x2200, 0x22FF),),  # its arrows are short: STIX Two Math draws those
)

# One weight each: bold text takes the regular symbol (a symbol has no bold form to miss).
NOTO_SANS_SYMBOLS = FontFamily(
    css_name="Packaged Noto Sans Symbols",
    package=_PACK,
    subfolder="fonts/ofl/notosanssymbols2",
    faces=(FontFace("NotoSansSymbols2-Regular.ttf", 400, "normal"),),
)

STIX_TWO_MATH = FontFamily(
    css_name="Packaged STIX Two Math",
    package=_PACK,
    subfolder="fonts/ofl/stixtwomath",
    # Without its MATH table, which only a math typesetter reads: the HarfBuzz 6 that WeasyPrint
    # subsets with on Debian 12 fails on it for some glyph sets (and falls back to fontTools).
    faces=(FontFace("STIXTwoMath-Regular.ttf", 400, "normal", drop=("MATH",)),),
)

# The same font whole, MATH table included, for a browser that lays out MathML (the large print).
STIX_TWO_MATH_MATHML = replace(STIX_TWO_MATH, css_name="Packaged STIX Two Math MathML",
                               faces=tuple(replace(face, drop=()) for face in STIX_TWO_MATH.faces))

# In the order the stylesheets list them after the text face.  Symbols 2 before STIX in the
# sans chain, so a check mark or a shape is drawn sans-serif where both have it.
SANS_FALLBACKS: tuple[FontFamily, ...] = (NOTO_SANS, NOTO_SANS_MONO, NOTO_SANS_SYMBOLS, STIX_TWO_MATH)
SERIF_FALLBACKS: tuple[FontFamily, ...] = (NOTO_SERIF, STIX_TWO_MATH, NOTO_SANS_SYMBOLS)


@cache
def coverage(path: Path) -> frozenset[int]:
    """The code points the font file at ``path`` maps to a glyph."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _family_coverage(family: FontFamily) -> frozenset[int]:
    points = coverage(family.path(family.regular))
    if family.only:
        points = frozenset(p for p in points if any(first <= p <= last for first, last in family.only))
    return points


def unicode_range(points: Iterable[int]) -> str:
    """The value of a CSS ``unicode-range`` holding exactly ``points``: runs of consecutive
    code points (``U+41-5A, U+2206``)."""
    runs: list[tuple[int, int]] = []
    for point in sorted(set(points)):
        if runs and runs[-1][1] == point - 1:
            runs[-1] = (runs[-1][0], point)
        else:
            runs.append((point, point))
    return ", ".join(f"U+{first:X}" if first == last else f"U+{first:X}-{last:X}" for first, last in runs)


def drawn(text: str) -> set[str]:
    """The characters of ``text`` a font must draw: not controls, spaces or invisible joiners."""
    return {
        char for char in text
        if not char.isspace() and ord(char) >= 0x20 and char not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"
    }


def _clusters(text: str) -> set[str]:
    """The letters of ``text`` as a browser falls back on them: each character, except that a
    combining mark stays with the letter before it.  Composed first (NFC), as HarfBuzz composes
    a letter and its accent when the font has the composed letter."""
    clusters: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    shown = drawn(text)
    return {cluster for cluster in clusters if cluster[0] in shown or len(cluster) > 1}


def fallback_characters(text: str, primary: FontFamily,
                        fallbacks: Sequence[FontFamily]) -> dict[FontFamily, str]:
    """For each fallback family, the characters of ``text`` it draws, as a browser picks them:
    a letter, or a letter with its combining marks, goes to the first of ``primary`` and
    ``fallbacks`` that has all of it."""
    chosen: dict[FontFamily, set[str]] = {}
    for cluster in _clusters(text):
        points = {ord(char) for char in cluster}
        family = next((f for f in (primary, *fallbacks) if points <= f.covers), None)
        if family is not None and family != primary:
            chosen.setdefault(family, set()).update(cluster)
    return {family: "".join(sorted(chosen[family])) for family in fallbacks if family in chosen}


def static_font(family: FontFamily, face: FontFace, characters: Iterable[str] | None = None) -> bytes:
    """The font file of ``face``: its variable axes pinned with HarfBuzz, the tables it drops
    left out, and, given ``characters``, cut down to the glyphs those need (with their
    ligatures and marks).

    HarfBuzz makes an instance in milliseconds, where fontTools (what WeasyPrint would use)
    takes a tenth of a second; it also keeps the OpenType features, so the text shapes as
    with the variable font."""
    import uharfbuzz as hb

    source = family.path(face)
    if not source.is_file():
        raise FileNotFoundError(f"font file missing from {family.package}: {source}")
    hb_face = hb.Face(hb.Blob(source.read_bytes()))
    request = hb.SubsetInput()
    if characters is None:
        request.keep_everything()  # every glyph, table and OpenType feature: only the axes go
    else:
        request.unicode_set.update(ord(char) for char in characters)
    for tag in face.drop:
        request.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    if face.variable:
        for axis, value in (("wght", float(face.weight)), *face.pins):
            if not request.pin_axis_location(hb_face, axis, value):
                raise ValueError(f"{source.name} has no {axis!r} axis")
    result = hb.subset(hb_face, request)
    if result is None or (face.variable and result.has_var_data):
        raise RuntimeError(f"HarfBuzz could not make a static font of {source.name}")
    return bytes(result.blob.data)
