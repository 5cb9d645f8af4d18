"""The PDF editions: a tagged PDF/UA-1 for print and reading, and a large-print PDF."""

from __future__ import annotations

import html as markup
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Literal

from publish import __version__, assets, html
from publish.errors import SourceError
from publish.model import Document, Figure
from publish.model import Image as TextImage
from publish.renderer import RenderContext, Rendition, publication_time

HERE = Path(__file__).parent


class _PdfEdition:
    edition: Literal["standard", "large-print"]
    suffix: str
    media_type = "application/pdf"
    uses: tuple[str, ...] = ()
    # The text's colour in the edition's CSS (its html rule): formulas are drawn in it.
    text_color: str

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (self.suffix,)

    def warm_up(self) -> None:
        from .fonts import TEXT_FACES, font_face_css
        from .weasy import write_pdf  # noqa: F401

        # The static instances of the text faces, made once for every edition forked; those of
        # the fallbacks only in the editions whose text needs them (formats/pdf/fonts.py).
        font_face_css(TEXT_FACES)
        html.environment(HERE / "templates").get_template("pdf.html.j2")  # compiled once, too

    def render(self, document: Document, context: RenderContext) -> Rendition:
        # WeasyPrint takes half a second to import: only a build that renders a PDF pays it,
        # not every command that lists the editions (an up-to-date build, publish formats).
        from .fonts import figure_families
        from .glyphs import figure_glyph_error, unpackaged_glyph_error
        from .math import formula_markup
        from .weasy import PdfBuildError, PdfMetadata, UnpackagedGlyphs, stylesheets, write_pdf

        # Images are resolved (and contained) before WeasyPrint sees them, so a bad path is
        # reported at its source line; the fetcher stays as the second line of defence.
        drawn = context.out_dir / DRAWN
        images, texts = _image_urls(document, context, drawn, self.edition)
        page = html.render(html.environment(HERE / "templates"), "pdf.html.j2", document,
                           image_src=images.__getitem__, formula=formula_markup(self.text_color))
        paper = context.settings.papersize or document.meta.papersize
        meta = document.meta
        # Composed (NFC): Pango picks a font per character, so a letter written as letter plus
        # combining accent (w + U+0302) would be drawn in the text face, which lacks ŵ, with the
        # accent floating beside it; composed, it is one character the fallback font has whole.
        page = unicodedata.normalize("NFC", page)
        when = publication_time(document, context.settings)
        metadata = PdfMetadata(
            title=meta.title, lang=meta.lang, authors=meta.authors, description=meta.description or None,
            keywords=meta.keywords, publisher=meta.publisher or None, rights=meta.rights or None,
            created=when, modified=when, creator_tool=f"accessible-publish {__version__}",
        )
        out = context.out_dir / f"{document.slug}{self.suffix}"
        try:
            layout = write_pdf(page, base_dir=context.article_dir, allowed_roots=[context.article_dir, drawn],
                               stylesheets=stylesheets(self.edition, "letter" if paper == "letter" else "a4"),
                               out=out, metadata=metadata,
                               figure_families=figure_families(self.edition, "".join(texts.values())))
        except UnpackagedGlyphs as exc:
            if not exc.characters:  # the fonts drew nothing we can name: report what the writer found
                raise SourceError(document.source, "; ".join(exc.problems)) from None
            figures = [(figure.src, figure.line, text) for figure, text in texts.items()]
            in_figure = figure_glyph_error(Path(document.source), figures, _text(page), exc.characters,
                                           exc.fonts, exc.boxes)
            if in_figure is not None:
                raise in_figure from None
            raise unpackaged_glyph_error(Path(document.source), exc.characters, exc.fonts, exc.boxes) from None
        except PdfBuildError as exc:
            # Refused or missing resources are the source's doing: name the article.
            raise SourceError(document.source, "; ".join(exc.problems)) from None
        finally:
            shutil.rmtree(drawn, ignore_errors=True)
        return Rendition(files=(out,), facts={"pages": layout.pages, "page_starts": layout.page_starts,
                                              "papersize": paper})


# WeasyPrint cannot draw a PDF figure: it reads the PNG of the figure's first page from this
# folder of the edition's own, which only lives while the edition is written (and is no file
# of the Rendition, so nothing in it is ever published).
DRAWN = "drawn-figures"


def _image_urls(document: Document, context: RenderContext, drawn: Path, edition: str,
                ) -> tuple[dict[str, str], dict[Figure | TextImage, str]]:
    """The URL WeasyPrint reads each image from: the file in the article's folder, or, written
    into ``drawn``, for a PDF figure the PNG of its first page, for an SVG figure with text a
    copy of it whose text is set in the edition's packaged fonts (see svgfonts.py); and the
    characters each such SVG figure's text draws."""
    from .fonts import FIGURE_FACES
    from .svgfonts import drawn_text, with_families

    drawn.mkdir(exist_ok=True)
    urls: dict[str, str] = {}
    texts: dict[Figure | TextImage, str] = {}
    families = [family.css_name for family in FIGURE_FACES[edition]]
    for number, figure in enumerate(assets.figures(document), start=1):
        path = assets.resolve(document, figure)
        if path.suffix.lower() == ".pdf":
            path = drawn / f"{number}.png"
            path.write_bytes(assets.image_data(document, figure, context.cache_dir).data)
        elif path.suffix.lower() == ".svg" and (text := drawn_text(data := path.read_bytes())):
            path = drawn / f"{number}.svg"
            path.write_bytes(with_families(data, families))
            texts[figure] = text
        urls[figure.src] = path.as_uri()
    return urls, texts


def _text(page: str) -> str:
    """The text of the HTML ``page``, near enough to tell which characters it draws."""
    return markup.unescape(re.sub(r"<[^>]*>", " ", page))


class PdfRenderer(_PdfEdition):
    name = "pdf"
    description = "Tagged PDF/UA-1 in Literata, bookmarks, linked citations (A4 or US Letter)"
    edition = "standard"
    suffix = ".pdf"
    text_color = "#111"


class LargePrintPdfRenderer(_PdfEdition):
    name = "large-print-pdf"
    description = "Large-print tagged PDF/UA-1: 18 pt Atkinson Hyperlegible, for printing"
    edition = "large-print"
    suffix = ".large-print.pdf"
    text_color = "#000"
