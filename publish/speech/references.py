"""References spoken concisely: who, when, what, where.

A listener wants to recognise a work, not copy it down: at most three authors by their family
names, the year, the title and the journal (or publisher). Volume, pages and the DOI stay in the
transcript and every written edition; the DOI is spelled out only when asked (``read-dois``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from publish.model import Reference
from publish.speech.spoken_text import say_url_text, spell_doi
from publish.speech.words import words_for

MAX_AUTHORS = 3


def speak_reference(reference: Reference, lang: str = "en", read_dois: bool = False) -> str:
    """ "Turner, 2009. Intestinal mucosal barrier function in health and disease. Nature Reviews
    Immunology." """
    item: dict[str, Any] = json.loads(reference.csl_json)
    who = ", ".join(p for p in (authors(item.get("author") or item.get("editor") or [], lang), year(item, lang))
                    if p)
    title = str(item.get("title", "")).strip()
    source = str(item.get("container-title") or item.get("publisher") or "").strip()
    parts = [who, title, source]
    if read_dois and item.get("DOI"):
        parts.append(spell_doi(str(item["DOI"]), lang))
    elif not source and item.get("URL"):
        parts.append(say_url_text(str(item["URL"]), lang))
    return " ".join(_sentence(p) for p in parts if p)


def authors(names: list[dict[str, Any]], lang: str = "en") -> str:
    """ "Turner", "Cani, Amar and Iglesias", "Ajamian and colleagues" (CSL's "et al." or a fourth)."""
    words = words_for(lang)
    said = []
    others = False
    for name in names:
        if str(name.get("literal", "")).strip().rstrip(".") in ("et al", "others"):
            others = True
        elif name.get("family") or name.get("literal"):
            family = " ".join(str(name[k]) for k in ("non-dropping-particle", "family") if name.get(k))
            said.append(family or str(name["literal"]))
        elif name.get("given"):
            said.append(str(name["given"]))
    if len(said) > MAX_AUTHORS:
        said, others = said[:MAX_AUTHORS], True
    if others and said:
        return f"{', '.join(said)} {words.phrases['colleagues']}"
    return words.join(said)


def year(item: dict[str, Any], lang: str = "en") -> str:
    """The year of publication, said as a year: "twenty fourteen", not "two thousand and fourteen"."""
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if not (parts and parts[0]):
        return str((item.get("issued") or {}).get("literal", ""))
    said = str(parts[0][0])
    if words_for(lang).language == "en" and re.fullmatch(r"(1[1-9]|20)[1-9]\d", said):
        said = f"{_TENS[int(said[:2])]} {_below_hundred(int(said[2:]))}"
    return said


_TENS = {11: "eleven", 12: "twelve", 13: "thirteen", 14: "fourteen", 15: "fifteen", 16: "sixteen",
         17: "seventeen", 18: "eighteen", 19: "nineteen", 20: "twenty"}
_ONES = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_DECADES = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _below_hundred(number: int) -> str:
    if number < 20:
        return _ONES[number]
    return _DECADES[number // 10] + (f"-{_ONES[number % 10]}" if number % 10 else "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."
