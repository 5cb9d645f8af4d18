"""Bibliography files named by ``bibliography:``, read into CSL items as Pandoc's citeproc reads them.

BibTeX and BibLaTeX go through Pandoc (``-t csljson``: accents, braces and month macros
decoded, entry types mapped to CSL types), with what it leaves undone done here: the AAS journal
macros (``{\\apj}``), math in titles (``$\\nabla$``, written in Unicode) and ``and others`` (et
al.). CSL JSON and CSL YAML are read as they are. Files must lie in the article's folder, like
every other asset.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from publish import citations, pandoc
from publish.errors import SourceError
from publish.folder import locate
from publish.frontmatter import Fields, FrontMatter
from publish.model import SourceWarning

PANDOC_FORMATS = {".bib": "biblatex", ".bibtex": "bibtex", ".ris": "ris"}
READABLE = (*PANDOC_FORMATS, ".json", ".yaml", ".yml")
# BibTeX @misc (and unknown types) has no CSL type; styles treat a typeless item as this.
FALLBACK_TYPE = "article"
JOURNAL_MACROS: dict[str, str] = {
    name: journal for name, journal in json.loads(
        (Path(__file__).parent / "data" / "journal-macros.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")}
JOURNAL_MACRO = re.compile(r"\\(" + "|".join(sorted(JOURNAL_MACROS, key=len, reverse=True)) + r")(?![A-Za-z])")
INLINE_MATH = re.compile(r"\$([^$]+)\$")
TEXT_FIELDS = ("title", "container-title", "collection-title")  # where BibTeX writes math


def gather(front: FrontMatter, fields: Fields, path: Path, max_references: int) -> tuple[list[dict[str, Any]],
                                                                                       dict[str, int]]:
    """Every reference the article can cite, checked: its inline ``references`` (which win on a
    shared id, as in Pandoc), then the ``bibliography`` files'; and the line each comes from."""
    inline = front.data.get("references")
    if isinstance(inline, list) and len(inline) > max_references:
        raise fields.error("references", f"the article has {len(inline):,} references, over the limit "
                           f"of {max_references:,}")
    item_lines = front.item_lines.get("references", [])
    inline_items = citations.validate(inline, item_lines, path, front.lines.get("references", 2))
    bib_line = front.lines.get("bibliography", 2)
    inline_keys = {item["id"].lower() for item in inline_items}
    from_files = [item for item in file_items(front.data.get("bibliography"), path.parent, path, bib_line,
                                              fields.warnings) if str(item.get("id", "")).lower() not in inline_keys]
    if len(inline_items) + len(from_files) > max_references:
        raise fields.error("bibliography", f"the article has {len(inline_items) + len(from_files):,} references, "
                           f"over the limit of {max_references:,}")
    from_files = citations.validate(from_files, [bib_line] * len(from_files), path, bib_line)
    lines = {item["id"]: bib_line for item in from_files}
    lines.update({item["id"]: line for item, line in zip(inline_items, item_lines, strict=False)})
    return [*inline_items, *from_files], lines


def names(value: Any) -> tuple[str, ...]:
    """The file names ``bibliography`` gives (a name or a list of them)."""
    listed = value if isinstance(value, list) else [value] if value is not None else []
    return tuple(name.strip() for name in listed if isinstance(name, str) and name.strip())


def missing(value: Any, article_dir: Path) -> tuple[str, ...]:
    """The files ``bibliography`` names that are not in the article's folder."""
    return tuple(name for name in names(value) if locate(name, article_dir)[1:] != (True, True))


