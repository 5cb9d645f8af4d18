"""The shape of an imported document: styles unwrapped, its title found, heading levels
normalised (the title the only top level, no gaps) and bold paragraphs that look like headings
pointed out."""

from __future__ import annotations

import re
from typing import Any

from publish.importing.draft import Draft
from publish.importing.tree import Node, block_lists, inline_lists, short, text

MAX_LEVEL = 6
BOLD_HEADING_CHARACTERS = 120  # a bold paragraph longer than this is emphasis, not a heading


def unwrap_styles(draft: Draft) -> None:
    """Pandoc's ``styles`` extension wraps each paragraph of a named style in a Div (each run of
    a character style in a Span): keep the style's name for the paragraphs, drop the wrappers,
    and any Div or Span that carries nothing the article can use (only a ``lang`` can)."""
    for blocks in block_lists(draft.blocks):
        changed = True
        while changed:
            changed = False
            out: list[Node] = []
            for node in blocks:
                if node["t"] == "Div" and not _keeps(node["c"][0]):
                    style = dict(node["c"][0][2]).get("custom-style", "")
                    for child in node["c"][1]:
                        if style:
                            draft.styles.setdefault(id(child), (child, style))
                    out.extend(node["c"][1])
                    changed = True
                elif node["t"] == "Para" and not node["c"]:
                    changed = True  # an empty paragraph is spacing, not text
                else:
                    out.append(node)
            blocks[:] = out
    for inlines in inline_lists(draft.blocks):
        while any(n["t"] == "Span" and not _keeps(n["c"][0]) for n in inlines):
            inlines[:] = [child for n in inlines
                          for child in (n["c"][1] if n["t"] == "Span" and not _keeps(n["c"][0]) else [n])]


def _keeps(attr: list[Any]) -> bool:
    """Whether a Div's or Span's attributes mean something to the article: its language."""
    return any(key == "lang" for key, _value in attr[2])


def meta_text(value: Any) -> str:
    """A Pandoc metadata value as plain text."""
    if not isinstance(value, dict):
        return ""
    if value["t"] == "MetaString":
        return str(value["c"])
    if value["t"] in ("MetaInlines", "MetaBlocks"):
        return text(value["c"])
    if value["t"] == "MetaList":
        return "; ".join(meta_text(item) for item in value["c"])
    return ""


def take_title(draft: Draft, pandoc_meta: dict[str, Any], properties_title: str, properties: str,
               trusted: bool) -> None:
    """The title: the paragraph in Word's Title style (Pandoc's ``title``), else a heading that
    opens the document, else the title in its properties (a web page's is its own; a file's
    may be left over from another document), else the first heading. A heading taken for the
    title leaves the body."""
    report = draft.report
    styled = meta_text(pandoc_meta.get("title"))
    headings = [n for n in draft.blocks if n["t"] == "Header" and text(n["c"][2])]
    if styled:
        draft.meta["title"] = styled
        report.kept("front matter", f"title {short(styled, 70)}, from the paragraph in the Title style")
    elif headings and (draft.blocks[0] is headings[0] or not properties_title):
        first = headings[0]
        draft.meta["title"] = text(first["c"][2])
        draft.blocks[:] = [n for n in draft.blocks if n is not first]
        report.changed(draft.place(first), "this heading became the title (no paragraph is in the Title style)")
    elif properties_title and (trusted or _opens_with(draft, properties_title)):
        draft.meta["title"] = properties_title
        if _opens_with(draft, properties_title):
            report.changed(draft.place(draft.blocks[0]), f"the first paragraph, {short(properties_title, 60)}, is "
                           f"the title {properties} name: it became the title")
            draft.blocks[:] = draft.blocks[1:]
        else:
            report.kept("front matter", f"title {short(properties_title, 70)}, from {properties}")
    elif properties_title:
        draft.meta["title"] = properties_title
        report.attention("front matter", f"title {short(properties_title, 70)} comes from {properties}, as no "
                         "paragraph is in the Title style: check that it is the title")
    else:
        draft.meta["title"] = draft.source.stem.replace("_", " ").replace("-", " ")
        report.attention("front matter", f"the document has no title (no Title style, no heading, none in "
                         f"{properties}): the file's name stands in; write the real one in 'title:'")
    subtitle = meta_text(pandoc_meta.get("subtitle"))
    if subtitle:
        draft.meta["subtitle"] = subtitle
        report.kept("front matter", f"subtitle {short(subtitle, 70)}, from the Subtitle style")


def _opens_with(draft: Draft, title: str) -> bool:
    first = draft.blocks[0] if draft.blocks else None
    return first is not None and first["t"] in ("Para", "Plain") and text(first["c"]).casefold() == title.casefold()


def take_abstract(draft: Draft, pandoc_meta: dict[str, Any]) -> None:
    """Word's Abstract paragraphs: Pandoc moves them into metadata, which no edition shows as
    text, so they come back as the first section."""
    abstract = pandoc_meta.get("abstract")
    if not abstract or abstract["t"] not in ("MetaBlocks", "MetaInlines"):
        return
    blocks = abstract["c"] if abstract["t"] == "MetaBlocks" else [{"t": "Para", "c": abstract["c"]}]
    heading = {"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": "Abstract"}]]}
    draft.blocks[:0] = [heading, *blocks]
    draft.meta.setdefault("description", text(blocks))
    draft.report.changed("the start", "the paragraphs in the Abstract style became the section 'Abstract' at the "
                         "start, and its text the description")


