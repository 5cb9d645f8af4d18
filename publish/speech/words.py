"""The words the speech translator adds to an article, one table per language.

Phrases (``phrase:``) are filled with ``str.format``; nouns have a singular and a plural; units
are said after their number, agreeing with it; code symbols are named when code is read out.
A language needs only what differs from English: the rest falls back to it. The words of
formulas are ``publish.math.words``'s, never these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

ENGLISH_PHRASES: dict[str, str] = {
    "by": "By {0}.",
    "and": "and",
    "colleagues": "and colleagues",
    "disclaimer": "Disclaimer.",
    "abstract": "Abstract.",
    "notes": "Notes.",
    "note": "Note {0}.",
    "references": "References.",
    "reference": "Reference {0}.",
    "cited": "(reference {0})",
    "cited many": "(references {0})",
    "list": "A list of {0}.",
    "numbered list": "A numbered list of {0}.",
    "definition list": "A list of {0} and their definitions.",
    "quote": "Quote.",
    "end quote": "End of quote.",
    "figure": "Figure",
    "image": "(image: {0})",
    "table": "Table",
    "a table": "A table",
    "table columns": "Its columns are {0}.",
    "table elsewhere": "It is too long to read aloud: the full table is in the text editions.",
    "row": "Row {0}",
    "code": "Code example",
    "code elsewhere": "It is shown in the text editions.",
    "end code": "End of code.",
    "tag": "{0} tag",
    "end tag": "end {0} tag",
    "equation": "Equation {0}:",
    "to do": "To do:",
    "done": "Done:",
    # Running text.
    "link": "link to {0}",
    "email": "e-mail address {0}",
    "identifier": "{a} {n}-character identifier beginning {start}",
    "doi": "D O I {0}",
    "dot": "dot",
    "at": "at",
    "slash": "slash",
    "dash": "dash",
    "underscore": "underscore",
    "plus": "plus",
    "to": "to",
    "per": "per",
    "percent CI": "{0} percent confidence interval",
    "date": "{day} {month} {year}",
    # Symbols in running text, said where they stand.
    "<": "less than",
    ">": "greater than",
    "≤": "less than or equal to",
    "≥": "greater than or equal to",
    "=": "equals",
    "≠": "not equal to",
    "≈": "approximately",
    "~": "about",
    "±": "plus or minus",
    "×": "times",
    "→": "to",
    "minus": "minus",
    "degrees": "degrees",
    "#": "number",
    "&": "and",
}

SPANISH_PHRASES: dict[str, str] = {
    "by": "Por {0}.",
    "and": "y",
    "colleagues": "y colaboradores",
    "disclaimer": "Aviso.",
    "abstract": "Resumen.",
    "notes": "Notas.",
    "note": "Nota {0}.",
    "references": "Referencias.",
    "reference": "Referencia {0}.",
    "cited": "(referencia {0})",
    "cited many": "(referencias {0})",
    "list": "Una lista de {0}.",
    "numbered list": "Una lista numerada de {0}.",
    "definition list": "Una lista de {0} con sus definiciones.",
    "quote": "Cita.",
    "end quote": "Fin de la cita.",
    "figure": "Figura",
    "image": "(imagen: {0})",
    "table": "Tabla",
    "a table": "Una tabla",
    "table columns": "Sus columnas son {0}.",
    "table elsewhere": "Es demasiado larga para leerla en voz alta: la tabla completa está en las ediciones de texto.",
    "row": "Fila {0}",
    "code": "Ejemplo de código",
    "code elsewhere": "Se muestra en las ediciones de texto.",
    "end code": "Fin del código.",
    "tag": "etiqueta {0}",
    "end tag": "fin de etiqueta {0}",
    "equation": "Ecuación {0}:",
    "to do": "Pendiente:",
    "done": "Hecho:",
    "link": "enlace a {0}",
    "email": "correo electrónico {0}",
    "identifier": "un identificador de {n} caracteres que empieza por {start}",
    "doi": "D O I {0}",
    "dot": "punto",
    "at": "arroba",
    "slash": "barra",
    "dash": "guion",
    "underscore": "guion bajo",
    "plus": "más",
    "to": "a",
    "per": "por",
    "percent CI": "intervalo de confianza del {0} por ciento",
    "date": "{day} de {month} de {year}",
    "<": "menor que",
    ">": "mayor que",
    "≤": "menor o igual que",
    "≥": "mayor o igual que",
    "=": "igual a",
    "≠": "distinto de",
    "≈": "aproximadamente",
    "~": "aproximadamente",
    "±": "más o menos",
    "×": "por",
    "→": "a",
    "minus": "menos",
    "degrees": "grados",
    "#": "número",
    "&": "y",
}

ENGLISH_NOUNS: dict[str, tuple[str, str]] = {
    "item": ("item", "items"), "term": ("term", "terms"), "row": ("row", "rows"),
    "column": ("column", "columns"), "line": ("line", "lines"),
}
SPANISH_NOUNS: dict[str, tuple[str, str]] = {
    "item": ("elemento", "elementos"), "term": ("término", "términos"), "row": ("fila", "filas"),
    "column": ("columna", "columnas"), "line": ("línea", "líneas"),
}

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
SPANISH_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre")

# Written shorthands and how to say them; whole words only.
ENGLISH_SHORTHANDS = (
    (r"\be\.\s?g\.,?", "for example,"),
    (r"\bi\.\s?e\.,?", "that is,"),
    (r"\bet al\.", "and colleagues"),
    (r"\betc\.", "et cetera"),
    (r"\bvs\.", "versus"),
    (r"\bpp?\.\s?(?=\d)", "page "),
    (r"\bapprox\.\s?(?=\d)", "approximately "),
)
SPANISH_SHORTHANDS = (
    (r"\bp\.\s?ej\.,?", "por ejemplo,"),
    (r"\bi\.\s?e\.,?", "es decir,"),
    (r"\bet al\.", "y colaboradores"),
    (r"\betc\.", "etcétera"),
    (r"\bvs\.", "frente a"),
    (r"\b(?:págs?|pp?)\.\s?(?=\d)", "página "),
    (r"\bEE\.\s?UU\.", "Estados Unidos"),
    (r"\baprox\.\s?(?=\d)", "aproximadamente "),
)

# Units said after a number: written form -> (singular, plural). "metre" and "litre" are
# respelled for American English.
_LENGTHS = {"km": "kilometre", "m": "metre", "cm": "centimetre", "mm": "millimetre", "µm": "micrometre",
            "μm": "micrometre", "nm": "nanometre"}
_SPANISH_LENGTHS = {"kilometre": "kilómetro", "metre": "metro", "centimetre": "centímetro",
                    "millimetre": "milímetro", "micrometre": "micrómetro", "nanometre": "nanómetro"}


def _regular(singular: str) -> tuple[str, str]:
    return singular, singular + "s"


ENGLISH_UNITS: dict[str, tuple[str, str]] = {
    **{unit: _regular(name) for unit, name in _LENGTHS.items()},
    **{f"{unit}{power}": _regular(f"{square} {name}") for unit, name in _LENGTHS.items()
       for power, square in (("²", "square"), ("2", "square"), ("³", "cubic"), ("3", "cubic"))},
    "kg": _regular("kilogram"), "g": _regular("gram"), "mg": _regular("milligram"), "µg": _regular("microgram"),
    "μg": _regular("microgram"), "mcg": _regular("microgram"), "ng": _regular("nanogram"),
    "pg": _regular("picogram"),
    "L": _regular("litre"), "l": _regular("litre"), "dL": _regular("decilitre"), "dl": _regular("decilitre"),
    "mL": _regular("millilitre"), "ml": _regular("millilitre"), "µL": _regular("microlitre"),
    "μL": _regular("microlitre"), "µl": _regular("microlitre"), "μl": _regular("microlitre"),
    "mol": _regular("mole"), "mmol": _regular("millimole"), "µmol": _regular("micromole"),
    "μmol": _regular("micromole"), "nmol": _regular("nanomole"), "mM": ("millimolar", "millimolar"),
    "µM": ("micromolar", "micromolar"), "μM": ("micromolar", "micromolar"), "nM": ("nanomolar", "nanomolar"),
    "mEq": _regular("milliequivalent"), "IU": _regular("international unit"), "U": _regular("unit"),
    "kDa": _regular("kilodalton"), "bp": ("base pair", "base pairs"),
    "h": _regular("hour"), "hr": _regular("hour"), "hrs": _regular("hour"), "min": _regular("minute"),
    "s": _regular("second"), "ms": _regular("millisecond"), "µs": _regular("microsecond"),
    "μs": _regular("microsecond"),
    "kcal": _regular("kilocalorie"), "cal": _regular("calorie"), "kJ": _regular("kilojoule"),
    "J": _regular("joule"), "W": _regular("watt"), "kW": _regular("kilowatt"), "V": _regular("volt"),
    "mV": _regular("millivolt"), "Hz": ("hertz", "hertz"), "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"), "GHz": ("gigahertz", "gigahertz"), "dB": _regular("decibel"),
    "mmHg": ("millimetre of mercury", "millimetres of mercury"), "Pa": _regular("pascal"),
    "kPa": _regular("kilopascal"), "Gy": ("gray", "gray"), "Sv": _regular("sievert"),
    "mSv": _regular("millisievert"), "Bq": _regular("becquerel"),
    "°C": ("degree Celsius", "degrees Celsius"), "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "bpm": ("beat per minute", "beats per minute"), "rpm": ("revolution per minute", "revolutions per minute"),
    "ppm": ("part per million", "parts per million"),
    "kB": _regular("kilobyte"), "KB": _regular("kilobyte"), "MB": _regular("megabyte"),
    "GB": _regular("gigabyte"), "TB": _regular("terabyte"),
    "%": ("percent", "percent"), "‰": ("per thousand", "per thousand"),
}
# Said only after "per" ("mg/kg/day"): alone they are too often something else.
ENGLISH_DENOMINATORS: dict[str, str] = {"d": "day", "day": "day", "wk": "week", "week": "week", "mo": "month",
                                        "month": "month", "y": "year", "yr": "year", "year": "year"}


def _spanish(singular: str, plural: str | None = None) -> tuple[str, str]:
    return singular, plural or singular + "s"


SPANISH_UNITS: dict[str, tuple[str, str]] = {
    **{unit: _spanish(_SPANISH_LENGTHS[name]) for unit, name in _LENGTHS.items()},
    **{f"{unit}{power}": (f"{_SPANISH_LENGTHS[name]} {adjective}", f"{_SPANISH_LENGTHS[name]}s {adjective}s")
       for unit, name in _LENGTHS.items()
       for power, adjective in (("²", "cuadrado"), ("2", "cuadrado"), ("³", "cúbico"), ("3", "cúbico"))},
    "kg": _spanish("kilogramo"), "g": _spanish("gramo"), "mg": _spanish("miligramo"), "µg": _spanish("microgramo"),
    "μg": _spanish("microgramo"), "mcg": _spanish("microgramo"), "ng": _spanish("nanogramo"),
    "pg": _spanish("picogramo"),
    "L": _spanish("litro"), "l": _spanish("litro"), "dL": _spanish("decilitro"), "dl": _spanish("decilitro"),
    "mL": _spanish("mililitro"), "ml": _spanish("mililitro"), "µL": _spanish("microlitro"),
    "μL": _spanish("microlitro"), "µl": _spanish("microlitro"), "μl": _spanish("microlitro"),
    "mol": _spanish("mol", "moles"), "mmol": _spanish("milimol", "milimoles"),
    "µmol": _spanish("micromol", "micromoles"), "μmol": _spanish("micromol", "micromoles"),
    "nmol": _spanish("nanomol", "nanomoles"), "mM": _spanish("milimolar", "milimolar"),
    "µM": _spanish("micromolar", "micromolar"), "μM": _spanish("micromolar", "micromolar"),
    "nM": _spanish("nanomolar", "nanomolar"), "mEq": _spanish("miliequivalente"),
    "IU": ("unidad internacional", "unidades internacionales"), "U": ("unidad", "unidades"),
    "kDa": _spanish("kilodalton"), "bp": ("par de bases", "pares de bases"),
    "h": _spanish("hora"), "hr": _spanish("hora"), "hrs": _spanish("hora"), "min": _spanish("minuto"),
    "s": _spanish("segundo"), "ms": _spanish("milisegundo"), "µs": _spanish("microsegundo"),
    "μs": _spanish("microsegundo"),
    "kcal": _spanish("kilocaloría"), "cal": _spanish("caloría"), "kJ": _spanish("kilojulio"),
    "J": _spanish("julio"), "W": _spanish("vatio"), "kW": _spanish("kilovatio"), "V": _spanish("voltio"),
    "mV": _spanish("milivoltio"), "Hz": _spanish("hercio"), "kHz": _spanish("kilohercio"),
    "MHz": _spanish("megahercio"), "GHz": _spanish("gigahercio"), "dB": _spanish("decibelio"),
    "mmHg": ("milímetro de mercurio", "milímetros de mercurio"), "Pa": _spanish("pascal", "pascales"),
    "kPa": _spanish("kilopascal", "kilopascales"), "Gy": _spanish("gray", "grays"),
    "Sv": _spanish("sievert"), "mSv": _spanish("milisievert"), "Bq": _spanish("becquerel", "becquereles"),
    "°C": ("grado Celsius", "grados Celsius"), "°F": ("grado Fahrenheit", "grados Fahrenheit"),
    "bpm": ("latido por minuto", "latidos por minuto"), "rpm": ("revolución por minuto", "revoluciones por minuto"),
    "ppm": ("parte por millón", "partes por millón"),
    "kB": _spanish("kilobyte"), "KB": _spanish("kilobyte"), "MB": _spanish("megabyte"),
    "GB": _spanish("gigabyte"), "TB": _spanish("terabyte"),
    "%": ("por ciento", "por ciento"), "‰": ("por mil", "por mil"),
}
SPANISH_DENOMINATORS: dict[str, str] = {"d": "día", "day": "día", "wk": "semana", "week": "semana", "mo": "mes",
                                        "month": "mes", "y": "año", "yr": "año", "year": "año"}

# Symbols named when code is read out; anything else is left to the engine.
ENGLISH_CODE: dict[str, str] = {
    "--": "dash dash", "-": "dash", "_": "underscore", ".": "dot", "/": "slash", "\\": "backslash", "|": "pipe",
    ">": "greater than", "<": "less than", "==": "equals equals", "=": "equals", "+": "plus", "*": "star",
    "&&": "and and", "&": "and", "$": "dollar", "#": "hash", "@": "at", "%": "percent", "~": "tilde",
    ":": "colon", ";": "semicolon", "(": "open bracket", ")": "close bracket", "[": "open square bracket",
    "]": "close square bracket", "{": "open brace", "}": "close brace", "^": "caret", "!": "exclamation mark",
    "?": "question mark",
}
SPANISH_CODE: dict[str, str] = {
    "--": "guion guion", "-": "guion", "_": "guion bajo", ".": "punto", "/": "barra", "\\": "barra invertida",
    "|": "barra vertical", ">": "mayor que", "<": "menor que", "==": "igual igual", "=": "igual", "+": "más",
    "*": "asterisco", "&&": "y y", "&": "y", "$": "dólar", "#": "almohadilla", "@": "arroba",
    "%": "por ciento", "~": "virgulilla", ":": "dos puntos", ";": "punto y coma", "(": "abre paréntesis",
    ")": "cierra paréntesis", "[": "abre corchete", "]": "cierra corchete", "{": "abre llave",
    "}": "cierra llave", "^": "circunflejo", "!": "exclamación", "?": "interrogación",
}

# What a code block's language is called aloud; others are said as written.
LANGUAGE_NAMES: dict[str, str] = {
    "sh": "shell", "bash": "shell", "shell": "shell", "console": "shell", "zsh": "shell", "shell-session": "shell",
    "py": "Python", "python": "Python", "python3": "Python", "pycon": "Python", "ipython": "Python",
    "r": "R", "julia": "Julia", "jl": "Julia", "js": "JavaScript", "javascript": "JavaScript",
    "ts": "TypeScript", "typescript": "TypeScript", "c": "C", "cpp": "C plus plus", "c++": "C plus plus",
    "cs": "C sharp", "csharp": "C sharp", "java": "Java", "rust": "Rust", "go": "Go", "matlab": "MATLAB",
    "yaml": "YAML", "yml": "YAML", "json": "JSON", "toml": "TOML", "xml": "XML", "html": "HTML", "css": "CSS",
    "sql": "SQL", "tex": "TeX", "latex": "LaTeX", "md": "Markdown", "markdown": "Markdown",
    "fortran": "Fortran", "powershell": "PowerShell", "dockerfile": "Dockerfile", "makefile": "Makefile",
}


@dataclass(frozen=True)
class Words:
    language: str  # the primary subtag the words are in
    phrases: Mapping[str, str]
    nouns: Mapping[str, tuple[str, str]]
    months: tuple[str, ...]
    shorthands: tuple[tuple[re.Pattern[str], str], ...]
    units: Mapping[str, tuple[str, str]]
    denominators: Mapping[str, str]
    code: Mapping[str, str]
    american: bool = False  # "meters", "liters"

    def say(self, key: str, *parts: object, **named: object) -> str:
        return self.phrases[key].format(*parts, **named)

    def count(self, number: int, noun: str) -> str:
        """ "1 row", "2 rows"."""
        singular, plural = self.nouns[noun]
        return f"{number} {singular if number == 1 else plural}"

    def join(self, items: list[str]) -> str:
        """ "A, B and C"."""
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.phrases['and']} {items[-1]}"

    def unit(self, written: str, plural: bool) -> str:
        name = self.units[written][1 if plural else 0]
        return self.american_spelling(name)

    def denominator(self, written: str) -> str:
        if written in self.denominators:
            return self.denominators[written]
        return self.unit(written, plural=False)

    def american_spelling(self, text: str) -> str:
        if self.american:
            text = text.replace("metre", "meter").replace("litre", "liter")
        return text


def _compile(shorthands: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern), spoken) for pattern, spoken in shorthands)


ENGLISH = Words("en", ENGLISH_PHRASES, ENGLISH_NOUNS, ENGLISH_MONTHS, _compile(ENGLISH_SHORTHANDS), ENGLISH_UNITS,
                ENGLISH_DENOMINATORS, ENGLISH_CODE)
LANGUAGES: dict[str, Words] = {
    "en": ENGLISH,
    "es": Words("es", {**ENGLISH_PHRASES, **SPANISH_PHRASES}, {**ENGLISH_NOUNS, **SPANISH_NOUNS}, SPANISH_MONTHS,
                _compile(SPANISH_SHORTHANDS), SPANISH_UNITS, SPANISH_DENOMINATORS, {**ENGLISH_CODE, **SPANISH_CODE}),
}
AMERICAN = Words("en", ENGLISH.phrases, ENGLISH.nouns, ENGLISH.months, ENGLISH.shorthands, ENGLISH.units,
                 ENGLISH.denominators, ENGLISH.code, american=True)


def words_for(lang: str) -> Words:
    """The table for a BCP 47 tag ("en-GB", "es-MX"); an unknown language is spoken in English."""
    parts = lang.replace("_", "-").lower().split("-")
    if parts[0] == "en" and len(parts) > 1 and parts[1] == "us":
        return AMERICAN
    return LANGUAGES.get(parts[0], ENGLISH)
