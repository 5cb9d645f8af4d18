"""Cross-references as papers write them: LaTeX's ``\\label``/``\\ref``/``\\autoref`` (JOSS),
pandoc-crossref's ``{#fig:x}`` and ``@fig:x``, Quarto's ``#fig-x`` and ``@fig-x``.

Figures and tables are numbered in reading order, labelled or not, as a printed paper numbers
them; a reference becomes a link whose text is "Figure 2", "Table 1", "Equation 3" (or, for a
section, its title: the editions do not number their headings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from publish.language import primary
from publish.pandoc_ast import walk

LABEL = re.compile(r"\\label\{([^{}]+)\}")
MATH_ENVIRONMENT = re.compile(r"^\s*\\begin\{(equation|align|alignat|flalign|gather|multline|eqnarray|displaymath|"
                              r"math)\*?\}")
REF = re.compile(r"^\\(autoref|Autoref|cref|Cref|ref|eqref|pageref)\{([^{}]+)\}$")
# Citation keys that are cross-references (pandoc-crossref, Quarto), and what they point at.
PREFIXES = {"fig": "figure", "tbl": "table", "tab": "table", "eq": "equation", "sec": "section",
            "lst": "listing"}
CROSSREF_KEY = re.compile(r"^(fig|tbl|tab|eq|sec|lst)[:-]", re.I)
# pandoc-crossref's label after display math: $$ x $$ {#eq:name}
EQUATION_LABEL = re.compile(r"^\{#(eq[:-][^\s{}]+)\}$")
# An author's own "Figure 3:" at the start of a caption: the number is not added twice.
NUMBERED_CAPTION = re.compile(r"^\s*(fig(ure)?|table|tab)\.?\s*\d+", re.I)
NAMES = {
    "en": {"figure": "Figure", "table": "Table", "equation": "Equation", "listing": "Listing", "section": "Section"},
    "es": {"figure": "Figura", "table": "Tabla", "equation": "Ecuación", "listing": "Listado", "section": "Sección"},
    "fr": {"figure": "Figure", "table": "Tableau", "equation": "Équation", "listing": "Listing",
           "section": "Section"},
    "de": {"figure": "Abbildung", "table": "Tabelle", "equation": "Gleichung", "listing": "Listing",
           "section": "Abschnitt"},
    "pt": {"figure": "Figura", "table": "Tabela", "equation": "Equação", "listing": "Listagem", "section": "Seção"},
    "it": {"figure": "Figura", "table": "Tabella", "equation": "Equazione", "listing": "Listato",
           "section": "Sezione"},
}


@dataclass
class Target:
    kind: str  # figure, table, equation, section
    number: int  # 0 for a section
    title: str = ""  # a section's heading text


@dataclass
class Labels:
    """Every label of a text and what it names, found before the text is translated so that a
    reference may come before its target."""

    targets: dict[str, Target] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, labels: list[str], title: str = "") -> int:
        number = 0
        if kind != "section":
            number = self.counts[kind] = self.counts.get(kind, 0) + 1
        for label in labels:
            self.targets.setdefault(label, Target(kind, number, title))
        return number


def labels_in(value: Any) -> list[str]:
    """``\\label{...}`` commands anywhere inside an AST value (a caption, a heading, math), and
    the empty spans Inara's example paper labels a table with: ``[]{label="proglangs"}``."""
    found: list[str] = []
    for node in walk(value):
        if (node["t"] == "RawInline" and node["c"][0] in ("tex", "latex")) or node["t"] == "Math":
            found += LABEL.findall(node["c"][1])
        elif node["t"] == "Span":
            found += [value for key, value in node["c"][0][2] if key == "label" and value.strip()]
    return found


def attr_id(attr: Any) -> list[str]:
    return [attr[0]] if attr and attr[0] else []


