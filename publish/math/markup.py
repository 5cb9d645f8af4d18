"""The ``<math>`` element the HTML editions (EPUB, large print) show for a formula."""

from __future__ import annotations

from xml.etree import ElementTree

from markupsafe import Markup

from publish.math.mathml import serialize
from publish.model import Math


def mathml_markup(math: Math) -> Markup:
    """MathML with its spoken form as ``alttext`` (what a reader without MathML support says)
    and ``display="block"`` for display math; a formula that was not converted is its TeX, as
    code, labelled with the same words."""
    if not math.mathml:
        return Markup('<code class="math-tex" role="math" aria-label="{}">{}</code>').format(math.spoken, math.tex)
    element = ElementTree.fromstring(math.mathml)
    # The reader rebuilt this MathML from an allowlist of elements and attributes, and
    # serialize escapes every text and attribute value it writes.
    return Markup(serialize(element, {"alttext": math.spoken, "display": "block" if math.display else "inline"}))


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