def file_items(value: Any, article_dir: Path, path: Path, line: int,
               warnings: list[SourceWarning]) -> list[dict[str, Any]]:
    """Every CSL item of every file named by ``bibliography`` (a name or a list), in file order;
    of two items with one id the first is kept, with a warning."""
    names = value if isinstance(value, list) else [value] if value is not None else []
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise SourceError(path, "'bibliography' must name a file, or a list of files", line, 1)
        for item in _read(name.strip(), article_dir, path, line, warnings):
            key = str(item.get("id", ""))
            if key.lower() in seen:
                warnings.append(SourceWarning(str(path), line, 1, f"the reference '{key}' is in '{name}' twice, "
                                              "or in two files: the first is used"))
                continue
            seen.add(key.lower())
            if not item.get("type"):
                item["type"] = FALLBACK_TYPE
            for field in [f for f, v in item.items() if isinstance(v, dict) and v.get("date-parts") == []]:
                del item[field]  # "year = {submitted}": no date Pandoc could read, so none (n.d.)
            if not str(item.get("title", "")).strip():
                warnings.append(SourceWarning(str(path), line, 1, f"the reference '{key}' in '{name}' has no title"))
                item["title"] = key
            items.append(item)
    return items


def _read(name: str, article_dir: Path, path: Path, line: int,
          warnings: list[SourceWarning]) -> list[dict[str, Any]]:
    file, inside, found = locate(name, article_dir)
    if not inside:  # never read (an R package keeps it in ../inst/): its keys are unknown, each warned of
        warnings.append(SourceWarning(str(path), line, 1, f"the bibliography '{name}' is outside the article's "
                                      "folder, and a build reads nothing outside it: copy it beside the article"))
        return []
    if not found:  # its citations, if any, are then unknown keys, each a warning at its place
        warnings.append(SourceWarning(str(path), line, 1, f"the bibliography '{name}' cannot be found in the "
                                      "article's folder, so none of its references is listed"))
        return []
    suffix = file.suffix.lower()
    if suffix not in READABLE:
        raise SourceError(path, f"the bibliography '{name}' is not a kind this toolkit reads "
                          f"({', '.join(READABLE)})", line, 1)
    try:
        text = file.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"the bibliography '{name}' cannot be read as UTF-8 text ({exc})", line, 1) from None
    if suffix in PANDOC_FORMATS:
        text = JOURNAL_MACRO.sub(lambda m: "{" + JOURNAL_MACROS[m.group(1)] + "}", text)
        data: Any = pandoc.run(["-f", PANDOC_FORMATS[suffix], "-t", "csljson"], text, path, line)
        if isinstance(data, list):
            data = _finish_bibtex([item for item in data if isinstance(item, dict)])
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SourceError(path, f"the bibliography '{name}' is not CSL JSON: {exc}", line, 1) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SourceError(path, f"the bibliography '{name}' is not CSL YAML: {exc}", line, 1) from None
        if isinstance(data, dict):
            data = data.get("references")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceError(path, f"the bibliography '{name}' holds no list of references", line, 1)
    return [dict(item) for item in data]


def _finish_bibtex(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Pandoc's BibTeX reader leaves for its citeproc: ``and others`` as the marker of a
    list cut short, and ``$...$`` in titles as math, which is written here in Unicode."""
    for item in items:
        for role in ("author", "editor"):
            people = item.get(role)
            if isinstance(people, list) and people and people[-1] == {"literal": "others"}:
                item[role] = [*people[:-1], citations.ET_AL]
    places = [(item, name) for item in items for name in TEXT_FIELDS
              if isinstance(item.get(name), str) and INLINE_MATH.search(item[name])]
    formulas = sorted({m.group(1) for item, name in places for m in INLINE_MATH.finditer(item[name])})
    if formulas:
        unicode = _math_as_text(formulas)
        for item, name in places:
            item[name] = INLINE_MATH.sub(lambda m: unicode.get(m.group(1), m.group(0)), item[name])
    return items


def _math_as_text(formulas: list[str]) -> dict[str, str]:
    """TeX formulas as Pandoc's plain-text writer gives them (``\\nabla\\cdot B`` is "∇ ⋅ B"),
    in one run; a formula it cannot write stays TeX."""
    blocks = [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, tex]}]} for tex in formulas]
    try:
        done = pandoc.write(blocks, ["-t", "plain", "--wrap=none"])
    except (subprocess.TimeoutExpired, pandoc.PandocMissing):
        return {}
    written = done.stdout.decode("utf-8", "replace").strip().split("\n\n")
    if done.returncode != 0 or len(written) != len(formulas):
        return {}
    return {tex: " ".join(text.split()) for tex, text in zip(formulas, written, strict=True) if "\\" not in text}
