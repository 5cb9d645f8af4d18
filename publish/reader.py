"""Read ``article.md`` into a Document: our front matter, then the Markdown body through Pandoc."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from publish import assets, bibliography, citations, crossrefs, language, pandoc, transforms
from publish.body import BodyTranslator, Links
from publish.errors import SourceError
from publish.folder import locate
from publish.frontmatter import CONTROL, Fields, FrontMatter, misspelt_key, split
from publish.ids import RESERVED_IDS, IdPool, reference_id, slugify
from publish.limits import DEFAULT, Limits
from publish.math import mathml
from publish.model import (
    AbbreviationDef,
    Block,
    CodeBlock,
    Document,
    Equation,
    Figure,
    Heading,
    Metadata,
    Paragraph,
    Reference,
    SourceWarning,
    Table,
    walk_blocks,
)
from publish.pandoc_ast import cited_keys, plain_text_of, split_at_bibliography
from publish.people import read_people
from publish.places import SourcePlaces
from publish.unrun import header_macros, unrun

__all__ = ["RESERVED_IDS", "read_article", "reference_id", "slug_of", "slugify"]

# Front-matter keys the reader uses. Others are ignored (Pandoc articles carry keys for other
# tools: bibliography, toc, header-includes...), except a near miss of one of these, which is an
# error: a misspelt 'disclaimer' must not quietly drop the disclaimer from every edition.
KNOWN_KEYS = ("title", "subtitle", "lang", "author", "authors", "affiliation", "affiliations", "date", "year",
              "publisher", "description", "abstract", "keywords", "tags", "rights", "doi", "papersize", "csl",
              "disclaimer", "abbreviations", "references", "bibliography", "nocite", "link-citations",
              "read-dois", "voice")
# Raw LaTeX that Pandoc's LaTeX reader makes into real tables and figures.
RAW_ENVIRONMENT = re.compile(r"^\s*(?:\\begin\{(table|figure|tabular|longtable)\*?\}|\\includegraphics\b)")
# Names that say nothing about the article: its slug is sought elsewhere.
GENERIC_NAMES = frozenset({"paper", "docs", "doc", "manuscript", "index", "main", "draft", "joss", "paper-joss",
                           "jossarticle", "src", "content"})
# Keys Pandoc, its templates, JOSS, Quarto and R Markdown use: never taken for misspellings of ours.
OTHER_TOOLS_KEYS = ("output", "header-includes", "include-before", "include-after", "geometry", "journal",
                    "aas-doi", "aas-journal", "documentclass", "classoption", "fontsize", "linestretch", "toc",
                    "toc-depth", "toc-title", "number-sections", "link-bibliography", "citation-style",
                    "reference-section-title", "suppress-bibliography", "citation-abbreviations", "editor_options",
                    "params", "vignette", "mainfont", "monofont", "sansfont", "urlcolor", "linkcolor", "citecolor",
                    "thanks", "institute", "subject", "format", "execute", "jupyter", "knitr", "engine", "draft",
                    "submitted", "published", "volume", "issue", "page", "archive_doi", "repository",
                    "software_repository", "review_url", "editor", "reviewers", "formatted_doi", "citation_author",
                    "month", "day", "locale", "dir", "margin-left", "margin-right", "margin-top", "margin-bottom")


def read_article(path: Path, limits: Limits = DEFAULT, *, max_bytes: int | None = None) -> Document:
    """Read one article; any problem a writer can make is a SourceError with line and column.

    ``max_bytes`` is a shortcut for ``limits.max_bytes``.
    """
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    text = _read_text(path, limits.max_bytes)
    front = split(text, path)
    runnable, unrun_warnings = unrun(front.body, front.body_line, path)  # R Markdown's chunks, Quarto's includes
    macros = header_macros(front.data, path.parent)
    first, newline, rest = runnable.partition("\n")
    if macros and newline and not first.strip():  # on the blank line after the front matter: no line moves
        runnable = macros + newline + rest
    front = replace(front, body=runnable, warnings=(*front.warnings, *unrun_warnings))
    fields = Fields(front, path)
    misspelt_key(front, path, KNOWN_KEYS, OTHER_TOOLS_KEYS)
    _refuse_control_characters(front.body, front.body_line, path)
    article_dir = path.parent
    people, affiliations = read_people(front.data, front.lines, path)
    meta = Metadata(
        title=without_markup(fields.text("title", required=True)),
        lang=fields.language(),
        subtitle=without_markup(fields.text("subtitle")),
        authors=tuple(author.name for author in people),
        author_details=people,
        affiliations=affiliations,
        date=fields.date(),
        publisher=fields.text("publisher"),
        description=fields.text("description") or fields.text("abstract"),
        keywords=fields.text_list("keywords") or fields.text_list("tags"),
        rights=fields.text("rights"),
        doi=fields.text("doi"),
        papersize=fields.papersize(),
        csl_style=_style_name(fields, article_dir),
        voice=fields.text("voice"),
        voice_line=front.lines.get("voice", 0),
        read_dois=fields.flag("read-dois"),
    )
    items, lines_of = bibliography.gather(front, fields, path, limits.max_references)

    disclaimer_text = fields.text("disclaimer")
    abstract_text = fields.text("abstract")
    body_ast = pandoc.markdown_ast(front.body, path, front.body_line, limits.max_depth)
    if body_ast.get("meta"):
        fields.warnings.append(_metadata_in_body(front, sorted(body_ast["meta"]), path))
    disclaimer_ast = (pandoc.markdown_ast(disclaimer_text, path, front.lines.get("disclaimer", 2), limits.max_depth)
                      if disclaimer_text else None)
    abstract_ast = (pandoc.markdown_ast(abstract_text, path, front.lines.get("abstract", 2), limits.max_depth)
                    if abstract_text else None)
    # Only what the article cites is listed, and what 'nocite' adds ('@*': everything), as in Pandoc.
    cited = set().union(*(cited_keys(ast) for ast in (body_ast, disclaimer_ast, abstract_ast) if ast))
    nocite = _nocite(front.data.get("nocite"))
    all_keys = [item["id"] for item in items]
    items = [item for item in items if "*" in nocite or item["id"] in cited | nocite]
    style = citations.load_style(meta.csl_style, article_dir, path,
                                 front.lines.get("csl", front.lines.get("citation-style", 2)))
    entries = citations.bibliography(items, [lines_of.get(item["id"], 2) for item in items], style, path)
    numbers = {entry.key: entry.number for entry in entries}
    used_ids = IdPool(RESERVED_IDS)  # shared by the body and the disclaimer, so no id is given twice
    ref_ids = {entry.key: used_ids.unique(reference_id(entry.key)) for entry in entries}
    if not meta.lang:
        meta = replace(meta, lang=_language_of(plain_text_of(body_ast["blocks"]), path, front, fields))
    expand_raw = _raw_environments(path)
    labels = crossrefs.collect(body_ast["blocks"], lambda node: plain_text_of(node["c"][2]), expand_raw)
    formulas = mathml.formulas_in([body_ast, disclaimer_ast, abstract_ast])
    converted = mathml.convert([(crossrefs.resolve_in_math(tex, labels, meta.lang), display)
                                for tex, display in formulas])
    missing = bibliography.missing(front.data.get("bibliography"), article_dir)
    links = Links(numbers, citations.in_text_authors(items), tuple(all_keys), labels, meta.lang, expand_raw,
                  dict(zip(formulas, converted, strict=True)), missing)

    def translator(text: str, first_line: int, prefix: str, fixed: bool) -> BodyTranslator:
        return BodyTranslator(path, SourcePlaces(text, first_line, fixed), prefix, used_ids.unique,
                              limits.max_depth, links)

    body_reader = translator(front.body, front.body_line, "", False)
    before, after = split_at_bibliography(body_ast["blocks"]) if entries else (body_ast["blocks"], [])
    body, appendix = body_reader.blocks(before), body_reader.blocks(after)
    _require_text(body + appendix, front.body_line, path)

    def front_text(key: str, text: str, ast: dict[str, Any] | None) -> tuple[tuple[Block, ...], list[BodyTranslator]]:
        """The disclaimer or the abstract: Markdown in the front matter, and its reader. Its lines
        are not the file's, so errors point at its key."""
        if not ast:
            return (), []
        reader = translator(text, front.lines.get(key, 2), f"{key}-", True)
        blocks = reader.blocks(ast["blocks"])
        if reader.notes:
            raise SourceError(path, f"the {key} cannot have footnotes", front.lines[key], 1)
        return blocks, [reader]

    disclaimer, disclaimer_readers = front_text("disclaimer", disclaimer_text, disclaimer_ast)
    abstract, abstract_readers = front_text("abstract", abstract_text, abstract_ast)
    readers = [*abstract_readers, body_reader, *disclaimer_readers]  # the text editions' reading order

    cited_by: dict[str, list[str]] = {}
    for citation in (c for reader in readers for c in reader.citations):
        for key in citation.keys:
            cited_by.setdefault(key, []).append(citation.id)
    references = tuple(
        Reference(id=ref_ids[e.key], line=e.line, key=e.key, number=e.number, children=e.children,
                  csl_json=e.csl_json, cited_by=tuple(cited_by.get(e.key, ())))
        for e in entries
    )
    headed, heading_warnings = transforms.normalise_headings(body + appendix, path)
    document = Document(
        source=str(path),
        slug=slug_of(path, meta.title),
        meta=meta,
        body=headed[:len(body)],
        appendix=headed[len(body):],
        disclaimer=disclaimer,
        footnotes=body_reader.footnotes(),
        references=references,
        abbreviations=_abbreviations(fields, front.data.get("abbreviations")),
        figures_dir=str(article_dir),
        warnings=(*fields.warnings, *(w for reader in readers for w in reader.warnings), *heading_warnings),
        bibliography_files=bibliography.names(front.data.get("bibliography")),
        abstract=abstract,
    )
    # Every image is checked here, once, so a bad one is one error rather than one per edition.
    for figure in assets.figures(document):
        assets.resolve(document, figure, limits)
    anchors = {label: target for reader in readers for label, target in reader.anchors.items()}
    return transforms.mark_abbreviations(transforms.resolve_crossrefs(document, anchors))


