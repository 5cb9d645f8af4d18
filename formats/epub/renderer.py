"""The EPUB 3 edition: EPUB Accessibility 1.1, a page list following the PDF, read-aloud."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish import assets, html
from publish.ids import GENERATED_ID
from publish.math.markup import mathml_markup
from publish.model import Document, element_ids, headings_in, plain_text
from publish.renderer import RenderContext, Rendition, publication_time
from publish.transforms import shift_headings

from .book import BookMeta, Overlay, PageBreak, Part, TocEntry
from .cover import make_cover
from .package import DEFAULT_CSS, write_epub

HERE = Path(__file__).parent


@dataclass(frozen=True)
class PartSpec:
    file_name: str
    macro: str
    title: str
    landmark: str
    prefixes: tuple[str, ...]  # ids starting so live in this part


@dataclass(frozen=True)
class Clip:
    id: str
    start: float
    end: float


PARTS = (
    PartSpec("notes.xhtml", "notes", "Notes", "endnotes", ("fn-", "footnotes")),
    PartSpec("disclaimer.xhtml", "disclaimer", "Disclaimer", "notice", ("disclaimer",)),
    PartSpec("references.xhtml", "references", "References", "bibliography", ("ref-", "references")),
)
ARTICLE = PartSpec("article.xhtml", "article", "", "bodymatter", ())
# What the source has after its bibliography; its ids are the reader's ordinary ones, so it is
# known by the ids it holds rather than by a prefix.
APPENDIX = PartSpec("appendix.xhtml", "appendix", "Appendix", "appendix", ())


def part_of(element_id: str, appendix_ids: frozenset[str] = frozenset()) -> PartSpec:
    """The part an element lives in. A part's own names match whole ("references",
    "references-heading") or with a generated id after them ("disclaimer-p-2"), since a heading
    of the article may take a part's name with a number ("references-2": a References section
    typed in the body), and ids such as "fn-" and "ref-" by prefix."""
    if element_id in appendix_ids:
        return APPENDIX
    for part in PARTS:
        for prefix in part.prefixes:
            if prefix.endswith("-") and element_id.startswith(prefix):
                return part
            if element_id in (prefix, f"{prefix}-heading") or (
                    element_id.startswith(f"{prefix}-") and GENERATED_ID.match(element_id)):
                return part
    return ARTICLE


class EpubRenderer:
    name = "epub"
    description = "EPUB 3.3 with EPUB Accessibility 1.1 metadata, page list and media overlays"
    suffixes = (".epub",)
    media_type = "application/epub+zip"
    uses = ("pdf", "audio")
    # Linear in the source, which the reader's limits bound: no time budget (and its child) needed.
    needs_time_budget = False

    def render(self, document: Document, context: RenderContext) -> Rendition:
        figures = assets.figures(document)
        shown = [assets.image_data(document, f, context.cache_dir) for f in figures]
        images = {f"images/{i}{image.suffix}": image.data for i, image in enumerate(shown, start=1)}
        image_names = dict(zip((f.src for f in figures), images, strict=True))
        env = html.environment(HERE / "templates")
        present = [spec for spec in (ARTICLE, *PARTS, APPENDIX) if _has_part(document, spec)]
        appendix_ids = frozenset(element_ids(document.appendix))

        def file_of(element_id: str) -> str:
            return part_of(element_id, appendix_ids).file_name

        macros = env.get_template("parts.xhtml.j2").make_module(vars={
            "epub": True, "href": lambda id: f"{file_of(id)}#{id}", "image_src": image_names.__getitem__,
            "reference_ids": {r.key: r.id for r in document.references}, "formula": mathml_markup, "doc": document,
            "shift_headings": shift_headings,
        })
        page_starts = _page_starts(context.results.get("pdf"))
        parts = [
            Part(spec.file_name, _title(document, spec),
                 _mark_pages(str(getattr(macros, spec.macro)(document)), page_starts),
                 spec.landmark, spec.title or "Start of content")
            for spec in present
        ]
        page_list = [PageBreak(str(page), f"{file_of(block)}#page-{page}")
                     for page, block in page_starts.items()]
        audio = context.results.get("audio")
        overlays = _overlays(document, audio.facts, present, env, file_of) if audio else []
        audio_name = f"audio/{document.slug}.mp3" if audio else None
        meta = document.meta
        book = BookMeta(
            identifier=f"urn:doi:{meta.doi}" if meta.doi else f"urn:publish:{document.slug}",
            title=meta.title,
            lang=meta.lang,
            description=meta.description,
            subjects=meta.keywords,
            date=meta.date or None,
            modified=publication_time(document, context.settings),
            creators=meta.authors,
            publisher=meta.publisher or None,
            rights=meta.rights or None,
            page_break_source=f"{document.slug}.pdf" if page_list else None,
            has_figures=bool(figures),
            has_tables=document.has("table"),
            audio_file=audio_name if overlays else None,
            narrator=audio.facts.get("narrator") if audio and overlays else None,
        )
        toc = [TocEntry(e.title, f"{file_of(e.id)}#{e.id}", e.level) for e in html.toc(document)]
        out = context.out_dir / f"{document.slug}.epub"
        audio_bytes = next(p for p in audio.files if p.suffix == ".mp3").read_bytes() if audio and overlays else None
        cover = make_cover(meta.title, meta.subtitle or None)
        write_epub(book, parts, toc, page_list, DEFAULT_CSS, cover, images, overlays, audio_bytes, out)
        return Rendition(files=(out,), facts={"pages_from": book.page_break_source, "page_list": len(page_list),
                                              "media_overlays": bool(overlays)})


def _has_part(document: Document, spec: PartSpec) -> bool:
    return {"article": True, "disclaimer": bool(document.disclaimer), "notes": bool(document.footnotes),
            "references": bool(document.references), "appendix": bool(document.appendix)}[spec.macro]


def _title(document: Document, spec: PartSpec) -> str:
    """A part's <title>: the article's for the article, the appendix's first heading for it."""
    if spec is ARTICLE:
        return document.meta.title
    if spec is APPENDIX:
        first = next(headings_in(document.appendix), None)
        return plain_text(first.children) if first else spec.title
    return spec.title


