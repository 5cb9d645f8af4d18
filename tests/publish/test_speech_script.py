"""The speech script (``publish script``): golden scripts of everyday prose in English and Spanish,
each block's spoken form, the settings that change it, and the SSML.

The goldens are what ``publish script`` prints; ``UPDATE_GOLDEN=1`` rewrites them (read the diff).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree

from publish.cli import main
from publish.model import Document
from publish.reader import read_article
from publish.renderer import Settings
from publish.speech import SpeechSegment, segments
from publish.speech.script import SSML_NAMESPACE, plain, ssml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
PROSE = FIXTURES / "everyday-prose" / "article.md"
SPANISH = FIXTURES / "everyday-prose-es" / "article.md"


@pytest.fixture(scope="module")
def prose() -> Document:
    return read_article(PROSE)


def spoken(document: Document, settings: Settings | None = None) -> dict[str, str]:
    return {s.id: s.text for s in segments(document, settings)}


@pytest.mark.parametrize("name", ["everyday-prose", "everyday-prose-es"])
def test_everyday_prose_script_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", str(FIXTURES / name)]) == 0
    text = capsys.readouterr().out
    golden = GOLDEN / f"{name}.speech.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert text == plain(segments(read_article(FIXTURES / name / "article.md")))


def test_table_announced_then_read_row_by_row_with_headers(prose: Document) -> None:
    assert spoken(prose)["tbl-1"] == ("Table 1, Cases by year: 3 columns, 2 rows. 2019: Cases 12,345; "
                                      "Rate per 100,000, 3.7. 2020: Cases 13,020; Rate per 100,000, 3.9.")


def test_long_table_summarised_unless_asked(prose: Document) -> None:
    summary = spoken(prose)["tbl-2"]
    assert summary == ("Table 2, Samples by site: 3 columns, 15 rows. Its columns are Site, Samples and Positive. "
                       "It is too long to read aloud: the full table is in the text editions.")
    full = spoken(prose, Settings(read_tables=True))["tbl-2"]
    assert full.startswith("Table 2, Samples by site: 3 columns, 15 rows. Aberdeen: Samples 120; Positive 4 percent.")
    assert full.endswith("Oxford: Samples 132; Positive 2 percent.")
    assert spoken(prose, Settings(table_rows=15))["tbl-2"] == full


def test_code_read_only_when_short(prose: Document) -> None:
    texts = spoken(prose)
    assert texts["code-1"] == ("Code example, 2 lines, shell. pip install accessible-publish. "
                               "publish build source slash gut-barrier. End of code.")
    assert texts["code-2"] == "Code example, 5 lines, Python. It is shown in the text editions."
    read = spoken(prose, Settings(code_lines=5))["code-2"]
    assert read.startswith("Code example, 5 lines, Python. import statistics. def mean underscore rate open bracket")


def test_figure_quote_definitions_and_note(prose: Document) -> None:
    texts = spoken(prose)
    assert texts["fig-1"] == ("Figure 1. A bar chart with two bars, the second slightly taller. "
                              "Cases rose from 2019 to 2020.")
    assert texts["quote-1"].startswith("Quote. Patients valued") and texts["quote-1"].endswith(
        "“I got my Saturdays back.” End of quote.")
    assert texts["list-1"] == "A list of 2 terms and their definitions."
    assert texts["li-1"] == "Placebo: A treatment with no active ingredient."
    assert texts["fn-1"] == "Note 1. Dilutions weaker than 1 to 10 were not counted; the clinic opens at 10:30."


def test_the_transcript_keeps_the_written_text(prose: Document) -> None:
    captions = {s.id: s.caption for s in segments(prose)}
    assert "https://data.example.org:8443/trials/v2/download?id=42&format=csv" in captions["p-2"]
    assert "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" in captions["p-3"]
    assert captions["ref-turner2009"].endswith("https://doi.org/10.1038/nri2653")
    assert "Oxford | 132 | 2%" in captions["tbl-2"]


def test_references_at_most_three_authors(prose: Document) -> None:
    texts = spoken(prose)
    assert texts["ref-alvarez2020"] == ("Alvarez, Brown, Chen and colleagues, twenty twenty. A trial with four "
                                        "authors: what the listener hears. The Lancet.")
    dois = spoken(prose, Settings(read_dois=True))
    assert dois["ref-alvarez2020"].endswith(
        "D O I 10 dot 1016 slash s 0 1 4 0 dash 6 7 3 6 open bracket 2 0 close bracket 3 0 0 0 1 dash 1.")


def test_spanish_words() -> None:
    texts = spoken(read_article(SPANISH))
    assert texts["tbl-1"].startswith("Tabla 1, Casos por año: 3 columnas, 2 filas. 2019: Casos 12.345; Tasa por "
                                     "100.000, 3,7.")
    assert texts["code-1"] == "Ejemplo de código, 1 línea, shell. pip install accessible-publish. Fin del código."
    assert texts["quote-1"] == "Cita. Los pacientes valoraron ir menos veces a la consulta. Fin de la cita."
    assert texts["ref-turner2009"] == ("Turner y Smith, 2009. Intestinal mucosal barrier function in health and "
                                       "disease. Nature Reviews Immunology.")
    assert "12,5 por ciento (p menor que 0,001)" in texts["p-1"]
    assert "3 a 1" in texts["p-1"] and "10 a 20 miligramos y 1 mililitro" in texts["p-1"]
    assert "enlace a datos punto example punto es" in texts["p-1"]


def test_formulas_keep_their_words() -> None:
    """A formula's words are publish.math's, said as they are: no rule of prose touches them."""
    for source in (FIXTURES / "math" / "article.md", ROOT / "tests" / "corpus" / "pybop" / "paper.md"):
        document = read_article(source)
        script = " ".join(s.text for s in segments(document))
        for formula in document.formulas():
            assert " ".join(formula.spoken.split()) in script, formula.tex


def parse_ssml(text: str) -> etree._Element:
    root = etree.fromstring(text.encode("utf-8"))
    assert root.tag == f"{{{SSML_NAMESPACE}}}speak"
    assert root.get("version") == "1.1"
    return root


def test_ssml_holds_the_script_escaped() -> None:
    script = [SpeechSegment("title", "A & B <c> “d”", "", "A & B", 0.0),
              SpeechSegment("p-1", "Then -- x > 1.", "", "Chapter -- two-", 1.4)]
    root = parse_ssml(ssml(script, "en-GB"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    paragraphs = root.findall(f"{{{SSML_NAMESPACE}}}p")
    assert ["".join(p.itertext()) for p in paragraphs] == ["A & B <c> “d”", "Then -- x > 1."]
    assert [p[0].get("name") for p in paragraphs] == ["title", "p-1"]
    (pause,) = root.findall(f"{{{SSML_NAMESPACE}}}break")
    assert pause.get("time") == "1400ms"
    comments = [c.text for c in root.iter(etree.Comment)]
    assert comments == [" chapter: A & B ", " chapter: Chapter - - two-  "]


def test_ssml_marks_each_language_it_changes_to() -> None:
    script = [SpeechSegment("p-1", "Ein Satz.", "", None, 0.0, "de"),
              SpeechSegment("p-2", "We say c'est la vie & go.", "", None, 0.0, "",
                            (("", "We say"), ("fr", "c'est la vie"), ("", "& go.")))]
    root = parse_ssml(ssml(script, "en"))
    first, second = root.findall(f"{{{SSML_NAMESPACE}}}p")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [(e.get(lang), e.text) for e in first.iter(f"{{{SSML_NAMESPACE}}}lang")] == [("de", "Ein Satz.")]
    assert [(e.get(lang), e.text) for e in second.iter(f"{{{SSML_NAMESPACE}}}lang")] == [("fr", "c'est la vie")]
    assert "".join(second.itertext()) == "We say c'est la vie & go."


def test_script_command_writes_text_or_ssml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = read_article(PROSE)
    assert main(["script", str(PROSE.parent), "--out", str(tmp_path / "s.txt")]) == 0
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == plain(segments(document))
    assert main(["script", str(PROSE), "--read-dois", "--read-tables", "-o", str(tmp_path / "s.ssml")]) == 0
    root = parse_ssml((tmp_path / "s.ssml").read_text(encoding="utf-8"))
    texts = ["".join(p.itertext()) for p in root.findall(f"{{{SSML_NAMESPACE}}}p")]
    asked = segments(document, Settings(read_dois=True, read_tables=True))
    assert texts == [s.text for s in asked]
    assert re.search(r"Wrote the speech script of .* \(\d+ segments\) to .*s\.ssml", capsys.readouterr().err)


def test_script_command_refuses_what_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["script", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["script", str(FIXTURES)]) == 2
    assert "name one of them" in capsys.readouterr().err
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter\n", encoding="utf-8")
    assert main(["script", str(bad)]) == 2
    assert f"{bad}:1:1:" in capsys.readouterr().err
