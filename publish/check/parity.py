"""Parity: every block, reference and the disclaimer of the source, found in an edition's text.

The source is re-read (``publish.reader.read_article``), cut into items (the title, headings,
paragraphs at any depth, list items, quotes, figure and table captions, table cells, code,
notes, the disclaimer, each reference), and each item is looked for in the text extracted
from an edition. Matching ignores white space entirely (so line and page breaks, and the
spacing of extractors, do not matter), compares NFKC-normalised, case-folded text with
typographic quotes and dashes unified, and for PDFs tolerates footnote numbers that
extraction puts out of place. Order is checked within each part of the article (body, notes,
disclaimer, references): the parts themselves come in a different order in different
editions (the audio reads the disclaimer first).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.check.findings import Finding
from publish.model import (
    Block,
    BlockQuote,
    CodeBlock,
    Document,
    Equation,
    Figure,
    Heading,
    ListItem,
    Paragraph,
    Table,
    text_pieces,
    walk_blocks,
)

CHECK = "parity"
GROUPS = ("body", "notes", "disclaimer", "references", "appendix")

# One piece of an item's text; optional pieces (footnote numbers) may be missing or moved.
Piece = tuple[str, bool]


@dataclass(frozen=True)
class Item:
    group: str  # one of GROUPS
    kind: str  # "heading", "paragraph", "list item", "reference", ...
    line: int
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        return " ".join("".join(p for p, _ in self.pieces).split())

    def label(self, width: int = 40) -> str:
        text = self.text
        if len(text) > width:
            text = text[: width - 1].rstrip() + "…"
        return f'{self.kind} "{text}"'


@dataclass(frozen=True)
class Match:
    item: Item
    status: str  # "found", "missing" or "out of order"


# ---------------------------------------------------------------- the source's items


def _block_items(blocks: tuple[Block, ...], group: str) -> list[Item]:
    items: list[Item] = []
    containers: dict[int, str] = {}  # id() of a paragraph -> what holds it
    for block in walk_blocks(blocks):
        if isinstance(block, ListItem | BlockQuote):
            kind = "list item" if isinstance(block, ListItem) else "quote"
            for child in block.blocks:
                containers.setdefault(id(child), kind)
        if isinstance(block, Heading):
            items.append(Item(group, "heading", block.line, tuple(text_pieces(block.children))))
        elif isinstance(block, Paragraph):
            kind = containers.get(id(block), "paragraph")
            if group == "disclaimer":
                kind = "disclaimer"
            items.append(Item(group, kind, block.line, tuple(text_pieces(block.children))))
        elif isinstance(block, Figure) and block.caption:
            items.append(Item(group, "figure caption", block.line, tuple(text_pieces(block.caption))))
        elif isinstance(block, Table):
            if block.caption:
                items.append(Item(group, "table caption", block.line, tuple(text_pieces(block.caption))))
            for cell in (*block.header, *(c for row in block.rows for c in row)):
                items.append(Item(group, "table cell", block.line, tuple(text_pieces(cell.children))))
        elif isinstance(block, CodeBlock):
            items.append(Item(group, "code", block.line, ((block.text, False),)))
        elif isinstance(block, Equation):  # its alt text, or its words in the audio
            items.append(Item(group, "equation", block.line, tuple(text_pieces((block.math,)))))
    return [item for item in items if squash(item.text)]


def source_items(document: Document, *, title_line: int = 1) -> list[Item]:
    """Everything every edition must carry, in source order within each part."""
    items = [Item("body", "title", title_line, ((document.meta.title, False),))]
    items += _block_items(document.abstract, "body")
    items += _block_items(document.body, "body")
    for note in document.footnotes:
        items += [Item("notes", "note", i.line, i.pieces) for i in _block_items(note.blocks, "notes")]
    items += _block_items(document.disclaimer, "disclaimer")
    items += [Item("references", "reference", r.line, tuple(text_pieces(r.children))) for r in document.references]
    items += _block_items(document.appendix, "appendix")
    return items


def title_line(source: Path) -> int:
    """The front-matter line of ``title:`` (the model keeps no line for metadata)."""
    try:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if re.match(r"^title\s*:", line):
                return number
    except OSError:
        pass
    return 1


# ---------------------------------------------------------------- normalisation and matching

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None,
})
_SPACE = re.compile(r"\s+")


_NUMBER = re.compile(r"[-+−]?[\d.,]+%?")


def squash(text: str) -> str:
    """Text as compared: NFKC, case-folded, quotes and dashes unified, no white space at all."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).translate(_FOLD).casefold())