def collect(blocks: list[dict[str, Any]], words: Any, expand_raw: Any) -> Labels:
    """The labels of blocks in reading order. ``words(node)`` gives a node's text (a section's
    title); ``expand_raw(block)`` gives the blocks of a raw LaTeX figure or table, or None."""
    labels = Labels()

    def visit(value: Any, outer: list[str]) -> None:
        """``outer``: the labels of a Div around a lone figure or table (LaTeX's reader makes one)."""
        if isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, equation_label(value[index + 1 : index + 3]) if is_display_math(item) else [])
            return
        if not isinstance(value, dict):
            return
        kind = value.get("t")
        if kind in ("RawBlock", "RawInline") and MATH_ENVIRONMENT.match(value["c"][1]):
            found = LABEL.findall(value["c"][1]) + outer
            if found:
                labels.add("equation", found)
            return
        if kind == "RawBlock":
            visit(expand_raw(value) or [], [])
            return
        if kind == "Div" and value["c"][0][0] and value["c"][1] and value["c"][1][0]["t"] in ("Table", "Figure"):
            visit(value["c"][1][0], attr_id(value["c"][0]))
            visit(value["c"][1][1:], [])
            return
        if kind == "Figure":
            labels.add("figure", outer + attr_id(value["c"][0]) + labels_in(value["c"][1]) + labels_in(value["c"][2]))
        elif kind == "Table":
            labels.add("table", outer + attr_id(value["c"][0]) + labels_in(value["c"][1]))
        elif kind == "Header":
            found = attr_id(value["c"][1]) + labels_in(value["c"][2])
            if found:
                labels.add("section", found, words(value))
        elif kind == "Math" and value["c"][0]["t"] == "DisplayMath":
            found = labels_in(value) + outer
            if found:
                labels.add("equation", found)
        for child in value.values():
            visit(child, [])

    visit(blocks, [])
    return labels


def is_display_math(value: Any) -> bool:
    """Display math, or a raw LaTeX equation environment (Pandoc leaves those as they are)."""
    if not isinstance(value, dict):
        return False
    if value.get("t") == "Math":
        return bool(value["c"][0]["t"] == "DisplayMath")
    return value.get("t") in ("RawInline", "RawBlock") and bool(MATH_ENVIRONMENT.match(value["c"][1]))


def equation_label(following: list[dict[str, Any]]) -> list[str]:
    """The pandoc-crossref label among the inlines after display math, if one comes next."""
    words = [node for node in following if node.get("t") not in ("Space", "SoftBreak")]
    found = EQUATION_LABEL.match(words[0]["c"]) if words and words[0].get("t") == "Str" else None
    return [found.group(1)] if found else []


MATH_REF = re.compile(r"\\(autoref|Autoref|cref|Cref|ref|eqref)\s*\{([^{}]+)\}")


def resolve_in_math(tex: str, labels: Labels, lang: str) -> str:
    """A formula with its references to labelled equations, figures or tables written out, as
    LaTeX prints them ("(1)-(4)"), and text nested in text flattened: Pandoc's TeX reader
    can convert neither."""
    def written(match: re.Match[str]) -> str:
        target = labels.targets.get(match.group(2).strip())
        if target is None or target.kind == "section":
            return match.group(0)
        text = reference_text(target, lang, match.group(1).lower())
        return text if _in_text(tex, match.start()) else f"\\text{{{text}}}"

    tex = MATH_REF.sub(written, tex)
    while True:  # text inside text, which LaTeX allows and Pandoc cannot read: \textrm{a \textrm{-} b}
        flatter = _NESTED_TEXT.sub(r"\1\2", tex)
        if flatter == tex:
            return tex
        tex = flatter


_TEXT_GROUP = re.compile(r"\\(?:text\w*|mbox|hbox|mathrm|operatorname)\s*\{")
_NESTED_TEXT = re.compile(r"(\\(?:text\w*|mbox)\s*\{[^{}]*)\\(?:text\w*|mbox)\s*\{([^{}]*)\}")


def _in_text(tex: str, position: int) -> bool:
    """Whether ``position`` lies inside a ``\\text{...}`` group of the formula."""
    for opening in _TEXT_GROUP.finditer(tex, 0, position):
        depth = 1
        for char in tex[opening.end():position]:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                break
        if depth > 0:
            return True
    return False


def reference_text(target: Target, lang: str, command: str = "autoref") -> str:
    """What a reference says: "Figure 2" (``\\autoref``, ``@fig:x``), "2" (``\\ref``,
    ``[-@fig:x]``), "(3)" (``\\eqref``); a section by its title."""
    if target.kind == "section":
        return target.title
    if command in ("ref", "pageref", "suppress-author"):
        return str(target.number)
    if command == "eqref":
        return f"({target.number})"
    names = NAMES.get(primary(lang), NAMES["en"])
    return f"{names.get(target.kind, target.kind.title())} {target.number}"


def caption_prefix(kind: str, number: int, lang: str, caption_text: str) -> str:
    """ "Figure 2: " before a caption, unless the author wrote the number in it already."""
    if not caption_text or NUMBERED_CAPTION.match(caption_text):
        return ""
    names = NAMES.get(primary(lang), NAMES["en"])
    return f"{names[kind]} {number}: "
