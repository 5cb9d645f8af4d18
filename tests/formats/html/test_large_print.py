"""The large-print edition of the seed, checked in a real browser: axe (AAA included), sizes,
reflow at 320 px, contrast in every colour scheme, and that it carries the whole article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from formats.html.renderer import LargePrintRenderer
from publish.check.axe import run_axe
from publish.check.layout import measure_contrast, measure_layout
from publish.model import Document, Inline, ListItem, Paragraph, plain_text, walk_blocks
from publish.reader import read_article
from publish.renderer import RenderContext

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "source" / "gut-barrier" / "article.md"
FIXTURE = ROOT / "tests" / "fixtures" / "everything" / "article.md"
# Every construct of Pandoc Markdown: subscripts, definition lists, grid tables, spans...
PANDOC_MARKDOWN = ROOT / "tests" / "fixtures" / "pandoc-markdown" / "article.md"
AAA_TAGS = ("wcag2a", "wcag2aa", "wcag2aaa", "wcag21aa", "wcag22aa", "best-practice")


def build(source: Path, out: Path) -> tuple[Document, Path]:
    document = read_article(source)
    out.mkdir(parents=True, exist_ok=True)
    page = LargePrintRenderer().render(document, RenderContext(out_dir=out, article_dir=source.parent)).files[0]
    return document, page


@pytest.fixture(scope="module", params=["seed", "everything", "pandoc-markdown"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    source = {"seed": SEED, "everything": FIXTURE, "pandoc-markdown": PANDOC_MARKDOWN}[request.param]
    return build(source, tmp_path_factory.mktemp(request.param))


def test_axe_reports_no_violations_at_aaa(built: tuple[Document, Path], chromium_browser: Browser) -> None:
    _, page = built
    findings = run_axe([page], AAA_TAGS, browser=chromium_browser)[page]
    failures = [f for f in findings if not f.ok]
    assert failures == [], "\n".join(f"{f.check}: {f.message} at {f.location}" for f in failures)


@pytest.mark.parametrize("width", [320, 1280])
def test_text_is_at_least_24px_and_never_scrolls_sideways(
    built: tuple[Document, Path], chromium_browser: Browser, width: int
) -> None:
    _, page = built
    facts = measure_layout(page, width, browser=chromium_browser)
    assert facts.min_font_px is not None and facts.min_font_px >= 24, (facts.min_font_element, facts.min_font_text)
    assert not facts.overflow, facts.overflow_elements


def test_contrast_is_at_least_7_to_1_in_every_scheme(built: tuple[Document, Path], chromium_browser: Browser) -> None:
    _, page = built
    for scheme, facts in measure_contrast(page, browser=chromium_browser).items():
        if facts.min_ratio is None:  # forced colours: the reader's own palette applies
            continue
        assert facts.min_ratio >= 7, f"{scheme}: {facts.min_ratio:.2f} on {facts.element} {facts.text!r}"


def test_page_carries_every_block_reference_and_the_disclaimer(built: tuple[Document, Path]) -> None:
    document, page = built
    import html

    # Compared without white space: a line break (<br/>) separates words with no space.
    text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))))

    def words(inlines: tuple[Inline, ...]) -> str:
        return re.sub(r"\s+", "", plain_text(inlines))

    for block in walk_blocks(document.body):
        if isinstance(block, Paragraph):
            assert words(block.children) in text
        elif isinstance(block, ListItem) and isinstance(block.blocks[0], Paragraph):
            assert words(block.blocks[0].children) in text
    for reference in document.references:
        assert words(reference.children) in text
        if reference.doi:
            assert f'href="https://doi.org/{reference.doi}"' in page.read_text(encoding="utf-8")
    for block in document.disclaimer:
        assert isinstance(block, Paragraph)
        assert words(block.children) in text


def test_seed_citations_link_to_the_ninth_entry_and_back(tmp_path: Path) -> None:
    _, page = build(SEED, tmp_path)
    markup = page.read_text(encoding="utf-8")
    assert markup.count('href="#ref-turner2009" role="doc-biblioref">(9)</a>') == 2
    assert '<li id="ref-turner2009">' in markup
    assert 'href="#cite-1" role="doc-backlink"' in markup and 'href="#cite-2" role="doc-backlink"' in markup
    assert '<a href="#disclaimer">Read the disclaimer</a>' in markup


def test_page_is_self_contained(built: tuple[Document, Path]) -> None:
    _, page = built
    markup = page.read_text(encoding="utf-8")
    sources = re.findall(r'\ssrc="([^"]+)"', markup) + re.findall(r'url\("?([^")]+)', markup)
    outside = [s[:40] for s in sources if not s.startswith("data:")]
    assert sources and not outside, outside
    assert "<script" not in markup


def test_the_byline_says_who_is_the_corresponding_author(tmp_path: Path) -> None:
    """JOSS marks them with `corresponding: true` or a note in the name, and one equal
    contributor means the first two; the dashes of an affiliation are Pandoc's ("Urbana--Champaign")."""
    source = tmp_path / "paper" / "paper.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: T\nlang: en\nauthors:\n  - name: Ann Lee^[Corresponding author]\n"
                      "    affiliation: 1\n  - name: Bo Chan\n    equal-contrib: true\n    affiliation: 1\n"
                      "affiliations:\n  - name: University of Illinois at Urbana--Champaign\n    index: 1\n"
                      "---\n\nText.\n", encoding="utf-8")
    _, page = build(source, tmp_path / "out")
    html = page.read_text(encoding="utf-8")
    assert ("Ann Lee<sup>1</sup> (corresponding author; equal contribution), "
            "Bo Chan<sup>1</sup> (equal contribution)</p>") in html
    assert "<li>University of Illinois at Urbana\u2013Champaign</li>" in html
