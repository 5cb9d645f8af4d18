"""A saved web page: its article found by trafilatura (main-content extraction: navigation,
headers, footers, comments, scripts and styles left out), then read by Pandoc's HTML reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from publish import pandoc
from publish.errors import SourceError
from publish.importing import office, pipeline, webpage
from publish.importing.draft import Draft
from publish.importing.report import Report
from publish.importing.tree import inline_lists

MAX_BYTES = 20 * 1024 * 1024
SOURCE = pipeline.Source(heading="<h{}>", properties="the page's metadata", title_trusted=True,
                         steps=(webpage.drop_calls_to_action, webpage.take_disclaimer, webpage.take_reference_list))


def read(path: Path, work: Path, with_date: bool) -> Draft:
    import trafilatura  # loads its language data: only for web pages

    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise SourceError(path, f"is {len(data) // 2**20} MB, more than a saved web page holds")
    tree = trafilatura.load_html(data)
    if tree is None:
        raise SourceError(path, "cannot be read as HTML")
    facts, base = _facts(tree)
    article = trafilatura.extract(trafilatura.load_html(data), output_format="html", include_tables=True,
                                  include_images=True, include_links=True, include_formatting=True,
                                  include_comments=False, with_metadata=False)
    if not article:
        raise SourceError(path, "holds no article text that trafilatura can find")
    ast: dict[str, Any] = pandoc.run(["-f", "html", "-t", "json"], article, path)
    draft = Draft(path, ast["blocks"], Report(path.name))
    if base:
        _absolute_links(draft, base)
    pipeline.clean(draft, {}, facts, SOURCE, work, with_date)
    pipeline.finish(draft, facts, SOURCE)
    draft.report.changed("the page", "only its article was taken (found by trafilatura): navigation, header, "
                         "footer, comments, forms, scripts and styles were left out")
    return draft


def _facts(tree: Any) -> tuple[office.Facts, str]:
    import trafilatura

    found = trafilatura.extract_metadata(tree, extensive=False)  # no date guessed from a copyright line
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    facts = office.Facts(title=found.title or "", authors=office.authors(found.author or ""),
                         description=found.description or "", keywords=list(found.tags or []),
                         lang=lang.strip(), created=(found.date or "")[:10])
    facts.lang_from = "the page's lang attribute" if facts.lang else ""
    return facts, found.url or ""


def _absolute_links(draft: Draft, base: str) -> None:
    """Links relative to the page's address become web links (its canonical address is known)."""
    for inlines in inline_lists(draft.blocks):
        for node in inlines:
            if node["t"] == "Link" and not node["c"][2][0].startswith("#"):
                node["c"][2][0] = urljoin(base, node["c"][2][0])
