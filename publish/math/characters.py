"""Characters of math: the part each symbol plays, and each character as words.

A letter keeps its style ("bold x", "script L"), a Greek letter is named ("alpha", "capital
Sigma"), a double-struck set letter is its set ("the real numbers"), and any other symbol is said
by the word tables or, failing them, by its Unicode name, so a speech engine never meets a symbol.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from publish.math.words import Words

# Symbols by the part they play. Pandoc writes some operators as <mi> and some fences without a
# form, so a token's part is decided by its text, not its element.
RELATIONS = frozenset("=≠<>≤≥≦≧⩽⩾≈≡∼~≃≅∝≪≫≔≜≝∈∉∋⊂⊃⊆⊇⊊⊋→⟶←⟵↔↦⟼⇒⟹⇐⟸⇔⟺⊥≺≻⪯⪰∤⊢⊨") | {":="}
BINARY = frozenset("+−-±∓×⋅·∙∗*⋆∘/÷⊗⊕⊙∪∩∖\\∧∨") | {"mod"}
PREFIX = frozenset("¬∀∃∄")
POSTFIX = frozenset("!′″‴%°†")
PUNCTUATION = frozenset(",;.:")
OPEN = "([{⟨⌊⌈〈⟦"
CLOSE = ")]}⟩⌋⌉〉⟧"
BARS = "|∣"
DOUBLE_BARS = "‖∥"
LARGE = frozenset("∑∏∐∫∬∭∮⋃⋂⨁⨂")
INTEGRALS = frozenset("∫∬∭∮")
INVISIBLE = "\u2061\u2062\u2063\u2064\u200b"
SIGNS = frozenset("+−-±∓")
# Named operators that take bounds ("the maximum over x of"), beside the large symbols.
BOUNDED = frozenset({"lim", "limsup", "liminf", "max", "min", "sup", "inf", "argmax", "argmin"})
# Lowercase letters that are functions in nearly every paper: "f of x plus 1" even with a sum
# inside. Capitals and Greek letters before parentheses are functions too (K, N, delta, theta);
# other lowercase letters multiply a parenthesised sum: "k times open paren x plus 1 close paren".
FUNCTION_LETTERS = frozenset("fghpq")
ACCENTS_OVER = {
    "¯": "bar", "‾": "bar", "\u0305": "bar", "_": "bar", "^": "hat", "ˆ": "hat", "\u0302": "hat",
    "~": "tilde", "˜": "tilde", "\u0303": "tilde", "˙": "dot", "\u0307": "dot", "¨": "double dot",
    "\u0308": "double dot", "→": "vector", "\u20d7": "vector", "ˇ": "check", "\u030c": "check",
    "˘": "breve", "\u0306": "breve", "˚": "ring", "\u030a": "ring",
}
ACCENTS_UNDER = {"_": "underline", "‾": "underline", "¯": "underline", "\u0332": "underline"}
SETS = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ"}
LETTER_NAME = re.compile(r"(?:MATHEMATICAL )?(?P<style>[A-Z -]*?) ?(?P<case>CAPITAL|SMALL) (?P<letter>[A-Z ]+)")
DIGIT_NAME = re.compile(r"MATHEMATICAL [A-Z -]+ DIGIT (?P<digit>[A-Z]+)")
DIGITS = {"ZERO": "0", "ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5", "SIX": "6",
          "SEVEN": "7", "EIGHT": "8", "NINE": "9"}


@dataclass(frozen=True)
class Letter:
    words: str
    letter: str = ""  # the plain letter, when it is one
    styled: bool = False  # script, fraktur or double-struck: a function or a set, not a variable
    bold: bool = False


def spell(text: str, words: Words) -> str:
    """Text as words: letters, digits and plain punctuation kept, symbols named."""
    out: list[str] = []
    for char in text:
        if char.isalnum() or char in " ,.;:'-" or char.isspace():
            out.append(char)
            continue
        word = words.get(f"sym:{char}") or words.get(f"greek:{char}")
        if word is None:
            name = unicodedata.name(char, "")
            word = name.lower() if name and not unicodedata.category(char).startswith("C") else ""
        out.append(f" {word} " if word else " ")
    return re.sub(r"\s+", " ", "".join(out))


def styled_letter(char: str) -> tuple[str, list[str]] | None:
    """𝑨 is ("A", ["bold"]), ℝ ("R", ["double-struck"]), 𝜶 ("α", ["bold"])."""
    name = unicodedata.name(char, "")
    if not name:
        return None
    digit = DIGIT_NAME.fullmatch(name)
    if digit:
        return DIGITS.get(digit.group("digit"), ""), [s for s in ("bold", "double-struck") if s.upper() in name]
    if name == "PLANCK CONSTANT":
        return "h", []
    if name in ("LATIN SMALL LETTER DOTLESS I", "MATHEMATICAL ITALIC SMALL DOTLESS I"):
        return "i", []
    if name in ("LATIN SMALL LETTER DOTLESS J", "MATHEMATICAL ITALIC SMALL DOTLESS J"):
        return "j", []
    found = LETTER_NAME.fullmatch(name)
    if not found:
        return None
    style_words = found.group("style")
    styles: list[str] = []
    if "BOLD" in style_words:
        styles.append("bold")
    if "SCRIPT" in style_words:
        styles.append("script")
    if "FRAKTUR" in style_words or "BLACK-LETTER" in style_words:
        styles.append("fraktur")
    if "DOUBLE-STRUCK" in style_words:
        styles.append("double-struck")
    if not styles and "ITALIC" not in style_words and "SANS-SERIF" not in style_words \
            and "MONOSPACE" not in style_words and style_words:
        return None
    letter = found.group("letter")
    case = found.group("case")
    if len(letter) == 1:
        return (letter if case == "CAPITAL" else letter.lower()), styles
    for candidate in (f"GREEK {case} LETTER {letter}", f"GREEK {letter}", f"GREEK {letter} SYMBOL"):
        try:
            return unicodedata.lookup(candidate), styles
        except KeyError:
            continue
    return None


def name_character(char: str, variant: str, table: Words) -> Letter:
    """One character as a word: letters with their style, Greek named, symbols in words."""
    styles: list[str] = []
    if variant in ("bold", "bold-italic", "bold-sans-serif", "sans-serif-bold-italic"):
        styles.append("bold")
    elif variant in ("script", "bold-script"):
        styles.append("script")
    elif variant in ("fraktur", "bold-fraktur"):
        styles.append("fraktur")
    elif variant == "double-struck" and char in SETS:
        char = SETS[char]
    base, plain, capital = char, "", False
    symbol = table.get(f"sym:{char}")
    if "a" <= char.lower() <= "z" and len(char) == 1:
        plain = base = char
    elif char.lower() != char and table.get(f"greek:{char.lower()}"):
        plain, base, capital = char, table[f"greek:{char.lower()}"], True
    elif table.get(f"greek:{char}"):
        plain = char
        base = table[f"greek:{char}"]
    elif "0" <= char <= "9":
        base = char
    elif symbol is not None:
        base = symbol
    elif table.get(f"set:{char}"):
        letter_char = next(k for k, v in SETS.items() if v == char)
        return Letter(table[f"set:{char}"], letter_char, styled=True)
    else:
        found = styled_letter(char)
        if found is None:
            return Letter(spell(char, table))
        letter_char, found_styles = found
        if "double-struck" in found_styles and letter_char in SETS:
            return Letter(table[f"set:{SETS[letter_char]}"], letter_char, styled=True)
        inner = name_character(letter_char, "", table)
        styles.extend(s for s in found_styles if s != "double-struck" and s not in styles)
        words = inner.words
        for style in styles:
            words = table.say(style, words)
        return Letter(words, inner.letter, styled=bool(set(found_styles) - {"bold"}), bold="bold" in styles)
    words = table.say("capital", base[:1].upper() + base[1:]) if capital else base
    for style in styles:
        words = table.say(style, words)
    return Letter(words, plain, styled=bool(set(styles) - {"bold"}), bold="bold" in styles)


def finish(text: str, words: Words, *, keep_colon: bool = False) -> str:
    """Plain words with single spaces and commas only where a pause helps; an end marker with
    nothing after it is dropped, since it separates nothing."""
    text = "".join(plain(char, words) for char in text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:[,;:])+", r"\1", text)
    # A comma between digits is part of a number ("1,000"); any other pause is followed by a space.
    text = re.sub(r"([,;:])(?=[^\s\d])", r"\1 ", text)
    text = text.strip(" ,;" if keep_colon else " ,;:")
    markers = tuple(words[key] for key in (
        "end power", "end superscript", "end sub", "end fraction", "end root", "end absolute value",
        "end norm", "end floor", "end ceiling", "end set", "end matrix"))
    text = words.contract(text)
    changed = True
    while changed:
        changed = False
        for marker in markers:
            if text.endswith(marker) and text != marker:
                text = text[: -len(marker)].rstrip(" ,;")
                changed = True
    return text


def plain(char: str, words: Words) -> str:
    """A character a speech engine reads as intended: letters, digits and pauses; anything else
    (a symbol a rule missed, a styled math letter) is named."""
    if char.isspace() or char in ",;:.-'" or "0" <= char <= "9":
        return char
    name = unicodedata.name(char, "")
    if char.isalpha() and not name.startswith("MATHEMATICAL"):
        return char
    word = words.get(f"sym:{char}")
    if word is None:
        word = name.lower() if name and not unicodedata.category(char).startswith("C") else ""
    return f" {word} "
