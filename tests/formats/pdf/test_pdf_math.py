"""Formulas in both PDFs: drawn by ziamath, on the baseline at the text's size (18 pt in large
print), display ones centred with their number at the right, tagged Formula with the spoken
form as /Alt in their place in the reading order; a formula Pandoc could not convert is its TeX
as code, tagged the same way; no converted formula's TeX reaches the text layer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTChar, LTCurve, LTItem, LTTextLine

from formats.pdf import weasy
from formats.pdf.math import draw, formula_markup
from formats.pdf.renderer import LargePrintPdfRenderer, PdfRenderer
from publish.check.findings import failures
from publish.check.pdfua import check_pdf, structure_text
from publish.math.mathml import convert
from publish.model import Document, Equation, Heading, Math, Metadata, Paragraph, Text
from publish.renderer import RenderContext

# (TeX, display, spoken form) of each formula of the test document.
FORMULAS = {
    "quad": (r"ax^2 + bx + c = 0", False, "a x squared plus b x plus c equals 0"),
    "roots": (r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}", False,
              "x equals the fraction negative b plus or minus the square root of b squared minus 4 a c, "
              "end root, over 2 a, end fraction"),
    "sigma": (r"\sigma^2", False, "sigma squared"),
    "gauss": (r"\int_{-\infty}^{\infty} e^{-x^2}\,dx = \sqrt{\pi}", True,
              "the integral from negative infinity to infinity of e to the negative x squared d x "
              "equals the square root of pi"),
    "matrix": (r"\mathbf{A} = \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", True,
               "bold A equals the 2 by 2 matrix; row 1: 1, 2; row 2: 3, 4; end matrix"),
    "cases": (r"f(x) = \begin{cases} 0 & x < 0 \\ 1 & \text{otherwise} \end{cases}", True,
              "f of x equals 0 if x is less than 0, 1 otherwise"),
    "limit": (r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e", True,
              "the limit as n approaches infinity of open paren 1 plus 1 over n close paren to the n equals e"),
    "failed": (r"\undefinedmacro{x} + 1", False, "undefinedmacro of x plus 1"),
}
# Each formula's element in reading order, and the role of the element that holds it.
ORDER = [("sigma", "H2"), ("quad", "P"), ("roots", "P"), ("sigma", "P"), ("gauss", "Div"), ("matrix", "Div"),
         ("cases", "Div"), ("limit", "P"), ("failed", "P")]
RENDERERS = [PdfRenderer(), LargePrintPdfRenderer()]
# The body text's size (pt) in each edition's CSS, and its page margin at the right (the
# equation number's edge).
TEXT_SIZE = {"pdf": 10.75, "large-print-pdf": 18.0}
RIGHT_MARGIN = {"pdf": 28 / 25.4 * 72, "large-print-pdf": 25 / 25.4 * 72}


def maths() -> dict[str, Math]:
    converted = convert([(tex, display) for tex, display, _spoken in FORMULAS.values()])
    return {name: Math(tex, done.mathml, spoken, display, done.problem)
            for (name, (tex, display, spoken)), done in zip(FORMULAS.items(), converted, strict=True)}


def document(folder: Path, math: dict[str, Math]) -> Document:
    body = (
        Heading("inline", 3, 2, (Text("Inline formulas "), math["sigma"])),
        Paragraph("p1", 5, (Text("A quadratic "), math["quad"], Text(" has the roots "), math["roots"],
                            Text(", and the Greek letter "), math["sigma"],
                            Text(" is named. The text goes on for a while so that the paragraph runs over "
                                 "more than one line of the page."))),
        Equation("eq-gauss", 7, math["gauss"], 1),
        Paragraph("p2", 9, (Text("A matrix, numbered:"),)),
        Equation("eq-matrix", 11, math["matrix"], 2),
        Paragraph("p3", 13, (Text("Cases, unnumbered:"),)),
        Equation("eq-cases", 15, math["cases"]),
        Paragraph("p4", 17, (Text("A limit inside a paragraph, "), math["limit"],
                             Text(" and the text goes on after it."))),
        Paragraph("p5", 19, (Text("A formula Pandoc cannot convert: "), math["failed"], Text(". The end."))),
    )
    return Document(source=str(folder / "article.md"), slug="math", figures_dir=str(folder), body=body,
                    meta=Metadata(title="Math in the PDFs", lang="en", authors=("Test Author",), date="2026-11-29"))


@dataclass(frozen=True)
class Built:
    math: dict[str, Math]
    files: dict[str, Path]  # edition name -> PDF


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("math")
    math = maths()
    assert not math["failed"].mathml and all(m.mathml for name, m in math.items() if name != "failed")
    files = {renderer.name: renderer.render(document(folder, math), RenderContext(folder, folder)).files[0]
             for renderer in RENDERERS}
    return Built(math, files)


@dataclass(frozen=True)
class Formula:
    alt: str
    holder: str  # role of the nearest ancestor that is not a Formula
    bbox: tuple[float, float, float, float]  # left, bottom, right, top in PDF points
    kids: tuple[str, ...]  # roles of its child elements


def formulas(path: Path) -> tuple[list[Formula], list[str]]:
    """Every Formula in reading order, and every role in the tree."""
    found: list[Formula] = []
    roles: list[str] = []
    with pikepdf.open(path) as pdf:

        def visit(elem: pikepdf.Dictionary, holder: str) -> None:
            kids = elem.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                    continue
                role = str(kid.S)[1:]
                roles.append(role)
                if role == "Formula":
                    x1, y1, x2, y2 = (float(v) for v in kid.A.BBox)
                    kid_roles = tuple(str(k.S)[1:] for k in kid.get("/K", [])
                                      if isinstance(k, pikepdf.Dictionary) and "/S" in k)
                    found.append(Formula(str(kid.Alt), holder, (x1, y1, x2, y2), kid_roles))
                visit(kid, role)

        visit(pdf.Root.StructTreeRoot, "")
    return found, roles


@pytest.mark.parametrize("edition", ["pdf", "large-print-pdf"])
def test_every_formula_is_tagged_formula_with_its_words_in_its_place(built: Built, edition: str) -> None:
    found, roles = formulas(built.files[edition])
    assert [(f.alt, f.holder) for f in found] == [(built.math[name].spoken, holder) for name, holder in ORDER]
    assert "Figure" not in roles  # a drawn formula is no figure
    assert [f.kids for f in found if f.alt == built.math["failed"].spoken] == [("Span",)]  # its TeX as text
    assert all(f.bbox[2] > f.bbox[0] and f.bbox[3] > f.bbox[1] for f in found)
    assert [f for f in check_pdf(built.files[edition]) if not f.ok] == []


@pytest.mark.parametrize("edition", ["pdf", "large-print-pdf"])
def test_the_tagged_text_reads_each_formula_in_words_where_it_stands(built: Built, edition: str) -> None:
    """What parity compares with the model's text, where a formula is its words, or its TeX
    when it is shown as such."""
    text = squash(structure_text(built.files[edition]) or "")
    spoken = {name: math.spoken for name, math in built.math.items()}
    expected = [
        f"Inline formulas {spoken['sigma']}",
        f"A quadratic {spoken['quad']} has the roots {spoken['roots']}, and the Greek letter {spoken['sigma']} "
        "is named.",
        f"{spoken['gauss']} (1)",
        f"{spoken['matrix']} (2)",
        f"{spoken['cases']}",
        f"A limit inside a paragraph, {spoken['limit']} and the text goes on after it.",
        f"A formula Pandoc cannot convert: {built.math['failed'].tex}. The end.",  # shown as code, read so
    ]
    at = 0
    for part in expected:
        found = text.find(squash(part), at)
        assert found >= 0, part
        at = found + len(squash(part))
    assert "\\" not in text.replace(squash(built.math["failed"].tex), "")  # no TeX of a drawn formula


@pytest.mark.parametrize("edition", ["pdf", "large-print-pdf"])
def test_text_extraction_shows_no_tex_of_a_drawn_formula(built: Built, edition: str) -> None:
    text = extract_text(built.files[edition])
    failed = built.math["failed"].tex
    assert failed in text  # shown as written, as code
    rest = text.replace(failed, "")
    assert not re.search(r"\\[A-Za-z]|[\^_{}]", rest), rest


def chars_and_curves(path: Path) -> tuple[list[LTChar], list[LTCurve]]:
    chars: list[LTChar] = []
    curves: list[LTCurve] = []

    def walk(item: LTItem) -> None:
        if isinstance(item, LTChar):
            chars.append(item)
        elif isinstance(item, LTCurve):
            curves.append(item)
        for child in getattr(item, "_objs", ()):
            walk(child)

    for page in extract_pages(path, laparams=LAParams()):
        walk(page)
    return chars, curves


def inside(curve: LTCurve, box: tuple[float, float, float, float], slack: float = 0.5) -> bool:
    return (curve.x0 >= box[0] - slack and curve.y0 >= box[1] - slack
            and curve.x1 <= box[2] + slack and curve.y1 <= box[3] + slack)


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_an_inline_formula_sits_on_the_baseline_at_the_texts_size(built: Built, renderer: PdfRenderer) -> None:
    path = built.files[renderer.name]
    found, _roles = formulas(path)
    quad = next(f for f in found if f.alt == built.math["quad"].spoken)
    chars, curves = chars_and_curves(path)
    # "A quadratic": the line's baseline and the text's size.
    first = next(c for c in chars if c.get_text() == "q" and abs(c.matrix[5] - (quad.bbox[1] + quad.bbox[3]) / 2) < 20)
    baseline, size = first.matrix[5], first.size
    assert size == pytest.approx(TEXT_SIZE[renderer.name], abs=0.01)
    # The letters a, x, b, x, c and 0 stand on the baseline (round ones overshoot it by a hair);
    # nothing reaches further down than the plus signs, a little below it.
    bottoms = [curve.y0 for curve in curves if inside(curve, quad.bbox)]
    assert sum(1 for bottom in bottoms if abs(bottom - baseline) < 0.02 * size) == 6, (baseline, bottoms)
    assert min(bottoms) > baseline - 0.05 * size
    # The box is the drawing's, in em of the text's size.
    drawing = draw(built.math["quad"].mathml, renderer.text_color)
    assert quad.bbox[3] - quad.bbox[1] == pytest.approx(drawing.height * size, rel=0.005)
    assert quad.bbox[1] == pytest.approx(baseline - drawing.depth * size, abs=0.05)


def test_large_print_formulas_are_drawn_at_18_pt(built: Built) -> None:
    standard, _ = formulas(built.files["pdf"])
    large, _ = formulas(built.files["large-print-pdf"])
    for small, big in zip(standard, large, strict=True):
        if small.alt in (built.math["failed"].spoken, built.math["sigma"].spoken):
            continue  # TeX as text; sigma squared stands in a heading (its own size) as well
        ratio = (big.bbox[3] - big.bbox[1]) / (small.bbox[3] - small.bbox[1])
        assert ratio == pytest.approx(18 / 10.75, rel=0.01), small.alt


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_display_formulas_are_centred_with_their_number_at_the_right(built: Built, renderer: PdfRenderer) -> None:
    path = built.files[renderer.name]
    found, _roles = formulas(path)
    with pikepdf.open(path) as pdf:
        width = float(pdf.pages[0].MediaBox[2])
    display = {name: next(f for f in found if f.alt == built.math[name].spoken)
               for name in ("gauss", "matrix", "cases", "limit")}
    for name, formula in display.items():
        assert (formula.bbox[0] + formula.bbox[2]) / 2 == pytest.approx(width / 2, abs=0.5), name
    lines = text_lines(path)
    for name, number in (("gauss", "(1)"), ("matrix", "(2)")):
        line = lines[number]
        formula = display[name]
        assert line.x1 == pytest.approx(width - RIGHT_MARGIN[renderer.name], abs=0.5)
        assert (line.y0 + line.y1) / 2 == pytest.approx((formula.bbox[1] + formula.bbox[3]) / 2,
                                                        abs=0.25 * TEXT_SIZE[renderer.name])
    assert "(3)" not in lines  # the cases are not numbered


def text_lines(path: Path) -> dict[str, LTTextLine]:
    lines: dict[str, LTTextLine] = {}

    def walk(item: LTItem) -> None:
        if isinstance(item, LTTextLine):
            lines[" ".join(item.get_text().split())] = item
            return
        for child in getattr(item, "_objs", ()):
            walk(child)

    for page in extract_pages(path, laparams=LAParams()):
        walk(page)
    return lines


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_formulas_are_drawn_in_the_texts_colour(built: Built, renderer: PdfRenderer) -> None:
    """The page as a reader sees it: ink in every formula's box, and only grey ink."""
    path = built.files[renderer.name]
    found, _roles = formulas(path)
    scale = 3
    with pypdfium2.PdfDocument(str(path)) as pdf:
        page = pdf[0]
        height = page.get_height()
        image = page.render(scale=scale).to_pil().convert("RGB")
    for formula in found:
        left, bottom, right, top = formula.bbox
        crop = image.crop((round(left * scale), round((height - top) * scale),
                           round(right * scale), round((height - bottom) * scale)))
        pixels = list(crop.getdata())
        dark = [p for p in pixels if sum(p) < 3 * 128]
        assert len(dark) > 0.01 * len(pixels), formula.alt
        assert all(max(p) - min(p) <= 24 for p in pixels), formula.alt  # no colour fringes: black on white


