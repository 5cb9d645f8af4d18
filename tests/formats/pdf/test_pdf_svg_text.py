"""SVG figures with text (Inkscape, draw.io, matplotlib with svg.fonttype 'none'): both PDFs
draw the text in their packaged sans-serif fonts, never in the font the SVG names or a system
one, and keep the drawing as it is; a character no packaged font has is an error at the figure."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTItem, LTTextLine

from formats.pdf.fonts import ATKINSON, FAMILIES, figure_families
from formats.pdf.svgfonts import drawn_text, with_families
from publish.cli import main
from publish.fonts import NOTO_SANS, NOTO_SANS_SYMBOLS
from tests.hostile.support import article, build

Capsys = pytest.CaptureFixture[str]

LABEL = "Label \u03b1\u03b2 12 %"
# A labelled chart as drawing programs write one: a family as an attribute, as a property in a
# <style> rule and in a style attribute, and a label that names none.
FIGURE = f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
  <style type="text/css">
    .axis {{ font-family: "Comic Sans MS", cursive; font-size: 14px; fill: #333 }}
  </style>
  <rect x="10" y="10" width="380" height="180" fill="#e3f2fd" stroke="#0d47a1" stroke-width="2"/>
  <path d="M40 160 L120 90 L200 120 L280 50 L360 70" fill="none" stroke="#c62828" stroke-width="3"/>
  <circle cx="280" cy="50" r="6" fill="#c62828"/>
  <text x="40" y="40" font-family="Comic Sans MS" font-size="20">{LABEL}</text>
  <text x="40" y="185" class="axis">Axis</text>
  <text x="300" y="185" style="font-family:'Comic Sans MS';font-size:12px">Time</text>
  <text x="200" y="185" font-size="12">Plain</text>
</svg>
"""
ALT = "A red line rising across a blue chart"
BODY = f"""
# A chart

Some text before the figure.

![{ALT}](chart.svg)

Some text after it.
"""
PACKAGED = tuple(family.css_name.replace(" ", "-") for family in FAMILIES)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article built into its four visual editions: its published folder."""
    root = tmp_path_factory.mktemp("svg-text")
    path = article(root / "art", body=BODY)
    (path.parent / "chart.svg").write_text(FIGURE, encoding="utf-8")
    code = main(["build", str(path.parent), "--out", str(root / "dist"), "-q", "--jobs", "1",
                 "-f", "pdf", "-f", "large-print-pdf", "-f", "epub", "-f", "large-print"])
    assert code == 0
    return root / "dist" / "art"


def text_lines(path: Path) -> dict[str, set[str]]:
    """Each line of text in the PDF, as pdfminer reads it, with the fonts it is drawn in."""
    lines: dict[str, set[str]] = {}

    def walk(item: LTItem) -> None:
        if isinstance(item, LTTextLine):
            chars = [char for char in item if isinstance(char, LTChar)]
            fonts = {char.fontname.split("+", 1)[-1] for char in chars}
            lines.setdefault(" ".join(item.get_text().split()), set()).update(fonts)
            return
        for child in getattr(item, "_objs", ()):
            walk(child)

    for page in extract_pages(path, laparams=LAParams(all_texts=True)):
        walk(page)
    return lines


@pytest.mark.parametrize("suffix, face", [(".pdf", "Packaged-Noto-Sans"),
                                          (".large-print.pdf", "Atkinson-Hyperlegible")])
def test_the_labels_are_drawn_in_the_packaged_fonts(built: Path, suffix: str, face: str) -> None:
    path = built / f"art{suffix}"
    with pikepdf.open(path) as pdf:
        descriptors = [obj for obj in pdf.objects
                       if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.FontDescriptor]
        assert descriptors
        for descriptor in descriptors:
            name = str(descriptor.FontName)[1:].split("+", 1)[-1]
            assert name.startswith(PACKAGED), name
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
    lines = text_lines(path)
    for label in ("Axis", "Time", "Plain"):
        assert lines[label] == {face}, (label, lines)
    # Neither Atkinson Hyperlegible nor Literata has Greek: Noto Sans draws it in both.
    assert lines[LABEL] == {face, "Packaged-Noto-Sans"}, lines


def test_the_pdfs_draw_the_shapes_and_publish_no_copy(built: Path) -> None:
    """The drawing is drawn as the file says (frame, line and dot, in their colours), and the
    copy with the packaged families, written into the edition's staging folder, is not
    published."""
    drawing = [b"0.890196 0.94902 0.992157 rg", b"0.05098 0.278431 0.631373 RG", b"10 10 380 180 re\nB",
               b"40 160 m\n120 90 l\n200 120 l\n280 50 l\n360 70 l\nS",
               b"286 50 m\n286 53.385138 283.385138 56 280 56 c"]
    for suffix in (".pdf", ".large-print.pdf"):
        with pikepdf.open(built / f"art{suffix}") as pdf:
            content = b"".join(page.Contents.read_bytes() for page in pdf.pages)
        for operators in drawing:
            assert operators in content, operators
    assert sorted(p.name for p in built.iterdir()) == sorted(
        ["art.pdf", "art.large-print.pdf", "art.epub", "art.large-print.html", "manifest.json"])


def test_the_epub_and_the_large_print_show_the_file_as_it_is(built: Path) -> None:
    with zipfile.ZipFile(built / "art.epub") as book:
        svgs = [book.read(name) for name in book.namelist() if name.endswith(".svg")]
    assert svgs == [FIGURE.encode("utf-8")]
    page = (built / "art.large-print.html").read_text(encoding="utf-8")
    found = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    assert [base64.b64decode(data) for data in found] == [FIGURE.encode("utf-8")]


# -- the copy ------------------------------------------------------------------------------

CHAIN = ("Atkinson Hyperlegible", "Packaged Noto Sans")
SAID = "'Atkinson Hyperlegible', 'Packaged Noto Sans', sans-serif"
SAID_DOUBLE = SAID.replace("'", '"')  # where the family list is not inside a '"' attribute


@pytest.mark.parametrize("before, after", [
    ('<text font-family="Comic Sans MS">a</text>', f'<text font-family="{SAID}">a</text>'),
    ("<g font-family='Arial'><text>a</text></g>", f"<g font-family='{SAID_DOUBLE}'><text>a</text></g>"),
    ('<text style="fill:red;font-family:&quot;Comic Sans&quot;, cursive;font-size:3px">a</text>',
     f'<text style="fill:red;font-family:{SAID};font-size:3px">a</text>'),
    ('<text style="font: 12px \'DejaVu Sans\'">a</text>', f'<text style="font: 12px {SAID}">a</text>'),
    ('<text style="font:bold 20px/1.2 Arial !important">a</text>',
     f'<text style="font:bold 20px/1.2 {SAID} !important">a</text>'),
    ('<text font-family="inherit" style="-inkscape-font-specification:Arial">a</text>',
     '<text font-family="inherit" style="-inkscape-font-specification:Arial">a</text>'),
    ('<style>text { font-family: Arial; fill: red }</style><text>a</text>',
     f'<style>text {{ font-family: {SAID_DOUBLE}; fill: red }}</style><text>a</text>'),
    ('<style><![CDATA[ g > text { font-family : Arial } ]]></style><text>a</text>',
     f'<style><![CDATA[ g > text {{ font-family : {SAID_DOUBLE} }} ]]></style><text>a</text>'),
], ids=["attribute", "group-attribute", "style-attribute-with-entities", "font-shorthand",
        "shorthand-important", "inherit-and-vendor-kept", "style-element", "style-cdata"])
def test_every_family_names_the_packaged_fonts(before: str, after: str) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" font-family="Arial">{}</svg>'
    expected = svg.format(after).replace('font-family="Arial"', f'font-family="{SAID}"', 1)
    assert with_families(svg.format(before).encode(), CHAIN).decode() == expected


def test_a_root_that_names_no_family_is_given_one() -> None:
    assert with_families(b"<svg xmlns='http://www.w3.org/2000/svg'><text>a</text></svg>", CHAIN) == \
        f"<svg xmlns='http://www.w3.org/2000/svg' font-family=\"{SAID}\"><text>a</text></svg>".encode()
    assert with_families(b"<svg\n/>", CHAIN) == f"<svg\n font-family=\"{SAID}\"/>".encode()


def test_everything_but_the_families_is_kept_byte_for_byte() -> None:
    """The copy is the file with its three families replaced and one given to the root: the
    shapes, the text and the rest of the markup are the file's own bytes."""
    expected = FIGURE
    for old, new in [('viewBox="0 0 400 200">', f'viewBox="0 0 400 200" font-family="{SAID}">'),
                     ('font-family: "Comic Sans MS", cursive;', f"font-family: {SAID_DOUBLE};"),
                     ('font-family="Comic Sans MS"', f'font-family="{SAID}"'),
                     ("font-family:'Comic Sans MS';", f"font-family:{SAID};")]:
        assert expected.count(old) == 1
        expected = expected.replace(old, new)
    assert with_families(FIGURE.encode("utf-8"), CHAIN) == expected.encode("utf-8")
    assert drawn_text(FIGURE.encode("utf-8")) == "".join(sorted(set("Label\u03b1\u03b212%AxisTimePlain")))


