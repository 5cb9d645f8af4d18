"""Every character of a real paper renders from a packaged font: Greek, mathematics, arrows,
check marks and accented Latin, in both PDFs and in the large-print page.

The fixture tests/fixtures/every-character is built once; the PDFs are read with pikepdf (the
embedded fonts and the glyph each character was drawn with) and pdfminer (the text), the page
with fontTools (the fonts it embeds) and in Chromium (the fonts it draws with).
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pdfminer.high_level import extract_text
from playwright.sync_api import Browser

from formats.html.renderer import TEXT_FACE
from formats.pdf.fonts import LITERATA, LITERATA_DISPLAY
from publish.check.browser import file_url
from publish.cli import main
from publish.fonts import (
    ATKINSON_FAMILY,
    SANS_FALLBACKS,
    SERIF_FALLBACKS,
    STIX_TWO_MATH,
    STIX_TWO_MATH_MATHML,
    FontFamily,
    fallback_characters,
    unicode_range,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "every-character"
SLUG = "every-character"

GREEK = "αβγΔΩλθφψ"
MATH = "∆∑≤≥±×∞∈∉√µ∂∫≈≠∏∇∀∃⊂∪∩·−°‰′″²⁻¹Å"
ARROWS = "→←↔⇒⇔⟶↑↓"
MARKS = "✓✗"
LATIN = "ąčőřșțŵŷỳñøåæœßłźżďěňůűăâîãõçþðğıİşệộữắ"
CYRILLIC = "ДмитрийМенделеев"
CHARACTERS = GREEK + MATH + ARROWS + MARKS + LATIN + CYRILLIC

SERIF_CHAIN = (LITERATA, LITERATA_DISPLAY, *SERIF_FALLBACKS)
SANS_CHAIN = (ATKINSON_FAMILY, *SANS_FALLBACKS)


def _pdf_name(family: FontFamily) -> str:
    return family.css_name.replace(" ", "-")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("every-character")
    code = main(["build", str(FIXTURE), "--out", str(out), "-q", "--jobs", "1",
                 "-f", "pdf", "-f", "large-print-pdf", "-f", "large-print"])
    assert code == 0, "the fixture did not build"
    return out / SLUG


def test_the_fixture_holds_every_character() -> None:
    text = unicodedata.normalize("NFC", (FIXTURE / "article.md").read_text(encoding="utf-8"))
    assert set(CHARACTERS) <= set(text), set(CHARACTERS) - set(text)


# -- the PDFs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawnFont:
    name: str  # /BaseFont without the subset tag
    embedded: bool
    drawn: str  # the characters drawn with a real glyph of the embedded font
    boxes: str  # characters drawn with .notdef or a glyph the font does not have


def _to_unicode(font: pikepdf.Object) -> dict[int, str]:
    data = font.ToUnicode.read_bytes()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    assert b"beginbfrange" not in data  # WeasyPrint writes single mappings only
    return mapping


def _fonts(path: Path) -> list[DrawnFont]:
    """Each font of the PDF, with the characters its glyphs draw, read from the embedded font
    program: WeasyPrint writes Identity-H codes that are glyph ids, unless it had to draw a
    missing glyph (then it switches to an encoding of its own, mapping such codes to .notdef)."""
    found: dict[tuple[int, int], DrawnFont] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                if font.objgen in found:
                    continue
                assert font.Subtype == "/Type0", font.BaseFont
                descendant = font.DescendantFonts[0]
                program = descendant.FontDescriptor.get("/FontFile2")
                name = str(font.BaseFont)[1:].split("+", 1)[-1]
                drawn: list[str] = []
                boxes: list[str] = []
                glyphs = TTFont(io.BytesIO(program.read_bytes())) if program is not None else None
                for code, text in _to_unicode(font).items():
                    if code == 0:  # WeasyPrint lists .notdef itself, mapped to U+FFFF
                        continue
                    real = (glyphs is not None and font.Encoding == "/Identity-H"
                            and descendant.CIDToGIDMap == "/Identity" and code < glyphs["maxp"].numGlyphs
                            and (text.isspace() or _has_outline(glyphs, code)))
                    (drawn if real else boxes).append(text)
                found[font.objgen] = DrawnFont(name, program is not None, "".join(drawn), "".join(boxes))
    return list(found.values())


def _has_outline(font: TTFont, gid: int) -> bool:
    glyph = font["glyf"][font.getGlyphOrder()[gid]]
    return bool(glyph.isComposite() or glyph.numberOfContours)


@pytest.mark.parametrize(("suffix", "chain"), [(".pdf", SERIF_CHAIN), (".large-print.pdf", SANS_CHAIN)])
def test_every_character_is_drawn_from_an_embedded_packaged_font(
        dist: Path, suffix: str, chain: tuple[FontFamily, ...]) -> None:
    fonts = _fonts(dist / f"{SLUG}{suffix}")
    names = {_pdf_name(family) for family in chain}
    for font in fonts:
        assert font.embedded, f"{font.name} is not embedded"
        # Only this edition's own chain: no Literata in the large print, no system font anywhere.
        assert any(font.name == name or font.name.startswith(name + "-") for name in names), font.name
        assert not font.boxes, f"{font.name} drew {font.boxes!r} with glyphs it does not have"
    drawn = set("".join(font.drawn for font in fonts))
    assert set(CHARACTERS) <= drawn, "".join(sorted(set(CHARACTERS) - drawn))


@pytest.mark.parametrize("suffix", [".pdf", ".large-print.pdf"])
def test_every_character_is_in_the_text(dist: Path, suffix: str) -> None:
    text = unicodedata.normalize("NFC", extract_text(dist / f"{SLUG}{suffix}"))
    assert set(CHARACTERS) <= set(text), "".join(sorted(set(CHARACTERS) - set(text)))


def test_the_large_print_pdf_sets_no_italics(dist: Path) -> None:
    names = [font.name for font in _fonts(dist / f"{SLUG}.large-print.pdf")]
    assert not [name for name in names if "Italic" in name or "Oblique" in name], names


def test_the_fallbacks_are_drawn_where_the_text_face_lacks_a_character(dist: Path) -> None:
    """Spot checks of which font draws what, so a change in the chains shows."""
    by_char: dict[str, set[str]] = {}
    for suffix in (".pdf", ".large-print.pdf"):
        for font in _fonts(dist / f"{SLUG}{suffix}"):
            for char in font.drawn:
                by_char.setdefault(char, set()).add(font.name)
    assert {"Packaged-Noto-Sans", "Packaged-Noto-Sans-Bold"} & by_char["α"]  # Atkinson has no Greek
    assert "Literata" in by_char["α"]  # Literata has
    assert "Packaged-Noto-Sans-Mono" in by_char["∆"]  # sans in the large print
    assert "Packaged-STIX-Two-Math" in by_char["⇒"]
    assert "Packaged-Noto-Sans-Symbols" in by_char["✗"]


# -- the large-print page ------------------------------------------------------------------

FACE = re.compile(r'@font-face \{ font-family: "([^"]+)";[^}]*?src: url\("([^"]+)"\)[^}]*?unicode-range: ([^;]+); \}')


def _faces(page: str) -> list[tuple[str, str, str]]:
    return FACE.findall(page)


def test_the_page_embeds_only_packaged_fonts_cut_to_its_characters(dist: Path) -> None:
    page = (dist / f"{SLUG}.large-print.html").read_text(encoding="utf-8")
    faces = _faces(page)
    assert len(faces) == page.count("@font-face")
    families = {family for family, _url, _range in faces}
    assert families <= {family.css_name for family in SANS_CHAIN}, families
    assert {family.css_name for family in SANS_FALLBACKS} <= families  # the fixture needs each one
    covered: set[int] = set()
    for family, url, ranges in faces:
        assert url.startswith("data:font/ttf;base64,"), url[:40]
        font = TTFont(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
        cmap = set(font.getBestCmap())
        if family != ATKINSON_FAMILY.css_name:
            # A fallback is cut down to the characters it draws on this page, with at most
            # their mirror images for right-to-left text (HarfBuzz keeps ∋ with ∈).
            extra = {chr(point) for point in cmap - _points(ranges)}
            assert _points(ranges) <= cmap and all(unicodedata.mirrored(char) for char in extra), (family, extra)
            assert len(url) < 40_000, f"{family} is not subset: {len(url)} bytes"
        covered |= {point for point in cmap if _in_range(point, ranges)}
    wanted = {ord(char) for char in CHARACTERS}
    assert wanted <= covered, "".join(sorted(chr(point) for point in wanted - covered))
    declared = re.findall(r"font-family: ([^;]+);", page.split("</style>")[0].split("@font-face")[-1])
    for value in declared:  # no installed font is ever named: only packaged families and generics
        names = [name.strip().strip('"') for name in value.split(",")]
        assert set(names) <= {*families, *(f.css_name for f in SANS_CHAIN), "sans-serif", "monospace",
                              STIX_TWO_MATH_MATHML.css_name, "math"}, value


def _points(ranges: str) -> set[int]:
    found: set[int] = set()
    for part in ranges.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        found.update(range(int(first, 16), int(last or first, 16) + 1))
    return found


def _in_range(point: int, ranges: str) -> bool:
    for part in ranges.split(","):
        first, _, last = part.strip().removeprefix("U+").partition("-")
        if int(first, 16) <= point <= int(last or first, 16):
            return True
    return False


def test_chromium_draws_every_character_with_an_embedded_font(dist: Path, chromium_browser: Browser) -> None:
    page = chromium_browser.new_page()
    try:
        page.goto(file_url(dist / f"{SLUG}.large-print.html"), wait_until="load")
        page.evaluate("document.fonts.ready")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]
        used: set[tuple[str, bool]] = set()
        for node in nodes:
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                used.add((font["familyName"], font["isCustomFont"]))
    finally:
        page.close()
    assert used and all(custom for _name, custom in used), sorted(used)
    families = {name for name, _custom in used}
    assert {"Atkinson Hyperlegible", "Noto Sans", "Noto Sans Mono", "Noto Sans Symbols 2", "STIX Two Math"} <= families


# -- the chains ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stylesheet", "primary", "chain"),
    [
        ("formats/pdf/css/pdf.css", "Literata", SERIF_FALLBACKS),
        ("formats/pdf/css/large-print-pdf.css", "Atkinson Hyperlegible", SANS_FALLBACKS),
        ("formats/html/css/large-print.css", "Atkinson Hyperlegible", SANS_FALLBACKS),
    ],
)
def test_every_font_family_lists_the_packaged_fallbacks_in_order(
        stylesheet: str, primary: str, chain: tuple[FontFamily, ...]) -> None:
    css = re.sub(r"/\*.*?\*/", "", (ROOT / stylesheet).read_text(encoding="utf-8"), flags=re.S)
    values = re.findall(r"font-family:\s*([^;]+);", css)
    assert values
    for value in values:
        names = [name.strip().strip('"') for name in value.split(",")]
        if names[0] == STIX_TWO_MATH_MATHML.css_name:  # MathML's own face, then the browser's math font
            assert names == [STIX_TWO_MATH_MATHML.css_name, "math"], value
            continue
        start = names.index(primary) + 1
        assert names[start:start + len(chain)] == [family.css_name for family in chain], value
        assert names[start + len(chain):] in (["serif"], ["sans-serif"], ["monospace"]), value


def test_a_letter_and_its_accent_fall_back_together() -> None:
    # ŵ is not in Atkinson: composed or written as w + U+0302, it comes whole from Noto Sans.
    chosen = fallback_characters("w\u0302 and \u0175, \u2206, e\u0301", TEXT_FACE, SANS_FALLBACKS)
    noto_sans, mono = SANS_FALLBACKS[0], SANS_FALLBACKS[1]
    assert chosen == {noto_sans: "\u0175", mono: "\u2206"}
    # No composed q̃, and Atkinson places no accent: q and U+0303 come from Noto Sans together.
    stix = fallback_characters("q\u0303 \u27f6", TEXT_FACE, SANS_FALLBACKS)
    assert stix[noto_sans] == "q\u0303" and stix[STIX_TWO_MATH] == "\u27f6"


def test_unicode_range_joins_runs() -> None:
    assert unicode_range([0x43, 0x41, 0x42, 0x2206, 0x2208]) == "U+41-43, U+2206, U+2208"
