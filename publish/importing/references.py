"""A reference list typed as text (as web pages have them) read into CSL items, where each
entry names its DOI; nothing is looked up, so authors, year, title and journal come from the
entry's own words, as APA and Vancouver write them."""

from __future__ import annotations

import re
from typing import Any

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
YEAR = re.compile(r"\((\d{4})[a-z]?\)|\b((?:1[6-9]|20)\d{2})[a-z]?\b")
# "Ajamian, M.", "De Filippo, C.", "van der Berg, J.-P." and a closing "et al."
APA_AUTHOR = re.compile(r"((?:[a-z]+ )*[A-Z][^\s,&()]*(?: [A-Z][^\s,&()]*)*),\s*((?:[A-Z][a-z]?\.\s*-?\s*)+)")
ET_AL = re.compile(r"\bet al\.?", re.I)
PAGES = re.compile(r"(\d+)\s*[–-]\s*(\d+)")
VOLUME = re.compile(r"^\s*(\d+)\s*(?:\(([^)]+)\))?\s*$")


def parse_entry(entry: str) -> dict[str, Any] | None:
    """One entry as a CSL item (without its id), or None where it has no DOI."""
    entry = " ".join(entry.split())
    doi = DOI.search(entry)
    if doi is None:
        return None
    item: dict[str, Any] = {"type": "article-journal", "DOI": doi.group(1).rstrip(".,;)")}
    before_doi = re.sub(r"\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)$", "", entry[: doi.start()], flags=re.I).strip()
    year = YEAR.search(before_doi)
    names = before_doi[: year.start()] if year else ""
    authors: list[dict[str, str]] = [{"family": m.group(1).strip(), "given": m.group(2).replace(" ", "").strip()}
                                     for m in APA_AUTHOR.finditer(names)]
    if authors and ET_AL.search(names):
        authors.append({"literal": "et al."})  # the entry lists only its first authors
    if authors:
        item["author"] = authors
    if year:
        item["issued"] = {"date-parts": [[int(year.group(1) or year.group(2))]]}
        rest = before_doi[year.end():].lstrip(" .")
        _title_and_source(item, rest)
    return item


def _title_and_source(item: dict[str, Any], rest: str) -> None:
    """``Title. Journal, 7(22), 1761–1772.`` after the year."""
    parts = re.split(r"(?<![A-Z])\.\s+", rest.rstrip(". "), maxsplit=1)
    if parts and parts[0]:
        item["title"] = parts[0].strip()
    if len(parts) < 2:
        return
    source = [p.strip() for p in parts[1].rstrip(".").split(",")]
    if source and source[0]:
        item["container-title"] = source[0]
    for piece in source[1:]:
        volume = VOLUME.match(piece)
        pages = PAGES.search(piece)
        if volume and "volume" not in item:
            item["volume"] = volume.group(1)
            if volume.group(2):
                item["issue"] = volume.group(2)
        elif pages:
            item["page"] = f"{pages.group(1)}–{pages.group(2)}"
        elif re.fullmatch(r"[eE]?\d+", piece):
            item["number"] = piece
