"""Front matter: the YAML block at the top of ``article.md``, in Pandoc's conventions."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from publish.errors import SourceError
from publish.model import SourceWarning

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
PAPER_SIZES = ("a4", "letter")
MAX_ALIAS_USES = 100  # YAML aliases beyond this are an expansion bomb, not an article
# Characters XML 1.0 forbids (so no EPUB page can hold them) or that never belong in prose:
# C0 and C1 controls other than tab and newline, and the non-characters U+FFFE and U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# strptime forms, tried in turn on the date with commas and full stops made spaces.
# "21.09.2020", with dots, is day first (as in Europe); "09/21/2020", with slashes, month first.
DATE_FORMS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%m/%d/%Y", "%Y%m%d", "%B %Y", "%b %Y", "%Y %m %d",
              "%d %m %Y")
MAX_NODES = 100_000  # YAML nodes once aliases are expanded: a few aliases can still mean billions


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]  # top-level key -> line of its value in article.md
    item_lines: dict[str, list[int]]  # list-valued key -> line of each item
    body: str
    body_line: int  # line number in article.md where the Markdown body starts
    key_places: dict[str, tuple[int, int]] = field(default_factory=dict)  # top-level key -> its line, column
    warnings: tuple[SourceWarning, ...] = ()


class _CountingLoader(yaml.SafeLoader):
    """A safe loader that refuses alias bombs ("billion laughs")."""

    alias_uses = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.alias_uses += 1
            if self.alias_uses > MAX_ALIAS_USES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.MarkedYAMLError(problem="too many YAML aliases", problem_mark=mark)
        return super().compose_node(parent, index)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # Values such as "!!int abc" or a 13th month fail with bare Python errors; give them a place.
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value ({exc})",
                                                    node.start_mark) from None


def _check_size(root: yaml.Node, path: Path, warnings: list[SourceWarning]) -> None:
    """Refuse front matter that aliases expand past MAX_NODES, or that contains itself."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        mark = node.start_mark
        if id(node) in open_nodes:
            raise SourceError(path, "a YAML alias refers to a value that contains it", mark.line + 2, mark.column + 1)
        open_nodes.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
            _check_unique_keys(node, path, warnings)
        total = 1
        for child in children:
            total += size(child)
            if total > MAX_NODES:
                raise SourceError(path, f"the front matter holds over {MAX_NODES:,} values once its YAML "
                                  "aliases are expanded", mark.line + 2, mark.column + 1)
        open_nodes.discard(id(node))
        sizes[id(node)] = total
        return total

    size(root)