# Emphasis and code marks in a title ("*divent*: an R package"): the title is plain text in every
# edition's metadata and heading, so the marks go and the words stay (Pandoc's rules: an
# underscore inside a word is a letter, "snake_case").
_MARKUP = (re.compile(r"(\*\*|\*|`)(?=\S)(.+?)(?<=\S)\1"), re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)"))


def without_markup(text: str) -> str:
    previous = None
    while text != previous:
        previous = text
        for pattern in _MARKUP:
            text = pattern.sub(r"\2", text)
    return text


def _metadata_in_body(front: FrontMatter, keys: list[str], path: Path) -> SourceWarning:
    """A YAML block after the front matter: Pandoc takes it as metadata, this reader does not."""
    lines = front.body.split("\n")
    first = next((number for number, line in enumerate(lines) if line.rstrip() == "---" and number + 1 < len(lines)
                  and re.match(rf"^\s*{re.escape(keys[0])}\s*:", lines[number + 1])), 0)
    return SourceWarning(str(path), front.body_line + first, 1, f"a YAML block in the text ({', '.join(keys)}) is "
                         "not shown and not read: only the front matter at the top is")


def _style_name(fields: Fields, article_dir: Path) -> str:
    """The CSL style: ``csl`` (or ``citation-style``). A style file that is not in the article's
    folder is a warning, not an error: the packaged style of that name if there is one (JOSS
    papers name ``apa.csl`` and ship none), else APA."""
    name = fields.text("csl") or fields.text("citation-style") or "apa"
    _, inside, found = locate(name, article_dir)
    if not name.endswith(".csl") or (inside and found):
        return name
    fallback = Path(name).stem if citations.style_exists(Path(name).stem) else "apa"
    line, col = fields.front.key_places.get("csl", fields.front.key_places.get("citation-style", (2, 1)))
    where = ("is not in the article's folder" if inside
             else "is outside the article's folder, which a build never leaves")
    fields.warnings.append(SourceWarning(str(fields.path), line, col, f"the CSL style '{name}' {where}, so the "
                                         f"packaged style '{fallback}' is used"))
    return fallback


