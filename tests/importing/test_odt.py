"""publish import of an OpenDocument text, read as Word documents are: what Pandoc's odt reader
gives, with the alt text, title and captions it leaves out found by the import."""

from __future__ import annotations

from publish.importing import Imported
from publish.reader import read_article
from tests.importing.test_docx import front_and_body, notes


def test_front_matter(odt_import: Imported) -> None:
    front, body = front_and_body(odt_import.article)
    assert front == {"title": "Sleep and the Gut Barrier", "lang": "en-GB", "author": ["Grace Hopper"],
                     "subject": "Sleep and intestinal permeability", "keywords": ["sleep", "gut barrier"]}
    assert not body.lstrip().startswith("Sleep and the Gut Barrier")  # the title paragraph left the body
    assert any("the first paragraph, 'Sleep and the Gut Barrier', is the title" in n
               for n in notes(odt_import, "changed"))


def test_structure(odt_import: Imported) -> None:
    _, body = front_and_body(odt_import.article)
    assert "within *days*, and **recovery sleep** restores it[^1]." in body
    assert "\n## Background\n" in body and "\n### Results\n" in body
    assert "3.  Markers in blood\n\n    1.  Zonulin\n    2.  LPS-binding protein" in body
    assert "| Night  | Ratio |\n|--------|-------|\n| Normal | 0.02  |" in body
    assert ": Table 1: Ratio after each night" in body  # the caption above the table, joined to it
    assert "[circadian rhythm](https://en.wikipedia.org/wiki/Circadian_rhythm)" in body
    assert "[^1]: In healthy adults." in body


def test_image_alt_text_and_caption(odt_import: Imported) -> None:
    _, body = front_and_body(odt_import.article)
    assert ('![Figure 1: Ratio by\nnight](images/ratio-by-night.png){alt="A bar chart: the ratio doubles after a '
            'short night"}') in body
    assert (odt_import.article.parent / "images" / "ratio-by-night.png").is_file()


def test_tracked_changes_and_comments(odt_import: Imported) -> None:
    _, body = front_and_body(odt_import.article)
    assert "Night shifts shift it by several hours." in body and "short hours" not in body
    assert "Add a source" not in body
    changed = notes(odt_import, "changed")
    assert any("tracked changes were accepted (1 insertion, 1 deletion)" in n for n in changed)
    assert any("1 comment was left out" in n for n in changed)


def test_reads_without_warnings(odt_import: Imported) -> None:
    document = read_article(odt_import.article)
    assert not document.warnings, [str(w) for w in document.warnings]
