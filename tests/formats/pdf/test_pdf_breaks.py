"""Where both PDF editions may break a page, read back from the text of each page.

Every DOI and URL that an article shows lies whole on one page, and breaks across lines only
after "/" or ".", with no hyphen added. Each reference entry, each figure with its caption, and
each paragraph or list item of up to 4 lines stays on one page. The seed and the fixtures are
checked as built. Two articles made here put figures, URLs, entries and blocks of 4 lines at
many heights of the page, and each is rendered a second time without the rules (a control
run): the control shows that its pages do end inside such things, so the checks cannot pass
for want of a page break there."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
from PIL import Image

from formats.pdf import weasy
from formats.pdf.renderer import LargePrintPdfRenderer, PdfRenderer
from publish.html import url_pieces
from publish.model import Document, Link
from publish.reader import read_article
from publish.renderer import RenderContext

if TYPE_CHECKING:
    from tests.builds import ArticleBuilds

ROOT = Path(__file__).resolve().parents[3]
EDITIONS = [("pdf", ".pdf"), ("large-print-pdf", ".large-print.pdf")]
SOURCES = {"seed": ROOT / "source" / "gut-barrier" / "article.md",
           "everything": ROOT / "tests" / "fixtures" / "everything" / "article.md"}


@cache
def page_texts(pdf: Path) -> tuple[str, ...]:
    """The text of each page, as a reader who copies it or a search would get it."""
    return tuple(
        unicodedata.normalize("NFKC", "".join(box.get_text() for box in page if isinstance(box, LTTextContainer)))
        for page in extract_pages(pdf)
    )


def pages_of(pages: tuple[str, ...], text: str) -> list[int]:
    """The pages (from 1) whose text holds ``text``, ignoring line breaks and spaces."""
    wanted = re.sub(r"\s+", "", text)
    return [number for number, page in enumerate(pages, 1) if wanted in re.sub(r"\s+", "", page)]


def bad_line_breaks(pages: tuple[str, ...], url: str) -> list[str]:
    """How ``url`` is broken across lines where it is broken other than after "/" or "."."""
    pattern = re.compile(r"\s*".join(re.escape(char) for char in url))
    bad = []
    for page in pages:
        for found in pattern.finditer(page):
            shown = found.group()
            if any(shown[gap.start() - 1] not in "/." for gap in re.finditer(r"\s+", shown)):
                bad.append(shown)
    return bad


def _links(node: object) -> Iterator[Link]:
    if isinstance(node, Link):
        yield node
    for child in getattr(node, "children", ()) or ():
        yield from _links(child)


def shown_urls(document: Document, source: Path) -> list[str]:
    """Every DOI and URL of the article's references, as its source gives them, and every URL
    that a link of the article shows."""
    front_matter = source.read_text(encoding="utf-8").split("\n---", 1)[0]
    urls = [f"https://doi.org/{doi}" for doi in re.findall(r"^\s*DOI:\s*(\S+)", front_matter, re.M)]
    urls += re.findall(r"^\s*URL:\s*(\S+)", front_matter, re.M)
    nodes: list[object] = [*document.references, *document.body, *document.footnotes]
    for link in (link for node in nodes for link in _links(node)):
        if url_pieces(link):
            urls.append("".join(url_pieces(link)))
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("article", ["seed", "everything"])
@pytest.mark.parametrize(("edition", "suffix"), EDITIONS)
def test_every_doi_and_url_is_whole_on_one_page(article_builds: ArticleBuilds, article: str, edition: str,
                                                suffix: str) -> None:
    build = article_builds.get(article)
    pages = page_texts(build.file(edition, suffix))
    urls = shown_urls(build.document, SOURCES[article])
    assert any("doi.org" in url for url in urls), "the article shows no DOI: nothing is checked"
    for url in urls:
        assert pages_of(pages, url), f"{url} is not whole on any page of the {edition}"
        assert bad_line_breaks(pages, url) == []


# -- an article with figures, URLs and references at many heights of the page -----------------

@dataclass(frozen=True)
class Sizes:
    """How much of each kind the article holds: enough for pages to end inside several of
    each when the rules are off (a standard page holds about twice the lines of a large-print one)."""

    figures: int
    urls: int
    url_folders: int  # how long a URL is, at least
    entries: int
    title_repeats: int  # how long a reference's title is, at least


SIZES = {"pdf": Sizes(figures=80, urls=30, url_folders=14, entries=50, title_repeats=2),
         "large-print-pdf": Sizes(figures=30, urls=40, url_folders=5, entries=20, title_repeats=1)}

# The rules under test switched off: what the pages would be without them.
CONTROL_CSS = """
p, li, dd, figcaption, blockquote { orphans: 1; widows: 1; }
ol.bibliography > li, figure { break-inside: auto; }
a.url { display: inline; }
"""


@dataclass
class Marks:
    """What to look for in the pages: the text of each thing that must stay on one page."""

    figures: list[tuple[int, str]] = field(default_factory=list)  # image width, caption
    urls: list[str] = field(default_factory=list)
    entries: list[list[str]] = field(default_factory=list)  # author, title word, DOI


def _lines(name: str, count: int) -> list[str]:
    return [f"{name} line {number} of {count}" for number in range(1, count + 1)]


def write_article(folder: Path, sizes: Sizes) -> Marks:
    """An article of many figures, URLs and references, which fall at many heights of the page."""
    marks = Marks()
    # Heights drawn at random (the same each run), never in a cycle: each page then ends at
    # another height of a figure, a URL or an entry, as it would not if they repeated with
    # the things a page holds.
    heights = random.Random(15)
    (folder / "images").mkdir(parents=True)
    body = ["## Figures", ""]
    for number in range(sizes.figures):
        width = 300 + number  # finds the figure's image on its page
        # Low images, so that a page mostly ends by a caption.
        image = Image.new("RGB", (width, heights.randint(6, 20)), (30, 80 + number % 100, 140))
        image.save(folder / "images" / f"f{number:03d}.png")
        caption = (f"Figure F{number:03d} caption, long enough to take two or more lines in each of the two "
                   "editions, so that a page may end inside it or between it and its image")
        marks.figures.append((width, caption))
        body += [f'![{caption}](images/f{number:03d}.png){{alt="A bar, number {number}"}}', ""]
    body += ["## Addresses", ""]
    for number in range(sizes.urls):
        # Over several lines, with hyphens it must not break at.
        folders = "".join(f"volume-{part}/" for part in range(sizes.url_folders + heights.randint(0, 6)))
        url = f"https://example.org/u{number:03d}/{folders}readme.html#u{number:03d}-part.two"
        marks.urls.append(url)
        body += [f"<{url}>", ""]
    body += ["## Sources", "",
             "Every source is cited [" + "; ".join(f"@e{n:03d}" for n in range(sizes.entries)) + "].", ""]
    references = []
    for number in range(sizes.entries):
        title = (f"Entry{number:03d} " + "on the long and winding title of a study that runs over "
                 "several lines in each edition " * (sizes.title_repeats + heights.randint(0, 2))).strip()
        doi = f"10.5555/e{number:03d}.test.{number}"
        marks.entries.append([f"Author{number:03d}", f"Entry{number:03d}", f"https://doi.org/{doi}"])
        references += [f"  - id: e{number:03d}", "    type: article-journal",
                       f"    author: [{{family: Author{number:03d}, given: Ann}}]",
                       "    issued: {date-parts: [[2020]]}", f"    title: {title}",
                       "    container-title: Journal of Tests", f"    DOI: {doi}"]
    front = ["---", "title: Page breaks", "lang: en", "date: 2024-01-01", "references:", *references, "---", ""]
    (folder / "article.md").write_text("\n".join(front + body), encoding="utf-8")
    return marks


@dataclass
class Splits:
    """What the pages of one PDF break: each a description of one thing split over pages."""

    figures: list[str]
    urls: list[str]
    entries: list[str]


def image_widths(page: pikepdf.Page) -> set[int]:
    """The pixel widths of the images a page draws (its resources list every page's images)."""
    images = page.Resources.get("/XObject", {})
    drawn = [op.operands[0] for op in pikepdf.parse_content_stream(page) if str(op.operator) == "Do"]
    return {int(images[name].Width) for name in drawn if images[name].get("/Subtype") == "/Image"}


def splits(pdf: Path, marks: Marks) -> Splits:
    pages = page_texts(pdf)

    def spread(texts: list[str]) -> set[int]:
        return {number for text in texts for number in pages_of(pages, text)}

    with pikepdf.open(pdf) as document:
        widths = [image_widths(page) for page in document.pages]
    figures = [caption[:11] for width, caption in marks.figures
               if [n for n, found in enumerate(widths, 1) if width in found] != sorted(spread([caption]))]
    urls = [url for url in marks.urls if len(pages_of(pages, url)) != 1]
    entries = [entry[1] for entry in marks.entries if len(spread(entry)) != 1]
    return Splits(figures, urls, entries)


Renderer = PdfRenderer | LargePrintPdfRenderer
RENDERERS = [PdfRenderer(), LargePrintPdfRenderer()]


def render(renderer: Renderer, folder: Path, out: Path, monkeypatch: pytest.MonkeyPatch, *css: str) -> Path:
    """The PDF of the article in ``folder``, made by the edition's renderer with its own
    stylesheets followed by ``css`` (test rules: a control run, a page per section)."""
    extra = []
    for number, rules in enumerate(css):
        extra.append(out.parent / f"{out.name}-{number}.css")
        extra[-1].write_text(rules, encoding="utf-8")
    with monkeypatch.context() as patch:
        real_stylesheets = weasy.stylesheets
        patch.setattr(weasy, "stylesheets", lambda *args: [*real_stylesheets(*args), *extra])
        out.mkdir()
        return renderer.render(read_article(folder / "article.md"), RenderContext(out, folder)).files[0]


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_no_reference_entry_figure_or_url_breaks_across_pages(
    renderer: Renderer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marks = write_article(tmp_path / "article", SIZES[renderer.name])
    built = render(renderer, tmp_path / "article", tmp_path / "built", monkeypatch)
    control = render(renderer, tmp_path / "article", tmp_path / "control", monkeypatch, CONTROL_CSS)

    for kind, split in vars(splits(control, marks)).items():
        assert split, f"without the rules, no {kind} is split either: make the article longer"
    assert splits(built, marks) == Splits([], [], [])
    for url in marks.urls + [entry[2] for entry in marks.entries]:
        assert bad_line_breaks(page_texts(built), url) == []


# Test rules: each section on a page of its own, so that what follows a filler of N lines
# starts N lines down the page.
PAGE_PER_SECTION = "h2 { break-before: page; }"


def _write(folder: Path, body: list[str]) -> Path:
    folder.mkdir()
    (folder / "article.md").write_text("\n".join(["---", "title: Four lines", "lang: en", "---", "", *body]),
                                       encoding="utf-8")
    return folder


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_a_paragraph_or_list_item_of_four_lines_is_never_split(
    renderer: Renderer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four lines can split 2 + 2, which orphans: 2 and widows: 2 allow: each block is put at
    every height near the foot of a page in turn, so one of them meets that case."""
    probe = _write(tmp_path / "probe", ["## Probe", "", "\\\n".join(f"Probe line {n}" for n in range(120))])
    probe_pages = page_texts(render(renderer, probe, tmp_path / "probe-pdf", monkeypatch, PAGE_PER_SECTION))
    lines_per_page = probe_pages[1].count("Probe line")  # below a section heading

    body, blocks = [], []
    for kind in ("paragraph", "item"):
        for filler in range(lines_per_page - 6, lines_per_page):
            lines = _lines(f"{kind.title()} after {filler}", 4)
            blocks.append(lines)
            body += [f"## A {kind} after {filler} lines", "", "\\\n".join(_lines(f"Filler {filler}", filler)), "",
                     ("- " if kind == "item" else "") + "\\\n  ".join(lines), ""]
    folder = _write(tmp_path / "sweep", body)
    built = page_texts(render(renderer, folder, tmp_path / "built", monkeypatch, PAGE_PER_SECTION))
    control = page_texts(render(renderer, folder, tmp_path / "control", monkeypatch, PAGE_PER_SECTION,
                                "p, li { orphans: 2; widows: 2; }"))

    def split(pages: tuple[str, ...]) -> list[str]:
        return [lines[0] for lines in blocks if len({n for line in lines for n in pages_of(pages, line)}) != 1]

    assert split(control), "with orphans: 2 and widows: 2 no block is split 2 + 2: the sweep missed that case"
    assert split(built) == []