def _nocite(value: Any) -> set[str]:
    """The keys of ``nocite`` ("@a, @b", a list of them, or "@*" for every reference)."""
    texts = value if isinstance(value, list) else [value] if value is not None else []
    return {key for text in texts if isinstance(text, str) for key in re.findall(r"@\{?([^\s,;{}]+)", text)}


def _raw_environments(path: Path) -> Callable[[dict[str, Any]], list[dict[str, Any]] | None]:
    """Raw LaTeX table and figure environments as blocks, read by Pandoc's LaTeX reader (once
    each: the labels are collected before the text is translated)."""
    done: dict[str, list[dict[str, Any]] | None] = {}

    def expand(node: dict[str, Any]) -> list[dict[str, Any]] | None:
        text = node["c"][1]
        if not RAW_ENVIRONMENT.match(text):
            return None
        if text not in done:
            try:
                blocks = pandoc.run(["-f", "latex", "-t", "json"], text, path).get("blocks")
            except SourceError:
                blocks = None  # then it stays text, with a warning
            done[text] = blocks if isinstance(blocks, list) and blocks else None
        return done[text]

    return expand


def _language_of(words: str, path: Path, front: FrontMatter, fields: Fields) -> str:
    """The body's language when the front matter has no ``lang``: kept, with a warning, only if
    the identifier is sure; otherwise the writer is asked for it."""
    code, confidence = language.detect(words)
    line, col = front.key_places.get("title", (2, 1))
    if confidence < language.CONFIDENCE:
        raise SourceError(path, "the front matter has no 'lang' and the text's language cannot be told for sure: "
                          "add 'lang: en' (or the article's own BCP 47 tag)", line, col)
    fields.warnings.append(SourceWarning(str(path), line, col, f"the front matter has no 'lang'; the text reads as "
                                         f"'{code}' ({confidence:.0%} sure), so the editions use lang: {code}"))
    return code


