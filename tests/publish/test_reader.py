"""The reader: the seed and the everything fixture read into the model they should."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from formats.html.renderer import LargePrintRenderer
from publish import assets
from publish.model import (
    Abbreviation,
    BlockQuote,
    Citation,
    CodeBlock,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Table,
    ThematicBreak,
    plain_text,
    to_json,
    to_jsonable,
    walk_blocks,
)
from publish.reader import RESERVED_IDS, read_article
from publish.renderer import RenderContext
from tests.publish.reader_test_support import (
    EVERYTHING,
    GOLDEN,
    ROOT,
    SEED,
    all_ids,
    all_inlines,
    every_block,
    lists_of,
    neutral_json,
    position,
    seed_text,
)

SEED_KEYS = ["ajamian2019", "cani2007", "david2014", "defilippo2010", "erridge2007", "fasano2011", "kelly2015",
             "peng2009", "turner2009"]

# Sentences of the seed (shared/seed), each a paragraph of the article.
SEED_PARAGRAPHS = [
    "The intestinal barrier is a multi-layered system designed to balance two competing demands: nutrient "
    "absorption and immune protection.",
    "It consists of:",
    "Together, these layers form a coordinated system that controls what enters the body while allowing essential "
    "absorption of nutrients and water.",
    "Increased intestinal permeability occurs when tight junction regulation is altered or when epithelial "
    "integrity is compromised. This does not necessarily mean structural “damage” to the gut lining - often it "
    "reflects functional modulation of tight junction pathways.",
    "Two key paracellular pathways are involved:",
]
SEED_CITED_PARAGRAPHS = [
    "The term “leaky gut” is often used loosely in wellness circles, but in physiology and gastroenterology the "
    "concept is more precisely described as increased intestinal permeability.",
    "At the core of permeability regulation are tight junctions, protein complexes that seal the spaces between "
    "epithelial cells and determine what can pass between them.",
]
SEED_LISTS = [
    ["A mucus layer that physically separates microbes from epithelial cells",
     "A single layer of intestinal epithelial cells",
     "Tight junction proteins that regulate paracellular transport",
     "Underlying immune cells in the lamina propria",
     "And the gut microbiota, which actively supports barrier function"],
    ["A pore pathway, which allows selective ion and water transport",
     "A leak pathway, which can permit larger molecules to pass under inflammatory or stress-related signalling",
     "Tight junction dysregulation",
     "And outright epithelial injury"],
    ["LPS remains confined to the gut lumen",
     "It is detoxified by enzymes and excluded by the barrier system"],
    ["Acute infections (e.g., gastroenteritis)",
     "Chronic inflammation (e.g., inflammatory bowel disease)",
     "Dysbiosis (microbial imbalance)",
     "Alcohol exposure",
     "High-fat or low-fibre diets",
     "Certain medications such as NSAIDs",
     "Psychological stress and sleep disruption"],
    ["Production of short-chain fatty acids (SCFAs) such as butyrate",
     "Regulation of epithelial energy metabolism",
     "Modulation of inflammatory signalling pathways",
     "Strengthening of tight junction protein expression"],
]
SEED_HEADINGS = [
    "The gut barrier is not a wall – it’s a regulated surface",
    "When regulation shifts: what “increased permeability” means",
    "LPS (an endotoxin)",
    "Why barrier disruption happens",
    "The microbiome’s role in barrier integrity",
]
DISCLAIMER = (
    "The information presented in this article is for educational purposes only and is not intended to diagnose, "
    "prevent, or treat any medical or psychological conditions. The information is not intended as medical advice, "
    "nor should it replace the advice from a doctor or qualified healthcare professional. Please do not stop, "
    "adjust, or modify your dose of any prescribed medications without the direct supervision of your healthcare "
    "practitioner."
)


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_article(SEED)


@pytest.fixture(scope="module")
def everything() -> Document:
    return read_article(EVERYTHING)


def paragraph_texts(document: Document) -> list[str]:
    return [plain_text(b.children) for b in walk_blocks(document.body) if isinstance(b, Paragraph)]


def item_text(item: ListItem) -> str:
    return " ".join(plain_text(b.children) for b in item.blocks if isinstance(b, Paragraph))


def comparable(text: str) -> str:
    """Seed text and model text side by side: case, dashes and quotes as the seed's extraction has them."""
    text = text.replace("–", "-").replace("“", '"').replace("”", '"').replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


