"""publish import of a Word document: structure, front matter, figures, equations, citations,
review marks, and the report that says what was done and where."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from publish.cli import main
from publish.importing import Imported, import_document
from publish.reader import read_article


def front_and_body(article: Path) -> tuple[dict[str, object], str]:
    _, front, body = article.read_text(encoding="utf-8").split("---\n", 2)
    loaded = yaml.safe_load(front)
    assert isinstance(loaded, dict)
    return loaded, body


def notes(imported: Imported, kind: str) -> list[str]:
    return [str(note) for note in imported.report.of(kind)]  # type: ignore[arg-type]


def test_front_matter_from_the_title_style_and_the_properties(word_import: Imported) -> None:
    front, _ = front_and_body(word_import.article)
    assert word_import.article.parent.name == "tight-junctions-under-stress"
    assert front["title"] == "Tight Junctions Under Stress"
    assert front["author"] == ["Ada Lovelace"]
    assert front["lang"] == "en-GB"
    assert front["keywords"] == ["tight junctions", "permeability", "gut barrier"]
    assert front["subject"] == "Intestinal permeability"
    assert front["description"] == "How tight junctions respond to stress, and how to measure it."
    assert "date" not in front  # only with --date


def test_structure_is_kept_and_heading_levels_normalised(word_import: Imported) -> None:
    _, body = front_and_body(word_import.article)
    assert "# Tight" not in body  # the title is in the front matter only
    assert "\n## Introduction\n" in body and "\n## Methods\n" in body
    assert "\n### Sampling\n" in body  # Heading 3 right under a Heading 1: no level skipped
    assert "1.  Fasting overnight" in body and "    - Lactulose, 5 g" in body  # nested under item 2
    assert "*selectively*" in body and "**tight junctions**" in body
    assert "[NCBI\nbookshelf](https://www.ncbi.nlm.nih.gov/books/NBK54095/)" in body
    assert "> A barrier is not a wall; it is a regulated surface." in body
    assert "| Probe     | Size (Da) | Pathway |\n|---" in body
    assert ": Table 1: Sugar probes and what they measure" in body
    assert "[^1]: Also called zonula occludens." in body and "[^2]: Read on 4 March 2024." in body
    assert "**Key findings**" in body  # a bold paragraph stays a paragraph


def test_equations_become_tex(word_import: Imported) -> None:
    _, body = front_and_body(word_import.article)
    assert "$x^{2}$" in body
    assert "$$J = - D\\frac{dC}{dx}$$" in body


def test_figures_with_alt_text_captions_and_readable_names(word_import: Imported) -> None:
    _, body = front_and_body(word_import.article)
    folder = word_import.article.parent
    assert ("![Figure 1: A tight junction between two\ncells](images/a-tight-junction-between-two-cells.png)"
            '{alt="Two epithelial cells sealed by a tight junction"}') in body
    assert "![Figure 2: Probe recovery over five hours](images/probe-recovery-over-five-hours.png)" in body
    assert sorted(p.name for p in (folder / "images").iterdir()) == ["a-tight-junction-between-two-cells.png",
                                                                     "probe-recovery-over-five-hours.png"]
    attention = notes(word_import, "attention")
    assert any(n.startswith("Figure 2, ¶13 (under 'Sampling')") and "no alt text" in n and "caption" in n
               for n in attention)


def test_citation_fields_become_citations_with_csl_data(word_import: Imported) -> None:
    front, body = front_and_body(word_import.article)
    assert "between\nits cells[^1] [@turner2009]." in body
    assert "Zonulin regulates the junctions [@fasano2011]" in body
    assert "(Turner, 2009)" not in body
    references = front["references"]
    assert isinstance(references, list)
    assert [r["id"] for r in references] == ["turner2009", "fasano2011"]
    assert references[0]["DOI"] == "10.1038/nri2653"
    assert references[1]["author"] == [{"family": "Fasano", "given": "Alessio"}]  # from Mendeley's field
    assert body.rstrip().endswith("[^2]: Read on 4 March 2024.")
    assert "Zonulin and its regulation" not in body  # Zotero's bibliography: the editions make their own


def test_tracked_changes_accepted_and_comments_dropped(word_import: Imported) -> None:
    _, body = front_and_body(word_import.article)
    assert "measured with sugar probes" in body and "old" not in body
    assert "Cite a study" not in body
    changed = notes(word_import, "changed")
    assert any("tracked changes were accepted (1 insertion, 1 deletion)" in n for n in changed)
    assert any("1 comment was left out" in n for n in changed)


def test_report_places_each_note(word_import: Imported) -> None:
    attention = notes(word_import, "attention")
    assert any(n.startswith("¶8 (under 'Sampling'): 'Key findings' is a paragraph all in bold") and
               "heading style" in n for n in attention)
    changed = notes(word_import, "changed")
    assert any(n.startswith("headings: Heading 1 became ## (level 2)") and "'Introduction'" in n for n in changed)
    assert any("Heading 3 became ### (level 3, 1 level up" in n and "'Sampling'" in n for n in changed)
    text = word_import.report.text(str(word_import.article))
    assert text.index("Kept (") < text.index("Changed (") < text.index("Needs your attention (")


def test_the_article_reads_without_warnings(word_import: Imported) -> None:
    document = read_article(word_import.article)
    assert document.meta.title == "Tight Junctions Under Stress"
    assert [r.key for r in document.references] == ["fasano2011", "turner2009"]
    assert not document.warnings, [str(w) for w in document.warnings]


def test_never_overwrites_without_force(word_file: Path, tmp_path: Path) -> None:
    first = import_document(word_file, tmp_path, "mine")
    first.article.write_text("edited by hand", encoding="utf-8")
    with pytest.raises(Exception, match=r"already exists: give another --slug, or --force"):
        import_document(word_file, tmp_path, "mine")
    assert first.article.read_text(encoding="utf-8") == "edited by hand"
    again = import_document(word_file, tmp_path, "mine", force=True, with_date=True)
    front, _ = front_and_body(again.article)
    assert front["date"] == "2024-03-05"


def test_command_line(word_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(word_file), "--into", str(tmp_path), "--slug", "junctions"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Imported tight-junctions.docx into {tmp_path / 'junctions' / 'article.md'}")
    assert "Needs your attention (" in out
    assert main(["import", str(word_file), "--into", str(tmp_path), "--slug", "junctions"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "nothing.docx"), "--into", str(tmp_path)]) == 2
    assert main(["import", str(tmp_path / "notes.txt"), "--into", str(tmp_path)]) == 2


def test_a_broken_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["import", str(broken), "--into", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"{broken}: cannot be opened as a .docx file")
