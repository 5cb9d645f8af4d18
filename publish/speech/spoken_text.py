"""Running text as a listener should hear it: links, e-mail addresses, phone numbers, long
identifiers, dates, shorthands, numbers with their units and symbols, in the article's language.

The rules run in turn over the parts of the text no earlier rule has claimed: what a rule says
is claimed, so a phone number is not then read as a range, nor an identifier's first characters
as a unit. Text the translator hands in between ``protect`` marks (a formula's words, an
abbreviation as the source says it, code already read out) is claimed from the start.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from publish.speech.words import Words, words_for

OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters: never spoken, dropped from any source text
# Around words in another language ([mot]{lang=fr}): OTHER_LANGUAGE, the tag, IN, the words, BACK.
OTHER_LANGUAGE, IN, BACK = "\ue002", "\ue003", "\ue004"
_MARKS = re.compile(f"[{OPEN}{CLOSE}{OTHER_LANGUAGE}{IN}{BACK}]")
_LANGUAGE_MARK = re.compile(f"{OTHER_LANGUAGE}([^{IN}]*){IN}|{BACK}")
_PROTECTED = re.compile(f"{OPEN}(.*?){CLOSE}", re.S)

Piece = tuple[str, bool]  # a stretch of text, and whether a rule has claimed it
Say = Callable[[re.Match[str], Words], str | None]  # None: leave the match as it is


def clean(text: str) -> str:
    """Source text without the characters that mark protected words."""
    return _MARKS.sub("", text)


def protect(text: str) -> str:
    """Words no rule may change."""
    return OPEN + clean(text) + CLOSE


def in_language(lang: str, spoken: str) -> str:
    """Words said in another language's voice, marked for ``language_runs``."""
    return f"{OTHER_LANGUAGE}{lang}{IN}{spoken}{BACK}"


def language_runs(text: str, lang: str) -> list[tuple[str, str]]:
    """The text as (language, words) runs, where ``in_language`` marked a change (nested marks
    too); a run of punctuation only stays with the words before it, in their voice."""
    runs: list[tuple[str, str]] = []
    stack = [lang]
    last = 0

    def add(words: str) -> None:
        if runs and (runs[-1][0] == stack[-1] or not any(c.isalnum() for c in words)):
            runs[-1] = (runs[-1][0], runs[-1][1] + words)
        elif words:
            runs.append((stack[-1], words))

    for mark in _LANGUAGE_MARK.finditer(text):
        add(text[last:mark.start()])
        if mark.group(0) == BACK:
            if len(stack) > 1:
                stack.pop()
        else:
            stack.append(mark.group(1))
        last = mark.end()
    add(text[last:])
    return [(run_lang, words) for run_lang, words in runs if words.strip()]


def normalise(text: str, lang: str = "en") -> str:
    """Written text as a speech engine should say it."""
    words = words_for(lang)
    pieces: list[Piece] = []
    last = 0
    for match in _PROTECTED.finditer(text):
        pieces += [(text[last:match.start()], False), (match.group(1), True)]
        last = match.end()
    pieces.append((text[last:], False))
    for pattern, say, claim in RULES:
        pieces = _apply(pieces, pattern, say, claim, words)
    joined = ""
    for text, _ in pieces:  # "10 m" and a formula's "capital Omega" stay two words
        joined += " " + text if joined[-1:].isalnum() and text[:1].isalnum() else text
    said = re.sub(r"\s+", " ", joined).strip()
    for debris, kept in DEBRIS:
        said = debris.sub(kept, said)
    return said


# What silent citations leave behind: "as shown by (10). .", ", , and", a sentence opening ", ".
DEBRIS = [
    (re.compile(r"^[,;]\s*"), ""),
    (re.compile(r"[,;](?:\s*[,;])+"), ","),
    (re.compile(r"[,;]\s*(?=[.!?:)])"), ""),
    (re.compile(r"(?<![.])([.!?])\s*\.(?![.\w])"), r"\1"),
]


def normalise_code(text: str, lang: str = "en") -> str:
    """Code as it is read out: links, addresses and identifiers as in prose, a prompt left out,
    symbols named ("dash dash upgrade"); protected from the rules of prose."""
    words = words_for(lang)
    pieces = [(PROMPT.sub("", text), False)]
    for pattern, say, claim in TOKEN_RULES:
        pieces = _apply(pieces, pattern, say, claim, words)
    pieces = _apply(pieces, CODE_SYMBOL, lambda m, w: f" {w.code[m.group()]} ", True, words)
    return protect(re.sub(r"\s+", " ", "".join(text for text, _ in pieces)).strip())


