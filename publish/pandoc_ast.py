"""Pandoc's JSON AST: walks over it and the words of its nodes, shared by the reader's passes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every AST node inside ``value``, in document order."""
    return _nodes(value, lambda item: list(item.values()))


def source_order(value: Any, notes: bool = False) -> Iterator[dict[str, Any]]:
    """Every AST node inside ``value``, in source order: a citation as written, a figure as its
    image, a table as its cells, a note's call without its text (written elsewhere)."""

    def children(item: dict[str, Any]) -> list[Any]:
        kind = item.get("t")
        if kind == "Cite":
            return [item["c"][1]]
        if kind == "Figure":
            return [item["c"][2]]  # its caption is the image's description again
        if kind == "Table":
            return [item["c"][3:]]  # its cells: the caption may stand before or after them
        return [] if kind == "Note" and not notes else list(item.values())

    return _nodes(value, children)


def _nodes(value: Any, children: Callable[[dict[str, Any]], list[Any]]) -> Iterator[dict[str, Any]]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "t" in item:
                yield item
            stack.extend(reversed(children(item)))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def plain_text_of(node: Any) -> str:
    """The words of any AST value: enough to find it in the source or show it."""
    parts: list[str] = []
    for item in source_order(node):
        kind: str = item["t"]
        content: Any = item.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Code", "CodeBlock", "Math", "RawInline", "RawBlock"):
            parts.append(content[1])
        else:
            parts.append(" ")  # block, cell and markup boundaries separate words
    return " ".join("".join(parts).split())


def first_words(node: dict[str, Any]) -> str:
    return plain_text_of(node)[:200]


def flattened_citations(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Citation items with those written inside another's suffix taken out and listed after it:
    ``[@a, @b, @c]`` (commas where Pandoc wants semicolons) is one item "a" whose suffix holds
    two more citations, and means "a, b and c"."""
    out: list[dict[str, Any]] = []
    for item in items:
        suffix = item["citationSuffix"]
        inner = [node for node in suffix if node["t"] == "Cite"]
        out.append({**item, "citationSuffix": [node for node in suffix if node["t"] != "Cite"]})
        for cite in inner:  # written bare ("@b"), but meant as the outer item is (in brackets)
            out.extend({**nested, "citationMode": item["citationMode"]} for nested in flattened_citations(cite["c"][0]))
    return out


def cited_keys(ast: Any) -> set[str]:
    """The keys every citation of a Pandoc AST names."""
    return {citation["citationId"] for node in source_order(ast, notes=True) if node["t"] == "Cite"
            for citation in flattened_citations(node["c"][0])}


# Headings papers give the section Pandoc fills with the bibliography.
BIBLIOGRAPHY_TITLES = frozenset({"references", "bibliography", "literature cited", "works cited", "literature",
                                 "referencias", "bibliografía", "références", "bibliographie", "literatur",
                                 "literaturverzeichnis", "riferimenti", "bibliografia", "referências",
                                 "referenties", "literatuur"})


def split_at_bibliography(blocks: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The blocks before the place of the bibliography and those after it (an appendix).

    The place is Pandoc's: a ``::: {#refs}`` div (the last one). Else it is the paper's own
    last References section when it is empty, wherever it stands: Pandoc would leave that
    section empty and list the works at the very end, after an appendix, which no author means.
    The paper's empty References heading goes: every edition titles the bibliography itself.
    Else the bibliography comes at the end, after everything.
    """
    for index in range(len(blocks) - 1, -1, -1):
        node = blocks[index]
        if node["t"] == "Div" and node["c"][0][0] == "refs":
            before = blocks[:index]
            if node["c"][1]:  # text the author put in the div stays, before the works
                before += node["c"][1]
            else:  # the heading over it, past raw TeX that only sets the page (\setlength, \noindent)
                heading = next((i for i in range(len(before) - 1, -1, -1) if not _only_raw(before[i])), None)
                if heading is not None and _is_bibliography_heading(before[heading]):
                    before = before[:heading] + before[heading + 1:]
            return before, blocks[index + 1:]
    for index in range(len(blocks) - 1, -1, -1):
        node = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if _is_bibliography_heading(node) and (
                following is None or (following["t"] == "Header" and following["c"][0] <= node["c"][0])):
            return blocks[:index], blocks[index + 1:]
    return blocks, []


def _only_raw(node: dict[str, Any]) -> bool:
    """A raw block, or a paragraph of raw inlines and spaces only (``\\noindent``)."""
    return node["t"] == "RawBlock" or (node["t"] in ("Para", "Plain") and all(
        inline["t"] in ("RawInline", "Space", "SoftBreak") for inline in node["c"]))


def _is_bibliography_heading(node: dict[str, Any]) -> bool:
    return node["t"] == "Header" and plain_text_of(node["c"][2]).strip().rstrip(":").casefold() \
        in BIBLIOGRAPHY_TITLES
