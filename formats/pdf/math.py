"""Formulas in the PDFs: MathML drawn by ziamath (STIX Two Math) as SVG, shown as an image.

WeasyPrint cannot lay out MathML, so each formula becomes an ``<img>`` of its drawing. Its
glyphs are paths, not text: no font to embed, and nothing a text extractor could give back as
TeX. Its box is sized in em, so it takes the size of the text around it (the body's 10.75 pt or
18 pt, a heading's larger one, a note's smaller one), and lowered by its depth below the
baseline, so that the formula's baseline is the line's. Its ``alt`` is the spoken form, which
the writer makes the ``/Alt`` of a ``Formula`` structure element (weasy.py finds formulas by
``FORMULA_CLASS``). A formula Pandoc or ziamath could not handle is shown as its TeX, as code.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from publish.model import Math

from .mathprep import presentation

__all__ = ["FORMULA_CLASS", "Drawing", "draw", "formula_markup"]

#: The class of every formula's element in the PDFs' HTML: the writer tags these ``Formula``.
FORMULA_CLASS = "math"
# Room around the formula's box (em), so that no glyph reaching beyond its metrics is clipped.
_MARGIN = 0.05
# The size (SVG units) every formula is drawn at. Its box is given in em, so this size does not
# show; but ziamath draws no script smaller than a fixed number of units (30 % of its default
# size, 24), so a formula drawn at another size would change its proportions with it.
_UNITS = 24.0
_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drawing:
    """A formula's SVG as a data: URI, and its box in em of the text it stands in."""

    uri: str
    width: float
    height: float
    depth: float  # below the baseline, margin included


@lru_cache(maxsize=2048)
def draw(mathml: str, color: str) -> Drawing:
    """The drawing of ``mathml`` in ``color``, measured in em.

    Cached: a formula written twice, or drawn for both PDFs in one process, is drawn once
    (10 to 25 ms each)."""
    from ziamath.zmath import Math as Picture  # here: only a build with formulas loads the font

    margin = _MARGIN * _UNITS
    picture = Picture(presentation(mathml, color), size=_UNITS, margin=margin)
    svg = picture.svg()
    bbox = picture.node.bbox
    return Drawing(
        uri="data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"),
        width=(bbox.xmax - bbox.xmin + 2 * margin) / _UNITS,
        height=(bbox.ymax - bbox.ymin + 2 * margin) / _UNITS,
        depth=(margin - bbox.ymin) / _UNITS,
    )


def formula_markup(color: str) -> Callable[[Math], Markup]:
    """The ``formula`` hook of the shared HTML translator for a PDF whose text is ``color``."""

    def formula(math: Math) -> Markup:
        spoken = math.spoken or math.tex  # a Formula must have an /Alt
        kind = f"{FORMULA_CLASS} display" if math.display else FORMULA_CLASS
        drawing = _drawing(math, color)
        if drawing is None:
            # Shown as written; assistive technology is given the words (weasy.py reads
            # aria-label as the Formula's /Alt).
            return Markup('<code class="{} tex" aria-label="{}">{}</code>').format(kind, spoken, math.tex)
        box = f"width: {drawing.width:.4f}em"
        if not math.display:  # a display formula is shrunk to the measure if it is wider
            box += f"; height: {drawing.height:.4f}em; vertical-align: {-drawing.depth:.4f}em"
        return Markup('<img class="{}" src="{}" alt="{}" style="{}"/>').format(kind, drawing.uri, spoken, box)

    return formula


def _drawing(math: Math, color: str) -> Drawing | None:
    if not math.mathml:
        return None
    try:
        return draw(math.mathml, color)
    except Exception as exc:  # any failure of the drawing: the TeX is shown instead
        _LOGGER.warning("ziamath could not draw the formula %s (%s: %s); it is shown as TeX",
                        math.tex, type(exc).__name__, exc)
        return None