def _apply(pieces: list[Piece], pattern: re.Pattern[str], say: Say, claim: bool, words: Words) -> list[Piece]:
    out: list[Piece] = []
    for index, (text, claimed) in enumerate(pieces):
        if claimed:
            out.append((text, True))
            continue
        # Claimed words on either side stand as a mark, so that "10 m" before a formula's
        # "capital Omega" is not "10 metres": a unit must not run into other words.
        text = (CLOSE if index and pieces[index - 1][1] else "") + text
        text += OPEN if index + 1 < len(pieces) and pieces[index + 1][1] else ""
        last = 0
        for match in pattern.finditer(text):
            said = say(match, words)
            if said is None:
                continue
            out += [(text[last:match.start()], False), (said, claim)]
            last = match.end()
        out.append((text[last:], False))
    merged: list[Piece] = []  # neighbouring free text is one again, for the next rule to see whole
    for text, claimed in out:
        text = text if claimed else clean(text)
        if merged and not claimed and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        elif text or claimed:
            merged.append((text, claimed))
    return merged


# ---------------------------------------------------------------- links, addresses, identifiers

URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`“”‘’«»]*[^\s<>\"'`“”‘’«».,;:!?)\]}]")
EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?([\w.+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"  # +1 555 123 4567
    r"|\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{3,4}"  # (555) 123-4567
    r"|\d{3}[.-]\d{3}[.-]\d{4})(?![\w-])"  # 555-123-4567
)
TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*=*(?![\w-])")  # "=": base64's padding
WORDLIKE = re.compile(r"[A-Z]?[a-z]{3,}")  # "calibrate", "Spectrum"
VOWEL = re.compile(r"[aeiouyAEIOUY]")
HEX = re.compile(r"^[0-9a-fA-F]+$")
SPELLED_START = 4  # characters of a long identifier spelled out


def _host(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url, flags=re.I)
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1]  # user:password@
    host = re.sub(r":\d*$", "", host)  # the port says nothing to a listener
    return re.sub(r"^www\.", "", host, flags=re.I)


def _dotted(text: str, words: Words) -> str:
    """ "example.org" as "example dot org": the same on every engine."""
    return re.sub(r"\.(?=\w)", f" {words.phrases['dot']} ", text)


def say_url(match: re.Match[str], words: Words) -> str:
    return words.say("link", _dotted(_host(match.group()), words))


def say_url_text(url: str, lang: str = "en") -> str:
    """A link as "link to example dot org", whatever else it holds."""
    words = words_for(lang)
    return protect(words.say("link", _dotted(_host(url), words)))


def say_email(match: re.Match[str], words: Words) -> str:
    local = re.sub(r"[._+-]", lambda m: f" {words.phrases[_EMAIL_SYMBOLS[m.group()]]} ", match.group(1))
    return words.say("email", f"{local} {words.phrases['at']} {_dotted(match.group(2), words)}")


_EMAIL_SYMBOLS = {".": "dot", "_": "underscore", "+": "plus", "-": "dash"}


def say_phone(match: re.Match[str], words: Words) -> str:
    """Digits one by one, in the number's groups: "plus 1, 5 5 5, 1 2 3, 4 5 6 7"."""
    groups = re.findall(r"\d+", match.group())
    if match.group().startswith("+"):  # the country's code is a number: "plus 34"
        return ", ".join([f"{words.phrases['plus']} {groups[0]}", *(" ".join(g) for g in groups[1:])])
    return ", ".join(" ".join(group) for group in groups)


def is_long_identifier(token: str) -> bool:
    """A hash, a sample ID, a UUID, a key: letters and digits no one wants to hear one by one.
    A long name made of words ("calibrate_detector_response_v2") is said as its words."""
    characters = re.sub(r"[-_=]", "", token)
    has_digit = any(c.isdigit() for c in characters)
    if not has_digit or len(characters) < 16:
        return False
    if HEX.match(characters) and not characters.isdigit():
        return True
    words = sum(len(w) for w in WORDLIKE.findall(token) if VOWEL.search(w))
    return len(characters) >= 20 and words < len(characters) / 2


def say_identifier(match: re.Match[str], words: Words) -> str | None:
    token = match.group()
    if not is_long_identifier(token):
        return None
    start = ", ".join(re.sub(r"[-_]", "", token)[:SPELLED_START].upper())
    return words.say("identifier", a=_indefinite(len(token)), n=len(token), start=start)