def slug_of(path: Path, title: str | None = None) -> str:
    """An article's slug: its folder's name for ``article.md`` (or a generic name such as
    ``paper.md``), else the file's stem; where both are generic (``paper/paper.md``, as in
    JOSS repositories) the slug comes from the title."""
    stem = path.stem.lower()
    if stem in ("article", *GENERIC_NAMES):
        if path.parent.name.lower() not in GENERIC_NAMES:
            return slugify(path.parent.name) or "article"
        title = _title_of(path) if title is None else title  # the reader knows it: no second read
        # JOSS titles: "Name: what it does", or "Name - what it does" (t8code).
        name = re.split(r":|\s[-\u2013\u2014]\s", title, maxsplit=1)[0]
        return slugify(name) or slugify(path.parent.name) or "article"
    return slugify(path.stem) or "article"


def _title_of(path: Path) -> str:
    try:
        title = split(_read_text(path, DEFAULT.max_bytes), path).data.get("title")
    except SourceError:
        return ""  # the build reads it again, and reports what is wrong with it
    return str(title) if isinstance(title, str | int | float) else ""


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        outside = path.is_symlink() and path.resolve().parent != path.parent.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop
        raise SourceError(path, "cannot read the file: its links go round in a loop") from None
    if outside:
        raise SourceError(path, "the article is a link to a file outside its folder")
    try:
        # Non-blocking, so a FIFO named article.md cannot hang the build before fstat refuses it.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SourceError(path, "the article is not a regular file")
            data = handle.read(max_bytes + 1)  # no more than allowed, whatever stat said
    except OSError as exc:
        raise SourceError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        size = max(len(data), _size(path))
        raise SourceError(path, f"the source is {size:,} bytes, over the limit of {max_bytes:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(path, "the file is not valid UTF-8 text", line, col) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(path, "the file contains a NUL character; is it a text file?", line, 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _refuse_control_characters(body: str, first_line: int, path: Path) -> None:
    """XML 1.0 forbids them, so no EPUB page could hold one (the front matter is checked as read)."""
    bad = CONTROL.search(body)
    if bad:
        before = body[: bad.start()]
        raise SourceError(path, f"the text contains the control character U+{ord(bad.group()):04X}, which no "
                          "edition can show; remove it", first_line + before.count("\n"),
                          bad.start() - before.rfind("\n"))


def _require_text(body: tuple[Block, ...], first_line: int, path: Path) -> None:
    """Every edition carries the article; with nothing to carry (only a title) the audio edition
    cannot even be levelled, so an empty body is the source's problem, and said as such."""
    if not any(isinstance(b, Paragraph | Heading | Figure | Table | CodeBlock | Equation) for b in walk_blocks(body)):
        raise SourceError(path, "the article has no text: write its body below the front matter's closing '---'",
                          first_line, 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _abbreviations(fields: Fields, value: Any) -> tuple[AbbreviationDef, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise fields.error("abbreviations", "'abbreviations' must map each term to its expansion")
    out = []
    for term, spec in value.items():
        if not isinstance(term, str | int | float) or not str(term).strip():
            raise fields.error("abbreviations", f"the abbreviation {term!r} needs a term such as 'WHO'")
        if isinstance(spec, str):
            expansion, spoken = spec, spec
        elif isinstance(spec, dict) and isinstance(spec.get("expansion"), str):
            expansion = spec["expansion"]
            spoken = spec["spoken"] if isinstance(spec.get("spoken"), str) else expansion
        else:
            raise fields.error("abbreviations", f"abbreviation '{term}' needs an 'expansion'")
        out.append(AbbreviationDef(str(term), expansion.strip(), spoken.strip()))
    return tuple(out)
