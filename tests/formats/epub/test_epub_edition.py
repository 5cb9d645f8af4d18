"""The EPUB edition end to end: the seed and the "everything" fixture built by the real
pipeline (with audio, so with media overlays), then checked as a reader and a validator see
them: epubcheck, axe-core, golden files, text parity, accessibility metadata, overlays,
reproducibility and citation links.

The builds come from tests/formats/conftest.py (one per article per session).
Regenerate the golden files with ``UPDATE_GOLDEN=1``. They follow the editions that are
installed: when a PDF edition appears, the page list and page-break markers enter the
documents and the goldens must be regenerated once (deliberately).
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from publish.check.axe import epub_documents, run_axe
from publish.check.epubcheck import run_epubcheck
from publish.model import (
    Block,
    BlockQuote,
    Citation,
    CodeBlock,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Strong,
    Table,
    citation_label,
    plain_text,
    walk_blocks,
)
from publish.renderer import publication_time
from publish.speech import segments as speech_segments
from tests.builds import ROOT, SETTINGS, ArticleBuild, ArticleBuilds

if TYPE_CHECKING:
    from playwright.sync_api import Browser

GOLDEN = ROOT / "tests" / "golden" / "epub" / "gut-barrier"
GOLDEN_FILES = ("content.opf", "nav.xhtml", "cover.xhtml", "article.xhtml", "disclaimer.xhtml", "references.xhtml")
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"

CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
SMIL_NS = "http://www.w3.org/ns/SMIL"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
NS = {"h": XHTML_NS, "epub": EPUB_NS, "opf": OPF_NS, "dc": DC_NS, "s": SMIL_NS}

# Facts about the two articles the tests must see in the metadata.
HAS_FIGURE = {"seed": False, "everything": True}


# --------------------------------------------------------------------------- reading an EPUB


@dataclass(frozen=True)
class Item:
    id: str
    path: str  # inside the zip, e.g. "EPUB/article.xhtml"
    href: str  # as written in the manifest, relative to the OPF
    media_type: str
    properties: tuple[str, ...]
    media_overlay: str | None


class Epub:
    """A built EPUB read the way a reading system does: container -> OPF -> manifest/spine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.entries = {info.filename: info for info in archive.infolist()}
            self._data = {name: archive.read(name) for name in archive.namelist()}

    def read(self, path: str) -> bytes:
        return self._data[path]

    @cached_property
    def opf_path(self) -> str:
        container = etree.fromstring(self.read("META-INF/container.xml"))
        rootfile = container.find(f".//{{{CONTAINER_NS}}}rootfile")
        assert rootfile is not None, "META-INF/container.xml names no rootfile"
        return str(rootfile.get("full-path"))

    @cached_property
    def opf(self) -> Any:
        return etree.fromstring(self.read(self.opf_path))

    def resolve(self, href: str, relative_to: str | None = None) -> str:
        """A zip path from an href written in the file ``relative_to`` (the OPF by default)."""
        base = posixpath.dirname(relative_to if relative_to is not None else self.opf_path)
        return posixpath.normpath(posixpath.join(base, href.partition("#")[0]))

    @cached_property
    def manifest(self) -> dict[str, Item]:
        items = {}
        for node in self.opf.iterfind(f"{{{OPF_NS}}}manifest/{{{OPF_NS}}}item"):
            href = str(node.get("href"))
            items[str(node.get("id"))] = Item(
                str(node.get("id")), self.resolve(href), href, str(node.get("media-type")),
                tuple((node.get("properties") or "").split()), node.get("media-overlay"),
            )
        return items

    @cached_property
    def spine(self) -> list[Item]:
        return [self.manifest[str(ref.get("idref"))]
                for ref in self.opf.iterfind(f"{{{OPF_NS}}}spine/{{{OPF_NS}}}itemref")]

    @cached_property
    def nav(self) -> Item:
        (nav,) = [item for item in self.manifest.values() if "nav" in item.properties]
        return nav

    def content_documents(self) -> list[Item]:
        """The spine's XHTML documents other than the cover and the navigation document."""
        return [item for item in self.spine
                if item.media_type == "application/xhtml+xml" and item is not self.nav and item.id != "cover"]

    def xhtml(self, path: str) -> Any:
        return etree.fromstring(self.read(path))

    def by_name(self, file_name: str) -> Item:
        (item,) = [i for i in self.manifest.values() if posixpath.basename(i.path) == file_name]
        return item

    @cached_property
    def ids(self) -> dict[str, set[str]]:
        """Every id of every XHTML document, by zip path."""
        return {item.path: {str(v) for v in self.xhtml(item.path).xpath("//@id")}
                for item in self.manifest.values() if item.media_type == "application/xhtml+xml"}

    def meta(self, prop: str, refines: str | None = None) -> list[str]:
        """Texts of ``<meta property=prop>`` (with that ``refines``, or none)."""
        return [str(m.text or "") for m in self.opf.iterfind(f"{{{OPF_NS}}}metadata/{{{OPF_NS}}}meta")
                if m.get("property") == prop and m.get("refines") == refines]


