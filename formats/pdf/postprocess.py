"""pikepdf post-processing of WeasyPrint's PDF/UA-1 output.

What WeasyPrint 70 (``pdf_variant="pdf/ua-1"``) already writes, and is only
checked here: the structure tree, ``/MarkInfo /Marked true``, ``/Lang`` (from
``<html lang>``), ``/ViewerPreferences /DisplayDocTitle true``, ``/Tabs /S``
on every page, ``/StructParent`` on link annotations, ``/Alt`` on figures,
bookmarks from h1-h6, and an XMP packet with ``pdfuaid:part 1``, ``dc:title``,
``dc:creator`` and ``dc:description``.

What it does not do, and this module does:

* The structure tree is built page by page: each page gets its own
  Part > Art > Sect..., so a paragraph, list or table running over a page
  break becomes two elements, and a repeated table header a second THead.
  Elements made from the same HTML element are merged back into one, and
  repeated header rows become artifacts (:func:`merge_split_elements`).
* Running heads and page numbers (page-margin boxes) are written as marked
  content *with MCIDs* whose structure elements hang nowhere in the tree
  (orphans reachable only through the ParentTree).  They are neither real
  content nor artifacts.  They are rewritten to ``/Artifact`` marked content
  (``/Type /Pagination``) and their ParentTree entries set to null.
* The XMP packet lacks ``dc:language``, ``dc:subject``, dates, the creator
  tool and ``dc:format``: it is replaced by a complete packet built from
  :class:`~formats.pdf.weasy.PdfMetadata`, and the Info dictionary is rewritten
  from the same values so that the two agree.
* No ``/ID`` is written; qpdf writes a deterministic one (a hash of the file).
* Images are named ``/i<md5 of the absolute image URL>``, so the same article
  built in two folders differs: XObjects are renamed after a hash of their
  data.
* ``/PageMode /UseOutlines`` so viewers open the bookmarks.
* A formula is drawn as an image, which WeasyPrint tags ``Figure``: its
  element becomes a ``Formula`` (PDF/UA-1 7.7) whose ``/Alt`` is the spoken
  form, in its place in its paragraph (:func:`tag_formulas`).
* Link ``/Contents`` are set earlier (in the WeasyPrint finisher, where the
  HTML element of each link is known); here every link is checked to have
  one, and the URI or destination is used as a last resort.

Everything is deterministic: no clock, no random identifiers.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, Object, Operator

if TYPE_CHECKING:
    from .weasy import PdfMetadata

__all__ = [
    "EmbeddedFont",
    "PostProcessResult",
    "list_fonts",
    "merge_split_elements",
    "postprocess_pdf",
    "tag_formulas",
    "xmp_packet",
]


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str  # /BaseFont without the subset tag, e.g. "Literata-Bold"
    subtype: str
    embedded: bool
    characters: str = ""  # the text drawn with it, from its /ToUnicode map


@dataclass(frozen=True)
class PostProcessResult:
    data: bytes
    fonts: tuple[EmbeddedFont, ...]
    artifacts: int  # marked-content sequences turned into artifacts
    merges: int = 0  # structure elements joined across page breaks
    formulas: int = 0  # structure elements tagged Formula


# -- dates ------------------------------------------------------------------


PX = 0.75  # points per CSS pixel: WeasyPrint draws every page at this scale


def _as_utc(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return value


def pdf_date(value: date | datetime) -> str:
    value = _as_utc(value)
    if isinstance(value, datetime):
        return value.strftime("D:%Y%m%d%H%M%SZ")
    return value.strftime("D:%Y%m%d")


def xmp_date(value: date | datetime) -> str:
    value = _as_utc(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


# -- XMP --------------------------------------------------------------------


def xmp_packet(metadata: PdfMetadata, producer: str) -> bytes:
    """A complete XMP packet for ``metadata`` (PDF/UA-1 identification included)."""

    def alt(tag: str, text: str) -> str:
        return (
            f"<{tag}><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(text)}</rdf:li>"
            f"</rdf:Alt></{tag}>"
        )

    def container(tag: str, kind: str, items: tuple[str, ...]) -> str:
        lis = "".join(f"<rdf:li>{escape(item)}</rdf:li>" for item in items)
        return f"<{tag}><rdf:{kind}>{lis}</rdf:{kind}></{tag}>"

    props = [
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:format>application/pdf</dc:format>",
        alt("dc:title", metadata.title),
        container("dc:language", "Bag", (metadata.lang,)),
    ]
    if metadata.authors:
        props.append(container("dc:creator", "Seq", metadata.authors))
    if metadata.description:
        props.append(alt("dc:description", metadata.description))
    if metadata.keywords:
        props.append(container("dc:subject", "Bag", metadata.keywords))
        props.append(f"<pdf:Keywords>{escape(', '.join(metadata.keywords))}</pdf:Keywords>")
    if metadata.publisher:
        props.append(container("dc:publisher", "Bag", (metadata.publisher,)))
    if metadata.rights:
        props.append(alt("dc:rights", metadata.rights))
    props.append(f"<pdf:Producer>{escape(producer)}</pdf:Producer>")
    props.append(f"<xmp:CreatorTool>{escape(metadata.creator_tool)}</xmp:CreatorTool>")
    created, modified = metadata.created, metadata.modified or metadata.created
    if created is not None:
        props.append(f"<xmp:CreateDate>{xmp_date(created)}</xmp:CreateDate>")
    if modified is not None:
        props.append(f"<xmp:ModifyDate>{xmp_date(modified)}</xmp:ModifyDate>")
        props.append(f"<xmp:MetadataDate>{xmp_date(modified)}</xmp:MetadataDate>")
    body = "\n   ".join(props)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def _set_info(pdf: pikepdf.Pdf, metadata: PdfMetadata, producer: str) -> None:
    info = Dictionary()
    info.Title = pikepdf.String(metadata.title)
    if metadata.authors:
        info.Author = pikepdf.String(", ".join(metadata.authors))
    if metadata.description:
        info.Subject = pikepdf.String(metadata.description)
    if metadata.keywords:
        info.Keywords = pikepdf.String(", ".join(metadata.keywords))
    info.Creator = pikepdf.String(metadata.creator_tool)
    info.Producer = pikepdf.String(producer)
    created, modified = metadata.created, metadata.modified or metadata.created
    if created is not None:
        info.CreationDate = pikepdf.String(pdf_date(created))
    if modified is not None:
        info.ModDate = pikepdf.String(pdf_date(modified))
    pdf.trailer.Info = pdf.make_indirect(info)


# -- structure: elements split by page breaks -> one element -----------------


def _is_struct(obj: object) -> bool:
    return (
        isinstance(obj, Dictionary)
        and obj.is_indirect
        and "/S" in obj
        and obj.get("/Type") not in (Name.MCR, Name.OBJR)
    )


def merge_split_elements(pdf: pikepdf.Pdf, sources: Mapping[int, Hashable]) -> int:
    """Join the structure elements that WeasyPrint 70 cut at page breaks.

    WeasyPrint builds the structure tree page by page: every page gets its
    own Part > Art > Sect > ..., a paragraph or list running over a page
    break becomes two P or two L elements, and a table's header row repeated
    on the next page becomes a second THead.  ``sources`` maps the object
    number of each structure element to the HTML element (and tag) it was
    made from, as recorded while WeasyPrint built the tree.  Adjacent
    siblings made from the same HTML element, the later one on a later page,
    are merged (integer MCIDs of the later one become MCR dictionaries with
    its page); repeated THead/TFoot groups are taken out of the tree, so their
    content turns into artifacts like the page margins; the ParentTree and
    table-header references are updated.  Returns the number of merges.
    """
    if "/StructTreeRoot" not in pdf.Root or not sources:
        return 0
    page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    replaced: dict[tuple[int, int], Object] = {}
    table_merges: dict[tuple[int, int], tuple[Object, set[int]]] = {}  # kept -> merged numbers
    dropped_header_ids: set[str] = set()

    def key(elem: Object) -> Hashable | None:
        if not _is_struct(elem):
            return None
        source = sources.get(elem.objgen[0])
        return None if source is None else (source, str(elem.S))

    def page_of(elem: Object) -> int:
        page = elem.get("/Pg")
        return page_index.get(page.objgen, -1) if isinstance(page, Dictionary) else -1

    def absorb(kept: Object, later: Object) -> None:
        if not isinstance(kept.get("/K"), Array):
            kept.K = Array([kept.K]) if "/K" in kept else Array()
        for kid in list(_kids(later)):
            if isinstance(kid, int):
                kid = Dictionary(Type=Name.MCR, Pg=later.Pg, MCID=kid)
            elif _is_struct(kid):
                kid.P = kept
            kept.K.append(kid)
        replaced[later.objgen] = kept
        if str(kept.S) == "/Table":
            table_merges.setdefault(kept.objgen, (kept, set()))[1].add(later.objgen[0])

    def collect_ids(elem: Object) -> None:
        for kid in _kids(elem):
            if _is_struct(kid):
                if "/ID" in kid:
                    dropped_header_ids.add(str(kid.ID))
                collect_ids(kid)

    stack = [pdf.Root.StructTreeRoot]
    while stack:
        parent = stack.pop()
        kids = parent.get("/K")
        if not isinstance(kids, Array):
            stack.extend(kid for kid in _kids(parent) if _is_struct(kid))
            continue
        candidates: list[Object] = list(kids)
        if parent.get("/S") == Name.Table:
            # A header (footer) row group repeated on a new page: out of the tree.
            seen: set[Hashable] = set()
            kept_kids: list[Object] = []
            for kid in candidates:
                kid_key = key(kid)
                if kid_key is not None and str(kid.S) in ("/THead", "/TFoot") and kid_key in seen:
                    collect_ids(kid)
                    continue
                if kid_key is not None:
                    seen.add(kid_key)
                kept_kids.append(kid)
            candidates = kept_kids
        merged: list[Object] = []
        for kid in candidates:
            previous = merged[-1] if merged else None
            kid_key = key(kid)
            if (
                previous is not None
                and kid_key is not None
                and kid_key == key(previous)
                and page_of(kid) > page_of(previous)
            ):
                absorb(previous, kid)
            else:
                merged.append(kid)
        if len(merged) != len(kids):
            parent.K = Array(merged)
        stack.extend(kid for kid in merged if _is_struct(kid))

    # ParentTree entries (MCIDs, annotations) of merged-away elements.
    if replaced:
        tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        for number, value in list(tree.items()):
            if isinstance(value, Array):
                for index, entry in enumerate(value):
                    if _is_struct(entry) and entry.objgen in replaced:
                        value[index] = replaced[entry.objgen]
            elif _is_struct(value) and value.objgen in replaced:
                tree[number] = replaced[value.objgen]

    # Data cells of a continued table pointed at the repeated header cells.
    for table, merged_numbers in table_merges.values():
        ids: set[str] = set()
        cells: list[Object] = []
        todo = [table]
        while todo:
            elem = todo.pop()
            for kid in _kids(elem):
                if _is_struct(kid):
                    if "/ID" in kid:
                        ids.add(str(kid.ID))
                    if kid.S == Name.TD and "/A" in kid and "/Headers" in kid.A:
                        cells.append(kid)
                    todo.append(kid)
        own = f"{table.objgen[0]}-"
        for cell in cells:
            headers = []
            for header in cell.A.Headers:
                header_id = str(header)
                table_number, _, rest = header_id.partition("-")
                if (
                    header_id in dropped_header_ids
                    and table_number.isdigit()
                    and int(table_number) in merged_numbers
                ):
                    header_id = own + rest  # same row/column in the first page's header
                if header_id in ids and header_id not in headers:
                    headers.append(header_id)
            cell.A.Headers = Array([pikepdf.String(header_id) for header_id in headers])
    return len(replaced)


# -- structure: formulas ---------------------------------------------------------


def tag_formulas(pdf: pikepdf.Pdf, formulas: Mapping[int, tuple[str, tuple[float, float, float, float]]]) -> int:
    """Make the structure element of each formula a ``Formula`` with its spoken form as ``/Alt``.

    ``formulas`` maps the object number of each formula's element (a ``Figure`` for a drawn
    formula, a ``NonStruct`` for one shown as TeX code) to its spoken form and its bounding box,
    which a drawn formula has as a figure's layout attribute already and the TeX is given the
    same way.  Returns how many elements were tagged.
    """
    tagged = 0
    for number, (alt, bbox) in formulas.items():
        elem = pdf.get_object((number, 0))
        if not _is_struct(elem):
            continue
        elem.S = Name.Formula
        elem.Alt = pikepdf.String(alt)
        if "/A" not in elem:
            elem.A = Dictionary(O=Name.Layout, BBox=Array(bbox))
        tagged += 1
    return tagged


def bboxes_to_user_space(pdf: pikepdf.Pdf) -> int:
    """Give each layout ``/BBox`` in PDF user space, as the standard defines it.

    WeasyPrint writes a figure's (and so a formula's) bounding box in CSS pixels from the page's
    top-left corner; its pages draw with ``0.75 0 0 -0.75 0 height cm``, so the box in points
    from the bottom-left corner is that transform of it. Returns how many boxes were moved."""
    moved = 0
    pages = {page.obj.objgen: page for page in pdf.pages}
    for elem in _all_struct_elems(pdf):
        attributes = elem.get("/A")
        if not isinstance(attributes, Dictionary) or "/BBox" not in attributes:
            continue
        where = _page_of(elem)
        page = pages.get(where) if where is not None else None
        if page is None:
            continue
        left, _bottom, _right, top = (float(v) for v in page.mediabox)
        x1, y1, x2, y2 = (float(v) for v in attributes.BBox)
        attributes.BBox = Array([round(left + x1 * PX, 3), round(top - y2 * PX, 3),
                                 round(left + x2 * PX, 3), round(top - y1 * PX, 3)])
        moved += 1
    return moved


def _page_of(elem: Object) -> tuple[int, int] | None:
    """The page an element is drawn on: its own /Pg, else its first marked content's."""
    for candidate in (elem, *(kid for kid in _kids(elem) if isinstance(kid, Dictionary))):
        page = candidate.get("/Pg")
        if isinstance(page, Dictionary):
            return page.objgen
    return None


