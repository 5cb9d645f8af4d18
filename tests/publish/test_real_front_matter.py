"""Front matter and bibliographies as real papers write them (JOSS, Pandoc, Quarto)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.errors import SourceError
from publish.model import Document, Heading, plain_text
from publish.people import orcid_url, read_people
from publish.reader import read_article
from tests.publish.conftest import WriteArticle

JOSS_LIKE = Path(__file__).resolve().parents[1] / "fixtures" / "joss-like" / "paper.md"


@pytest.fixture(scope="module")
def paper() -> Document:
    return read_article(JOSS_LIKE)


def test_joss_authors_affiliations_tags_and_date(paper: Document) -> None:
    meta = paper.meta
    assert meta.authors == ("Todd C. Pataky", "Hanaa Naouma", "Ludwig van Beethoven")
    first, second, third = meta.author_details
    assert first.orcid == "https://orcid.org/0000-0002-8292-7189" and first.affiliations == ("1",)
    assert second.affiliations == ("1", "2") and second.corresponding
    assert third.affiliations == ("2",)
    assert [(a.id, a.name, a.ror) for a in meta.affiliations] == [
        ("1", "Kyoto University, Department of Human Health Sciences", ""), ("2", "Shinshu University", "01abcd234")]
    assert meta.keywords == ("Python", "biomechanics")
    assert meta.date == "2019-10-11"


def test_language_found_from_the_text_with_a_warning(paper: Document) -> None:
    assert paper.meta.lang == "en"
    assert any("no 'lang'" in w.message and w.line == 2 for w in paper.warnings)


def test_bibtex_file_cited_entries_only_in_style_order(paper: Document) -> None:
    assert [r.key for r in paper.references] == ["Ramsay:1998", "Sadeghi:2000", "Zeng.2019"]
    texts = [plain_text(r.children) for r in paper.references]
    assert "Prince, F." in texts[1] and "Müller, J." in texts[2]  # LaTeX accents decoded
    assert paper.references[0].doi == "10.1111/1467-9868.00129"
    assert any("'Ramsay:1998' is in 'paper.bib' twice" in w.message for w in paper.warnings)


def test_citations_as_pandoc_parses_them(paper: Document) -> None:
    text = plain_text(paper.body[1].children)
    assert "applications (1, 2)," in text
    assert "exist (see 3, p.\u00a03)." in text
    assert "As Ramsay and Li (1) showed, and as (2) confirmed" in text


def test_the_papers_own_references_heading_gives_way_to_the_bibliography(paper: Document) -> None:
    assert [plain_text(h.children) for h in paper.body if isinstance(h, Heading)] == ["Summary"]


@pytest.mark.parametrize("value, url", [
    ("0000-0002-8292-7189", "https://orcid.org/0000-0002-8292-7189"),
    ("https://orcid.org/0000-0002-1694-233X", "https://orcid.org/0000-0002-1694-233X"),
    ("0000000218250097", "https://orcid.org/0000-0002-1825-0097"),
    ("0000-0002-8292-7188", ""),  # wrong check digit
    ("not an orcid", ""),
])
def test_orcid_check_digit(value: str, url: str) -> None:
    assert orcid_url(value) == url


def test_quarto_refs_and_author_synonyms() -> None:
    data = {"author": [{"name": {"given": "Ada", "family": "Lovelace"}, "affiliations": [{"ref": "oxf"}],
                        "attributes": {"equal-contributor": True}}, "Grace Hopper"],
            "affiliations": [{"id": "oxf", "name": "Oxford"}]}
    authors, affiliations = read_people(data, {}, Path("a.md"))
    assert [a.name for a in authors] == ["Ada Lovelace", "Grace Hopper"]
    assert authors[0].affiliations == ("oxf",) and authors[0].equal_contrib
    assert [a.name for a in affiliations] == ["Oxford"]
    with pytest.raises(SourceError, match="refers to the affiliation 'cam'"):
        read_people({"author": [{"name": "A", "affiliation": [{"ref": "cam"}]}], "affiliations": []}, {}, Path("a.md"))


def test_keys_of_other_tools_are_never_misspellings(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\nauthors: [A. Writer]\nheader-includes: x\ngeometry: margin=1in\n"
                         "aas-journal: ApJ\noutput: html_document\n---\n\nText.\n", folder="a")
    assert read_article(path).meta.authors == ("A. Writer",)


def test_unsure_language_is_an_error_that_asks_for_lang(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\n---\n\nx = 1; y = 2.\n", folder="a")
    with pytest.raises(SourceError, match="add 'lang: en'"):
        read_article(path)


def test_bibliography_outside_the_folder_is_never_read(tmp_path: Path, write_article: WriteArticle) -> None:
    """R packages keep theirs in ../inst/: the paper builds, with its keys unknown, and says why."""
    (tmp_path / "secret.bib").write_text("@book{k, title={T}}", encoding="utf-8")
    path = write_article(raw="---\ntitle: T\nlang: en\nbibliography: ../secret.bib\n---\n\nText [@k].\n", folder="a")
    document = read_article(path)
    assert document.references == () and plain_text(document.body[0].children) == "Text (k?)."  # type: ignore
    outside, unknown = document.warnings
    assert (outside.line, outside.message) == (4, "the bibliography '../secret.bib' is outside the article's "
                                                "folder, and a build reads nothing outside it: copy it beside the "
                                                "article")
    assert unknown.message.endswith("the bibliography '../secret.bib' is not in the article's folder")


def test_a_markdown_file_of_any_name_and_a_folder_with_one(tmp_path: Path) -> None:
    from publish.build import find_articles
    from publish.reader import slug_of

    paper = tmp_path / "repo" / "paper" / "paper.md"
    paper.parent.mkdir(parents=True)
    paper.write_text("---\ntitle: Fast Warping of Curves\nlang: en\n---\n\nText.\n", encoding="utf-8")
    (paper.parent / "README.md").write_text("not the article\n", encoding="utf-8")
    assert find_articles([paper]) == [paper]
    assert find_articles([paper.parent]) == [paper]  # the only Markdown file besides a README
    assert find_articles([tmp_path / "repo"]) == [paper]
    assert slug_of(paper) == "fast-warping-of-curves"  # paper/paper.md says nothing: the title does
    assert slug_of(JOSS_LIKE) == "joss-like"
    paper.write_text("---\ntitle: 't8code - modular adaptive mesh refinement'\nlang: en\n---\n\nText.\n")
    assert slug_of(paper) == "t8code"


def test_strict_makes_a_warning_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from publish.cli import main

    code = main(["build", str(JOSS_LIKE), "--out", str(tmp_path / "dist"), "--format", "large-print", "--strict"])
    err = capsys.readouterr().err
    assert code == 2
    assert "paper.md:23:1: the reference 'Ramsay:1998' is in 'paper.bib' twice" in err and "--strict" in err
    assert not (tmp_path / "dist" / "joss-like").exists()
    assert main(["build", str(JOSS_LIKE), "--out", str(tmp_path / "dist"), "--format", "large-print"]) == 0
    assert "warning: the reference 'Ramsay:1998'" in capsys.readouterr().err


def test_a_missing_csl_file_is_a_warning_and_the_packaged_style_stands_in(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\ncsl: apa.csl\nreferences:\n  - {id: k, type: book, title: K}\n"
                             "---\n\nText [@k].\n", folder="a")
    document = read_article(path)
    assert document.meta.csl_style == "apa"
    (warning,) = document.warnings
    assert (warning.line, warning.col) == (4, 1) and "'apa.csl' is not in the article's folder" in warning.message


def test_a_bibtex_year_pandoc_cannot_read_gives_no_date(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\nbibliography: refs.bib\n---\n\nText [@k].\n", folder="a")
    (path.parent / "refs.bib").write_text("@article{k, author={Jensen, A.}, title={Iotools}, year={submitted}}\n",
                                          encoding="utf-8")
    (reference,) = read_article(path).references
    assert "Jensen, A. (n.d.). Iotools." in plain_text(reference.children)


def test_a_citation_in_a_figure_caption_is_counted_once(write_article: WriteArticle) -> None:
    """Pandoc makes the description both the caption and the text alternative: the back link
    from the reference must land on the caption's citation, the one the page shows."""
    from publish.model import Citation, block_inlines

    path = write_article(raw="---\ntitle: T\nlang: en\nreferences:\n  - {id: k, type: book, title: K}\n---\n\n"
                         "Text.\n\n![A chart as in [@k]](chart.png)\n", folder="a")
    (path.parent / "chart.png").write_bytes((JOSS_LIKE.parents[1] / "everything" / "images" / "chart.png")
                                            .read_bytes())
    document = read_article(path)
    shown = {n.id for n in block_inlines(document.body) if isinstance(n, Citation)}
    (reference,) = document.references
    assert reference.cited_by and set(reference.cited_by) <= shown