@pytest.fixture(params=["seed", "everything"])
def build(request: pytest.FixtureRequest, article_builds: ArticleBuilds) -> ArticleBuild:
    return article_builds.get(request.param)


@pytest.fixture
def epub(build: ArticleBuild) -> Epub:
    return Epub(build.file("epub", ".epub"))


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(element: Any) -> str:
    """The visible text of an element as a reader gets it (a <br/> reads as a space)."""
    copy = deepcopy(element)
    copy.tail = None
    for br in copy.iter(f"{{{XHTML_NS}}}br"):
        br.tail = " " + (br.tail or "")
    return squash("".join(copy.itertext()))


def body_text(epub: Epub, path: str) -> str:
    (body,) = epub.xhtml(path).xpath("/h:html/h:body", namespaces=NS)
    return text_of(body)


# --------------------------------------------------------------------------- validators


def test_epubcheck_reports_nothing_above_usage(build: ArticleBuild, java: str) -> None:
    findings = run_epubcheck(build.file("epub", ".epub"))
    for finding in findings:
        print(finding)
    assert any(f.check == "epubcheck" and f.ok for f in findings), "epubcheck did not report that it ran"
    problems = [f for f in findings if f.severity in ("error", "warning") or not f.ok]
    assert not problems, f"epubcheck on {build.name}:\n" + "\n".join(str(f) for f in problems)


def test_axe_finds_no_violation_in_any_xhtml(
    build: ArticleBuild, chromium_browser: Browser, tmp_path: Path
) -> None:
    documents = epub_documents(build.file("epub", ".epub"), tmp_path)
    epub = Epub(build.file("epub", ".epub"))
    assert {d.relative_to(tmp_path.resolve()).as_posix() for d in documents} == set(epub.ids)
    results = run_axe(documents, tags=AXE_TAGS, browser=chromium_browser)
    assert set(results) == set(documents)
    for path, findings in results.items():
        assert any(f.check == "axe" and f.ok for f in findings), f"axe did not run on {path.name}"
    violations = [str(f) for findings in results.values() for f in findings if not f.ok]
    assert not violations, f"axe on {build.name}:\n" + "\n".join(violations)


# --------------------------------------------------------------------------- golden files


def _normalise(name: str, data: bytes) -> str:
    text = data.decode("utf-8")
    if name.endswith(".opf"):
        # Durations come from the synthesised speech; the overlays' own tests check them.
        text = re.sub(r'(<meta property="media:duration"[^>]*>)[^<]*(</meta>)', r"\1H:MM:SS.mmm\2", text)
        # So do the voice's versions (tests/formats/audio/test_voices.py checks what they say).
        text = re.sub(r"(read by a synthetic voice: \S+) .*?(, voice )", r"\1 VERSION\2", text)
    return text


def _golden_sources(epub: Epub) -> dict[str, str]:
    """Golden file name -> zip path: the OPF, the nav document and every content XHTML."""
    sources = {posixpath.basename(epub.opf_path): epub.opf_path}
    for item in epub.manifest.values():
        if item.media_type == "application/xhtml+xml":
            sources[posixpath.basename(item.path)] = item.path
    return sources


def _update_golden() -> bool:
    return os.environ.get("UPDATE_GOLDEN", "").strip() not in ("", "0")