def _all_struct_elems(pdf: pikepdf.Pdf) -> Iterator[Object]:
    root = pdf.Root.get("/StructTreeRoot")
    stack = list(_kids(root)) if isinstance(root, Dictionary) else []
    seen: set[tuple[int, int]] = set()
    while stack:
        elem = stack.pop()
        if not _is_struct(elem) or elem.objgen in seen:
            continue
        seen.add(elem.objgen)
        yield elem
        stack.extend(_kids(elem))


# -- structure: orphan marked content -> artifacts --------------------------


def _kids(obj: Object) -> Iterator[Object]:
    kids = obj.get("/K")
    if kids is None:
        return
    if isinstance(kids, Array):
        yield from kids
    else:
        yield kids


def _reachable_struct_elems(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    root = pdf.Root.StructTreeRoot
    seen: set[tuple[int, int]] = set()
    stack = list(_kids(root))
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary):
            continue  # MCIDs (integers)
        node_type = node.get("/Type")
        if node_type in (Name.MCR, Name.OBJR):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        stack.extend(_kids(node))
    return seen


def _orphan_mcids(pdf: pikepdf.Pdf, page: pikepdf.Page, reachable: set[tuple[int, int]]) -> set[int]:
    """MCIDs of ``page`` whose ParentTree element is not in the structure tree.

    Their ParentTree entries are set to null on the way.
    """
    if "/StructTreeRoot" not in pdf.Root:
        return set()
    key = page.obj.get("/StructParents")
    parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    if key is None or int(key) not in parent_tree:
        return set()
    entries = parent_tree[int(key)]
    if not isinstance(entries, Array):
        return set()
    orphans: set[int] = set()
    for mcid, elem in enumerate(entries):
        if isinstance(elem, Dictionary) and elem.objgen not in reachable:
            orphans.add(mcid)
            entries[mcid] = pikepdf.Object.parse(b"null")
    return orphans


