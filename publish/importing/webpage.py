"""What a web page's article carries besides its text: calls to action left in it, a
"Disclaimer:" paragraph (the ``disclaimer`` field) and a typed reference list, which becomes the
bibliography where every entry names its DOI, its numbered citations "(9)" becoming [@key]."""

from __future__ import annotations

import re
from typing import Any

from publish.importing import citations
from publish.importing.draft import Draft
from publish.importing.references import parse_entry
from publish.importing.tree import Node, block_lists, inline_lists, short, text

CALL_TO_ACTION = re.compile(r"^(?:explore|shop|buy|order|subscribe|sign up|join|download|learn more|read more|"
                            r"discover|get (?:yours|started|it)|try|book|start|see (?:all|more)|view (?:all|more)|"
                            r"add to|browse)\b", re.I)
DISCLAIMER = re.compile(r"^\s*disclaimer\s*[:.–—-]\s*", re.I)
MARKER = re.compile(r"^([(\[])(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)([)\]])([.,;:]?)$")


def drop_calls_to_action(draft: Draft) -> None:
    """A paragraph that is one link shouting at the reader ("EXPLORE THE ... COLLECTION",
    "Shop now") is the shop's, not the article's."""
    for blocks in block_lists(draft.blocks):
        kept: list[Node] = []
        for node in blocks:
            link = _only_link(node)
            words = text(node["c"]) if link is not None else ""
            if link is not None and (_shouting(words) or CALL_TO_ACTION.match(words)):
                draft.report.changed(draft.place(node), f"{short(words)} was left out: a call to action (a link to "
                                     f"{short(link['c'][2][0], 50)}), not the article's text")
                continue
            kept.append(node)
        blocks[:] = kept


def _only_link(node: Node) -> Node | None:
    if node["t"] not in ("Para", "Plain"):
        return None
    visible = [n for n in node["c"] if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
    while len(visible) == 1 and visible[0]["t"] in ("Strong", "Emph", "Span"):
        inner = visible[0]["c"][1] if visible[0]["t"] == "Span" else visible[0]["c"]
        visible = [n for n in inner if n["t"] not in ("Space", "SoftBreak")]
    return visible[0] if len(visible) == 1 and visible[0]["t"] == "Link" else None


def _shouting(words: str) -> bool:
    letters = [c for c in words if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def take_disclaimer(draft: Draft) -> None:
    """A paragraph that starts "Disclaimer:" (or the paragraphs under a Disclaimer heading)
    becomes the ``disclaimer`` field, which every edition shows in its own place."""
    for index, node in enumerate(draft.blocks):
        words = text(node["c"]) if node["t"] in ("Para", "Plain") else ""
        if words and DISCLAIMER.match(words):
            draft.meta["disclaimer"] = DISCLAIMER.sub("", words)
            taken = [node]
        elif node["t"] == "Header" and DISCLAIMER.match(text(node["c"][2]) + ":"):
            taken = [node]
            for after in draft.blocks[index + 1:]:
                if after["t"] not in ("Para", "Plain"):
                    break
                taken.append(after)
            draft.meta["disclaimer"] = "\n\n".join(text(n["c"]) for n in taken[1:])
        else:
            continue
        draft.blocks[:] = [n for n in draft.blocks if all(n is not t for t in taken)]
        draft.report.changed(draft.place(node), "the disclaimer became the 'disclaimer' field: every edition shows "
                             "it in its own section, and the audio reads it first")
        return


def take_reference_list(draft: Draft) -> None:
    """The References section becomes 'references:' when every entry names its DOI; else it
    stays text, and the report says which entries could not be read."""
    section = citations.reference_section(draft.blocks)
    if section is None:
        return
    start, end = section
    entries = [text(item) for node in draft.blocks[start + 1 : end] for item in _entries(node)]
    entries = [e for e in entries if e]
    if not entries:
        return
    heading = draft.blocks[start]
    parsed = [parse_entry(entry) for entry in entries]
    unread = [entry for entry, item in zip(entries, parsed, strict=True) if item is None]
    if unread:
        draft.report.attention(draft.place(heading), f"the {len(entries)} references stay text, as {len(unread)} of "
                               f"them name no DOI (first: {short(unread[0], 60)}): the citations in the text are "
                               "not linked to them. To make them live, give them as 'references:' (CSL) or a .bib "
                               "file and write the citations as [@key]")
        return
    items = [{"id": str(n), **item} for n, item in enumerate(parsed, start=1) if item is not None]
    keys = citations.readable_keys(items)
    draft.meta["references"] = [{"id": keys[item["id"]], **{k: v for k, v in item.items() if k != "id"}}
                                for item in items]
    draft.meta["nocite"] = "@*"  # the page lists every entry, cited or not
    draft.blocks[start:end] = []
    draft.report.changed(draft.place(heading), f"the {len(items)} references became 'references:' (CSL, read from "
                         "their own words, nothing looked up: check authors, titles and journals against the DOIs); "
                         "the editions list them all ('nocite: \"@*\"') in their own References section")
    _numbered_citations(draft, [keys[str(n)] for n in range(1, len(items) + 1)])


def _entries(node: Node) -> list[Any]:
    if node["t"] in ("BulletList", "OrderedList"):
        return list(node["c"] if node["t"] == "BulletList" else node["c"][1])
    return [node["c"]] if node["t"] in ("Para", "Plain") else []


def _numbered_citations(draft: Draft, keys: list[str]) -> None:
    """Typed citations "(9)", "[2, 3]", "(4–6)" whose numbers are all entries of the list
    become [@key] citations of those entries."""
    changed = 0
    for inlines in inline_lists(draft.blocks):
        for index, node in enumerate(inlines):
            match = MARKER.match(node["c"]) if node["t"] == "Str" else None
            numbers = _numbers(match.group(2)) if match else []
            if not numbers or not all(1 <= n <= len(keys) for n in numbers):
                continue
            cite = {"t": "Cite", "c": [[{"citationId": keys[n - 1], "citationPrefix": [], "citationSuffix": [],
                                         "citationMode": {"t": "NormalCitation"}, "citationNoteNum": 0,
                                         "citationHash": 0} for n in numbers], []]}
            inlines[index : index + 1] = [cite, *([{"t": "Str", "c": match.group(4)}] if match and match.group(4)
                                                  else [])]
            changed += 1
    if changed:
        draft.report.attention("the body", f"{changed} typed citations such as '(9)' became [@key] citations of the "
                               "entry of that number in the list: check that each names the work meant")


def _numbers(written: str) -> list[int]:
    """ "2, 4–6" as [2, 4, 5, 6]; a range backwards or of more than 50 is not a citation."""
    out: list[int] = []
    for part in re.split(r"\s*,\s*", written):
        bounds = [int(b) for b in re.split(r"\s*[–-]\s*", part)]
        if len(bounds) == 2 and not 0 <= bounds[1] - bounds[0] < 50:
            return []
        out.extend(range(bounds[0], bounds[-1] + 1))
    return out
