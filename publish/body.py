"""The Markdown body, from Pandoc's JSON AST to model blocks, with stable ids and source lines
(found by publish.places), citations numbered and cross-references resolved."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from publish import crossrefs
from publish.errors import SourceError
from publish.folder import locate
from publish.frontmatter import LANGUAGE_TAG
from publish.ids import heading_base
from publish.math import mathml, spoken
from publish.model import (
    Block,
    BlockQuote,
    Citation,
    Code,
    CodeBlock,
    CrossRef,
    Emphasis,
    Equation,
    Figure,
    Footnote,
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
    SourceWarning,
    Strong,
    Styled,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)
from publish.pandoc_ast import first_words, flattened_citations, plain_text_of, source_order
from publish.places import SourcePlaces

SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")
ALIGN = {"AlignLeft": "left", "AlignCenter": "center", "AlignRight": "right"}
STYLES = {"Subscript": "subscript", "Superscript": "superscript", "Strikeout": "strikeout",
          "Underline": "underline", "SmallCaps": "smallcaps"}
QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}
# TeX commands that only lay out a printed page (or list what every edition lists itself): every
# edition lays itself out, so they go, one or several ("\\clearpage \\appendix").
_LAYOUT_COMMAND = (r"\\(?:(?:newpage|clearpage|cleardoublepage|pagebreak|nopagebreak|linebreak)(?:\[\d\])?|"
                   r"bigskip|medskip|smallskip|noindent|centering|raggedright|raggedleft|vfill|hfill|FloatBarrier|"
                   r"[vh]space\*?\{[^{}]*\}|setlength\{\\\w+\}\{[^{}]*\}|appendix|maketitle|tableofcontents|"
                   r"listof(?:figures|tables|listings))")
LAYOUT_TEX = re.compile(rf"^(?:{_LAYOUT_COMMAND}\s*)+$")
# Text symbols papers type as commands (a table of \checkmark): the character LaTeX prints.
TEXT_SYMBOLS = {"\\checkmark": "\u2713", "\\ding{51}": "\u2713", "\\ding{55}": "\u2717", "\\xmark": "\u2717",
                "\\texttimes": "\u00d7", "\\textdegree": "\u00b0", "\\textpm": "\u00b1", "\\textmu": "\u00b5",
                "\\dag": "\u2020", "\\ddag": "\u2021", "\\S": "\u00a7", "\\P": "\u00b6", "\\copyright": "\u00a9",
                "\\textregistered": "\u00ae", "\\texttrademark": "\u2122", "\\LaTeX": "LaTeX", "\\TeX": "TeX",
                "\\textbullet": "\u2022", "\\ldots": "\u2026", "\\dots": "\u2026", "\\textellipsis": "\u2026"}
# Text commands of one argument (or \href's two) that Pandoc's Markdown reader leaves raw
# ("\texttt{EnsembleKalmanProcesses.jl}" 29 times in one paper), as the Pandoc nodes they mean.
LATEX_MARKUP = re.compile(r"^\\(texttt|textbf|textit|emph|textsc|underline|textrm|textsf|textup|textnormal|mbox|"
                          r"text|url|href)\{([^{}]*)\}(?:\{([^{}]*)\})?(\s*)$")
# Macro definitions: Pandoc has already applied them to the math that uses them.
MACRO_DEFINITION = re.compile(r"^\s*\\(newcommand|renewcommand|providecommand|def|DeclareMathOperator)\b")

# What graphicx tries, in its order, for a file named without its extension (pdfLaTeX's list).
GRAPHICS_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".PDF", ".PNG", ".JPG", ".JPEG", ".svg")
CONTAINERS = frozenset({"BulletList", "OrderedList", "DefinitionList", "BlockQuote", "Div"})
HTML_COMMENT = re.compile(r"^\s*<!--.*-->\s*$", re.S)
HTML_CLOSING = re.compile(r"^\s*</")


@dataclass
class _Note:
    number: int
    line: int
    blocks: tuple[Block, ...]
    ref_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Links:
    """What citations and cross-references resolve against, shared by the body and disclaimer."""

    numbers: dict[str, int]  # bibliography key -> its entry's number
    author_text: Callable[[str], str]  # key -> how a sentence names the work
    known_keys: tuple[str, ...]  # every reference's key, cited or not, for messages
    labels: crossrefs.Labels
    lang: str
    expand_raw: Callable[[dict[str, Any]], list[dict[str, Any]] | None]  # raw LaTeX figure/table -> blocks
    formulas: dict[tuple[str, bool], mathml.Converted] = field(default_factory=dict)  # (TeX, display) -> MathML
    missing_files: tuple[str, ...] = ()  # bibliography files that are not there: why keys are unknown

    def unknown_key_message(self, key: str) -> str:
        """Why ``@key`` resolves to nothing, and what the editions show instead."""
        known = ", ".join(sorted(self.known_keys)) or "none"
        message = f"unknown citation key '@{key}': the editions show '{key}?', as Pandoc does (known keys: {known})"
        if self.missing_files:
            message += f"; the bibliography '{self.missing_files[0]}' is not in the article's folder"
        return message


class BodyTranslator:
    """One text's Pandoc blocks to model blocks; ids from ``prefix`` and the shared id pool."""

    def __init__(self, path: Path, places: SourcePlaces, prefix: str, unique_id: Callable[[str], str],
                 max_depth: int, links: Links):
        self.path = path
        self.places = places
        self.prefix = prefix
        self.unique_id = unique_id
        self.max_depth = max_depth
        self.links = links
        self.counters: dict[str, int] = {}
        self.depth = 0
        self.line = places.first_line  # the line of the block being translated
        self.citations: list[Citation] = []
        self.notes: dict[str, _Note] = {}  # by the note's content, so a note used twice is one note
        self.warnings: list[SourceWarning] = []
        self.anchors: dict[str, str] = {}  # label -> id of the element it names
        self.figure_count = 0
        self.table_count = 0
        self.equation_line = 0  # where the last equation was found, so the next is sought after it
        self.unknown_keys: set[str] = set()  # cited keys no reference has, each warned of once

    # -- ids, places, errors
    def new_id(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{self.prefix}{kind}-{self.counters[kind]}"

    def fail(self, needle: str | re.Pattern[str], message: str) -> SourceError:
        line, col = self.places.column(self.line, needle)
        return SourceError(self.path, message, line, col)

    def warn(self, needle: str | re.Pattern[str], message: str) -> None:
        line, col = self.places.column(self.line, needle)
        self.warnings.append(SourceWarning(str(self.path), line, col, message))

    def _enter(self, what: str) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.fail(re.compile(r"\S"), f"{what} are nested more than {self.max_depth} deep here")

    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(Footnote(f"fn-{note.number}", note.line, note.number, tuple(note.ref_ids), note.blocks)
                     for note in sorted(self.notes.values(), key=lambda n: n.number))

    # -- blocks
    def blocks(self, nodes: Iterable[dict[str, Any]], advance: bool = True) -> tuple[Block, ...]:
        out: list[Block] = []
        for node in nodes:
            out.extend(self.block(node, advance))
        return tuple(out)

    def block(self, node: dict[str, Any], advance: bool = True) -> Iterator[Block]:
        kind: str = node["t"]
        content: Any = node.get("c")
        self.line = self.places.block(first_words(node), advance, kind in CONTAINERS)
        line = self.line
        if kind == "Header":
            level, attr, inlines = content
            title = self.inlines(inlines)
            if not plain_text(title).strip():  # "## " alone: a heading with no name helps no one find anything
                self.warn(re.compile(r"#"), "a heading with no text is left out")
                return
            heading = Heading(self.heading_id(plain_text(title, notes=False)), line, level, title)
            self.anchor(crossrefs.attr_id(attr) + crossrefs.labels_in(inlines), heading.id)
            yield heading
        elif kind in ("Para", "Plain"):
            yield from self.paragraph(content, line)
        elif kind == "LineBlock":
            children: list[Inline] = []
            for index, row in enumerate(content):
                if index:
                    children.append(LineBreak())
                children.extend(self.inlines(row))
            yield Paragraph(self.new_id("p"), line, tuple(children))
        elif kind in ("BulletList", "OrderedList"):
            yield self.list_block(kind == "OrderedList", content, line)
        elif kind == "DefinitionList":
            yield self.definition_list(content, line)
        elif kind == "BlockQuote":
            self._enter("lists and block quotes")
            quote_id = self.new_id("quote")
            yield BlockQuote(quote_id, line, self.blocks(content, advance))
            self.depth -= 1
        elif kind == "CodeBlock":
            (_ident, classes, _kv), text = content
            yield CodeBlock(self.new_id("code"), line, text.rstrip("\n"), classes[0] if classes else "")
        elif kind == "HorizontalRule":
            yield ThematicBreak(self.new_id("hr"), self.places.rule())
        elif kind == "Table":
            yield self.table(content, line)
        elif kind == "Figure":
            yield from self.figure(content, line)
        elif kind == "Div":
            self._enter("sections")
            lang = dict(map(tuple, content[0][2])).get("lang", "").strip()
            block_id = self.new_id("lang") if lang and LANGUAGE_TAG.match(lang) else ""
            inner = self.blocks(content[1], advance)
            if inner:  # a Div's id labels what it holds: LaTeX's reader wraps a \label-led table so
                self.anchor(crossrefs.attr_id(content[0]), inner[0].id)
            if block_id:
                yield LanguageBlock(block_id, line, lang, inner)
            else:
                yield from inner
            self.depth -= 1
        elif kind == "RawBlock":
            yield from self.raw_block(content[0], content[1], line)

    def heading_id(self, text: str) -> str:
        return self.unique_id(heading_base(self.prefix, text))

    def paragraph(self, inlines: list[dict[str, Any]], line: int) -> Iterator[Block]:
        visible = [n for n in inlines if n["t"] not in ("Space", "SoftBreak")]
        if len(visible) == 1 and visible[0]["t"] == "RawInline" and visible[0]["c"][0] in ("tex", "latex"):
            fmt, text = visible[0]["c"]
            yield from self.raw_block(fmt, text, line)  # "\includegraphics{x}" alone is a block
            return
        if len(visible) == 1 and visible[0]["t"] == "Image":
            # Alone in its paragraph but no figure for Pandoc (no description, or a trailing \):
            # a figure all the same, its title (if any) as the caption.
            src, alt, missing = self.image(visible[0]["c"], ())
            title = visible[0]["c"][2][1]
            yield Figure(self.new_id("fig"), line, src, alt, (Text(title),) if title else (), missing)
            return
        for part in _split_at_display_math(inlines):
            if crossrefs.is_display_math(part[0]):
                yield self.equation(part, line)
                continue
            children = _strip(self.inlines(part))
            if children and not (len(children) == 1 and isinstance(children[0], Text)
                                 and not children[0].text.strip(".,;: ")):
                paragraph = Paragraph(self.new_id("p"), line, children)
                self.anchor(crossrefs.labels_in(part), paragraph.id)  # a \label in running text
                yield paragraph

    def equation(self, nodes: list[dict[str, Any]], line: int) -> Equation:
        """Display math (and its pandoc-crossref label, if any) as a block: numbered when labelled."""
        tex = nodes[0]["c"][1]
        labels = crossrefs.LABEL.findall(tex) + crossrefs.equation_label(nodes[1:])
        targets = [self.links.labels.targets[label] for label in labels if label in self.links.labels.targets]
        # Its own line, inside a paragraph: the first words of its TeX, after the previous equation.
        needle = next((row.strip()[:30] for row in tex.splitlines() if row.strip() and not row.strip().startswith(
            "\\begin")), tex.strip()[:30])
        line = self.places.column(max(line, self.equation_line + 1), needle)[0]
        self.equation_line = line
        equation = Equation(self.new_id("eq"), line, self.math(tex, True), targets[0].number if targets else 0)
        self.anchor(labels, equation.id)
        return equation

    def list_block(self, ordered: bool, content: Any, line: int) -> ListBlock:
        self._enter("lists and block quotes")
        start, items = (content[0][0], content[1]) if ordered else (1, content)
        list_id = self.new_id("list")
        out = []
        for item in items:
            item_id = self.new_id("li")
            item_line = self.places.block(first_words({"t": "Div", "c": [["", [], []], item]}), container=True)
            out.append(ListItem(item_id, item_line, self.blocks(item)))
        self.depth -= 1
        return ListBlock(list_id, line, ordered, tuple(out), start)

    def definition_list(self, content: Any, line: int) -> ListBlock:
        """A term and its definitions: a list whose items start with the term, in bold."""
        self._enter("lists and block quotes")
        list_id = self.new_id("list")
        items = []
        for term, definitions in content:
            item_id = self.new_id("li")
            blocks: list[Block] = [Paragraph(self.new_id("p"), self.line, (Strong(self.inlines(term)),))]
            for definition in definitions:
                blocks.extend(self.blocks(definition))
            items.append(ListItem(item_id, self.line, tuple(blocks)))
        self.depth -= 1
        return ListBlock(list_id, line, False, tuple(items))

    def table(self, content: Any, line: int) -> Table:
        attr, caption, colspecs, head, bodies, foot = content
        aligns = [ALIGN.get(spec[0]["t"], "") for spec in colspecs]

        def row_cells(row: Any) -> tuple[TableCell, ...]:
            cells = []
            for index, cell in enumerate(row[1]):
                _cattr, align, _rows, _cols, blocks = cell
                cells.append(TableCell(self.cell_inlines(blocks), ALIGN.get(align["t"], "") or
                                       (aligns[index] if index < len(aligns) else "")))
            return tuple(cells)

        head_rows = [row_cells(r) for r in head[1]]
        body_rows = [row_cells(r) for body in bodies for r in (*body[2], *body[3])]
        body_rows += [row_cells(r) for r in foot[1]]
        header = head_rows[0] if head_rows else ()
        rows = tuple(head_rows[1:] + body_rows)
        self.table_count += 1
        caption_inlines = self.numbered("table", self.table_count, self.cell_inlines(caption[1]))
        table = Table(self.new_id("tbl"), line, header, rows, caption_inlines)
        self.anchor(crossrefs.attr_id(attr) + crossrefs.labels_in(caption), table.id)
        return table

    def cell_inlines(self, blocks: list[dict[str, Any]]) -> tuple[Inline, ...]:
        """The inline content of a few blocks (a cell, a caption), blocks joined by a line break."""
        out: list[Inline] = []
        for node in blocks:
            is_text = node["t"] in ("Para", "Plain")
            inlines = self.inlines(node["c"]) if is_text else (Text(plain_text_of(node)),)
            if out and inlines:
                out.append(LineBreak())
            out.extend(inlines)
        if out and isinstance(out[-1], Text):  # a \label at the end leaves its space behind
            out[-1] = Text(out[-1].text.rstrip())
        return tuple(node for node in out if not (isinstance(node, Text) and not node.text))

    def figure(self, content: Any, line: int) -> Iterator[Block]:
        attr, caption, blocks = content
        self.figure_count += 1
        plain_caption = self.cell_inlines(caption[1])
        caption_inlines = self.numbered("figure", self.figure_count, plain_caption)
        images = [n for n in source_order(blocks) if n.get("t") == "Image"]
        if not images:
            yield from self.blocks(blocks)
            return
        for index, image in enumerate(images):
            src, alt, missing = self.image(image["c"], plain_caption)
            figure = Figure(self.new_id("fig"), line, src, alt, caption_inlines if index == len(images) - 1 else (),
                            missing)
            if index == 0:
                self.anchor(crossrefs.attr_id(attr) + crossrefs.labels_in(caption) + crossrefs.labels_in(blocks),
                            figure.id)
            yield figure

    def text_only(self, inlines: list[dict[str, Any]]) -> str:
        """The plain text of inlines that are not shown as such (an image's description, which
        Pandoc also makes its caption): citations, notes and warnings in it are not counted twice."""
        citations, warnings = len(self.citations), len(self.warnings)
        counters, notes = dict(self.counters), dict(self.notes)
        text = plain_text(self.inlines(inlines)).strip()
        del self.citations[citations:], self.warnings[warnings:]  # the shown copy warns
        self.counters, self.notes = counters, notes
        return text

    def numbered(self, kind: str, number: int, caption: tuple[Inline, ...]) -> tuple[Inline, ...]:
        """A caption with its number in front, "Figure 2: ...", as the references call it."""
        prefix = crossrefs.caption_prefix(kind, number, self.links.lang, plain_text(caption))
        return _merge_text([Text(prefix), *caption]) if prefix else caption

    def anchor(self, labels: list[str], element_id: str) -> None:
        for label in labels:
            self.anchors.setdefault(label, element_id)

    def image(self, content: Any, caption: tuple[Inline, ...]) -> tuple[str, str, str]:
        """An image's source, text alternative and, if it cannot be shown, why not.

        The text alternative is the ``alt`` attribute, else the description (Pandoc's rule),
        else the caption, else the file's name, each fallback with a warning: a PDF/UA figure
        must have one, and a remote image is never fetched."""
        (_ident, _classes, kv), description, (src, _title) = content
        alt = dict(map(tuple, kv)).get("alt") or self.text_only(description)
        if not alt:
            alt = plain_text(caption).strip()
            if alt:
                self.warn(src, f"the image '{src}' has no text alternative; its caption stands in: write "
                          f"![what it shows]({src})")
        if not alt:
            alt = f"Image {src.rsplit('/', 1)[-1]}"
            self.warn(src, f"the image '{src}' has no text alternative, so readers who cannot see it learn nothing "
                      f"but its name: write ![what it shows]({src})")
        missing = ""
        if not PurePosixPath(src).suffix:  # LaTeX's \includegraphics{plot} finds plot.pdf, plot.png...
            src = next((candidate for candidate in (src + suffix for suffix in GRAPHICS_SUFFIXES)
                        if locate(candidate, self.path.parent)[2]), src)
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", src, re.I) and not src.lower().startswith("file:"):
            missing = f"Image not included: it is on the network ({src}), and images are never fetched."
            self.warn(src, f"the image '{src}' is not in the article's folder: images are never fetched from the "
                      "network, so the editions show its description in its place")
        return src, alt, missing

    def raw_block(self, fmt: str, text: str, line: int) -> Iterator[Block]:
        if fmt == "html" and HTML_COMMENT.match(text):
            return
        if fmt not in ("tex", "latex", "html"):  # for another output: Pandoc leaves it out of HTML and EPUB
            self.warn(text.strip()[:20], f"a raw block for '{fmt}' is left out, as Pandoc leaves it out of every "
                      "edition this toolkit makes")
            return
        if fmt in ("tex", "latex") and LAYOUT_TEX.match(text.strip()):
            return
        if fmt in ("tex", "latex") and MACRO_DEFINITION.match(text):
            return
        if fmt in ("tex", "latex") and crossrefs.MATH_ENVIRONMENT.match(text):
            yield self.equation([{"t": "RawInline", "c": [fmt, text]}], line)
            return
        if fmt in ("tex", "latex"):
            expanded = self.links.expand_raw({"t": "RawBlock", "c": [fmt, text]})
            if expanded:  # a raw table or figure environment: Pandoc's LaTeX reader makes it real
                yield from self.blocks(expanded, advance=False)
                return
            self.warn(text.strip()[:20], f"raw LaTeX is shown as it is written: {_short(text)}")
        yield Paragraph(self.new_id("p"), line, (Text(text.strip()),))

    # -- inlines
    def inlines(self, nodes: list[dict[str, Any]]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for index, node in enumerate(nodes):
            if node["t"] == "Space" and _label_ends_phrase(nodes[index + 1 : index + 3]):
                continue  # "wavelengths \label{x}." reads "wavelengths.", not "wavelengths ."
            out.extend(self.inline(node))
        return _merge_text(out)

    def _nested(self, nodes: list[dict[str, Any]]) -> tuple[Inline, ...]:
        self._enter("emphasis, strong text and links")
        children = self.inlines(nodes)
        self.depth -= 1
        return children

    def inline(self, node: dict[str, Any]) -> Iterator[Inline]:
        kind: str = node["t"]
        content: Any = node.get("c")
        if kind == "Str":
            yield Text(content)
        elif kind in ("Space", "SoftBreak"):
            yield Text(" ")
        elif kind == "LineBreak":
            yield LineBreak()
        elif kind == "Emph":
            yield Emphasis(self._nested(content))
        elif kind == "Strong":
            yield Strong(self._nested(content))
        elif kind in STYLES:
            yield Styled(STYLES[kind], self._nested(content))
        elif kind == "Quoted":
            opening, closing = QUOTES[content[0]["t"]]
            yield Text(opening)
            yield from self._nested(content[1])
            yield Text(closing)
        elif kind == "Code":
            yield Code(content[1])
        elif kind == "Math":
            yield self.math(content[1], content[0]["t"] == "DisplayMath")
        elif kind == "RawInline":
            yield from self.raw_inline(content[0], content[1])
        elif kind == "Link":
            _attr, children, (href, title) = content
            inner = self._nested(children)
            # Only web, mail and in-page links stay live; anything else (javascript:, file:,
            # paths on disk) keeps its text and never becomes a link.
            if href.lower().startswith(SAFE_SCHEMES):
                yield Link(href, inner, title)
            else:
                yield from inner
        elif kind == "Image":
            src, alt, missing = self.image(content, ())
            yield Image(src, alt, self.line, missing)
        elif kind == "Note":
            yield self.note(content)
        elif kind == "Span":
            lang = dict(map(tuple, content[0][2])).get("lang", "").strip()
            if lang and LANGUAGE_TAG.match(lang):
                yield LanguageSpan(lang, self._nested(content[1]))
            else:
                yield from self._nested(content[1])
        elif kind == "Cite":
            ids = [item["citationId"] for item in content[0]]
            if all(crossrefs.CROSSREF_KEY.match(i) and i not in self.links.numbers for i in ids):
                mode = content[0][0]["citationMode"]["t"]
                yield from self.crossref(ids, "suppress-author" if mode == "SuppressAuthor" else "autoref",
                                         plain_text_of(content[1]))
            else:
                yield from self.citation(content[0])

    def math(self, tex: str, display: bool) -> Math:
        """A formula ($..$, $$..$$, a raw equation environment) with its MathML and spoken form;
        one Pandoc cannot convert is kept as TeX, with a warning that says why."""
        shown = mathml.without_placing(tex)
        converted = self.links.formulas.get((tex, display)) or mathml.convert([(tex, display)])[0]
        if converted.mathml:
            return Math(shown, converted.mathml, spoken.spoken(converted.mathml, self.links.lang), display)
        macro = mathml.undefined_macro(converted.problem)
        why = f"{macro} is not a macro Pandoc knows (define it with \\newcommand)" if macro else converted.problem
        self.warn(macro or shown[:20], f"the formula {_short(shown)} is shown as TeX: {why}")
        return Math(shown, "", spoken.spoken_tex(shown, self.links.lang), display, converted.problem)

    def raw_inline(self, fmt: str, text: str) -> Iterator[Inline]:
        if fmt == "html" and HTML_COMMENT.match(text):
            return
        if fmt == "html" and (tex := mathml.math_image(text)):
            yield self.math(tex, False)
            return
        if fmt in ("tex", "latex"):
            if LAYOUT_TEX.match(text.strip()) or crossrefs.LABEL.fullmatch(text.strip()):
                return  # a label is where a reference points, nothing to show
            if MACRO_DEFINITION.match(text):
                return
            if crossrefs.MATH_ENVIRONMENT.match(text):
                yield self.math(text, True)
                return
            ref = crossrefs.REF.match(text.strip())
            if ref:
                yield from self.crossref([label.strip() for label in ref.group(2).split(",")], ref.group(1).lower(),
                                         text)
                return
            markup = _latex_markup(text)
            if markup is not None:  # \texttt{x}, \emph{x}, \url{x}...: what Pandoc's LaTeX reader makes of it
                yield from self.inlines(markup)
                return
            symbol = TEXT_SYMBOLS.get(text.strip().removesuffix("{}"))
            if symbol:  # Pandoc keeps the space a command swallows ("\\checkmark "): it is the text's
                yield Text(symbol + (" " if text[-1:].isspace() else ""))
                return
            self.warn(text[:20], f"raw LaTeX is shown as it is written: {_short(text)}")
        elif fmt == "html" and not HTML_CLOSING.match(text):  # said once, at the opening tag
            self.warn(text[:20], f"raw HTML is shown as text, never rendered: {_short(text)}")
        yield Text(text)

    def crossref(self, labels: list[str], command: str, written: str) -> Iterator[Inline]:
        for index, label in enumerate(labels):
            if index:
                yield Text(", ")
            target = self.links.labels.targets.get(label)
            if target is None:
                self.warn(label, f"'{written.strip()}' refers to '{label}', which no figure, table, equation or "
                          "heading is labelled with; the label is shown instead")
                yield Text(f"[{label}]")
            else:
                yield CrossRef(label, crossrefs.reference_text(target, self.links.lang, command))

    def note(self, blocks: list[dict[str, Any]]) -> FootnoteRef:
        key = json.dumps(blocks, sort_keys=True)
        note = self.notes.get(key)
        if note is None:
            saved_line, saved_counters = self.line, dict(self.counters)
            # Notes are written apart from where they are called: look for them without moving
            # the cursor, and give their blocks ids of their own.
            self.counters = {}
            self.prefix, saved_prefix = f"{self.prefix}fn-{len(self.notes) + 1}-", self.prefix
            translated = self.blocks(blocks, advance=False)
            note_line = self.line
            self.prefix, self.counters, self.line = saved_prefix, saved_counters, saved_line
            note = _Note(len(self.notes) + 1, note_line, translated)
            self.notes[key] = note
        ref_id = f"{self.prefix}fnref-{note.number}" + (f"-{len(note.ref_ids) + 1}" if note.ref_ids else "")
        note.ref_ids.append(ref_id)
        return FootnoteRef(ref_id, f"fn-{note.number}", note.number)

    def citation(self, items: list[dict[str, Any]]) -> Iterator[Inline]:
        """The citation of the keys the bibliography has, then any it lacks as Pandoc shows
        them, "(key?)", each with a warning the first time: a draft still builds."""
        keys: list[str] = []
        prefixes: list[str] = []
        locators: list[str] = []
        mode = "normal"
        unknown: list[str] = []
        for item in flattened_citations(items):
            key = item["citationId"]
            if key not in self.links.numbers:
                if key not in self.unknown_keys:
                    self.unknown_keys.add(key)
                    at_key = re.compile("@{?" + re.escape(key) + r"(?!\w|[:.#$%&\-+?<>~/]\w)")  # "@c." ends at "."
                    self.warn(at_key, self.links.unknown_key_message(key))
                unknown.append(key)
                narrative = item["citationMode"]["t"] == "AuthorInText"
                continue
            keys.append(key)
            prefix = self.text_only(item["citationPrefix"])
            suffix = self.text_only(item["citationSuffix"]).strip(" ,;")
            prefixes += [prefix] if prefix else []
            locators += [suffix] if suffix else []
            mode = {"AuthorInText": "author-in-text", "SuppressAuthor": "suppress-author"}.get(
                item["citationMode"]["t"], mode)
        if keys:
            self.counters["cite"] = self.counters.get("cite", 0) + 1
            citation = Citation(
                id=f"{self.prefix}cite-{self.counters['cite']}",
                keys=tuple(keys),
                numbers=tuple(self.links.numbers[k] for k in keys),
                locator="; ".join(locators),
                prefix=" ".join(prefixes),
                mode=mode,
                authors=self.links.author_text(keys[0]) if mode == "author-in-text" else "",
            )
            self.citations.append(citation)
            yield citation
        if unknown:
            shown = "; ".join(f"{key}?" for key in unknown)
            yield Text(f" ({shown})" if keys else shown if narrative and len(unknown) == 1 else f"({shown})")


def _label_ends_phrase(following: list[dict[str, Any]]) -> bool:
    """Whether a ``\\label`` comes next and nothing but punctuation (or the end) after it."""
    if not following or following[0]["t"] != "RawInline" or not crossrefs.LABEL.fullmatch(following[0]["c"][1].strip()):
        return False
    return len(following) == 1 or (following[1]["t"] == "Str" and following[1]["c"][:1] in ".,;:)")


def _split_at_display_math(inlines: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A paragraph's inlines cut around its display math, each formula a part of its own that
    starts with the formula and holds its pandoc-crossref label, if one follows."""
    parts: list[list[dict[str, Any]]] = [[]]
    for index, node in enumerate(inlines):
        if crossrefs.is_display_math(node):
            parts += [[node], []]
        elif len(parts) >= 2 and crossrefs.is_display_math(parts[-2][0]) and len(parts[-2]) == 1 \
                and crossrefs.equation_label(inlines[index : index + 1]) \
                and all(n["t"] in ("Space", "SoftBreak") for n in parts[-1]):
            parts[-2].append(node)  # its label: $$ x $$ {#eq:name}
        else:
            parts[-1].append(node)
    return [part for part in parts if part]


def _strip(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inlines without the white space a cut left at their ends."""
    out = list(nodes)
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return tuple(node for node in out if not (isinstance(node, Text) and not node.text))


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, CrossRef) and out and isinstance(out[-1], Text):
            node = _unrepeated(out[-1].text, node)
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _unrepeated(before: str, reference: CrossRef) -> CrossRef:
    """"Figure @fig:x" (or "Fig. \\autoref{fig:x}") reads "Figure 2", not "Figure Figure 2": where
    the text already names the kind, the reference gives the number only."""
    name, _, number = reference.text.partition(" ")
    words = before.rstrip().split()
    if not number or not before[-1:].isspace() or not words:
        return reference
    written = words[-1].rstrip(".").casefold()
    if len(written) >= 2 and name.casefold().startswith(written):
        return dataclasses.replace(reference, text=number)
    return reference


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _latex_markup(text: str) -> list[dict[str, Any]] | None:
    """The Pandoc inlines a one-argument LaTeX text command stands for, or None."""
    found = LATEX_MARKUP.match(text)
    if found is None or (found.group(3) is not None) != (found.group(1) == "href"):
        return None
    command, argument, second, space = found.groups()
    words: list[dict[str, Any]] = [{"t": "Str", "c": argument}]
    nodes: dict[str, dict[str, Any]] = {
        "texttt": {"t": "Code", "c": [["", [], []], argument]}, "textbf": {"t": "Strong", "c": words},
        "textit": {"t": "Emph", "c": words}, "emph": {"t": "Emph", "c": words},
        "textsc": {"t": "SmallCaps", "c": words}, "underline": {"t": "Underline", "c": words},
        "url": {"t": "Link", "c": [["", [], []], words, [argument, ""]]},
        "href": {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": second or argument}], [argument, ""]]},
    }
    return [nodes.get(command, words[0]), *([{"t": "Space"}] if space else [])]
