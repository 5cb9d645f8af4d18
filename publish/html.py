"""The shared HTML translator: a Jinja2 environment over the block macros every edition uses.

PDF, EPUB and large print differ only by their page templates, CSS and the hooks the macros
call: ``href`` (where an id lives), ``image_src`` (how an image is referenced), ``formula``
(MathML, or the PDF's drawn formula) and ``epub`` (whether to add ``epub:type`` beside the
ARIA roles).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from publish import crossrefs
from publish.language import primary
from publish.math.markup import mathml_markup
from publish.model import Document, Equation, Link, Math, Text, headings_in, plain_text

SHARED_TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment(*template_dirs: Path) -> jinja2.Environment:
    """An autoescaping environment that finds an edition's templates, then the shared ones.

    One per set of folders, kept: it keeps its compiled templates, which every article
    would otherwise compile again (it still reloads a template whose file changed)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*template_dirs, SHARED_TEMPLATES]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["url_pieces"] = url_pieces
    env.globals["equation_name"] = equation_name
    return env


# A link that shows a web address rather than words: a DOI or URL in a reference, an autolink.
_SHOWN_URL = re.compile(r"(?:https?://|ftp://|www\.|doi:)\S+", re.IGNORECASE)
# Each piece ends just after a run of slashes or a full stop: the only places a URL may break.
_URL_PIECE = re.compile(r"[^/.]*(?:/+|\.)|[^/.]+")


def url_pieces(link: Link) -> list[str]:
    """The pieces a link's shown web address may break between, or [] if it shows words.

    Breaking only after "/" or "." keeps each line of a DOI a real prefix of it, with no
    hyphen that a reader might type; the templates put a <wbr/> between the pieces."""
    if len(link.children) != 1 or not isinstance(link.children[0], Text):
        return []
    text = link.children[0].text
    if not text or any(char.isspace() for char in text):
        return []
    if text != link.href and not _SHOWN_URL.fullmatch(text):
        return []
    return _URL_PIECE.findall(text)


def equation_name(equation: Equation, lang: str) -> str:
    """What a screen reader calls an equation's box: "Equation 2", or "Equation" unnumbered."""
    name = crossrefs.NAMES.get(primary(lang), crossrefs.NAMES["en"])["equation"]
    return f"{name} {equation.number}" if equation.number else name


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str
    level: int  # 1 = a top-level section of the article


def toc(document: Document) -> list[TocEntry]:
    """The table of contents: the abstract, body headings (or, in an article without any, its
    title), then the notes, disclaimer, references and the appendix's headings."""
    entries = [TocEntry("abstract-heading", "Abstract", 1)] if document.abstract else []
    entries += [TocEntry(h.id, plain_text(h.children), h.level - 1) for h in headings_in(document.body)]
    if not entries:  # a contents list must lead somewhere (an empty EPUB nav is invalid)
        entries.append(TocEntry("title", document.meta.title, 1))
    if document.footnotes:
        entries.append(TocEntry("footnotes-heading", "Notes", 1))
    if document.disclaimer:
        entries.append(TocEntry("disclaimer-heading", "Disclaimer", 1))
    if document.references:
        entries.append(TocEntry("references-heading", "References", 1))
    entries += [TocEntry(h.id, plain_text(h.children), h.level - 1) for h in headings_in(document.appendix)]
    return entries


def same_page(target: str) -> str:
    return "#" + target


def render(
    env: jinja2.Environment,
    template: str,
    document: Document,
    *,
    epub: bool = False,
    href: Callable[[str], str] = same_page,
    image_src: Callable[[str], str] = str,
    formula: Callable[[Math], Any] = mathml_markup,
    **extra: Any,
) -> str:
    """Render an edition's page template with the hooks the shared macros need."""
    return env.get_template(template).render(
        doc=document,
        epub=epub,
        href=href,
        image_src=image_src,
        formula=formula,
        reference_ids={r.key: r.id for r in document.references},
        toc=toc(document),
        **extra,
    )


def keywords(document: Document) -> str:
    return ", ".join(document.meta.keywords)


def nested(entries: Iterable[TocEntry]) -> list[tuple[TocEntry, list[Any]]]:
    """Toc entries as a tree of (entry, children), for nested lists."""
    root: list[tuple[TocEntry, list[Any]]] = []
    stack: list[tuple[int, list[tuple[TocEntry, list[Any]]]]] = [(0, root)]
    for entry in entries:
        while stack[-1][0] >= entry.level:
            stack.pop()
        node: tuple[TocEntry, list[Any]] = (entry, [])
        stack[-1][1].append(node)
        stack.append((entry.level, node[1]))
    return root