def test_seed_golden_files_cover_every_document(seed_build: ArticleBuild) -> None:
    epub = Epub(seed_build.file("epub", ".epub"))
    assert epub.opf_path == "EPUB/content.opf"
    assert posixpath.basename(epub.nav.path) == "nav.xhtml"
    assert sorted(_golden_sources(epub)) == sorted(GOLDEN_FILES), "a document was added or removed: update GOLDEN_FILES"


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_seed_document_matches_golden(seed_build: ArticleBuild, name: str) -> None:
    epub = Epub(seed_build.file("epub", ".epub"))
    sources = _golden_sources(epub)
    assert name in sources, f"the seed's EPUB has no {name}"
    actual = _normalise(name, epub.read(sources[name]))
    golden = GOLDEN / name
    if _update_golden():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run with UPDATE_GOLDEN=1 once"
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"golden/{name}", f"built/{name}", n=1))
    assert actual == expected, f"{name} changed (UPDATE_GOLDEN=1 if on purpose):\n{diff[:6000]}"


# --------------------------------------------------------------------------- text parity


def _leaf_text(block: Block) -> str:
    """A block's whole visible text, nested blocks included, as plain text."""
    if isinstance(block, Paragraph | Heading):
        return plain_text(block.children)
    if isinstance(block, ListBlock):
        return " ".join(_leaf_text(item) for item in block.items)
    if isinstance(block, ListItem | BlockQuote):
        return " ".join(_leaf_text(b) for b in block.blocks)
    if isinstance(block, Figure):
        return plain_text(block.caption)
    if isinstance(block, Table):
        cells = [*block.header, *(cell for row in block.rows for cell in row)]
        return " ".join(plain_text(cell.children) for cell in cells)
    if isinstance(block, CodeBlock):
        return block.text
    return ""


def _expected(blocks: tuple[Block, ...]) -> list[tuple[str, str, bool]]:
    """(id, text, container) for every block with text, in reading order. A container's
    text (a list item) spans the texts of the blocks inside it."""
    found = []
    for block in walk_blocks(blocks):
        if isinstance(block, ListItem):
            found.append((block.id, _leaf_text(block), True))
        elif isinstance(block, Table):  # cell by cell: adjacent cells have no space between them
            cells = [*block.header, *(cell for row in block.rows for cell in row)]
            found += [(f"{block.id} cell {i}", plain_text(c.children), False) for i, c in enumerate(cells, 1)]
        elif isinstance(block, Paragraph | Heading | CodeBlock) or (isinstance(block, Figure) and block.caption):
            found.append((block.id, _leaf_text(block), False))
    return [(id, squash(text), container) for id, text, container in found if squash(text)]


def _assert_in_order(haystack: str, expected: list[tuple[str, str, bool]], where: str) -> None:
    cursor = 0
    for id, needle, container in expected:
        found = haystack.find(needle, cursor)
        if found < 0:
            earlier = " (it is there, but out of order)" if needle in haystack else ""
            pytest.fail(f"{where}: the text of {id} is missing{earlier}: {needle!r}")
        cursor = found if container else found + len(needle)


def test_spine_carries_every_block_disclaimer_and_reference_in_order(build: ArticleBuild, epub: Epub) -> None:
    doc = build.document
    documents = [posixpath.basename(item.path) for item in epub.content_documents()]
    expected_parts = ["article.xhtml"]
    expected_parts += ["notes.xhtml"] if doc.footnotes else []
    expected_parts += ["disclaimer.xhtml"] if doc.disclaimer else []
    expected_parts += ["references.xhtml"] if doc.references else []
    assert documents == expected_parts
    assert doc.disclaimer and doc.references, "both articles have a disclaimer and references"

    article = body_text(epub, epub.by_name("article.xhtml").path)
    title = [("title", squash(doc.meta.title), False)]
    _assert_in_order(article, title + _expected(doc.body), "article.xhtml")

    disclaimer = body_text(epub, epub.by_name("disclaimer.xhtml").path)
    _assert_in_order(disclaimer, _expected(doc.disclaimer), "disclaimer.xhtml")
    assert squash(" ".join(_leaf_text(b) for b in doc.disclaimer)) in disclaimer

    if doc.footnotes:
        notes = body_text(epub, epub.by_name("notes.xhtml").path)
        expected = [e for note in doc.footnotes for e in [(note.id, "", True), *_expected(note.blocks)] if e[1]]
        _assert_in_order(notes, expected, "notes.xhtml")

    references_path = epub.by_name("references.xhtml").path
    references = body_text(epub, references_path)
    _assert_in_order(references, [(r.id, squash(plain_text(r.children)), False) for r in doc.references],
                     "references.xhtml")
    entries = epub.xhtml(references_path).xpath(
        '//h:section[@role="doc-bibliography"]/h:ol/h:li', namespaces=NS)
    assert [li.get("id") for li in entries] == [r.id for r in doc.references]


