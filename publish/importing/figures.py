"""Figures and tables of an imported document: captions joined to what they caption, header
rows, images under ``images/`` with their alt text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish.importing import images
from publish.importing.draft import Draft
from publish.importing.tree import Node, block_lists, inline_lists, short, text

# Word's own alt text, made by a machine ("A picture containing ... Description automatically generated").
AUTOMATIC_ALT = re.compile(r"\s*Description automatically generated(?: with (?:medium|low) confidence)?\.?\s*$",
                           re.I)
CAPTION_STYLE = re.compile(r"caption", re.I)
FIGURE_LABEL = re.compile(r"^(?:fig(?:ure)?\.?|abbildung|abb\.|figura)\s*\d+\s*[.:–—-]\s", re.I)
TABLE_LABEL = re.compile(r"^(?:tab(?:le)?\.?|tabelle|tabla|tableau)\s*\d+\s*[.:–—-]\s", re.I)
LABEL = re.compile(r"^\s*(?:fig(?:ure)?\.?|abbildung|abb\.|figura)\s*\d+[.:]?\s*", re.I)  # "Figure 2: "


def image_alone(node: Node) -> Node | None:
    """The image of a paragraph that holds nothing else."""
    if node["t"] not in ("Para", "Plain"):
        return None
    visible = [n for n in node["c"] if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
    return visible[0] if len(visible) == 1 and visible[0]["t"] == "Image" else None


def join_captions(draft: Draft) -> None:
    """A paragraph in a caption style next to an image or a table Pandoc left uncaptioned
    becomes its caption (below an image, above or below a table, as Word places them)."""
    for blocks in block_lists(draft.blocks):
        out: list[Node] = []
        for node in blocks:
            previous = out[-1] if out else None
            if previous is not None and _is_caption(draft, node, FIGURE_LABEL) and image_alone(previous) is not None:
                out[-1] = {"t": "Figure", "c": [["", [], []], [None, [{"t": "Plain", "c": node["c"]}]],
                                                [{"t": "Plain", "c": [image_alone(previous)]}]]}
                draft.places.same(out[-1], previous)
                continue
            if previous is not None and _is_caption(draft, node, TABLE_LABEL) and previous["t"] == "Table" \
                    and not text(previous["c"][1][1]):
                previous["c"][1][1] = [{"t": "Plain", "c": node["c"]}]
                continue
            if node["t"] == "Table" and previous is not None and _is_caption(draft, previous, TABLE_LABEL) \
                    and not text(node["c"][1][1]):
                node["c"][1][1] = [{"t": "Plain", "c": previous["c"]}]
                out[-1] = node
                continue
            out.append(node)
        blocks[:] = out


def _is_caption(draft: Draft, node: Node, label: re.Pattern[str]) -> bool:
    """A paragraph in a caption style, or (where the reader gives no styles, as for OpenDocument,
    or the author typed it) one that starts with the label: "Figure 2:", "Table 1."."""
    if node["t"] not in ("Para", "Plain") or not text(node["c"]):
        return False
    return bool(CAPTION_STYLE.search(draft.style(node))) or bool(label.match(text(node["c"])))


def tables(draft: Draft) -> None:
    """Every table keeps its header row; one without a header row gets its first row as one."""
    number = 0
    for blocks in block_lists(draft.blocks):
        for node in blocks:
            if node["t"] != "Table":
                continue
            number += 1
            attr, caption, columns, head, bodies, _foot = node["c"]
            attr[2] = []  # Word's table style means nothing to the editions
            for column in columns:  # nor do its widths, which would make every table a grid table
                column[1] = {"t": "ColWidthDefault"}
            name = f"Table {number}" + (f" ({short(text(caption[1]), 40)})" if text(caption[1]) else "")
            place = f"{name}, {draft.place(node)}"
            rows = [row for body in bodies for row in body[3]]
            if not head[1] and len(rows) > 1:
                head[1] = [rows[0]]
                for body in bodies:
                    if body[3] and body[3][0] is rows[0]:
                        body[3] = body[3][1:]
                        break
                draft.report.attention(place, "it has no header row, so its first row was made the header (readers "
                                       "of every edition hear each cell with its column's header): check that it is "
                                       "one; in Word, mark a header row with 'Repeat as header row'")
            elif head[1]:
                draft.report.kept(place, "kept with its header row" + (" and caption" if text(caption[1]) else ""))
            if not text(caption[1]):
                draft.report.attention(place, "it has no caption: a caption tells readers what the table shows "
                                       "before they enter it (in Word: References > Insert Caption)")


def figures(draft: Draft, work: Path) -> None:
    """Each image gets a readable file name under ``images/`` and its alt text; an image whose
    source is on the network, or that no edition can show, is reported."""
    taken: set[str] = set()
    seen: set[int] = set()  # a figure's image is met again in the figure's own blocks
    for blocks in block_lists(draft.blocks):
        for node in blocks:
            caption = text(node["c"][1][1]) if node["t"] == "Figure" else ""
            for inlines in _inline_lists_in(node):
                for index, image in enumerate(inlines):
                    if image["t"] != "Image" or id(image) in seen:
                        continue
                    seen.add(id(image))
                    count = len(seen)
                    keep = _image(draft, image, caption, f"Figure {count}, {draft.place(node)}", taken, work)
                    if keep and image_alone(node) is image:
                        _alt_as_attribute(image)
                    if not keep:
                        inlines[index] = {"t": "Str", "c": ""}


def _inline_lists_in(node: Node) -> list[list[Node]]:
    if node["t"] == "Figure":
        return [inner for block in node["c"][2] for inner in ([block["c"]] if block["t"] in ("Para", "Plain") else [])]
    if node["t"] in ("Para", "Plain", "Header"):
        return list(inline_lists([node]))
    return []


def _image(draft: Draft, image: Node, caption: str, place: str, taken: set[str], work: Path) -> bool:
    attr, description, target = image["c"]
    src = target[0]
    attr[2] = [(k, v) for k, v in attr[2] if k == "alt"]  # sizes are the editions' to choose
    target[1] = ""
    alt = dict(attr[2]).get("alt") or text(description)
    if AUTOMATIC_ALT.search(alt):
        draft.report.attention(place, f"its alt text {short(alt, 60)} was written by Word's automatic description: "
                               "say what the image shows, for readers who cannot see it")
    if not alt and caption:
        draft.report.attention(place, f"it has no alt text, so its caption {short(caption, 50)} stands in: describe "
                               "what the image shows in the original (Word: right-click > View Alt Text) or as "
                               "{alt=\"...\"} after the image in article.md")
    elif not alt:
        draft.report.attention(place, "it has neither alt text nor a caption: readers who cannot see it learn "
                               "nothing; describe what it shows as ![what it shows](...) in article.md")
    local = _local_file(draft, src)
    if local is None:
        draft.report.attention(place, f"the image {short(src, 60)} is not in the document or beside it (it is on "
                               "the network, and images are never fetched): it was left out; save it under images/ "
                               "and add it as ![what it shows](images/NAME)")
        return False
    shown, how = images.convert(local, work)
    name = images.readable_name(LABEL.sub("", caption) or alt, f"figure-{len(taken) + 1}", (shown or local).suffix,
                                taken)
    draft.images[name] = shown or local
    target[0] = f"images/{name}"
    if shown is None:
        draft.report.attention(place, f"images/{name} is {how}: convert it to PNG or SVG and point the figure at "
                               "the new file, or the build will refuse it")
    elif how:
        draft.report.changed(place, f"images/{name}: {how}")
    return True


def _alt_as_attribute(image: Node) -> None:
    """An image alone in its paragraph keeps its alt text as ``{alt=...}``: written as its
    description, it would become a visible caption (Pandoc's implicit figure)."""
    attr, description, _target = image["c"]
    alt = dict(attr[2]).get("alt") or text(description)
    if alt:
        attr[2] = [["alt", alt]]
    image["c"][1] = []


def _local_file(draft: Draft, src: str) -> Path | None:
    """The file an image's source names, if it is one Pandoc extracted or one beside the source."""
    parts = urlsplit(src)
    if (parts.scheme and len(parts.scheme) > 1 and parts.scheme != "file") or parts.netloc:
        return None
    path = Path(unquote(parts.path))
    for root in (draft.media, draft.source.parent):
        if root is None:
            continue
        candidate = (path if path.is_absolute() else root / path).resolve()
        if candidate.is_relative_to(root.resolve()) and candidate.is_file():
            return candidate
    return None
