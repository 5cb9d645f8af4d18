"""The article in listening order, as speech segments: each block announced briefly and in the
same way every time (a list, a table, code, a figure, a quote), each with the id of its HTML
block."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from publish.crossrefs import NAMES
from publish.language import primary
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
    ListItem,
    Math,
    Paragraph,
    Strong,
    Styled,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)
from publish.renderer import Settings
from publish.speech.references import speak_reference
from publish.speech.spoken_text import (
    clean,
    code_words,
    in_language,
    inline_code_words,
    language_runs,
    normalise,
    protect,
)
from publish.speech.words import LANGUAGE_NAMES, Words, words_for

PAUSE_SECTION = 1.4  # before a heading: the listener hears the structure
PAUSE_PARAGRAPH = 0.7
PAUSE_ITEM = 0.45
MAX_CODE_READ = 240  # characters of a short code block read out: about fifteen seconds


@dataclass(frozen=True)
class SpeechSegment:
    id: str  # id of the HTML block it speaks (e.g. "p-3", "ref-turner2009")
    text: str  # normalised text for the speech engine
    caption: str  # the written text, shown in the WebVTT transcript
    chapter: str | None  # title of an ID3 chapter that starts at this segment, else None
    pause_before: float  # seconds of silence before this segment
    lang: str = ""  # the language it is said in, where not the article's (a ::: {lang=de} block)
    # Where words within it are in another language ([mot]{lang=fr}): the text as runs of
    # (language, words), each said by a voice of its language; "" is the segment's own.
    runs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SpeechOptions:
    """What a build may ask of the speech (``Settings``, and the source's ``read-dois``)."""

    read_citations: bool = False  # in-text citation markers: "(reference 9)"
    read_dois: bool = False  # each reference's DOI, spelled out
    read_tables: bool = False  # long tables in full
    table_rows: int = 12  # a table with more rows is summarised
    code_lines: int = 3  # a code block with more lines is announced, not read

    @classmethod
    def of(cls, document: Document, settings: Settings | None = None) -> SpeechOptions:
        settings = settings or Settings()
        return cls(read_citations=settings.read_citations,
                   read_dois=settings.read_dois or document.meta.read_dois,
                   read_tables=settings.read_tables, table_rows=settings.table_rows,
                   code_lines=settings.code_lines)


def segments(document: Document, settings: Settings | None = None) -> list[SpeechSegment]:
    """The whole article in listening order: title, disclaimer, body, notes, references."""
    return list(_Script(document, SpeechOptions.of(document, settings)).run())


class _Script:
    def __init__(self, document: Document, options: SpeechOptions):
        self.doc = document
        self.options = options
        self.lang = document.meta.lang
        self.words: Words = words_for(self.lang)
        self.next_chapter: str | None = None

    def say(self, key: str, *parts: object) -> str:
        return self.words.say(key, *parts)

    def segment(self, id: str, text: str, caption: str, pause: float) -> SpeechSegment:
        chapter, self.next_chapter = self.next_chapter, None
        own = self.lang if self.lang != self.doc.meta.lang else ""
        written = language_runs(text, self.lang)
        if all(lang == self.lang for lang, _ in written):
            return SpeechSegment(id, normalise(text, self.lang), caption, chapter, pause, own)
        runs = [(lang, normalise(words, lang)) for lang, words in written]
        return SpeechSegment(id, " ".join(words for _, words in runs), caption, chapter, pause, own,
                             tuple(("" if lang == self.lang else lang, words) for lang, words in runs))

    def run(self) -> Iterator[SpeechSegment]:
        meta = self.doc.meta
        spoken = [_end_sentence(p) for p in (clean(meta.title), clean(meta.subtitle)) if p]
        if meta.authors:
            spoken.append(self.say("by", self.words.join([clean(a) for a in meta.authors])))
        self.next_chapter = meta.title
        yield self.segment("title", " ".join(spoken), " — ".join(p for p in (meta.title, meta.subtitle) if p), 0.0)
        if self.doc.disclaimer:
            self.next_chapter = "Disclaimer"
            yield self.segment("disclaimer-heading", self.say("disclaimer"), "Disclaimer", PAUSE_SECTION)
            yield from self.blocks(self.doc.disclaimer)
        if self.doc.abstract:
            self.next_chapter = "Abstract"
            yield self.segment("abstract-heading", self.say("abstract"), "Abstract", PAUSE_SECTION)
            yield from self.blocks(self.doc.abstract)
        body = self.doc.body
        if body and not isinstance(body[0], Heading):
            self.next_chapter = "Introduction"
        yield from self.blocks(body)
        if self.doc.footnotes:
            self.next_chapter = "Notes"
            yield self.segment("footnotes-heading", self.say("notes"), "Notes", PAUSE_SECTION)
            for note in self.doc.footnotes:
                text = " ".join(self.text_of(b) for b in note.blocks)
                caption = " ".join(caption_of(b) for b in note.blocks)
                yield self.segment(note.id, f"{self.say('note', note.number)} {text}", f"{note.number}. {caption}",
                                   PAUSE_PARAGRAPH)
        if self.doc.references:
            self.next_chapter = "References"
            yield self.segment("references-heading", self.say("references"), "References", PAUSE_SECTION)
            for reference in self.doc.references:
                said = speak_reference(reference, self.lang, self.options.read_dois)
                if self.options.read_citations:  # else the text never says the number: it is noise
                    said = f"{self.say('reference', reference.number)} {said}"
                yield self.segment(reference.id, said,
                                   f"{reference.number}. {plain_text(reference.children)}", PAUSE_ITEM)
        if self.doc.appendix:
            if not isinstance(self.doc.appendix[0], Heading):
                self.next_chapter = "Appendix"
            yield from self.blocks(self.doc.appendix)

    def blocks(self, blocks: tuple[Block, ...]) -> Iterator[SpeechSegment]:
        for block in blocks:
            yield from self.block(block)

    def block(self, block: Block) -> Iterator[SpeechSegment]:
        if isinstance(block, Heading):
            if block.level == 2:
                self.next_chapter = plain_text(block.children)
            yield self.segment(block.id, _end_sentence(self.speak(block.children)),
                               plain_text(block.children, notes=False), PAUSE_SECTION)
        elif isinstance(block, ListBlock):
            yield from self.list_segments(block)
        elif isinstance(block, BlockQuote):
            text = " ".join(self.text_of(b) for b in block.blocks)
            caption = " ".join(caption_of(b) for b in block.blocks)
            yield self.segment(block.id, f"{self.say('quote')} {_end_sentence(text)} {self.say('end quote')}",
                               caption, PAUSE_PARAGRAPH)
        elif isinstance(block, LanguageBlock):  # said in its own language, with its words
            outer = self.lang, self.words
            self.lang, self.words = block.lang, words_for(block.lang)
            yield from self.blocks(block.blocks)
            self.lang, self.words = outer
        elif isinstance(block, Paragraph | Figure | Table | CodeBlock | Equation):
            yield self.segment(block.id, self.text_of(block), caption_of(block), PAUSE_PARAGRAPH)
        elif isinstance(block, ThematicBreak):
            return

    def list_segments(self, block: ListBlock) -> Iterator[SpeechSegment]:
        count = len(block.items)
        definitions = _is_definition_list(block)
        if definitions:
            intro = self.say("definition list", self.words.count(count, "term"))
        else:
            intro = self.say("numbered list" if block.ordered else "list", self.words.count(count, "item"))
        yield self.segment(block.id, intro, intro, PAUSE_ITEM)
        for number, item in enumerate(block.items, start=block.start):
            lead = f"{number}. " if block.ordered else ""
            caption = " ".join(caption_of(b) for b in item.blocks)
            yield self.segment(item.id, lead + self.item_text(item, definitions), lead + caption, PAUSE_ITEM)

    def item_text(self, item: ListItem, definition: bool) -> str:
        if definition:  # "Term: its definition."
            term = _end_sentence(self.text_of(item.blocks[0]).rstrip(".:"), ":")
            return f"{term} {' '.join(_end_sentence(self.text_of(b)) for b in item.blocks[1:])}"
        return _end_sentence(" ".join(self.text_of(b) for b in item.blocks))

    def speak(self, nodes: tuple[Inline, ...]) -> str:
        """The spoken form of inline nodes, before the running text is normalised."""
        out: list[str] = []
        for node in nodes:
            if isinstance(node, Text):
                out.append(clean(node.text))
            elif isinstance(node, Abbreviation):
                out.append(protect(node.spoken))
            elif isinstance(node, Code):
                out.append(inline_code_words(node.text, self.lang))
            elif isinstance(node, LineBreak):
                out.append(", ")
            elif isinstance(node, LanguageSpan) and primary(node.lang) != primary(self.lang):
                outer = self.lang, self.words
                self.lang, self.words = node.lang, words_for(node.lang)
                out.append(in_language(node.lang, self.speak(node.children)))
                self.lang, self.words = outer
            elif isinstance(node, Emphasis | Strong | Styled | LanguageSpan | Link):
                out.append(self.speak(node.children))
            elif isinstance(node, Citation):
                # Authors named in the sentence are part of it; the numbers are said only on request.
                out.append(clean(node.authors))
                if self.options.read_citations:
                    numbers = self.words.join([str(n) for n in node.numbers])
                    out.append(" " + self.say("cited many" if len(node.numbers) > 1 else "cited", numbers))
            elif isinstance(node, CrossRef):
                out.append(clean(node.text))
            elif isinstance(node, Image):
                out.append(f" {self.say('image', clean(node.alt))} ")
            elif isinstance(node, Math):
                out.append(protect(node.spoken))  # its words are publish.math's: no rule of prose applies
            elif isinstance(node, FootnoteRef):
                continue  # the notes are read after the article
        return "".join(out)

    def text_of(self, block: Block) -> str:
        """A block's words for the speech engine (nested blocks flattened)."""
        if isinstance(block, Paragraph | Heading):
            return self.speak(block.children)
        if isinstance(block, Figure):
            return self.figure_text(block)
        if isinstance(block, Table):
            return self.table_text(block)
        if isinstance(block, CodeBlock):
            return self.code_text(block)
        if isinstance(block, Equation):
            number = f"{self.say('equation', block.number)} " if block.number else ""
            return _end_sentence(number + protect(block.math.spoken))
        if isinstance(block, ListBlock):
            return " ".join(self.item_text(item, _is_definition_list(block)) for item in block.items)
        if isinstance(block, BlockQuote | LanguageBlock):
            return " ".join(self.text_of(b) for b in block.blocks)
        return ""

    def numbered(self, caption: tuple[Inline, ...], kind: str) -> tuple[str, str]:
        """A caption's number ("Table 2") and its title, apart."""
        text = self.speak(caption).strip()
        found = NUMBERED.match(text)
        if not found:
            return "", text.rstrip(".")
        name = found.group("name")
        if name.rstrip(".").casefold() in ("fig", "tab"):
            name = self.say(kind)
        return f"{name} {found.group('number')}", found.group("title").strip().rstrip(".")

    def figure_text(self, figure: Figure) -> str:
        """ "Figure 1. Its alt text. Its caption." (once, when the caption is the alt text)."""
        label, title = self.numbered(figure.caption, "figure")
        alt = clean(figure.alt).strip()
        said = [_end_sentence(label or self.say("figure"))]
        written = NUMBERED.sub(r"\g<title>", plain_text(figure.caption).strip())
        if alt and not (title and _same_words(alt, written)):
            said.append(_end_sentence(alt))
        if title:
            said.append(_end_sentence(title))
        return " ".join(said)

    def table_text(self, table: Table) -> str:
        """ "Table 2, Cases by year: 3 columns, 2 rows." then row by row, each cell with its
        column's header; a long table is summarised unless asked for."""
        label, title = self.numbered(table.caption, "table")
        label = label or self.say("a table")
        columns = max([len(table.header), *(len(row) for row in table.rows)])
        shape = f"{self.words.count(columns, 'column')}, {self.words.count(len(table.rows), 'row')}"
        said = [f"{label}, {title}: {shape}." if title else f"{label}: {shape}."]
        headers = [self.speak(cell.children).strip() for cell in table.header]
        if len(table.rows) > self.options.table_rows and not self.options.read_tables:
            named = [h for h in headers if h]
            if named:
                said.append(self.say("table columns", self.words.join(named)))
            said.append(self.say("table elsewhere"))
            return " ".join(said)
        return " ".join([*said, *(self.row_text(headers, row, n) for n, row in enumerate(table.rows, start=1))])

    def row_text(self, headers: list[str], row: tuple[TableCell, ...], number: int) -> str:
        """ "2019: Cases 12,345; Rate per 100,000, 3.7." (the first cell names the row)."""
        cells = [self.speak(cell.children).strip() for cell in row]
        if not any(headers):
            return f"{self.say('row', number)}: {', '.join(c for c in cells if c)}."
        pairs = []
        for header, cell in zip(headers[1:], cells[1:], strict=False):
            if not cell:
                continue
            if not header:
                pairs.append(cell)
            else:  # "Rate per 100,000, 3.7": a comma keeps two numbers apart
                pairs.append(f"{header}, {cell}" if clean(header)[-1:].isdigit() else f"{header} {cell}")
        label = cells[0] if cells else ""
        if label and pairs:
            return f"{label}: {'; '.join(pairs)}."
        return _end_sentence(label or "; ".join(pairs))

    def code_text(self, block: CodeBlock) -> str:
        """ "Code example, 2 lines, shell." then the code when it is short, else where it is."""
        lines = block.text.strip("\n").split("\n") if block.text.strip() else []
        language = LANGUAGE_NAMES.get(block.language.casefold(), block.language)
        intro = ", ".join([self.say("code"), self.words.count(len(lines), "line"), *([language] if language else [])])
        if not lines:
            return f"{intro}."
        if len(lines) > self.options.code_lines or len(block.text) > MAX_CODE_READ:
            return f"{intro}. {self.say('code elsewhere')}"
        read = " ".join(_end_sentence(code_words(line, self.lang)) for line in lines if line.strip())
        return f"{intro}. {read} {self.say('end code')}"


# "Table 2: ...", "Fig. 3. ...": a caption's own number, in any language the reader numbers in.
_CAPTION_NAMES = sorted({n for names in NAMES.values() for n in (names["figure"], names["table"])}
                        | {"Fig.", "Fig", "Tab.", "Tab"}, key=len, reverse=True)
NUMBERED = re.compile(rf"^(?P<name>{'|'.join(re.escape(n) for n in _CAPTION_NAMES)})\s*(?P<number>\d+[A-Za-z]?)"
                      r"\s*[:.]?\s*(?P<title>.*)$", re.S | re.I)


def _is_definition_list(block: ListBlock) -> bool:
    """Pandoc's definition list, as the reader keeps it: items that open with a bold term alone."""
    return not block.ordered and bool(block.items) and all(
        len(item.blocks) >= 2 and isinstance(item.blocks[0], Paragraph)
        and len(item.blocks[0].children) == 1 and isinstance(item.blocks[0].children[0], Strong)
        for item in block.items)


def caption_of(block: Block) -> str:
    """A block's written text, for the transcript."""
    if isinstance(block, Paragraph | Heading):
        return plain_text(block.children, notes=False)
    if isinstance(block, Figure):
        return " ".join(p for p in (block.alt, plain_text(block.caption, notes=False)) if p)
    if isinstance(block, Table):
        cells = [plain_text(c.children, notes=False) for c in block.header]
        cells += [plain_text(c.children, notes=False) for row in block.rows for c in row]
        caption = plain_text(block.caption, notes=False)
        return (f"{caption} " if caption else "") + " | ".join(cells)
    if isinstance(block, CodeBlock):
        return block.text
    if isinstance(block, Equation):  # a formula in words, or its TeX where it is shown as TeX
        return (f"Equation {block.number}: " if block.number else "") + plain_text((block.math,))
    if isinstance(block, ListBlock):
        return " ".join(" ".join(caption_of(b) for b in item.blocks) for item in block.items)
    if isinstance(block, BlockQuote | LanguageBlock):
        return " ".join(caption_of(b) for b in block.blocks)
    return ""


def _end_sentence(text: str, mark: str = ".") -> str:
    """The text ending as a sentence does, so the engine pauses after it; a stop inside closing
    quotes or brackets counts."""
    text = text.strip()
    last = clean(text).rstrip().rstrip("\"'”’»)]")[-1:]
    return text if not last or last in ".!?:;" else text + mark


def _same_words(alt: str, caption: str) -> bool:
    """Whether the alt text is the caption again (the reader's stand-in for a missing one, or a
    copy with a citation's number more or less): then the caption is said alone."""
    a, b = (set(re.findall(r"\w+", clean(t).casefold())) for t in (alt, caption))
    return len(a ^ b) <= max(2, len(a | b) // 10)
