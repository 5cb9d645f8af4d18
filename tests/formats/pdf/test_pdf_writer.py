"""The PDF/UA-1 writer: structure, metadata, fonts, links, artifacts, reproducibility, layout."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest
from pdfminer.high_level import extract_text
from pikepdf import Array, Dictionary, Name

from formats.pdf.weasy import (
    PdfBuildError,
    PdfLayout,
    PdfMetadata,
    stylesheets,
    write_pdf,
)

from .conftest import article_html, make_png

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}


@dataclass
class Built:
    path: Path
    layout: PdfLayout
    html: str
    seconds: float


def _build(folder: Path, out: Path, *, edition: str = "standard", paper: str = "a4",
           html: str | None = None, metadata: PdfMetadata | None = None) -> Built:
    if not (folder / "images" / "chart.png").exists():
        (folder / "images").mkdir(parents=True, exist_ok=True)
        make_png(folder / "images" / "chart.png")
    html = html or article_html("images/chart.png")
    started = time.perf_counter()
    layout = write_pdf(
        html,
        base_dir=folder,
        allowed_roots=[folder],
        stylesheets=stylesheets(edition, paper),  # type: ignore[arg-type]
        out=out,
        metadata=metadata or PdfMetadata.from_html(html),
    )
    return Built(out, layout, html, time.perf_counter() - started)


@pytest.fixture(scope="module")
def standard(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("standard")
    return _build(root / "gut-barrier", root / "standard.pdf")


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("large")
    return _build(root / "gut-barrier", root / "large.pdf", edition="large-print")


@pytest.fixture(params=["standard", "large"])
def either(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(request.param)
    return built


@pytest.fixture
def pdf(either: Built) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(either.path) as document:
        yield document


# -- helpers ---------------------------------------------------------------------------


def _struct_elems(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    stack = [pdf.Root.StructTreeRoot.K]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, Dictionary) or node.get("/Type") in (Name.MCR, Name.OBJR):
            continue
        if node.objgen in seen:
            continue
        seen.add(node.objgen)
        yield node
        if "/K" in node:
            stack.append(node.K)


def _xmp(pdf: pikepdf.Pdf) -> ElementTree.Element:
    return ElementTree.fromstring(pdf.Root.Metadata.read_bytes())


def _xmp_values(xmp: ElementTree.Element, prop: str) -> list[str]:
    element = xmp.find(f".//{prop}", NS)
    if element is None:
        return []
    items = element.findall(".//rdf:li", NS)
    return [item.text or "" for item in items] if items else [element.text or ""]


def _marked_content(page: pikepdf.Page) -> Iterator[tuple[str, object, list[str]]]:
    """(tag, properties, painting operators inside) per marked-content sequence, and
    ("", None, ops) for painting outside any."""
    paint = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Do", "sh"}
    stack: list[tuple[str, object, list[str]]] = []
    outside: list[str] = []
    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            props = instruction.operands[1] if op == "BDC" else None
            stack.append((str(instruction.operands[0]), props, []))
        elif op == "EMC":
            yield stack.pop()
        elif op in paint:
            (stack[-1][2] if stack else outside).append(op)
    yield ("", None, outside)


# -- PDF/UA essentials ------------------------------------------------------------------


def test_catalog_marks_language_and_title(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == "en-GB"
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    assert "/StructTreeRoot" in root
    assert root.PageMode == Name.UseOutlines
    assert pdf.pdf_version == "1.7"


def test_xmp_and_info_agree(pdf: pikepdf.Pdf) -> None:
    xmp = _xmp(pdf)
    assert _xmp_values(xmp, "pdfuaid:part") == ["1"]
    title = "What\u2019s Going On With Your Gut Barrier"
    assert _xmp_values(xmp, "dc:title") == [title]
    assert _xmp_values(xmp, "dc:language") == ["en-GB"]
    assert _xmp_values(xmp, "dc:creator") == ["Jane Doe"]
    assert _xmp_values(xmp, "dc:subject") == ["gut barrier", "intestinal permeability", "microbiome"]
    description = _xmp_values(xmp, "dc:description")
    assert description and description[0].startswith("What increased intestinal permeability")
    assert _xmp_values(xmp, "xmp:CreateDate") == ["2024-05-01"]
    info = pdf.docinfo
    assert str(info.Title) == title
    assert str(info.Author) == "Jane Doe"
    assert str(info.Subject) == description[0]
    assert str(info.Keywords) == _xmp_values(xmp, "pdf:Keywords")[0]
    assert str(info.Producer) == _xmp_values(xmp, "pdf:Producer")[0]
    assert str(info.Creator) == _xmp_values(xmp, "xmp:CreatorTool")[0]
    assert str(info.CreationDate) == "D:20240501"


def test_fonts_are_embedded_and_packaged_only(standard: Built, large: Built) -> None:
    for built, family, other in ((standard, "Literata", "Atkinson"), (large, "Atkinson-Hyperlegible", "Literata")):
        with pikepdf.open(built.path) as pdf:
            fonts = {}
            for page in pdf.pages:
                for font in page.obj.Resources.Font.values():
                    fonts[font.objgen] = font
            assert fonts
            for font in fonts.values():
                name = str(font.BaseFont)[1:]
                assert re.fullmatch(r"[A-Z]{6}\+" + family + r"(-.*)?", name), name
                assert other not in name
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor, f"{name} not embedded"
                assert "/ToUnicode" in font


def test_links_have_contents_struct_parents_and_tab_order(pdf: pikepdf.Pdf) -> None:
    parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    contents: list[str] = []
    for page in pdf.pages:
        annots: list[pikepdf.Object] = list(page.obj.get("/Annots", []))
        if annots:
            assert page.obj.Tabs == Name.S
        for annot in annots:
            assert annot.Subtype == Name.Link
            assert str(annot.Contents).strip()
            elem = parent_tree[int(annot.StructParent)]
            assert Name.Link == elem.S
            contents.append(str(annot.Contents))
    assert "Go to reference 9" in contents
    assert "Go to note 1" in contents
    assert "Read the medical disclaimer" in contents
    assert "Back to text" in contents
    assert "https://doi.org/10.1038/nri2653" in contents


def test_figure_alt_table_headers_and_lists(pdf: pikepdf.Pdf) -> None:
    elems = list(_struct_elems(pdf))
    kinds = [str(elem.S) for elem in elems]
    figures = [elem for elem in elems if Name.Figure == elem.S]
    assert len(figures) == 1
    assert str(figures[0].Alt).startswith("Bar chart: lactulose-to-mannitol ratio")
    assert kinds.count("/TH") == 3
    assert "/Table" in kinds and "/Caption" in kinds
    assert kinds.count("/L") >= 5  # two bullet lists (one nested), ordered, notes, references
    assert kinds.count("/Lbl") >= 9
    headings = [kind for kind in kinds if re.fullmatch(r"/H\d", kind)]
    assert headings[0] == "/H1" and headings.count("/H1") == 1


def test_outline_from_headings(pdf: pikepdf.Pdf) -> None:
    titles: list[tuple[int, str]] = []

    def walk(item: pikepdf.Object | None, depth: int) -> None:
        while item is not None:
            titles.append((depth, str(item.Title)))
            if "/First" in item:
                walk(item.First, depth + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.First, 0)
    assert titles[0] == (0, "What\u2019s Going On With Your Gut Barrier")
    assert (1, "References") in titles and (1, "Disclaimer") in titles
    assert (1, "LPS (an endotoxin)") in titles


def test_running_heads_and_page_numbers_are_artifacts(either: Built) -> None:
    with pikepdf.open(either.path) as pdf:
        parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        reachable = {elem.objgen for elem in _struct_elems(pdf)}
        pages = len(pdf.pages)
        pagination = 0
        for page in pdf.pages:
            entries = parent_tree[int(page.obj.StructParents)]
            for tag, props, ops in _marked_content(page):
                if tag == "":
                    assert ops == [], "painting outside marked content"
                elif tag == "/Artifact":
                    if isinstance(props, Dictionary) and props.get("/Type") == Name.Pagination:
                        pagination += 1
                        assert ops, "an empty pagination artifact"
                elif isinstance(props, Dictionary) and "/MCID" in props:
                    elem = entries[int(props.MCID)]
                    assert elem.objgen in reachable, f"MCID {props.MCID} outside the tree"
        # Page number on every page; running head on every page but the first.
        assert pagination == 2 * pages - 1
    texts = [extract_text(str(either.path), page_numbers=[i]) for i in (0, 1)]
    assert "Page 1 of" in texts[0]
    assert f"Page 2 of {either.layout.pages}" in texts[1]
    # The running head (the title) is on page 2, but only as an artifact: the
    # struct tree's text is unchanged (checked above), the page text has it.
    assert "Going On With Your" in texts[1]


def test_same_input_same_bytes(tmp_path: Path, standard: Built,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Another folder, another second, another SOURCE_DATE_EPOCH: the article
    # is dated, so none of that may show.
    time.sleep(1.1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    again = _build(tmp_path / "elsewhere" / "gut-barrier", tmp_path / "again.pdf")
    assert again.path.read_bytes() == standard.path.read_bytes()
    assert again.layout == standard.layout


def test_undated_article_is_reproducible_and_has_no_invented_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    html = article_html("images/chart.png", sections=3).replace(
        '<meta name="dcterms.created" content="2024-05-01"/>', "")
    first = _build(tmp_path / "a", tmp_path / "a.pdf", html=html)
    time.sleep(1.1)
    second = _build(tmp_path / "b", tmp_path / "b.pdf", html=html)
    assert first.path.read_bytes() == second.path.read_bytes()
    with pikepdf.open(first.path) as pdf:
        assert "/CreationDate" not in pdf.docinfo and "/ModDate" not in pdf.docinfo
        assert _xmp_values(_xmp(pdf), "xmp:CreateDate") == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")  # 2024-05-01T00:00:00Z
    third = _build(tmp_path / "c", tmp_path / "c.pdf", html=html)
    with pikepdf.open(third.path) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20240501000000Z"
        assert _xmp_values(_xmp(pdf), "xmp:ModifyDate") == ["2024-05-01T00:00:00Z"]


# -- layout: page starts -------------------------------------------------------------


def _ids_in_order(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def _element_text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</(p|li|h\d|table|figure|blockquote)>',
                      html, re.S)
    assert match, element_id
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    text = text.replace("&amp;", "&")
    return " ".join(text.split())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("which", ["standard", "large"])
def test_page_starts(which: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(which)
    layout = built.layout
    assert layout.pages >= 3
    assert len(layout.page_starts) == layout.pages
    assert layout.page_starts[0] == "title"
    order = _ids_in_order(built.html)
    starts = [start for start in layout.page_starts if start is not None]
    assert len(starts) == len(set(starts))
    assert [order.index(start) for start in starts] == sorted(order.index(s) for s in starts)
    for number, start in enumerate(layout.page_starts):
        if start is None:
            continue
        assert start in order
        assert not start.startswith(("main", "list-", "fnref-")) and start != "references"
        head = _squash(_element_text(built.html, start))[:25]
        if not head:  # a figure or table without text of its own first
            continue
        page_text = _squash(extract_text(str(built.path), page_numbers=[number]))
        assert head in page_text, (start, number)
        if number:
            before = _squash(extract_text(str(built.path), page_numbers=[number - 1]))
            assert head not in before, f"{start} already began on page {number}"


def test_continued_block_does_not_start_a_page(standard: Built) -> None:
    # At least one page opens with the end of a paragraph from the page before:
    # its first *starting* block is further down the page, not that paragraph.
    for number in range(1, standard.layout.pages):
        text = extract_text(str(standard.path), page_numbers=[number]).strip().splitlines()
        body = [line for line in text if line.strip() and "Going On With" not in line]
        start = standard.layout.page_starts[number]
        if start and not _squash(body[0]).startswith(_squash(_element_text(standard.html, start))[:10]):
            return
    pytest.fail("no page begins with a continued block; make the fixture longer")


# -- editions, paper -----------------------------------------------------------------


def test_paper_sizes(tmp_path: Path, standard: Built) -> None:
    letter = _build(tmp_path / "gut-barrier", tmp_path / "letter.pdf", paper="letter")
    with pikepdf.open(letter.path) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    with pikepdf.open(standard.path) as pdf:
        assert [round(float(v), 1) for v in pdf.pages[0].MediaBox] == [0, 0, 595.3, 841.9]


def _font_sizes_pt(pdf: pikepdf.Pdf) -> set[float]:
    sizes = set()
    for page in pdf.pages:
        for instruction in pikepdf.parse_content_stream(page):
            if str(instruction.operator) == "Tf":
                sizes.add(round(float(instruction.operands[1]) * 0.75, 2))  # CSS px -> pt
    return sizes


def test_large_print_is_18pt_and_never_italic(large: Built, standard: Built) -> None:
    with pikepdf.open(large.path) as pdf:
        sizes = _font_sizes_pt(pdf)
        assert min(sizes) >= 18
        names = {str(font.BaseFont) for page in pdf.pages for font in page.obj.Resources.Font.values()}
        assert not any("Italic" in name for name in names)
    with pikepdf.open(standard.path) as pdf:
        all_sizes = [
            round(float(instruction.operands[1]) * 0.75, 2)
            for page in pdf.pages
            for instruction in pikepdf.parse_content_stream(page)
            if str(instruction.operator) == "Tf"
        ]
        body = max(set(all_sizes), key=all_sizes.count)
        assert 10.5 <= body <= 11
    assert large.layout.pages > standard.layout.pages


# -- failures ---------------------------------------------------------------------------


def _article(tmp_path: Path) -> Path:
    folder = tmp_path / "gut-barrier"
    (folder / "images").mkdir(parents=True)
    make_png(folder / "images" / "chart.png")
    return folder


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda html: html.replace(' lang="en-GB"', ""), "no lang attribute"),
        (lambda html: html.replace('lang="en-GB"', 'lang="fr"'), "disagrees with metadata.lang"),
        (lambda html: re.sub(r"<title>.*?</title>", "", html), "no <title>"),
        # In no packaged font (CJK): drawn by an installed font, or by none (an empty box).
        (lambda html: html.replace("It consists of:", "It consists of \u6f22:"),
         r"(not one of the packaged fonts|no font, packaged or installed, has).*U\+6F22"),
    ],
    ids=["no-lang", "lang-mismatch", "no-title", "glyph-fallback"],
)
def test_bad_input_fails_with_a_clear_error(
    tmp_path: Path, mutate: Callable[[str], str], message: str
) -> None:
    folder = _article(tmp_path)
    html = mutate(article_html("images/chart.png", sections=2))
    out = tmp_path / "out.pdf"
    with pytest.raises(PdfBuildError, match=message):
        write_pdf(
            html, base_dir=folder, allowed_roots=[folder], stylesheets=stylesheets(), out=out,
            metadata=PdfMetadata(title="What\u2019s Going On", lang="en-GB"),
        )
    assert not out.exists()


def test_metadata_from_html_and_explicit_dates() -> None:
    html = article_html("images/chart.png", sections=1)
    meta = PdfMetadata.from_html(html)
    assert meta.title == "What\u2019s Going On With Your Gut Barrier"
    assert meta.lang == "en-GB"
    assert meta.authors == ("Jane Doe",)
    assert meta.keywords == ("gut barrier", "intestinal permeability", "microbiome")
    assert meta.created == date(2024, 5, 1)
    stamp = datetime(2024, 6, 2, 10, 30, tzinfo=UTC)
    assert PdfMetadata.from_html(html, modified=stamp).modified == stamp
    assert PdfMetadata.from_html(html, title="Other").title == "Other"


def test_unknown_edition_or_paper() -> None:
    with pytest.raises(ValueError):
        stylesheets("braille")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        stylesheets("standard", "a5")  # type: ignore[arg-type]


# -- structure across page breaks ----------------------------------------------------------


def test_page_breaks_do_not_split_the_structure(tmp_path: Path) -> None:
    """WeasyPrint tags page by page; the writer joins what page breaks cut."""
    rows = "".join(
        f'<tr><th scope="row">Row {i}</th><td>value {i}</td><td>more {i}</td></tr>' for i in range(60)
    )
    items = "".join(f'<li id="li-long-{i}">Item number {i} of a long list</li>' for i in range(45))
    extra = (
        '<table id="tbl-long"><caption>Long table</caption><thead><tr><th scope="col">Name</th>'
        f'<th scope="col">A</th><th scope="col">B</th></tr></thead><tbody>{rows}</tbody></table>'
        f'<ul id="list-long">{items}</ul>'
    )
    html = article_html("images/chart.png", sections=2, extra_body=extra)
    built = _build(tmp_path / "gut-barrier", tmp_path / "long.pdf", html=html)
    assert built.layout.pages >= 4
    with pikepdf.open(built.path) as pdf:
        elems = list(_struct_elems(pdf))
        kinds = [str(elem.S) for elem in elems]
        assert kinds.count("/Part") == 1 and kinds.count("/Art") == 1
        assert kinds.count("/Table") == 1 and kinds.count("/THead") == 1 and kinds.count("/TBody") == 1
        assert kinds.count("/TH") == 3 + 60  # the repeated header rows are artifacts now
        assert kinds.count("/P") == html.count("<p")
        long_list = [
            elem for elem in elems
            if elem.S == Name.L and sum(1 for kid in elem.K if isinstance(kid, Dictionary)) == 45
        ]
        assert len(long_list) == 1
        header_ids = {str(elem.ID) for elem in elems if elem.S == Name.TH}
        cells = [elem for elem in elems if elem.S == Name.TD]
        assert len(cells) == 120
        for cell in cells:
            headers = [str(header) for header in cell.A.Headers]
            assert len(headers) == 2 and set(headers) <= header_ids
        # Every marked-content id still maps into the tree; kids point back to parents.
        parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        reachable = {elem.objgen for elem in elems}
        for page in pdf.pages:
            entries = parent_tree[int(page.obj.StructParents)]
            for tag, props, _ops in _marked_content(page):
                if tag not in ("", "/Artifact"):
                    assert isinstance(props, Dictionary)
                    assert entries[int(props.MCID)].objgen in reachable
        for elem in elems:
            for kid in elem.get("/K", []) if isinstance(elem.get("/K"), Array) else []:
                if isinstance(kid, Dictionary) and "/S" in kid:
                    assert kid.P.objgen == elem.objgen
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                assert parent_tree[int(annot.StructParent)].objgen in reachable
