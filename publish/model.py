"""The immutable document model every renderer reads.

One frozen dataclass per concept. Block nodes carry a stable ``id`` (the same id names the
HTML element, the speech segment and the media-overlay clip) and the source ``line`` they came
from, so checks and errors can point back at the source.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

# ---------------------------------------------------------------- inline nodes


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class Emphasis:
    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Styled:
    """Text set apart by a typographic convention that carries meaning: ``style`` is one of
    subscript, superscript, strikeout, underline, smallcaps."""

    kind: ClassVar[str] = "styled"
    style: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LanguageSpan:
    """Words in another language than the article's, ``[Je ne sais quoi]{lang=fr}``: marked so a
    screen reader (and a hyphenator) switches language."""

    kind: ClassVar[str] = "languagespan"
    lang: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True)
class LineBreak:
    kind: ClassVar[str] = "linebreak"


@dataclass(frozen=True)
class Link:
    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class Citation:
    """A Pandoc citation ``[@key]``; ``numbers`` are the bibliography positions of ``keys``.

    ``mode`` is Pandoc's: "normal" ``[@a]``, "author-in-text" ``@a`` (whose ``authors`` are
    part of the sentence) or "suppress-author" ``[-@a]``."""

    kind: ClassVar[str] = "citation"
    id: str
    keys: tuple[str, ...]
    numbers: tuple[int, ...] = ()
    locator: str = ""
    prefix: str = ""
    mode: str = "normal"
    authors: str = ""


@dataclass(frozen=True)
class FootnoteRef:
    kind: ClassVar[str] = "footnoteref"
    id: str
    note_id: str
    number: int


@dataclass(frozen=True)
class CrossRef:
    """A reference to a figure, table, equation or section of the article: "Figure 2"."""

    kind: ClassVar[str] = "crossref"
    target: str  # the id of the element it points at
    text: str


@dataclass(frozen=True)
class Image:
    """An image inside running text (a badge, a symbol); a figure is a block of its own.
    ``missing`` says why it is not shown (a remote image is never fetched)."""

    kind: ClassVar[str] = "image"
    src: str
    alt: str
    line: int
    missing: str = ""


@dataclass(frozen=True)
class Math:
    """A formula: its TeX as written, the MathML Pandoc makes of it, and its spoken form, which
    is the alt text in every edition and what the audio says. ``mathml`` is empty where the TeX
    could not be converted (``problem`` says why): the editions then show the TeX as code."""

    kind: ClassVar[str] = "math"
    tex: str
    mathml: str
    spoken: str
    display: bool = False
    problem: str = ""


@dataclass(frozen=True)
class Abbreviation:
    kind: ClassVar[str] = "abbreviation"
    term: str
    expansion: str
    spoken: str


Inline: TypeAlias = (Text | Emphasis | Strong | Styled | LanguageSpan | Code | LineBreak | Link | CrossRef | Image
                      | Citation | FootnoteRef | Abbreviation | Math)

# ----------------------------------------------------------------- block nodes


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    id: str
    line: int
    level: int  # 2..6: level 1 is the document title
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    id: str
    line: int
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class ListItem:
    kind: ClassVar[str] = "listitem"
    id: str
    line: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    kind: ClassVar[str] = "list"
    id: str
    line: int
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True)
class BlockQuote:
    kind: ClassVar[str] = "blockquote"
    id: str
    line: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class LanguageBlock:
    """Blocks in another language than the article's (``::: {lang=de}``), marked for every
    edition so a screen reader switches language."""

    kind: ClassVar[str] = "languageblock"
    id: str
    line: int
    lang: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Figure:
    """An image standing alone in its paragraph; ``alt`` is required, the caption optional.
    ``missing`` says why the image is not shown (a remote image is never fetched): the
    editions show that sentence and the text alternative in its place."""

    kind: ClassVar[str] = "figure"
    id: str
    line: int
    src: str
    alt: str
    caption: tuple[Inline, ...] = ()
    missing: str = ""


@dataclass(frozen=True)
class TableCell:
    kind: ClassVar[str] = "cell"
    children: tuple[Inline, ...]
    align: str = ""  # "", "left", "center" or "right"


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    id: str
    line: int
    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class CodeBlock:
    kind: ClassVar[str] = "codeblock"
    id: str
    line: int
    text: str
    language: str = ""


@dataclass(frozen=True)
class Equation:
    """Display math as a block of its own; ``number`` (0: none) when the source labels it, so
    references to it can say "Equation 2"."""

    kind: ClassVar[str] = "equation"
    id: str
    line: int
    math: Math
    number: int = 0


@dataclass(frozen=True)
class ThematicBreak:
    kind: ClassVar[str] = "thematicbreak"
    id: str
    line: int


Block: TypeAlias = (Heading | Paragraph | ListBlock | ListItem | BlockQuote | LanguageBlock | Figure | Table | CodeBlock
                     | Equation | ThematicBreak)

# ------------------------------------------------------------ document parts


@dataclass(frozen=True)
class Footnote:
    kind: ClassVar[str] = "footnote"
    id: str
    line: int
    number: int
    ref_ids: tuple[str, ...]  # every place that points at this note, for back links
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Reference:
    """One bibliography entry, formatted by the CSL style, numbered in bibliography order."""

    kind: ClassVar[str] = "reference"
    id: str
    line: int
    key: str
    number: int
    children: tuple[Inline, ...]
    csl_json: str  # the CSL item as canonical JSON, kept for plugins and other styles
    cited_by: tuple[str, ...] = ()  # ids of the citations that point here, for back links

    @property
    def doi(self) -> str | None:
        value = json.loads(self.csl_json).get("DOI")
        return str(value) if value else None


@dataclass(frozen=True)
class AbbreviationDef:
    term: str
    expansion: str
    spoken: str


@dataclass(frozen=True)
class Affiliation:
    id: str
    name: str
    ror: str = ""


@dataclass(frozen=True)
class Author:
    """One author as the front matter gives them (publish/people.py reads every form)."""

    name: str
    orcid: str = ""  # the full https://orcid.org/ URL, checked
    affiliations: tuple[str, ...] = ()  # ids of Affiliation
    email: str = ""
    corresponding: bool = False
    equal_contrib: bool = False
    note: str = ""


@dataclass(frozen=True)
class Metadata:
    title: str
    lang: str
    subtitle: str = ""
    authors: tuple[str, ...] = ()  # the names, in order; author_details has the rest
    author_details: tuple[Author, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    date: str = ""  # ISO 8601 date as the source gives it, or empty
    publisher: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    rights: str = ""
    doi: str = ""
    papersize: str = "a4"
    csl_style: str = "apa"
    voice: str = ""  # the front matter's 'voice' (ENGINE:VOICE), "" for the default
    voice_line: int = 0  # its line, for an error about it
    read_dois: bool = False  # the front matter's 'read-dois': the audio spells each DOI


@dataclass(frozen=True)
class SourceWarning:
    """Weak but workable input: every edition is built, and the writer is told where."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: warning: {self.message}"