def test_citations_separated_by_commas_are_each_a_citation(write_article: WriteArticle) -> None:
    """``[@a, @b]`` is, for Pandoc, @a with the suffix ", @b": papers mean both (rIP's JOSS paper)."""
    from publish.model import Citation, block_inlines

    path = write_article(raw="---\ntitle: T\nlang: en\nreferences:\n  - {id: a, type: book, title: A}\n"
                         "  - {id: b, type: book, title: B}\n  - {id: c, type: book, title: C}\n---\n\n"
                         "As shown [@a, @b, @c] and [@b, p. 4].\n", folder="a")
    document = read_article(path)
    assert plain_text(document.body[0].children) == "As shown (1, 2, 3) and (2, p.\u00a04)."
    shown = {n.id for n in block_inlines(document.body) if isinstance(n, Citation)}
    assert all(r.cited_by and set(r.cited_by) <= shown for r in document.references)


def test_latex_line_breaks_and_escapes_in_names_and_affiliations() -> None:
    """JOSS authors break their PDF's lines in the front matter (biopixr's affiliations)."""
    data = {"authors": [{"name": "Stefan Rödiger \\linebreak", "affiliation": 1}],
            "affiliations": [{"name": "BTU Cottbus, R\\&D \\linebreak Senftenberg, Germany \\\\", "index": 1}]}
    authors, affiliations = read_people(data, {}, Path("a.md"))
    assert [a.name for a in authors] == ["Stefan Rödiger"]
    assert [a.name for a in affiliations] == ["BTU Cottbus, R&D Senftenberg, Germany"]


