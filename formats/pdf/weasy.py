"""Write the tagged PDF (PDF/UA-1) of an article with WeasyPrint 70 + pikepdf.

Entry point: :func:`write_pdf`.  The caller hands over the complete HTML
document that the core produced, the stylesheets (see :func:`stylesheets`),
the folder that relative URLs resolve against, the folders anything may be
read from, and the metadata.  Nothing is fetched from the network and nothing
outside ``allowed_roots`` is read (see :mod:`formats.pdf.fetcher`); any
refused or missing resource, any WeasyPrint error and any font that is not
one of the packaged fonts fails the build with :class:`PdfBuildError`.

Reproducibility: the same input gives byte-identical output.  WeasyPrint 70
puts no clock time in the PDF itself (dates only come from ``<meta
name="dcterms.created">``; no ``/ID``), but when it instantiates a variable
font (Literata) fontTools stamps the current time into the embedded font's
``head.modified`` unless ``SOURCE_DATE_EPOCH`` is set.  The writer therefore
sets ``SOURCE_DATE_EPOCH`` while rendering (from the document's date, else the
caller's ``SOURCE_DATE_EPOCH``, else 0), writes Info/XMP dates only from
:class:`PdfMetadata` (falling back to ``SOURCE_DATE_EPOCH`` if the caller set
it, otherwise writing no dates at all: an invented date would be a lie), and
lets qpdf derive ``/ID`` from the file's content.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal

import pikepdf
import pydyf
import weasyprint
from weasyprint.pdf import tags as weasy_tags
from weasyprint.text.fonts import FontConfiguration

from .fetcher import ContainedFetcher, FetchFailure, contained_fetcher
from .fonts import FAMILIES, FontFamily, families_for, font_face_css, font_roots, uncovered_characters
from .math import FORMULA_CLASS
from .postprocess import EmbeddedFont, postprocess_pdf

__all__ = [
    "CSS_DIR",
    "PDF_VARIANT",
    "Edition",
    "Paper",
    "PdfBuildError",
    "PdfLayout",
    "PdfMetadata",
    "UnpackagedGlyphs",
    "page_starts",
    "stylesheets",
    "write_pdf",
]

PDF_VARIANT = "pdf/ua-1"
CSS_DIR = Path(__file__).resolve().parent / "css"

Edition = Literal["standard", "large-print"]
Paper = Literal["a4", "letter"]

_EDITION_CSS: dict[str, str] = {"standard": "pdf.css", "large-print": "large-print-pdf.css"}
_PAPER_CSS: dict[str, str] = {"a4": "page-a4.css", "letter": "page-letter.css"}

#: Elements whose ids can start a page in the page list: content blocks, not
#: the containers (main, article, section, header, lists) around them.
PAGE_START_TAGS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "table", "blockquote",
     "pre", "dt", "dd", "hr", "img"}
)

_LOGGER = logging.getLogger(__name__)
_RENDER_LOCK = threading.Lock()


def stylesheets(edition: Edition = "standard", paper: Paper = "a4") -> list[Path]:
    """The stylesheet files for an edition and paper size, in cascade order."""
    if edition not in _EDITION_CSS:
        raise ValueError(f"unknown PDF edition {edition!r}; use 'standard' or 'large-print'")
    if paper not in _PAPER_CSS:
        raise ValueError(f"unknown paper size {paper!r}; use 'a4' or 'letter'")
    return [CSS_DIR / _EDITION_CSS[edition], CSS_DIR / "math.css", CSS_DIR / _PAPER_CSS[paper]]


# -- metadata ------------------------------------------------------------------


@dataclass(frozen=True)
class PdfMetadata:
    """Document metadata written, identically, to the Info dict and to XMP.

    ``created``/``modified``: the article's dates.  A :class:`date` is written
    as a date, a naive :class:`datetime` is taken as UTC.  ``modified``
    defaults to ``created``.  With neither, ``SOURCE_DATE_EPOCH`` is used if
    set, otherwise no date is written.
    """

    title: str
    lang: str
    authors: tuple[str, ...] = ()
    description: str | None = None
    keywords: tuple[str, ...] = ()
    publisher: str | None = None
    rights: str | None = None
    created: date | datetime | None = None
    modified: date | datetime | None = None
    creator_tool: str = "accessible-publish"

    @classmethod
    def from_html(
        cls,
        html: str,
        *,
        created: date | datetime | None = None,
        modified: date | datetime | None = None,
        **overrides: Any,
    ) -> PdfMetadata:
        """Read title, lang, description, keywords, authors and dates from the head."""
        parser = _HeadParser()
        parser.feed(html)
        parser.close()
        values: dict[str, Any] = {
            "title": " ".join(parser.title.split()),
            "lang": parser.lang or "",
            "authors": tuple(parser.authors),
            "description": parser.meta.get("description") or None,
            "keywords": tuple(
                word.strip() for word in parser.meta.get("keywords", "").split(",") if word.strip()
            ),
            "created": created or _parse_w3c_date(parser.meta.get("dcterms.created")),
            "modified": modified or _parse_w3c_date(parser.meta.get("dcterms.modified")),
        }
        values.update(overrides)
        return cls(**values)

    def with_default_dates(self) -> PdfMetadata:
        """Fill missing dates from ``SOURCE_DATE_EPOCH`` (if set)."""
        created = self.created
        if created is None:
            epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
            if epoch.isdigit():
                created = datetime.fromtimestamp(int(epoch), tz=UTC)
        modified = self.modified or created
        return PdfMetadata(
            title=self.title,
            lang=self.lang,
            authors=self.authors,
            description=self.description,
            keywords=self.keywords,
            publisher=self.publisher,
            rights=self.rights,
            created=created,
            modified=modified,
            creator_tool=self.creator_tool,
        )

    def epoch(self) -> int:
        """Seconds since 1970 for fonts' timestamps: the latest date, else 0."""
        value = self.modified or self.created
        if value is None:
            return 0
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day, tzinfo=UTC)
        elif value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return max(0, int(value.timestamp()))