@dataclass(frozen=True)
class Document:
    source: str  # path of the article.md it was read from
    slug: str
    meta: Metadata
    body: tuple[Block, ...]
    disclaimer: tuple[Block, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    references: tuple[Reference, ...] = ()
    # What the source has after its bibliography (a `::: {#refs}` div or an empty References
    # section before an appendix): every edition puts it after the references, as Pandoc does.
    appendix: tuple[Block, ...] = ()
    abbreviations: tuple[AbbreviationDef, ...] = ()
    figures_dir: str = field(default="", compare=False)  # the article folder, assets resolve here
    warnings: tuple[SourceWarning, ...] = ()
    bibliography_files: tuple[str, ...] = ()  # as 'bibliography' names them, in the article folder
    abstract: tuple[Block, ...] = ()  # the front matter's 'abstract', shown under the title in every edition

    def headings(self) -> Iterator[Heading]:
        """Every heading of the body and the appendix, at any depth, in reading order."""
        return headings_in((*self.body, *self.appendix))

    def parts(self) -> tuple[tuple[Block, ...], ...]:
        """Every run of blocks the article has: abstract, body, appendix, disclaimer and each note."""
        return self.abstract, self.body, self.appendix, self.disclaimer, *(note.blocks for note in self.footnotes)

    def formulas(self) -> Iterator[Math]:
        """Every formula of the article, in every run of blocks."""
        for part in self.parts():
            yield from (node for node in block_inlines(part) if isinstance(node, Math))

    def has(self, kind: str) -> bool:
        return any(block.kind == kind for part in self.parts() for block in walk_blocks(part))


def element_ids(value: Any) -> Iterator[str]:
    """The id of every node in ``value`` (blocks, inlines, at any depth): what an edition may link to."""
    if isinstance(value, tuple):
        for item in value:
            yield from element_ids(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            if f.name == "id" and isinstance(current, str) and current:
                yield current
            elif isinstance(current, tuple) or dataclasses.is_dataclass(current):
                yield from element_ids(current)


def headings_in(blocks: tuple[Block, ...]) -> Iterator[Heading]:
    return (block for block in walk_blocks(blocks) if isinstance(block, Heading))


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Blocks in reading order, containers before their contents."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            yield from walk_blocks(block.items)
        elif isinstance(block, ListItem | BlockQuote | LanguageBlock):
            yield from walk_blocks(block.blocks)


def block_inlines(blocks: tuple[Block, ...]) -> Iterator[Inline]:
    """Every inline node of the blocks, at any depth: text, captions and table cells included."""
    stack: list[Inline] = []
    for block in walk_blocks(blocks):
        if isinstance(block, Heading | Paragraph):
            stack.extend(block.children)
        elif isinstance(block, Figure):
            stack.extend(block.caption)
        elif isinstance(block, Equation):
            stack.append(block.math)
        elif isinstance(block, Table):
            stack.extend(block.caption)
            stack.extend(node for row in (block.header, *block.rows) for cell in row for node in cell.children)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Emphasis | Strong | Styled | LanguageSpan | Link):
            stack.extend(node.children)


def plain_text(inlines: tuple[Inline, ...], *, notes: bool = True) -> str:
    """The visible text of inline nodes, as a reader sees it; without the note numbers when
    ``notes`` is false (a heading's id, the audio's transcript: the number would stick to the
    word before it, "ABM4ALL1")."""
    return "".join(text for text, is_note in text_pieces(inlines) if notes or not is_note)


def text_pieces(inlines: Iterable[Inline]) -> Iterator[tuple[str, bool]]:
    """The visible text in pieces, each marked True where it is a note number: a superscript
    that text extraction may drop or move, which the parity check must allow for."""
    for node in inlines:
        if isinstance(node, Text | Code):
            yield node.text, False
        elif isinstance(node, Abbreviation):
            yield node.term, False
        elif isinstance(node, Math):  # a formula in words, its alt text everywhere; else its TeX, shown as such
            yield node.spoken if node.mathml else node.tex, False
        elif isinstance(node, CrossRef):
            yield node.text, False
        elif isinstance(node, LineBreak):
            yield " ", False
        elif isinstance(node, Emphasis | Strong | Styled | LanguageSpan | Link):
            yield from text_pieces(node.children)
        elif isinstance(node, Citation):
            yield citation_label(node), False
        elif isinstance(node, FootnoteRef):
            yield str(node.number), True


def citation_label(citation: Citation) -> str:
    """The in-text form of a citation, numbered as in the seed: "(9)", "(2, 5)", "(9, p. 3)",
    "(see 9)"; told in the text, the authors come first: "Turner (9)"."""
    inner = ", ".join(str(n) for n in citation.numbers)
    if citation.prefix:
        inner = f"{citation.prefix} {inner}"
    if citation.locator:
        inner += f", {citation.locator}"
    return f"{citation.authors} ({inner})" if citation.authors else f"({inner})"


# ----------------------------------------------------------------- JSON form


def to_jsonable(value: Any) -> Any:
    """The model as plain JSON data; every node gains a ``type`` field naming its kind."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data: dict[str, Any] = {}
        if hasattr(value, "kind"):
            data["type"] = value.kind
        for f in dataclasses.fields(value):
            data[f.name] = to_jsonable(getattr(value, f.name))
        return data
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    return value


def to_json(document: Document) -> str:
    return json.dumps(to_jsonable(document), ensure_ascii=False, indent=2)
