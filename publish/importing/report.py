"""What an import kept, what it changed and what needs the author, each with its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["kept", "changed", "attention"]
HEADINGS: dict[Kind, str] = {
    "kept": "Kept",
    "changed": "Changed",
    "attention": "Needs your attention",
}


@dataclass(frozen=True)
class Note:
    kind: Kind
    place: str  # "¶12 (under 'Methods')", "Figure 2", "front matter", "the document"
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class Report:
    source: str
    notes: list[Note] = field(default_factory=list)

    def kept(self, place: str, message: str) -> None:
        self.notes.append(Note("kept", place, message))

    def changed(self, place: str, message: str) -> None:
        self.notes.append(Note("changed", place, message))

    def attention(self, place: str, message: str) -> None:
        self.notes.append(Note("attention", place, message))

    def of(self, kind: Kind) -> list[Note]:
        return [note for note in self.notes if note.kind == kind]

    def text(self, written: str) -> str:
        """The report as printed: one section per kind, each note on its own line."""
        lines = [f"Imported {self.source} into {written}"]
        for kind, heading in HEADINGS.items():
            notes = self.of(kind)
            lines.append("")
            lines.append(f"{heading} ({len(notes)}):" if notes else f"{heading}: nothing")
            lines.extend(f"  - {note}" for note in notes)
        return "\n".join(lines) + "\n"
