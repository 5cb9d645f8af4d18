"""Point a writer at a character the packaged fonts cannot draw.

The PDF writer knows which characters a substituted system font drew, but not where they came
from: the article source does. The first of them in ``article.md`` is what the writer must
change, so the error names it and gives its line and column. A character may be written there
as itself or as an HTML character reference (``&#x2206;``, ``&Delta;``), which Markdown turns
into the character. A character an SVG figure's text draws is the figure's doing: the error
names the figure, at its line.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from publish.errors import SourceError

from .fonts import FAMILIES, uncovered_characters

_REFERENCE = r"&(?:#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);"
SHOWN = 5  # characters named in one message; the writer fixes them and sees the next ones


def describe(char: str) -> str:
    """``U+2206 INCREMENT '∆'``: the code point, the Unicode name and the character."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')} {char!r}"


def first_in_source(text: str, characters: str) -> tuple[str, int, int] | None:
    """The first of ``characters`` in ``text``, with its line and column (from 1), if any."""
    if not characters:
        return None
    pattern = re.compile(f"[{re.escape(characters)}]|{_REFERENCE}")
    for match in pattern.finditer(text):
        char = html.unescape(match.group())
        if len(char) == 1 and char in characters:
            line = text.count("\n", 0, match.start()) + 1
            return char, line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return None


def unpackaged_glyph_error(source: Path, characters: str, fonts: Sequence[str], boxes: str = "") -> SourceError:
    """The error for text only a system font (``fonts``) could draw, or none (``boxes``), at its
    first place in ``source``."""
    try:
        found = first_in_source(source.read_text(encoding="utf-8"), characters)
    except (OSError, UnicodeDecodeError):  # changed since it was read: the message still names the character
        found = None
    first = found[0] if found else characters[0]
    others = [c for c in characters if c != first]
    drawn_in = (f"so the PDF would draw it in {' and '.join(fonts)}" if fonts and first not in boxes
                else "nor in any installed font, so the PDF would show an empty box")
    message = f"{describe(first)} is in none of this edition's packaged fonts, {drawn_in}; use another character"
    if others:
        more = f" and {len(others) - SHOWN} more" if len(others) > SHOWN else ""
        message += f" (also missing: {', '.join(describe(c) for c in others[:SHOWN])}{more})"
    if found is None:
        return SourceError(source, message)
    return SourceError(source, message, found[1], found[2])


def figure_glyph_error(source: Path, figures: Sequence[tuple[str, int, str]], article_text: str,
                       characters: str, fonts: Sequence[str], boxes: str = "") -> SourceError | None:
    """The error for text a system font drew, or none could (``boxes``), when an SVG figure's
    text drew it; None when no figure did.

    ``figures``: (file, line in ``source``, the characters its text draws) of each SVG figure
    with text. The PDF does not say whether the figure or the article's text (``article_text``)
    drew a character: a figure did if the article's text lacks it, or if a packaged font has it
    (the article's text is drawn in them; only a figure whose fonts stayed its own is not)."""
    for src, line, text in figures:
        found = [char for char in characters
                 if char in text and (char not in article_text or not uncovered_characters(char, FAMILIES))]
        if not found:
            continue
        first, others = found[0], found[1:]
        fonts_named = " and ".join(fonts)
        if not uncovered_characters(first, FAMILIES):  # a family the copy did not replace
            message = (f"the figure '{src}' has text the PDF would draw in {fonts_named}, not in this edition's "
                       f"packaged fonts, as its font could not be replaced ({describe(first)}); name the font in "
                       "a plain font-family attribute or property, or turn the figure's text into paths")
            return SourceError(source, message, line, 1)
        if first in boxes:
            drawn_in = "which no font has, packaged or installed, so the PDF would show an empty box"
        else:
            drawn_in = f"which the PDF would draw in {fonts_named}, not in this edition's packaged fonts"
        message = (f"the figure '{src}' has {describe(first)} in its text, {drawn_in}; use characters "
                   "the packaged fonts have, or turn the figure's text into paths")
        if others:
            more = f" and {len(others) - SHOWN} more" if len(others) > SHOWN else ""
            message += f" (also: {', '.join(describe(c) for c in others[:SHOWN])}{more})"
        return SourceError(source, message, line, 1)
    return None
