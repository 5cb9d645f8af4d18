"""Parity: every block, reference and the disclaimer of the source in each edition's text."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from publish.check import parity
from publish.check.checkers.parity import (
    AudioParity,
    EpubParity,
    LargePrintParity,
    LargePrintPdfParity,
    ParityCheck,
    PdfParity,
)
from publish.model import Text, walk_blocks
from publish.reader import read_article
from tests.builds import ARTICLES, ArticleBuild
from tests.check.conftest import Broken, explain, failing
from tests.check.test_conformance import rewrite_epub


def item(text: str, group: str = "body", line: int = 1, kind: str = "paragraph") -> parity.Item:
    return parity.Item(group, kind, line, ((text, False),))


# ---------------------------------------------------------------- matching


def test_matching_ignores_white_space_case_and_typography() -> None:
    items = [item("The “leaky gut” – a regulated surface.")]
    text = 'THE "leaky\n  gut" -\na regu\u00adlated sur-\nface.'.replace("sur-\n", "sur")
    assert [m.status for m in parity.match_items(items, text)] == ["found"]
    assert parity.squash("Ｆｉｂｒｅ\u00a0and ﬁbre") == "fibreandfibre"  # NFKC: width, ligatures, spaces


def test_missing_and_out_of_order_items() -> None:
    items = [item("alpha beta", line=1), item("gamma delta", line=2), item("epsilon zeta", line=3),
             item("eta theta", line=4)]
    matches = parity.match_items(items, "alpha beta epsilon zeta gamma delta")
    assert [(m.item.line, m.status) for m in matches] == [
        (1, "found"), (2, "out of order"), (3, "found"), (4, "missing")]


def test_a_repeated_short_item_does_not_derail_the_order() -> None:
    items = [item("none", line=1), item("first paragraph", line=2), item("second paragraph", line=3)]
    # "none" occurs before and after the first paragraph: the later occurrence is used.
    matches = parity.match_items(items, "none first paragraph none second paragraph")
    assert [m.status for m in matches] == ["found", "found", "found"]


def test_a_one_letter_cell_is_found_wherever_it_is() -> None:
    """The JOSS example paper's table of languages has a cell "C": its first 200 places in
    the text all came before the table, and it was called out of order in every edition."""
    text = "c" * 300 + " the table: Language C year 1972"
    items = [item("the table:", line=1), item("Language", line=2), item("C", line=3), item("1972", line=4)]
    assert [m.status for m in parity.match_items(items, text)] == ["found"] * 4
    assert parity.match_items([item("Q")], text)[0].status == "missing"  # found, not assumed
    numbers = [item("257", kind="table cell"), item("Table", line=2), item("257 then", line=3)]
    assert [m.status for m in parity.match_items(numbers, "Table 257 then")] == ["found", "found", "found"]


def test_parts_are_ordered_separately() -> None:
    items = [item("body one"), item("body two"), item("the disclaimer", group="disclaimer"),
             item("ref one", group="references"), item("ref two", group="references")]
    # The audio reads the disclaimer first, the PDF puts it after the body: both are fine.
    text = "the disclaimer body one body two ref one ref two"
    assert all(m.status == "found" for m in parity.match_items(items, text))


def test_footnote_numbers_out_of_place_in_pdfs() -> None:
    note = parity.Item("body", "paragraph", 1, (("Spacing matters as much as size.", False), ("2", True),
                                                (" Large print starts at 18 points", False)))
    moved = "Spacing matters 2 as much as size. Large print starts at 18 points"
    assert [m.status for m in parity.match_items([note], moved, loose_numbers=True)] == ["found"]
    assert [m.status for m in parity.match_items([note], moved)] == ["missing"]
    dropped = "Spacing matters as much as size. Large print starts at 18 points"
    assert [m.status for m in parity.match_items([note], dropped, loose_numbers=True)] == ["found"]


def test_page_furniture_is_removed_but_a_title_on_its_first_page_is_kept() -> None:
    pages = [
        ["A Title", "First paragraph starts", "•", "Page 1 of 3"],
        ["continues here.", "1.", "A Title", "Page 2 of 3"],
        ["A Title", "Last words.", "3"],
    ]
    assert parity.remove_furniture(pages) == [
        ["A Title", "First paragraph starts"], ["continues here."], ["Last words."]]


def test_findings_name_the_source_line_and_the_edition() -> None:
    matches = parity.match_items([item("The intestinal barrier is a multi-layered system", line=42)], "nothing")
    [finding] = parity.findings(matches, "the EPUB", "article.md")
    assert str(finding).startswith('article.md:42: error [parity:missing] paragraph "The intestinal barrier is a '
                                   'multi-layer…" missing from the EPUB')


def test_source_items_cover_blocks_notes_disclaimer_and_references() -> None:
    document = read_article(ARTICLES["everything"])
    items = parity.source_items(document, title_line=parity.title_line(ARTICLES["everything"]))
    kinds = {(i.group, i.kind) for i in items}
    assert {("body", "title"), ("body", "heading"), ("body", "paragraph"), ("body", "list item"),
            ("body", "quote"), ("body", "figure caption"), ("body", "table cell"), ("body", "code"),
            ("notes", "note"), ("disclaimer", "disclaimer"), ("references", "reference")} <= kinds
    assert items[0].line == 2  # title: in the front matter
    paragraphs = [b for b in walk_blocks(document.body) if b.kind == "paragraph"]
    assert sum(1 for i in items if i.kind in ("paragraph", "list item", "quote")) == len(paragraphs)
    assert sum(1 for i in items if i.group == "references") == len(document.references)


# ---------------------------------------------------------------- the real editions


CHECKS = [PdfParity(), LargePrintPdfParity(), EpubParity(), LargePrintParity(), AudioParity()]


@pytest.mark.parametrize("checker", CHECKS, ids=lambda c: c.edition)
def test_every_edition_of_the_seed_has_everything(broken: Broken, checker: ParityCheck) -> None:
    result = broken.run(checker)
    assert result.status == "pass", explain(result)
    assert "found in" in result.findings[0].message


def _reference_line(seed: ArticleBuild, key: str) -> int:
    return next(r.line for r in seed.document.references if r.key == key)


def test_html_missing_a_reference_and_out_of_order(broken: Broken, seed: ArticleBuild) -> None:
    html = broken.file(".large-print.html")
    text = html.read_text(encoding="utf-8")
    text = re.sub(r'<li id="ref-peng2009">.*?</li>', "", text, flags=re.S)
    first = re.search(r'<li id="li-6">.*?</li>', text, flags=re.S)
    second = re.search(r'<li id="li-7">.*?</li>', text, flags=re.S)
    assert first and second
    text = text[: first.start()] + second.group() + first.group() + text[second.end():]
    html.write_text(text, encoding="utf-8")
    messages = [str(f) for f in broken.run(LargePrintParity()).findings if not f.ok]
    line = _reference_line(seed, "peng2009")
    assert len(messages) == 2, messages
    assert any(m.startswith(f'{seed.manifest["source"]}:{line}: error [parity:missing] reference "Peng, L. et al.')
               and "missing from the large-print HTML" in m for m in messages), messages
    assert any("[parity:order] list item" in m and "out of order in the large-print HTML" in m for m in messages)


def test_epub_missing_a_reference(broken: Broken, seed: ArticleBuild) -> None:
    rewrite_epub(broken.file(".epub"), lambda name, data: re.sub(
        rb'<li id="ref-peng2009".*?</li>', b"", data, flags=re.S) if name.endswith("references.xhtml") else data)
    result = broken.run(EpubParity())
    [finding] = [f for f in result.findings if not f.ok]
    assert finding.location == f"{seed.manifest['source']}:{_reference_line(seed, 'peng2009')}"
    assert finding.message.startswith('reference "Peng, L. et al.') and finding.message.endswith("from the EPUB")


def test_pdf_missing_a_reference(broken: Broken, seed: ArticleBuild) -> None:
    from formats.pdf.renderer import PdfRenderer
    from publish.renderer import RenderContext

    document = seed.document
    # The last reference rendered without its text (every reference is cited, so none can go).
    last = dataclasses.replace(document.references[-1], children=(Text("Withdrawn."),))
    short = dataclasses.replace(document, references=(*document.references[:-1], last))
    out = broken.dist.parent / "render"
    out.mkdir()
    rendition = PdfRenderer().render(short, RenderContext(out_dir=out, article_dir=Path(document.figures_dir)))
    rendition.files[0].replace(broken.file(".pdf"))
    result = broken.run(PdfParity())
    missing = parity.source_items(document)[-1]
    assert missing.kind == "reference"
    assert failing(result) == [f"parity:missing: {missing.label()} missing from the PDF"]
    assert result.findings[0].location == f"{seed.manifest['source']}:{missing.line}"


def test_audio_transcript_missing_a_reference(broken: Broken, seed: ArticleBuild) -> None:
    vtt = broken.file(".vtt")
    vtt.write_text(re.sub(r"\nref-turner2009\n[^\n]+\n[^\n]+\n", "\n", vtt.read_text(encoding="utf-8")),
                   encoding="utf-8")
    found = failing(broken.run(AudioParity()))
    assert found == ['parity:missing: reference "Turner, J. R. (2009). Intestinal mucosa…" missing from the audio '
                     "transcript"]


def test_untagged_pdf_falls_back_to_page_text(broken: Broken, monkeypatch: pytest.MonkeyPatch) -> None:
    import publish.check.pdfua as pdfua

    monkeypatch.setattr(pdfua, "structure_text", lambda path: None)
    result = broken.run(LargePrintPdfParity())
    assert result.status == "pass", explain(result)
    assert any("page text (untagged PDF" in f.message for f in result.findings)


def test_source_gone_is_a_clear_error(broken: Broken, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    manifest = broken.folder / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(str(ARTICLES["seed"]), "source/gone/article.md"),
                        encoding="utf-8")
    result = broken.run(EpubParity())
    [finding] = result.findings
    assert not finding.ok and finding.check == "parity:source" and "not there any more" in finding.message
