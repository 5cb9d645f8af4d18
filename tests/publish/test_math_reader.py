"""Math as papers write it, read into the model: formulas with MathML and words, display math
as numbered equations, references to them, macros, and formulas Pandoc cannot convert."""

from __future__ import annotations

import os
from pathlib import Path

from publish.model import CrossRef, Document, Equation, Math, Paragraph, block_inlines, plain_text, to_json
from publish.reader import read_article
from tests.publish.conftest import WriteArticle

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "fixtures" / "math" / "article.md"
GOLDEN = ROOT / "tests" / "golden" / "math.model.json"


def read(write_article: WriteArticle, body: str) -> Document:
    return read_article(write_article(body=body))


def test_golden_model_json() -> None:
    """The fixture's model, MathML and spoken forms included."""
    actual = to_json(read_article(SOURCE)).replace(str(SOURCE.parent), "<article>")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8"), "the model changed: UPDATE_GOLDEN=1 if on purpose"


def test_inline_math_has_mathml_and_words(write_article: WriteArticle) -> None:
    document = read(write_article, "\nThe square $x^2$ grows.\n")
    (math,) = [n for n in block_inlines(document.body) if isinstance(n, Math)]
    assert math.tex == "x^2" and not math.display
    assert math.mathml.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"') and "<msup>" in math.mathml
    assert math.spoken and "x" in math.spoken
    assert plain_text(document.body[0].children) == f"The square {math.spoken} grows."
    assert not document.warnings


def test_display_math_is_an_equation_block_between_paragraphs(write_article: WriteArticle) -> None:
    document = read(write_article, "\nBefore the formula\n$$a = b$$\nand after it.\n")
    assert [type(b) for b in document.body] == [Paragraph, Equation, Paragraph]
    before, equation, after = document.body
    assert isinstance(equation, Equation) and equation.math.display and equation.number == 0
    assert plain_text(before.children) == "Before the formula"  # type: ignore[union-attr]
    assert plain_text(after.children) == "and after it."  # type: ignore[union-attr]


def test_punctuation_after_display_math_is_not_a_paragraph(write_article: WriteArticle) -> None:
    document = read(write_article, "\nIt is\n$$a = b$$.\n")
    assert [type(b) for b in document.body] == [Paragraph, Equation]


def test_labelled_equations_are_numbered_and_referenced(write_article: WriteArticle) -> None:
    body = ("\n$$E = mc^2 \\label{eq:energy}$$\n\n"
            "\\begin{equation}\nF = ma \\label{eq:force}\n\\end{equation}\n\n"
            "$$p = mv$$ {#eq:momentum}\n\n"
            "See \\autoref{eq:energy}, \\eqref{eq:force} and @eq:momentum.\n")
    document = read(write_article, body)
    equations = [b for b in document.body if isinstance(b, Equation)]
    assert [e.number for e in equations] == [1, 2, 3]
    assert equations[0].math.tex == "E = mc^2"  # the label is not part of the formula shown
    references = [n for n in block_inlines(document.body) if isinstance(n, CrossRef)]
    assert sorted((r.text, r.target) for r in references) == sorted(
        [("Equation 1", equations[0].id), ("(2)", equations[1].id), ("Equation 3", equations[2].id)])
    assert not document.warnings


def test_macros_are_applied_and_their_definitions_vanish(write_article: WriteArticle) -> None:
    document = read(write_article, "\n\\newcommand{\\R}{\\mathbb{R}}\n\nA vector $x \\in \\R^n$.\n")
    assert len(document.body) == 1
    (math,) = [n for n in block_inlines(document.body) if isinstance(n, Math)]
    assert "ℝ" in math.mathml and "newcommand" not in to_json(document)


def test_macros_pandoc_lacks_have_stand_ins(write_article: WriteArticle) -> None:
    """As real papers write them (SpectroMap's \\hbox lost its whole display formula)."""
    body = ("\n$$ \\max_k T_k \\hbox{, per each } i. $$\n\nThen ${\\rm d}x$, $\\mathbbm{1}$, $\\argmin_x f$, "
            "$\\textup{a}$ and $\\vspace{2pt}\\boldmath y$.\n")
    document = read(write_article, body)
    formulas = {n.tex.split()[0]: n for n in block_inlines(document.body) if isinstance(n, Math)}
    assert len(formulas) == 6 and all(f.mathml for f in formulas.values()) and not document.warnings
    assert "per each" in formulas["\\max_k"].spoken and "argmin" in formulas["\\argmin_x"].mathml


def test_undefined_macro_is_a_warning_that_names_it(write_article: WriteArticle) -> None:
    path = write_article(body="\nA formula $\\foo{x} + 1$ here.\n")
    document = read_article(path)
    (math,) = [n for n in block_inlines(document.body) if isinstance(n, Math)]
    assert math.mathml == "" and math.tex == "\\foo{x} + 1" and "\\foo" in math.problem
    assert math.spoken and "\\" not in math.spoken
    (warning,) = document.warnings
    assert warning.line == path.read_text().splitlines().index("A formula $\\foo{x} + 1$ here.") + 1
    assert "\\foo" in warning.message and "shown as TeX" in warning.message
    assert plain_text(document.body[0].children) == "A formula \\foo{x} + 1 here."  # type: ignore[union-attr]