def _stable_xobject_names(
    pdf: pikepdf.Pdf, resources: Object | None, done: dict[tuple[int, int], dict[str, str]]
) -> dict[str, str]:
    """Rename XObjects after a hash of their data instead of their file path.

    WeasyPrint names an image ``/i<md5 of its absolute URL>``, so the same
    article built from two folders would differ.  Returns old -> new names.
    """
    if not isinstance(resources, Dictionary):
        return {}
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, Dictionary) or len(xobjects) == 0:
        return {}
    key: tuple[int, int] | None = None
    if resources.is_indirect:
        key = resources.objgen
    elif xobjects.is_indirect:
        key = xobjects.objgen
    if key is not None and key in done:
        return done[key]
    mapping: dict[str, str] = {}
    renamed = Dictionary()
    for name in sorted(xobjects.keys()):
        xobject = xobjects[name]
        digest = hashlib.sha256(xobject.read_raw_bytes())
        for field in ("/Subtype", "/Width", "/Height", "/BBox", "/Filter"):
            digest.update(f"{field}={xobject.get(field)!s};".encode())
        prefix = "/Fm" if xobject.get("/Subtype") == Name.Form else "/Im"
        new_name = prefix + digest.hexdigest()[:16]
        suffix = 1
        while new_name in renamed:
            suffix += 1
            new_name = f"{prefix}{digest.hexdigest()[:16]}x{suffix}"
        mapping[name] = new_name
        renamed[new_name] = xobject
        if xobject.get("/Subtype") == Name.Form and "/Resources" in xobject:
            inner = _stable_xobject_names(pdf, xobject.Resources, done)
            if inner:
                xobject.write(_rewrite(pikepdf.parse_content_stream(xobject), set(), inner))
    resources.XObject = renamed
    if key is not None:
        done[key] = mapping
    return mapping


