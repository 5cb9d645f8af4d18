"""Math in words, in the style of ClearSpeak and MathSpeak: the spoken form of a formula is the
alt text of every edition and what the audio edition says.

``spoken`` reads the presentation MathML that ``publish.math.mathml`` makes; ``spoken_tex`` reads
TeX that Pandoc could not convert (``publish.math.texspeech``). A row of MathML becomes items
(values, operators, fences), fences become groups, and groups and items become words.
``publish.math.characters`` names single characters, ``publish.math.tables`` reads matrices and
cases, and every word comes from ``publish.math.words``, so another language is another table.

The rules, in short:

- A *single token* is one identifier or number, with an accent, a style or a sign at most
  (``x``, ``2``, ``alpha``, ``bold x``, ``x hat``, ``negative 1``). Powers, roots, fractions and
  subscripts of one token need no end marker; anything longer gets one ("x to the power n plus 1,
  end power"). An end marker with nothing after it is dropped.
- A fraction of two single tokens is "a over b"; any other is "the fraction a over b, end
  fraction". ``d``/``∂`` fractions are derivatives.
- Sums, products, integrals, limits, maxima are read with their bounds, and their body runs to the
  next relation, comma or sum sign (an integral's body runs to its differential: ", d x").
- Parentheses after a function name or a function letter are its argument ("f of x"); elsewhere
  they are read ("open paren ... close paren"), with "times" where they multiply.
- Matrices, cases and aligned equations are read row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from publish.math import tables
from publish.math.characters import (
    ACCENTS_OVER,
    ACCENTS_UNDER,
    BARS,
    BINARY,
    BOUNDED,
    CLOSE,
    DOUBLE_BARS,
    FUNCTION_LETTERS,
    INTEGRALS,
    INVISIBLE,
    LARGE,
    OPEN,
    POSTFIX,
    PREFIX,
    PUNCTUATION,
    RELATIONS,
    SETS,
    SIGNS,
    finish,
    name_character,
    spell,
)
from publish.math.texspeech import read_tex
from publish.math.words import Words, words_for

_WORD_VOWELS = frozenset("aeou")


def spoken(mathml: str, lang: str = "en") -> str:
    """The spoken form of one formula's MathML (the annotation, if any, is not read)."""
    words = words_for(lang)
    try:
        root = ElementTree.fromstring(mathml)
    except ElementTree.ParseError:
        return ""
    try:
        return finish(_Reader(words).formula(root), words)
    except RecursionError:
        # Nested hundreds deep (no paper does; a hostile one might): read its TeX flat instead.
        annotation = next((e for e in root.iter() if _tag(e) == "annotation"), None)
        tex = "".join(annotation.itertext()) if annotation is not None else " ".join(root.itertext())
        return read_tex(tex, words)


def spoken_tex(tex: str, lang: str = "en") -> str:
    """A best-effort reading of TeX that could not be converted: never "backslash" or "brace"."""
    return read_tex(tex, words_for(lang))


_CITED_NUMBER = re.compile(r"\((\d+)\)")
_NUMBER_RANGE = re.compile(r"(\d+)\s*[-\u2013]\s*(\d+)")


@dataclass(frozen=True)
class Phrase:
    words: str
    simple: bool = False  # one token: no end marker needed after it


@dataclass
class Item:
    """One step of a row, before the row is put in words."""

    kind: str  # "value", "op", "func", "bigop", "group", "table", "pause"
    words: str = ""
    char: str = ""  # an op's symbol, a group's opening fence
    simple: bool = False
    close: str = ""  # a group's closing fence, "" when it has none
    inner: list[Item] = field(default_factory=list)
    scripts: tuple[Element | None, Element | None] = (None, None)  # carried by a closing fence
    table: Element | None = None
    letter: str = ""  # the plain identifier ("f", "E", "O", "Unif") when the value is one
    callable: bool = False  # an identifier: a simple argument in parentheses is its argument
    function: bool = False  # a function letter or name: any argument in parentheses is its
    integral: bool = False
    bounded: bool = False  # a bigop whose body is its argument in brackets (the expected value)
    fraction: bool = False
    article: bool = False  # begins with "the": "times" when it follows a value
    differential: bool = False  # "d" or a roman d, before the variable of an integral
    number: str = ""
    binomial: bool = False
    vector: bool = False  # bold, an arrow or del: "⋅" beside it is "dot", not "times"
    prose: bool = False  # words of text in the formula ("subject to"): never "times" before them
    scripted: bool = False  # has a sub- or superscript: E_ext[u] is not an expected value
    open_power: bool = False  # "x to the power n", with no end marker


@dataclass
class Unit:
    """A value or an operator in words, for joining a row."""

    words: str
    kind: str  # "value", "op", "prefix", "postfix", "pause", "relation"
    simple: bool = False
    application: bool = False
    fraction: bool = False
    paren: bool = False
    article: bool = False
    vector: bool = False
    open_power: bool = False
    prose: bool = False
    large: bool = False  # a sum, an integral, a limit: a pause before the relation that ends its body


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _child(element: Element | None, index: int) -> Element | None:
    if element is None or index >= len(element):
        return None
    return element[index]


def _token(element: Element) -> str:
    text = "".join(element.itertext()) if _tag(element) in ("mtext", "ms") else (element.text or "")
    return "".join(c for c in text if c not in INVISIBLE).strip()