def test_mathml_keeps_nothing_but_mathml(write_article: WriteArticle) -> None:
    """Text that looks like markup stays text; no attribute outside the allowlist survives."""
    document = read(write_article, '\nSee $\\text{<script>alert(1)</script>} + \\href{javascript:x}{y}$.\n')
    for math in (n for n in block_inlines(document.body) if isinstance(n, Math)):
        assert "<script" not in math.mathml and "javascript" not in math.mathml and "href" not in math.mathml


def test_math_in_tables_notes_and_the_disclaimer(write_article: WriteArticle) -> None:
    front = 'title: "T"\nlang: en\ndisclaimer: "Results hold for $n > 30$."\n'
    body = "\n| a | b |\n|---|---|\n| $\\alpha$ | 1 |\n\nText.[^1]\n\n[^1]: A note with $\\beta$.\n"
    document = read_article(write_article(front, body))
    assert {m.tex for m in document.formulas()} == {"\\alpha", "\\beta", "n > 30"}
    assert all(m.mathml for m in document.formulas())


def test_a_formula_nested_past_reason_is_shown_as_tex_at_once(write_article: WriteArticle) -> None:
    """Pandoc's time grows exponentially with nested scripts: such a formula never reaches it."""
    deep = "x" + "^{x" * 30 + "}" * 30
    document = read(write_article, f"\nA tower ${deep}$ and $y^2$.\n")
    square, tower = sorted(document.formulas(), key=lambda math: len(math.tex))
    assert tower.mathml == "" and "nest 30 deep" in tower.problem and tower.spoken
    assert square.mathml
    (warning,) = document.warnings
    assert "nest 30 deep" in warning.message


def test_references_inside_math_are_written_out(write_article: WriteArticle) -> None:
    """Pandoc cannot convert \\ref in math; LaTeX prints the number, and so do we."""
    body = ("\n$$a = b \\label{dynamics}$$\n\n"
            "$$\\min_x f(x) \\quad \\textrm{subject to equation (\\ref{dynamics})}$$\n")
    document = read(write_article, body)
    second = [b for b in document.body if isinstance(b, Equation)][1]
    assert second.math.mathml and "(1)" in second.math.mathml and not document.warnings


def test_an_equation_has_its_own_line(write_article: WriteArticle) -> None:
    path = write_article(body="\nSome words before\nand more words\n$$a = b$$\nafter.\n")
    (equation,) = [b for b in read_article(path).body if isinstance(b, Equation)]
    assert equation.line == path.read_text().splitlines().index("$$a = b$$") + 1


def test_the_transcript_shows_an_unconverted_equation_as_its_tex(write_article: WriteArticle) -> None:
    """What parity looks for in the audio's transcript: the TeX, as every other edition shows it."""
    from publish.speech import segments

    document = read(write_article, "\nText.\n\n$$\\undefinedthing{x} = 1$$\n")
    (segment,) = [s for s in segments(document) if s.id.startswith("eq-")]
    assert segment.caption == "\\undefinedthing{x} = 1" and "undefinedthing" in segment.text


def test_a_formula_image_from_a_web_service_is_the_formula(write_article: WriteArticle) -> None:
    """GitHub-written papers draw math as <img src=".../render/math?math=\\phi">: every edition
    gets the formula itself, which it can show and speak, not an image never fetched."""
    body = ('\nAn angle <img src="https://render.githubusercontent.com/render/math?math=\\phi_1"> and '
            '<img src="https://latex.codecogs.com/svg.latex?x%5E2">.\n')
    document = read(write_article, body)
    assert sorted((m.tex, m.spoken) for m in document.formulas()) == [("\\phi_1", "phi sub 1"),
                                                                      ("x^2", "x squared")]
    assert not document.warnings


def test_other_raw_html_is_text_with_a_warning(write_article: WriteArticle) -> None:
    path = write_article(body="\nA <mark>marked</mark> word.\n")
    document = read_article(path)
    assert plain_text(document.body[0].children) == "A <mark>marked</mark> word."  # type: ignore[union-attr]
    (warning,) = document.warnings  # once, at the opening tag
    assert "raw HTML is shown as text" in warning.message
    assert warning.line == path.read_text().splitlines().index("A <mark>marked</mark> word.") + 1


def test_macros_of_the_latex_preamble_are_applied(write_article: WriteArticle) -> None:
    """localhierarchy (Quarto) defines \\glob in preamble.tex, named under format: pdf:
    include-in-header; R Markdown papers write header-includes. Twenty formulas showed as TeX."""
    path = write_article(raw="---\ntitle: T\nlang: en\nheader-includes: |\n  \\newcommand{\\R}{\\mathbb{R}}\n"
                         "format:\n  pdf:\n    include-in-header:\n      - file: preamble.tex\n---\n\n"
                         "A vector $x \\in \\R^n$ and $\\mu_\\glob$.\n", folder="q")
    preamble = "\\usepackage{amsmath}\n\\newcommand{\\glob}{\\mathrm{global}} % a note\n"
    (path.parent / "preamble.tex").write_text(preamble, encoding="utf-8")
    document = read_article(path)
    formulas = {n.tex: n for n in block_inlines(document.body) if isinstance(n, Math)}
    assert all(f.mathml for f in formulas.values()) and not document.warnings
    assert "ℝ" in next(f.mathml for f in formulas.values() if "x" in f.tex)
    assert document.body[0].line == 12  # type: ignore[union-attr]  # the text keeps its line
