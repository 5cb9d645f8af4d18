"""The EPUB edition: epubcheck, EPUB Accessibility 1.1 metadata true to the book, axe-core."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.check.axe import DEFAULT_TAGS, axe_script, epub_documents, run_axe
from publish.check.browser import chromium_executable, playwright_package
from publish.check.checker import BuiltArticle
from publish.check.epubcheck import epubcheck_jar, java_executable, run_epubcheck
from publish.check.epubfiles import manifest_path, package_document, xml_parser
from publish.check.findings import Finding

EPUB_TAGS = DEFAULT_TAGS  # wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa, best-practice
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "h": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
ACCESS_MODES = {"auditory", "chartOnVisual", "chemOnVisual", "colorDependent", "diagramOnTactile",
                "diagramOnVisual", "mathOnVisual", "musicOnVisual", "tactile", "textOnVisual", "textual", "visual"}
HAZARDS = {"flashing", "noFlashingHazard", "motionSimulation", "noMotionSimulationHazard", "sound",
           "noSoundHazard", "unknown", "none", "unknownFlashingHazard", "unknownMotionSimulationHazard",
           "unknownSoundHazard"}
CONFORMS_TO = re.compile(r"^EPUB Accessibility 1\.1 - WCAG 2\.[012] Level AA?$|"
                         r"^http://www\.idpf\.org/epub/a11y/accessibility-20170105\.html#wcag-aa?$")
REQUIRED = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
            "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo")


def _epub(article: BuiltArticle) -> Path:
    return article.file("epub", ".epub")


class EpubcheckCheck:
    title = "epubcheck"
    concurrent = True  # no browser: runs beside the browser checks
    needs = (epubcheck_jar, java_executable)
    name = "epubcheck"
    edition = "epub"
    description = "epubcheck (the W3C EPUB validator): no fatal errors, errors or warnings"

    def check(self, article: BuiltArticle) -> list[Finding]:
        return run_epubcheck(_epub(article))


class EpubAxeCheck:
    title = "axe-core on every document"
    needs = (chromium_executable, playwright_package, axe_script)
    name = "epub-axe"
    edition = "epub"
    description = ("axe-core in headless Chromium on every XHTML document (WCAG 2.2 A and AA, "
                   "best practices), each loaded as XHTML as a reading system would")

    def check(self, article: BuiltArticle) -> list[Finding]:
        epub = _epub(article)
        documents = article.memo("epub:documents", lambda: epub_documents(epub, article.scratch("epub")))
        root = article.scratch("epub").resolve()
        results = run_axe(documents, EPUB_TAGS, browser=article.tools.browser())
        findings: list[Finding] = []
        for path in documents:
            inside = path.resolve().relative_to(root).as_posix()
            for f in results.get(path, []):
                where = f.location.replace(path.name, inside, 1) if f.location.startswith(path.name) else f.location
                findings.append(Finding(f.check, f.ok, f.severity, f.message, where, f.advice))
        return findings


# ---------------------------------------------------------------- accessibility metadata


@dataclass
class Book:
    """What an EPUB claims (its package metadata) and what it contains."""

    opf_name: str
    metadata: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # property -> (value, line)
    package_lang: str = ""
    fixed_layout: bool = False
    overlays: int = 0  # content documents with a media overlay
    smil_files: int = 0
    images: int = 0  # <img>/<svg> in content documents, the cover image left out
    images_without_alt: list[str] = field(default_factory=list)
    images_with_alt: int = 0
    cover_images: int = 0
    headings: int = 0
    aria_roles: int = 0
    page_breaks: int = 0
    page_list: list[str] = field(default_factory=list)  # hrefs of the page-list nav
    toc_entries: int = 0
    math: int = 0
    math_without_alttext: list[str] = field(default_factory=list)  # "doc.xhtml: TeX" of each
    ids: set[str] = field(default_factory=set)  # "doc.xhtml#id" of every element with an id

    def values(self, prop: str) -> list[str]:
        return [v for v, _ in self.metadata.get(prop, [])]

    def line(self, prop: str, value: str | None = None) -> str:
        for v, line in self.metadata.get(prop, []):
            if value is None or v == value:
                return f"{self.opf_name}:{line}"
        return self.opf_name


def read_book(epub: Path) -> Book:
    from lxml import etree  # type: ignore[import-untyped]

    parser = xml_parser()
    with zipfile.ZipFile(epub) as zf:
        opf_name, package = package_document(zf)
        book = Book(opf_name, package_lang=package.get(XML_LANG) or "")
        for meta in package.iterfind(".//opf:metadata/opf:meta", NS):
            prop = meta.get("property")
            if prop and meta.get("refines") is None:
                book.metadata.setdefault(prop, []).append((" ".join((meta.text or "").split()), meta.sourceline or 0))
        book.fixed_layout = "pre-paginated" in book.values("rendition:layout")
        items = list(package.iterfind(".//opf:manifest/opf:item", NS))
        covers = {manifest_path(opf_name, i) for i in items if "cover-image" in (i.get("properties") or "").split()}
        book.smil_files = sum(1 for i in items if i.get("media-type") == "application/smil+xml")
        book.overlays = sum(1 for i in items if i.get("media-overlay"))
        for item in items:
            if item.get("media-type") != "application/xhtml+xml":
                continue
            name = manifest_path(opf_name, item)
            tree = etree.fromstring(zf.read(name), parser)
            _survey(book, tree, name, posixpath.dirname(name), covers,
                    nav="nav" in (item.get("properties") or "").split())
    return book


def _survey(book: Book, tree: Any, name: str, folder: str, covers: set[str], *, nav: bool) -> None:
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            book.ids.add(f"{name}#{element.get('id')}")
    body = tree.find("h:body", NS)
    if body is None:
        return
    if nav:
        for navigation in body.iterfind(".//h:nav", NS):
            kinds = (navigation.get(EPUB_TYPE) or "").split()
            if "page-list" in kinds:
                book.page_list += [posixpath.normpath(posixpath.join(folder, a.get("href", "")))
                                   for a in navigation.iterfind(".//h:a", NS)]
            if "toc" in kinds:
                book.toc_entries += sum(1 for _ in navigation.iterfind(".//h:li", NS))
        return
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("h1", "h2", "h3", "h4", "h5", "h6"):
            book.headings += 1
        if element.get("role"):
            book.aria_roles += 1
        types = (element.get(EPUB_TYPE) or "").split()
        roles = (element.get("role") or "").split()
        if "pagebreak" in types or "doc-pagebreak" in roles:
            book.page_breaks += 1
        if local == "math":
            book.math += 1
            if not (element.get("alttext") or "").strip():
                book.math_without_alttext.append(f"{name}: {' '.join(''.join(element.itertext()).split())[:40]}")
        if local in ("img", "svg"):
            src = posixpath.normpath(posixpath.join(folder, element.get("src", ""))) if local == "img" else ""
            if src in covers or "cover" in types or "doc-cover" in roles:
                book.cover_images += 1
                continue
            book.images += 1
            alt = element.get("alt")
            if local == "img" and (alt is None or (not alt.strip() and "presentation" not in roles)):
                book.images_without_alt.append(f"{name}:{element.sourceline}")
            elif local == "img" and alt and alt.strip():
                book.images_with_alt += 1


def _fail(message: str, where: str, advice: str) -> Finding:
    return Finding("a11y-metadata", False, "error", message, where, advice)


def metadata_findings(book: Book) -> list[Finding]:
    """Each accessibility claim of the package against what the book contains."""
    out: list[Finding] = []
    for prop in REQUIRED:
        values = [v for v in book.values(prop) if v]
        if not values:
            out.append(_fail(f"{prop} is missing", book.opf_name,
                             f"EPUB Accessibility 1.1 asks for {prop} in the package metadata; "
                             "the EPUB renderer writes it (formats/epub/package.py)."))
    if not book.package_lang:
        out.append(_fail("<package> has no xml:lang", book.opf_name,
                         "Set xml:lang on <package> to the book's language."))
    modes = set(book.values("schema:accessMode"))
    for mode in sorted(modes - ACCESS_MODES):
        out.append(_fail(f"accessMode {mode!r} is not in the schema.org vocabulary",
                         book.line("schema:accessMode", mode), "Use textual, visual, auditory, ..."))
    visual = book.images + book.cover_images
    if "auditory" in modes and not book.overlays:
        out.append(_fail("accessMode auditory is claimed but the book has no media overlays (no audio "
                         "synchronised with the text)", book.line("schema:accessMode", "auditory"),
                         "Remove the claim, or build the audio edition with the EPUB so overlays are added."))
    if book.overlays and "auditory" not in modes:
        out.append(Finding("a11y-metadata", True, "warning", "The book has media overlays but accessMode "
                           "auditory is not declared", book.line("schema:accessMode"),
                           "Declare schema:accessMode auditory."))
    if "visual" in modes and not visual:
        out.append(_fail("accessMode visual is claimed but the book has no images",
                         book.line("schema:accessMode", "visual"), "Remove the claim."))
    if book.images and "visual" not in modes:
        out.append(Finding("a11y-metadata", True, "warning", f"The book has {book.images} images but "
                           "accessMode visual is not declared", book.line("schema:accessMode"),
                           "Declare schema:accessMode visual."))
    for sufficient in book.values("schema:accessModeSufficient"):
        needed = {m.strip() for m in sufficient.split(",") if m.strip()}
        if needed - modes - {"textual"}:
            out.append(_fail(f"accessModeSufficient {sufficient!r} names modes the book does not declare "
                             f"({', '.join(sorted(needed - modes))})",
                             book.line("schema:accessModeSufficient", sufficient),
                             "Each sufficient set may only use declared access modes."))
        if needed == {"textual"} and book.images_without_alt:
            out.append(_fail("accessModeSufficient textual is claimed but images have no alt text",
                             "; ".join(book.images_without_alt[:3]),
                             "Give every image alt text in the source, or drop the claim."))
    out += _feature_findings(book)
    hazards = book.values("schema:accessibilityHazard")
    for hazard in hazards:
        if hazard not in HAZARDS:
            out.append(_fail(f"accessibilityHazard {hazard!r} is not in the schema.org vocabulary",
                             book.line("schema:accessibilityHazard", hazard), "Use none, noFlashingHazard, ..."))
    if "none" in hazards and len(hazards) > 1:
        out.append(_fail("accessibilityHazard none is combined with other values",
                         book.line("schema:accessibilityHazard", "none"), "Use none alone."))
    for value in book.values("dcterms:conformsTo"):
        if not CONFORMS_TO.match(value):
            out.append(_fail(f"dcterms:conformsTo {value!r} is not an EPUB Accessibility conformance statement",
                             book.line("dcterms:conformsTo", value),
                             'Write "EPUB Accessibility 1.1 - WCAG 2.2 Level AA".'))
    summary = " ".join(book.values("schema:accessibilitySummary"))
    if summary and len(summary) < 40:
        out.append(Finding("a11y-metadata", True, "warning", "The accessibility summary is very short",
                           book.line("schema:accessibilitySummary"),
                           "Say in plain language what makes the book accessible and what does not."))
    if not any(not f.ok for f in out):
        features = ", ".join(book.values("schema:accessibilityFeature"))
        out.append(Finding("a11y-metadata", True, "info",
                           f"All {len(REQUIRED)} required accessibility properties present "
                           f"({sum(len(book.values(p)) for p in REQUIRED)} entries); "
                           f"access modes {', '.join(sorted(modes))}; features checked against the content: {features}",
                           book.opf_name))
    return out


def _feature_findings(book: Book) -> list[Finding]:
    """A feature is claimed only when the content has it; some absent claims are advisories."""
    claimed = book.values("schema:accessibilityFeature")
    checks: dict[str, tuple[bool, str, str]] = {
        "alternativeText": (book.images_with_alt > 0, "no <img> with alt text in the content documents",
                            "Remove the claim, or add figures with alt text."),
        "pageNavigation": (bool(book.page_list), "no page-list nav in the navigation document",
                           "Remove the claim, or write a nav epub:type=\"page-list\"."),
        "pageBreakMarkers": (book.page_breaks > 0, "no page-break markers (epub:type pagebreak) in the content",
                             "Remove the claim, or mark where each print page begins."),
        "printPageNumbers": (book.page_breaks > 0, "no page-break markers in the content", "Remove the claim."),
        "synchronizedAudioText": (book.overlays > 0 and book.smil_files > 0,
                                  "no SMIL media overlays in the package", "Remove the claim, or add overlays."),
        "tableOfContents": (book.toc_entries > 0, "the toc nav lists nothing", "Remove the claim."),
        "structuralNavigation": (book.headings > 0, "no headings in the content documents", "Remove the claim."),
        "ARIA": (book.aria_roles > 0, "no ARIA role attributes in the content documents", "Remove the claim."),
        "MathML": (book.math > 0, "no MathML in the content documents", "Remove the claim."),
        "describedMath": (book.math > 0 and not book.math_without_alttext,
                          "not every formula has its words (alttext)" if book.math else "the book has no formulas",
                          "Remove the claim, or give every <math> an alttext."),
        "displayTransformability": (not book.fixed_layout, "the book is fixed layout (pre-paginated)",
                                    "Remove the claim: fixed layouts cannot be restyled."),
    }
    out: list[Finding] = []
    for feature in claimed:
        if feature in checks and not checks[feature][0]:
            _, why, advice = checks[feature]
            out.append(_fail(f"accessibilityFeature {feature} is claimed but {why}",
                             book.line("schema:accessibilityFeature", feature), advice))
    missing_ids = [href for href in book.page_list if href not in book.ids]
    if missing_ids:
        out.append(_fail(f"{len(missing_ids)} page-list entries point at no element",
                         ", ".join(missing_ids[:3]), "Each page-list link must target a page-break marker's id."))
    if book.math_without_alttext:
        out.append(_fail(f"{len(book.math_without_alttext)} formula(s) without alttext: a reader without "
                         "MathML support hears nothing of them", "; ".join(book.math_without_alttext[:3]),
                         "Give every <math> element an alttext with the formula in words."))
    for feature, present in (("synchronizedAudioText", book.overlays > 0), ("pageNavigation", bool(book.page_list)),
                             ("MathML", book.math > 0),
                             ("alternativeText", book.images_with_alt > 0),
                             ("tableOfContents", book.toc_entries > 0)):
        if present and feature not in claimed:
            out.append(Finding("a11y-metadata", True, "warning",
                               f"The book has {feature} but does not claim it",
                               book.line("schema:accessibilityFeature"),
                               f"Add schema:accessibilityFeature {feature}."))
    return out


class EpubAccessibilityCheck:
    title = "Accessibility metadata"
    concurrent = True  # no browser: runs beside the browser checks
    name = "epub-a11y-metadata"
    edition = "epub"
    description = ("EPUB Accessibility 1.1 metadata present (access modes, features, hazards, summary, "
                   "conformsTo) and true to the book: each feature claimed only when the content has it")

    def check(self, article: BuiltArticle) -> list[Finding]:
        epub = _epub(article)
        try:
            book = read_book(epub)
        except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:  # lxml's XMLSyntaxError is a SyntaxError
            return [_fail(f"cannot read the package document: {exc}", epub.name,
                          "Run epubcheck on the file for the details.")]
        return metadata_findings(book)
