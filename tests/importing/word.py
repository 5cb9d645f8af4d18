"""A Word document made the way Word makes one, for the import tests: real heading styles,
numbered and nested lists, a table with a header row and a caption, footnotes, images with and
without alt text and with captions, equations (OMML), Zotero and Mendeley citation fields, a
bold paragraph used as a heading, a quotation, a hyperlink, tracked changes and a comment.

python-docx writes what it has an API for; footnotes, fields, equations and tracked changes are
written as the WordprocessingML Word itself writes (ECMA-376 part 1)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Inches
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
NS = f'xmlns:w="{W}" xmlns:m="{M}"'

TITLE = "Tight Junctions Under Stress"
# Every paragraph of the body as a reader sees it, in order, for the round-trip test.
TURNER = {
    "id": "http://zotero.org/users/1/items/ABCD1234", "type": "article-journal",
    "title": "Intestinal mucosal barrier function in health and disease",
    "container-title": "Nature Reviews Immunology", "volume": "9", "issue": "11", "page": "799-809",
    "DOI": "10.1038/nri2653", "author": [{"family": "Turner", "given": "Jerrold R."}],
    "issued": {"date-parts": [["2009", 11]]},
}
FASANO = {
    "id": "mendeley-5", "type": "article-journal",
    "title": "Zonulin and its regulation of intestinal barrier function",
    "container-title": "Physiological Reviews", "volume": "91", "issue": "1", "page": "151-175",
    "DOI": "10.1152/physrev.00003.2008", "author": [{"family": "Fasano", "given": "Alessio"}],
    "issued": {"date-parts": [["2011"]]},
}


def png(path: Path, colour: str, label: str) -> Path:
    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 230, 110), outline=colour, width=4)
    draw.text((24, 52), label, fill=colour)
    image.save(path)
    return path


def _append_xml(paragraph: Paragraph, xml: str) -> None:
    for element in parse_xml(f"<w:wrap {NS}>{xml}</w:wrap>"):
        paragraph._p.append(element)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(instruction: str, shown: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"{_run(shown)}"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def zotero(item: dict[str, object], shown: str) -> str:
    data = {"citationID": "x7Kq2", "properties": {"formattedCitation": shown, "plainCitation": shown,
                                                  "noteIndex": 0},
            "citationItems": [{"id": 1, "uris": [item["id"]], "itemData": item}],
            "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"}
    return _field("ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(data).replace("&", "&amp;").replace("<", "&lt;"),
                  shown)


def mendeley(item: dict[str, object], shown: str) -> str:
    data = {"citationItems": [{"id": "ITEM-1", "itemData": item, "uris": ["http://www.mendeley.com/documents/?uuid=5"]}],
            "mendeley": {"formattedCitation": shown, "plainTextFormattedCitation": shown},
            "properties": {"noteIndex": 0}, "schema": "https://github.com/citation-style-language/schema/raw/master/"
            "csl-citation.json"}
    return _field("ADDIN CSL_CITATION " + json.dumps(data), shown)


def _zotero_bibliography(document: docx.document.Document, entries: list[str]) -> None:
    """The bibliography Zotero writes: one field whose result spans a paragraph per entry."""
    first, *rest = entries
    begin = document.add_paragraph(style="Bibliography" if "Bibliography" in document.styles else None)
    _append_xml(begin, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
                'ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run(first))
    for index, entry in enumerate(rest):
        paragraph = document.add_paragraph()
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if index == len(rest) - 1 else ""
        _append_xml(paragraph, _run(entry) + end)


def _footnotes_part(document: docx.document.Document, notes: list[str]) -> None:
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>{_run(" " + text)}</w:p>'
        "</w:footnote>" for i, text in enumerate(notes, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NS}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f"</w:footnote>{body}</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_reference(number: int) -> str:
    return (f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{number}"/>'
            "</w:r>")


def _picture(document: docx.document.Document, path: Path, alt: str) -> None:
    paragraph = document.add_paragraph()
    shape = paragraph.add_run().add_picture(str(path), width=Inches(2.5))
    docpr = shape._inline.docPr
    docpr.set("name", f"Picture {path.stem}")
    if alt:
        docpr.set("descr", alt)


def _multilevel_list(document: docx.document.Document) -> int:
    """A numbered list whose second level is bulleted, as Word's "Multilevel List" button makes."""
    root = document.part.numbering_part.element
    levels = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
              '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
              '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
              '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>')
    root.insert(0, parse_xml(f'<w:abstractNum {NS} w:abstractNumId="40"><w:multiLevelType w:val="hybridMultilevel"/>'
                             f"{levels}</w:abstractNum>"))
    root.append(parse_xml(f'<w:num {NS} w:numId="40"><w:abstractNumId w:val="40"/></w:num>'))
    return 40