def test_the_fonts_loaded_for_the_figures() -> None:
    assert figure_families("standard", LABEL) == (NOTO_SANS,)
    assert figure_families("large-print", LABEL) == (ATKINSON, NOTO_SANS)
    assert figure_families("large-print", "Check \u2713") == (ATKINSON, NOTO_SANS_SYMBOLS)
    assert figure_families("standard", " ") == ()


# -- what the packaged fonts cannot draw ----------------------------------------------------

@pytest.mark.parametrize("edition", ["pdf", "large-print-pdf"])
def test_a_character_no_packaged_font_has_is_an_error_at_the_figure(tmp_path: Path, capsys: Capsys,
                                                                    edition: str) -> None:
    path = article(tmp_path / "art", body=BODY + "\nThe article's own text has a Label too.\n")
    (path.parent / "chart.svg").write_text(FIGURE.replace("Axis", "Axis \u6f22"), encoding="utf-8")
    result = build(capsys, path.parent, tmp_path / "dist", [edition])
    error = result.one_error(path, r"^the figure 'chart\.svg' has U\+6F22 CJK UNIFIED IDEOGRAPH-6F22 '\u6f22' "
                             r"in its text, which ", line=10)
    assert error.group("col") == "1"
    assert error.group("message").endswith("use characters the packaged fonts have, or turn the figure's text "
                                           "into paths")


def test_a_family_left_unreplaced_is_blamed_on_the_figure(tmp_path: Path, capsys: Capsys) -> None:
    """A family the copy cannot see (here written with a CSS escape, which WeasyPrint reads)
    draws the label in a system font: the error names the figure, not the article's first 'L'."""
    path = article(tmp_path / "art", body=BODY + "\nLabel Axis Time Plain.\n")
    escaped = FIGURE.replace(".axis {", "text { font-f\\61 mily: serif !important }\n    .axis {")
    (path.parent / "chart.svg").write_text(escaped, encoding="utf-8")
    result = build(capsys, path.parent, tmp_path / "dist", ["pdf"])
    result.one_error(path, r"^the figure 'chart\.svg' has text the PDF would draw in \S+, not in this edition's "
                     r"packaged fonts, as its font could not be replaced \(U\+\w+ .*\); name the font in a plain "
                     r"font-family attribute or property, or turn the figure's text into paths$", line=10)