def test_the_check_fails_a_formula_without_alt(built: Built, tmp_path: Path) -> None:
    edited = tmp_path / "no-alt.pdf"
    with pikepdf.open(built.files["pdf"]) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            elem = stack.pop()
            kids = elem.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    if str(kid.S) == "/Formula" and str(kid.Alt) == built.math["matrix"].spoken:
                        del kid.Alt
                    stack.append(kid)
        pdf.save(edited)
    failed = failures(check_pdf(edited))
    assert [(f.check, f.message) for f in failed] == [("pdfua:formula-alt", "Formula has no /Alt")]
    assert "Formula" in failed[0].location


def test_a_formula_the_writer_could_not_tag_fails_the_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A drawn formula WeasyPrint tagged Figure, unnoticed, would be read as a picture."""
    math = maths()["quad"]
    page = (f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><h1>T</h1>'
            f"<p>A {formula_markup('#111')(math)} b.</p></body></html>")

    @contextmanager
    def untracked() -> Iterator[weasy._StructRecord]:  # what a WeasyPrint without _build_box_tree gives
        yield weasy._StructRecord()

    monkeypatch.setattr(weasy, "_tracking_struct_sources", untracked)
    with pytest.raises(weasy.PdfBuildError, match="formulas could not be tagged"):
        weasy.write_pdf(page, base_dir=tmp_path, allowed_roots=[tmp_path], stylesheets=weasy.stylesheets(),
                        out=tmp_path / "t.pdf", metadata=weasy.PdfMetadata(title="T", lang="en"))
    assert not (tmp_path / "t.pdf").exists()


def test_the_markup_of_a_formula() -> None:
    math = maths()
    hook = formula_markup("#000")
    inline = str(hook(math["quad"]))
    assert inline.startswith('<img class="math" src="data:image/svg+xml;base64,')
    assert f'alt="{math["quad"].spoken}"' in inline
    assert re.search(r'style="width: [\d.]+em; height: [\d.]+em; vertical-align: -0\.\d+em"', inline)
    assert re.search(r'<img class="math display" [^>]*style="width: [\d.]+em"', str(hook(math["gauss"])))
    failed = str(hook(math["failed"]))
    assert failed == ('<code class="math tex" aria-label="undefinedmacro of x plus 1">'
                      "\\undefinedmacro{x} + 1</code>")
    unspoken = Math(math["sigma"].tex, math["sigma"].mathml, "")
    assert 'alt="\\sigma^2"' in str(hook(unspoken))  # a Formula needs an /Alt: the TeX rather than none


def test_the_drawing_holds_no_tex_and_the_texts_colour() -> None:
    import base64

    math = maths()["matrix"]
    svg = base64.b64decode(draw(math.mathml, "#111").uri.split(",", 1)[1]).decode("utf-8")
    assert "bmatrix" not in svg and "annotation" not in svg
    assert "#111" in svg


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_the_formula_colour_is_the_body_texts(renderer: PdfRenderer) -> None:
    css = (weasy.CSS_DIR / ("pdf.css" if renderer.edition == "standard" else "large-print-pdf.css")).read_text()
    rule = re.search(r"^html \{(.*?)\}", css, re.S | re.M)
    assert rule is not None
    assert re.search(rf"font-size: {TEXT_SIZE[renderer.name]:g}pt;", rule.group(1))
    assert re.search(rf"\bcolor: {re.escape(renderer.text_color)};", rule.group(1))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
