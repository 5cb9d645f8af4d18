"""The clean-up every imported document goes through, whatever its format, and the front
matter gathered from what the document says of itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import language
from publish.importing import citations, figures, links, structure
from publish.importing.draft import Draft
from publish.importing.office import Facts
from publish.importing.tree import short, text


@dataclass(frozen=True)
class Source:
    """How a format names its parts, for the report."""

    heading: str  # a heading level as the format says it: "Heading {}", "<h{}>"
    properties: str  # where the document's own metadata lives
    title_trusted: bool = False  # the properties' title is the article's (a web page's), not a file's leftover
    manager: str = "Zotero and Mendeley"
    items: list[dict[str, Any]] = field(default_factory=list)  # CSL items of its citation fields
    # The format's own steps, on the blocks as Pandoc gave them (links not yet unlinked)
    steps: tuple[Callable[[Draft], None], ...] = ()


def clean(draft: Draft, meta: dict[str, Any], facts: Facts, source: Source, work: Path, with_date: bool) -> None:
    """Structure, front matter, figures, links and citations, in the order each needs the last."""
    structure.unwrap_styles(draft)
    draft.locate()
    for step in source.steps:
        step(draft)
    structure.take_title(draft, meta, facts.title, source.properties, source.title_trusted)
    front_matter(draft, meta, facts, source, with_date)
    structure.take_abstract(draft, meta)
    structure.sentence_case_headings(draft)
    structure.normalise_headings(draft, source.heading)
    structure.point_out_bold_paragraphs(draft)
    figures.join_captions(draft)
    figures.tables(draft)
    figures.figures(draft, work)
    links.links(draft)
    links.drop_raw(draft)
    citations.from_fields(draft, source.items, source.manager)


def finish(draft: Draft, facts: Facts, source: Source) -> None:
    """After the format's own steps: the typed reference list, the language, and what was kept."""
    if "references" not in draft.meta:
        citations.typed_references(draft, bool(source.items))
    links.tidy(draft)
    choose_language(draft, facts, source)
    links.kept(draft)


def front_matter(draft: Draft, meta: dict[str, Any], facts: Facts, source: Source, with_date: bool) -> None:
    report = draft.report
    styled = [structure.meta_text(a) for a in meta["author"]["c"]] if meta.get("author", {}).get("t") == "MetaList" \
        else [structure.meta_text(meta["author"])] if meta.get("author") else []
    if styled:
        draft.meta["author"] = styled
        report.kept("front matter", f"author: {', '.join(styled)}, from the paragraphs in the Author style")
    elif facts.authors:
        draft.meta["author"] = facts.authors
        report.attention("front matter", f"author: {', '.join(facts.authors)}, from {source.properties}: check that "
                         "this is the article's author, not whoever made the file")
    else:
        report.attention("front matter", f"no author: {source.properties} name none; add 'author:'")
    dated = structure.meta_text(meta.get("date")) or facts.modified or facts.created
    if with_date and dated:
        draft.meta["date"] = dated
        where = "the Date style" if meta.get("date") else source.properties + (
            " (last saved)" if facts.modified else " (created)")
        report.kept("front matter", f"date: {dated}, from {where}")
    elif with_date:
        report.attention("front matter", f"--date was given, but {source.properties} hold no date: add 'date:'")
    elif meta.get("date"):
        report.attention("front matter", f"the Date paragraph {short(structure.meta_text(meta['date']))} was left "
                         "out: import with --date to make it the date")
    for key, value, what in (("description", facts.description, "description"), ("subject", facts.subject, "subject"),
                             ("keywords", facts.keywords, "keywords")):
        if value:
            draft.meta[key] = value
            shown = ", ".join(value) if isinstance(value, list) else short(value, 60)
            report.kept("front matter", f"{what}: {shown}, from {source.properties}")


def choose_language(draft: Draft, facts: Facts, source: Source) -> None:
    """``lang``: the document's own, checked against its text; else the text's, where the
    identifier is sure; else the author is asked."""
    found, confidence = language.detect(text(draft.blocks))
    sure = bool(found) and confidence >= language.CONFIDENCE
    if facts.lang:
        draft.meta["lang"] = facts.lang
        if sure and facts.lang.split("-")[0].lower() != found:
            draft.report.attention("front matter", f"lang: {facts.lang}, from {facts.lang_from}, but the text reads "
                                   f"as '{found}': set 'lang:' to the article's language")
        else:
            draft.report.kept("front matter", f"lang: {facts.lang}, from {facts.lang_from}")
    elif sure:
        draft.meta["lang"] = found
        draft.report.changed("front matter", f"lang: {found}, found from the text ({source.properties} name no "
                             "language): add the region if it matters (en-GB, pt-BR)")
    else:
        draft.report.attention("front matter", "the document names no language and the text is too short or mixed "
                               "to tell: add 'lang:' (en, fr, de-AT...)")
