"""What Pandoc does not read from a Word or OpenDocument file: its properties (author, subject,
keywords, language, dates), its comments, its tracked changes and its citation fields."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from publish.errors import SourceError

MAX_PART_BYTES = 64 * 1024 * 1024  # a part larger than this is not a document's text
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
# Names Word and LibreOffice put in the author field when nobody typed one.
PLACEHOLDER_AUTHORS = frozenset({"", "author", "user", "admin", "administrator", "microsoft office user",
                                 "windows user", "unknown", "owner", "python-docx"})


@dataclass
class Facts:
    """A document's own account of itself, and what Pandoc leaves out of its text."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    subject: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    lang: str = ""
    lang_from: str = ""  # where the language was found
    created: str = ""  # ISO dates
    modified: str = ""
    comments: int = 0
    insertions: int = 0
    deletions: int = 0
    endnote_fields: int = 0  # EndNote's citation fields, which Pandoc cannot read


def _part(archive: zipfile.ZipFile, name: str, path: Path) -> ET.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise SourceError(path, f"its part {name} is {info.file_size // 2**20} MB, more than a document holds")
    try:
        return ET.fromstring(archive.read(info))
    except ET.ParseError as exc:
        raise SourceError(path, f"its part {name} is not well-formed XML ({exc})") from None


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(path, f"cannot be opened as a {path.suffix.lower()} file ({exc})") from None


def _text(root: ET.Element | None, tag: str) -> str:
    found = root.find(tag) if root is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


def authors(names: str) -> list[str]:
    people = [" ".join(name.split()) for name in re.split(r"\s*;\s*|\s+and\s+", names)]
    return [name for name in people if name.casefold() not in PLACEHOLDER_AUTHORS]


def _keywords(words: str) -> list[str]:
    return [w.strip() for w in re.split(r"[;,]", words) if w.strip()]


def docx_facts(path: Path) -> Facts:
    with _open(path) as archive:
        core = _part(archive, "docProps/core.xml", path)
        facts = Facts(
            title=_text(core, f"{DC}title"), authors=authors(_text(core, f"{DC}creator")),
            subject=_text(core, f"{DC}subject"), description=_text(core, f"{DC}description"),
            keywords=_keywords(_text(core, f"{CP}keywords")), lang=_text(core, f"{DC}language"),
            created=_text(core, f"{DCTERMS}created")[:10], modified=_text(core, f"{DCTERMS}modified")[:10])
        facts.lang_from = "the document's properties" if facts.lang else ""
        if not facts.lang:
            styles = _part(archive, "word/styles.xml", path)
            lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang") if styles is not None else None
            facts.lang = lang.get(f"{W}val", "") if lang is not None else ""
            facts.lang_from = "Word's default language" if facts.lang else ""
        comments = _part(archive, "word/comments.xml", path)
        facts.comments = len(comments.findall(f"{W}comment")) if comments is not None else 0
        for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
            root = _part(archive, name, path)
            if root is None:
                continue
            # A change to a paragraph mark or a run's formatting holds no text: only text counts.
            facts.insertions += sum(1 for e in root.iter(f"{W}ins") if e.find(f".//{W}t") is not None)
            facts.insertions += sum(1 for e in root.iter(f"{W}moveTo") if e.find(f".//{W}t") is not None)
            facts.deletions += sum(1 for e in root.iter(f"{W}del") if e.find(f".//{W}delText") is not None)
            facts.endnote_fields += sum(1 for e in root.iter(f"{W}instrText") if "EN.CITE" in (e.text or ""))
    return facts


def odt_facts(path: Path) -> Facts:
    with _open(path) as archive:
        meta = _part(archive, "meta.xml", path)
        info = meta.find(f"{OFFICE}meta") if meta is not None else None
        keywords = [" ".join((k.text or "").split()) for k in info.iter(f"{META}keyword")] if info is not None else []
        facts = Facts(
            title=_text(info, f"{DC}title"),
            authors=authors(_text(info, f"{META}initial-creator") or _text(info, f"{DC}creator")),
            subject=_text(info, f"{DC}subject"), description=_text(info, f"{DC}description"),
            keywords=[k for keyword in keywords for k in _keywords(keyword)], lang=_text(info, f"{DC}language"),
            created=_text(info, f"{META}creation-date")[:10], modified=_text(info, f"{DC}date")[:10])
        facts.lang_from = "the document's properties" if facts.lang else ""
        if not facts.lang:
            facts.lang, facts.lang_from = _odt_default_language(_part(archive, "styles.xml", path)), \
                "the document's default language"
        content = _part(archive, "content.xml", path)
        if content is not None:
            facts.comments = sum(1 for _ in content.iter(f"{OFFICE}annotation"))
            facts.insertions = sum(1 for _ in content.iter(f"{TEXT}insertion"))
            facts.deletions = sum(1 for _ in content.iter(f"{TEXT}deletion"))
    return facts


def _odt_default_language(styles: ET.Element | None) -> str:
    if styles is None:
        return ""
    for default in styles.iter(f"{STYLE}default-style"):
        if default.get(f"{STYLE}family") != "paragraph":
            continue
        props = default.find(f"{STYLE}text-properties")
        language = props.get(f"{FO}language", "") if props is not None else ""
        country = props.get(f"{FO}country", "") if props is not None else ""
        if language and language != "none":
            return f"{language}-{country}" if country and country != "none" else language
    return ""
