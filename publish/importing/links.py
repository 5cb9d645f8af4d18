"""Links and leftovers of an imported document: links inside it (to bookmarks, which the
article does not keep) or to files become their text, raw markup is dropped, and what was kept
is counted for the report."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from publish.importing.draft import Draft
from publish.importing.tree import Node, block_lists, inline_lists, inline_lists_of, short, text

WEB = ("http://", "https://", "mailto:")
HOST = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}\.?$|^localhost$|^\[[0-9a-f:.]+\]$|^[\d.]+$", re.I)


def broken(href: str) -> bool:
    """A web address no browser can follow: no host, or a host with an empty label. (Pandoc
    gives "https://.cc/paper/" when Word tracked a change inside a hyperlink's field code.)"""
    if not href.lower().startswith(("http://", "https://")):
        return False
    try:
        host = urlsplit(href).hostname or ""
    except ValueError:
        return True
    return not HOST.match(host)


def links(draft: Draft) -> None:
    """Web and mail links stay; a link to a place inside the document or to a file keeps its
    words only, since its target is not part of the article."""
    inside: list[str] = []
    files: list[tuple[str, str]] = []
    for blocks in block_lists(draft.blocks):
        for node in blocks:
            for inlines in inline_lists_of(node):
                out: list[Node] = []
                for child in inlines:
                    if child["t"] == "Link" and broken(child["c"][2][0]) and not _mend(draft, node, child):
                        out.extend(child["c"][1])
                        continue
                    if child["t"] != "Link" or child["c"][2][0].lower().startswith(WEB):
                        out.append(child)
                        continue
                    href = child["c"][2][0]
                    if href.startswith("#"):
                        inside.append(draft.place(node))
                    else:
                        files.append((draft.place(node), href))
                    out.extend(child["c"][1])
                inlines[:] = out
    if inside:
        unique = list(dict.fromkeys(inside))
        draft.report.changed(unique[0] + (f" and {len(unique) - 1} more places" if len(unique) > 1 else ""),
                             f"{len(inside)} link{'s' if len(inside) > 1 else ''} to places inside the document "
                             "(bookmarks, cross-references, typed citations) kept their words but are no longer "
                             "links: the article makes its own cross-references (see README, Cross-references)")
    for place, href in files:
        draft.report.changed(place, f"the link to {short(href, 60)} kept its words only: links to files are not "
                             "part of an article")


def _mend(draft: Draft, node: Node, link: Node) -> bool:
    """A broken web address: the address the link shows, where that is one (True), else its
    words only (False)."""
    href, shown = link["c"][2][0], text(link["c"][1])
    if shown.lower().startswith(("http://", "https://")) and not broken(shown):
        link["c"][2][0] = shown
        draft.report.changed(draft.place(node), f"the link {short(shown, 60)} pointed to a broken address "
                             f"({short(href, 40)}): it points to the address it shows")
        return True
    draft.report.attention(draft.place(node), f"the link {short(shown, 40)} points to a broken address "
                           f"({short(href, 40)}): it kept its words only; add the right address")
    return False


def drop_raw(draft: Draft) -> None:
    """Raw markup the source format passed through (HTML, OOXML) is never shown or run."""
    dropped = 0
    for blocks in block_lists(draft.blocks):
        before = len(blocks)
        blocks[:] = [n for n in blocks if n["t"] != "RawBlock"]
        dropped += before - len(blocks)
    for inlines in inline_lists(draft.blocks):
        before = len(inlines)
        inlines[:] = [n for n in inlines if n["t"] != "RawInline"]
        dropped += before - len(inlines)
    if dropped:
        draft.report.changed("the document", f"{dropped} pieces of raw markup were left out")


def tidy(draft: Draft) -> None:
    """Nothing empty is left behind: paragraphs, figures and list items that lost everything."""
    for inlines in inline_lists(draft.blocks):
        inlines[:] = [n for n in inlines if not (n["t"] == "Str" and not n["c"])]
    for blocks in block_lists(draft.blocks):
        blocks[:] = [n for n in blocks if not _empty(n)]
        for node in blocks:  # a list whose items are one paragraph each is written tight
            items = node["c"] if node["t"] == "BulletList" else node["c"][1] if node["t"] == "OrderedList" else []
            if items and all(len(item) == 1 and item[0]["t"] == "Para" for item in items):
                for item in items:
                    item[0]["t"] = "Plain"


def _empty(node: Node) -> bool:
    if node["t"] in ("Para", "Plain"):
        return not any(n["t"] not in ("Space", "SoftBreak", "LineBreak") for n in node["c"])
    if node["t"] == "Figure":
        return not any(n["t"] == "Image" for inlines in inline_lists(node["c"][2]) for n in inlines)
    if node["t"] in ("BulletList", "OrderedList"):
        return not any(text(item) for item in (node["c"] if node["t"] == "BulletList" else node["c"][1]))
    return False


def kept(draft: Draft) -> None:
    """One line of what came through, so the author knows what to look for in the editions."""
    blocks: Counter[str] = Counter()
    inlines: Counter[str] = Counter()
    for current in block_lists(draft.blocks):
        blocks.update(n["t"] for n in current)
    for current in inline_lists(draft.blocks):
        inlines.update(n["t"] for n in current)
    parts = [(blocks["Header"], "heading"), (blocks["Para"] + blocks["Plain"], "paragraph"),
             (blocks["BulletList"] + blocks["OrderedList"], "list"), (blocks["Table"], "table"),
             (blocks["Figure"], "figure"), (blocks["BlockQuote"], "block quote"), (inlines["Note"], "footnote"),
             (inlines["Link"], "link"), (inlines["Math"], "equation"),
             (inlines["Emph"] + inlines["Strong"], "emphasised phrase")]
    listed = ", ".join(f"{n} {word}{'s' if n > 1 else ''}" for n, word in parts if n)
    draft.report.kept("the body", listed or "nothing: the document has no text")
