"""Authors and affiliations as Pandoc, JOSS (inara) and Quarto front matter write them.

``author`` and ``authors`` are synonyms (``authors`` wins), so are ``affiliation`` and
``affiliations``. An author is a name, or a mapping with ``name`` (a text, or a mapping of
parts) or the parts themselves (given/family in Quarto's and CSL's words, given-names/surname
in JOSS's). An author's ``affiliation`` is JOSS's "1, 2" (indices into ``affiliations``),
Quarto's ``{ref: id}``, or the affiliation's own name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from publish.errors import SourceError
from publish.model import Affiliation, Author

GIVEN = ("given-names", "given", "given_name", "first", "firstname")
FAMILY = ("surname", "family", "family_name", "last", "lastname")
PARTICLES = ("non-dropping-particle", "dropping-particle")
ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])$")
FLAGS = {"corresponding": ("corresponding",), "equal_contrib": ("equal-contrib", "equal-contributor")}


# LaTeX that JOSS authors put in names and affiliations for their PDF: a line break goes (every
# edition sets its own lines), an escaped character stays as the character, and dashes are
# Pandoc's (smart typography: "Urbana--Champaign" has an en dash).
LATEX_BREAK = re.compile(r"\\(?:linebreak|newline|break)\b|\\\\")
LATEX_ESCAPE = re.compile(r"\\([&%$#_])")
LATEX_THANKS = re.compile(r"\s*\\thanks\{((?:[^{}\]]|\{[^{}]*\})*)\}")


def _text(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        # LaTeX's \thanks{...} after a name is the note JOSS writes ^[...]: read the same way.
        text = LATEX_THANKS.sub(lambda m: f"^[{m.group(1)}]", str(value))
        text = LATEX_ESCAPE.sub(r"\1", LATEX_BREAK.sub(" ", text))
        text = text.replace("---", "\u2014").replace("--", "\u2013")
        return " ".join(text.replace("{", "").replace("}", "").split())  # BibTeX braces protect case only
    return ""


def orcid_url(value: Any) -> str:
    """ORCID's URL for an iD written bare or as a URL, or "" when its check digit is wrong."""
    match = ORCID.match(_text(value))
    if not match:
        return ""
    digits = "".join(match.groups()).upper()
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        return ""
    return "https://orcid.org/" + "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def name_of(entry: dict[str, Any]) -> str:
    """The display name: ``name`` (text), else ``literal``, else the parts joined."""
    name = entry.get("name")
    if isinstance(name, dict):
        return name_of({k: v for k, v in name.items()})
    if _text(name):
        return _footnote_free(_text(name))
    if _text(entry.get("literal")):
        return _text(entry["literal"])
    given = next((_text(entry[k]) for k in GIVEN if _text(entry.get(k))), "")
    family = next((_text(entry[k]) for k in FAMILY if _text(entry.get(k))), "")
    parts = [given, _text(entry.get("dropping-particle")), _text(entry.get("non-dropping-particle")), family]
    name_text = " ".join(p for p in parts if p)
    suffix = _text(entry.get("suffix"))
    return f"{name_text}, {suffix}" if name_text and suffix else name_text


def _footnote_free(name: str) -> str:
    """JOSS names may carry a note, ``Jane Doe^[Corresponding author]``: the name is before it."""
    return re.sub(r"\^\[[^\]]*\]", "", name).strip()


def _note_of(value: Any) -> str:
    found = re.search(r"\^\[([^\]]*)\]", _text(value) if not isinstance(value, dict) else "")
    return found.group(1).strip() if found else ""


def read_people(data: dict[str, Any], lines: dict[str, int], path: Any) -> tuple[tuple[Author, ...],
                                                                                  tuple[Affiliation, ...]]:
    """The authors and the affiliations they point at, in the order the front matter gives."""
    key = "authors" if "authors" in data else "author"
    affiliation_key = "affiliations" if "affiliations" in data else "affiliation"

    def error(message: str, which: str = key) -> SourceError:
        return SourceError(path, message, lines.get(which, 2), 1)

    affiliations: list[Affiliation] = []
    by_id: dict[str, Affiliation] = {}

    def add(name: str, given_id: str = "", ror: str = "") -> str:
        for known in affiliations:
            if known.name == name and (not given_id or known.id == given_id):
                return known.id
        aff = Affiliation(given_id or f"aff-{len(affiliations) + 1}", name, ror)
        affiliations.append(aff)
        by_id[aff.id] = aff
        return aff.id

    top = data.get(affiliation_key)
    for index, item in enumerate(top if isinstance(top, list) else [top] if top else [], start=1):
        if isinstance(item, dict):
            name = _text(item.get("name")) or _text(item.get("department"))
            if not name:
                raise error("each of 'affiliations' needs a 'name'", affiliation_key)
            given = _text(item.get("index")) or _text(item.get("id")) or str(index)
            add(name, given, _text(item.get("ror")))
        elif _text(item):
            add(_text(item), str(index))
        else:
            raise error("each of 'affiliations' must be a name or a mapping with 'name'", affiliation_key)

    value = data.get(key)
    authors: list[Author] = []
    for item in value if isinstance(value, list) else [] if value is None else [value]:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            name = _footnote_free(_text(item))
            note = _note_of(item)
            if name:
                authors.append(_flagged(Author(name=name), note))
            continue
        if not isinstance(item, dict):
            raise error(f"each '{key}' must be a name, or a mapping with 'name'")
        name = name_of(item)
        if not name:
            raise error(f"an author in '{key}' has no name: give 'name', or 'given-names' and 'surname'")
        refs: list[str] = []
        own = item.get("affiliation", item.get("affiliations"))
        for part in own if isinstance(own, list) else [own] if own is not None else []:
            if isinstance(part, dict) and "ref" in part:
                ref = _text(part["ref"])
                if ref not in by_id:
                    raise error(f"the author {name} refers to the affiliation '{ref}', which 'affiliations' does "
                                "not define")
                refs.append(ref)
            elif isinstance(part, dict):
                refs.append(add(_text(part.get("name")) or "?", _text(part.get("id")), _text(part.get("ror"))))
            else:
                for token in (t.strip() for t in _text(part).split(",")):
                    if token:
                        refs.append(token if token in by_id else add(token))
        attributes: dict[str, Any] = item["attributes"] if isinstance(item.get("attributes"), dict) else {}
        flags = {field: any(item.get(k) is True or attributes.get(k) is True for k in keys)
                 for field, keys in FLAGS.items()}
        authors.append(_flagged(Author(name=name, orcid=orcid_url(item.get("orcid")), affiliations=tuple(refs),
                                       email=_text(item.get("email")), note=_text(item.get("note")), **flags),
                                _note_of(item.get("name"))))
    if sum(a.equal_contrib for a in authors) == 1 and len(authors) > 1:
        # JOSS: one equal contributor means the first two authors contributed equally.
        authors = [a if i > 1 else replace(a, equal_contrib=True) for i, a in enumerate(authors)]
    used = {ref for a in authors for ref in a.affiliations}
    return tuple(authors), tuple(a for a in affiliations if a.id in used or not authors)


def _flagged(author: Author, note: str) -> Author:
    """A note in the name says what it means: "equal contribution", "corresponding author"."""
    if not note:
        return author
    lowered = note.lower()
    if "equal" in lowered and "contrib" in lowered:
        return replace(author, equal_contrib=True)
    if "correspond" in lowered:
        return replace(author, corresponding=True)
    return replace(author, note=note)
