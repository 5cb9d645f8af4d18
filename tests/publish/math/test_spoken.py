"""Spoken math: real formulas from real papers as golden files (their TeX, Pandoc's MathML and
the words), each reading rule on its own, and properties that hold for any input.

The golden files are made from ``formulas.yaml`` beside this test. After a change that rightly
changes what is said, regenerate them and read the diff, as for the other golden tests:

    UPDATE_GOLDEN=1 .nox/tests/bin/python -m pytest -q -p no:cacheprovider tests/publish/math/test_spoken.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.math.mathml import MATHML_NS, convert
from publish.math.spoken import spoken, spoken_tex

ROOT = Path(__file__).resolve().parents[3]
FORMULAS = Path(__file__).with_name("formulas.yaml")
GOLDEN_MARKDOWN = ROOT / "tests" / "golden" / "math" / "spoken.md"
GOLDEN_JSON = ROOT / "tests" / "golden" / "math" / "spoken.json"
# What a speech engine should meet: words, digits and pauses, nothing it would read as a symbol.
PLAIN = re.compile(r"[\w ,;:.'-]*")
SPANISH_SHOWN = 12


def say(*texs: str, lang: str = "en") -> list[str]:
    """Each TeX through Pandoc (one run) and read aloud."""
    converted = convert([(tex, False) for tex in texs])
    missing = [tex for tex, c in zip(texs, converted, strict=True) if not c.mathml]
    assert not missing, f"Pandoc could not convert {missing}"
    return [spoken(c.mathml, lang) for c in converted]


def said(tex: str, lang: str = "en") -> str:
    return say(tex, lang=lang)[0]


# Golden: real formulas --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_formulas() -> list[dict[str, Any]]:
    entries = yaml.safe_load(FORMULAS.read_text(encoding="utf-8"))
    converted = convert([(entry["tex"], entry["display"]) for entry in entries])
    records: list[dict[str, Any]] = []
    for entry, result in zip(entries, converted, strict=True):
        if result.mathml:
            words = {lang: spoken(result.mathml, lang) for lang in ("en", "es")}
        else:
            words = {lang: spoken_tex(entry["tex"], lang) for lang in ("en", "es")}
        records.append({"source": entry["source"], "display": entry["display"], "tex": entry["tex"],
                        "mathml": result.mathml, "problem": result.problem, "spoken": words})
    return records


def _cell(text: str, code: bool = False) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    if not code:
        return flat
    fence = "``" if "`" in flat else "`"
    return f"{fence} {flat} {fence}" if fence == "``" else f"`{flat}`"


def markdown(records: list[dict[str, Any]]) -> str:
    converted = [r for r in records if r["mathml"]]
    failed = [r for r in records if not r["mathml"]]
    lines = [
        "# Spoken math: real formulas",
        "",
        "Golden file of `tests/publish/math/test_spoken.py`, made from `tests/publish/math/formulas.yaml`",
        "(regenerate with `UPDATE_GOLDEN=1`, then read the diff). Each formula is quoted as its source",
        "writes it; the source is `owner/repository path @ commit` on GitHub. The MathML Pandoc makes of",
        "each formula, and the Spanish words, are in `spoken.json` beside this file.",
        "",
        f"## Converted by Pandoc, read from the MathML ({len(converted)} formulas)",
        "",
        "| # | TeX | Spoken | Source |",
        "|---|-----|--------|--------|",
    ]
    lines += [f"| {n} | {_cell(r['tex'], code=True)} | {_cell(r['spoken']['en'])} | {_cell(r['source'])} |"
              for n, r in enumerate(converted, start=1)]
    lines += [
        "",
        f"## Not converted by Pandoc, read from the TeX ({len(failed)} formulas)",
        "",
        "Shown as TeX code with a warning; `spoken_tex` gives their alt text and audio.",
        "",
        "| # | TeX | Pandoc's reason | Spoken | Source |",
        "|---|-----|-----------------|--------|--------|",
    ]
    lines += [f"| {n} | {_cell(r['tex'], code=True)} | {_cell(r['problem'])} | {_cell(r['spoken']['en'])} | "
              f"{_cell(r['source'])} |" for n, r in enumerate(failed, start=1)]
    lines += [
        "",
        f"## In Spanish (`lang=\"es\"`, the first {SPANISH_SHOWN})",
        "",
        "| # | TeX | Spoken |",
        "|---|-----|--------|",
    ]
    lines += [f"| {n} | {_cell(r['tex'], code=True)} | {_cell(r['spoken']['es'])} |"
              for n, r in enumerate(converted[:SPANISH_SHOWN], start=1)]
    return "\n".join(lines) + "\n"


def test_real_formulas_match_the_golden_files(real_formulas: list[dict[str, Any]]) -> None:
    as_json = json.dumps(real_formulas, ensure_ascii=False, indent=1) + "\n"
    as_markdown = markdown(real_formulas)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN_JSON.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN_JSON.write_text(as_json, encoding="utf-8")
        GOLDEN_MARKDOWN.write_text(as_markdown, encoding="utf-8")
    assert as_json == GOLDEN_JSON.read_text(encoding="utf-8")
    assert as_markdown == GOLDEN_MARKDOWN.read_text(encoding="utf-8")


def test_real_formulas_are_many_sourced_and_plainly_spoken(real_formulas: list[dict[str, Any]]) -> None:
    converted = [r for r in real_formulas if r["mathml"]]
    assert len(converted) >= 30
    assert len({r["source"].split(" @ ")[0] for r in real_formulas}) >= 15
    for record in real_formulas:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+ \S+ @ [0-9a-f]{7,40}( \(.*\))?", record["source"]), record["source"]
        for lang, words in record["spoken"].items():
            assert words, (record["tex"], lang)
            assert PLAIN.fullmatch(words), (record["tex"], lang, words)
            assert "  " not in words and not words.endswith((",", ";", ":"))
            assert "backslash" not in words and "brace" not in words


# The rules, one by one --------------------------------------------------------------------------


def test_powers_squared_cubed_and_the_end_of_a_long_exponent() -> None:
    assert say("x^2", "x^3", "x^n", "x^{n+1} + 1", "e^{i\\pi}") == [
        "x squared", "x cubed", "x to the power n", "x to the power n plus 1, end power, plus 1",
        "e to the power i pi"]


def test_an_end_marker_with_nothing_after_it_is_not_said() -> None:
    assert said("x^{n+1}") == "x to the power n plus 1"
    assert said("\\sqrt{x+1}") == "the square root of x plus 1"


def test_simple_fraction_over_and_nested_fraction_with_its_end() -> None:
    assert said("\\frac{a}{b}") == "a over b"
    assert said("\\frac{1}{1+\\frac{1}{x}} + 1") == "the fraction 1 over 1 plus 1 over x, end fraction, plus 1"
    assert said("\\frac{1}{n}\\sum_{i=1}^{n} x_i") == "1 over n times the sum from i equals 1 to n of x sub i"


def test_roots_by_their_index() -> None:
    assert say("\\sqrt{x}", "\\sqrt[3]{x}", "\\sqrt[4]{x}", "\\sqrt[n]{x}", "\\sqrt{x + 1} - 1") == [
        "the square root of x", "the cube root of x", "the fourth root of x", "the n-th root of x",
        "the square root of x plus 1, end root, minus 1"]


def test_sums_products_integrals_and_limits_with_their_bounds() -> None:
    assert say("\\sum_{i=1}^{n} x_i", "\\prod_{k=1}^K p_k", "\\int_0^1 f(x)\\, dx",
               "\\lim_{n \\to \\infty} a_n = 0", "\\max_{x} f(x)", "\\int_\\Omega u \\, d\\Omega") == [
        "the sum from i equals 1 to n of x sub i",
        "the product from k equals 1 to K of p sub k",
        "the integral from 0 to 1 of f of x, d x",
        "the limit as n approaches infinity of a sub n, equals 0",
        "the maximum over x of f of x",
        "the integral over capital Omega of u, d capital Omega"]


def test_a_sum_ends_at_the_next_plus_and_an_integral_at_its_differential() -> None:
    assert said("\\sum_i a_i + b") == "the sum over i of a sub i plus b"
    assert said("\\int_0^1 x + 1 \\, dx + c") == "the integral from 0 to 1 of x plus 1, d x plus c"


def test_greek_letters_are_named_and_capitals_said_so() -> None:
    assert said("\\alpha + \\beta_i + \\Sigma + \\varphi") == "alpha plus beta sub i plus capital Sigma plus phi"


def test_subscripts_sub_and_a_long_subscript_ends() -> None:
    assert say("x_i", "x_{ij}", "x_{i+1} + 1", "x_i^2", "a_{1,2}") == [
        "x sub i", "x sub i j", "x sub i plus 1, end sub, plus 1", "x sub i squared", "a sub 1 comma 2"]


def test_matrices_row_by_row() -> None:
    assert said("A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}") == \
        "A equals the 2 by 2 matrix; row 1: 1, 2; row 2: 3, 4"
    assert said("\\begin{pmatrix} x \\\\ y \\end{pmatrix} + v") == "the column vector: x; y, end matrix, plus v"
    assert said("\\begin{vmatrix} a & b \\\\ c & d \\end{vmatrix}") == \
        "the determinant of the 2 by 2 matrix; row 1: a, b; row 2: c, d"


def test_cases_each_value_with_its_condition() -> None:
    assert said("f(x) = \\begin{cases} 0 & x < 0 \\\\ 1 & \\text{otherwise} \\end{cases}") == \
        "f of x equals, 2 cases: 0 if x is less than 0; 1 otherwise"


def test_aligned_equations_row_by_row() -> None:
    assert said("\\begin{aligned} a &= b + c \\\\ d &= e - f \\end{aligned}") == \
        "a equals b plus c; d equals e minus f"


def test_relations_and_operators_in_words() -> None:
    assert said("a \\leq b \\neq c \\approx d \\geq e") == \
        "a is less than or equal to b is not equal to c is approximately equal to d is greater than or equal to e"
    assert said("x \\pm y \\times z \\in A \\subset B") == "x plus or minus y times z is in A is a subset of B"
    assert said("f: A \\to B") == "f, from A, to B"


def test_functions_their_arguments_and_multiplying_parentheses() -> None:
    assert say("f(x)", "\\sin x", "\\sin^2 x", "\\log_2 n", "f(x+1)", "k(x+1)", "2(x+1)") == [
        "f of x", "sine of x", "sine squared of x", "log base 2 of n", "f of open paren x plus 1 close paren",
        "k times open paren x plus 1 close paren", "2 times open paren x plus 1 close paren"]


def test_probability_expectation_binomial_and_big_o() -> None:
    assert say("P(A|B)", "\\mathbb{E}[X]", "\\binom{n}{k}", "O(n \\log n)", "\\mathbb{E}_{x}[f(x)]") == [
        "P of A given B", "the expected value of X", "n choose k", "big O of n log of n",
        "the expected value over x of f of x"]


def test_derivatives() -> None:
    assert say("\\frac{\\partial f}{\\partial x}", "\\frac{d}{dx} f(x)", "\\frac{d^2 y}{dt^2}",
               "\\frac{\\partial^2 u}{\\partial x \\partial y}") == [
        "the partial derivative of f with respect to x", "the derivative with respect to x of f of x",
        "the second derivative of y with respect to t",
        "the second partial derivative of u with respect to x and y"]


def test_accents_styles_and_sets_of_numbers() -> None:
    assert say("\\bar{x}", "\\hat{x}", "\\dot{x}", "\\vec{v}", "\\mathbf{A}", "\\mathcal{L}", "\\mathbb{R}",
               "\\mathbb{R}^n", "\\mathbb{N}") == [
        "x bar", "x hat", "x dot", "vector v", "bold A", "script L", "the real numbers", "R to the n",
        "the natural numbers"]


def test_norms_absolute_values_sets_and_intervals() -> None:
    assert say("|x|", "|x - y| + 1", "\\lVert x \\rVert", "\\|x\\|_2^2", "\\{x \\in A : x > 0\\}",
               "x \\in [0, 1]", "x \\in (0, 1]") == [
        "the absolute value of x", "the absolute value of x minus y, end absolute value, plus 1",
        "the norm of x", "the 2 norm of x, squared", "the set of x in A such that x is greater than 0",
        "x is in the closed interval from 0 to 1", "x is in the half-open interval from 0 to 1"]


def test_numbers_primes_factorials_and_dots() -> None:
    assert say("1{,}000 + 0.05", "f'(x)", "n!", "x_1, \\ldots, x_n", "x^\\top y") == [
        "1,000 plus 0.05", "f prime of x", "n factorial", "x sub 1, dot dot dot, x sub n", "x transpose y"]


def test_text_in_a_formula_is_read_as_its_words() -> None:
    assert said("x \\text{ if } x > 0") == "x if x is greater than 0"


def test_other_languages_are_a_table_and_an_unknown_one_is_english() -> None:
    assert say("x^2", "\\frac{a}{b}", "\\sqrt{x}", "x \\in A", lang="es") == [
        "x al cuadrado", "a sobre b", "la raíz cuadrada de x", "x pertenece a A"]
    assert said("\\alpha^2", lang="es-MX") == "alfa al cuadrado"
    assert said("x^2", lang="xx") == said("x^2", lang="en-GB") == "x squared"


def test_tex_that_pandoc_cannot_convert_is_read_without_its_syntax() -> None:
    assert spoken_tex("\\undefinedmacro{x} + 1") == "undefinedmacro of x plus 1"
    assert spoken_tex("\\frac{\\alpha}{2} + x^2 - \\Sigma_i") == "alpha over 2 plus x squared minus capital Sigma sub i"
    assert spoken_tex("\\begin{cases} 0 & x < 0 \\\\ 1 \\end{cases}") == "0, x is less than 0; 1"
    assert spoken_tex("z \\in \\{0, 1\\}") == "z is in the set 0, 1"
    assert spoken_tex("\\label{eq:a} E = mc^2 % energy") == "E equals m c squared"


def test_mathml_that_cannot_be_read_says_nothing_rather_than_fail() -> None:
    assert spoken("<math><mi>x", "en") == ""
    assert spoken(f'<math xmlns="{MATHML_NS}"><mfrac><mi>a</mi></mfrac></math>') == "the fraction a over"
    assert spoken(f'<math xmlns="{MATHML_NS}"><msup/></math>') == ""


def test_nesting_deeper_than_the_stack_is_read_flat_rather_than_fail() -> None:
    deep = "<mfrac><mn>1</mn>" * 400 + "<mi>x</mi>" + "</mfrac>" * 400
    tex = "\\frac{1}{" * 400 + "x" + "}" * 400
    annotated = f'<math xmlns="{MATHML_NS}"><semantics>{deep}<annotation encoding="application/x-tex">{tex}' \
                "</annotation></semantics></math>"
    assert spoken(annotated).split() == ["1"] * 400 + ["x"]
    assert spoken_tex("{" * 3000 + "x" + "}" * 3000) == "x"
    assert spoken_tex("x^{" * 1000).split() == ["x"] * 1000
    assert spoken_tex("_" * 5000 + "y") == "y"


# Properties ---------------------------------------------------------------------------------------

TEX_PIECES = [
    "x", "y", "2", "0.5", "+", "-", "=", "<", "\\leq", "^", "_", "{", "}", "(", ")", "[", "]", "|", "\\|",
    ",", ":", "'", "!", "\\frac{", "}{", "\\sqrt", "\\sqrt[3]", "\\sum_{i=1}^{n}", "\\int_0^1", "\\lim_{n\\to\\infty}",
    "\\alpha", "\\Sigma", "\\mathbb{R}", "\\mathbf{x}", "\\hat", "\\bar", "\\vec", "\\partial", "\\nabla", "d",
    "\\sin", "\\log", "\\left(", "\\right)", "\\left|", "\\right|", "\\{", "\\}", "\\in", "\\to", "\\cdot",
    "\\times", "\\ldots", "\\infty", "\\text{if }", "\\begin{cases}", "&", "\\\\", "\\end{cases}",
    "\\begin{pmatrix}", "\\end{pmatrix}", "\\binom{n}{k}", "\\mathcal{O}", "\\quad", "\\,", "f", "P", "E",
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(TEX_PIECES), min_size=1, max_size=12).map(" ".join),
                min_size=20, max_size=20))
def test_spoken_never_fails_on_mathml_pandoc_makes_of_random_tex(texs: list[str]) -> None:
    for tex, result in zip(texs, convert([(t, False) for t in texs]), strict=True):
        words = spoken(result.mathml) if result.mathml else spoken_tex(tex)
        assert PLAIN.fullmatch(words), (tex, words)


TOKENS = ["x", "a", "2", "10", "1.5", "α", "Σ", "𝑨", "𝒳", "ℝ", "𝔼", "𝟎", "∞", "∂", "∇", "+", "−", "=", "≤", "∈",
          "→", "(", ")", "[", "]", "{", "}", "|", "‖", "∣", ",", ".", ":", "!", "′", "∑", "∫", "lim", "sin", "d",
          "…", "̂", "‾", "→", "⊤", "∘", "⁡", "⁢", "", " ", "if", "☃", "\u200b", "max"]
LEAVES = ["mi", "mn", "mo", "mtext"]
NODES = ["mrow", "mfrac", "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover", "munderover",
         "mtable", "mtr", "mtd", "mfenced", "mstyle", "menclose", "mmultiscripts", "mprescripts", "none",
         "semantics", "mphantom", "mspace", "mlabeledtr", "mpadded"]
ATTRIBUTES = st.dictionaries(
    st.sampled_from(["mathvariant", "form", "linethickness", "accent", "width", "open", "close", "separators"]),
    st.sampled_from(["normal", "bold", "double-struck", "script", "prefix", "postfix", "infix", "0", "true",
                     "1em", "0.167em", "(", "]", "", ",;"]),
    max_size=2)


def _leaf(tag: str, text: str, attributes: dict[str, str]) -> ElementTree.Element:
    element = ElementTree.Element(f"{{{MATHML_NS}}}{tag}", attributes)
    element.text = text
    return element


def _node(tag: str, children: list[ElementTree.Element], attributes: dict[str, str]) -> ElementTree.Element:
    element = ElementTree.Element(f"{{{MATHML_NS}}}{tag}", attributes)
    element.extend(children)
    return element


MATHML_TREES = st.recursive(
    st.builds(_leaf, st.sampled_from(LEAVES), st.sampled_from(TOKENS), ATTRIBUTES),
    lambda children: st.builds(_node, st.sampled_from(NODES), st.lists(children, max_size=4), ATTRIBUTES),
    max_leaves=24,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(MATHML_TREES, max_size=4), st.sampled_from(["en", "es", "de"]))
def test_spoken_never_fails_on_any_tree_of_mathml_elements(children: list[ElementTree.Element], lang: str) -> None:
    root = _node("math", children, {"display": "block"})
    words = spoken(ElementTree.tostring(root, encoding="unicode"), lang)
    assert PLAIN.fullmatch(words), words
    assert "  " not in words


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from([*TEX_PIECES, "\\", "%", "\\undefined", "\\begin{", "~"]))
                 .map("".join)))
def test_spoken_tex_never_fails_and_never_reads_tex_syntax(tex: str) -> None:
    words = spoken_tex(tex)
    assert PLAIN.fullmatch(words), (tex, words)
    assert "backslash" not in words and "brace" not in words


def test_prose_in_a_formula_is_never_multiplied() -> None:
    """"subject to" after a function's value is words of the sentence, not a factor."""
    spaced, joined = say(r"\min_x f(x) \quad \text{subject to equations (1)-(4)}",
                         r"\min_x f(x) \text{ subject to } x > 0")
    assert spaced == "the minimum over x of f of x, subject to equations 1 to 4", spaced
    assert "times" not in joined and "f of x subject to x" in joined, joined