def _indefinite(number: int) -> str:
    """ "an" before 8, 11, 18, 80-89, 800-899 ... as they are said in English."""
    digits = str(number)
    return "an" if digits.startswith("8") or (len(digits) % 3 == 2 and digits[:2] in ("11", "18")) else "a"


# ---------------------------------------------------------------- dates and numbers

ISO_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
NUMBER = r"\d+(?:[.,]\d+)*"
PERCENT_CI = re.compile(rf"(?<![\w.,])({NUMBER})\s?%\s?CI\b")
# "1990-2000", not "2022-01536" (a leading zero: a number's part) nor "0000-0002-1825-0097".
RANGE = re.compile(r"(?<![\w.,:/-])(\d+(?:[.,]\d+)?)\s?[–—-]\s?((?!0\d)\d+(?:[.,]\d+)?)(?!\w|[.,]\d|[-–]\d)")
RATIO = re.compile(r"(?<![\w.,:])(\d+(?:[.,]\d+)?(?::\d+(?:[.,]\d+)?)+)(?![\w:]|[.,]\d)(\s?(?:[ap]\.?m\.?|h)\b)?",
                   re.I)
TIE = re.compile(r"(?<=\w)~(?=[^\W\d])")  # LaTeX's unbreakable space, "30~m"
NEGATIVE = re.compile(r"(?:(?<=\s)|(?<=\()|^)[−-](?=\d)")
SPACED_DASH = re.compile(r"\s[–—-]\s")
SPACE_BEFORE_STOP = re.compile(r"\s+(?=[.,;:!?](?:\s|$))")  # where a silent citation was


def say_date(match: re.Match[str], words: Words) -> str | None:
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if words.american:
        return f"{words.months[month - 1]} {day}, {year}"
    return words.say("date", day=day, month=words.months[month - 1], year=year)


def say_ratio(match: re.Match[str], words: Words) -> str | None:
    """ "3:1" is a ratio; "10:30" and "10:30:15" are times, left to the engine."""
    parts = match.group(1).split(":")
    if match.group(2):  # 10:30 am
        return None
    if all(len(p) == 2 for p in parts[1:]) and parts[0].isdigit() and int(parts[0]) <= 23 and parts[0] != "1":
        return None
    return f" {words.phrases['to']} ".join(parts)


def _units_pattern(words: Words) -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(words.units, key=len, reverse=True))
    per = "|".join(re.escape(u) for u in sorted({*words.units, *words.denominators}, key=len, reverse=True))
    return re.compile(rf"(?<![\w.,])({NUMBER})(\s?)({units})((?:/(?:{per}))*)(?![\w²³{OPEN}])")


_UNIT_PATTERNS: dict[int, re.Pattern[str]] = {}


def say_units(text: re.Match[str], words: Words) -> str:
    """ "5 mg/kg" as "5 milligrams per kilogram"; a one-letter unit only after a space ("2 h",
    not "the 1990s")."""
    pattern = _UNIT_PATTERNS.setdefault(id(words.units), _units_pattern(words))

    def say(match: re.Match[str]) -> str:
        number, space, unit, per = match.groups()
        if len(unit) == 1 and unit.isalpha() and not space and not per:
            return match.group()
        said = f"{number} {words.unit(unit, plural=number != '1')}"
        for denominator in filter(None, per.split("/")):
            said += f" {words.phrases['per']} {words.denominator(denominator)}"
        return said

    return pattern.sub(say, text.group())


def say_shorthands(text: re.Match[str], words: Words) -> str:
    said = text.group()
    for pattern, spoken in words.shorthands:
        said = pattern.sub(spoken, said)
    return said


# Symbols said as words where they stand; "<", ">" and "=" only before a number, since in
# prose they are often arrows or quotation.
SYMBOLS = re.compile(r"\s*(?:([≤⩽≥⩾≠≈±×→⟶])|(<=|>=|->|[<>=])(?=\s*[-−+]?[.,]?\d))\s*")
_SYMBOL_KEYS = {"⩽": "≤", "⩾": "≥", "⟶": "→", "<=": "≤", ">=": "≥", "->": "→"}
APPROXIMATE = re.compile(r"(?<![\w~])[~∼]\s?(?=\d)")
DEGREES = re.compile(r"(?<=\d)\s?°(?![CF])")
NUMBER_SIGN = re.compile(r"(?<![\w#])#(?=\d)")
AMPERSAND = re.compile(r"(?<=\w)\s*&\s*(?=\w)|\s+&\s+")
TASK = re.compile(r"^\s*([☐☒☑])\s*")


def say_symbol(match: re.Match[str], words: Words) -> str:
    symbol = match.group(1) or match.group(2)
    return f" {words.phrases[_SYMBOL_KEYS.get(symbol, symbol)]} "


