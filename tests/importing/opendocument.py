"""An OpenDocument text made as LibreOffice Writer makes one, for the import tests: Title and
Heading styles, a numbered list with a nested list, a table with a header row and a caption,
footnotes, an image with alt text and a caption, emphasis, a link, a quotation, a comment and
tracked changes (odfpy; the markup is ODF 1.2's)."""

from __future__ import annotations

from pathlib import Path

from odf import dc, draw, meta, office, style, table, text
from odf.opendocument import OpenDocumentText

from tests.importing.word import png

TITLE = "Sleep and the Gut Barrier"


def _styles(doc: OpenDocumentText) -> dict[str, style.Style]:
    made = {}
    for name in ("Title", "Heading_20_1", "Heading_20_2", "Quotations", "Caption", "Table_20_Heading"):
        made[name] = style.Style(name=name, family="paragraph", displayname=name.replace("_20_", " "))
        if name.startswith("Heading"):
            made[name].setAttribute("defaultoutlinelevel", name[-1])
        doc.styles.addElement(made[name])
    italic = style.Style(name="T1", family="text")
    italic.addElement(style.TextProperties(fontstyle="italic"))
    bold = style.Style(name="T2", family="text")
    bold.addElement(style.TextProperties(fontweight="bold"))
    default = style.DefaultStyle(family="paragraph")
    default.addElement(style.TextProperties(language="en", country="GB"))
    doc.styles.addElement(default)
    for s in (italic, bold):
        doc.automaticstyles.addElement(s)
    made.update(T1=italic, T2=bold)
    return made


def write_odt(path: Path, images: Path) -> Path:
    doc = OpenDocumentText()
    s = _styles(doc)
    doc.meta.addElement(dc.Title(text=TITLE))
    doc.meta.addElement(meta.InitialCreator(text="Grace Hopper"))
    doc.meta.addElement(dc.Subject(text="Sleep and intestinal permeability"))
    doc.meta.addElement(meta.Keyword(text="sleep"))
    doc.meta.addElement(meta.Keyword(text="gut barrier"))
    doc.meta.addElement(meta.CreationDate(text="2024-05-06T10:00:00"))
    body = doc.text

    tracked = text.TrackedChanges()
    region = _region("ct1")
    deletion = text.Deletion()
    deletion.addElement(office.ChangeInfo())
    deletion.addElement(text.P(text="short "))
    region.addElement(deletion)
    tracked.addElement(region)
    body.addElement(tracked)

    body.addElement(text.P(stylename=s["Title"], text=TITLE))
    p = text.P(text="Poor sleep weakens the intestinal barrier within ")
    p.addElement(text.Span(stylename=s["T1"], text="days"))
    p.addText(", and ")
    p.addElement(text.Span(stylename=s["T2"], text="recovery sleep"))
    p.addText(" restores it")
    note = text.Note(id="ftn1", noteclass="footnote")
    note.addElement(text.NoteCitation(text="1"))
    note_body = text.NoteBody()
    note_body.addElement(text.P(text="In healthy adults."))
    note.addElement(note_body)
    p.addElement(note)
    p.addText(".")
    body.addElement(p)

    body.addElement(text.H(outlinelevel=1, stylename=s["Heading_20_1"], text="Background"))
    p = text.P(text="The ")
    p.addElement(text.A(href="https://en.wikipedia.org/wiki/Circadian_rhythm", text="circadian rhythm"))
    p.addText(" sets when the junctions tighten.")
    annotation = office.Annotation()
    annotation.addElement(dc.Creator(text="Grace Hopper"))
    annotation.addElement(text.P(text="Add a source here."))
    p.addElement(annotation)
    body.addElement(p)
    p = text.P(text="Night shifts shift it by ")
    p.addElement(text.ChangeStart(changeid="ct2"))
    p.addText("several ")
    p.addElement(text.ChangeEnd(changeid="ct2"))
    p.addText("hours.")
    body.addElement(p)
    insertion = _region("ct2")
    inserted = text.Insertion()
    inserted.addElement(office.ChangeInfo())
    insertion.addElement(inserted)
    tracked.addElement(insertion)

    body.addElement(text.H(outlinelevel=1, stylename=s["Heading_20_1"], text="What was measured"))
    steps = text.List()
    for words in ("Hours of sleep", "Lactulose to mannitol ratio"):
        item = text.ListItem()
        item.addElement(text.P(text=words))
        steps.addElement(item)
    item = text.ListItem()
    item.addElement(text.P(text="Markers in blood"))
    inner = text.List()
    for words in ("Zonulin", "LPS-binding protein"):
        nested = text.ListItem()
        nested.addElement(text.P(text=words))
        inner.addElement(nested)
    item.addElement(inner)
    steps.addElement(item)
    body.addElement(steps)

    body.addElement(text.H(outlinelevel=2, stylename=s["Heading_20_2"], text="Results"))
    body.addElement(text.P(stylename=s["Caption"], text="Table 1: Ratio after each night"))
    grid = table.Table(name="Table1")
    grid.addElement(table.TableColumn(numbercolumnsrepeated=2))
    header = table.TableHeaderRows()
    for row_words, parent in ((("Night", "Ratio"), header), (("Normal", "0.02"), grid), (("Short", "0.04"), grid)):
        row = table.TableRow()
        for words in row_words:
            cell = table.TableCell(valuetype="string")
            cell.addElement(text.P(stylename=s["Table_20_Heading"] if parent is header else None, text=words))
            row.addElement(cell)
        parent.addElement(row)
        if parent is header:
            grid.addElement(header)
    body.addElement(grid)

    picture = png(images / "night.png", "purple", "night")
    href = doc.addPicture(str(picture))
    frame = draw.Frame(name="Night", anchortype="as-char", width="6cm", height="3cm")
    frame.addElement(draw.Image(href=href))
    frame.addElement(svg_title("A bar chart: the ratio doubles after a short night"))
    frame.addElement(svg_desc("Two bars, 0.02 after a normal night and 0.04 after a short one."))
    figure = text.P()
    figure.addElement(frame)
    body.addElement(figure)
    body.addElement(text.P(stylename=s["Caption"], text="Figure 1: Ratio by night"))

    body.addElement(text.P(stylename=s["Quotations"], text="Sleep is the barrier's night shift."))
    body.addElement(text.P(text="One short night is enough to see the change."))
    doc.save(str(path))
    return path


def _region(name: str) -> object:
    """A changed region as LibreOffice writes it, with both its ids (odfpy wants xml:id only)."""
    from odf.namespaces import TEXTNS, XMLNS

    return text.ChangedRegion(check_grammar=False, qattributes={(XMLNS, "id"): name, (TEXTNS, "id"): name})


def svg_title(words: str) -> object:
    from odf.svg import Title

    return Title(text=words)


def svg_desc(words: str) -> object:
    from odf.svg import Desc

    return Desc(text=words)
