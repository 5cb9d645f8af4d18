"""TeX to MathML, through Pandoc (texmath): one run for every formula of an article.

Pandoc writes each formula it cannot convert as TeX, with a warning on stderr that says where
the parse failed; such a formula keeps its TeX and the warning's reason. The MathML that comes
back is rebuilt element by element from an allowlist, so nothing but MathML reaches an edition.
"""

from __future__ import annotations

import html
import re
import subprocess
import urllib.parse
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from publish import crossrefs, pandoc
from publish.pandoc_ast import walk

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# MathML Core's elements, the legacy ones texmath writes (mfenced, menclose), and the
# semantics wrapper whose annotation keeps the TeX for copying.
ELEMENTS = frozenset({
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "mglyph",
    "mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded", "mphantom", "mfenced", "menclose",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none",
    "mtable", "mtr", "mtd", "mlabeledtr", "maction",
})
ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "form", "fence", "separator", "lspace", "rspace", "largeop",
    "movablelimits", "accent", "accentunder", "linethickness", "columnalign", "rowalign", "columnspacing",
    "rowspacing", "columnlines", "rowlines", "frame", "displaystyle", "scriptlevel", "width", "height",
    "depth", "voffset", "notation", "encoding", "minsize", "maxsize", "symmetric", "open", "close",
    "separators", "columnspan", "rowspan", "bevelled",
})
# What only places or numbers a formula: the reader numbers labelled equations itself.
_PLACING = re.compile(r"\\(?:label|tag\*?)\s*\{[^{}]*\}|\\(?:nonumber|notag)\b")
_FAILED = re.compile(r"^\[WARNING\] Could not convert TeX math (.*?), rendering as TeX:\n(.*?)(?=^\[|\Z)",
                     re.S | re.M)
_DIV = re.compile(r'<div id="f(\d+)">\s*(.*?)\s*</div>', re.S)
# Macros of LaTeX and its common packages that Pandoc's TeX reader (texmath) does not know, as
# ones it does: real papers write \hbox{, for each } and \argmin, and lost the whole formula.
_STAND_INS = [(re.compile(pattern), replacement) for pattern, replacement in (
    (r"\\hbox(?![A-Za-z])", r"\\mbox"), (r"\\textup(?![A-Za-z])", r"\\textrm"),
    # Plain TeX's font switches: "{\\bf Xw}" is \\mathbf{Xw}; one left bare takes what follows.
    (r"\{\\(rm|bf|it|sf|tt|cal)(?![A-Za-z])\s*([^{}]*)\}", r"{\\math\1{\2}}"),
    (r"\\(rm|bf|it|sf|tt|cal)(?![A-Za-z])", r"\\math\1"), (r"\\mathbbm(?![A-Za-z])", r"\\mathbb"),
    (r"\\(arg\s?min|arg\s?max)(?![A-Za-z])", r"\\operatorname*{\1}"),
    (r"\\(?:vspace|vskip)\*?\s*\{[^{}]*\}", ""), (r"\\cr(?![A-Za-z])", r"\\\\"),
    (r"\\(?:boldmath|unboldmath)(?![A-Za-z])", ""),
)]
TIMEOUT_S = 20.0
MAX_DEPTH = 16


@dataclass(frozen=True)
class Converted:
    mathml: str  # "" when the TeX could not be converted
    problem: str = ""  # why not, in a few words: "unexpected control sequence \foo"


# A formula drawn by a web service, as READMEs and papers written on GitHub embed one:
# <img src="https://render.githubusercontent.com/render/math?math=\phi">, or CodeCogs' LaTeX URL.
_MATH_IMAGE = re.compile(r"""^\s*<img\s[^>]*src\s*=\s*["'](?:https?:)?//"""
                         r"""(?:render\.githubusercontent\.com/render/math\?(?:[^"'>]*&(?:amp;)?)?math="""
                         r"""|latex\.codecogs\.com/(?:svg|png|gif)\.(?:latex|image)\?)"""
                         r"""([^"'&>]+)["'][^>]*>\s*$""", re.I)


def math_image(html: str) -> str | None:
    """The TeX of a formula image from a web service (a raw HTML <img>), or None: every
    edition then has the formula itself, not an image it would never fetch."""
    found = _MATH_IMAGE.match(html)
    return urllib.parse.unquote(found.group(1).replace("+", " ") if "codecogs" not in html.lower()
                                else found.group(1)) if found else None


def formulas_in(asts: list[Any]) -> list[tuple[str, bool]]:
    """Every formula of some Pandoc ASTs, once each, as (TeX, display): math and the raw LaTeX
    equation environments Pandoc leaves as they are."""
    found: dict[tuple[str, bool], None] = {}
    for node in walk(asts):
        if node["t"] == "Math":
            found[(node["c"][1], node["c"][0]["t"] == "DisplayMath")] = None
        elif node["t"] in ("RawInline", "RawBlock") and node["c"][0] in ("tex", "latex") \
                and crossrefs.MATH_ENVIRONMENT.match(node["c"][1]):
            found[(node["c"][1], True)] = None
        elif node["t"] == "RawInline" and node["c"][0] == "html" and (tex := math_image(node["c"][1])):
            found[(tex, False)] = None
    return list(found)


