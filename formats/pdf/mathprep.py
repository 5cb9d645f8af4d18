"""The MathML that ziamath is given: the presentation alone, with what ziamath draws unlike TeX
made explicit. Each rule was found by drawing Pandoc's MathML and looking at it beside TeX's.
"""

from __future__ import annotations

from xml.etree import ElementTree

from publish.math.mathml import MATHML_NS

__all__ = ["presentation"]

_M = f"{{{MATHML_NS}}}"
# MathML's own default column gap; ziamath's (0.3 em) crowds the columns of a matrix or cases.
_COLUMN_GAP = "0.8em"
# ziamath's operator dictionary makes integral signs stretchy, so an inline integral grew to the
# height of its line; TeX never stretches them (display style takes the large size by itself).
_INTEGRALS = frozenset("∫∬∭∮∯∰∱∲∳⨌")
# Pandoc writes \hat, \tilde, \dot... as combining characters, which ziamath stretches into a wide
# accent with room beside it; over one letter TeX sets the accent's own small glyph. (\widehat
# and \hat give the same MathML: only a wider base tells them apart, and that one is stretched.)
_SMALL_ACCENTS = {
    "\u0300": "\u0060", "\u0301": "\u00b4", "\u0302": "\u02c6", "\u0303": "\u02dc", "\u0306": "\u02d8",
    "\u0307": "\u02d9", "\u0308": "\u00a8", "\u030a": "\u02da", "\u030c": "\u02c7", "\u2192": "\u20d7",
}
_TOKENS = frozenset(f"{_M}{name}" for name in ("mi", "mn", "mo", "mtext"))
# \overline's macron does not stretch in ziamath; the overline character does.
_OVERLINE = {"\u00af": "\u203e"}


def presentation(mathml: str, color: str) -> ElementTree.Element:
    """The presentation MathML of ``mathml`` (ziamath would try to draw the TeX annotation),
    coloured like the text, with TeX's spacing and sizes where ziamath's differ."""
    root = ElementTree.fromstring(mathml)
    for semantics in root.findall(f"{_M}semantics"):
        place = list(root).index(semantics)
        shown = [child for child in semantics if child.tag not in (f"{_M}annotation", f"{_M}annotation-xml")]
        root[place:place + 1] = shown
    root.set("mathcolor", color)
    for table in root.iter(f"{_M}mtable"):
        if "columnspacing" not in table.attrib:
            table.set("columnspacing", _alignment_gaps(table) or _COLUMN_GAP)
    for operator in root.iter(f"{_M}mo"):
        if (operator.text or "").strip() in _INTEGRALS and "stretchy" not in operator.attrib:
            operator.set("stretchy", "false")
    for over in root.iter(f"{_M}mover"):
        if len(over) == 2 and over[1].tag == f"{_M}mo" and over[1].get("accent") == "true":
            _small_accent(over[0], over[1])
    return root


def _alignment_gaps(table: ElementTree.Element) -> str:
    """For an align environment (right and left columns in turn), TeX's gaps: none between the
    two halves of an equation, whose relation brings its own space, and 2 em between equations
    set side by side. Empty for any other table."""
    row = table.find(f"{_M}mtr")
    cells = [] if row is None else row.findall(f"{_M}mtd")
    aligns = [cell.get("columnalign", "center") for cell in cells]
    if len(aligns) < 2 or any(align != ("right", "left")[index % 2] for index, align in enumerate(aligns)):
        return ""
    return " ".join(("0em", "2em")[index % 2] for index in range(len(aligns) - 1))


def _small_accent(base: ElementTree.Element, accent: ElementTree.Element) -> None:
    text = (accent.text or "").strip()
    if text in _OVERLINE:
        accent.text = _OVERLINE[text]
    elif base.tag in _TOKENS and text in _SMALL_ACCENTS and "stretchy" not in accent.attrib:
        accent.text = _SMALL_ACCENTS[text]
        accent.set("stretchy", "false")
