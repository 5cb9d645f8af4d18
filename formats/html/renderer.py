"""The large-print HTML edition: one self-contained page after APH/ACB large-print practice."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from publish import assets, html
from publish.fonts import (
    ATKINSON_FAMILY,
    SANS_FALLBACKS,
    STIX_TWO_MATH_MATHML,
    atkinson,
    fallback_characters,
    static_font,
    unicode_range,
)
from publish.math.markup import drawn_text, mathml_markup
from publish.model import Document
from publish.renderer import RenderContext, Rendition

HERE = Path(__file__).parent


@dataclass(frozen=True)
class FaceRule:
    """One ``@font-face`` of the page: a packaged font as a ``data:`` URL."""

    family: str
    weight: int
    url: str
    # Exactly the characters the face is to draw.  Without it Chrome draws a letter the font
    # lacks, such as ŵ, from the letter and the combining accent it has (w and ̂ apart)
    # instead of taking the fallback that has the letter.
    unicode_range: str


class _PageText(HTMLParser):
    """The text a browser draws for the page's body (not its <title>, styles or scripts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._skip = 0
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_body |= tag == "body"
        self._skip += tag in ("style", "script", "template")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script", "template") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if self._in_body and not self._skip:
            self.text.append(data)


def _page_text(page: str) -> str:
    parser = _PageText()
    parser.feed(page)
    parser.close()
    return "".join(parser.text)


# Atkinson Hyperlegible without its combining marks: it has no anchors to place them, so
# Chrome would draw a letter Atkinson lacks (ŵ) as the bare letter beside a floating accent
# instead of taking it, accent and all, from Noto Sans.
TEXT_FACE = replace(ATKINSON_FAMILY, only=((0, 0x2FF), (0x370, 0x10FFFF)))


def fallback_faces(text: str) -> list[FaceRule]:
    """``@font-face`` rules for the packaged fallbacks ``text`` needs, each font cut down to
    the characters it draws there: a Greek letter costs the page a few kilobytes, not the
    megabytes of the whole Noto Sans."""
    rules = []
    for family, characters in fallback_characters(text, TEXT_FACE, SANS_FALLBACKS).items():
        for face in family.faces:
            font = static_font(family, face, characters)
            rules.append(FaceRule(family.css_name, face.weight, assets.data_uri(font, "font/ttf"),
                                  unicode_range(map(ord, characters))))
    return rules


# What a MathML layout draws from the font without the text holding it: the radical sign of a
# root, the bars and arrows of accents, and the fences it may stretch.
DRAWN_BY_LAYOUT = frozenset("\u221a\u221b\u221c\u00af\u203e\u2015\u2212\u02c6\u02dc\u2192\u2190"
                            "()[]{}|\u2016\u27e8\u27e9\u230a\u230b\u2308\u2309 ")


def math_faces(document: Document) -> list[FaceRule]:
    """The math font for the MathML of the page, cut down to what its formulas draw; its MATH
    table keeps the larger and stretched forms of those characters (roots, brackets, sums)."""
    characters = "".join(drawn_text(math) for math in document.formulas() if math.mathml)
    if not characters:
        return []
    face = STIX_TWO_MATH_MATHML.regular
    font = static_font(STIX_TWO_MATH_MATHML, face, set(characters) | DRAWN_BY_LAYOUT)
    return [FaceRule(STIX_TWO_MATH_MATHML.css_name, face.weight, assets.data_uri(font, "font/ttf"), "U+0-10FFFF")]


class LargePrintRenderer:
    name = "large-print"
    description = "Large-print HTML page (24 px Atkinson Hyperlegible, WCAG 2.2 AAA text), one file"
    suffixes = (".large-print.html",)
    media_type = "text/html"
    uses = ("audio",)
    # Linear in the source, which the reader's limits bound: no time budget (and its child) needed.
    needs_time_budget = False

    def render(self, document: Document, context: RenderContext) -> Rendition:
        images = {f.src: assets.image_data(document, f, context.cache_dir).data_uri()
                  for f in assets.figures(document)}
        fonts = [FaceRule(ATKINSON_FAMILY.css_name, weight, assets.data_uri(atkinson(weight).read_bytes(), "font/ttf"),
                          unicode_range(TEXT_FACE.covers))
                 for weight in (400, 700)]
        fonts += math_faces(document)
        audio = None
        if "audio" in context.results:
            facts = context.results["audio"].facts
            seconds = round(float(facts["duration"]))
            audio = {"mp3": f"{document.slug}.mp3", "vtt": f"{document.slug}.vtt",
                     "duration": f"{seconds // 60} min {seconds % 60} s"}
        env = html.environment(HERE / "templates")
        page_args: dict[str, Any] = {
            "image_src": images.__getitem__,
            "css": (HERE / "css" / "large-print.css").read_text(encoding="utf-8"),
            "audio": audio,
            "toc_tree": html.nested(html.toc(document)),
            "formula": functools.partial(mathml_markup, scrollable=True),
        }
        page = html.render(env, "large-print.html.j2", document, fonts=fonts, **page_args)
        # The characters are known once the page is written: a page that needs fallbacks
        # is written again with them.
        fallbacks = fallback_faces(_page_text(page))
        if fallbacks:
            page = html.render(env, "large-print.html.j2", document, fonts=fonts + fallbacks, **page_args)
        out = context.out_dir / f"{document.slug}.large-print.html"
        out.write_text(page, encoding="utf-8")
        return Rendition(files=(out,))
