"""Citations of an imported document: citation fields (Zotero, Mendeley) as ``[@key]`` with
their CSL data under ``references:``, readable keys, and a typed reference list pointed out."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from publish.importing.draft import Draft
from publish.importing.tree import Node, block_lists, inline_lists, short, text
from publish.pandoc_ast import BIBLIOGRAPHY_TITLES

NUMBERED_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+")


def readable_keys(items: list[dict[str, Any]]) -> dict[str, str]:
    """A key per item as authors write them, first author's family name and year
    (``turner2009``, then ``turner2009b``), for the ids citation managers make up."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for index, item in enumerate(items, start=1):
        authors = item.get("author") or item.get("editor") or []
        first = authors[0] if authors and isinstance(authors[0], dict) else {}
        name = str(first.get("family") or first.get("literal") or "")
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        name = re.sub(r"[^a-z]", "", name) or "ref"
        parts = (item.get("issued") or {}).get("date-parts") or [[]]
        year = str(parts[0][0]) if parts and parts[0] else ""
        base = f"{name}{year}" if name != "ref" or year else f"ref{index}"
        key, suffix = base, ord("a")
        while key in taken:
            suffix += 1
            key = f"{base}{chr(suffix)}"
        taken.add(key)
        keys[str(item.get("id", index))] = key
    return keys


def from_fields(draft: Draft, items: list[dict[str, Any]], manager: str) -> None:
    """Citations Pandoc read from citation fields: their keys made readable, their CSL items
    written under ``references:``."""
    if not items:
        return
    keys = readable_keys(items)
    count = 0
    for inlines in inline_lists(draft.blocks):
        for node in inlines:
            if node["t"] == "Cite":
                for citation in node["c"][0]:
                    citation["citationId"] = keys.get(citation["citationId"], citation["citationId"])
                    count += 1
                node["c"][1] = []  # the text the field showed: the editions write their own
    draft.meta["references"] = [{"id": keys[str(item.get("id"))], **{k: v for k, v in item.items() if k != "id"}}
                                for item in items]
    draft.report.kept("the body", f"{count} citation{'s' if count != 1 else ''} of {len(items)} work"
                      f"{'s' if len(items) != 1 else ''} from {manager} fields, as [@key] citations with their data "
                      f"under 'references:' ({', '.join(list(keys.values())[:4])}"
                      f"{', ...' if len(keys) > 4 else ''}); the editions format and list them (APA unless 'csl:')")


def reference_section(blocks: list[Node]) -> tuple[int, int] | None:
    """Where a section titled References (Bibliography, Works cited...) lies among ``blocks``:
    the index of its heading and the index after its last block."""
    for index, node in enumerate(blocks):
        if node["t"] == "Header" and _is_bibliography_title(text(node["c"][2])):
            end = next((j for j in range(index + 1, len(blocks)) if blocks[j]["t"] == "Header"
                        and blocks[j]["c"][0] <= node["c"][0]), len(blocks))
            return index, end
    return None


def _is_bibliography_title(title: str) -> bool:
    return NUMBERED_HEADING.sub("", title).strip().rstrip(":").casefold() in BIBLIOGRAPHY_TITLES


def typed_references(draft: Draft, has_fields: bool) -> None:
    """A reference list typed as text stays text, and the report says how to make it live."""
    section = reference_section(draft.blocks)
    styled = [n for blocks in block_lists(draft.blocks) for n in blocks if draft.style(n) == "Bibliography"]
    if section is None and not styled:
        return
    if section is not None:
        start, end = section
        entries = sum(_entries(node) for node in draft.blocks[start + 1 : end])
        if not entries:
            return  # an empty References heading: the editions put the bibliography under it
        heading = draft.blocks[start]
        place, what = draft.place(heading), f"the {entries} entries under {short(text(heading['c'][2]))}"
    else:
        place, what = draft.place(styled[0]), f"the {len(styled)} paragraphs in the Bibliography style"
    but = " (the document's other citations come from fields)" if has_fields else ""
    draft.report.attention(place, f"{what} are typed text, not citation fields{but}: they stay text, and the "
                           "citations in the text are not linked to them. To make them live, cite with Zotero's or "
                           "Mendeley's Word plug-in and import again, or give the entries as 'references:' (CSL) or "
                           "a .bib file ('bibliography:') and write the citations as [@key]")


def _entries(node: Node) -> int:
    if node["t"] in ("BulletList", "OrderedList"):
        return len(node["c"] if node["t"] == "BulletList" else node["c"][1])
    return 1 if node["t"] in ("Para", "Plain") and text(node["c"]) else 0