class _Reader:
    def __init__(self, words: Words) -> None:
        self.w = words
        self.end_markers = tuple(words[key] for key in (
            "end power", "end superscript", "end sub", "end fraction", "end root", "end absolute value",
            "end norm", "end floor", "end ceiling", "end set", "end matrix"))

    # Entry points -----------------------------------------------------------------------------

    def formula(self, root: Element) -> str:
        children = [c for c in root if _tag(c) != "annotation"]
        if _tag(root) == "semantics" or (len(children) == 1 and _tag(children[0]) == "semantics"):
            semantics = root if _tag(root) == "semantics" else children[0]
            children = [c for c in semantics if _tag(c) not in ("annotation", "annotation-xml")][:1]
        return self.row(children).words

    def phrase(self, element: Element | None, *, brief: bool = False, approach: bool = False) -> Phrase:
        """One element read on its own (a script, a numerator, a cell)."""
        if element is None:
            return Phrase("")
        return self.row([element], brief=brief, approach=approach, script=brief)

    def row(self, children: Iterable[Element], *, brief: bool = False, approach: bool = False,
            script: bool = False) -> Phrase:
        items = self.merge_dots(self.items(list(children), script=script))
        grouped = self.group(items)
        return self.speak(self.merge_numbers(grouped), brief=brief, approach=approach)

    # Elements to items --------------------------------------------------------------------------

    def items(self, children: list[Element], *, script: bool = False) -> list[Item]:
        out: list[Item] = []
        index = 0
        while index < len(children):
            run, end = self._letter_run(children, index, script)
            if run:
                out.extend(run)
                index = end
                continue
            out.extend(self.item(children[index], script=script))
            index += 1
        return out

    def _letter_run(self, children: list[Element], start: int, script: bool) -> tuple[list[Item], int]:
        """Roman letters written one by one (``\\mathrm{arg\\,min}``, ``\\mathrm{UZ}``) make words;
        in a script, italic lowercase letters that spell a word (``v_{lead}``) do too."""
        letters: list[str] = []
        end = start
        roman = None
        while end < len(children):
            child = children[end]
            tag = _tag(child)
            text = _token(child)
            if tag == "mspace" and letters and end + 1 < len(children) and _tag(children[end + 1]) == "mi":
                letters.append(" ")
                end += 1
                continue
            if tag != "mi" or len(text) != 1 or not ("a" <= text.lower() <= "z"):
                break
            is_roman = child.get("mathvariant") == "normal"
            if roman is None:
                roman = is_roman
            if is_roman != roman:
                break
            letters.append(text)
            end += 1
        while letters and letters[-1] == " ":
            letters.pop()
            end -= 1
        text = "".join(letters)
        if len(text.replace(" ", "")) < 2:
            return [], start
        if roman:
            return self._roman_words(text), end
        lowered = text.replace(" ", "")
        if script and len(lowered) >= 3 and lowered.islower() and _WORD_VOWELS & set(lowered) \
                and set(lowered) - _WORD_VOWELS:
            return [Item("value", lowered, simple=True, letter=lowered)], end
        return [], start

    def _roman_words(self, text: str) -> list[Item]:
        joined = text.replace(" ", "")
        if joined in BOUNDED:
            return [Item("bigop", self.w[f"fn:{joined}"], letter=joined, article=True)]
        name = self.w.get(f"fn:{joined}")
        if name is not None:
            return [Item("func", name, letter=joined, article=self.w.has_article(name))]
        out: list[Item] = []
        for word in text.split():
            spoken_word = " ".join(word) if word.isupper() and len(word) <= 4 else word
            out.append(Item("value", spoken_word, simple=True, letter=word, callable=True))
        return out

    def item(self, element: Element, *, script: bool = False) -> list[Item]:
        tag = _tag(element)
        if tag in ("mi", "mn", "mo", "mtext", "ms"):
            return self.leaf(element)
        if tag == "mspace":
            width = element.get("width", "")
            # \quad and wider (1 em) part what they stand between; thin spaces say nothing.
            found = re.match(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*em", width)
            return [Item("pause")] if found and float(found.group(1)) >= 0.9 else []
        if tag in ("mphantom", "annotation", "annotation-xml", "none", "mprescripts", "mglyph"):
            return []
        if tag == "mrow":
            function = self._function_wrapper(element)
            if function is not None:
                return [function]
            return self.items(list(element), script=script)
        if tag in ("semantics", "maction"):
            first = _child(element, 0)
            return self.item(first, script=script) if first is not None else []
        if tag == "mfrac":
            return [self.fraction(element)]
        if tag == "msqrt":
            inner = self.row(list(element), brief=True)
            return [self._rooted(self.w.say("square root", inner.words), inner)]
        if tag == "mroot":
            return [self.root(element)]
        if tag in ("msub", "msup", "msubsup", "munder", "mover", "munderover"):
            return [self.script(element)]
        if tag == "mmultiscripts":
            return [self.multiscripts(element)]
        if tag == "mtable":
            return [Item("table", table=element)]
        if tag == "mfenced":
            return [self.fenced(element)]
        # mstyle, mpadded, merror, menclose, mtd and whatever else: their content.
        return self.items(list(element), script=script)

    def leaf(self, element: Element) -> list[Item]:
        tag = _tag(element)
        text = _token(element)
        if not text:
            return []
        if tag in ("mtext", "ms"):
            return self._text(text)
        if tag == "mn":
            if all("0" <= c <= "9" or c in ".," for c in text):
                return [Item("value", text, simple=True, number=text)]
            return [self.identifier(text, element.get("mathvariant", ""))]  # 𝟎, ½
        if text in RELATIONS or text in BINARY or text in PREFIX or text in POSTFIX or text in PUNCTUATION \
                or text in OPEN or text in CLOSE or text in BARS or text in DOUBLE_BARS or text == "'":
            return [Item("op", char=text, words=element.get("form", ""))]
        if text in LARGE:
            return [Item("bigop", self.w[f"fn:{text}"], char=text, integral=text in INTEGRALS, article=True)]
        if tag == "mo" and len(text) > 1 and text.isalpha():
            name = self.w.get(f"fn:{text}")
            if text == "mod":
                return [Item("op", char="mod")]
            if text in BOUNDED:
                return [Item("bigop", self.w[f"fn:{text}"], letter=text, article=True)]
            if name is not None:
                return [Item("func", name, letter=text)]
        return [self.identifier(text, element.get("mathvariant", ""))]

    def _text(self, text: str) -> list[Item]:
        # Words in a formula may cite equations as LaTeX prints them: "(1)-(4)" is "1 to 4".
        text = _NUMBER_RANGE.sub(rf"\1 {self.w['range to']} \2", _CITED_NUMBER.sub(r"\1", text))
        spoken_text = " ".join(spell(text, self.w).split())
        if not spoken_text:
            return []
        single = " " not in spoken_text
        return [Item("value", spoken_text, simple=single, letter=spoken_text if single else "",
                     callable=single, function=single and len(spoken_text) > 1, prose=not single)]

    def identifier(self, text: str, variant: str) -> Item:
        if len(text) > 1:
            if len(text.split()) > 1 and "".join(text.split()).isalpha():  # \mathrm{arg~min}: words
                words = self._roman_words(" ".join(text.split()))
                return words[0] if len(words) == 1 else Item("value", " ".join(w.words for w in words), simple=False)
            if text.isalpha():
                name = self.w.get(f"fn:{text}")
                if text in BOUNDED:
                    return Item("bigop", self.w[f"fn:{text}"], letter=text, article=True)
                if name is not None:
                    return Item("func", name, letter=text)
                spoken_word = " ".join(text) if text.isupper() and len(text) <= 4 else text
                return Item("value", spoken_word, simple=True, letter=text, callable=True, function=True)
            return Item("value", " ".join(self.identifier(c, variant).words for c in text), simple=False)
        named = name_character(text, variant, self.w)
        plain = named.letter
        function = plain in FUNCTION_LETTERS or named.styled or (
            bool(plain) and not ("a" <= plain <= "z") and plain != "π")
        return Item("value", named.words, simple=True, letter=plain, callable=bool(plain), function=function,
                    differential=plain == "d" or text == "ⅆ", vector=named.bold or text == "∇")

    def _function_wrapper(self, element: Element) -> Item | None:
        """Pandoc writes ``\\sin`` as ``<mrow><mi>sin</mi><mo>&#x2061;</mo></mrow>``."""
        kids = list(element)
        if len(kids) != 2 or _tag(kids[0]) != "mi" or _tag(kids[1]) != "mo" or (kids[1].text or "") != "\u2061":
            return None
        name = _token(kids[0])
        if name in BOUNDED:
            return Item("bigop", self.w[f"fn:{name}"], letter=name, article=True)
        known = self.w.get(f"fn:{name}")
        if name == "mod":
            return Item("op", char="mod")
        if known is not None:
            return Item("func", known, letter=name, article=self.w.has_article(known))
        return Item("func", " ".join(spell(name, self.w).split()), letter=name)

    # Fractions, roots, scripts ----------------------------------------------------------------

    def fraction(self, element: Element) -> Item:
        numerator, denominator = _child(element, 0), _child(element, 1)
        if element.get("linethickness", "").strip() in ("0", "0pt", "0em", "0px", "0.0em"):
            top, bottom = self.phrase(numerator), self.phrase(denominator)
            return Item("value", self.w.say("choose", top.words, bottom.words), binomial=True)
        derivative = self.derivative(numerator, denominator)
        if derivative is not None:
            return derivative
        top, bottom = self.phrase(numerator), self.phrase(denominator)
        if top.simple and bottom.simple:
            return Item("value", self.w.say("over", top.words, bottom.words), fraction=True)
        words = f"{self.w.say('fraction', top.words, bottom.words)}, {self.w['end fraction']},"
        return Item("value", words, fraction=True, article=True)

    def derivative(self, numerator: Element | None, denominator: Element | None) -> Item | None:
        """``\\frac{d}{dx}``, ``\\frac{df}{dt}``, ``\\frac{\\partial^2 u}{\\partial x^2}``."""
        top = _flat(numerator)
        bottom = _flat(denominator)
        if not top or not bottom:
            return None
        head, order = _operator_and_order(top[0])
        if head is None:
            return None
        variables: list[str] = []
        index = 0
        while index < len(bottom):
            mark, _ = _operator_and_order(bottom[index])
            if mark != head or index + 1 >= len(bottom):
                return None
            variable = bottom[index + 1]
            powered = _child(variable, 0) if _tag(variable) == "msup" else None
            variables.append(self.phrase(powered if powered is not None else variable).words)
            index += 2
        if not variables:
            return None
        partial = head == "∂"
        if order in ("", "1"):
            name = self.w["partial derivative" if partial else "derivative"]
        else:
            ordinal = self.w.get(f"ord:{order}") or self.w.say("nth", order)
            name = self.w.say("order partial derivative" if partial else "order derivative", ordinal)
        respect = variables[0] if len(variables) == 1 else self.w.say(
            "and", ", ".join(variables[:-1]), variables[-1])
        rest = top[1:]
        if not rest:
            return Item("func", self.w.say("derivative operator", name, respect), article=True, function=True)
        body = self.row(rest)
        return Item("value", self.w.say("derivative of", name, body.words, respect), article=True)

    def root(self, element: Element) -> Item:
        radicand = self.phrase(_child(element, 0), brief=True)
        index_element = _child(element, 1)
        index = _token(index_element) if index_element is not None and _tag(index_element) == "mn" else ""
        if index == "2":
            return self._rooted(self.w.say("square root", radicand.words), radicand)
        if index == "3":
            return self._rooted(self.w.say("cube root", radicand.words), radicand)
        ordinal = self.w.get(f"ord:{index}") if index else None
        if ordinal is None:
            ordinal = self.w.say("nth", self.phrase(index_element, brief=True).words)
        return self._rooted(self.w.say("root", radicand.words, ordinal), radicand)

    def _rooted(self, words: str, radicand: Phrase) -> Item:
        if not radicand.simple:
            words = f"{words}, {self.w['end root']},"
        return Item("value", words, article=True)

    def script(self, element: Element) -> Item:
        tag = _tag(element)
        base = _child(element, 0)
        under = _child(element, 1) if tag in ("msub", "msubsup", "munder", "munderover") else None
        over = None
        if tag in ("msup", "mover"):
            over = _child(element, 1)
        elif tag in ("msubsup", "munderover"):
            over = _child(element, 2)
        if base is None:
            return Item("value", "")
        base_text = _token(base) if _tag(base) in ("mo", "mi") else ""
        # A script on a fence belongs to the whole group it closes: (x, y)^2, \|x\|_2^2.
        if base_text and (base_text in CLOSE or base_text in BARS or base_text in DOUBLE_BARS):
            return Item("op", char=base_text, scripts=(under, over))
        if tag == "mover" and over is not None and _accent(over, ACCENTS_OVER):
            return self.accented(base, ACCENTS_OVER[_accent(over, ACCENTS_OVER)])
        if tag == "munder" and under is not None and _accent(under, ACCENTS_UNDER):
            return self.accented(base, "underline")
        bigop = self.bounded(base, under, over)
        if bigop is not None:
            return bigop
        function = self._function_base(base)
        if function is not None:
            return self.function_scripts(function, under, over)
        base_item = self.phrase_item(base)
        words, simple = base_item.words, base_item.simple
        if _tag(base) == "mrow" and _evaluated(base) and under is not None and over is not None:
            inner = self.row(list(base)[:-1])
            return Item("value", self.w.say("evaluated", inner.words, self.phrase(under, brief=True).words,
                                            self.phrase(over, brief=True).words))
        if tag in ("munder", "mover", "munderover"):
            if under is not None:
                words, simple = self.w.say("below", words, self.phrase(under, brief=True).words), False
            if over is not None:
                words, simple = self.w.say("above", words, self.phrase(over, brief=True).words), False
            return Item("value", words, simple=simple)
        if under is not None:
            words, simple = self.subscript(words, under), False
            if over is not None and not self.phrase(under, brief=True).simple:
                words += ","
        open_power = False
        if over is not None:
            before = words
            words, simple = self.superscript(words, over, base_item, simple)
            exponent = self.phrase(over, brief=True)
            # "x to the power n" says nowhere where the exponent ends: a pause does, when a factor follows.
            open_power = exponent.simple and words == self.w.say("power", before, exponent.words)
        power = over is not None and _token(over) not in ("′", "'", "″", "‴", "∗", "*", "⋆", "†")
        return replace(base_item, kind="value", words=words, simple=simple, fraction=False, article=False,
                       differential=False, number="", scripted=True, open_power=open_power,
                       callable=base_item.callable and not power, function=base_item.function and not power)

    def phrase_item(self, element: Element) -> Item:
        """An element as one value item, keeping what its single item knows (its letter)."""
        found = self.items([element], script=False)
        if len(found) == 1 and found[0].kind == "value":
            return found[0]
        spoken_phrase = self.phrase(element)
        return Item("value", spoken_phrase.words, simple=spoken_phrase.simple)

    def subscript(self, words: str, under: Element) -> str:
        sub = self.phrase(under, brief=True)
        spoken_sub = self.w.say("sub", words, sub.words)
        return spoken_sub if sub.simple else f"{spoken_sub}, {self.w['end sub']},"

    def superscript(self, words: str, over: Element, base: Item, simple: bool) -> tuple[str, bool]:
        text = _token(over) if _tag(over) in ("mi", "mo", "mn") else ""
        primes = {"′": "prime", "'": "prime", "″": "double prime", "‴": "triple prime"}
        if text in primes:
            return self.w.say(primes[text], words), simple
        if _tag(over) == "mrow" and all(_token(c) in ("′", "'") for c in over) and len(over) in (2, 3):
            return self.w.say("double prime" if len(over) == 2 else "triple prime", words), simple
        if text in ("⊤", "T", "⊺"):
            return self.w.say("transpose", words), simple
        if text in ("∗", "*", "⋆", "★"):
            return self.w.say("star", words), simple
        if text == "†":
            return self.w.say("dagger", words), simple
        if text in ("∘", "°", "○"):
            return self.w.say("degrees", words), False
        if text in ("+", "−", "-"):
            return f"{words} {self.w['sym:' + text]}", False
        if base.letter and base.letter in SETS and base.words.startswith(self.w[f"set:{SETS[base.letter]}"]):
            words = base.letter
            sup = self.phrase(over, brief=True)
            if sup.words in ("2", "3"):
                return self.w.say("squared" if sup.words == "2" else "cubed", words), False
            spoken_sup = self.w.say("set power", words, sup.words)
            return (spoken_sup if sup.simple else f"{spoken_sup}, {self.w['end power']},"), False
        if text == "2":
            return self.w.say("squared", words), False
        if text == "3":
            return self.w.say("cubed", words), False
        inner = _parenthesised(over)
        if inner is not None:
            index = self.row(inner, brief=True)
            spoken_index = self.w.say("superscript", words, index.words)
            return (spoken_index if index.simple else f"{spoken_index}, {self.w['end superscript']},"), False
        sup = self.phrase(over, brief=True)
        spoken_power = self.w.say("power", words, sup.words)
        return (spoken_power if sup.simple else f"{spoken_power}, {self.w['end power']},"), False

    def accented(self, base: Element, accent: str) -> Item:
        inner = self.phrase_item(base)
        return replace(inner, kind="value", words=self.w.say(accent, inner.words),
                       function=inner.function and accent != "vector", vector=inner.vector or accent == "vector")

    def bounded(self, base: Element, under: Element | None, over: Element | None) -> Item | None:
        """A sum, an integral, a limit or a maximum with its bounds."""
        text = _token(base) if _tag(base) in ("mo", "mi") else ""
        word = _roman_word(base)
        wrapper = self._function_wrapper(base) if _tag(base) == "mrow" else None
        if wrapper is not None and wrapper.kind == "bigop":
            word = wrapper.letter
        expectation = False
        if text in LARGE:
            name = self.w[f"fn:{text}"]
        elif word in BOUNDED:
            name = self.w[f"fn:{word}"]
        elif _tag(base) in ("mi", "mtext") and len(text or _token(base)) > 1 and _token(base).isalpha() \
                and over is None and self.w.get(f"fn:{_token(base)}") is None:
            name = _token(base)  # \text{Minimize}_{x \in M}: a word with what it ranges over
        elif text in ("𝔼", "E") and under is not None and over is None and \
                (text == "𝔼" or base.get("mathvariant") == "double-struck"):
            name, expectation = self.w["fn:E"], True
        else:
            return None
        approach = word == "lim" or word in ("limsup", "liminf")
        low = self.phrase(under, brief=True, approach=approach).words if under is not None else ""
        high = self.phrase(over, brief=True).words if over is not None else ""
        if low and high:
            words = self.w.say("from to", name, low, high)
        elif low:
            words = self.w.say("as bound" if approach else "over bound", name, low)
        elif high:
            words = self.w.say("to bound", name, high)
        else:
            words = name
        return Item("bigop", words, char=text, integral=text in INTEGRALS, article=True, bounded=expectation)

    def _function_base(self, base: Element) -> Item | None:
        if _tag(base) == "mrow":
            wrapper = self._function_wrapper(base)
            return wrapper if wrapper is not None and wrapper.kind == "func" else None
        if _tag(base) == "mi":
            text = _token(base)
            name = self.w.get(f"fn:{text}")
            if len(text) > 1 and name is not None and text not in BOUNDED:
                return Item("func", name, letter=text)
        return None

    def function_scripts(self, function: Item, under: Element | None, over: Element | None) -> Item:
        words = function.words
        if under is not None:
            words = self.w.say("base", words, self.phrase(under, brief=True).words)
        if over is not None:
            text = "".join(_token(c) for c in over.iter() if _tag(c) in ("mi", "mn", "mo"))
            if text in ("−1", "-1"):
                words = self.w.say("inverse", words)
            else:
                words, _ = self.superscript(words, over, Item("value", words), False)
        return replace(function, words=words)

    def multiscripts(self, element: Element) -> Item:
        kids = [c for c in element]
        base = self.phrase(_child(element, 0))
        words = base.words
        post = kids[1:]
        if any(_tag(c) == "mprescripts" for c in post):
            post = post[:[_tag(c) for c in post].index("mprescripts")]
        for index in range(0, len(post) - 1, 2):
            sub, sup = post[index], post[index + 1]
            if _tag(sub) != "none":
                words = self.subscript(words, sub)
            if _tag(sup) != "none":
                words, _ = self.superscript(words, sup, Item("value", words), False)
        return Item("value", words)

    def fenced(self, element: Element) -> Item:
        opening = element.get("open", "(")
        closing = element.get("close", ")")
        separators = (element.get("separators", ",").strip() or ",")
        inner: list[Item] = []
        for index, child in enumerate(element):
            if index:
                inner.append(Item("op", char=separators[min(index - 1, len(separators) - 1)]))
            inner.extend(self.items([child]))
        return Item("group", char=opening.strip(), close=closing.strip(), inner=self.group(inner))

    # Grouping fences --------------------------------------------------------------------------

    def group(self, items: list[Item]) -> list[Item]:
        """Fences to groups. Pandoc leaves parentheses flat in their row, and writes ``|`` the same
        way whether it opens, closes or divides; a bar opens when another closes it before the
        enclosing group ends, and is "given" or "such that" otherwise."""
        stack: list[tuple[Item | None, list[Item]]] = [(None, [])]
        for index, item in enumerate(items):
            if item.kind != "op":
                stack[-1][1].append(item)
                continue
            char = item.char
            if char in OPEN:
                stack.append((item, []))
            elif char in CLOSE:
                if len(stack) > 1 and (stack[-1][0] is None or stack[-1][0].char in OPEN):
                    opener, inner = stack.pop()
                    stack[-1][1].append(self._grouped(opener, inner, item))
                else:
                    stack[-1][1].append(item)
            elif char in BARS or char in DOUBLE_BARS:
                family = BARS if char in BARS else DOUBLE_BARS
                opener = stack[-1][0]
                if opener is not None and opener.char in family and stack[-1][1]:
                    _, inner = stack.pop()
                    stack[-1][1].append(self._grouped(opener, inner, item))
                elif item.words != "infix" and _bar_closes_later(items, index, family):
                    stack.append((item, []))
                else:
                    stack[-1][1].append(replace(item, words="infix"))
            else:
                stack[-1][1].append(item)
        while len(stack) > 1:
            opener, inner = stack.pop()
            assert opener is not None
            if any(i.kind == "table" for i in inner):
                stack[-1][1].append(Item("group", char=opener.char, close="", inner=inner))
            else:
                stack[-1][1].extend([opener, *inner])
        return stack[0][1]

    @staticmethod
    def _grouped(opener: Item | None, inner: list[Item], closer: Item) -> Item:
        char = opener.char if opener is not None else ""
        return Item("group", char=char, close=closer.char, inner=inner, scripts=closer.scripts)

    def merge_dots(self, items: list[Item]) -> list[Item]:
        """An ellipsis typed as full stops, ``x_1, ..., x_n``."""
        out: list[Item] = []
        index = 0
        while index < len(items):
            dots = index
            while dots < len(items) and items[dots].kind == "op" and items[dots].char == ".":
                dots += 1
            if dots - index >= 2:
                out.append(Item("value", self.w["sym:…"], simple=True))
                index = dots
            else:
                out.append(items[index])
                index += 1
        return out

    def merge_numbers(self, items: list[Item]) -> list[Item]:
        """1,000 is one number when the comma is a thousands separator (1 to 3 digits, then groups
        of 3); inside parentheses or brackets a comma separates, so it is left alone there."""
        out: list[Item] = []
        index = 0
        while index < len(items):
            item = items[index]
            if item.number and re.fullmatch(r"[1-9][0-9]{0,2}", item.number):
                digits = item.number
                end = index + 1
                while end + 1 < len(items) and items[end].kind == "op" and items[end].char == "," \
                        and re.fullmatch(r"[0-9]{3}", items[end + 1].number):
                    digits += "," + items[end + 1].number
                    end += 2
                if end > index + 1:
                    out.append(Item("value", digits, simple=True, number=digits))
                    index = end
                    continue
            out.append(item)
            index += 1
        return out

    # Items to words ---------------------------------------------------------------------------

    def speak(self, items: list[Item], *, brief: bool = False, approach: bool = False, inside: str = "",
              membership: bool = False) -> Phrase:
        """``brief``: a script, where "∈" is "in" and "," is "comma"; ``membership``: where "∈"
        is "in" too (the left of a set builder, after "for all"); ``approach``: a limit's bound."""
        units = self.units(items, brief=brief, approach=approach, inside=inside, membership=membership)
        return self.join(units)

    def units(self, items: list[Item], *, brief: bool, approach: bool, inside: str,
              membership: bool) -> list[Unit]:
        units: list[Unit] = []
        negative = False
        index = 0
        while index < len(items):
            item = items[index]
            following = items[index + 1] if index + 1 < len(items) else None
            made: Unit | None = None
            if item.kind == "pause":
                units.append(Unit(",", "pause"))
                index += 1
                continue
            if item.kind == "op":
                if item.char in ("−", "-", "±", "∓", "+") and _is_prefix_position(units) and index + 1 < len(items):
                    if item.char in ("−", "-"):
                        negative = True
                    else:
                        units.append(Unit(self.w[f"sym:{item.char}"], "prefix"))
                    index += 1
                    continue
                units.append(self.operator(items, index, brief=brief, approach=approach, inside=inside,
                                           membership=membership, previous=units[-1] if units else None))
                if item.char in ("∀", "∃"):
                    membership = True
                index += 1
                continue
            if item.kind == "func":
                made, index = self.apply_function(items, index)
            elif item.kind == "bigop":
                made, index = self.apply_bigop(items, index)
            elif item.kind == "group" and following is not None and following.kind == "group" \
                    and following.char == "(" and any(i.kind == "op" and i.char == "∘" for i in item.inner):
                # (K ∘ f)(X): a composed function applied to its argument.
                words = self.w.say("of", self.group_unit(item).words, self.argument(following))
                made = Unit(words, "value", application=True)
                index += 2
            elif item.kind == "group":
                after_in = bool(units) and units[-1].kind == "relation" and units[-1].words in (
                    self.w["sym:∈"], self.w["in"], self.w["sym:∉"])
                made = self.group_unit(item, after_in=after_in)
                index += 1
            elif item.kind == "table":
                made = Unit(self.table(item.table), "value")
                index += 1
            elif following is not None and following.kind == "group" and self._applies(item, following):
                made = self.application(item, following)
                index += 2
            else:
                made = Unit(item.words, "value", simple=item.simple, fraction=item.fraction or item.binomial,
                            article=item.article, vector=item.vector, open_power=item.open_power,
                            prose=item.prose)
                index += 1
            if negative:
                made = replace(made, words=self.w.say("negative", made.words))
                negative = False
            units.append(made)
        if negative:
            units.append(Unit(self.w["sym:−"], "op"))
        return units

    def join(self, units: list[Unit]) -> Phrase:
        parts: list[str] = []
        previous: Unit | None = None
        for unit in units:
            if not unit.words:
                continue
            if unit.kind == "value":
                if previous is not None and previous.open_power and parts and not parts[-1].endswith(","):
                    parts[-1] += ","
                if previous is not None and previous.kind in ("value", "postfix") and not unit.prose and (
                        previous.application or previous.fraction or previous.paren or unit.paren
                        or unit.article):
                    parts.append(self.w["times"])
            if unit.kind == "relation" and previous is not None and previous.large and parts \
                    and not parts[-1].endswith(","):
                parts[-1] += ","
            if unit.kind == "pause":
                if parts and not parts[-1].endswith((",", ";", ":")):
                    parts[-1] += unit.words
            else:
                parts.append(unit.words)
            previous = unit
        words = " ".join(parts)
        simple = len(units) == 1 and units[0].kind == "value" and units[0].simple
        return Phrase(words, simple)

    def operator(self, items: list[Item], index: int, *, brief: bool, approach: bool, inside: str,
                 membership: bool, previous: Unit | None) -> Unit:
        char = items[index].char
        following = items[index + 1] if index + 1 < len(items) else None
        if char in (",", ";"):
            # In a subscript a comma separates indices: "a sub i comma j".
            return Unit(self.w["comma"], "op") if brief else Unit(",", "pause")
        if char == ".":
            return Unit("", "pause")
        if items[index].words == "infix" or char == "∣":
            if inside == "{":
                return Unit(self.w["such that"], "relation")
            if inside in ("(", "["):
                return Unit(self.w["given"], "relation")
            return Unit(self.w["sym:∣"] if char == "∣" else self.w["given"], "relation")
        if char == ":":
            if brief:
                return Unit(self.w["range to"], "op")  # x_{1:d}
            if any(i.kind == "op" and i.char in ("→", "⟶") for i in items[index + 1:]):
                return Unit(f", {self.w['from']}", "relation")
            if inside == "{":
                return Unit(self.w["such that"], "relation")
            return Unit(self.w["sym::"], "relation")
        if char in ("→", "⟶") and approach:
            return Unit(self.w["approaches"], "relation")
        if char in ("→", "⟶") and any(i.kind == "op" and i.char == ":" for i in items[:index]):
            return Unit(f", {self.w['sym:→']}", "relation")  # f: A → B, "f, from A, to B"
        beside_vector = (previous is not None and previous.vector) or (following is not None and following.vector)
        if char in ("⋅", "·", "∙") and beside_vector:
            return Unit(self.w["dot product"], "op")
        if char == "×" and beside_vector:
            return Unit(self.w["cross product"], "op")
        if char == "∈" and (brief or membership):
            return Unit(self.w["in"], "relation")
        if char == "'":
            return Unit(self.w["sym:′"], "postfix")
        if char in CLOSE or char in OPEN:
            return Unit(self._fence_word(char), "op")
        word = self.w.get(f"sym:{char}")
        if word is None:
            word = " ".join(spell(char, self.w).split())
        kind = "relation" if char in RELATIONS else "postfix" if char in POSTFIX else \
            "prefix" if char in PREFIX else "op"
        return Unit(word, kind)

    def _fence_word(self, char: str) -> str:
        names = {"(": "open paren", ")": "close paren", "[": "open bracket", "]": "close bracket",
                 "{": "open brace", "}": "close brace", "⟨": "open angle", "⟩": "close angle",
                 "〈": "open angle", "〉": "close angle"}
        key = names.get(char)
        if key is not None:
            return self.w[key]
        return " ".join(spell(char, self.w).split())

    def apply_function(self, items: list[Item], index: int) -> tuple[Unit, int]:
        function = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        if following is not None and following.kind == "group" and following.char in "([" and following.close:
            argument = self.argument(following)
            return Unit(self.w.say("of", function.words, argument), "value", application=True,
                        article=function.article), index + 2
        end = index + 1
        while end < len(items) and items[end].kind in ("value", "group", "table"):
            end += 1
        if end == index + 1:
            return Unit(function.words, "value", article=function.article), end
        body = self.speak(items[index + 1:end])
        return Unit(self.w.say("of", function.words, body.words), "value", application=True,
                    article=function.article), end

    def apply_bigop(self, items: list[Item], index: int) -> tuple[Unit, int]:
        bigop = items[index]
        end = index + 1
        while end < len(items):
            candidate = items[end]
            if candidate.kind == "pause" or (candidate.kind == "op" and (
                    candidate.char in RELATIONS or candidate.char in (",", ";"))):
                break
            if candidate.kind == "op" and candidate.char in SIGNS and end > index + 1 and not bigop.integral:
                break
            end += 1
        body = items[index + 1:end]
        differential: list[Item] = []
        if bigop.integral:
            body, differential, tail = _split_differential(body)
            if tail:
                # Terms after the differential are outside the integral: "... d x plus ...".
                end -= len(tail)
        if bigop.bounded and len(body) == 1 and body[0].kind == "group" and body[0].char == "[":
            words = self.w.say("of", bigop.words, self.argument(body[0]))
        elif body:
            words = self.w.say("of", bigop.words, self.speak(body).words)
        else:
            words = bigop.words
        if differential:
            words = f"{words}, {self.speak(differential).words}"
        return Unit(words, "value", article=True, large=True), end

    def _applies(self, item: Item, group: Item) -> bool:
        if group.char not in "([" or not group.close or group.close not in ")]" or item.kind != "value":
            return False
        if not item.callable or item.number:
            return False
        if not item.scripted and (item.letter, group.char) in (("E", "["), ("O", "(")):
            return True
        if group.char == "[" and not (item.letter in ("E", "W") or item.function or item.letter.isupper()):
            return False
        return item.function or not _has_operator(group.inner)

    def application(self, item: Item, group: Item) -> Unit:
        name = item.words
        if item.letter == "O" and group.char == "(" and not item.scripted:
            name = self.w["big O"]
        elif item.letter == "E" and group.char == "[" and not item.scripted:
            name = self.w["fn:E"]
        words = self.w.say("of", name, self.argument(group))
        return Unit(self._group_scripts(words, group, comma=True), "value", application=True)

    def argument(self, group: Item) -> str:
        inner = self.speak(group.inner, inside=group.char)
        if _has_operator(group.inner):
            opening = self._fence_word(group.char)
            closing = self._fence_word(group.close) if group.close else ""
            return f"{opening} {inner.words} {closing}".strip()
        return inner.words

    def _group_scripts(self, words: str, group: Item, *, comma: bool) -> str:
        under, over = group.scripts
        if under is None and over is None:
            return words
        spoken_words = words
        if under is not None:
            spoken_words = self.subscript(f"{spoken_words}," if comma else spoken_words, under)
        if over is not None:
            spoken_words, _ = self.superscript(f"{spoken_words}," if comma and under is None else spoken_words,
                                               over, Item("value", spoken_words), False)
        return spoken_words

    def group_unit(self, group: Item, *, after_in: bool = False) -> Unit:
        opening, closing = group.char, group.close
        inner_items = group.inner
        tables = [i for i in inner_items if i.kind == "table"]
        if len(inner_items) == 1 and tables and tables[0].table is not None:
            table = tables[0].table
            if opening == "{" and closing in ("", "."):
                return Unit(self.cases(table), "value")
            if opening in BARS:
                return Unit(self.matrix(table, determinant=True), "value", article=True)
            return Unit(self._group_scripts(self.matrix(table), group, comma=True), "value", article=True)
        if opening in "([" and len(inner_items) == 1 and inner_items[0].binomial:
            return Unit(self._group_scripts(inner_items[0].words, group, comma=True), "value", fraction=True)
        inner = self.speak(inner_items, inside=opening)
        end = not inner.simple
        if opening in BARS or opening in DOUBLE_BARS:
            key = "absolute value" if opening in BARS else "norm"
            under, over = group.scripts
            if key == "norm" and under is not None:
                words = self._norm_with_index(inner.words, under)
                group = replace(group, scripts=(None, over))
            else:
                words = self.w.say(key, inner.words)
            if end:
                words = f"{words}, {self.w['end ' + key]},"
            return Unit(self._group_scripts(words, group, comma=not end), "value", article=True)
        if opening in "⌊⌈":
            key = "floor" if opening == "⌊" else "ceiling"
            words = self.w.say(key, inner.words)
            if end:
                words = f"{words}, {self.w['end ' + key]},"
            return Unit(self._group_scripts(words, group, comma=not end), "value", article=True)
        if opening == "{" and closing == "}":
            return Unit(self._group_scripts(self.set_words(inner_items), group, comma=True), "value",
                        article=True)
        interval = self.interval(group, after_in)
        if interval is not None:
            return Unit(interval, "value", article=True)
        opening_word = self._fence_word(opening) if opening else ""
        closing_word = self._fence_word(closing) if closing else ""
        words = " ".join(w for w in (opening_word, inner.words, closing_word) if w)
        return Unit(self._group_scripts(words, group, comma=False), "value", paren=True)

    def _norm_with_index(self, inner: str, under: Element) -> str:
        index = self.phrase(under, brief=True).words
        template = self.w["norm"]
        # "the norm of x" with its index: "the 2 norm of x".
        head, _, tail = template.partition("{0}")
        words = head.strip().split(" ")
        if len(words) >= 2:
            head = " ".join([*words[:1], index, *words[1:]]) + " "
        return f"{head}{inner}{tail}"

    def set_words(self, inner: list[Item]) -> str:
        for index, item in enumerate(inner):
            separator = item.kind == "op" and (item.words == "infix" or item.char in ("∣", ":")) and not (
                item.char == ":" and any(i.kind == "op" and i.char in ("→", "⟶") for i in inner[index + 1:]))
            if separator and 0 < index < len(inner) - 1:
                left = self.speak(inner[:index], membership=True, inside="{")
                right = self.speak(inner[index + 1:], inside="{")
                words = self.w.say("set builder", left.words, right.words)
                return f"{words}, {self.w['end set']},"
        members = self.speak(inner, inside="{")
        words = self.w.say("set", members.words)
        return words if members.simple else f"{words}, {self.w['end set']},"

    def interval(self, group: Item, after_in: bool) -> str | None:
        opening, closing = group.char, group.close
        if opening not in "([" or closing not in ")]" or not closing:
            return None
        commas = [i for i, item in enumerate(group.inner) if item.kind == "op" and item.char == ","]
        mismatched = (opening == "[") != (closing == "]")
        if len(commas) != 1 or not (after_in or mismatched):
            return None
        low = self.speak(group.inner[:commas[0]]).words
        high = self.speak(group.inner[commas[0] + 1:]).words
        if not low or not high:
            return None
        key = "closed interval" if opening == "[" and closing == "]" else \
            "open interval" if opening == "(" and closing == ")" else "half-open interval"
        return self.w.say(key, low, high)

    # Tables -----------------------------------------------------------------------------------

    def _rows(self, table: Element) -> list[list[str]]:
        rows: list[list[str]] = []
        for row in table:
            tag = _tag(row)
            if tag not in ("mtr", "mlabeledtr"):
                continue
            cells = [c for c in row if _tag(c) == "mtd"]
            if tag == "mlabeledtr":
                cells = cells[1:]
            rows.append([finish(self.row(list(cell)).words, self.w, keep_colon=True) for cell in cells])
        return rows

    def table(self, table: Element | None) -> str:
        """A table in a row: aligned equations and the like, read row by row."""
        return tables.aligned(self._rows(table)) if table is not None else ""

    def matrix(self, table: Element, *, determinant: bool = False) -> str:
        return tables.matrix(self._rows(table), self.w, determinant=determinant)

    def cases(self, table: Element) -> str:
        has_text = any(_tag(e) == "mtext" for e in table.iter())
        return tables.cases(self._rows(table), self.w, has_text=has_text)


def _accent(element: Element, table: dict[str, str]) -> str:
    text = _token(element) if _tag(element) in ("mo", "mi", "mtext") else ""
    return text if text in table else ""


def _roman_word(element: Element) -> str:
    """The word an mrow of roman letters spells: ``arg\\,min`` is "argmin"."""
    if _tag(element) == "mi":
        return "".join(_token(element).split())  # "arg min", its space a no-break one (\mathrm{arg~min})
    if _tag(element) != "mrow":
        return ""
    letters: list[str] = []
    for child in element:
        if _tag(child) == "mspace":
            continue
        if _tag(child) != "mi" or child.get("mathvariant") != "normal":
            return ""
        letters.append(_token(child))
    return "".join(letters)


def _flat(element: Element | None) -> list[Element]:
    if element is None:
        return []
    if _tag(element) == "mrow":
        out: list[Element] = []
        for child in element:
            out.extend(_flat(child) if _tag(child) == "mrow" else [child])
        return [c for c in out if _tag(c) != "mspace"]
    return [element]


def _operator_and_order(element: Element) -> tuple[str | None, str]:
    """"d" or "∂" at the head of a derivative, with the order its exponent gives."""
    order = ""
    if _tag(element) == "msup":
        exponent = _child(element, 1)
        base = _child(element, 0)
        if base is None or exponent is None:
            return None, ""
        order = _token(exponent) if _tag(exponent) in ("mn", "mi") else ""
        if not order:
            return None, ""
        element = base
    if _tag(element) != "mi":
        return None, ""
    text = _token(element)
    if text in ("d", "ⅆ"):
        return "d", order
    if text == "∂":
        return "∂", order
    return None, ""


def _parenthesised(element: Element) -> list[Element] | None:
    """The inside of a superscript written in parentheses, ``x^{(k)}``."""
    kids = list(element) if _tag(element) == "mrow" else []
    if len(kids) >= 3 and _token(kids[0]) == "(" and _token(kids[-1]) == ")" and _tag(kids[0]) == "mo":
        return kids[1:-1]
    return None


def _evaluated(element: Element) -> bool:
    kids = list(element)
    return bool(kids) and _tag(kids[-1]) == "mo" and _token(kids[-1]) in BARS and not any(
        _token(k) in BARS for k in kids[:-1] if _tag(k) == "mo")


def _bar_closes_later(items: list[Item], index: int, family: str) -> bool:
    depth = 0
    for item in items[index + 1:]:
        if item.kind != "op":
            continue
        if item.char in OPEN:
            depth += 1
        elif item.char in CLOSE:
            if depth == 0:
                return False
            depth -= 1
        elif item.char in family and depth == 0:
            return True
    return False


def _has_operator(items: list[Item]) -> bool:
    """Whether an argument needs its parentheses said: a sum or a relation inside."""
    for index, item in enumerate(items):
        if item.kind == "op" and (item.char in BINARY or item.char in RELATIONS):
            if index == 0 and item.char in SIGNS:
                continue
            if index > 0 and items[index - 1].kind == "op" and item.char in SIGNS:
                continue
            return True
    return False


def _is_prefix_position(units: list[Unit]) -> bool:
    return not units or units[-1].kind in ("op", "relation", "prefix", "pause")


def _split_differential(body: list[Item]) -> tuple[list[Item], list[Item], list[Item]]:
    """An integral's body, its differentials ("d x", "d y") and what follows them."""
    for start in range(len(body) - 1):
        if body[start].differential and body[start + 1].kind == "value":
            end = start
            while end + 1 < len(body) and body[end].differential and body[end + 1].kind == "value":
                end += 2
            differential = body[start:end]
            before, after = body[:start], body[end:]
            if not before:
                # "\int dx f(x)" is read as people say it: the integrand, then the differential.
                stop = next((k for k, i in enumerate(after) if i.kind == "op" and i.char in SIGNS), len(after))
                return after[:stop], differential, after[stop:]
            return before, differential, after
    return body, [], []