_W3C_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _parse_w3c_date(value: str | None) -> date | datetime | None:
    if not value:
        return None
    value = value.strip()
    if _W3C_DATE.match(value):
        parts = [int(part) for part in value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.authors: list[str] = []
        self._in_title = False
        self._done_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "html" and self.lang is None:
            self.lang = attributes.get("lang") or attributes.get("xml:lang")
        elif tag == "title" and not self._done_title:
            self._in_title = True
        elif tag == "meta" and "name" in attributes:
            name = attributes["name"].strip().lower()
            content = attributes.get("content", "").strip()
            if name == "author":
                self.authors.extend(a.strip() for a in content.split(";") if a.strip())
            else:
                self.meta.setdefault(name, content)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self._done_title = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


# -- results and errors --------------------------------------------------------


@dataclass(frozen=True)
class PdfLayout:
    """Pagination facts for the EPUB page list and the manifest.

    ``page_starts[i]`` is the id of the first content block (p, li, h1-h6,
    figure, table, blockquote...) whose box *starts* on page ``i + 1``, or
    None when the page only continues a block from the page before.
    """

    pages: int
    page_starts: list[str | None]
    warnings: tuple[str, ...] = field(default=())


class PdfBuildError(Exception):
    """The PDF could not be built; ``problems`` lists every reason found."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = tuple(problems)
        details = "".join(f"\n  - {problem}" for problem in self.problems)
        super().__init__(message + details)


class UnpackagedGlyphs(PdfBuildError):
    """The packaged fonts lack glyphs the text needs, so the system substituted ``fonts``.

    ``characters``: what those fonts drew, each once, in drawing order (so the caller can
    point at the first one in the article source), then ``boxes``: the characters no font
    had, drawn as the empty box of .notdef."""

    def __init__(self, message: str, problems: Sequence[str], characters: str, fonts: Sequence[str],
                 boxes: str = "") -> None:
        super().__init__(message, problems)
        self.characters = characters
        self.fonts = tuple(fonts)
        self.boxes = boxes


# -- rendering helpers -------------------------------------------------------------


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.notdef: list[str] = []  # characters no font, packaged or installed, has

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # pragma: no cover - a broken log call
            message = str(record.msg)
        # WeasyPrint draws such a character as the empty box of .notdef and only warns.
        if str(record.msg).startswith(".notdef glyph rendered") and isinstance(record.args, tuple) and record.args:
            self.notdef.append(str(record.args[0]))
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


@contextmanager
def _rendering_environment(epoch: int) -> Iterator[_LogCollector]:
    """Serialise renders; pin SOURCE_DATE_EPOCH; collect WeasyPrint's log."""
    collector = _LogCollector()
    weasy_logger = logging.getLogger("weasyprint")
    with _RENDER_LOCK:
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        weasy_logger.addHandler(collector)
        try:
            yield collector
        finally:
            weasy_logger.removeHandler(collector)
            if previous is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous


@dataclass
class _StructRecord:
    """What the post-processor needs to know of the structure elements WeasyPrint made."""

    # pydyf object number -> (id(HTML element), tag): what page breaks split is merged back
    sources: dict[int, tuple[int, str]] = field(default_factory=dict)
    # pydyf object number of a formula's element -> (its /Alt, its BBox as WeasyPrint writes
    # a figure's); see formats/pdf/math.py
    formulas: dict[int, tuple[str, tuple[float, float, float, float]]] = field(default_factory=dict)


@contextmanager
def _tracking_struct_sources() -> Iterator[_StructRecord]:
    """Record which HTML element each structure element is made from.

    WeasyPrint 70 builds its structure tree page by page in the private
    generator ``weasyprint.pdf.tags._build_box_tree`` (which calls itself
    through the module global).  While rendering, a wrapper records
    ``pydyf object number -> (id(HTML element), tag)`` for every element it
    yields; the post-processor uses it to merge what page breaks split.  It
    also records the elements of formulas (class ``FORMULA_CLASS``), which
    the post-processor tags ``Formula``.  If a future WeasyPrint renames the
    function, nothing is recorded and the tree is left as WeasyPrint made it
    (and :func:`write_pdf` refuses a PDF whose formulas went untagged).
    Called under the render lock.
    """
    record = _StructRecord()
    original = getattr(weasy_tags, "_build_box_tree", None)
    if original is None:  # pragma: no cover - another WeasyPrint
        yield record
        return

    formula_elements: set[int] = set()

    def tracked(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for element in original(box, *args, **kwargs):
            number = getattr(element, "number", None)
            html_element = getattr(box, "element", None)
            if number is not None and html_element is not None and number not in record.sources:
                record.sources[number] = (id(html_element), str(getattr(box, "element_tag", "")))
                # The first element of a formula's HTML element is the formula's own; any other
                # made from it (none is expected) is left as it is.
                if _is_formula(html_element) and id(html_element) not in formula_elements:
                    formula_elements.add(id(html_element))
                    record.formulas[number] = (_formula_alt(html_element), _bbox(box))
            yield element

    weasy_tags._build_box_tree = tracked
    try:
        yield record
    finally:
        weasy_tags._build_box_tree = original


def _is_formula(element: Any) -> bool:
    return FORMULA_CLASS in str(element.get("class") or "").split()


def _formula_alt(element: Any) -> str:
    return " ".join(str(element.get("alt") or element.get("aria-label") or "").split())


def _bbox(box: Any) -> tuple[float, float, float, float]:
    """A box's content area the way WeasyPrint 70 writes a figure's BBox attribute."""
    x, y = float(box.content_box_x()), float(box.content_box_y())
    return x, y, x + float(box.width), y + float(box.height)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_description(link_type: str, target: str, element: Any) -> str:
    """The /Contents of a link annotation: what the link does, in words."""
    text = _text(element) if element is not None else ""
    if not text and element is not None:
        alts = [img.get("alt", "") for img in element.iter("img")]
        text = " ".join(alt for alt in alts if alt)
    role = (element.get("role", "") if element is not None else "").strip()
    classes = (element.get("class", "") if element is not None else "").split()
    if link_type == "internal":
        label = text.strip("()[] \u00a0")
        if role == "doc-biblioref" or "citation" in classes:
            many = bool(re.search(r"[,;\u2013-]", label))
            return f"Go to reference{'s' if many else ''} {label}" if label else "Go to reference"
        if role == "doc-noteref" or "footnote-ref" in classes:
            return f"Go to note {label}" if label else "Go to note"
        return text or f"Go to {target}"
    # External (or attachment): say where it goes.
    if not text or text == target:
        return target
    return f"{text} ({target})"


def _finisher(document: Any, pdf: pydyf.PDF) -> None:
    """Give every link annotation a /Contents from its HTML element."""
    for page in document.pages:
        for link_type, target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None:
                continue
            annotation["Contents"] = pydyf.String(
                _link_description(link_type, target, box.element)
            )


def _drop_covered_links(document: Any) -> None:
    """One link annotation for a link, not one more for each box inside it.

    WeasyPrint 70 gives every box that inherits a link its own annotation and ``OBJR``: the
    pieces of a shown URL (see publish/templates/blocks.html.j2) would make one DOI a dozen
    links to a screen reader.  A box inheriting a link whose area lies within the area of a
    box that carries the same link adds nothing, and loses its annotation.
    """
    for page in document.pages:
        owners: list[tuple[str, tuple[float, ...]]] = []
        kept = []
        for link in page.links:
            _link_type, target, rectangle, box = link
            if box.link is not None:
                owners.append((target, rectangle))
            elif any(target == owner and _within(rectangle, area) for owner, area in owners):
                continue
            kept.append(link)
        page.links = kept


def _within(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 0.01) -> bool:
    """Whether the rectangle (x1, y1, x2, y2) ``inner`` lies within ``outer``."""
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def page_starts(document: Any, id_tags: dict[str, str]) -> list[str | None]:
    """First content block starting on each page of a rendered WeasyPrint document.

    ``Page.anchors`` lists, per page, every id whose box has a fragment there
    (in document order), continuations included; an id *starts* on the first
    page it appears on.
    """
    seen: set[str] = set()
    starts: list[str | None] = []
    for page in document.pages:
        first: str | None = None
        for anchor in page.anchors:
            if anchor in seen:
                continue
            seen.add(anchor)
            if first is None and id_tags.get(anchor) in PAGE_START_TAGS:
                first = anchor
        starts.append(first)
    return starts


def _packaged(font: EmbeddedFont, families: Sequence[FontFamily]) -> bool:
    return font.base_font.startswith(tuple(family.css_name.replace(" ", "-") for family in families))


def _foreign_fonts(fonts: Sequence[EmbeddedFont], families: Sequence[FontFamily]) -> list[str]:
    problems = []
    for font in fonts:
        if not font.embedded:
            problems.append(f"font {font.base_font} is not embedded")
        if not _packaged(font, families):
            drawn = " ".join(f"{char} (U+{ord(char):04X})" for char in font.characters[:40])
            problems.append(
                f"font {font.base_font} is not one of the packaged fonts "
                f"({', '.join(family.css_name for family in families)}); "
                f"the system substituted it for: {drawn or 'unknown text'}. Use characters "
                "the packaged fonts cover (check list-style-type and other CSS content too)"
            )
    return problems


def _write_atomically(data: bytes, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; a published file is readable
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- the writer ----------------------------------------------------------------------


def write_pdf(
    html: str,
    *,
    base_dir: Path,
    allowed_roots: Sequence[Path],
    stylesheets: Sequence[Path],
    out: Path,
    metadata: PdfMetadata,
    figure_families: Sequence[FontFamily] = (),
) -> PdfLayout:
    """Render ``html`` to a PDF/UA-1 file at ``out`` and return its pagination.

    ``base_dir``: folder relative URLs resolve against.  ``allowed_roots``:
    the only folders the document may read from (images...).  ``stylesheets``:
    CSS files in cascade order, e.g. ``stylesheets("standard", "letter")``;
    their own folders and the packaged font folders are readable by the
    stylesheets (not by the document).  ``figure_families``: the families
    the text of SVG figures is drawn in (see ``fonts.figure_families``),
    loaded beside those the HTML's own text needs.  Raises
    :class:`PdfBuildError`; on failure ``out`` is left untouched.
    """
    if not metadata.title.strip():
        raise PdfBuildError("the PDF needs a title", ["metadata.title is empty"])
    if not metadata.lang.strip():
        raise PdfBuildError("the PDF needs a language", ["metadata.lang is empty"])
    metadata = metadata.with_default_dates()
    sheets = [Path(sheet).resolve() for sheet in stylesheets]
    for sheet in sheets:
        if not sheet.is_file():
            raise PdfBuildError("stylesheet not found", [str(sheet)])

    needed = {*families_for(html), *figure_families}
    families = tuple(family for family in FAMILIES if family in needed)
    content_fetcher = contained_fetcher(allowed_roots)
    style_fetcher: ContainedFetcher = contained_fetcher(
        [*font_roots(FAMILIES), *sorted({sheet.parent for sheet in sheets})]
    )

    with _rendering_environment(metadata.epoch()) as log:
        font_config = FontConfiguration()
        try:
            css = [
                weasyprint.CSS(
                    string=font_face_css(families),
                    url_fetcher=style_fetcher,
                    font_config=font_config,
                ),
                *(
                    weasyprint.CSS(filename=str(sheet), url_fetcher=style_fetcher, font_config=font_config)
                    for sheet in sheets
                ),
            ]
            document_html = weasyprint.HTML(
                string=html,
                base_url=str(Path(base_dir).resolve()) + os.sep,
                url_fetcher=content_fetcher,
            )
            root = document_html.etree_element
            html_lang = (root.get("lang") or "").strip()
            problems: list[str] = []
            if not html_lang:
                problems.append('the <html> element has no lang attribute (the PDF /Lang would be empty)')
            elif html_lang.lower() != metadata.lang.strip().lower():
                problems.append(f"<html lang={html_lang!r}> disagrees with metadata.lang={metadata.lang!r}")
            if root.find(".//title") is None or not _text(root.find(".//title")):
                problems.append("the document has no <title>")
            if problems:
                raise PdfBuildError("the HTML cannot make an accessible PDF", problems)

            document = document_html.render(
                stylesheets=css, font_config=font_config, pdf_variant=PDF_VARIANT
            )
            failures: list[FetchFailure] = [*content_fetcher.failures, *style_fetcher.failures]
            if failures:
                raise PdfBuildError(
                    "resources were refused or missing; no PDF written",
                    [str(failure) for failure in failures],
                )
            _drop_covered_links(document)
            with _tracking_struct_sources() as struct_record:
                raw = document.write_pdf(finisher=_finisher, pdf_variant=PDF_VARIANT)
        finally:
            # WeasyPrint removes its fonts' temporary folder in __del__, which never runs in a
            # forked child that leaves through os._exit (every edition of a parallel build)
            font_config.__del__()
        errors = list(log.errors)
        warnings = tuple(log.warnings)
        boxes = "".join(dict.fromkeys(log.notdef))
    if errors:
        raise PdfBuildError("WeasyPrint reported errors; no PDF written", errors)
    if not isinstance(raw, bytes):  # pragma: no cover - write_pdf(None) returns bytes
        raise PdfBuildError("WeasyPrint returned no PDF")

    id_tags = {
        str(element.get("id")): str(element.tag).rsplit("}", 1)[-1]
        for element in root.iter()
        if isinstance(element.tag, str) and element.get("id")
    }
    starts = page_starts(document, id_tags)

    producer = f"WeasyPrint {weasyprint.__version__}; pikepdf {pikepdf.__version__}"
    result = postprocess_pdf(raw, metadata, producer, struct_record.sources, struct_record.formulas)
    formulas = sum(1 for element in root.iter() if isinstance(element.tag, str) and _is_formula(element))
    if result.formulas != formulas:
        # A formula tagged Figure (or not at all) is a PDF/UA failure that no check would name.
        raise PdfBuildError("the formulas could not be tagged; no PDF written", [
            f"{formulas} formulas in the HTML, {result.formulas} tagged Formula: the structure elements "
            f"WeasyPrint {weasyprint.__version__} made for them were not found (formats/pdf/weasy.py)"])
    font_problems = _foreign_fonts(result.fonts, FAMILIES)
    if boxes:
        font_problems.append("no font, packaged or installed, has: "
                             + " ".join(f"{char} (U+{ord(char):04X})" for char in boxes[:40]))
    if font_problems:
        missing = uncovered_characters(_text(root), FAMILIES)
        if missing:
            listed = " ".join(f"{char} (U+{ord(char):04X})" for char in missing[:40])
            font_problems.append(f"characters no packaged font covers: {listed}")
        foreign = [font for font in result.fonts if not _packaged(font, FAMILIES)]
        if foreign or boxes:
            drawn = "".join(dict.fromkeys([*(c for font in foreign for c in font.characters if not c.isspace()),
                                           *boxes]))
            raise UnpackagedGlyphs("the PDF would use fonts that are not packaged", font_problems, drawn,
                                   sorted({font.base_font for font in foreign}), boxes)
        raise PdfBuildError("the PDF would use fonts that are not packaged", font_problems)

    _write_atomically(result.data, Path(out))
    for warning in warnings:
        _LOGGER.warning("WeasyPrint: %s", warning)
    return PdfLayout(pages=len(document.pages), page_starts=starts, warnings=warnings)