def _pattern(item: Item, loose_numbers: bool) -> re.Pattern[str]:
    parts: list[str] = []
    for text, optional in item.pieces:
        if optional:
            parts.append(f"(?:{re.escape(squash(text))})?")
            continue
        words = [re.escape(squash(w)) for w in text.split()]
        # A space before or after the piece is a word boundary too.
        if text[:1].isspace():
            words.insert(0, "")
        if text[-1:].isspace():
            words.append("")
        parts.append(r"(?:\d{1,3})?".join(words) if loose_numbers else "".join(words))
    return re.compile("".join(parts))


def match_items(items: Sequence[Item], text: str, *, loose_numbers: bool = False) -> list[Match]:
    """Whether each item occurs in ``text``, and in source order within its part.

    An item may occur more than once (a short table cell, a heading repeated in a running
    head); the order check picks, per part, the largest set of items whose occurrences can
    be read in source order (a longest increasing subsequence), so one stray occurrence does
    not make everything after it "out of order".
    """
    haystack = squash(text)
    positions: list[list[int]] = []
    for item in items:
        pattern = _pattern(item, loose_numbers)
        found = [m.start() for m in pattern.finditer(haystack)]
        positions.append(found[:200])
    # A text of one or two characters (a table cell "C") or a table cell that is a number ("257")
    # occurs all over: where it stands says nothing of the order, and its first 200 places
    # may all come before it. It must be there, in any place.
    placeless = {i for i, item in enumerate(items) if len(squash(item.text)) <= 2
                 or (item.kind == "table cell" and _NUMBER.fullmatch(squash(item.text)))}
    in_order: set[int] = set(placeless)
    for group in GROUPS:
        indices = [i for i, item in enumerate(items) if item.group == group and i not in placeless]
        in_order |= _longest_in_order(indices, positions)
    return [Match(item, "missing" if not positions[i] else "found" if i in in_order else "out of order")
            for i, item in enumerate(items)]


def _longest_in_order(indices: list[int], positions: list[list[int]]) -> set[int]:
    """Items (by index) of a longest chain with strictly increasing text positions."""
    tails: list[int] = []  # position ending the best chain of each length
    tail_nodes: list[int] = []
    nodes: list[tuple[int, int]] = []  # (item index, previous node or -1)
    for index in indices:
        # Larger positions first, so two occurrences of one item never chain together.
        for position in sorted(set(positions[index]), reverse=True):
            k = bisect.bisect_left(tails, position)
            nodes.append((index, tail_nodes[k - 1] if k else -1))
            if k == len(tails):
                tails.append(position)
                tail_nodes.append(len(nodes) - 1)
            else:
                tails[k] = position
                tail_nodes[k] = len(nodes) - 1
    chosen: set[int] = set()
    node = tail_nodes[-1] if tail_nodes else -1
    while node != -1:
        index, node = nodes[node]
        chosen.add(index)
    return chosen


def findings(matches: Sequence[Match], edition_label: str, source: str) -> list[Finding]:
    """One failing finding per missing or misplaced item, or one ok summary."""
    out: list[Finding] = []
    for match in matches:
        if match.status == "found":
            continue
        where = f"{source}:{match.item.line}"
        if match.status == "missing":
            out.append(Finding(f"{CHECK}:missing", False, "error",
                               f"{match.item.label()} missing from {edition_label}", where,
                               "Every edition must carry the whole article. Rebuild this edition; if the "
                               "text is still missing, its renderer drops this kind of block: report that, "
                               "with this line of the source."))
        else:
            out.append(Finding(f"{CHECK}:order", False, "error",
                               f"{match.item.label()} out of order in {edition_label}", where,
                               f"In {edition_label} it comes before text that precedes it in the source; "
                               "the reading order of the edition is wrong."))
    if not out:
        counts = {g: sum(1 for m in matches if m.item.group == g) for g in GROUPS}
        parts = [f"{counts['body']} blocks of the article"]
        if counts["notes"]:
            parts.append(f"{counts['notes']} of the notes")
        if counts["disclaimer"]:
            parts.append("the disclaimer")
        parts.append(f"{counts['references']} references")
        if counts["appendix"]:
            parts.append(f"{counts['appendix']} blocks after them")
        out.append(Finding(CHECK, True, "info",
                           f"All {', '.join(parts[:-1])} and {parts[-1]} found in {edition_label}, in order"))
    return out