# --------------------------------------------------------------------------- metadata


def test_accessibility_metadata_states_what_is_true(build: ArticleBuild, epub: Epub) -> None:
    doc = build.document
    features = epub.meta("schema:accessibilityFeature")
    assert "textual" in epub.meta("schema:accessMode")
    assert "textual" in epub.meta("schema:accessModeSufficient")
    assert features and len(features) == len(set(features))
    assert epub.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = epub.meta("schema:accessibilitySummary")
    assert len(summary) > 80
    assert epub.meta("dcterms:conformsTo") == [CONFORMS_TO]
    for expected in ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"):
        assert expected in features

    # alternativeText only where there is something to describe
    assert doc.has("figure") is HAS_FIGURE[build.name]
    assert ("alternativeText" in features) is HAS_FIGURE[build.name]
    assert ("visual" in epub.meta("schema:accessMode")) is HAS_FIGURE[build.name]

    # narration: claimed exactly when the audio edition was built (it was, here)
    assert build.built("audio")
    overlays = [item for item in epub.manifest.values() if item.media_overlay]
    assert ("synchronizedAudioText" in features) is bool(overlays) is build.built("audio")
    assert ("auditory" in epub.meta("schema:accessMode")) is build.built("audio")
    assert ("textual,auditory" in epub.meta("schema:accessModeSufficient")) is build.built("audio")

    # page navigation only with a page list
    nav = epub.xhtml(epub.nav.path)
    page_list = nav.xpath('//h:nav[contains(concat(" ", @epub:type, " "), " page-list ")]', namespaces=NS)
    assert ("pageNavigation" in features) is bool(page_list)
    assert ("pageBreakMarkers" in features) is bool(page_list)
    assert bool(epub.meta("pageBreakSource")) is bool(page_list)
    assert bool(page_list) is (build.facts("epub")["page_list"] > 0)
    if not build.built("pdf"):
        assert not page_list, "a page list without a PDF edition to follow"

    # language and a stable identifier
    assert epub.opf.get(XML_LANG) == doc.meta.lang
    assert [e.text for e in epub.opf.iterfind(f"{{{OPF_NS}}}metadata/{{{DC_NS}}}language")] == [doc.meta.lang]
    identifiers = list(epub.opf.iterfind(f"{{{OPF_NS}}}metadata/{{{DC_NS}}}identifier"))
    assert [e.text for e in identifiers] == [f"urn:publish:{doc.slug}"]
    if build.name == "seed":
        assert identifiers[0].text == "urn:publish:gut-barrier"
    assert identifiers[0].get("id") == epub.opf.get("unique-identifier")
    for name, data in epub._data.items():
        if name.endswith((".opf", ".ncx", ".xhtml", ".smil", ".xml")):
            assert b"uuid" not in data.lower(), f"{name} mentions a uuid"
    (modified,) = epub.meta("dcterms:modified")
    assert modified == publication_time(doc, SETTINGS).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- media overlays


def clock(value: str) -> float:
    """A SMIL clock value in seconds: "0:01:02.5", "01:02.5", "62.5s", "62500ms", "1.5min", "62.5"."""
    value = value.strip()
    full = re.fullmatch(r"(?:(\d+):)?([0-5]\d):([0-5]\d(?:\.\d+)?)", value)
    if full:
        return int(full.group(1) or 0) * 3600 + int(full.group(2)) * 60 + float(full.group(3))
    timecount = re.fullmatch(r"(\d+(?:\.\d+)?)(h|min|s|ms)?", value)
    assert timecount, f"not a SMIL clock value: {value!r}"
    factor = {"h": 3600.0, "min": 60.0, "s": 1.0, "ms": 0.001, None: 1.0}[timecount.group(2)]
    return float(timecount.group(1)) * factor