def _rewrite(
    instructions: list[pikepdf.ContentStreamInstruction] | list[Any],
    orphans: set[int],
    xobject_names: dict[str, str],
) -> bytes:
    """Content stream with orphan MCIDs as artifacts and XObjects renamed."""
    bdc, do = Operator("BDC"), Operator("Do")
    rewritten: list[Any] = []
    for instruction in instructions:
        operator = instruction.operator
        operands = list(instruction.operands)
        if (
            operator == bdc
            and orphans
            and len(operands) == 2
            and isinstance(operands[1], Dictionary)
            and "/MCID" in operands[1]
            and int(operands[1].MCID) in orphans
        ):
            instruction = pikepdf.ContentStreamInstruction(
                [Name.Artifact, Dictionary(Type=Name.Pagination)], bdc
            )
        elif operator == do and operands and str(operands[0]) in xobject_names:
            instruction = pikepdf.ContentStreamInstruction(
                [Name(xobject_names[str(operands[0])])], do
            )
        rewritten.append(instruction)
    return pikepdf.unparse_content_stream(rewritten)


def _rewrite_pages(pdf: pikepdf.Pdf) -> int:
    """Margin-box content -> artifacts; stable XObject names.  Returns the artifact count."""
    reachable = _reachable_struct_elems(pdf) if "/StructTreeRoot" in pdf.Root else set()
    renamed: dict[tuple[int, int], dict[str, str]] = {}
    converted = 0
    for page in pdf.pages:
        orphans = _orphan_mcids(pdf, page, reachable)
        names = _stable_xobject_names(pdf, page.obj.get("/Resources"), renamed)
        if not orphans and not names:
            continue
        instructions = pikepdf.parse_content_stream(page)
        converted += sum(
            1 for instruction in instructions
            if instruction.operator == Operator("BDC")
            and len(instruction.operands) == 2
            and isinstance(instruction.operands[1], Dictionary)
            and "/MCID" in instruction.operands[1]
            and int(instruction.operands[1].MCID) in orphans
        )
        page.obj.Contents = pdf.make_stream(_rewrite(instructions, orphans, names))
    return converted


