"""OpenDocument text (.odt) through Pandoc's odt reader, as Word documents are read; the alt
text of its images, which that reader leaves out, read from the document itself."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

from publish import pandoc
from publish.importing import docx, office, pipeline
from publish.importing.draft import Draft
from publish.importing.report import Report
from publish.importing.tree import inline_lists, text

SOURCE = pipeline.Source(heading="Heading {}", properties="the document's properties (File > Properties)")
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"


def read(path: Path, work: Path, with_date: bool) -> Draft:
    facts = office.odt_facts(path)
    media = work / "media"
    ast: dict[str, Any] = pandoc.run(["-f", "odt", f"--extract-media={media}", "-t", "json", str(path)], "", path)
    draft = Draft(path, ast["blocks"], Report(path.name), media=media)
    _alt_texts(draft, path)
    pipeline.clean(draft, ast["meta"], facts, SOURCE, work, with_date)
    pipeline.finish(draft, facts, SOURCE)
    docx.changes(draft, facts)
    return draft


def _alt_texts(draft: Draft, path: Path) -> None:
    """Each image's "Text Alternative" (svg:title), else its description (svg:desc), by the
    name of its file in the package."""
    with zipfile.ZipFile(path) as archive:
        content = ET.fromstring(archive.read("content.xml"))
    alts: dict[str, str] = {}
    for frame in content.iter(f"{DRAW}frame"):
        image = frame.find(f"{DRAW}image")
        if image is None:
            continue
        words = [" ".join((frame.findtext(tag) or "").split()) for tag in (f"{SVG}title", f"{SVG}desc")]
        alt = next((w for w in words if w), "")
        if alt:
            alts[PurePosixPath(image.get(f"{XLINK}href", "")).name] = alt
    for inlines in inline_lists(draft.blocks):
        for node in inlines:
            if node["t"] == "Image" and not text(node["c"][1]):
                found = alts.get(PurePosixPath(node["c"][2][0]).name)
                if found:
                    node["c"][0][2] = [["alt", found]]
                    node["c"][2][1] = ""  # Pandoc's title is the same words
