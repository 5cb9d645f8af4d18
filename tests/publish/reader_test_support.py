"""Shared helpers for the reader's tests: paths of the seed and fixtures, where a piece of text
sits in a file, and walks over the model. The fixtures are in conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from publish.model import (
    Block,
    Citation,
    Document,
    Emphasis,
    FootnoteRef,
    Inline,
    Link,
    ListBlock,
    Strong,
    Table,
    walk_blocks,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "source" / "gut-barrier" / "article.md"
FIXTURES = ROOT / "tests" / "fixtures"
EVERYTHING = FIXTURES / "everything" / "article.md"
GOLDEN = ROOT / "tests" / "golden"

#: ``path:line:col: message``, the shape every located SourceError takes.
LOCATED = re.compile(r"^.+article\.md:(\d+):(\d+): (\S.*)$", re.S)

MINIMAL_FRONT = "title: A Test Article\nlang: en\n"


def seed_text() -> str | None:
    """The seed as published (plain text), from the shared folder beside the work tree."""
    for folder in (ROOT.parent / "shared" / "seed", Path("/work/shared/seed")):
        for path in sorted(folder.glob("*.txt")):
            return path.read_text(encoding="utf-8")
    return None


def article_text(front: str, body: str) -> str:
    return f"---\n{front.rstrip(chr(10))}\n---\n{body}"


def position(path: Path, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``occurrence``-th ``needle`` in the file."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        start = 0
        while (col := line.find(needle, start)) >= 0:
            seen += 1
            if seen == occurrence:
                return number, col + 1
            start = col + 1
    raise AssertionError(f"{needle!r} not found {occurrence} time(s) in {path}")


def every_block(document: Document) -> Iterator[Block]:
    """Every block of the body, disclaimer and notes, at any depth."""
    yield from walk_blocks(document.body)
    yield from walk_blocks(document.disclaimer)
    for note in document.footnotes:
        yield from walk_blocks(note.blocks)


def block_inlines(block: Block) -> Iterator[tuple[Inline, ...]]:
    """The inline sequences held directly by a block (not by the blocks inside it)."""
    if isinstance(block, Table):
        for cell in block.header:
            yield cell.children
        for row in block.rows:
            for cell in row:
                yield cell.children
        yield block.caption
    elif hasattr(block, "children"):
        yield block.children
    elif hasattr(block, "caption"):
        yield block.caption


def walk_inlines(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in nodes:
        yield node
        if isinstance(node, Emphasis | Strong | Link):
            yield from walk_inlines(node.children)


def all_inlines(document: Document) -> Iterator[Inline]:
    for block in every_block(document):
        for inlines in block_inlines(block):
            yield from walk_inlines(inlines)
    for reference in document.references:
        yield from walk_inlines(reference.children)


def all_ids(document: Document) -> list[str]:
    """Every id the model gives out: blocks, notes, references, citations, note references."""
    ids = [block.id for block in every_block(document)]
    ids += [note.id for note in document.footnotes]
    ids += [reference.id for reference in document.references]
    ids += [node.id for node in all_inlines(document) if isinstance(node, Citation | FootnoteRef)]
    return ids


def lists_of(document: Document) -> list[ListBlock]:
    return [b for b in walk_blocks(document.body) if isinstance(b, ListBlock)]


def neutral_json(data: Any) -> Any:
    """The model's JSON with the machine-dependent paths made relative to the repository."""
    data = dict(data)
    source = Path(data["source"])
    if source.is_absolute():
        source = source.relative_to(ROOT)
    data["source"] = source.as_posix()
    data["figures_dir"] = source.parent.as_posix()
    return data
