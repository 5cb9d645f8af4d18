"""PDF/UA-1 machine checks with pikepdf, and the tag tree as text.

These are the conditions WeasyPrint's ``pdf/ua-1`` variant does not
guarantee by itself (see DESIGN.md), plus the ones it does, so a regression
in either is caught. Clause numbers refer to ISO 14289-1. This is not a full
Matterhorn run: it cannot judge reading order, artifacts or alt-text quality.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pikepdf

from publish.check.findings import Finding, Severity

CHECK = "pdfua"
_HEADING = re.compile(r"^H([1-6])$")
# PDF 1.7 standard structure types (ISO 32000-1, 14.8.4).
_STANDARD_ROLES = frozenset({
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
})
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


# ---------------------------------------------------------------- structure


@dataclass
class _Elem:
    """A structure element with what the checks and the tree print need."""

    obj: pikepdf.Dictionary
    role: str  # /S as written
    std: str  # after RoleMap
    path: str  # e.g. /Document[1]/H2[3]
    depth: int
    page: int | None  # 1-based, from /Pg (inherited)
    kids: list[_Elem | _Content] = field(default_factory=list)


@dataclass
class _Content:
    """A marked-content reference (MCID on a page) or an object reference."""

    page: int | None
    mcid: int | None = None
    annot: str = ""  # subtype of an OBJR target, e.g. "Link"


class _Tree:
    """The structure tree, walked once; cycles and broken refs tolerated."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        root = pdf.Root.get("/StructTreeRoot")
        self.present = isinstance(root, pikepdf.Dictionary)
        rolemap = root.get("/RoleMap") if isinstance(root, pikepdf.Dictionary) else None
        self.rolemap: dict[str, str] = {}
        if isinstance(rolemap, pikepdf.Dictionary):
            self.rolemap = {str(k)[1:]: str(v)[1:] for k, v in rolemap.items()
                            if isinstance(v, pikepdf.Name)}
        self._seen: set[tuple[int, int]] = set()
        self.roots: list[_Elem] = []
        if isinstance(root, pikepdf.Dictionary):
            self.roots = [k for k in self._kids(root.get("/K"), "", 0, None) if isinstance(k, _Elem)]

    def standard(self, role: str) -> str:
        # Follow RoleMap chains; a cycle simply ends where it started.
        seen = set()
        while role not in _STANDARD_ROLES and role in self.rolemap and role not in seen:
            seen.add(role)
            role = self.rolemap[role]
        return role

    def _page_of(self, obj: pikepdf.Object, inherited: int | None) -> int | None:
        pg = obj.get("/Pg") if isinstance(obj, pikepdf.Dictionary) else None
        if isinstance(pg, pikepdf.Dictionary):
            return self.pages.get(pg.objgen, inherited)
        return inherited

    def _kids(self, k: pikepdf.Object | None, path: str, depth: int,
              page: int | None) -> list[_Elem | _Content]:
        items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
        out: list[_Elem | _Content] = []
        counts: dict[str, int] = {}
        for item in items:
            if isinstance(item, int):
                out.append(_Content(page, mcid=int(item)))
            elif isinstance(item, pikepdf.Dictionary):
                kind = item.get("/Type")
                if kind == pikepdf.Name.MCR:
                    mcid = item.get("/MCID")
                    # MCIDs inside form XObjects (/Stm) are not resolved.
                    out.append(_Content(self._page_of(item, page),
                                        mcid=int(mcid) if isinstance(mcid, int) and "/Stm" not in item else None))
                elif kind == pikepdf.Name.OBJR:
                    target = item.get("/Obj")
                    sub = target.get("/Subtype") if isinstance(target, pikepdf.Dictionary) else None
                    out.append(_Content(self._page_of(item, page), annot=str(sub)[1:] if sub else "?"))
                elif "/S" in item:
                    if item.is_indirect:
                        if item.objgen in self._seen:
                            continue
                        self._seen.add(item.objgen)
                    role = str(item.get("/S"))[1:]
                    counts[role] = counts.get(role, 0) + 1
                    elem = _Elem(item, role, self.standard(role), f"{path}/{role}[{counts[role]}]",
                                 depth, self._page_of(item, page))
                    elem.kids = self._kids(item.get("/K"), elem.path, depth + 1, elem.page)
                    out.append(elem)
        return out

    def walk(self) -> Iterator[_Elem]:
        """Elements in document (depth-first) order."""
        stack = list(reversed(self.roots))
        while stack:
            elem = stack.pop()
            yield elem
            stack.extend(reversed([k for k in elem.kids if isinstance(k, _Elem)]))


