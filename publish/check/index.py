"""``dist/index.html``: the publication page a reader lands on.

Every published article with its editions as download links (through ``dist/<slug>/``, the
link to the current version), each with its size, pages or duration, language and the result
of its checks ("not checked yet" until ``publish check`` has run on them), linked to the
article's conformance report. ``publish build`` writes it after every build and ``publish check``
after every check, atomically and one writer at a time (``output.locked_page``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from publish import output
from publish.check.editions import edition_info, edition_order
from publish.check.report import HTML_NAME, environment, human_size

INDEX = "index.html"
LANGUAGES = {
    "ar": "Arabic", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "it": "Italian", "ja": "Japanese",
    "ko": "Korean", "nb": "Norwegian", "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}
REGIONS = {"GB": "UK", "US": "US", "AU": "Australia", "CA": "Canada", "IE": "Ireland", "NZ": "New Zealand",
           "IN": "India", "ZA": "South Africa", "BR": "Brazil", "PT": "Portugal", "MX": "Mexico",
           "AT": "Austria", "CH": "Switzerland", "BE": "Belgium", "FR": "France", "DE": "Germany"}
LINK_TEXT = {"pdf": "Download the PDF", "large-print-pdf": "Download the large-print PDF",
             "epub": "Download the EPUB", "large-print": "Open the large-print web page",
             "audio": "Download the audio (MP3)"}


@dataclass
class Download:
    label: str  # link text
    href: str
    size: str
    media_type: str = ""
    download: bool = True


@dataclass
class EditionEntry:
    name: str
    label: str
    standard: str
    main: Download | None
    extras: list[Download] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # (term, value)
    result: str | None = None  # pass / warn / not-run / fail, None when not checked


@dataclass
class ArticleEntry:
    slug: str
    title: str
    lang: str
    editions: list[EditionEntry]
    result: str | None
    report: str | None  # href of conformance.html
    counts: Mapping[str, int]


def language_name(tag: str) -> str:
    """"en-GB" -> "English (UK)"; unknown tags are shown as they are."""
    parts = tag.replace("_", "-").split("-")
    name = LANGUAGES.get(parts[0].lower())
    if not name:
        return tag or "not stated"
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return f"{name} ({REGIONS.get(region.upper(), region.upper())})" if region else name


def duration_text(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


MEDIA_TYPES = {".pdf": "application/pdf", ".epub": "application/epub+zip", ".html": "text/html",
               ".mp3": "audio/mpeg", ".vtt": "text/vtt"}


def _edition(slug: str, name: str, entry: Mapping[str, Any], lang: str, result: str | None) -> EditionEntry:
    info = edition_info(name)
    files = list(entry.get("files", []))
    downloads: list[Download] = []
    for f in files:
        suffix = Path(str(f["name"])).suffix.lower()
        text = (LINK_TEXT.get(name, f"Download the {info.label.lower()} edition") if not downloads
                else "Download the transcript (WebVTT)" if suffix == ".vtt" else f"Download {f['name']}")
        downloads.append(Download(text,
                                  f"{quote(slug)}/{quote(str(f['name']))}", human_size(f.get("size", 0)),
                                  MEDIA_TYPES.get(suffix, ""), download=suffix != ".html"))
    edition = EditionEntry(name, info.label, info.standard, downloads[0] if downloads else None, downloads[1:],
                           result=result)
    facts = entry.get("facts", {})
    if downloads:
        edition.facts.append(("Size", downloads[0].size))
    if isinstance(facts.get("pages"), int):
        pages = facts["pages"]
        edition.facts.append(("Length", f"{pages} page{'s' if pages != 1 else ''}"))
    if isinstance(facts.get("duration"), int | float):
        edition.facts.append(("Length", duration_text(float(facts["duration"]))))
    if isinstance(facts.get("page_list"), int) and facts["page_list"] > 0:
        source = f" of {facts['pages_from']}" if facts.get("pages_from") else ""
        edition.facts.append(("Pages", f"Page numbers{source}, with a page list"))
    if facts.get("media_overlays") is True:
        edition.facts.append(("Narration", "Read aloud, the text highlighted as it is read"))
    edition.facts.append(("Language", language_name(lang)))
    return edition


def article_entry(dist: Path, slug: str) -> ArticleEntry | None:
    # Under the article's lock: a commit meanwhile would remove the version folder we read.
    with output.locked(dist, slug):
        folder = output.current(dist, slug)
        if folder is None:
            return None
        manifest = output.read_manifest(folder)
        has_report = (folder / HTML_NAME).is_file()
    checks = manifest.get("checks") or {}
    check_facts: Mapping[str, Any] = checks.get("facts", {}) if isinstance(checks, dict) else {}
    results: Mapping[str, str] = check_facts.get("editions", {})
    lang = str(manifest.get("lang") or "")
    names = sorted(manifest["editions"], key=edition_order)
    has_report = has_report and bool(check_facts)
    return ArticleEntry(
        slug=slug,
        title=str(manifest.get("title") or slug),
        lang=lang,
        editions=[_edition(slug, n, manifest["editions"][n], lang, results.get(n) if has_report else None)
                  for n in names],
        result=str(check_facts.get("result")) if has_report else None,
        report=f"{quote(slug)}/{HTML_NAME}" if has_report else None,
        counts=check_facts.get("counts", {}),
    )


def articles(dist: Path) -> list[ArticleEntry]:
    found = []
    for path in sorted(dist.iterdir()) if dist.is_dir() else []:
        if path.name.startswith(".") or not (path / output.MANIFEST).is_file():
            continue
        entry = article_entry(dist, path.name)
        if entry is not None:
            found.append(entry)
    return sorted(found, key=lambda a: a.title.casefold())


def render_index(entries: list[ArticleEntry]) -> str:
    return environment().get_template("index.html.j2").render(articles=entries)


def write_index(dist: Path) -> Path:
    """Write ``dist/index.html`` (``publish check``): never half a page, never an older one
    last (the manifests are read under the page's lock)."""
    with output.locked_page(dist):
        return _write(dist, articles(dist))


def update_index(dist: Path) -> Path | None:
    """``publish build``: write ``dist/index.html`` if anything is published in ``dist``."""
    with output.locked_page(dist):
        entries = articles(dist)
        return _write(dist, entries) if entries else None


def _write(dist: Path, entries: list[ArticleEntry]) -> Path:
    page = render_index(entries)
    target = dist / INDEX
    try:
        if target.read_text(encoding="utf-8") == page:
            return target  # a build with nothing new leaves the page (and its date) alone
    except (OSError, UnicodeDecodeError):
        pass
    return output.replace_file(dist, INDEX, page)
