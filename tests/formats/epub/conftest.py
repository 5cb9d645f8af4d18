"""Fixtures for the EPUB back-end: a small three-part book with figures, a table, notes,
citations, a disclaimer, three page breaks and a media overlay with a real (silent) MP3."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from formats.epub.book import BookMeta, Overlay, PageBreak, Part, TocEntry

ARTICLE = """\
<main id="article" aria-labelledby="article-title">
<h1 id="article-title">What&#8217;s Going On With Your Gut Barrier</h1>
<p id="p-1"><span epub:type="pagebreak" role="doc-pagebreak" id="page-1" title="1"/>The lining of
the gut lets nutrients through and keeps most other things out
(<a id="cite-1-1" href="references.xhtml#ref-1" epub:type="biblioref" role="doc-biblioref">1</a>).</p>
<section id="the-gut-barrier" aria-labelledby="the-gut-barrier-title">
<h2 id="the-gut-barrier-title">The gut barrier</h2>
<p id="p-2">A single layer of cells, sealed by tight junctions, does most of the work.<a
id="noteref-1" href="#note-1" epub:type="noteref" role="doc-noteref">1</a></p>
<figure id="fig-1">
<img src="images/figure-1.png"
alt="Diagram of the gut lining: a row of cells joined by tight junctions, with mucus above them."/>
<figcaption>Figure 1. The layers of the gut barrier.</figcaption>
</figure>
<p id="p-3">Both the <abbr title="short-chain fatty acids">SCFA</abbr> made from fibre and the mucus
layer <span epub:type="pagebreak" role="doc-pagebreak" id="page-2" title="2"/>help.</p>
<table id="table-1">
<caption>Table 1. What is known about some foods</caption>
<thead><tr><th scope="col">Food</th><th scope="col">What studies found</th></tr></thead>
<tbody>
<tr><th scope="row">Fibre</th><td>Feeds bacteria that make SCFA
(<a id="cite-2-1" href="references.xhtml#ref-2" epub:type="biblioref" role="doc-biblioref">2</a>).</td></tr>
<tr><th scope="row">Alcohol</th><td>Large amounts loosen tight junctions.</td></tr>
</tbody>
</table>
</section>
<section id="what-to-do" aria-labelledby="what-to-do-title">
<h2 id="what-to-do-title"><span epub:type="pagebreak" role="doc-pagebreak" id="page-3" title="3"/>What to do</h2>
<p id="p-4">Eat a varied diet with plenty of plants
(<a id="cite-1-2" href="references.xhtml#ref-1" epub:type="biblioref" role="doc-biblioref">1</a>).</p>
</section>
<section id="notes" epub:type="endnotes" role="doc-endnotes" aria-labelledby="notes-title">
<h2 id="notes-title">Notes</h2>
<ol>
<li id="note-1"><p>Tight junctions are protein complexes between neighbouring cells.
<a href="#noteref-1" role="doc-backlink" aria-label="Back to note 1 in the text">&#8617;</a></p></li>
</ol>
</section>
</main>
"""

DISCLAIMER = """\
<section id="disclaimer" epub:type="notice" role="doc-notice" aria-labelledby="disclaimer-title">
<h1 id="disclaimer-title">Disclaimer</h1>
<p>This article is general information, not medical advice. Talk to a doctor about your own health.</p>
</section>
"""

REFERENCES = """\
<section id="references" epub:type="bibliography" role="doc-bibliography" aria-labelledby="references-title">
<h1 id="references-title">References</h1>
<ol>
<li id="ref-1">Camilleri, M. (2019). Leaky gut: mechanisms, measurement and clinical implications in humans.
<i>Gut</i>, 68(8), 1516&#8211;1526.
<a href="https://doi.org/10.1136/gutjnl-2019-318427">https://doi.org/10.1136/gutjnl-2019-318427</a>
<a href="article.xhtml#cite-1-1" role="doc-backlink" aria-label="Back to citation 1 in the text">&#8617;</a>
<a href="article.xhtml#cite-1-2" role="doc-backlink"
aria-label="Back to the second citation 1 in the text">&#8617;</a></li>
<li id="ref-2">Koh, A., De Vadder, F., Kovatcheva-Datchary, P., &amp; B&#228;ckhed, F. (2016). From dietary fiber to
host physiology. <i>Cell</i>, 165(6), 1332&#8211;1345.
<a href="article.xhtml#cite-2-1" role="doc-backlink" aria-label="Back to citation 2 in the text">&#8617;</a></li>
</ol>
</section>
"""

SMIL = """\
<?xml version="1.0" encoding="utf-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
<seq id="seq-article" epub:textref="article.xhtml">
<par id="par-1"><text src="article.xhtml#article-title"/>
<audio src="gut-barrier.mp3" clipBegin="0s" clipEnd="0.5s"/></par>
<par id="par-2"><text src="article.xhtml#p-1"/>
<audio src="gut-barrier.mp3" clipBegin="0.5s" clipEnd="1.5s"/></par>
</seq>
</body>
</smil>
"""


def silent_mp3(seconds: float = 1.5) -> bytes:
    """A real CBR MP3 of silence, 44.1 kHz mono, made with lameenc."""
    import lameenc  # type: ignore[import-not-found,import-untyped,unused-ignore]

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(44100)
    encoder.set_channels(1)
    encoder.set_quality(2)
    data = encoder.encode(b"\x00\x00" * int(44100 * seconds))
    return bytes(data + encoder.flush())


def figure_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for x in range(20, 580, 112):
        draw.rectangle((x, 150, x + 100, 280), outline=(0, 0, 0), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def sample_book() -> dict[str, object]:
    """The keyword arguments of write_epub (all but ``out``) for the test book."""
    from formats.epub.cover import make_cover
    from formats.epub.package import DEFAULT_CSS

    meta = BookMeta(
        identifier="urn:publish:gut-barrier",
        title="What’s Going On With Your Gut Barrier",
        lang="en",
        description="A plain-language look at the gut barrier, what weakens it and what helps.",
        subjects=("gut barrier", "intestinal permeability", "nutrition"),
        date="2024-03-01",
        modified=datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC),
        creators=("Ada Example", "Ben Sample"),
        publisher="Example Health Press",
        rights="CC BY 4.0",
        page_break_source="gut-barrier.pdf",
        has_figures=True,
        has_tables=True,
        audio_file="gut-barrier.mp3",
    )
    parts = (
        Part("article.xhtml", "What’s Going On With Your Gut Barrier", ARTICLE, "bodymatter", "Start of article"),
        Part("disclaimer.xhtml", "Disclaimer", DISCLAIMER, "notice", "Disclaimer"),
        Part("references.xhtml", "References", REFERENCES, "bibliography", "References"),
    )
    toc = (
        TocEntry("What’s Going On With Your Gut Barrier", "article.xhtml#article-title", 1),
        TocEntry("The gut barrier", "article.xhtml#the-gut-barrier", 2),
        TocEntry("What to do", "article.xhtml#what-to-do", 2),
        TocEntry("Notes", "article.xhtml#notes", 2),
        TocEntry("Disclaimer", "disclaimer.xhtml#disclaimer", 1),
        TocEntry("References", "references.xhtml#references", 1),
    )
    page_list = (
        PageBreak("1", "article.xhtml#page-1"),
        PageBreak("2", "article.xhtml#page-2"),
        PageBreak("3", "article.xhtml#page-3"),
    )
    return {
        "meta": meta,
        "parts": parts,
        "toc": toc,
        "page_list": page_list,
        "css": DEFAULT_CSS,
        "cover_png": make_cover(meta.title, "A plain-language guide"),
        "images": {"images/figure-1.png": figure_png()},
        "overlays": (Overlay("article.xhtml", SMIL, 1.5),),
        "audio": silent_mp3(1.5),
    }


@pytest.fixture(scope="session")
def book_input() -> dict[str, object]:
    return sample_book()


@pytest.fixture(scope="session")
def make_input() -> Callable[[], dict[str, object]]:
    """A fresh copy of the test book's arguments, to change one thing in a test."""
    return sample_book


@pytest.fixture(scope="session")
def built_epub(book_input: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from formats.epub.package import write_epub

    out = tmp_path_factory.mktemp("epub") / "gut-barrier.epub"
    write_epub(out=out, **book_input)  # type: ignore[arg-type]
    return out
