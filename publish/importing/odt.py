"""OpenDocument text (.odt) through Pandoc's odt reader, as Word documents are read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publish import pandoc
from publish.importing import docx, office, pipeline
from publish.importing.draft import Draft
from publish.importing.report import Report

SOURCE = pipeline.Source(heading="Heading {}", properties="the document's properties (File > Properties)")


def read(path: Path, work: Path, with_date: bool) -> Draft:
    facts = office.odt_facts(path)
    media = work / "media"
    ast: dict[str, Any] = pandoc.run(["-f", "odt", f"--extract-media={media}", "-t", "json", str(path)], "", path)
    draft = Draft(path, ast["blocks"], Report(path.name), media=media)
    pipeline.clean(draft, ast["meta"], facts, SOURCE, work, with_date)
    pipeline.finish(draft, facts, SOURCE)
    docx.changes(draft, facts)
    return draft
