"""``publish import``: a Word, OpenDocument or HTML document as an article source.

Pandoc reads the document; the import cleans what it gives (title, heading levels, figures,
captions, links, citations, front matter) and writes ``<into>/<slug>/article.md`` with its
images, and a report of what it kept, what it changed and what needs the author."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from publish.errors import UsageError
from publish.ids import slugify
from publish.importing import docx, html, odt, writer
from publish.importing.draft import Draft
from publish.importing.report import Report

READERS: dict[str, Callable[[Path, Path, bool], Draft]] = {
    ".docx": docx.read, ".odt": odt.read, ".html": html.read, ".htm": html.read, ".xhtml": html.read,
}


@dataclass(frozen=True)
class Imported:
    article: Path
    report: Report


def import_document(source: Path, into: Path, slug: str | None = None, *, force: bool = False,
                    with_date: bool = False) -> Imported:
    """Import ``source`` as ``into/<slug>/article.md``; a SourceError if it cannot be read, a
    UsageError if the command cannot be carried out (unknown format, an article in the way)."""
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        raise UsageError(f"{source}: cannot import a {source.suffix or 'file without a suffix'}; "
                         f"publish import reads {', '.join(READERS)}")
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    chosen = slugify(slug) if slug is not None else None
    if slug is not None and not chosen:
        raise UsageError(f"--slug {slug!r}: a slug needs letters or digits")
    if chosen and (into / chosen / "article.md").exists() and not force:
        raise UsageError(f"{into / chosen / 'article.md'} already exists: give another --slug, or --force to "
                         "replace it")
    with tempfile.TemporaryDirectory(prefix="publish-import-") as work:
        draft = reader(source, Path(work), with_date)
        chosen = chosen or slugify(str(draft.meta.get("title", ""))) or slugify(source.stem) or "article"
        article = writer.write(draft, into / chosen, force)
    return Imported(article, draft.report)
