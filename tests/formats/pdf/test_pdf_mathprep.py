"""The MathML ziamath draws: Pandoc's presentation MathML, with TeX's sizes and spacing made
explicit where ziamath's differ (found by looking at the drawings beside TeX's)."""

from __future__ import annotations

from xml.etree import ElementTree

from formats.pdf.math import draw
from formats.pdf.mathprep import presentation
from publish.math.mathml import MATHML_NS, convert

M = f"{{{MATHML_NS}}}"


def shown(tex: str, display: bool = False) -> ElementTree.Element:
    (converted,) = convert([(tex, display)])
    return presentation(converted.mathml, "#111")


def accent(tex: str) -> tuple[str, str | None]:
    over = shown(tex).find(f".//{M}mover/{M}mo")
    assert over is not None
    return over.text or "", over.get("stretchy")


def test_only_the_presentation_is_drawn_in_the_texts_colour() -> None:
    root = shown(r"\frac{a}{b}")
    assert [child.tag for child in root] == [f"{M}mfrac"]
    assert "annotation" not in ElementTree.tostring(root, encoding="unicode")
    assert root.get("mathcolor") == "#111"


def test_tables_get_texs_column_gaps() -> None:
    matrix = shown(r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", True).find(f".//{M}mtable")
    aligned = shown(r"\begin{aligned} a &= b & c &= d \\ e &= f & g &= h \end{aligned}", True).find(f".//{M}mtable")
    assert matrix is not None and matrix.get("columnspacing") == "0.8em"
    assert aligned is not None and aligned.get("columnspacing") == "0em 2em 0em"


def test_an_inline_integral_keeps_its_text_size() -> None:
    inline, display = (draw(convert([(r"\int_0^1 g(t)\,dt", mode)])[0].mathml, "#000") for mode in (False, True))
    assert inline.height < 1.6  # em: the integral sign of the text, its limits as scripts
    assert display.height > 2.5  # the large sign of display style
    assert shown(r"\int f").find(f".//{M}mo[@stretchy='false']") is not None


def test_an_accent_over_one_letter_is_its_small_glyph_and_over_more_it_stretches() -> None:
    assert accent(r"\hat{x}") == ("\u02c6", "false")
    assert accent(r"\tilde{x}") == ("\u02dc", "false")
    assert accent(r"\vec{v}") == ("\u20d7", "false")
    assert accent(r"\widehat{xyz}") == ("\u0302", None)
    assert accent(r"\overline{xy}") == ("\u203e", None)
    hat, letter = (draw(convert([(tex, False)])[0].mathml, "#000") for tex in (r"\hat{x}", "x"))
    assert hat.width == letter.width  # no room beside the letter
