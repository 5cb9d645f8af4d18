"""publish import of a saved web page: its article only, the disclaimer as its field, the
reference list as the bibliography, typed citations as [@key]."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.importing import Imported, import_document
from publish.importing.references import parse_entry
from publish.importing.webpage import _numbers
from publish.model import plain_text
from publish.reader import read_article
from tests.importing.test_docx import front_and_body, notes

SEED = Path(__file__).resolve().parents[2] / "source" / "gut-barrier" / "article.md"


def test_only_the_article(page_import: Imported) -> None:
    _, body = front_and_body(page_import.article)
    for furniture in ("SHOP NOW", "Basket", "Breadcrumbs", "Share on", "You may also like", "Great read",
                      "JOIN OUR COMMUNITY", "SUBSCRIBE", "Privacy policy", "cookies", "gtag", "font-family",
                      "EXPLORE THE GUT HEALTH COLLECTION", "Tagged", "4 min read"):
        assert furniture.casefold() not in body.casefold(), furniture
    assert any("'EXPLORE THE GUT HEALTH COLLECTION' was left out: a call to action" in n
               for n in notes(page_import, "changed"))


def test_front_matter_and_disclaimer(page_import: Imported) -> None:
    front, body = front_and_body(page_import.article)
    assert front["title"] == "What’s Going On With Your Gut Barrier"
    assert front["lang"] == "en-GB"
    assert str(front["disclaimer"]).startswith("The information presented in this article is for educational")
    assert "Disclaimer" not in body


def test_headings_in_capitals_become_sentence_case(page_import: Imported) -> None:
    _, body = front_and_body(page_import.article)
    assert "\n## The gut barrier is not a wall - it\\'s a regulated surface\n" in body
    assert "\n### LPS (an endotoxin)\n" in body  # LPS is in capitals in the text too: an abbreviation


def test_references_become_the_bibliography(page_import: Imported) -> None:
    front, body = front_and_body(page_import.article)
    references = front["references"]
    assert isinstance(references, list)
    assert [r["id"] for r in references] == ["ajamian2019", "cani2007", "david2014", "defilippo2010", "erridge2007",
                                             "fasano2011", "kelly2015", "peng2009", "turner2009"]
    assert front["nocite"] == "@*"
    assert "References" not in body and "doi.org" not in body
    assert body.count("[@turner2009]") == 2  # the page's "(9)", twice
    seed = read_article(SEED)
    ours = read_article(page_import.article)
    # The same bibliography, formatted, as the seed's hand-made front matter gives, entry by entry.
    assert [(r.key, plain_text(r.children)) for r in ours.references] == \
        [(r.key, plain_text(r.children)) for r in seed.references]
    assert not ours.warnings, [str(w) for w in ours.warnings]


@pytest.mark.parametrize(("entry", "expected"), [
    ("Ajamian, M. et al. (2019). Serum zonulin as a marker of intestinal permeability: methodological concerns. "
     "Physiological Reports, 7(22), e14219. https://doi.org/10.14814/phy2.14219",
     {"type": "article-journal", "DOI": "10.14814/phy2.14219",
      "author": [{"family": "Ajamian", "given": "M."}, {"literal": "et al."}],
      "issued": {"date-parts": [[2019]]},
      "title": "Serum zonulin as a marker of intestinal permeability: methodological concerns",
      "container-title": "Physiological Reports", "volume": "7", "issue": "22", "number": "e14219"}),
    ("Smith, J. A., & van der Berg, K. (2020). A title. Journal, 3, 10-12. doi:10.1000/xyz.",
     {"type": "article-journal", "DOI": "10.1000/xyz", "author": [{"family": "Smith", "given": "J.A."},
                                                                  {"family": "van der Berg", "given": "K."}],
      "issued": {"date-parts": [[2020]]}, "title": "A title", "container-title": "Journal", "volume": "3",
      "page": "10–12"}),
])
def test_reference_entries_read(entry: str, expected: dict[str, object]) -> None:
    assert parse_entry(entry) == expected


def test_an_entry_without_doi_is_not_read() -> None:
    assert parse_entry("Turner, J.R. (2009). Intestinal mucosal barrier function. Nature Reviews Immunology.") is None


def test_citation_numbers() -> None:
    assert _numbers("9") == [9]
    assert _numbers("2, 4–6") == [2, 4, 5, 6]
    assert _numbers("6-4") == [] and _numbers("1-99") == []


def test_a_list_without_dois_stays_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html lang='en'><head><title>Notes on sleep</title></head><body><main><article>"
                    "<h1>Notes on sleep</h1>" + "<p>Sleep matters for the barrier, as shown before (1). "
                    "Shift work changes the rhythm of the junctions over a few nights.</p>" * 3 +
                    "<h2>References</h2><ol><li>Turner, J.R. (2009). Intestinal barrier. Nature Reviews "
                    "Immunology, 9, 799–809.</li><li>Fasano, A. (2011). Zonulin. Physiological Reviews, 91, "
                    "151–175. https://doi.org/10.1152/physrev.00003.2008</li></ol></article></main></body></html>",
                    encoding="utf-8")
    imported = import_document(page, tmp_path / "source")
    front, body = front_and_body(imported.article)
    assert "references" not in front and "(1)" in body and "Turner, J.R. (2009)" in body
    assert any("the 2 references stay text, as 1 of them name no DOI" in n for n in notes(imported, "attention"))
