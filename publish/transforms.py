"""Transforms over the model: heading levels and abbreviations."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    SourceWarning,
    Text,
    walk_blocks,
)


def normalise_headings(body: tuple[Block, ...], path: Path) -> tuple[tuple[Block, ...], list[SourceWarning]]:
    """Heading levels as every edition needs them: the top level is 2 (the title is 1), none
    skipped and none deeper than 6; with a warning for each heading moved to get there.

    Pandoc articles start their body at ``#`` or ``##``, and Pandoc takes any order of
    levels: a published paper with ``###`` under ``#`` builds, its ``###`` read as the level
    below the ``#``, as a screen reader's outline needs it.
    """
    headings = [b for b in walk_blocks(body) if isinstance(b, Heading)]  # in lists and quotes too
    if not headings:
        return body, []
    base = min(h.level for h in headings)
    levels: dict[str, int] = {}
    warnings: list[SourceWarning] = []
    previous = 1  # the title's
    for heading in headings:
        wanted = heading.level - base + 2
        level = min(wanted, previous + 1, 6)
        if level != wanted:
            was = "deeper than level 6 once the title takes level 1" if wanted > 6 else (
                f"a level-{heading.level} heading right under a level-{previous + base - 2} one"
                if previous > 1 else f"the first heading is level {heading.level}")
            warnings.append(SourceWarning(str(path), heading.line, 1, f"{was}: the editions take it as level "
                                          f"{level + base - 2}, so that no level is skipped"))
        levels[heading.id] = level
        previous = level
    return _set_levels(body, levels), warnings


def _set_levels(blocks: tuple[Any, ...], levels: dict[str, int]) -> tuple[Any, ...]:
    out: list[Any] = []
    for b in blocks:
        if isinstance(b, Heading):
            b = dataclasses.replace(b, level=levels.get(b.id, b.level))
        elif isinstance(b, ListBlock):
            b = dataclasses.replace(b, items=_set_levels(b.items, levels))
        elif isinstance(b, ListItem | BlockQuote | LanguageBlock):
            b = dataclasses.replace(b, blocks=_set_levels(b.blocks, levels))
        out.append(b)
    return tuple(out)


def shift_headings(blocks: tuple[Any, ...], shift: int) -> tuple[Any, ...]:
    """The blocks with every heading ``shift`` levels deeper (up, when negative)."""
    return _set_levels(blocks, {h.id: h.level + shift for h in walk_blocks(blocks) if isinstance(h, Heading)})


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
        abstract=rewrite(document.abstract),
    )
