"""Read ``article.md`` into a Document: front matter, Markdown body, citations, notes."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from publish import assets, citations, transforms
from publish.errors import SourceError
from publish.frontmatter import CONTROL, Fields, misspelt_key, split
from publish.limits import DEFAULT, Limits
from publish.model import (
    AbbreviationDef,
    Block,
    BlockQuote,
    Citation,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Metadata,
    Paragraph,
    Reference,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
    walk_blocks,
)

# Front-matter keys the reader uses. Others are ignored (Pandoc articles carry keys for other
# tools: bibliography, toc, header-includes...), except a near miss of one of these, which is an
# error: a misspelt 'disclaimer' must not quietly drop the disclaimer from every edition.
KNOWN_KEYS = ("title", "subtitle", "lang", "author", "date", "publisher", "description", "abstract", "keywords",
              "rights", "doi", "papersize", "csl", "disclaimer", "abbreviations", "references")
CITATION = re.compile(r"\[(-?@[^\[\]]*?)\]")
CITE_KEY = re.compile(r"^-?@([\w][\w:.#$%&\-+?<>~/]*?)(?:,\s*(.+))?$")
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")
# Ids the page templates use for their own landmarks; headings never take them.
RESERVED_IDS = frozenset({"main", "title", "toc", "toc-heading", "toc-title", "disclaimer", "disclaimer-heading",
                          "references", "references-heading", "footnotes", "footnotes-heading", "audio",
                          "listen-heading", "landmarks", "landmarks-title", "page-list", "page-list-title"})
# The ids the reader numbers (p-3, fnref-1-2...) and the editions' page breaks (page-3): a heading
# whose slug looks like one of them would clash with a later block, so it takes a prefix.
GENERATED_ID = re.compile(r"^(?:disclaimer-)?(?:p|li|list|quote|code|hr|fig|tbl|cite|fn|fnref|page)(?:-\d+)*$")


def _markdown(limits: Limits) -> MarkdownIt:
    # markdown-it silently drops whatever lies deeper than maxNesting; ours is wide enough (a list
    # takes two levels, a quote one) that any source it would cut is refused by max_depth first.
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 2 * limits.max_depth + 10})
    md.enable("table").use(footnote_plugin)
    # markdown-it would silently leave a file: or javascript: link as literal text; every URL is
    # parsed instead, so links are filtered by SAFE_SCHEMES and images refused with a located error.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def read_article(path: Path, limits: Limits = DEFAULT, *, max_bytes: int | None = None) -> Document:
    """Read one article; any problem a writer can make is a SourceError with line and column.

    ``max_bytes`` is a shortcut for ``limits.max_bytes``.
    """
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    text = _read_text(path, limits.max_bytes)
    front = split(text, path)
    fields = Fields(front, path)
    misspelt_key(front, path, KNOWN_KEYS)
    _refuse_control_characters(front.body, front.body_line, path)
    meta = Metadata(
        title=fields.text("title", required=True),
        lang=fields.language(),
        subtitle=fields.text("subtitle"),
        authors=fields.authors(),
        date=fields.date(),
        publisher=fields.text("publisher"),
        description=fields.text("description") or fields.text("abstract"),
        keywords=fields.text_list("keywords"),
        rights=fields.text("rights"),
        doi=fields.text("doi"),
        papersize=fields.papersize(),
        csl_style=fields.text("csl") or "apa",
    )
    article_dir = path.parent
    references_given = front.data.get("references")
    if isinstance(references_given, list) and len(references_given) > limits.max_references:
        raise fields.error("references", f"the article has {len(references_given):,} references, over the limit "
                           f"of {limits.max_references:,}")
    items = citations.validate(front.data.get("references"), front.item_lines.get("references", []),
                               path, front.lines.get("references", 2))
    style = citations.load_style(meta.csl_style, article_dir, path, front.lines.get("csl", 2))
    entries = citations.bibliography(items, front.item_lines.get("references", []), style, path)
    numbers = {entry.key: entry.number for entry in entries}
    used_ids = _Ids(RESERVED_IDS)  # shared by the body and the disclaimer, so no id is given twice
    ref_ids = {entry.key: used_ids.unique(reference_id(entry.key)) for entry in entries}

    body_reader = _BodyReader(path, front.body, front.body_line, numbers, prefix="", used_ids=used_ids,
                              limits=limits)
    body = body_reader.blocks()
    _require_text(body, front.body_line, path)
    disclaimer_text = fields.text("disclaimer")
    disclaimer: tuple[Block, ...] = ()
    if disclaimer_text:
        # The disclaimer's own lines are not the file's; errors point at its key instead.
        disclaimer_reader = _BodyReader(path, disclaimer_text, front.lines.get("disclaimer", 2), numbers,
                                        prefix="disclaimer-", used_ids=used_ids, limits=limits, fixed_line=True)
        disclaimer = disclaimer_reader.blocks()
        if disclaimer_reader.notes:
            raise SourceError(path, "the disclaimer cannot have footnotes", front.lines["disclaimer"], 1)

    cited_by: dict[str, list[str]] = {}
    for citation in body_reader.citations + (disclaimer_reader.citations if disclaimer_text else []):
        for key in citation.keys:
            cited_by.setdefault(key, []).append(citation.id)
    references = tuple(
        Reference(id=ref_ids[e.key], line=e.line, key=e.key, number=e.number, children=e.children,
                  csl_json=e.csl_json, cited_by=tuple(cited_by.get(e.key, ())))
        for e in entries
    )
    document = Document(
        source=str(path),
        slug=slug_of(path),
        meta=meta,
        body=transforms.normalise_headings(body, path),
        disclaimer=disclaimer,
        footnotes=body_reader.footnotes(),
        references=references,
        abbreviations=_abbreviations(fields, front.data.get("abbreviations")),
        figures_dir=str(article_dir),
    )
    # Every image is checked here, once, so a bad one is one error rather than one per edition.
    for figure in assets.figures(document):
        assets.resolve(document, figure, limits)
    return transforms.mark_abbreviations(document)


def slug_of(path: Path) -> str:
    """An article's slug is its folder's name (or the file's stem outside a folder of its own)."""
    name = path.parent.name if path.name == "article.md" else path.stem
    return slugify(name) or "article"


def reference_id(key: str) -> str:
    return "ref-" + re.sub(r"[^\w-]", "-", key)


class _Ids:
    """Ids given out so far, and for each base the last number tried: ten thousand headings
    called "Notes" cost ten thousand steps, not fifty million."""

    def __init__(self, reserved: frozenset[str]):
        self.used = set(reserved)
        self.tried: dict[str, int] = {}

    def unique(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... whichever is not used yet; it becomes used."""
        n = self.tried.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.tried[base] = n
        self.used.add(candidate)
        return candidate


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        outside = path.is_symlink() and path.resolve().parent != path.parent.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        raise SourceError(path, "cannot read the file: its links go round in a loop") from None
    if outside:
        raise SourceError(path, "the article is a link to a file outside its folder")
    try:
        # Non-blocking, so a FIFO named article.md cannot hang the build before fstat refuses it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SourceError(path, "the article is not a regular file")
            data = handle.read(max_bytes + 1)  # no more than allowed, whatever stat said
    except OSError as exc:
        raise SourceError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        size = max(len(data), _size(path))
        raise SourceError(path, f"the source is {size:,} bytes, over the limit of {max_bytes:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(path, "the file is not valid UTF-8 text", line, col) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(path, "the file contains a NUL character; is it a text file?", line, 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_control_characters(body: str, first_line: int, path: Path) -> None:
    """XML 1.0 forbids them, so no EPUB page could hold one (the front matter is checked as read)."""
    bad = CONTROL.search(body)
    if bad:
        before = body[: bad.start()]
        raise SourceError(path, f"the text contains the control character U+{ord(bad.group()):04X}, which no "
                          "edition can show; remove it", first_line + before.count("\n"),
                          bad.start() - before.rfind("\n"))


def _require_text(body: tuple[Block, ...], first_line: int, path: Path) -> None:
    """Every edition carries the article; with nothing to carry (only a title) the audio edition
    cannot even be levelled, so an empty body is the source's problem, and said as such."""
    if not any(isinstance(b, Paragraph | Heading | Figure | Table | CodeBlock) for b in walk_blocks(body)):
        raise SourceError(path, "the article has no text: write its body below the front matter's closing '---'",
                          first_line, 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _abbreviations(fields: Fields, value: Any) -> tuple[AbbreviationDef, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise fields.error("abbreviations", "'abbreviations' must map each term to its expansion")
    out = []
    for term, spec in value.items():
        if not isinstance(term, str | int | float) or not str(term).strip():
            raise fields.error("abbreviations", f"the abbreviation {term!r} needs a term such as 'WHO'")
        if isinstance(spec, str):
            expansion, spoken = spec, spec
        elif isinstance(spec, dict) and isinstance(spec.get("expansion"), str):
            expansion = spec["expansion"]
            spoken = spec["spoken"] if isinstance(spec.get("spoken"), str) else expansion
        else:
            raise fields.error("abbreviations", f"abbreviation '{term}' needs an 'expansion'")
        out.append(AbbreviationDef(str(term), expansion.strip(), spoken.strip()))
    return tuple(out)


class _BodyReader:
    """Turns markdown-it's token stream into model blocks, assigning stable ids on the way."""

    def __init__(self, path: Path, text: str, first_line: int, numbers: dict[str, int], prefix: str,
                 used_ids: _Ids, limits: Limits, fixed_line: bool = False):
        self.path = path
        self.lines = text.split("\n")
        self.first_line = first_line
        self.fixed_line = fixed_line
        self.numbers = numbers
        self.prefix = prefix
        self.counters: dict[str, int] = {}
        self.used_ids = used_ids
        self.max_depth = limits.max_depth
        self.depth = 0  # lists and quotes open around the current block
        self.citations: list[Citation] = []
        self.notes: dict[int, tuple[int, list[Block]]] = {}
        self.note_refs: dict[int, list[str]] = {}
        env: dict[str, Any] = {}
        self.tokens = _markdown(limits).parse(text, env)
        self.pos = 0

    # -- locations
    def line_of(self, token: Token | None) -> int:
        if self.fixed_line or token is None or token.map is None:
            return self.first_line
        return self.first_line + token.map[0]

    def locate(self, token: Token | None, needle: str | re.Pattern[str]) -> tuple[int, int]:
        """Line and column of ``needle`` in the source lines of ``token``'s block."""
        if token is not None and token.map is not None and not self.fixed_line:
            for offset in range(token.map[0], min(token.map[1], len(self.lines))):
                if isinstance(needle, str):
                    col = self.lines[offset].find(needle)
                else:
                    found = needle.search(self.lines[offset])
                    col = found.start() if found else -1
                if col >= 0:
                    return self.first_line + offset, col + 1
        return self.line_of(token), 1

    def fail(self, token: Token | None, needle: str | re.Pattern[str], message: str) -> SourceError:
        line, col = self.locate(token, needle)
        return SourceError(self.path, message, line, col)

    def new_id(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{self.prefix}{kind}-{self.counters[kind]}"

    def heading_id(self, text: str) -> str:
        base = self.prefix + (slugify(text) or "section")
        if GENERATED_ID.match(base):
            base = self.prefix + "section-" + slugify(text)
        return self.used_ids.unique(base)

    # -- blocks
    def blocks(self) -> tuple[Block, ...]:
        out = self._blocks_until(None)
        return tuple(out)

    def _next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _blocks_until(self, close: str | None) -> list[Block]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if close is not None and token.type == close:
                self.pos += 1
                return out
            block = self._block()
            if block is not None:
                out.append(block)
        return out

    def _block(self) -> Block | None:
        token = self._next()
        kind = token.type
        if kind == "heading_open":
            inline = self._next()
            self._next()
            children = self.inlines(inline)
            return Heading(self.heading_id(plain_text(children)), self.line_of(token), int(token.tag[1]), children)
        if kind == "paragraph_open":
            inline = self._next()
            self._next()
            return self._paragraph(token, inline)
        if kind in ("bullet_list_open", "ordered_list_open"):
            self._deeper(token)
            list_id = self.new_id("list")
            items: list[ListItem] = []
            close = kind.replace("_open", "_close")
            while self.tokens[self.pos].type != close:
                item_token = self._next()
                item_id = self.new_id("li")
                items.append(ListItem(item_id, self.line_of(item_token), tuple(self._blocks_until("list_item_close"))))
            self.pos += 1
            self.depth -= 1
            start = int(token.attrGet("start") or 1)
            return ListBlock(list_id, self.line_of(token), kind.startswith("ordered"), tuple(items), start)
        if kind == "blockquote_open":
            self._deeper(token)
            quote_id = self.new_id("quote")
            quote = BlockQuote(quote_id, self.line_of(token), tuple(self._blocks_until("blockquote_close")))
            self.depth -= 1
            return quote
        if kind in ("fence", "code_block"):
            return CodeBlock(self.new_id("code"), self.line_of(token), token.content.rstrip("\n"),
                             token.info.strip().split(" ")[0] if token.info else "")
        if kind == "hr":
            return ThematicBreak(self.new_id("hr"), self.line_of(token))
        if kind == "table_open":
            return self._table(token)
        if kind == "footnote_block_open":
            self._footnote_block()
            return None
        if kind == "html_block":  # unreachable with html off, kept as a guard
            return Paragraph(self.new_id("p"), self.line_of(token), (Text(token.content),))
        return None

    def _deeper(self, token: Token) -> None:
        """One more list or quote around what follows; past the limit, an error where it opens."""
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.fail(token, re.compile(r"\S"), f"lists and block quotes are nested more than {self.max_depth} "
                            "deep here")

    def _paragraph(self, token: Token, inline: Token) -> Block:
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            alt = image.content.strip()
            src = str(image.attrGet("src") or "")
            if not alt:
                raise self.fail(inline, "![", f"the image '{src}' has no alt text: write ![what it shows]({src})")
            caption = str(image.attrGet("title") or "")
            return Figure(self.new_id("fig"), self.line_of(token), src, alt, (Text(caption),) if caption else ())
        return Paragraph(self.new_id("p"), self.line_of(token), self.inlines(inline))

    def _table(self, token: Token) -> Table:
        header: list[TableCell] = []
        rows: list[tuple[TableCell, ...]] = []
        row: list[TableCell] = []
        while True:
            t = self._next()
            if t.type == "table_close":
                break
            if t.type == "tr_open":
                row = []
            elif t.type in ("th_open", "td_open"):
                style = str(t.attrGet("style") or "")
                align = style.removeprefix("text-align:") if style.startswith("text-align:") else ""
                inline = self._next()
                row.append(TableCell(self.inlines(inline), align))
            elif t.type == "tr_close":
                if not header:
                    header = row
                else:
                    rows.append(tuple(row))
        return Table(self.new_id("tbl"), self.line_of(token), tuple(header), tuple(rows))

    def _footnote_block(self) -> None:
        while self.pos < len(self.tokens):
            t = self._next()
            if t.type == "footnote_block_close":
                return
            if t.type == "footnote_open":
                note_index = int(t.meta["id"])
                line = self.line_of(self.tokens[self.pos]) if self.pos < len(self.tokens) else self.first_line
                self.notes[note_index] = (line, self._blocks_until("footnote_close"))

    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(
            Footnote(f"fn-{index + 1}", line, index + 1, tuple(self.note_refs.get(index, ())), tuple(blocks))
            for index, (line, blocks) in sorted(self.notes.items())
        )

    # -- inlines
    def inlines(self, inline: Token) -> tuple[Inline, ...]:
        children = inline.children or []
        # Checked before walking them: a few thousand nested '*' would exhaust the stack.
        if max((c.level for c in children), default=0) > self.max_depth:
            raise SourceError(self.path, f"emphasis, strong text and links are nested more than {self.max_depth} "
                              "deep here", self.line_of(inline), 1)
        return tuple(self._inline_seq(iter(children), None, inline))

    def _inline_seq(self, tokens: Iterator[Token], close: str | None, block: Token) -> list[Inline]:
        out: list[Inline] = []
        for t in tokens:
            kind = t.type
            if close is not None and kind == close:
                return out
            if kind == "text":
                out.extend(self._text_with_citations(t.content, block))
            elif kind == "softbreak":
                out.append(Text(" "))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "code_inline":
                out.append(Code(t.content))
            elif kind == "em_open":
                out.append(Emphasis(tuple(self._inline_seq(tokens, "em_close", block))))
            elif kind == "strong_open":
                out.append(Strong(tuple(self._inline_seq(tokens, "strong_close", block))))
            elif kind == "link_open":
                href = str(t.attrGet("href") or "")
                children = tuple(self._inline_seq(tokens, "link_close", block))
                # Only web, mail and in-page links stay live; anything else (javascript:, file:,
                # paths on disk) keeps its text and never becomes a link.
                if href.lower().startswith(SAFE_SCHEMES):
                    out.append(Link(href, children, str(t.attrGet("title") or "")))
                else:
                    out.extend(children)
            elif kind == "image":
                raise self.fail(block, "![", "an image must stand alone in its paragraph, where it becomes a figure")
            elif kind == "footnote_ref":
                index, sub = int(t.meta["id"]), int(t.meta.get("subId", 0))  # inline notes ^[...] have none
                ref_id = f"fnref-{index + 1}" + (f"-{sub + 1}" if sub else "")
                self.note_refs.setdefault(index, []).append(ref_id)
                out.append(FootnoteRef(ref_id, f"fn-{index + 1}", index + 1))
            elif kind == "footnote_anchor":
                continue
            else:
                out.append(Text(t.content))
        return out

    def _text_with_citations(self, text: str, block: Token) -> list[Inline]:
        out: list[Inline] = []
        pos = 0
        for match in CITATION.finditer(text):
            citation = self._citation(match.group(1), block)
            if citation is None:
                continue
            if match.start() > pos:
                out.append(Text(text[pos : match.start()]))
            out.append(citation)
            pos = match.end()
        if pos < len(text):
            out.append(Text(text[pos:]))
        return out

    def _citation(self, inner: str, block: Token) -> Citation | None:
        keys: list[str] = []
        locator = ""
        for part in inner.split(";"):
            match = CITE_KEY.match(part.strip())
            if match is None:
                return None  # not a citation after all, e.g. an e-mail address in brackets
            key = match.group(1)
            if key not in self.numbers:
                known = ", ".join(sorted(self.numbers)) or "none"
                # The key as a whole (not the start of a longer known key), at its citation.
                at_key = re.compile("@" + re.escape(key) + r"(?=\s*[,;\]])")
                raise self.fail(block, at_key, f"unknown citation key '@{key}' (known keys: {known})")
            keys.append(key)
            locator = locator or (match.group(2) or "").strip()
        self.counters["cite"] = self.counters.get("cite", 0) + 1
        citation = Citation(f"{self.prefix}cite-{self.counters['cite']}", tuple(keys),
                            tuple(self.numbers[k] for k in keys), locator)
        self.citations.append(citation)
        return citation

