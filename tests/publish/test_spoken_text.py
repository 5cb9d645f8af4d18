"""Running text as it is spoken (publish.speech.spoken_text), rule by rule, in English and Spanish."""

from __future__ import annotations

import pytest

from publish.speech.spoken_text import code_words, inline_code_words, normalise, protect


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # Links: where they lead, without port, path or query; the sentence keeps its full stop.
        ("at https://data.example.org:8443/v2/get?id=42&f=csv.", "at link to data dot example dot org."),
        ("see <https://www.nih.gov/research/protocol.pdf>", "see <link to nih dot gov>"),
        ("(http://localhost:8080/x)", "(link to localhost)"),
        ("www.example.com/page, then", "link to example dot com, then"),
        ("at “http://example.org/a”", "at “link to example dot org”"),
        # E-mail addresses.
        ("write to trial.office@example.org.", "write to e-mail address trial dot office at example dot org."),
        ("mailto:j_doe+x@mail.example.org", "e-mail address j underscore doe plus x at mail dot example dot org"),
        # Phone numbers: digits in their groups, never a range.
        ("call +1 (555) 123-4567 now", "call plus 1, 5 5 5, 1 2 3, 4 5 6 7 now"),
        ("call (555) 123-4567", "call 5 5 5, 1 2 3, 4 5 6 7"),
        ("call 555-123-4567", "call 5 5 5, 1 2 3, 4 5 6 7"),
        # Long identifiers: their length and first characters.
        ("hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ok",
         "hash a 64-character identifier beginning 9, F, 8, 6 ok"),
        ("ID ABCD-1234-EFGH-5678-IJKL-9012.", "ID a 29-character identifier beginning A, B, C, D."),
        ("run 123e4567-e89b-12d3-a456-426614174000", "run a 36-character identifier beginning 1, 2, 3, E"),
        ("key QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVph=", "key a 37-character identifier beginning Q, U, J, D"),
        ("grant ERC2019STG852345XYZ", "grant ERC2019STG852345XYZ"),  # not hex, under 20: said as it is
        ("the 8x8 grid and SARS-CoV-2", "the 8x8 grid and SARS-CoV-2"),
        ("calibrate_detector_response_with_reference_v2", "calibrate_detector_response_with_reference_v2"),
        # Dates, numbers and symbols.
        ("from 2019-03-01 to 2020-12-31", "from 1 March 2019 to 31 December 2020"),
        ("fell by 12.5% (95% CI 8.1–16.9; p < 0.001)",
         "fell by 12.5 percent (95 percent confidence interval 8.1 to 16.9; p less than 0.001)"),
        ("p<.05 and n = 120", "p less than .05 and n equals 120"),
        ("odds of 3:1, a 1:10 dilution, 2:1:1", "odds of 3 to 1, a 1 to 10 dilution, 2 to 1 to 1"),
        ("at 10:30, at 1:30 pm, 00:01:23", "at 10:30, at 1:30 pm, 00:01:23"),
        ("aged ≥ 18, ≤ 65 and ≠ 40", "aged greater than or equal to 18, less than or equal to 65 and not equal to 40"),
        ("5 ± 2, 3 × 4, A → B, ≈ 3, ~5", "5 plus or minus 2, 3 times 4, A to B, approximately 3, about 5"),
        ("from −5 to -3 (−1)", "from minus 5 to minus 3 (minus 1)"),
        ("R&D and #3", "R and D and number 3"),
        ("1990–2000 and 1990 - 2000", "1990 to 2000 and 1990 to 2000"),
        ("Grant 2022-01536, ORCID 0000-0002-1825-0097", "Grant 2022-01536, ORCID 0000-0002-1825-0097"),
        ("COVID-19 and IL-6", "COVID-19 and IL-6"),
        # Units, agreeing with their number; a one-letter unit only after a space.
        ("5 mg/kg, 1 mg, 0.5 mL", "5 milligrams per kilogram, 1 milligram, 0.5 millilitres"),
        ("2 mL/min for 30 min, 10 mg/kg/day", "2 millilitres per minute for 30 minutes, 10 milligrams per kilogram "
                                              "per day"),
        ("37 °C, 98.6°F, 90°", "37 degrees Celsius, 98.6 degrees Fahrenheit, 90 degrees"),
        ("25 kg/m², 5 µm, 3 µg/mL", "25 kilograms per square metre, 5 micrometres, 3 micrograms per millilitre"),
        ("2 h, 3 s and 1000 m", "2 hours, 3 seconds and 1000 metres"),
        ("the 1990s, 3D, 5m, group 2 g", "the 1990s, 3D, 5m, group 2 grams"),
        ("120 mmHg, 72 bpm, 8 GB", "120 millimetres of mercury, 72 beats per minute, 8 gigabytes"),
        ("30~m away", "30 metres away"),
        # Shorthands; markup shown as text; what silent citations leave.
        ("e.g. this, i.e. that, Smith et al. 2020", "for example, this, that is, that, Smith and colleagues 2020"),
        ("Markup such as <h2> and <a href=\"x\">a link</a>.", "Markup such as h2 tag and a tag a link end a tag."),
        ("a<b and c>d", "a<b and c>d"),
        ("as shown , and shown .", "as shown, and shown."),
        (", Smith and colleagues, , .", "Smith and colleagues."),
        ("see (10). .", "see (10)."),
    ],
)
def test_english(written: str, spoken: str) -> None:
    assert normalise(written, "en-GB") == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("from 2019-03-01", "from March 1, 2019"),
        ("5 m and 2 L", "5 meters and 2 liters"),
    ],
)
def test_american_english(written: str, spoken: str) -> None:
    assert normalise(written, "en-US") == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("bajó un 12,5 % (p < 0,001)", "bajó un 12,5 por ciento (p menor que 0,001)"),
        ("de 3:1 y 10–20 mg", "de 3 a 1 y 10 a 20 miligramos"),
        ("1 mL y 5 mg/kg", "1 mililitro y 5 miligramos por kilogramo"),
        ("25 kg/m² y 37 °C", "25 kilogramos por metro cuadrado y 37 grados Celsius"),
        ("≥ 18, ≤ 65, 5 ± 2, ≈ 3", "mayor o igual que 18, menor o igual que 65, 5 más o menos 2, aproximadamente 3"),
        ("el 2020-06-30", "el 30 de junio de 2020"),
        ("en https://datos.example.es:8443/x?id=7", "en enlace a datos punto example punto es"),
        ("a ensayo@example.es", "a correo electrónico ensayo arroba example punto es"),
        ("al +34 912 345 678", "al más 34, 9 1 2, 3 4 5, 6 7 8"),
        ("código ABCD-1234-EFGH-5678-IJKL-9012", "código un identificador de 29 caracteres que empieza por A, B, C, D"),
        ("p. ej. esto, Pérez et al. y etc.", "por ejemplo, esto, Pérez y colaboradores y etcétera"),
        ("de −5 °C", "de menos 5 grados Celsius"),
    ],
)
def test_spanish(written: str, spoken: str) -> None:
    assert normalise(written, "es-ES") == spoken


