"""Smaller cases of publish import, each a document made for it: Word's Subtitle, Abstract and
Date styles, a table without a header row, an EndNote field, image formats no edition shows,
and a web page's image that was not saved with it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from PIL import Image

from publish.importing import images, import_document
from tests.importing.test_docx import front_and_body, notes
from tests.importing.word import _append_xml, _field


def small_word(path: Path) -> Path:
    d = docx.Document()
    d.core_properties.author = "Microsoft Office User"  # Word's name for nobody
    d.core_properties.language = ""
    d.core_properties.comments = ""
    d.core_properties.modified = dt.datetime(2023, 1, 2)
    d.add_paragraph("Barrier Basics", style="Title")
    d.add_paragraph("A short primer", style="Subtitle")
    d.styles.add_style("Abstract", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("The gut barrier keeps microbes out and lets nutrients in.", style="Abstract")
    d.styles.add_style("Date", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("1 June 2023", style="Date")
    d.add_paragraph("Layers", style="Heading 1")
    p = d.add_paragraph("Mucus, cells and junctions work together ")
    _append_xml(p, _field('ADDIN EN.CITE <EndNote><Cite><Author>Turner</Author><Year>2009</Year></Cite></EndNote>',
                          "(Turner 2009)"))
    table = d.add_table(rows=3, cols=2)
    for r, row in enumerate([("Layer", "Role"), ("Mucus", "Separates"), ("Junctions", "Seal")]):
        for c, words in enumerate(row):
            table.cell(r, c).text = words
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = table._tbl.tblPr.makeelement(qn("w:tblLook"), {})
        table._tbl.tblPr.append(look)
    look.set(qn("w:firstRow"), "0")  # "Header Row" unticked in Table Design
    d.add_paragraph("Each layer fails in its own way, and each can be measured on its own.")
    buffer = io.BytesIO()
    d.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("small")
    imported = import_document(small_word(folder / "basics.docx"), folder / "source", with_date=True)
    return imported.article, imported


def test_subtitle_abstract_and_date_styles(small: tuple[Path, object]) -> None:
    article, _ = small
    front, body = front_and_body(article)
    assert front["title"] == "Barrier Basics" and front["subtitle"] == "A short primer"
    assert front["date"] == "1 June 2023"  # the Date paragraph, with --date
    assert front["description"] == "The gut barrier keeps microbes out and lets nutrients in."
    assert body.lstrip().startswith("## Abstract\n\nThe gut barrier keeps microbes out")
    assert "author" not in front  # "Microsoft Office User" is nobody


def test_table_without_header_row(small: tuple[Path, object]) -> None:
    article, imported = small
    _, body = front_and_body(article)
    assert "| Layer     | Role      |\n|-----------|-----------|\n| Mucus     | Separates |" in body
    attention = notes(imported, "attention")  # type: ignore[arg-type]
    assert any(n.startswith("Table 1, ¶") and "no header row, so its first row was made the header" in n
               for n in attention)
    assert any("it has no caption" in n for n in attention)


def test_endnote_field_and_missing_author(small: tuple[Path, object]) -> None:
    article, imported = small
    _, body = front_and_body(article)
    assert "work together (Turner 2009)" in body
    attention = notes(imported, "attention")  # type: ignore[arg-type]
    assert any("1 EndNote citation field stays as its text" in n for n in attention)
    assert any("no author" in n for n in attention)


def test_image_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiff = tmp_path / "scan.tiff"
    Image.new("RGB", (20, 10), "white").save(tiff)
    shown, how = images.convert(tiff, tmp_path)
    assert shown is not None and shown.suffix == ".png" and how == "converted to PNG by Pillow"
    emf = tmp_path / "chart.emf"
    emf.write_bytes(b"\x01\x00\x00\x00" + bytes(84))
    monkeypatch.setattr(images.shutil, "which", lambda _name: None)
    assert images.convert(emf, tmp_path) == (None, "EMF (a Windows metafile), which no edition can show, and no "
                                             "converter is installed here (Inkscape, LibreOffice or libwmf's "
                                             "wmf2svg)")
    assert images.readable_name("A tight junction, seen from above in cross-section", "figure-1", ".JPEG",
                                taken := set()) == "a-tight-junction-seen-from-above.jpg"
    assert images.readable_name("A tight junction seen from above", "figure-2", ".png", taken | {
        "a-tight-junction-seen-from-above.png"}) == "a-tight-junction-seen-from-above-2.png"


def test_web_page_images_are_never_fetched(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    Image.new("RGB", (40, 20), "navy").save(tmp_path / "saved.png")
    prose = "<p>Tight junctions seal the gaps between the cells of the gut lining, and they open and close.</p>" * 4
    page.write_text(f"<html lang='en'><head><title>Junctions</title></head><body><article><h1>Junctions</h1>{prose}"
                    "<figure><img src='saved.png' alt='A navy square'><figcaption>Figure 1: Saved</figcaption>"
                    "</figure>" + prose + "<p><img src='https://cdn.example.com/remote.png' alt='Remote'></p>"
                    + prose + "</article></body></html>", encoding="utf-8")
    imported = import_document(page, tmp_path / "source")
    _, body = front_and_body(imported.article)
    assert "remote.png" not in body
    assert (imported.article.parent / "images").is_dir()
    assert any("https://cdn.example.com/remote.png" in n and "never fetched" in n
               for n in notes(imported, "attention"))
