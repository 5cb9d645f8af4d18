"""The speech translator: a Document as speech segments, each with the id of its HTML block.

This is the second translator beside HTML. Its segments drive the audio edition, the WebVTT
transcript and the EPUB media overlays, which is why every segment keeps the block's id.
Text is normalised for a listener: abbreviations as the source says to speak them, Latin
shorthands, number ranges, DOIs spelled out, citation markers left out unless asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from publish.model import (
    Abbreviation,
    Block,
    BlockQuote,
    Citation,
    Code,
    CodeBlock,
    CrossRef,
    Document,
    Emphasis,
    Equation,
    Figure,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    LanguageBlock,
    LanguageSpan,
    LineBreak,
    Link,
    ListBlock,
    Math,
    Paragraph,
    Reference,
    Strong,
    Styled,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)

PAUSE_SECTION = 1.4  # before a heading: the listener hears the structure
PAUSE_PARAGRAPH = 0.7
PAUSE_ITEM = 0.45


@dataclass(frozen=True)
class SpeechSegment:
    id: str  # id of the HTML block it speaks (e.g. "p-3", "ref-turner2009")
    text: str  # normalised text for the speech engine
    caption: str  # the written text, shown in the WebVTT transcript
    chapter: str | None  # title of an ID3 chapter that starts at this segment, else None
    pause_before: float  # seconds of silence before this segment


# Written shorthands and how to say them (English); applied to whole words only.
SHORTHANDS = [
    (re.compile(r"\be\.\s?g\.,?"), "for example,"),
    (re.compile(r"\bi\.\s?e\.,?"), "that is,"),
    (re.compile(r"\bet al\."), "and colleagues"),
    (re.compile(r"\betc\."), "et cetera"),
    (re.compile(r"\bvs\."), "versus"),
    (re.compile(r"\bpp?\.\s?(?=\d)"), "page "),
]
RANGE = re.compile(r"(?<![\w.])(\d+)\s?[–—-]\s?(\d+)(?!\w|\.\d)")
SPACED_DASH = re.compile(r"\s[–—-]\s")
DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/(\S+)")
URL = re.compile(r"https?://(?:www\.)?([^/\s]+)\S*")
SYMBOLS = {".": "dot", "/": "slash", "-": "dash", "_": "underscore", ":": "colon", "(": "open bracket",
           ")": "close bracket", ";": "semicolon"}


def normalise(text: str) -> str:
    """Written text as a speech engine should say it."""
    text = DOI_URL.sub(lambda m: spell_doi(m.group(1)), text)
    text = URL.sub(lambda m: "link to " + m.group(1), text)
    for pattern, spoken in SHORTHANDS:
        text = pattern.sub(spoken, text)
    text = RANGE.sub(r"\1 to \2", text)
    text = SPACED_DASH.sub(", ", text)
    return re.sub(r"\s+", " ", text).strip()


def spell_doi(doi: str) -> str:
    """A DOI read so it can be written down: "D O I 10.1038 slash n r i 2 6 5 3"."""
    prefix, _, suffix = doi.partition("/")
    spelled = " ".join(SYMBOLS.get(ch, ch.lower()) for ch in suffix)
    return f"D O I {prefix.replace('.', ' dot ')} slash {spelled}"


def speak(nodes: tuple[Inline, ...], read_citations: bool = False) -> str:
    """The spoken form of inline nodes, before normalisation of the running text."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Abbreviation):
            out.append(node.spoken)
        elif isinstance(node, Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(", ")
        elif isinstance(node, Emphasis | Strong | Styled | LanguageSpan | Link):
            out.append(speak(node.children, read_citations))
        elif isinstance(node, Citation):
            # Authors named in the sentence are part of it; the numbers are said only on request.
            out.append(node.authors)
            if read_citations:
                nums = " and ".join(str(n) for n in node.numbers)
                out.append(f" (reference{'s' if len(node.numbers) > 1 else ''} {nums})")
        elif isinstance(node, CrossRef):
            out.append(node.text)
        elif isinstance(node, Image):
            out.append(f" (image: {node.alt}) ")
        elif isinstance(node, Math):
            out.append(node.spoken)
        elif isinstance(node, FootnoteRef):
            continue  # the notes are read after the article
    return "".join(out)


def segments(document: Document, read_citations: bool = False) -> list[SpeechSegment]:
    """The whole article in listening order: title, disclaimer, body, notes, references."""
    return list(_Script(document, read_citations).run())


class _Script:
    def __init__(self, document: Document, read_citations: bool):
        self.doc = document
        self.read_citations = read_citations
        self.next_chapter: str | None = None

    def segment(self, id: str, text: str, caption: str, pause: float) -> SpeechSegment:
        chapter, self.next_chapter = self.next_chapter, None
        return SpeechSegment(id, normalise(text), caption, chapter, pause)

    def run(self) -> Iterator[SpeechSegment]:
        meta = self.doc.meta
        spoken = [meta.title, meta.subtitle]
        if meta.authors:
            spoken.append("By " + " and ".join(meta.authors))
        self.next_chapter = meta.title
        yield self.segment("title", ". ".join(p for p in spoken if p) + ".",
                           " — ".join(p for p in (meta.title, meta.subtitle) if p), 0.0)
        if self.doc.disclaimer:
            self.next_chapter = "Disclaimer"
            yield self.segment("disclaimer-heading", "Disclaimer.", "Disclaimer", PAUSE_SECTION)
            yield from self.blocks(self.doc.disclaimer)
        body = self.doc.body
        if body and not isinstance(body[0], Heading):
            self.next_chapter = "Introduction"
        yield from self.blocks(body)
        if self.doc.footnotes:
            self.next_chapter = "Notes"
            yield self.segment("footnotes-heading", "Notes.", "Notes", PAUSE_SECTION)
            for note in self.doc.footnotes:
                text = " ".join(self.text_of(b) for b in note.blocks)
                caption = " ".join(self.caption_of(b) for b in note.blocks)
                yield self.segment(note.id, f"Note {note.number}. {text}", f"{note.number}. {caption}",
                                   PAUSE_PARAGRAPH)
        if self.doc.references:
            self.next_chapter = "References"
            yield self.segment("references-heading", "References.", "References", PAUSE_SECTION)
            for reference in self.doc.references:
                yield self.segment(reference.id, f"Reference {reference.number}. {speak_reference(reference)}",
                                   f"{reference.number}. {plain_text(reference.children)}", PAUSE_ITEM)

    def blocks(self, blocks: tuple[Block, ...]) -> Iterator[SpeechSegment]:
        for block in blocks:
            yield from self.block(block)

    def block(self, block: Block) -> Iterator[SpeechSegment]:
        if isinstance(block, Heading):
            if block.level == 2:
                self.next_chapter = plain_text(block.children)
            yield self.segment(block.id, speak(block.children) + ".", plain_text(block.children), PAUSE_SECTION)
        elif isinstance(block, ListBlock):
            count = len(block.items)
            kind = "numbered list" if block.ordered else "list"
            intro = f"A {kind} of {count} item{'s' if count != 1 else ''}."
            yield self.segment(block.id, intro, intro, PAUSE_ITEM)
            for number, item in enumerate(block.items, start=block.start):
                lead = f"{number}. " if block.ordered else ""
                text = " ".join(self.text_of(b) for b in item.blocks)
                caption = " ".join(self.caption_of(b) for b in item.blocks)
                yield self.segment(item.id, lead + _end_sentence(text), lead + caption, PAUSE_ITEM)
        elif isinstance(block, BlockQuote):
            text = " ".join(self.text_of(b) for b in block.blocks)
            caption = " ".join(self.caption_of(b) for b in block.blocks)
            yield self.segment(block.id, f"Quote. {_end_sentence(text)} End of quote.", caption, PAUSE_PARAGRAPH)
        elif isinstance(block, LanguageBlock):
            yield from self.blocks(block.blocks)
        elif isinstance(block, Paragraph | Figure | Table | CodeBlock | Equation):
            yield self.segment(block.id, self.text_of(block), self.caption_of(block), PAUSE_PARAGRAPH)
        elif isinstance(block, ThematicBreak):
            return

    def text_of(self, block: Block) -> str:
        """A block's words for the speech engine (nested blocks flattened)."""
        if isinstance(block, Paragraph | Heading):
            return speak(block.children, self.read_citations)
        if isinstance(block, Figure):
            caption = speak(block.caption)
            return f"Figure: {_end_sentence(block.alt)}" + (f" {_end_sentence(caption)}" if caption else "")
        if isinstance(block, Table):
            headers = [speak(c.children) for c in block.header]
            rows = [", ".join(f"{h}: {speak(c.children)}" for h, c in zip(headers, row, strict=False))
                    for row in block.rows]
            intro = f"A table of {len(block.rows)} rows with the columns {', '.join(headers)}."
            caption = speak(block.caption)  # its number and title first, as a reader sees them
            return " ".join([*([_end_sentence(caption)] if caption else []), intro, *(_end_sentence(r) for r in rows)])
        if isinstance(block, CodeBlock):
            return f"Code: {block.text}"
        if isinstance(block, Equation):
            return _end_sentence(self.caption_of(block))
        if isinstance(block, ListBlock):
            return " ".join(_end_sentence(" ".join(self.text_of(b) for b in item.blocks)) for item in block.items)
        if isinstance(block, BlockQuote | LanguageBlock):
            return " ".join(self.text_of(b) for b in block.blocks)
        return ""

    def caption_of(self, block: Block) -> str:
        """A block's written text, for the transcript."""
        if isinstance(block, Paragraph | Heading):
            return plain_text(block.children)
        if isinstance(block, Figure):
            return " ".join(p for p in (block.alt, plain_text(block.caption)) if p)
        if isinstance(block, Table):
            cells = [plain_text(c.children) for c in block.header]
            cells += [plain_text(c.children) for row in block.rows for c in row]
            caption = plain_text(block.caption)
            return (f"{caption} " if caption else "") + " | ".join(cells)
        if isinstance(block, CodeBlock):
            return block.text
        if isinstance(block, Equation):  # the transcript shows what is said: a formula in words
            return (f"Equation {block.number}: " if block.number else "") + block.math.spoken
        if isinstance(block, ListBlock):
            return " ".join(" ".join(self.caption_of(b) for b in item.blocks) for item in block.items)
        if isinstance(block, BlockQuote | LanguageBlock):
            return " ".join(self.caption_of(b) for b in block.blocks)
        return ""


def _end_sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:;" else text + "."


def speak_reference(reference: Reference) -> str:
    """A reference read from its CSL data: who, when, what, where, and its DOI spelled out."""
    item: dict[str, Any] = json.loads(reference.csl_json)
    parts = [_names(item.get("author", [])), _year(item), item.get("title", "")]
    source = item.get("container-title") or item.get("publisher") or ""
    where = [str(source)] if source else []
    if item.get("volume"):
        where.append(f"volume {item['volume']}")
    if item.get("issue"):
        where.append(f"issue {item['issue']}")
    if item.get("page"):
        pages = str(item["page"])
        where.append(("pages " if RANGE.search(pages) else "page ") + pages)
    if item.get("number"):
        where.append(f"article {' '.join(str(item['number']))}" if re.match(r"^[A-Za-z]\d", str(item["number"]))
                     else f"article {item['number']}")
    parts.append(", ".join(where))
    if item.get("DOI"):
        parts.append(spell_doi(str(item["DOI"])))
    elif item.get("URL"):
        parts.append(str(item["URL"]))
    return " ".join(_end_sentence(str(p)) for p in parts if p)


def _names(authors: list[dict[str, Any]]) -> str:
    names = []
    others = False
    for author in authors:
        if author.get("literal") == "et al.":
            others = True
        elif "literal" in author:
            names.append(str(author["literal"]))
        else:
            names.append(" ".join(str(author[k]) for k in ("given", "family") if author.get(k)))
    if others:
        return f"{', '.join(names)} and colleagues"
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _year(item: dict[str, Any]) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return str(parts[0][0]) if parts and parts[0] else ""