def test_protected_words_are_said_as_they_are() -> None:
    """A formula's words (publish.math's) pass every rule untouched, and stay words of their own."""
    words = "x sub i minus 1 to 2, 3:1 percent 5 m"
    assert normalise(f"where {protect(words)} holds", "en") == f"where {words} holds"
    assert normalise(f"10 m{protect('capital Omega')}", "en") == "10 m capital Omega"
    assert normalise(f"5 mg{protect('x')}", "en") == "5 mg x"


def test_code_read_out() -> None:
    assert normalise(code_words("$ pip install --upgrade 'publish[piper]' && publish -f audio"), "en") == (
        "pip install dash dash upgrade publish open square bracket piper close square bracket and and publish "
        "dash f audio")
    assert normalise(code_words("return (max(a, b) + 0.05) / 2")) == (
        "return open bracket max open bracket a, b close bracket plus 0.05 close bracket slash 2")
    assert normalise(inline_code_words("temperature_from_filter_ratio()")) == "temperature from filter ratio"
    assert normalise(inline_code_words("ggplot2::autoplot() on article.md")) == (
        "ggplot2 colon colon autoplot on article dot md")
    assert normalise(code_words("curl https://example.org:8080/api?x=1", "es"), "es") == (
        "curl enlace a example punto org")
    assert normalise(code_words("<a href='x'>go</a>")) == "a tag go end a tag"