def _where(elem: _Elem) -> str:
    return f"page {elem.page}, {elem.path}" if elem.page else elem.path


def _is_true(obj: object) -> bool:
    # pikepdf returns PDF booleans as Python bools, though typed as Object.
    return obj is True


def _text(obj: pikepdf.Object | None) -> str:
    if isinstance(obj, (pikepdf.String, pikepdf.Name)):
        return str(obj).strip()
    return ""


# ------------------------------------------------------------------- checks


def check_pdf(path: Path) -> list[Finding]:
    """Run every machine check; one ok finding per passed check, one or more
    failing findings (with location and advice) per failed check."""
    with pikepdf.open(path) as pdf:
        tree = _Tree(pdf)
        findings: list[Finding] = []
        for check in _CHECKS:
            findings.extend(check(pdf, tree))
    return findings


def _result(name: str, passed: str, failed: list[Finding]) -> list[Finding]:
    return failed or [Finding(f"{CHECK}:{name}", True, "info", passed)]


def _fail(name: str, message: str, location: str = "", advice: str = "",
          severity: Severity = "error") -> Finding:
    return Finding(f"{CHECK}:{name}", False, severity, message, location, advice)


def _check_marked(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    info = pdf.Root.get("/MarkInfo")
    marked = info.get("/Marked") if isinstance(info, pikepdf.Dictionary) else None
    fails = [] if _is_true(marked) else [_fail(
        "marked", "Catalog /MarkInfo /Marked is not true: the file does not claim to be tagged",
        "catalog", "ISO 14289-1 7.1: render with pdf_variant='pdf/ua-1'.")]
    return _result("marked", "Catalog /MarkInfo /Marked is true", fails)


def _check_lang(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    lang = _text(pdf.Root.get("/Lang"))
    fails = [] if lang else [_fail(
        "lang", "Catalog /Lang is missing or empty: screen readers cannot pick a voice",
        "catalog", "ISO 14289-1 7.2: set <html lang> in the source HTML (WeasyPrint writes an "
        "empty /Lang without it).")]
    return _result("lang", f"Catalog /Lang is {lang!r}", fails)


def _check_display_title(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    prefs = pdf.Root.get("/ViewerPreferences")
    shown = prefs.get("/DisplayDocTitle") if isinstance(prefs, pikepdf.Dictionary) else None
    fails = [] if _is_true(shown) else [_fail(
        "display-doc-title", "ViewerPreferences /DisplayDocTitle is not true: viewers show the file name",
        "catalog /ViewerPreferences", "ISO 14289-1 7.1: set /DisplayDocTitle true.")]
    return _result("display-doc-title", "ViewerPreferences /DisplayDocTitle is true", fails)


def _check_struct_tree(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    fails = []
    if not tree.present:
        fails.append(_fail("struct-tree", "No /StructTreeRoot: the PDF is not tagged", "catalog",
                           "ISO 14289-1 7.1: render with pdf_variant='pdf/ua-1'."))
    elif not tree.roots:
        fails.append(_fail("struct-tree", "/StructTreeRoot has no structure elements", "catalog",
                           "ISO 14289-1 7.1: all real content must be tagged."))
    return _result("struct-tree", "Structure tree present", fails)


def _check_xmp_pdfua(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    if "/Metadata" not in pdf.Root:
        return [_fail("xmp-pdfuaid", "No XMP metadata stream in the catalog", "catalog /Metadata",
                      "ISO 14289-1 5: PDF/UA files identify themselves in XMP (pdfuaid:part).")]
    part = str(pdf.open_metadata().get("pdfuaid:part", "")).strip()
    fails = [] if part == "1" else [_fail(
        "xmp-pdfuaid", f"XMP pdfuaid:part is {part or 'missing'}, expected 1", "catalog /Metadata",
        "ISO 14289-1 5: write pdfuaid:part=1 (WeasyPrint does for pdf/ua-1).")]
    return _result("xmp-pdfuaid", "XMP pdfuaid:part is 1", fails)


def _check_title(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    xmp_title = ""
    if "/Metadata" in pdf.Root:
        xmp_title = str(pdf.open_metadata().get("dc:title", "") or "").strip()
    info_title = _text(pdf.docinfo.get("/Title")) if pdf.trailer.get("/Info") is not None else ""
    fails = []
    if not xmp_title:
        fails.append(_fail("title", "XMP dc:title is missing or empty", "catalog /Metadata",
                           "ISO 14289-1 7.1: give the HTML a <title> (WeasyPrint 70 does not "
                           "warn when it is missing)."))
    if not info_title:
        fails.append(_fail("title", "Document info /Title is missing", "trailer /Info",
                           "Older readers show the Info title; write the same title there.",
                           severity="warning"))
    elif xmp_title and info_title != xmp_title:
        fails.append(_fail("title", f"Info /Title {info_title!r} differs from XMP dc:title "
                           f"{xmp_title!r}", "trailer /Info", "Write one title to both."))
    return _result("title", f"Title {xmp_title!r} in XMP and Info", fails)


def _check_fonts(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    fails, seen = [], set()
    for number, page in enumerate(pdf.pages, start=1):
        for font in _fonts(page.obj.get("/Resources"), set()):
            key = font.objgen if font.is_indirect else (id(font), 0)
            if key in seen:
                continue
            seen.add(key)
            if not _embedded(font):
                name = _text(font.get("/BaseFont")) or "(unnamed)"
                fails.append(_fail("fonts-embedded", f"Font {name} is not embedded", f"page {number}",
                                   "ISO 14289-1 7.21.4: embed every font, even the standard 14."))
    return _result("fonts-embedded", f"All {len(seen)} fonts embedded", fails)


def _fonts(resources: pikepdf.Object | None, visited: set[tuple[int, int]]) -> Iterator[pikepdf.Dictionary]:
    """Fonts used by a resource dictionary, including inside form XObjects."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for font in fonts.values():
            if isinstance(font, pikepdf.Dictionary):
                yield font
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for xobj in xobjects.values():
            if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == pikepdf.Name.Form:
                if xobj.objgen in visited:
                    continue
                visited.add(xobj.objgen)
                yield from _fonts(xobj.get("/Resources"), visited)


def _embedded(font: pikepdf.Dictionary) -> bool:
    subtype = font.get("/Subtype")
    if subtype == pikepdf.Name.Type3:
        return True  # glyphs are content streams in the file
    if subtype == pikepdf.Name.Type0:
        descendants = font.get("/DescendantFonts")
        return isinstance(descendants, pikepdf.Array) and len(descendants) > 0 and all(
            isinstance(d, pikepdf.Dictionary) and _embedded(d) for d in descendants)
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(k in descriptor for k in _FONT_FILES)


def _annotations(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            for annot in annots:
                if isinstance(annot, pikepdf.Dictionary):
                    yield number, annot


def _check_links(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    fails, count = [], 0
    for number, annot in _annotations(pdf):
        if annot.get("/Subtype") != pikepdf.Name.Link:
            continue
        count += 1
        action = annot.get("/A")
        target = _text(action.get("/URI")) if isinstance(action, pikepdf.Dictionary) else ""
        where = f"page {number}, link {count}" + (f" to {target}" if target else "")
        if not _text(annot.get("/Contents")):
            fails.append(_fail("link-annotations", "Link annotation has no /Contents", where,
                               "ISO 14289-1 7.18.1: give every link a text alternative "
                               "(/Contents), e.g. the link text or its target."))
        if not isinstance(annot.get("/StructParent"), int):
            fails.append(_fail("link-annotations", "Link annotation has no /StructParent", where,
                               "ISO 14289-1 7.18.5: a link annotation must be tagged inside a "
                               "<Link> element (OBJR)."))
    return _result("link-annotations", f"{count} link annotations with /Contents and /StructParent", fails)


def _check_tabs(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    fails = []
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array) and len(annots) and page.obj.get("/Tabs") != pikepdf.Name.S:
            fails.append(_fail("tab-order", "Page has annotations but /Tabs is not /S", f"page {number}",
                               "ISO 14289-1 7.18.3: set the page's /Tabs to /S (structure order)."))
    return _result("tab-order", "Pages with annotations use /Tabs /S", fails)


def _check_headings(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    headings = [(int(m.group(1)), e) for e in tree.walk() if (m := _HEADING.match(e.std))]
    fails = []
    if not headings:
        fails.append(_fail("headings", "No H1-H6 structure elements", "structure tree",
                           "ISO 14289-1 7.4: tag headings; the article needs at least its H1."))
        return fails
    h1s = [e for level, e in headings if level == 1]
    first_level, first = headings[0]
    if first_level != 1:
        fails.append(_fail("headings", f"First heading is H{first_level}, not H1", _where(first),
                           "ISO 14289-1 7.4.2: numbered headings start at H1."))
    if len(h1s) != 1:
        fails.append(_fail("headings", f"{len(h1s)} H1 elements, expected exactly one",
                           "; ".join(_where(e) for e in h1s[1:4]) or "structure tree",
                           "House rule: the article title is the only H1; sections start at H2."))
    for (before, _), (level, elem) in pairwise(headings):
        if level > before + 1:
            fails.append(_fail("headings", f"Heading jumps from H{before} to H{level}", _where(elem),
                               f"ISO 14289-1 7.4.2: use H{before + 1} here, or add the missing level."))
    return _result("headings", f"{len(headings)} headings, one H1, no skipped levels", fails)


def _check_figures(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    figures = [e for e in tree.walk() if e.std == "Figure"]
    fails = [_fail("figure-alt", "Figure has no /Alt", _where(e),
                   "ISO 14289-1 7.3: give the image alt text in the source (img alt).")
             for e in figures if not _text(e.obj.get("/Alt"))]
    return _result("figure-alt", f"{len(figures)} figures, all with /Alt", fails)


def _check_formulas(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    formulas = [e for e in tree.walk() if e.std == "Formula"]
    fails = [_fail("formula-alt", "Formula has no /Alt", _where(e),
                   "ISO 14289-1 7.7: a formula is read by its alternate description; the PDF "
                   "editions give each its spoken form (formats/pdf/math.py).")
             for e in formulas if not _text(e.obj.get("/Alt"))]
    return _result("formula-alt", f"{len(formulas)} formulas, all with /Alt", fails)


def _check_outline(pdf: pikepdf.Pdf, tree: _Tree) -> list[Finding]:
    outlines = pdf.Root.get("/Outlines")
    has_items = isinstance(outlines, pikepdf.Dictionary) and isinstance(outlines.get("/First"), pikepdf.Dictionary)
    fails = [] if has_items else [_fail(
        "outline", "No document outline (bookmarks)", "catalog /Outlines",
        "Generate bookmarks from the headings (WeasyPrint does so from h1-h6 unless "
        "bookmark-level is none).")]
    return _result("outline", "Document outline present", fails)


_CHECKS: tuple[Callable[[pikepdf.Pdf, _Tree], list[Finding]], ...] = (
    _check_marked, _check_lang, _check_display_title, _check_struct_tree, _check_xmp_pdfua,
    _check_title, _check_fonts, _check_links, _check_tabs, _check_headings, _check_figures,
    _check_formulas, _check_outline,
)


# ---------------------------------------------------------------- tag tree

# Roles whose text is shown once (not again on their descendants), and
# inline roles whose text is always shown because it is what gets announced.
_BLOCK_TEXT = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "Lbl", "LBody", "TH",
                         "TD", "Caption", "TOCI", "BibEntry", "Code", "Formula", "Quote"})
_INLINE_TEXT = frozenset({"Link", "Reference", "Note"})


def tag_tree(path: Path, *, max_text: int = 60) -> str:
    """The structure tree as indented text, one element per line::

        Document
          H1 "Gut barrier"
            Span
          Figure alt="A black square"

    Shows the role (and ``-> standard`` role when role-mapped), /Lang, /Alt,
    /ActualText, table /Scope, annotation references, and the text of the
    element's marked content for headings, paragraphs, cells, list labels and
    links (truncated to ``max_text``). Deterministic, for golden files; an
    untagged PDF gives an empty string.
    """
    with pikepdf.open(path) as pdf:
        tree = _Tree(pdf)
        text = _PageText(pdf)
        lines: list[str] = []
        for elem in tree.roots:
            _render(elem, text, lines, max_text, shown=False)
    return "".join(line + "\n" for line in lines)


def _render(elem: _Elem, text: _PageText, lines: list[str], max_text: int, shown: bool) -> None:
    parts = ["  " * elem.depth + elem.role]
    if elem.std != elem.role:
        parts.append(f"-> {elem.std}")
    for key, label in (("/Lang", "lang"), ("/Alt", "alt"), ("/ActualText", "actualtext")):
        value = _text(elem.obj.get(key))
        if value:
            parts.append(f"{label}={_quote(value, max_text)}")
    attrs = elem.obj.get("/A")
    for a in (list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]):
        if isinstance(a, pikepdf.Dictionary) and "/Scope" in a:
            parts.append(f"scope={_text(a.get('/Scope'))}")
    show = (elem.std in _BLOCK_TEXT and not shown) or elem.std in _INLINE_TEXT
    if show and "/ActualText" not in elem.obj:
        content = text.of(elem)
        if content:
            parts.append(_quote(content, max_text))
    lines.append(" ".join(parts))
    for kid in elem.kids:
        if isinstance(kid, _Elem):
            _render(kid, text, lines, max_text, shown or show)
        elif kid.annot:
            lines.append("  " * (elem.depth + 1) + f"OBJR {kid.annot}")


def _quote(value: str, limit: int) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ------------------------------------------------------------ content text


def structure_text(path: Path) -> str | None:
    """The text of the tag tree in its logical (reading) order: what a screen reader reads.

    A drawn formula, which shows no text, is read as its /Alt (its spoken form) in its place;
    one shown as TeX code is read as that code, as in the EPUB (its /Alt is for a screen reader
    all the same). Page furniture
    (running heads, page numbers) is artifact content outside the tree, so it is not included.
    None when the PDF has no structure tree.
    """
    with pikepdf.open(path) as pdf:
        tree = _Tree(pdf)
        if not tree.present:
            return None
        text = _PageText(pdf)
        return "\n".join(part for part in (text.of(root) for root in tree.roots) if part)


def page_lines(path: Path) -> list[list[str]]:
    """All text shown on each page, artifacts included, as lines in content-stream order
    (for untagged PDFs, whose only reading order is the drawing order)."""
    with pikepdf.open(path) as pdf:
        text = _PageText(pdf, everything=True)
        pages: list[list[str]] = []
        for number in range(1, len(pdf.pages) + 1):
            lines: list[str] = []
            last: tuple[int, float] | None = None
            for line, piece in text.page_pieces(number):
                if last is None or line != last:
                    lines.append(piece)
                else:
                    lines[-1] += piece
                last = line
            pages.append([" ".join(line.split()) for line in lines if line.strip()])
        return pages


class _PageText:
    """Text per marked-content id, read from page content streams on demand.

    Uses each font's /ToUnicode CMap (WeasyPrint writes one for every
    font); simple fonts without one are read as Latin-1. Good enough to
    label a tag tree, not a general text extractor.
    """

    def __init__(self, pdf: pikepdf.Pdf, *, everything: bool = False) -> None:
        # everything: also keep text outside marked content (key -1), for page_lines().
        self._everything = everything
        self._pages = list(pdf.pages)
        self._cache: dict[int, dict[int, list[tuple[tuple[int, float], str]]]] = {}
        self._cmaps: dict[tuple[int, int], tuple[int, dict[int, str]] | None] = {}

    def of(self, elem: _Elem) -> str:
        pieces: list[tuple[tuple[int, float], str]] = []
        self._collect(elem, pieces)
        out = ""
        last: tuple[int, float] | None = None
        for line, piece in pieces:
            # A new baseline inside one element is a line break: a space,
            # unless the break already has one.
            if last is not None and line != last and out and not out[-1].isspace() and not piece[:1].isspace():
                out += " "
            out += piece
            last = line
        return " ".join(out.split())

    def _collect(self, elem: _Elem, pieces: list[tuple[tuple[int, float], str]]) -> None:
        for kid in elem.kids:
            if isinstance(kid, _Elem):
                actual = _text(kid.obj.get("/ActualText"))
                if actual:
                    pieces.append(((-1, 0.0), actual))
                    continue
                own: list[tuple[tuple[int, float], str]] = []
                self._collect(kid, own)
                if kid.std == "Formula" and not "".join(piece for _line, piece in own).strip():
                    # A drawn formula shows no text: it is read as its alternate description.
                    own = [((-1, 0.0), _text(kid.obj.get("/Alt")))]
                pieces.extend(own)
            elif kid.mcid is not None and kid.page is not None:
                pieces.extend(self._page(kid.page).get(kid.mcid, []))

    def page_pieces(self, number: int) -> list[tuple[tuple[int, float], str]]:
        """Every piece of text on a page in drawing order (needs ``everything=True``)."""
        return self._page(number).get(-1, [])

    def _page(self, number: int) -> dict[int, list[tuple[tuple[int, float], str]]]:
        if number not in self._cache:
            self._cache[number] = self._read(number)
        return self._cache[number]

    def _read(self, number: int) -> dict[int, list[tuple[tuple[int, float], str]]]:
        page = self._pages[number - 1]
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        props = resources.get("/Properties") if isinstance(resources, pikepdf.Dictionary) else None
        out: dict[int, list[tuple[tuple[int, float], str]]] = {}
        marks: list[int | None] = []
        font: pikepdf.Dictionary | None = None
        saved: list[pikepdf.Dictionary | None] = []
        y = 0.0
        try:
            instructions = pikepdf.parse_content_stream(page)
        except pikepdf.PdfError:
            return out
        for instruction in instructions:
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue
            op, args = str(instruction.operator), list(instruction.operands)
            if op == "BDC" and len(args) == 2:
                plist: pikepdf.Object | None = args[1]
                if isinstance(plist, pikepdf.Name) and isinstance(props, pikepdf.Dictionary):
                    plist = props.get(plist)
                mcid = plist.get("/MCID") if isinstance(plist, pikepdf.Dictionary) else None
                marks.append(int(mcid) if isinstance(mcid, int) else None)
            elif op == "BMC":
                marks.append(None)
            elif op == "EMC" and marks:
                marks.pop()
            elif op == "q":
                saved.append(font)
            elif op == "Q" and saved:
                font = saved.pop()
            elif op == "Tf" and args and isinstance(fonts, pikepdf.Dictionary):
                found = fonts.get(args[0]) if isinstance(args[0], pikepdf.Name) else None
                font = found if isinstance(found, pikepdf.Dictionary) else None
            elif op == "Tm" and len(args) == 6:
                y = float(args[5])
            elif op in ("Td", "TD") and len(args) == 2:
                y += float(args[1])
            elif op in ("T*", "'", '"'):
                y -= 1.0  # a new line; only the change matters
            if op in ("Tj", "TJ", "'", '"') and args:
                current = next((m for m in reversed(marks) if m is not None), None)
                if self._everything:
                    current = -1
                if current is not None and font is not None:
                    shown = self._decode(font, args[-1])
                    if shown:
                        out.setdefault(current, []).append(((number, round(y, 2)), shown))
        return out

    def _decode(self, font: pikepdf.Dictionary, operand: pikepdf.Object) -> str:
        items = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
        text = ""
        for item in items:
            if isinstance(item, pikepdf.String):
                text += self._string(font, bytes(item))
            elif (isinstance(item, (int, float, Decimal)) and not isinstance(item, bool)
                  and item < -300 and text and not text.endswith(" ")):
                # A large TJ gap is how some producers write a word space.
                text += " "
        return text

    def _string(self, font: pikepdf.Dictionary, data: bytes) -> str:
        cmap = self._cmap(font)
        if cmap is None:
            if font.get("/Subtype") == pikepdf.Name.Type0:
                return ""  # two-byte CIDs without a map: unknowable
            return data.decode("latin-1")
        width, mapping = cmap
        return "".join(mapping.get(int.from_bytes(data[i : i + width], "big"), "")
                       for i in range(0, len(data) - width + 1, width))

    def _cmap(self, font: pikepdf.Dictionary) -> tuple[int, dict[int, str]] | None:
        key = font.objgen if font.is_indirect else (id(font), -1)
        if key not in self._cmaps:
            stream = font.get("/ToUnicode")
            self._cmaps[key] = _parse_cmap(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else None
        return self._cmaps[key]


_HEX = r"<([0-9A-Fa-f]*)>"


def _parse_cmap(data: bytes) -> tuple[int, dict[int, str]]:
    """Code width in bytes and code -> text from a ToUnicode CMap."""
    text = data.decode("latin-1")
    width = 2
    space = re.search(r"begincodespacerange\s*" + _HEX, text)
    if space:
        width = max(1, len(space.group(1)) // 2)
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for src, dst in re.findall(_HEX + r"\s*" + _HEX, block):
            mapping[int(src, 16)] = _utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for lo, hi, rest in re.findall(_HEX + r"\s*" + _HEX + r"\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            start, end = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for offset, dst in enumerate(re.findall(_HEX, rest)):
                    mapping[start + offset] = _utf16(dst)
            elif end - start < 65536:
                base = int(rest[1:-1] or "0", 16)
                digits = len(rest) - 2
                for offset in range(end - start + 1):
                    mapping[start + offset] = _utf16(f"{base + offset:0{digits}x}")
    return width, mapping


def _utf16(hex_text: str) -> str:
    if len(hex_text) % 4:
        hex_text = hex_text.rjust(len(hex_text) + 4 - len(hex_text) % 4, "0")
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace")
