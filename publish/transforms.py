"""Transforms over the model: heading levels and abbreviations."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publish.errors import SourceError
from publish.model import (
    Abbreviation,
    Block,
    BlockQuote,
    CrossRef,
    Document,
    Heading,
    Inline,
    LanguageBlock,
    Link,
    ListBlock,
    ListItem,
    Text,
    walk_blocks,
)


def normalise_headings(body: tuple[Block, ...], path: Path) -> tuple[Block, ...]:
    """Shift body headings so the top level is 2 (the title is 1) and refuse level jumps.

    Pandoc articles start their body at ``#`` or ``##``; both are accepted.
    """
    headings = [b for b in walk_blocks(body) if isinstance(b, Heading)]  # in lists and quotes too
    if not headings:
        return body
    base = headings[0].level
    if base > 2:
        raise SourceError(path, f"the first heading is level {base}; start the body's headings at # or ##",
                          headings[0].line, 1)
    previous = base
    for heading in headings:
        if heading.level < base:
            raise SourceError(path, f"a level-{heading.level} heading after level-{base} headings: "
                              "the title is the only heading above them", heading.line, 1)
        if heading.level > previous + 1:
            raise SourceError(path, f"the heading level jumps from {previous} to {heading.level}; "
                              f"use level {previous + 1} here", heading.line, 1)
        previous = heading.level
    shift = 2 - base
    if shift == 0:
        return body
    too_deep = [h for h in headings if h.level + shift > 6]
    if too_deep:
        raise SourceError(path, "headings go deeper than level 6 once the title takes level 1", too_deep[0].line, 1)
    return shift_headings(body, shift)


def shift_headings(blocks: tuple[Any, ...], shift: int) -> tuple[Any, ...]:
    """The blocks with every heading ``shift`` levels deeper (up, when negative)."""
    out: list[Any] = []
    for b in blocks:
        if isinstance(b, Heading):
            b = dataclasses.replace(b, level=b.level + shift)
        elif isinstance(b, ListBlock):
            b = dataclasses.replace(b, items=shift_headings(b.items, shift))
        elif isinstance(b, ListItem | BlockQuote | LanguageBlock):
            b = dataclasses.replace(b, blocks=shift_headings(b.blocks, shift))
        out.append(b)
    return tuple(out)


def mark_abbreviations(document: Document) -> Document:
    """Wrap every whole-word use of a declared abbreviation in an Abbreviation node."""
    if not document.abbreviations:
        return document
    by_term = {a.term: a for a in document.abbreviations}
    terms = "|".join(re.escape(t) for t in sorted(by_term, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)({terms})(?!\w)")

    def mark(node: Inline) -> list[Inline]:
        if not isinstance(node, Text):
            return [node]
        out: list[Inline] = []
        pos = 0
        for match in pattern.finditer(node.text):
            if match.start() > pos:
                out.append(Text(node.text[pos : match.start()]))
            a = by_term[match.group()]
            out.append(Abbreviation(a.term, a.expansion, a.spoken))
            pos = match.end()
        if pos < len(node.text):
            out.append(Text(node.text[pos:]))
        return out

    return map_inlines(document, mark, into_links=False)  # a URL's text must stay as written


def resolve_crossrefs(document: Document, anchors: dict[str, str]) -> Document:
    """Point each cross-reference, written with its label, at the id of the element it names."""

    def resolve(node: Inline) -> list[Inline]:
        if not isinstance(node, CrossRef):
            return [node]
        target = anchors.get(node.target)
        return [dataclasses.replace(node, target=target)] if target else [Text(node.text)]

    return map_inlines(document, resolve)


def map_inlines(document: Document, change: Callable[[Inline], list[Inline]], into_links: bool = True) -> Document:
    """The document with every inline node (text, captions, cells, notes, references) changed."""

    def inlines(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for node in nodes:
            if isinstance(node, Link) and not into_links:
                out.append(node)
            elif hasattr(node, "children"):
                out.extend(change(dataclasses.replace(node, children=inlines(node.children))))  # type: ignore[arg-type]
            else:
                out.extend(change(node))
        return tuple(out)

    def rewrite(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(rewrite(v) for v in value)
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return value
        changes = {}
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            if f.name in ("children", "caption"):
                changes[f.name] = inlines(current)
            elif f.name in ("blocks", "items", "header", "rows"):
                changes[f.name] = rewrite(current)
        return dataclasses.replace(value, **changes) if changes else value

    return dataclasses.replace(
        document,
        body=rewrite(document.body),
        disclaimer=rewrite(document.disclaimer),
        footnotes=rewrite(document.footnotes),
        references=rewrite(document.references),
        appendix=rewrite(document.appendix),
    )
