"""Pandoc's JSON AST as lists the import rewrites in place, and the place of each block in the
document as its author knows it: the paragraph's number and the heading it is under."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from publish.pandoc_ast import plain_text_of

Node = dict[str, Any]
INLINE_CONTAINERS = frozenset({"Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"})
PARAGRAPHS = frozenset({"Para", "Plain", "Header", "LineBlock", "CodeBlock", "Figure", "Table"})


def child_blocks(node: Node) -> list[list[Node]]:
    """The lists of blocks directly inside a node (a block, or a note among inlines)."""
    kind: str = node["t"]
    c: Any = node.get("c")
    if kind in ("BlockQuote", "Note"):
        return [c]
    if kind == "BulletList":
        return list(c)
    if kind == "OrderedList":
        return list(c[1])
    if kind == "DefinitionList":
        return [blocks for _term, definitions in c for blocks in definitions]
    if kind == "Div":
        return [c[1]]
    if kind == "Figure":
        return [c[1][1], c[2]]
    if kind == "Table":
        head, bodies, foot = c[3], c[4], c[5]
        rows = [*head[1], *(row for body in bodies for row in (*body[2], *body[3])), *foot[1]]
        return [c[1][1], *(cell[4] for row in rows for cell in row[1])]
    return []


def child_inlines(node: Node) -> list[list[Node]]:
    """The lists of inlines directly inside a node."""
    kind: str = node["t"]
    c: Any = node.get("c")
    if kind in ("Para", "Plain") or kind in INLINE_CONTAINERS:
        return [c]
    if kind == "Header":
        return [c[2]]
    if kind == "LineBlock":
        return list(c)
    if kind == "DefinitionList":
        return [term for term, _definitions in c]
    if kind in ("Quoted", "Cite", "Link", "Image", "Span"):
        return [c[1]]
    return []


def block_lists(blocks: list[Node]) -> Iterator[list[Node]]:
    """``blocks`` and every list of blocks inside it (notes included), outermost first."""
    stack = [blocks]
    while stack:
        current = stack.pop()
        yield current
        inner: list[list[Node]] = []
        for node in current:
            inner.extend(child_blocks(node))
            for inlines in inline_lists_of(node):
                inner.extend(n["c"] for n in inlines if n["t"] == "Note")
        stack.extend(reversed(inner))


def inline_lists_of(node: Node) -> Iterator[list[Node]]:
    """Every list of inlines inside one node, outside notes, outermost first."""
    stack = list(reversed(child_inlines(node)))
    while stack:
        current = stack.pop()
        yield current
        for child in reversed(current):
            stack.extend(reversed(child_inlines(child)))


def inline_lists(blocks: list[Node]) -> Iterator[list[Node]]:
    """Every list of inlines anywhere in ``blocks``, notes included."""
    for current in block_lists(blocks):
        for node in current:
            yield from inline_lists_of(node)


def text(value: Any) -> str:
    return plain_text_of(value)


def short(words: str, limit: int = 48) -> str:
    words = " ".join(words.split())
    return f"'{words}'" if len(words) <= limit else f"'{words[: limit - 1].rstrip()}…'"


class Places:
    """Where each block of the body is: "¶12 (under 'Methods')". Paragraphs are counted from the
    top, as an author scrolling through the document would: headings, list items, figures and
    tables count one each (a table's cells and a figure's caption do not); a block inside a note
    is placed at the note's call."""

    def __init__(self, blocks: list[Node]):
        # by id(), with the node itself: held, it cannot be freed and its id given to a new node
        self.places: dict[int, tuple[Node, str]] = {}
        self.count = 0
        self.heading = ""
        self.inside = False  # within a figure or a table, which counts as one paragraph
        self._visit(blocks, note="")

    def of(self, node: Node) -> str:
        found = self.places.get(id(node))
        return found[1] if found is not None and found[0] is node else "the document"

    def same(self, new: Node, old: Node) -> None:
        """``new`` stands where ``old`` stood (a figure made of an image and its caption)."""
        self.places[id(new)] = (new, self.of(old))

    def _visit(self, blocks: list[Node], note: str) -> None:
        for node in blocks:
            if node["t"] == "Header":
                self.heading = text(node["c"][2])
            inside = self.inside
            if node["t"] in PARAGRAPHS and not note and not inside:
                self.count += 1
            here = f"¶{self.count}" + (f" (under {short(self.heading, 40)})" if self.heading else "")
            if node["t"] == "Header":
                here = f"heading {short(self.heading)} (¶{self.count})"
            self.places[id(node)] = (node, note or here)
            self.inside = inside or node["t"] in ("Figure", "Table")
            for inner in child_blocks(node):
                self._visit(inner, note or here)
            self.inside = inside
            for inlines in inline_lists_of(node):
                for child in inlines:
                    if child["t"] == "Note":
                        self._visit(child["c"], note or f"{here}, in its footnote")