def _table(document: docx.document.Document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(parse_xml(f'<w:tblHeader {NS}/>'))


def write_docx(path: Path, images: Path) -> Path:
    """The test document, written to ``path``; its images are drawn into ``images``."""
    d = docx.Document()
    props = d.core_properties
    props.title, props.author, props.subject = TITLE, "Ada Lovelace", "Intestinal permeability"
    props.keywords, props.language = "tight junctions; permeability, gut barrier", "en-GB"
    props.comments = "How tight junctions respond to stress, and how to measure it."
    props.created = props.modified = dt.datetime(2024, 3, 5, 9, 30)
    props.last_modified_by = "Charles Babbage"

    d.add_paragraph(TITLE, style="Title")
    intro = d.add_paragraph("The intestinal barrier is ")
    intro.add_run("selectively").italic = True
    intro.add_run(" permeable, and ")
    intro.add_run("tight junctions").bold = True
    intro.add_run(" seal the spaces between its cells")
    _append_xml(intro, _footnote_reference(1) + _run(" ") + zotero(TURNER, "(Turner, 2009)") + _run("."))

    d.add_paragraph("Introduction", style="Heading 1")
    p = d.add_paragraph("Zonulin regulates the junctions ")
    _append_xml(p, mendeley(FASANO, "(Fasano, 2011)") + _run(", as the "))
    link = d.part.relate_to("https://www.ncbi.nlm.nih.gov/books/NBK54095/", RT.HYPERLINK, is_external=True)
    _append_xml(p, f'<w:hyperlink xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                f'r:id="{link}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>NCBI bookshelf</w:t></w:r>'
                "</w:hyperlink>" + _run(" explains") + _footnote_reference(2) + _run("."))
    p = d.add_paragraph("Permeability is measured with ")
    _append_xml(p, '<w:del w:id="90" w:author="Charles Babbage" w:date="2024-03-04T10:00:00Z"><w:r>'
                '<w:delText>old </w:delText></w:r></w:del>'
                '<w:ins w:id="91" w:author="Charles Babbage" w:date="2024-03-04T10:00:00Z">'
                f'{_run("sugar ")}</w:ins>' + _run("probes of different sizes."))
    commented = p.add_run(" Their ratio is robust.")
    d.add_comment([commented], text="Is it? Cite a study.", author="Charles Babbage", initials="CB")

    d.add_paragraph("Methods", style="Heading 1")
    d.add_paragraph("Sampling", style="Heading 3")  # a gap: Heading 1 straight to Heading 3
    d.add_paragraph("Samples were taken in three steps:")
    numbering = _multilevel_list(d)
    for level, text in ((0, "Fasting overnight"), (0, "Drinking the sugar solution"), (1, "Lactulose, 5 g"),
                        (1, "Mannitol, 2 g"), (0, "Collecting urine for five hours")):
        item = d.add_paragraph(text, style="List Paragraph")
        item._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="{numbering}"/></w:numPr>'))

    bold = d.add_paragraph()
    bold.add_run("Key findings").bold = True
    d.add_paragraph("The flux follows Fick's law, where the flux grows with the gradient ")
    _append_xml(d.paragraphs[-1], '<m:oMath><m:sSup><m:e><m:r><m:t>x</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t>'
                "</m:r></m:sup></m:sSup></m:oMath>" + _run(":"))
    eq = d.add_paragraph()
    _append_xml(eq, "<m:oMathPara><m:oMath><m:r><m:t>J=-D</m:t></m:r><m:f><m:num><m:r><m:t>dC</m:t></m:r>"
                "</m:num><m:den><m:r><m:t>dx</m:t></m:r></m:den></m:f></m:oMath></m:oMathPara>")

    d.add_paragraph("Table 1: Sugar probes and what they measure", style="Caption")
    _table(d, [["Probe", "Size (Da)", "Pathway"], ["Lactulose", "342", "Leak"], ["Mannitol", "182", "Pore"]])

    _picture(d, png(images / "junction.png", "navy", "junction"), "Two epithelial cells sealed by a tight junction")
    d.add_paragraph("Figure 1: A tight junction between two cells", style="Caption")
    _picture(d, png(images / "probes.png", "darkred", "probes"), "")
    d.add_paragraph("Figure 2: Probe recovery over five hours", style="Caption")

    d.add_paragraph("A barrier is not a wall; it is a regulated surface.", style="Quote")
    d.add_paragraph("Discussion", style="Heading 1")
    d.add_paragraph("Stress opens the leak pathway within hours, and rest closes it again.")
    d.add_paragraph("References", style="Heading 1")
    _zotero_bibliography(d, ["Fasano, A. (2011). Zonulin and its regulation of intestinal barrier function. "
                             "Physiological Reviews, 91(1), 151-175.",
                             "Turner, J. R. (2009). Intestinal mucosal barrier function in health and disease. "
                             "Nature Reviews Immunology, 9(11), 799-809."])
    _footnotes_part(d, ["Also called zonula occludens.", "Read on 4 March 2024."])
    buffer = io.BytesIO()
    d.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path
