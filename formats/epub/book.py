"""Input types of the EPUB back-end.

The core renders every document of the book to an XHTML body fragment and hands it over in
these frozen dataclasses; :func:`formats.epub.package.write_epub` packages them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Part:
    """One XHTML content document of the spine.

    ``body`` is a well-formed XHTML fragment for inside ``<body>`` (several top-level
    elements allowed). It uses ``epub:type`` together with the matching DPUB-ARIA ``role``
    and its ids are unique across the whole book. Page-break markers inside it are empty
    spans: ``<span epub:type="pagebreak" role="doc-pagebreak" id="page-3" aria-label="3"/>``.
    """

    file_name: str  # "article.xhtml", "disclaimer.xhtml", "references.xhtml"
    title: str  # the document's <title>
    body: str
    landmark: str  # epub:type in the landmarks nav: "bodymatter", "bibliography", "notice", ...
    landmark_title: str


@dataclass(frozen=True)
class TocEntry:
    """One entry of the table of contents; ``level`` 1 is the top."""

    title: str
    href: str  # "article.xhtml#the-gut-barrier"
    level: int


@dataclass(frozen=True)
class PageBreak:
    """One entry of the page list: label "3" pointing at "article.xhtml#page-3"."""

    page: str
    href: str


@dataclass(frozen=True)
class Overlay:
    """The media overlay (SMIL) of one Part.

    The SMIL file is stored beside the XHTML as ``<stem>.smil`` (``article.smil`` for
    ``article.xhtml``), so the paths inside ``smil`` are relative to that folder:
    ``<text src="article.xhtml#p-1"/>`` and ``<audio src="<BookMeta.audio_file>" .../>``.
    ``duration`` is the overlay's playing time in seconds.
    """

    part_file: str
    smil: str  # complete SMIL 3.0 document
    duration: float


@dataclass(frozen=True)
class BookMeta:
    """Publication metadata.

    ``modified`` is the dcterms:modified date (timezone-aware, or naive meaning UTC); the
    caller derives it from the source date or SOURCE_DATE_EPOCH so builds are reproducible.
    ``page_break_source`` names the edition the page list follows (e.g. "gut-barrier.pdf")
    and is required when a page list is given. ``audio_file`` is the name of the narration
    MP3 inside the EPUB and is required when overlays are given.
    """

    identifier: str  # stable: "urn:doi:..." or "urn:publish:<slug>"
    title: str
    lang: str  # BCP 47
    description: str
    subjects: tuple[str, ...]
    date: str | None  # W3C date from the source
    modified: datetime
    creators: tuple[str, ...]
    publisher: str | None
    rights: str | None
    page_break_source: str | None
    has_figures: bool
    has_tables: bool
    audio_file: str | None
    # The synthetic voice that reads the narration: "Piper 1.8.0 (...), voice ..., licence ..."
    narrator: str | None = None