def test_a_caption_warns_once(write_article: WriteArticle) -> None:
    """The description is both the caption and the alt text: its warnings are given once."""
    path = write_article(raw="---\ntitle: T\nlang: en\n---\n\nText.\n\n![An angle $\\undefined\\phi$](chart.png)\n",
                         folder="a")
    (path.parent / "chart.png").write_bytes((JOSS_LIKE.parents[1] / "everything" / "images" / "chart.png")
                                            .read_bytes())
    assert len(read_article(path).warnings) == 1


def test_voice_and_read_dois_are_read_into_the_metadata(write_article: WriteArticle) -> None:
    meta = read_article(write_article('title: "T"\nlang: en\nvoice: piper:en_US-joe-medium\nread-dois: true')).meta
    assert (meta.voice, meta.voice_line, meta.read_dois) == ("piper:en_US-joe-medium", 4, True)
    with pytest.raises(SourceError, match=r":5:1: 'read-dois' must be true or false"):
        read_article(write_article('title: "T"\nlang: en\nvoice: espeak\nread-dois: "yes"'))


def test_what_pandocs_bibtex_reader_leaves_is_done(write_article: WriteArticle) -> None:
    """As ADS and real papers write them: AAS journal macros, math in a title, `and others`, and
    given names citeproc-py cannot make initials of."""
    path = write_article(raw="---\ntitle: T\nlang: en\nbibliography: refs.bib\n---\n\nText [@eht; @chan].\n",
                         folder="a")
    (path.parent / "refs.bib").write_text(
        "@article{eht, author = {Akiyama, Kazunori and Chan, Chi-kwan and others},\n"
        "  title = {The $\\nabla\\cdot B=0$ constraint}, journal = {\\apjl}, year = 2019, volume = 875}\n"
        "@article{chan, author = {de Souza, ana-maria}, title = {Gas}, journal = \\mnras, year = 2020}\n",
        encoding="utf-8")
    texts = [plain_text(r.children) for r in read_article(path).references]
    assert texts[0] == ("Akiyama, K., & Chan, C. et al. (2019). The ∇ ⋅ B = 0 constraint. "
                        "The Astrophysical Journal Letters, 875.")
    assert "Monthly Notices of the Royal Astronomical Society" in texts[1] and ", A. " in texts[1]


def test_an_unknown_key_says_a_bibliography_file_is_missing(write_article: WriteArticle) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\nbibliography: [refs.bib, gone.bib]\n---\n\n"
                         "Text [@a; @z] and @c.\n", folder="a")
    (path.parent / "refs.bib").write_text("@book{z, title = {Z}, year = 2000}\n", encoding="utf-8")
    document = read_article(path)
    assert plain_text(document.body[0].children) == "Text (1) (a?) and c?."  # type: ignore[union-attr]
    unknown = [str(w) for w in document.warnings if "unknown" in w.message]
    assert unknown == [f"{path}:7:7: warning: unknown citation key '@a': the editions show 'a?', as Pandoc does "
                       "(known keys: z); the bibliography 'gone.bib' is not in the article's folder",
                       f"{path}:7:19: warning: unknown citation key '@c': the editions show 'c?', as Pandoc does "
                       "(known keys: z); the bibliography 'gone.bib' is not in the article's folder"]


def test_markup_in_the_title_is_left_out_of_every_editions_title(write_article: WriteArticle) -> None:
    """divent's "*divent*: an R Package" showed its asterisks in the page title and dc:title."""
    path = write_article(raw="---\ntitle: '*divent*: an R Package for `snake_case` and __more__'\nsubtitle: A "
                         "**bold** one\nlang: en\n---\n\nText.\n")
    meta = read_article(path).meta
    assert (meta.title, meta.subtitle) == ("divent: an R Package for snake_case and more", "A bold one")


def test_latex_thanks_in_a_name_is_its_note() -> None:
    """A Quarto thesis writes 'Andreas Laffert Tamayo\\thanks{This M.A. thesis ...}': it showed in the byline."""
    people, _ = read_people({"author": [{"name": "Ann Lee\\thanks{This M.A. thesis {was} funded.}"},
                                        "Bo Li \\thanks{Corresponding author}"]}, {}, "paper.md")
    assert [(p.name, p.note, p.corresponding) for p in people] == [
        ("Ann Lee", "This M.A. thesis was funded.", False), ("Bo Li", "", True)]