def _check_unique_keys(node: yaml.MappingNode, path: Path, warnings: list[SourceWarning]) -> None:
    """YAML keeps the last of two equal keys without a word, so the first value would be lost:
    an error, unless both say the same (a published JOSS paper gives an author's ORCID twice)."""
    seen: dict[tuple[str, str], tuple[int, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":  # "<<" merges, and may repeat
            continue
        line, col = key_node.start_mark.line + 2, key_node.start_mark.column + 1
        if (key_node.tag, key_node.value) in seen:
            first, earlier = seen[key_node.tag, key_node.value]
            message = f"the key '{key_node.value}' is given twice (first on line {first})"
            if not (isinstance(earlier, yaml.ScalarNode) and isinstance(value_node, yaml.ScalarNode)
                    and earlier.value == value_node.value):
                raise SourceError(path, message, line, col)
            warnings.append(SourceWarning(str(path), line, col, f"{message}, with the same value"))
        seen[key_node.tag, key_node.value] = (line, value_node)


def split(text: str, path: Path) -> FrontMatter:
    """Separate the YAML front matter from the Markdown body and load it safely."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise SourceError(path, "the article must start with YAML front matter between '---' lines", 1, 1)
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in ("---", "...")), 0)
    if not end:
        raise SourceError(path, "the front matter is not closed: add a line with '---' after it", 1, 1)
    yaml_text = "\n".join(lines[1:end])
    try:
        node, data, warnings = _load(yaml_text, path)
    except SourceError as error:
        # YAML forbids tabs as indentation; Pandoc's reader takes them, and papers have them.
        tabbed = [number for number, line in enumerate(lines[1:end], start=2) if line.startswith("\t")]
        if not tabbed:
            raise
        try:
            node, data, warnings = _load(re.sub(r"(?m)^\t+", lambda m: "  " * len(m.group()), yaml_text), path)
        except SourceError:
            raise error from None
        warnings.insert(0, SourceWarning(str(path), tabbed[0], 1, "the front matter is indented with tabs, which "
                                         "YAML does not allow; each is read as two spaces"))
    key_lines: dict[str, int] = {}
    key_places: dict[str, tuple[int, int]] = {}
    item_lines: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines[key] = value_node.start_mark.line + 2
            key_places[key] = (key_node.start_mark.line + 2, key_node.start_mark.column + 1)
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    for key, value in data.items():
        bad = _control_in(value)
        if bad:  # YAML lets escapes such as "\x13" through
            raise SourceError(path, f"'{key}' contains the control character U+{ord(bad):04X}, which no edition "
                              "can show; remove it", key_lines.get(str(key), 2), 1)
    return FrontMatter(
        data={str(k): v for k, v in data.items()},
        lines=key_lines,
        item_lines=item_lines,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        key_places=key_places,
        warnings=tuple(warnings),
    )


def _load(yaml_text: str, path: Path) -> tuple[yaml.Node | None, dict[str, Any], list[SourceWarning]]:
    """The front matter's YAML as a node (for the lines of keys) and as data, safely."""
    warnings: list[SourceWarning] = []
    try:
        loader = _CountingLoader(yaml_text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as exc:
        before = yaml_text[: exc.position]
        code = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        raise SourceError(path, f"malformed YAML front matter: {exc.reason}{code}",
                          before.count("\n") + 2, len(before) - before.rfind("\n")) from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_size(node, path, warnings)
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_line = mark.line + 2 if mark else 1
        col = mark.column + 1 if mark else 1
        problem = (exc.problem or exc.context or "invalid YAML").rstrip(".")
        raise SourceError(path, f"malformed YAML front matter: {problem}", at_line, col) from None
    except yaml.YAMLError as exc:
        raise SourceError(path, f"malformed YAML front matter: {exc}", 2, 1) from None
    except RecursionError:
        raise SourceError(path, "the YAML front matter is nested too deeply", 2, 1) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SourceError(path, "the front matter must be a mapping of keys to values", 2, 1)
    return node, data, warnings


def _control_in(value: Any) -> str:
    """The first forbidden control character in a YAML value, at any depth (keys included)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = CONTROL.search(item)
            if found:
                return found.group()
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
    return ""


def misspelt_key(front: FrontMatter, path: Path, known: Sequence[str], others: Sequence[str] = ()) -> None:
    """Refuse a key that is not one of ``known`` but nearly is (``disclamer``, ``Title``).

    Other unknown keys are left alone: Pandoc front matter holds keys for other tools, and
    ``others`` names those that could pass for a misspelling of ours.
    """
    for key in front.data:
        if key in known or key in others:
            continue
        close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.8)
        if close:
            line, col = front.key_places.get(key, (2, 1))
            raise SourceError(path, f"unknown key '{key}': did you mean '{close[0]}'? (keys this toolkit does not "
                              "use are ignored, but this one looks misspelt)", line, col)


class Fields:
    """Typed access to front-matter values, each failure naming the key's line."""

    def __init__(self, front: FrontMatter, path: Path):
        self.front = front
        self.path = path
        self.warnings: list[SourceWarning] = list(front.warnings)

    def error(self, key: str, message: str) -> SourceError:
        return SourceError(self.path, message, self.front.lines.get(key, 2), 1)

    def text(self, key: str, required: bool = False) -> str:
        value = self.front.data.get(key)
        if value is None or value == "":
            if required:
                raise SourceError(self.path, f"the front matter has no '{key}': add '{key}: ...'", 2, 1)
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"'{key}' must be text")
        return str(value).strip()

    def flag(self, key: str) -> bool:
        """A yes/no key: ``true`` or ``false`` (absent: no)."""
        value = self.front.data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, f"'{key}' must be true or false")
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.front.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
            return tuple(str(v).strip() for v in value)
        raise self.error(key, f"'{key}' must be a list of texts")

    def authors(self) -> tuple[str, ...]:
        value = self.front.data.get("author")
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        names: list[str] = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.append(item["name"].strip())
            elif isinstance(item, str) and item.strip():
                names.append(item.strip())
            else:
                raise self.error("author", "each 'author' must be a name, or a mapping with 'name'")
        return tuple(names)

    def language(self) -> str:
        """The ``lang`` tag, or "" when there is none (the reader then finds it from the text)."""
        lang = self.text("lang")
        if lang and not LANGUAGE_TAG.match(lang):
            raise self.error("lang", f"'lang: {lang}' is not a language tag such as 'en' or 'en-GB'")
        return lang

    def date(self) -> str:
        """The date as ISO 8601, from the forms people write: 2019-10-11, 11 October 2019,
        October 11, 2019, 10/11/2019, "1 April" with a separate ``year``, today."""
        date = self.text("date")
        if not date:
            return ""
        if date.lower() in ("today", "now", "last-modified"):
            stamp = os.environ.get("SOURCE_DATE_EPOCH", "")
            day = (dt.datetime.fromtimestamp(int(stamp), dt.UTC) if stamp.isdigit() else dt.datetime.now(dt.UTC))
            return day.date().isoformat()
        if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", date) and _real_date(date):
            return date
        year = self.text("year")
        with_year = f"{date} {year}" if year and not re.search(r"\b\d{4}\b", date) else date
        for form in DATE_FORMS:
            try:
                written = " ".join(with_year.replace(",", " ").replace(".", " ").split())
                return dt.datetime.strptime(written, form).date().isoformat()
            except ValueError:
                continue
        line, col = self.front.key_places.get("date", (2, 1))
        self.warnings.append(SourceWarning(str(self.path), line, col, f"'date: {date}' is not a date this toolkit "
                                           "can read (such as 2024-05-01 or 1 May 2024), so the editions show none"))
        return ""

    def papersize(self) -> str:
        size = self.text("papersize").lower() or "a4"
        if size not in PAPER_SIZES:
            raise self.error("papersize", f"'papersize: {size}' must be one of: {', '.join(PAPER_SIZES)}")
        return size


def _real_date(text: str) -> bool:
    """Whether a YYYY, YYYY-MM or YYYY-MM-DD text names a day, month or year of the calendar."""
    try:
        dt.date.fromisoformat((text + "-01-01")[:10])
    except ValueError:
        return False
    return True
