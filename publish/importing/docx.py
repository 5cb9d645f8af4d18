"""Word (.docx) through Pandoc's docx reader: tracked changes accepted, citation fields read,
every paragraph's style kept for the clean-up, images extracted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish import pandoc
from publish.importing import office, pipeline
from publish.importing.draft import Draft
from publish.importing.report import Report

SOURCE = pipeline.Source(heading="Heading {}", properties="the document's properties (File > Info)")


def read(path: Path, work: Path, with_date: bool) -> Draft:
    facts = office.docx_facts(path)
    media = work / "media"
    ast: dict[str, Any] = pandoc.run(["-f", "docx+citations+styles", "--track-changes=accept",
                                      f"--extract-media={media}", "-t", "json", str(path)], "", path)
    items: list[dict[str, Any]] = pandoc.run(["-f", "docx+citations", "-t", "csljson", str(path)], "", path)
    draft = Draft(path, ast["blocks"], Report(path.name), media=media)
    source = pipeline.Source(SOURCE.heading, SOURCE.properties, items=items)
    pipeline.clean(draft, ast["meta"], facts, source, work, with_date)
    pipeline.finish(draft, facts, source)
    changes(draft, facts)
    return draft


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def changes(draft: Draft, facts: office.Facts) -> None:
    """What Pandoc did to the document's review marks, and the citation fields it cannot read."""
    if facts.insertions or facts.deletions:
        draft.report.changed("the document", f"tracked changes were accepted ({plural(facts.insertions, 'insertion')}"
                             f", {plural(facts.deletions, 'deletion')}), as 'Accept All Changes' would: the article "
                             "is the text as it reads with them")
    if facts.comments:
        draft.report.changed("the document", f"{facts.comments} comment{'s were' if facts.comments > 1 else ' was'} "
                             "left out: comments are notes between authors, not part of the article")
    if facts.endnote_fields:
        many = facts.endnote_fields > 1
        draft.report.attention("the document", f"{plural(facts.endnote_fields, 'EndNote citation field')} "
                               f"{'stay as their' if many else 'stays as its'} text (Pandoc reads Zotero's and "
                               "Mendeley's, not EndNote's): export the library as "
                               "a .bib file, add 'bibliography:', and write the citations as [@key]")