# ------------------------------------------------------------------------ the seed


def test_seed_metadata(seed: Document) -> None:
    assert seed.slug == "gut-barrier"
    assert seed.meta.title == "What’s Going On With Your Gut Barrier"
    assert seed.meta.lang == "en-GB"
    assert "intestinal permeability" in seed.meta.keywords
    assert seed.meta.description.startswith("Increased intestinal permeability")


def test_seed_has_nine_references_numbered_in_apa_order(seed: Document) -> None:
    assert [r.key for r in seed.references] == SEED_KEYS
    assert [r.number for r in seed.references] == list(range(1, 10))
    assert [r.id for r in seed.references] == [f"ref-{key}" for key in SEED_KEYS]
    for reference in seed.references:
        csl = json.loads(reference.csl_json)
        assert csl["id"] == reference.key
        text = plain_text(reference.children)
        assert csl["title"] in text
        assert reference.doi and f"https://doi.org/{reference.doi}" in text
    # "et al." authors keep the marker after the names, before the year.
    assert plain_text(seed.references[0].children).startswith("Ajamian, M. et al. (2019). Serum zonulin")
    assert plain_text(seed.references[5].children).startswith("Fasano, A. (2011). Zonulin")


def test_seed_references_match_the_published_list() -> None:
    text = seed_text()
    if text is None:
        pytest.skip("the shared seed text is not beside the work tree")
    published = [line.removeprefix("- ").strip() for line in text.split("References", 1)[1].splitlines()]
    published = [line for line in published if line and line != "-"]
    document = read_article(SEED)
    assert len(published) == len(document.references) == 9

    def same_style(entry: str) -> str:
        # APA 7 as citeproc writes it spaces initials ("P. D.") and says "Article e14219".
        return re.sub(r"(?<=[A-Z]\.) (?=[A-Z]\.)", "", entry).replace("Article ", "")

    assert [same_style(plain_text(r.children)) for r in document.references] == published


def test_turner_is_reference_nine_and_cited_twice(seed: Document) -> None:
    turner = seed.references[-1]
    assert (turner.key, turner.number) == ("turner2009", 9)
    citations = [n for n in all_inlines(seed) if isinstance(n, Citation)]
    assert [c.keys for c in citations] == [("turner2009",), ("turner2009",)]
    assert all(c.numbers == (9,) and c.locator == "" for c in citations)
    assert turner.cited_by == tuple(c.id for c in citations)
    assert all(r.cited_by == () for r in seed.references[:-1])
    # In text as in the seed: "... and epithelial integrity. (9)"
    first = next(b for b in seed.body if isinstance(b, Paragraph))
    assert plain_text(first.children).endswith("epithelial integrity. (9)")


def test_seed_paragraphs(seed: Document) -> None:
    texts = paragraph_texts(seed)
    for sentence in SEED_PARAGRAPHS:
        assert sentence in texts
    for sentence in SEED_CITED_PARAGRAPHS:
        matching = [t for t in texts if t.startswith(sentence)]
        assert len(matching) == 1 and matching[0].endswith(" (9)")
    text = seed_text()
    if text is not None:
        for sentence in SEED_PARAGRAPHS + SEED_CITED_PARAGRAPHS:
            assert sentence in text


def test_seed_lists_hold_all_22_items(seed: Document) -> None:
    lists = lists_of(seed)
    assert [len(block.items) for block in lists] == [5, 4, 2, 7, 4]
    assert sum(1 for b in walk_blocks(seed.body) if isinstance(b, ListItem)) == 22
    assert all(not block.ordered for block in lists)
    assert [[item_text(item) for item in block.items] for block in lists] == SEED_LISTS
    text = seed_text()
    if text is not None:
        bullets = [line[2:] for line in text.split("EXPLORE THE GUT HEALTH COLLECTION")[0].splitlines()
                   if line.startswith("- ")]
        assert bullets == [item for block in SEED_LISTS for item in block]