def normalise_headings(draft: Draft, name: str) -> None:
    """Heading levels so that the title is the only top level and none is skipped: the highest
    level used becomes ``##``, the next ``###``..., and a heading more than one level below the
    one before it comes up to the next level. ``name`` says a level as the source does
    ("Heading {}", "<h{}>")."""
    for blocks in block_lists(draft.blocks):
        for gone in (n for n in blocks if n["t"] == "Header" and not text(n["c"][2])):
            draft.report.changed(draft.place(gone), "an empty heading was left out")
        blocks[:] = [n for n in blocks if n["t"] != "Header" or text(n["c"][2])]
    headings = [n for n in draft.blocks if n["t"] == "Header"]
    rank = {level: index + 2 for index, level in enumerate(sorted({h["c"][0] for h in headings}))}
    shift = min(rank.values()) - min(rank) if rank else 0  # how far the top level moved
    moved: dict[tuple[int, int], list[str]] = {}
    previous = 1
    for heading in headings:
        old = heading["c"][0]
        new = min(rank[old], previous + 1, MAX_LEVEL)
        if new < rank[old] and new == MAX_LEVEL and previous + 1 >= MAX_LEVEL:
            draft.report.changed(draft.place(heading), f"{name.format(old)} became {'#' * new} (level {new}): "
                                 "articles have six heading levels, the title's included")
        elif new < rank[old]:
            gap = rank[old] - previous
            draft.report.changed(draft.place(heading), f"{name.format(old)} came right after a heading {gap} "
                                 f"level{'s' if gap > 1 else ''} above it: it became {'#' * new} (level {new}), so "
                                 "no level is skipped")
        else:
            moved.setdefault((old, new), []).append(short(text(heading["c"][2]), 30))
        heading["c"][0] = new
        heading["c"][1] = ["", [], []]  # the reader makes its own ids
        previous = new
    for (old, new), names in moved.items():
        listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        up = old + shift - new
        why = f", {up} level{'s' if up > 1 else ''} up: the level above it is not used" if up > 0 else ""
        if new != old or why:
            draft.report.changed("headings", f"{name.format(old)} became {'#' * new} (level {new}{why}) for "
                                 f"{len(names)} heading{'s' if len(names) > 1 else ''}: {listed}")


def point_out_bold_paragraphs(draft: Draft) -> None:
    """A short paragraph all in bold stands where a heading would: it stays a paragraph (the
    author may mean emphasis), and the report suggests a heading style."""
    for blocks in block_lists(draft.blocks):
        for node in blocks:
            if node["t"] != "Para":
                continue
            visible = [n for n in node["c"] if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
            words = text(node["c"])
            if (visible and all(n["t"] == "Strong" for n in visible) and len(words) <= BOLD_HEADING_CHARACTERS
                    and not re.search(r"[.;,]$", words)):
                draft.report.attention(draft.place(node), f"{short(words)} is a paragraph all in bold, as a heading "
                                       "would be: it stays a paragraph; if it is a heading, give it a heading style "
                                       "(Heading 2 for a section) in the original and import again, or write it as "
                                       "'## ' in article.md")


WORD = re.compile(r"[^\W\d_][\w'’]*")


def sentence_case_headings(draft: Draft) -> None:
    """A heading typed in capitals becomes sentence case (capitals are slow to read in large
    print, and screen readers may spell them out); a word in capitals elsewhere in the text
    (LPS, NSAIDs) is an abbreviation and stays."""
    headings = [n for n in draft.blocks if n["t"] == "Header"]
    # Words in capitals inside ordinary text are abbreviations; a line all in capitals says nothing.
    body = " ".join(t for blocks in block_lists(draft.blocks) for n in blocks if n["t"] in ("Para", "Plain")
                    for t in [text(n["c"])] if any(c.islower() for c in t))
    abbreviations = {w for w in WORD.findall(body) if sum(c.isupper() for c in w) >= 2}
    for heading in headings:
        words = text(heading["c"][2])
        letters = [c for c in words if c.isalpha()]
        if len(WORD.findall(words)) < 2 or not all(c.isupper() for c in letters):
            continue
        for node in (n for inlines in inline_lists([heading]) for n in inlines if n["t"] == "Str"):
            node["c"] = WORD.sub(lambda m: m.group(0) if m.group(0) in abbreviations else m.group(0).lower(),
                                 node["c"])
        first = next(n for inlines in inline_lists([heading]) for n in inlines if n["t"] == "Str")
        first["c"] = first["c"][:1].upper() + first["c"][1:]
        draft.report.changed(draft.place(heading), f"written in capitals, it became {short(text(heading['c'][2]), 60)} "
                             "(capitals are slow to read in large print, and screen readers may spell them out); "
                             "check names and abbreviations")
