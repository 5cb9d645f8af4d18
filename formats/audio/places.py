"""Where a speech segment comes from in the source, for a warning about it."""

from __future__ import annotations

from publish.model import Document, SourceWarning, walk_blocks


def block_lines(document: Document) -> dict[str, int]:
    """The source line of every block, note and reference, by the id its segments take."""
    text = (*document.disclaimer, *document.abstract, *document.body, *document.appendix)
    lines = {block.id: block.line for block in walk_blocks(text)}
    for note in document.footnotes:
        lines[note.id] = note.line
        lines.update((block.id, block.line) for block in walk_blocks(note.blocks))
    lines.update((reference.id, reference.line) for reference in document.references)
    return lines


def line_of(segment_id: str, lines: dict[str, int]) -> int:
    """The line of the block a segment speaks: its own id, else the block whose id it extends
    (a row of a table read row by row: "table-2-row-3"), else the front matter's first line
    (the title, the headings the audio adds: "references-heading")."""
    if segment_id in lines:
        return lines[segment_id]
    owners = [known for known in lines if segment_id.startswith(known + "-")]
    return lines[max(owners, key=len)] if owners else 1


def unspoken(document: Document, segment_id: str, problem: str, lines: dict[str, int]) -> SourceWarning:
    """The warning for a segment the engine could not speak, said as a notice instead."""
    return SourceWarning(document.source, line_of(segment_id, lines), 1,
                         f"the audio edition cannot speak this passage ({problem}); it says a short notice in "
                         "its place, and the transcript keeps the text")