def test_media_overlays_point_at_real_text_and_audio(build: ArticleBuild, epub: Epub) -> None:
    samples, rate = build.decoded_mp3
    mp3_duration = samples.shape[0] / rate
    audio_items = [item for item in epub.manifest.values() if item.media_type == "audio/mpeg"]
    assert len(audio_items) == 1
    assert epub.read(audio_items[0].path) == build.file("audio", ".mp3").read_bytes(), \
        "the EPUB's narration is not the audio edition's MP3"

    overlaid = [item for item in epub.manifest.values() if item.media_overlay]
    assert {posixpath.basename(i.path) for i in overlaid} == {posixpath.basename(i.path)
                                                              for i in epub.content_documents()}
    spoken: list[str] = []
    total = 0.0
    for item in overlaid:
        smil_item = epub.manifest[str(item.media_overlay)]
        assert smil_item.media_type == "application/smil+xml"
        smil = etree.fromstring(epub.read(smil_item.path))
        pars = smil.xpath("//s:par", namespaces=NS)
        assert pars, f"{smil_item.path} has no clips"
        clips = 0.0
        previous_end = 0.0
        for par in pars:
            (text,) = par.xpath("s:text", namespaces=NS)
            (audio,) = par.xpath("s:audio", namespaces=NS)
            src = str(text.get("src"))
            target, _, fragment = src.partition("#")
            assert epub.resolve(target, smil_item.path) == item.path, f"{src} is not in {item.path}"
            assert fragment in epub.ids[item.path], f"{smil_item.path}: {src} points at no element"
            assert epub.resolve(str(audio.get("src")), smil_item.path) == audio_items[0].path
            begin, end = clock(audio.get("clipBegin")), clock(audio.get("clipEnd"))
            assert 0 <= begin < end <= mp3_duration + 0.0005, f"{src}: clip {begin}..{end} of {mp3_duration:.3f} s"
            assert begin >= previous_end - 0.0005, f"{src}: clips overlap or go back in time"
            previous_end = end
            clips += end - begin
            spoken.append(fragment)
        (duration,) = epub.meta("media:duration", refines=f"#{smil_item.id}")
        assert clock(duration) == pytest.approx(clips, abs=0.005), f"media:duration of {smil_item.id}"
        total += clock(duration)
    (whole,) = epub.meta("media:duration")
    assert clock(whole) == pytest.approx(total, abs=0.001 * len(overlaid))
    assert clock(whole) <= mp3_duration
    assert epub.meta("media:active-class"), "no media:active-class"
    # every speech segment is highlighted somewhere, and only once
    ids = [s.id for s in speech_segments(build.document, SETTINGS.read_citations)]
    assert sorted(spoken) == sorted(ids)


# --------------------------------------------------------------------------- reproducible


def test_building_again_gives_identical_bytes(build: ArticleBuild, article_rebuilds: ArticleBuilds) -> None:
    again = article_rebuilds.get(build.name)
    assert all(o.ok for o in again.outcomes), [(o.name, o.error) for o in again.outcomes if not o.ok]
    first = sorted(p.name for p in build.folder.iterdir())
    assert sorted(p.name for p in again.folder.iterdir()) == first
    different = [name for name in first
                 if (build.folder / name).read_bytes() != (again.folder / name).read_bytes()]
    assert not different, f"not reproducible: {different}"

    epub = Epub(build.file("epub", ".epub"))
    names = list(epub.entries)
    assert names[0] == "mimetype" and epub.entries["mimetype"].compress_type == zipfile.ZIP_STORED
    moment = publication_time(build.document, SETTINGS)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second - moment.second % 2)
    assert {info.date_time for info in epub.entries.values()} == {stamp}


def test_media_is_stored_and_text_deflated(build: ArticleBuild, epub: Epub) -> None:
    """Audio and raster images are compressed already: deflating them again costs time for no
    smaller file (the seed's MP3 is 10 MB). The rest is text, deflated."""
    media = {item.path for item in epub.manifest.values()
             if item.media_type.startswith(("audio/", "image/")) and item.media_type != "image/svg+xml"}
    mp3 = next(item.path for item in epub.manifest.values() if item.media_type == "audio/mpeg")
    assert epub.read(mp3) == build.file("audio", ".mp3").read_bytes()
    kinds = {name: info.compress_type for name, info in epub.entries.items()}
    assert {name: kind for name, kind in kinds.items() if name in media} == dict.fromkeys(media, zipfile.ZIP_STORED)
    assert next(iter(kinds)) == "mimetype" and kinds.pop("mimetype") == zipfile.ZIP_STORED
    assert {name: kind for name, kind in kinds.items() if name not in media} == \
        dict.fromkeys(set(kinds) - media, zipfile.ZIP_DEFLATED)


# --------------------------------------------------------------------------- citations