def _page_starts(pdf: Any) -> dict[int, str]:
    """Page number -> id of the block that begins on it, from the standard PDF's layout."""
    if pdf is None:
        return {}
    starts = pdf.facts.get("page_starts", [])
    return {page: block for page, block in enumerate(starts, start=1) if block}


def _mark_pages(body: str, page_starts: Mapping[int, str]) -> str:
    """Put a page-break marker where each PDF page begins: inside the block, or before a
    list or table (whose content model forbids a span as a child)."""
    for page, block in page_starts.items():
        marker = f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{page}" title="{page}"/>'
        tag = re.search(rf'<(\w+)[^>]*\sid="{re.escape(block)}"[^>]*>', body)
        if tag is None:
            continue
        if tag.group(1) in ("ul", "ol", "table", "section", "figure", "blockquote", "pre", "hr"):
            body = body[: tag.start()] + marker + body[tag.start():]
        else:
            body = body[: tag.end()] + marker + body[tag.end():]
    return body


def _overlays(document: Document, facts: Mapping[str, Any], parts: list[PartSpec], env: Any,
              file_of: Callable[[str], str]) -> list[Overlay]:
    timings: Mapping[str, list[float]] = facts["timings"]
    template = env.get_template("overlay.smil.j2")
    overlays = []
    for spec in parts:
        clips = [Clip(id, start, end) for id, (start, end) in timings.items() if file_of(id) == spec.file_name]
        if not clips:
            continue
        smil = template.render(part=spec.file_name, stem=spec.file_name.removesuffix(".xhtml"),
                               audio=f"audio/{document.slug}.mp3", clips=clips)
        overlays.append(Overlay(spec.file_name, smil, round(sum(c.end - c.start for c in clips), 3)))
    return overlays

