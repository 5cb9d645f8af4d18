"""Point a writer at a character the packaged fonts cannot draw.

The PDF writer knows which characters a substituted system font drew, but not where they came
from: the article source does. The first of them in ``article.md`` is what the writer must
change, so the error names it and gives its line and column. A character may be written there
as itself or as an HTML character reference (``&#x2206;``, ``&Delta;``), which Markdown turns
into the character.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from publish.errors import SourceError

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