# Markup shown as text: "<h2>", "<a href="...">", "</a>"; attributes only with a value, so that
# "a<b and c>d" stays a comparison.
TAG_IN_TEXT = re.compile(r"<(/?)([A-Za-z][\w-]*)(?:\s+[\w:-]+\s*=\s*(?:\"[^\"]*\"|“[^”]*”|'[^']*'|[^\s>]+))*\s*/?>")
WHOLE = re.compile(r".+", re.S)  # a rule that rewrites all the free text at once
Rule = tuple[re.Pattern[str], Say, bool]  # what to find, what to say, whether that is final
# Links, addresses and identifiers: the same in prose and in code.
TOKEN_RULES: list[Rule] = [(URL, say_url, True), (EMAIL, say_email, True), (PHONE, say_phone, True),
                           (TOKEN, say_identifier, True)]
RULES: list[Rule] = [
    (TAG_IN_TEXT, lambda m, w: w.say("end tag" if m.group(1) else "tag", m.group(2)), True),
    *TOKEN_RULES,
    (ISO_DATE, say_date, True),
    (TIE, lambda m, w: " ", False),
    (WHOLE, say_shorthands, False),
    (PERCENT_CI, lambda m, w: w.say("percent CI", m.group(1)), True),
    (RANGE, lambda m, w: f"{m.group(1)} {w.phrases['to']} {m.group(2)}", False),
    (WHOLE, say_units, False),
    (RATIO, say_ratio, False),
    (SYMBOLS, say_symbol, False),
    (APPROXIMATE, lambda m, w: f"{w.phrases['~']} ", False),
    (DEGREES, lambda m, w: f" {w.phrases['degrees']}", False),
    (NUMBER_SIGN, lambda m, w: f"{w.phrases['#']} ", False),
    (AMPERSAND, lambda m, w: f" {w.phrases['&']} ", False),
    (NEGATIVE, lambda m, w: f"{w.phrases['minus']} ", False),
    (TASK, lambda m, w: (w.phrases["to do"] if m.group(1) == "☐" else w.phrases["done"]) + " ", False),
    (SPACED_DASH, lambda m, w: ", ", False),
    (SPACE_BEFORE_STOP, lambda m, w: "", False),
]


# ---------------------------------------------------------------- code

PROMPT = re.compile(r"^[ \t]*(?:\$|>>>|\.\.\.|%|>)[ \t]+", re.M)
# Longest first, so "--" is one name; a dot only inside a name ("article.md"), not ending a
# sentence nor in a number ("0.05"); a dash only before a word (an option), since inside one it
# joins; quotes are left out.
CODE_SYMBOL = re.compile(r"--(?=\w)|==|&&|(?<=[^\W\d])\.(?=\w)|(?<=\w)\.(?=[^\W\d])|(?<![\w-])-(?=\w)"
                         r"|[_/\\|<>=+*&$#@%~:;()\[\]{}^!?]")
QUOTES = re.compile(r"[\"'`]")


EMPTY_CALL = re.compile(r"(?<=\w)\(\)")  # "bumbl()": the function's name says it all
TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*>")


def code_words(text: str, lang: str = "en") -> str:
    """A line or two of code as it is read out, protected from the rules of prose."""
    words = words_for(lang)
    text = TAG.sub(lambda m: f" {words.say('end tag' if m.group(1) else 'tag', m.group(2))} ", text)
    return normalise_code(EMPTY_CALL.sub("", QUOTES.sub(" ", text)), lang)


def inline_code_words(text: str, lang: str = "en") -> str:
    """Code in a sentence: as code_words, but a name's underscores are the spaces between its
    words ("temperature from filter ratio"), as people say them."""
    return code_words(SNAKE.sub(" ", text), lang)


SNAKE = re.compile(r"(?<=[^\W\d_])_+(?=[^\W\d_])")


def spell_doi(doi: str, lang: str = "en") -> str:
    """A DOI read so it can be written down: "D O I 10 dot 1038 slash n r i 2 6 5 3"."""
    words = words_for(lang)
    names = {".": words.phrases["dot"], "/": words.phrases["slash"], "-": words.phrases["dash"],
             "_": words.phrases["underscore"], **{s: words.code[s] for s in ":();"}}
    prefix, _, suffix = doi.partition("/")
    spelled = " ".join(names.get(ch, ch.lower()) for ch in suffix)
    dot = words.phrases["dot"]
    return protect(words.say("doi", f"{prefix.replace('.', f' {dot} ')} {words.phrases['slash']} {spelled}"))