def test_seed_headings(seed: Document) -> None:
    headings = list(seed.headings())
    assert [plain_text(h.children) for h in headings] == SEED_HEADINGS
    assert {h.level for h in headings} == {2}
    text = seed_text()
    if text is not None:
        lines = {comparable(line) for line in text.splitlines()}
        for heading in SEED_HEADINGS:
            assert comparable(heading) in lines


def test_seed_disclaimer(seed: Document) -> None:
    assert len(seed.disclaimer) == 1
    paragraph = seed.disclaimer[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.id == "disclaimer-p-1"
    assert plain_text(paragraph.children) == DISCLAIMER
    text = seed_text()
    if text is not None:
        assert f"Disclaimer: {DISCLAIMER}" in text


def test_seed_abbreviations_are_marked(seed: Document) -> None:
    defined = {a.term: (a.expansion, a.spoken) for a in seed.abbreviations}
    assert defined == {
        "LPS": ("lipopolysaccharide", "L P S"),
        "SCFAs": ("short-chain fatty acids", "short-chain fatty acids"),
        "NSAIDs": ("non-steroidal anti-inflammatory drugs", "en-saids"),
    }
    marked = [n for n in all_inlines(seed) if isinstance(n, Abbreviation)]
    assert {n.term for n in marked} == {"LPS", "SCFAs", "NSAIDs"}
    assert all(n.expansion == defined[n.term][0] and n.spoken == defined[n.term][1] for n in marked)
    # The heading "LPS (an endotoxin)" and the item "LPS remains..." both mark it.
    assert sum(1 for n in marked if n.term == "LPS") == 2
    heading = next(h for h in seed.headings() if plain_text(h.children) == "LPS (an endotoxin)")
    assert isinstance(heading.children[0], Abbreviation)


def test_seed_source_lines(seed: Document) -> None:
    first = seed.body[0]
    assert first.line == position(SEED, "The term “leaky gut”")[0]
    heading = next(seed.headings())
    assert heading.line == position(SEED, "## The gut barrier")[0]
    turner = seed.references[-1]
    assert turner.line == position(SEED, "id: turner2009")[0]


# --------------------------------------------------------------- JSON and ids


def test_json_round_trips_with_a_type_on_each_node(seed: Document, everything: Document) -> None:
    for document in (seed, everything):
        data = json.loads(to_json(document))
        assert data == to_jsonable(document)
        assert set(data) >= {"source", "slug", "meta", "body", "disclaimer", "footnotes", "references"}

        def check(value: object, inside_node: bool) -> None:
            if isinstance(value, dict):
                if inside_node:
                    assert isinstance(value.get("type"), str), value
                for item in value.values():
                    check(item, True)
            elif isinstance(value, list):
                for item in value:
                    check(item, inside_node)

        for part in ("body", "disclaimer", "footnotes", "references"):
            check(data[part], True)
        kinds = set(re.findall(r'"type": "(\w+)"', to_json(document)))
        assert kinds <= {"text", "emphasis", "strong", "code", "linebreak", "link", "citation", "footnoteref",
                         "abbreviation", "heading", "paragraph", "listitem", "list", "blockquote", "figure",
                         "cell", "table", "codeblock", "thematicbreak", "footnote", "reference"}


def test_everything_json_has_every_node_type(everything: Document) -> None:
    kinds = set(re.findall(r'"type": "(\w+)"', to_json(everything)))
    assert kinds == {"text", "emphasis", "strong", "code", "link", "citation", "footnoteref", "abbreviation",
                     "heading", "paragraph", "listitem", "list", "blockquote", "figure", "cell", "table",
                     "codeblock", "thematicbreak", "footnote", "reference"}


@pytest.mark.parametrize("source", [SEED, EVERYTHING], ids=["seed", "everything"])
def test_ids_are_unique_and_stable(source: Path) -> None:
    first, second = read_article(source), read_article(source)
    assert first == second
    assert to_json(first) == to_json(second)
    ids = all_ids(first)
    assert len(ids) == len(set(ids))
    assert not set(ids) & RESERVED_IDS
    assert all(re.fullmatch(r"[A-Za-z][\w-]*", i) for i in ids)


def test_ids_do_not_depend_on_the_folder(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "gut-barrier" / "article.md"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(SEED.read_bytes())
    assert all_ids(read_article(copy)) == all_ids(read_article(SEED))


def test_golden_model_json(seed: Document) -> None:
    golden = GOLDEN / "gut-barrier.model.json"
    actual = json.dumps(neutral_json(to_jsonable(seed)), ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), "no golden file: run with UPDATE_GOLDEN=1 once"
    expected = golden.read_text(encoding="utf-8")
    assert json.loads(actual) == json.loads(expected), "the seed's model changed: UPDATE_GOLDEN=1 if on purpose"
    assert actual == expected


def test_golden_is_machine_independent() -> None:
    data = json.loads((GOLDEN / "gut-barrier.model.json").read_text(encoding="utf-8"))
    assert data["source"] == "source/gut-barrier/article.md"
    assert data["figures_dir"] == "source/gut-barrier"
    assert str(ROOT) not in json.dumps(data)


# --------------------------------------------------------- the everything fixture


def test_everything_metadata(everything: Document) -> None:
    meta = everything.meta
    assert meta.title == "Reading Without Barriers"
    assert meta.subtitle == "How large print, audio and good structure help every reader"
    assert meta.lang == "en-US"
    assert meta.authors == ("Ada Example", "Grace Sample")
    assert meta.date == "2024-03-15"
    assert meta.publisher == "Open Shelf Press"
    assert meta.description.startswith("A short guide to making articles readable")
    assert meta.keywords == ("accessibility", "large print", "reading")
    assert meta.rights == "CC BY 4.0"
    assert meta.papersize == "letter"
    assert everything.slug == "everything"


def test_everything_disclaimer_has_two_paragraphs(everything: Document) -> None:
    assert [type(b) for b in everything.disclaimer] == [Paragraph, Paragraph]
    assert [b.id for b in everything.disclaimer] == ["disclaimer-p-1", "disclaimer-p-2"]
    assert plain_text(everything.disclaimer[1].children).startswith("Ask an eye-care professional")
    # The disclaimer's lines are not the file's: its blocks point at the key.
    assert {b.line for b in everything.disclaimer} == {position(EVERYTHING, "disclaimer:")[0]}


def test_everything_references_and_citations(everything: Document) -> None:
    refs = {r.key: r for r in everything.references}
    assert [r.key for r in everything.references] == ["legge2007", "rello2013", "who2019"]
    assert [r.number for r in everything.references] == [1, 2, 3]
    book = plain_text(refs["legge2007"].children)
    assert book.startswith("Legge, G. E. (2007). Psychophysics of reading in normal and low vision")
    assert refs["rello2013"].doi == "10.1145/2513383.2513447"
    assert refs["who2019"].doi is None
    url = "https://www.who.int/publications/i/item/9789241516570"
    links = [n for n in refs["who2019"].children if isinstance(n, Link)]
    assert [link.href for link in links] == [url]

    citations = [n for n in all_inlines(everything) if isinstance(n, Citation)]
    assert [(c.keys, c.numbers, c.locator) for c in citations] == [
        (("who2019",), (3,), ""),
        (("legge2007", "rello2013"), (1, 2), ""),
        (("legge2007",), (1,), "p.\u00a012"),
    ]
    assert refs["legge2007"].cited_by == (citations[1].id, citations[2].id)
    assert refs["rello2013"].cited_by == (citations[1].id,)
    assert refs["who2019"].cited_by == (citations[0].id,)
    texts = paragraph_texts(everything)
    assert any(t.endswith("every day (3).") for t in texts)
    assert any("braille display (1, 2)." in t for t in texts)
    assert any("line spacing (1, p.\u00a012)." in t for t in texts)


def test_everything_headings(everything: Document) -> None:
    headings = list(everything.headings())
    assert [(h.level, plain_text(h.children)) for h in headings] == [
        (2, "Why structure matters"), (3, "Type and spacing"), (3, "Checking the result")]
    assert [h.id for h in headings] == ["why-structure-matters", "type-and-spacing", "checking-the-result"]
    assert headings[1].line == position(EVERYTHING, "### Type and spacing")[0]


def test_everything_inline_markup(everything: Document) -> None:
    inlines = list(all_inlines(everything))
    kinds = {type(n).__name__ for n in inlines}
    assert {"Emphasis", "Strong", "Code", "Link", "Abbreviation", "FootnoteRef", "Citation"} <= kinds
    hrefs = {n.href for n in inlines if isinstance(n, Link)}
    assert "https://www.w3.org/WAI/standards-guidelines/wcag/" in hrefs
    assert "mailto:editors@example.org" in hrefs
    codes = [n.text for n in inlines if type(n).__name__ == "Code"]
    assert codes == ["<h2>"]
    terms = [n.term for n in inlines if isinstance(n, Abbreviation)]
    assert "WHO" in terms and "WCAG" in terms
    who = next(a for a in everything.abbreviations if a.term == "WHO")
    assert (who.expansion, who.spoken) == ("World Health Organization", "W H O")
    wcag = next(a for a in everything.abbreviations if a.term == "WCAG")
    assert wcag.expansion == wcag.spoken == "Web Content Accessibility Guidelines"


def test_everything_nested_list(everything: Document) -> None:
    outer = lists_of(everything)[0]
    assert outer.ordered and outer.start == 1
    assert [item_text(item) for item in outer.items] == ["Choose a clear typeface", "Set the size",
                                                         "Check the contrast1"]
    inner = [b for b in outer.items[0].blocks if isinstance(b, ListBlock)]
    assert len(inner) == 1 and not inner[0].ordered
    assert [item_text(item) for item in inner[0].items] == ["with distinct shapes for I, l and 1",
                                                           "with open counters"]


def test_everything_block_quote(everything: Document) -> None:
    quotes = [b for b in everything.body if isinstance(b, BlockQuote)]
    assert len(quotes) == 1
    (paragraph,) = quotes[0].blocks
    assert isinstance(paragraph, Paragraph)
    assert plain_text(paragraph.children) == ("Print is a technology of the eye; accessible publishing makes it a "
                                              "technology of the reader.")


def test_everything_figure(everything: Document) -> None:
    figures = [b for b in everything.body if isinstance(b, Figure)]
    assert len(figures) == 1
    figure = figures[0]
    assert figure.src == "images/chart.png"
    assert figure.alt == "A bar chart with four bars rising from left to right"
    assert plain_text(figure.caption) == "Figure 1: Reading speed by font size"  # numbered as papers are
    assert figure.line == position(EVERYTHING, "![Reading speed")[0]
    image = assets.resolve(everything, figure)
    assert image.read_bytes().startswith(b"\x89PNG")


def test_everything_table(everything: Document) -> None:
    (table,) = [b for b in everything.body if isinstance(b, Table)]
    assert [plain_text(c.children) for c in table.header] == ["Size (pt)", "Layout", "Words per minute"]
    assert [c.align for c in table.header] == ["left", "center", "right"]
    assert [[plain_text(c.children) for c in row] for row in table.rows] == [["12", "dense", "150"],
                                                                            ["18", "open", "190"]]
    assert table.line == position(EVERYTHING, "| Size (pt)")[0]


def test_everything_footnotes(everything: Document) -> None:
    notes = everything.footnotes
    assert [(n.id, n.number) for n in notes] == [("fn-1", 1), ("fn-2", 2)]
    assert notes[0].ref_ids == ("fnref-1", "fnref-1-2")  # referenced twice: two back links
    assert notes[1].ref_ids == ("fnref-2",)
    refs = [n for n in all_inlines(everything) if isinstance(n, FootnoteRef)]
    assert [(r.id, r.note_id, r.number) for r in refs] == [("fnref-1", "fn-1", 1), ("fnref-2", "fn-2", 2),
                                                          ("fnref-1-2", "fn-1", 1)]
    assert plain_text(notes[0].blocks[0].children).startswith("Headings, lists and tables are structure")
    assert notes[1].line == position(EVERYTHING, "[^spacing]:")[0]


def test_everything_code_block_and_break(everything: Document) -> None:
    (code,) = [b for b in everything.body if isinstance(b, CodeBlock)]
    assert code.language == "python"
    assert code.text.startswith("def contrast(a, b):\n    return")
    assert not code.text.endswith("\n")
    breaks = [b for b in everything.body if isinstance(b, ThematicBreak)]
    assert len(breaks) == 1
    rules = [n for n, line in enumerate(EVERYTHING.read_text(encoding="utf-8").split("\n"), start=1) if line == "---"]
    assert breaks[0].line == rules[2]  # the two front-matter fences come first


def test_everything_has_each_construct(everything: Document) -> None:
    for kind in ("heading", "paragraph", "list", "listitem", "blockquote", "figure", "table", "codeblock",
                 "thematicbreak"):
        assert everything.has(kind), kind
    assert len(list(every_block(everything))) > 20
    assert isinstance(everything.body[1], Heading)


# --------------------------------------------- ids: collisions the reader must avoid


def test_heading_slugs_never_take_generated_or_reserved_ids(write_article: Callable[..., Path]) -> None:
    front = ("title: T\nlang: en\nreferences:\n  - {id: a.b, type: book, title: A}\n"
             "  - {id: a-b, type: book, title: B}\n")
    body = ("\n## P 1\n\nText [@a.b] and [@a-b].\n\n## Ref a b\n\n## Toc\n\n## Fn 1\n\n## P\n\n## P\n\n"
            "## Page 2\n\n## Listen heading\n\nMore.[^1]\n\n[^1]: A note.\n")
    document = read_article(write_article(front, body))
    ids = all_ids(document)
    assert len(ids) == len(set(ids))
    assert not set(ids) & RESERVED_IDS
    assert [r.id for r in document.references] == ["ref-a-b", "ref-a-b-2"]
    assert [h.id for h in document.headings()] == ["section-p-1", "ref-a-b-3", "toc-2", "section-fn-1",
                                                   "section-p", "section-p-2", "section-page-2", "listen-heading-2"]


def test_disclaimer_and_body_ids_do_not_clash(write_article: Callable[..., Path]) -> None:
    front = "title: T\nlang: en\ndisclaimer: |\n  ## Note\n\n  Careful.\n"
    body = "\n## Disclaimer note\n\nText.\n\n## Disclaimer p 1\n"
    document = read_article(write_article(front, body))
    ids = all_ids(document)
    assert len(ids) == len(set(ids)), ids
    assert [h.id for h in document.headings()] == ["disclaimer-note", "section-disclaimer-p-1"]
    assert document.disclaimer[0].id == "disclaimer-note-2"


def test_headings_inside_quotes_and_lists_follow_the_body(write_article: Callable[..., Path]) -> None:
    # A body that starts at "#" is shifted to start at level 2, inside a quote as well.
    document = read_article(write_article(body="\n# Top\n\n> # Quoted\n\n- ## In a list\n"))
    assert [(h.level, plain_text(h.children)) for h in document.headings()] == [
        (2, "Top"), (2, "Quoted"), (3, "In a list")]


def test_inline_footnote(write_article: Callable[..., Path]) -> None:
    document = read_article(write_article(body="\nText with a note.^[An *inline* note.] And more.\n"))
    (note,) = document.footnotes
    assert (note.id, note.number, note.ref_ids) == ("fn-1", 1, ("fnref-1",))
    assert plain_text(note.blocks[0].children) == "An inline note."  # type: ignore[union-attr]
    refs = [n for n in all_inlines(document) if isinstance(n, FootnoteRef)]
    assert [(r.id, r.note_id) for r in refs] == [("fnref-1", "fn-1")]


def test_a_figure_in_the_disclaimer_reaches_the_page(write_article: Callable[..., Path], tmp_path: Path) -> None:
    path = write_article("title: T\nlang: en\ndisclaimer: |\n  ![A bar chart](chart.png)\n")
    (path.parent / "chart.png").write_bytes((EVERYTHING.parent / "images" / "chart.png").read_bytes())
    document = read_article(path)
    assert isinstance(document.disclaimer[0], Figure)
    assert assets.figures(document) == [document.disclaimer[0]]
    out = tmp_path / "out"
    out.mkdir()
    (page,) = LargePrintRenderer().render(document, RenderContext(out_dir=out, article_dir=path.parent)).files
    assert 'alt="A bar chart"' in page.read_text(encoding="utf-8")
