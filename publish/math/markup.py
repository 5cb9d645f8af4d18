"""The ``<math>`` element the HTML editions (EPUB, large print) show for a formula."""

from __future__ import annotations

from xml.etree import ElementTree

from markupsafe import Markup

from publish.math.mathml import serialize
from publish.model import Math

# An inline formula drawing more characters than this may be wider than a 320 px screen in
# large print: it scrolls inside itself there.
WIDE_INLINE = 12


def mathml_markup(math: Math, *, scrollable: bool = False) -> Markup:
    """MathML with its spoken form as ``alttext`` (what a reader without MathML support says)
    and ``display="block"`` for display math; a formula that was not converted is its TeX, as
    code, labelled with the same words. ``scrollable``: a wide inline formula is marked to
    scroll inside itself, and can take the keyboard's focus (HTML only: EPUB's MathML schema
    has no tabindex)."""
    if not math.mathml:
        return Markup('<code class="math-tex" role="math" aria-label="{}">{}</code>').format(math.spoken, math.tex)
    attributes = {"alttext": math.spoken, "display": "block" if math.display else "inline"}
    if scrollable and not math.display and len(drawn_text(math)) > WIDE_INLINE:
        attributes |= {"class": "wide", "tabindex": "0"}
    # The reader rebuilt this MathML from an allowlist of elements and attributes, and
    # serialize escapes every text and attribute value it writes.
    return Markup(serialize(ElementTree.fromstring(math.mathml), attributes))


def drawn_text(math: Math) -> str:
    """The characters a formula's MathML draws (its TeX annotation is never shown)."""
    if not math.mathml:
        return math.tex
    out: list[str] = []

    def visit(element: ElementTree.Element) -> None:
        if element.tag.rsplit("}", 1)[-1] == "annotation":
            return
        out.append(element.text or "")
        for child in element:
            visit(child)
            out.append(child.tail or "")

    visit(ElementTree.fromstring(math.mathml))
    return "".join(out)