def _inlines(blocks: tuple[Block, ...]) -> Iterator[Inline]:
    def walk(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
        for node in nodes:
            yield node
            if isinstance(node, Emphasis | Strong | Link):
                yield from walk(node.children)

    for block in walk_blocks(blocks):
        if isinstance(block, Paragraph | Heading):
            yield from walk(block.children)
        elif isinstance(block, Figure):
            yield from walk(block.caption)
        elif isinstance(block, Table):
            yield from walk(block.caption)
            for cell in [*block.header, *(c for row in block.rows for c in row)]:
                yield from walk(cell.children)


def _where(epub: Epub, element_id: str) -> str:
    (path,) = [path for path, ids in epub.ids.items() if element_id in ids]
    return path


def _element(epub: Epub, element_id: str) -> Any:
    (element,) = epub.xhtml(_where(epub, element_id)).xpath("//*[@id=$id]", id=element_id)
    return element


def _href(epub: Epub, from_path: str, to_id: str) -> str:
    """The href a link in ``from_path`` needs to reach ``to_id``."""
    to_path = _where(epub, to_id)
    prefix = "" if to_path == from_path else posixpath.relpath(to_path, posixpath.dirname(from_path))
    return f"{prefix}#{to_id}"


def test_citations_and_references_link_both_ways(build: ArticleBuild, epub: Epub) -> None:
    doc = build.document
    reference_ids = {r.key: r.id for r in doc.references}
    citations = [n for n in _inlines((*doc.body, *(b for note in doc.footnotes for b in note.blocks)))
                 if isinstance(n, Citation)]
    assert citations
    for citation in citations:
        path = _where(epub, citation.id)
        element = _element(epub, citation.id)
        assert text_of(element) == squash(citation_label(citation))
        links = [element] if element.tag == f"{{{XHTML_NS}}}a" else element.xpath(".//h:a", namespaces=NS)
        assert [a.get("href") for a in links] == [_href(epub, path, reference_ids[k]) for k in citation.keys]
        for link in links:
            assert link.get("role") == "doc-biblioref"
            assert link.get(EPUB_TYPE) == "biblioref"
    for reference in doc.references:
        path = _where(epub, reference.id)
        entry = _element(epub, reference.id)
        assert entry.tag == f"{{{XHTML_NS}}}li"
        back = entry.xpath('.//h:a[@role="doc-backlink"]', namespaces=NS)
        assert [a.get("href") for a in back] == [_href(epub, path, cid) for cid in reference.cited_by]
        assert set(reference.cited_by) == {c.id for c in citations if reference.key in c.keys}


def test_notes_link_both_ways(build: ArticleBuild, epub: Epub) -> None:
    for note in build.document.footnotes:
        path = _where(epub, note.id)
        back = _element(epub, note.id).xpath('.//h:a[@role="doc-backlink"]', namespaces=NS)
        assert [a.get("href") for a in back] == [_href(epub, path, ref) for ref in note.ref_ids]
        for ref in note.ref_ids:
            link = _element(epub, ref)
            assert link.get("role") == "doc-noteref" and link.get(EPUB_TYPE) == "noteref"
            assert link.get("href") == _href(epub, _where(epub, ref), note.id)
            assert text_of(link) == str(note.number)


def test_seed_citation_9_links_to_turner_and_back(seed_build: ArticleBuild) -> None:
    epub = Epub(seed_build.file("epub", ".epub"))
    article = epub.xhtml(epub.by_name("article.xhtml").path)
    cites = article.xpath('//h:a[@role="doc-biblioref"]', namespaces=NS)
    assert [(text_of(a), a.get("href")) for a in cites] == [("(9)", "references.xhtml#ref-turner2009")] * 2
    assert all(a.get(EPUB_TYPE) == "biblioref" and a.get("id") for a in cites)
    references = epub.xhtml(epub.by_name("references.xhtml").path)
    (turner,) = references.xpath('//h:li[@id="ref-turner2009"]', namespaces=NS)
    back = turner.xpath('.//h:a[@role="doc-backlink"]', namespaces=NS)
    assert [a.get("href") for a in back] == [f"article.xhtml#{a.get('id')}" for a in cites]
    assert "Turner, J. R. (2009). Intestinal mucosal barrier function in health and disease." in text_of(turner)


def test_clock_reads_every_smil_form() -> None:
    assert clock("0:02:50.909") == pytest.approx(170.909)
    assert clock("02:50.909") == pytest.approx(170.909)
    assert clock("0.750s") == pytest.approx(0.75)
    assert clock("750ms") == pytest.approx(0.75)
    assert clock("1.5min") == pytest.approx(90)
    assert clock("12") == 12
    with pytest.raises(AssertionError):
        clock("1:75:00")
