"""What a round trip compares: the paragraphs of the original document (read from its own XML,
not through the import), the words of the built PDF in reading order, and its bookmarks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pikepdf

from publish.check.parity import remove_furniture
from publish.check.pdfua import page_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
WORD = re.compile(r"\w+")
MAX_GAP = 8  # characters the editions put between the original's words (a note's number, a citation's "(2)")


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def docx_paragraphs(path: Path) -> tuple[list[str], list[str]]:
    """(every paragraph of the body, the headings among them) as a reader of the document sees
    them: deleted text left out, and a citation field's shown text too (the editions number it)."""
    root = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    paragraphs, headings = [], []
    for p in root.iter(f"{W}p"):
        parts: list[str] = []
        state = "text"  # inside a field: "code" until its separator, then "result" until its end
        citation = False
        for element in p.iter():
            if element.tag == f"{W}fldChar":
                kind = element.get(f"{W}fldCharType")
                state = {"begin": "code", "separate": "result", "end": "text"}[kind or "end"]
                citation = citation and kind != "end"
            elif element.tag == f"{W}instrText" and "CSL_" in (element.text or ""):
                citation = True
            elif element.tag == f"{W}t" and not (state == "result" and citation):
                parts.append(element.text or "")
        text = "".join(parts).strip()
        style = p.find(f"{W}pPr/{W}pStyle")
        if text:
            paragraphs.append(text)
            if style is not None and (style.get(f"{W}val") or "").startswith(("Heading", "Title")):
                headings.append(text)
    return paragraphs, headings


def odt_paragraphs(path: Path) -> tuple[list[str], list[str]]:
    root = ET.fromstring(zipfile.ZipFile(path).read("content.xml"))
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    assert body is not None
    paragraphs, headings = [], []
    for element in _odt_blocks(body):
        text = "".join(_odt_text(element)).strip()
        if text:
            paragraphs.append(text)
            if element.tag == f"{TEXT_NS}h" or element.get(f"{TEXT_NS}style-name") == "Title":
                headings.append(text)
    return paragraphs, headings


DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
# Not the paragraph's text: notes (written elsewhere), comments, deleted text, an image's alt text
ASIDE = (f"{TEXT_NS}note", f"{OFFICE}annotation", f"{TEXT_NS}tracked-changes", f"{DRAW}frame")


def _odt_blocks(element: ET.Element) -> list[ET.Element]:
    """The paragraphs and headings of the body in order, not those of notes, comments or the
    deleted text that tracked changes keep."""
    out: list[ET.Element] = []
    for child in element:
        if child.tag in (f"{TEXT_NS}p", f"{TEXT_NS}h"):
            out.append(child)
        elif child.tag not in ASIDE:
            out.extend(_odt_blocks(child))
    return out


def _odt_text(element: ET.Element) -> list[str]:
    """The text of a paragraph, without its notes' text (written elsewhere) or comments."""
    out = [element.text or ""]
    for child in element:
        if child.tag not in ASIDE:
            out.extend(_odt_text(child))
        out.append(child.tail or "")
    return out


def missing_in_order(paragraphs: list[str], text: str) -> list[str]:
    """The paragraphs whose words are not found in ``text`` in order (each after the last one
    found). The words are compared without the spaces between them, since a PDF's text runs a
    table's cells together ("ProbeSize (Da)Pathway"), and a few characters may come between two
    of them (a note's number, a citation's "(2)")."""
    haystack = "".join(words(text))
    cursor, missing = 0, []
    for paragraph in paragraphs:
        found = _find(words(paragraph), haystack, cursor)
        if found is None:
            missing.append(paragraph)
        else:
            cursor = found
    return missing


def _find(needle: list[str], haystack: str, start: int) -> int | None:
    """Where the words of ``needle`` end in ``haystack`` (from ``start``), small gaps allowed."""
    first = haystack.find(needle[0], start)
    while first >= 0:
        position = first + len(needle[0])
        for word in needle[1:]:
            at = haystack.find(word, position, position + MAX_GAP + len(word))
            if at < 0:
                break
            position = at + len(word)
        else:
            return position
        first = haystack.find(needle[0], first + 1)
    return None


def pdf_words(path: Path) -> str:
    """The PDF's text as its pages show it (running heads and page numbers left out): the tag
    tree's text runs table cells together."""
    return "\n".join(line for page in remove_furniture(page_lines(path)) for line in page)


def bookmarks(path: Path) -> list[str]:
    titles: list[str] = []
    with pikepdf.open(path) as pdf:
        stack = [pdf.Root.Outlines.get("/First")] if "/Outlines" in pdf.Root else []
        while stack:
            item = stack.pop()
            while item is not None:
                titles.append(str(item.Title))
                if "/First" in item:
                    stack.append(item.First)
                item = item.get("/Next")
    return titles


def html_paragraphs(path: Path, content: str) -> tuple[list[str], list[str]]:
    """The title, then the paragraphs, list items and headings of the element ``content`` (an
    XPath) of a page, in order."""
    from lxml import html

    page = html.parse(str(path)).getroot()
    title = page.xpath("string(//h1)").strip()
    paragraphs, headings = [title], [title]
    for element in page.xpath(content)[0].iter("p", "li", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(element.text_content().split())
        if text:
            paragraphs.append(text)
            if element.tag.startswith("h"):
                headings.append(text)
    return paragraphs, headings
