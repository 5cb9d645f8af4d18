"""An imported document on its way to an article: Pandoc's blocks, the front matter being
gathered, the report, and what the import knows of each block (its style, its place)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.importing.report import Report
from publish.importing.tree import Node, Places


@dataclass
class Draft:
    source: Path
    blocks: list[Node]
    report: Report
    meta: dict[str, Any] = field(default_factory=dict)  # the front matter, in the order written
    # id(block) -> the block (held, so its id is never reused) and its paragraph style's name
    styles: dict[int, tuple[Node, str]] = field(default_factory=dict)
    media: Path | None = None  # where Pandoc extracted the images
    images: dict[str, Path] = field(default_factory=dict)  # name under images/ -> extracted file
    places: Places = field(init=False)

    def __post_init__(self) -> None:
        self.places = Places(self.blocks)

    def place(self, node: Node) -> str:
        return self.places.of(node)

    def style(self, node: Node) -> str:
        found = self.styles.get(id(node))
        return found[1] if found is not None and found[0] is node else ""

    def locate(self) -> None:
        """Number the paragraphs again (after the styles' wrappers are gone)."""
        self.places = Places(self.blocks)