# -- links --------------------------------------------------------------------


def _check_links(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not annots:
            continue
        page.obj.Tabs = Name.S
        for annot in annots:
            if annot.get("/Subtype") != Name.Link:
                continue
            contents = str(annot.get("/Contents", "")).strip()
            if contents:
                continue
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                annot.Contents = pikepdf.String(str(action.URI))
            elif "/Dest" in annot:
                annot.Contents = pikepdf.String(f"Go to {annot.Dest}")
            else:
                annot.Contents = pikepdf.String("Link")


# -- fonts --------------------------------------------------------------------


def _fonts_in(resources: Object | None, seen: set[tuple[int, int]]) -> Iterator[Object]:
    if not isinstance(resources, Dictionary):
        return
    if resources.is_indirect:
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    fonts = resources.get("/Font")
    if isinstance(fonts, Dictionary):
        for _, font in fonts.items():
            yield font
    xobjects = resources.get("/XObject")
    if isinstance(xobjects, Dictionary):
        for _, xobject in xobjects.items():
            if "/Resources" in xobject:
                yield from _fonts_in(xobject.Resources, seen)
    patterns = resources.get("/Pattern")
    if isinstance(patterns, Dictionary):
        for _, pattern in patterns.items():
            if "/Resources" in pattern:
                yield from _fonts_in(pattern.Resources, seen)


def _font_is_embedded(font: Object) -> bool:
    descriptor_owner = font
    if font.get("/Subtype") == Name.Type0:
        descendants = font.get("/DescendantFonts")
        if not descendants:
            return False
        descriptor_owner = descendants[0]
    if font.get("/Subtype") == Name.Type3:
        return True  # glyphs are content streams
    descriptor = descriptor_owner.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _utf16(hex_digits: bytes) -> str:
    try:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be", errors="replace")
    except ValueError:
        return ""


def _to_unicode_text(font: Object) -> str:
    """Characters listed in a font's /ToUnicode CMap (what it was used for)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return ""
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return ""
    chars: set[str] = set()
    for block in _BFCHAR.findall(data):
        values = _HEX.findall(block)
        chars.update(_utf16(value) for value in values[1::2])
    for block in _BFRANGE.findall(data):
        values = _HEX.findall(block)
        for start, end, first in zip(values[0::3], values[1::3], values[2::3], strict=False):
            count = int(end, 16) - int(start, 16)
            base = _utf16(first)
            if len(base) == 1 and 0 <= count < 512:
                chars.update(chr(ord(base) + offset) for offset in range(count + 1))
    return "".join(sorted(char for char in chars if char.isprintable() and not char.isspace()))


def list_fonts(pdf: pikepdf.Pdf) -> tuple[EmbeddedFont, ...]:
    found: dict[tuple[int, int] | str, EmbeddedFont] = {}
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for font in _fonts_in(page.obj.get("/Resources"), seen):
            key: tuple[int, int] | str = font.objgen if font.is_indirect else repr(font)
            if key in found:
                continue
            base = str(font.get("/BaseFont", "/?"))[1:]
            if len(base) > 7 and base[6] == "+" and base[:6].isupper():
                base = base[7:]
            found[key] = EmbeddedFont(
                base, str(font.get("/Subtype")), _font_is_embedded(font), _to_unicode_text(font)
            )
    return tuple(sorted(found.values(), key=lambda font: (font.base_font, font.subtype)))


# -- entry point ------------------------------------------------------------------


def postprocess_pdf(
    data: bytes,
    metadata: PdfMetadata,
    producer: str,
    struct_sources: Mapping[int, Hashable] | None = None,
    formulas: Mapping[int, tuple[str, tuple[float, float, float, float]]] | None = None,
) -> PostProcessResult:
    """Finish WeasyPrint's PDF bytes: structure, artifacts, metadata, checks; deterministic.

    ``struct_sources``: object number of each structure element -> identity
    of the HTML element it came from (see :func:`merge_split_elements`).
    ``formulas``: object number of each formula's element -> its spoken form
    and bounding box (see :func:`tag_formulas`).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tagged = tag_formulas(pdf, formulas or {})
        merges = merge_split_elements(pdf, struct_sources or {})
        bboxes_to_user_space(pdf)
        artifacts = _rewrite_pages(pdf)
        root = pdf.Root
        root.Lang = pikepdf.String(metadata.lang)
        root.MarkInfo = Dictionary(Marked=True)
        viewer = root.get("/ViewerPreferences")
        if not isinstance(viewer, Dictionary):
            viewer = Dictionary()
        viewer.DisplayDocTitle = True
        root.ViewerPreferences = viewer
        if "/Outlines" in root:
            root.PageMode = Name.UseOutlines
        _check_links(pdf)
        _set_info(pdf, metadata, producer)
        xmp = pdf.make_stream(xmp_packet(metadata, producer))
        xmp.Type = Name.Metadata
        xmp.Subtype = Name.XML
        root.Metadata = xmp
        fonts = list_fonts(pdf)
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            fix_metadata_version=False,
        )
    return PostProcessResult(out.getvalue(), fonts, artifacts, merges, tagged)