# ---------------------------------------------------------------- each edition's text


def pdf_text(path: Path) -> tuple[str, str]:
    """(text, how): the tag tree's text when tagged, else the page text without furniture."""
    from publish.check.pdfua import page_lines, structure_text

    tagged = structure_text(path)
    if tagged is not None and tagged.strip():
        return tagged, "tagged text (structure tree order)"
    return "\n".join(line for page in remove_furniture(page_lines(path)) for line in page), \
        "page text (untagged PDF; running heads and page numbers removed)"


_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
# List labels, drawn apart from their items (often after the page's text).
_LIST_LABEL = re.compile(r"^(?:[•◦▪‣·*–-]|\d{1,3}[.)]|[a-zA-Z][.)]|[ivxlc]{1,6}[.)])$")
EDGE_LINES = 3  # page furniture sits in the first or last lines of a page's text


def remove_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Page text without page numbers ("Page 3 of 7"), running heads (a line repeated at the
    edge of most pages; its first occurrence is kept, since a title is often repeated as the
    running head) and loose list labels. Keeping extra text costs nothing: parity only looks
    for the source's text; losing some would report it missing."""
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()).casefold())

    def edge(page: list[str], index: int) -> bool:
        return index < EDGE_LINES or index >= len(page) - EDGE_LINES

    counts: dict[str, int] = {}
    for page in pages:
        for k in {key(line) for i, line in enumerate(page) if edge(page, i)}:
            counts[k] = counts.get(k, 0) + 1
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, (len(pages) + 1) // 2)}
    seen: set[str] = set()
    out: list[list[str]] = []
    for page in pages:
        kept: list[str] = []
        for index, line in enumerate(page):
            k = key(line)
            furniture = edge(page, index) and (_PAGE_NUMBER.match(line.strip()) or (k in repeated and k in seen))
            seen.add(k)
            if not furniture and not _LIST_LABEL.match(line.strip()):
                kept.append(line)
        out.append(kept)
    return out


_SKIP_HTML = {"script", "style", "template", "noscript", "head", "nav", "title"}
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _element_text(element: Any) -> str:
    out: list[str] = []

    def visit(el: Any) -> None:
        if not isinstance(el.tag, str):  # a comment or processing instruction: only its tail is text
            if el.tail:
                out.append(el.tail)
            return
        name = _local(el.tag)
        if name == "math":  # a formula is read as its alt text, its words, as in every edition
            out.append(f" {el.get('alttext', '')} {el.tail or ''}")
            return
        if name in _SKIP_HTML or el.get("hidden") is not None:
            if el.tail:
                out.append(el.tail)
            return
        if el.text:
            out.append(el.text)
        for child in el:
            visit(child)
        out.append(" " if name in _INLINE else "\n")
        if el.tail:
            out.append(el.tail)

    visit(element)
    return "".join(out)


_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
           "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}


def html_text(path: Path) -> str:
    """The visible text of an HTML page's body, navigation (the contents list) left out."""
    import lxml.html  # type: ignore[import-untyped]

    tree = lxml.html.parse(str(path))
    body = tree.getroot().find("body")
    root = body if body is not None else tree.getroot()
    return _element_text(root)


def epub_text(path: Path) -> str:
    """The text of the EPUB's spine documents in spine order (the navigation document left out)."""
    from lxml import etree

    from publish.check.epubfiles import OPF, manifest_path, package_document, xml_parser

    ns = {"opf": OPF}
    parser = xml_parser()
    with zipfile.ZipFile(path) as zf:
        opf_name, package = package_document(zf)
        items = {item.get("id"): item for item in package.iterfind(".//opf:manifest/opf:item", ns)}
        texts: list[str] = []
        for ref in package.iterfind(".//opf:spine/opf:itemref", ns):
            item = items.get(ref.get("idref"))
            if item is None or "nav" in (item.get("properties") or "").split():
                continue
            if item.get("media-type") != "application/xhtml+xml":
                continue
            document = etree.fromstring(zf.read(manifest_path(opf_name, item)), parser)
            body = document.find(f"{{{XHTML_NS}}}body")
            texts.append(_element_text(body if body is not None else document))
    return "\n".join(texts)


def vtt_text(path: Path) -> str:
    """The transcript: every cue's text in order."""
    from publish.check.webvtt import read_vtt

    return "\n".join(cue.text for cue in read_vtt(path))