def without_placing(tex: str) -> str:
    return _PLACING.sub("", tex).strip()


def for_pandoc(tex: str) -> str:
    """The formula with stand-ins for the macros Pandoc does not know, without label and tag."""
    tex = without_placing(tex)
    for pattern, replacement in _STAND_INS:
        tex = pattern.sub(replacement, tex)
    return tex


def convert(formulas: list[tuple[str, bool]]) -> list[Converted]:
    """MathML for each (TeX, display) pair, in order. A formula nested deeper than any real one
    is not given to Pandoc, whose time grows exponentially with nested scripts (25 levels of
    ``x^{x^{...}}`` take it 40 s)."""
    too_deep = {index: depth for index, (tex, _) in enumerate(formulas) if (depth := brace_depth(tex)) > MAX_DEPTH}
    if too_deep:
        kept = [formula for index, formula in enumerate(formulas) if index not in too_deep]
        converted = iter(convert(kept))
        return [Converted("", f"its braces nest {too_deep[index]} deep, more than the {MAX_DEPTH} converted")
                if index in too_deep else next(converted) for index in range(len(formulas))]
    if not formulas:
        return []
    blocks = [{"t": "Div", "c": [[f"f{index}", [], []], [{"t": "Plain", "c": [
        {"t": "Math", "c": [{"t": "DisplayMath" if display else "InlineMath"}, for_pandoc(tex)]}]}]]}
        for index, (tex, display) in enumerate(formulas)]
    try:
        done = pandoc.write(blocks, ["-t", "html5", "--mathml"], TIMEOUT_S)
    except subprocess.TimeoutExpired:  # a formula nested past reason: each one is shown as TeX
        if len(formulas) > 1:  # find which, rather than lose every formula of the article
            return [*convert(formulas[: len(formulas) // 2]), *convert(formulas[len(formulas) // 2 :])]
        return [Converted("", f"Pandoc took longer than {TIMEOUT_S:.0f} s to convert it")]
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return [Converted("", reason[-1] if reason else "Pandoc failed") for _ in formulas]
    shown = {int(number): body for number, body in _DIV.findall(done.stdout.decode("utf-8"))}
    reasons = [_reason(detail) for _tex, detail in _FAILED.findall(done.stderr.decode("utf-8", "replace"))]
    out: list[Converted] = []
    for index in range(len(formulas)):
        body = shown.get(index, "")
        if body.startswith("<math"):
            try:
                out.append(Converted(clean(body)))
                continue
            except ElementTree.ParseError as exc:
                out.append(Converted("", f"Pandoc's MathML could not be read ({exc})"))
                continue
        out.append(Converted("", reasons.pop(0) if reasons else "Pandoc could not convert it"))
    return out


def brace_depth(tex: str) -> int:
    """How deep the formula's groups nest (``\\{`` is a brace shown, not a group)."""
    depth = deepest = 0
    for token in re.findall(r"\\.|[{}]", tex):
        if token == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif token == "}":
            depth = max(0, depth - 1)
    return deepest


def _reason(detail: str) -> str:
    """The last lines of Pandoc's report: "unexpected control sequence \\foo"."""
    lines = [line.strip() for line in detail.strip().splitlines() if line.strip()]
    meaningful = [line for line in lines[2:] if not line.startswith("expecting")]
    return html.unescape(meaningful[0]) if meaningful else "it could not be parsed"


def undefined_macro(problem: str) -> str | None:
    """The command a conversion failed on, if that was the reason: "\\foo"."""
    found = re.search(r"unexpected control sequence (\\[A-Za-z]+)", problem)
    return found.group(1) if found else None


def clean(markup: str) -> str:
    """The MathML rebuilt from the allowlists: unknown elements are dropped with their content,
    unknown attributes (style, href, on*) dropped."""
    return serialize(_copy(ElementTree.fromstring(markup)))


def serialize(element: ElementTree.Element, attributes: dict[str, str] | None = None) -> str:
    """MathML as HTML and XHTML both read it: ``<math xmlns="...">`` with unprefixed
    elements. (ElementTree's own writer takes its prefixes from a process-wide table that any
    library may change.) ``attributes`` are added to the outermost element."""
    out: list[str] = []

    def write(node: ElementTree.Element, extra: dict[str, str]) -> None:
        name = node.tag.rsplit("}", 1)[-1]
        pairs = {**({"xmlns": MATHML_NS} if node is element else {}), **node.attrib, **extra}
        out.append(f"<{name}" + "".join(f" {k}={quoteattr(v)}" for k, v in pairs.items()) + ">")
        out.append(escape(node.text or ""))
        for child in node:
            write(child, {})
            out.append(escape(child.tail or ""))
        out.append(f"</{name}>")

    write(element, attributes or {})
    return "".join(out)


def _copy(element: ElementTree.Element) -> ElementTree.Element:
    name = element.tag.rsplit("}", 1)[-1]
    copy = ElementTree.Element(f"{{{MATHML_NS}}}{name}",
                               {k: v for k, v in element.attrib.items() if k in ATTRIBUTES})
    copy.text = element.text
    for child in element:
        child_name = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if child_name in ELEMENTS:
            kept = _copy(child)
            kept.tail = child.tail
            copy.append(kept)
    return copy
