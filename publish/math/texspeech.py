"""TeX read aloud without a parser of TeX: the fallback for a formula Pandoc could not convert
(it is shown as code, with a warning), so its alt text and audio still say something useful.

It names Greek letters and symbols, reads ``\\frac``, ``^`` and ``_`` simply, says an unknown
command by its name ("undefinedmacro of x"), and never says "backslash" or "brace". It must not
fail on any text: unbalanced braces, stray commands and deep nesting are all read somehow.
"""

from __future__ import annotations

import re
import unicodedata

from publish.math.characters import finish
from publish.math.words import Words

# Commands that stand for a character the word tables name.
SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡",
    "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫", "in": "∈", "notin": "∉",
    "ni": "∋", "subset": "⊂", "supset": "⊃", "subseteq": "⊆", "supseteq": "⊇", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "gets": "←", "mapsto": "↦", "Rightarrow": "⇒", "implies": "⇒", "Leftarrow": "⇐",
    "Leftrightarrow": "⇔", "iff": "⇔", "leftrightarrow": "↔", "longrightarrow": "→", "perp": "⊥",
    "parallel": "∥", "mid": "∣", "pm": "±", "mp": "∓", "times": "×", "cdot": "⋅", "ast": "∗", "star": "⋆",
    "circ": "∘", "div": "÷", "otimes": "⊗", "oplus": "⊕", "cup": "∪", "cap": "∩", "setminus": "∖",
    "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬", "forall": "∀",
    "exists": "∃", "infty": "∞", "partial": "∂", "nabla": "∇", "emptyset": "∅", "varnothing": "∅",
    "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "prime": "′", "hbar": "ℏ",
    "ell": "ℓ", "dagger": "†", "top": "⊤", "sum": "∑", "prod": "∏", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "angle": "∠", "aleph": "ℵ", "colon": ":", "vert": "|",
    "lvert": "|", "rvert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖", "langle": "⟨", "rangle": "⟩",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "degree": "°", "lt": "<", "gt": ">",
}
FUNCTIONS = frozenset({
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "coth",
    "log", "ln", "lg", "exp", "det", "dim", "ker", "deg", "gcd", "lim", "limsup", "liminf", "max", "min",
    "sup", "inf", "Pr", "arg",
})
STYLES = {"mathbf": "bold", "boldsymbol": "bold", "bm": "bold", "mathcal": "script", "mathscr": "script",
          "mathfrak": "fraktur"}
TEXTS = frozenset({"text", "textrm", "textit", "textbf", "mathrm", "mathit", "mathsf", "mathtt", "operatorname",
                   "mbox", "textsf", "texttt", "textnormal", "mathnormal"})
ACCENTS = {"bar": "bar", "overline": "bar", "hat": "hat", "widehat": "hat", "tilde": "tilde",
           "widetilde": "tilde", "dot": "dot", "ddot": "double dot", "vec": "vector", "check": "check",
           "breve": "breve", "underline": "underline"}
# Commands that only place, size or space things: nothing to say.
SILENT = frozenset({
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
    "middle", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "nonumber", "notag",
    "quad", "qquad", "hfill", "centering", "noindent", "phantom", "hphantom", "vphantom", "relax",
    "mathop", "mathrel", "mathbin", "mathord", "it", "cal", "hline",
})
# Old switches: {\bf w} is bold to the end of its group, {\rm arg~min} roman text.
SWITCHES = {"bf": "bold", "boldmath": "bold"}
ROMAN_SWITCHES = frozenset({"rm", "textrm", "operatorname*"})
DROPPED_WITH_ARGUMENT = frozenset({"label", "tag", "color", "textcolor", "hspace", "vspace", "ref", "eqref"})
MAX_DEPTH = 40
_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|%[^\n]*|\d+(?:[.,]\d+)*|\s+|.", re.S)


def read_tex(tex: str, words: Words) -> str:
    tokens = [t for t in _TOKEN.findall(tex) if not t.startswith("%")]
    reader = _TexReader(tokens, words)
    try:
        return finish(" ".join(reader.sequence(0, stop=None)), words)
    except RecursionError:
        # Groups or scripts nested hundreds deep: read token by token, without the structure.
        return finish(" ".join(reader.flat()), words)


class _TexReader:
    def __init__(self, tokens: list[str], words: Words) -> None:
        self.tokens = tokens
        self.position = 0
        self.w = words

    def flat(self) -> list[str]:
        out: list[str] = []
        for token in self.tokens:
            if token.startswith("\\") and token[1:2].isalpha():
                name = token[1:].rstrip("*")
                out.append(self.character(SYMBOLS[name]) if name in SYMBOLS else self.w.get(f"fn:{name}") or "")
            elif token[0].isdigit():
                out.append(token)
            elif token not in "{}^_&" and not token.isspace():
                out.append(self.character(token))
        return out

    def sequence(self, depth: int, stop: str | None, *, consume: bool = True) -> list[str]:
        out: list[str] = []
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            if stop is not None and token == stop:
                self.position += 1 if consume else 0
                return out
            if token == "}" and stop is None:
                self.position += 1  # an unbalanced closing brace: skipped
                continue
            out.extend(self.one(depth, out))
        return out

    def argument(self, depth: int) -> list[str]:
        """One argument: a braced group or a single token, spaces before it skipped."""
        while self.position < len(self.tokens) and self.tokens[self.position].isspace():
            self.position += 1
        if self.position >= len(self.tokens):
            return []
        if self.tokens[self.position] == "{":
            self.position += 1
            if depth >= MAX_DEPTH:
                return self.sequence(depth, stop="}")
            return self.sequence(depth + 1, stop="}")
        return self.one(depth, [])

    def optional(self, depth: int) -> list[str]:
        if self.position < len(self.tokens) and self.tokens[self.position] == "[":
            self.position += 1
            return self.sequence(min(depth + 1, MAX_DEPTH), stop="]")
        return []

    def one(self, depth: int, before: list[str]) -> list[str]:
        token = self.tokens[self.position]
        self.position += 1
        if token.isspace():
            return []
        if token == "{":
            return self.sequence(min(depth + 1, MAX_DEPTH), stop="}")
        if token in ("^", "_"):
            return self.script(token, depth, before)
        if token == "&":
            return [","]
        if token.startswith("\\"):
            return self.command(token[1:].rstrip("*"), depth)
        if token[0].isdigit():
            return [token]
        if token in ("-", "−") and (not before or before[-1] in self._operator_words()):
            following = self.one(depth, before) if self.position < len(self.tokens) else []
            return [self.w.say("negative", " ".join(following))] if following else [self.w["sym:-"]]
        return [self.character(token)]

    def _operator_words(self) -> set[str]:
        return {self.w[f"sym:{c}"] for c in "=<>+−×⋅≤≥≠∈→"} | {",", ";"}

    def character(self, char: str) -> str:
        if "a" <= char.lower() <= "z":
            return char
        if char in "([":
            return self.w["open paren" if char == "(" else "open bracket"]
        if char in ")]":
            return self.w["close paren" if char == ")" else "close bracket"]
        if char == "|":
            return self.w["vertical bar"]
        if char == "'":
            return self.w["sym:′"]
        if char in ("~", "$", "#", "."):
            return ""
        if char in ",;":
            return ","  # a space, a delimiter, or the full stop after \right
        greek = self.w.get(f"greek:{char.lower()}")
        if greek is not None:
            return self.w.say("capital", greek[:1].upper() + greek[1:]) if char.lower() != char else greek
        word = self.w.get(f"sym:{char}")
        if word is not None:
            return word
        if char.isalnum():
            return char
        name = unicodedata.name(char, "")
        return name.lower() if name and not unicodedata.category(char).startswith("C") else ""

    def script(self, mark: str, depth: int, before: list[str]) -> list[str]:
        argument = [w for w in self.argument(depth) if w]
        text = " ".join(argument)
        base = before.pop() if before else ""
        single = len(argument) == 1 and len(text.split()) <= 2
        if mark == "_":
            said = self.w.say("sub", base, text)
            return [said if single else f"{said}, {self.w['end sub']},"]
        if text == "2":
            return [self.w.say("squared", base)]
        if text == "3":
            return [self.w.say("cubed", base)]
        if text in (self.w["sym:′"], self.w["sym:⊤"], "T"):
            return [self.w.say("prime" if text == self.w["sym:′"] else "transpose", base)]
        said = self.w.say("power", base, text)
        return [said if single else f"{said}, {self.w['end power']},"]

    def command(self, name: str, depth: int) -> list[str]:
        if not name or not name[0].isalpha():
            return self.escaped(name)
        if name in SILENT:
            return []
        if name in SWITCHES:
            rest = " ".join(self.sequence(depth, stop="}", consume=False))
            return [self.w.say(SWITCHES[name], rest)] if rest else []
        if name == "rm":
            return [self.text(self.raw_rest())]
        if name in DROPPED_WITH_ARGUMENT:
            self.argument(depth)
            return []
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            top = " ".join(self.argument(depth))
            bottom = " ".join(self.argument(depth))
            if not top or not bottom:
                return [top or bottom]
            if len(top.split()) <= 1 and len(bottom.split()) <= 1:
                return [self.w.say("over", top, bottom)]
            return [f"{self.w.say('fraction', top, bottom)}, {self.w['end fraction']},"]
        if name in ("binom", "dbinom", "tbinom"):
            top = " ".join(self.argument(depth))
            return [self.w.say("choose", top, " ".join(self.argument(depth)))]
        if name == "sqrt":
            index = " ".join(self.optional(depth))
            radicand = " ".join(self.argument(depth))
            if index in ("", "2"):
                said = self.w.say("square root", radicand)
            elif index == "3":
                said = self.w.say("cube root", radicand)
            else:
                said = self.w.say("root", radicand, self.w.get(f"ord:{index}") or self.w.say("nth", index))
            return [said if len(radicand.split()) <= 1 else f"{said}, {self.w['end root']},"]
        if name in ("begin", "end"):
            environment = "".join(self.raw_argument().split())
            if name == "begin" and environment.startswith(("array", "tabular")):
                self.raw_argument()  # the column specification, {l} or {c|c}
            if name == "begin" and environment.startswith("cases"):
                return [","]
            if name == "begin" and environment.endswith("matrix"):
                return [self.w.say("matrix", "", "").replace("  ", " ").strip()]
            return []
        if name == "cr":
            return [";"]
        if name in STYLES:
            inner = " ".join(self.argument(depth))
            return [self.w.say(STYLES[name], inner)] if inner else []
        if name == "mathbb":
            inner = " ".join(self.argument(depth))
            sets = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ"}
            return [self.w[f"set:{sets[inner]}"] if inner in sets else inner]
        if name in TEXTS:
            return [self.text(self.raw_argument())]
        if name in ACCENTS:
            inner = " ".join(self.argument(depth))
            return [self.w.say(ACCENTS[name], inner)] if inner else []
        if name in SYMBOLS:
            return [self.character(SYMBOLS[name])]
        if name in FUNCTIONS:
            return [self.w.get(f"fn:{name}") or name]
        # An unknown command (an undefined macro): its name, and "of" its argument if it has one.
        if self.position < len(self.tokens) and self.tokens[self.position] == "{":
            argument = " ".join(self.argument(depth))
            return [self.w.say("of", name, argument) if argument else name]
        return [name]

    def escaped(self, name: str) -> list[str]:
        """``\\,``, ``\\{``, ``\\\\`` and the like: spacing is silent, a row break is a pause."""
        if name == "\\":
            return [";"]
        if name in ("{", "}"):
            # \left\{ ... \right. opens cases; elsewhere \{ ... \} is a set.
            previous = self.tokens[self.position - 2] if self.position >= 2 else ""
            if previous in ("\\left", "\\right", "\\bigl", "\\bigr", "\\Bigl", "\\Bigr", "\\big", "\\Big"):
                return []
            return [self.w["open set" if name == "{" else "end set"]]
        if name == "|":
            return [self.w["double vertical bar"]]
        if name in (",", ";", ":", "!", " ", ">", "", "\n", "'", '"', "`", "^", "~"):
            return []
        if name in ("%", "&", "#", "_", "$"):
            return [self.w.get(f"sym:{name}") or ""] if name in ("%", "&", "#") else []
        return [self.character(name)]

    def raw_rest(self) -> str:
        """The text to the end of the current group, not consuming its closing brace."""
        parts: list[str] = []
        depth = 0
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            if token == "}" and depth == 0:
                break
            depth += {"{": 1, "}": -1}.get(token, 0)
            self.position += 1
            if token not in "{}":
                parts.append(" " if token == "~" else token)
        return "".join(parts)

    def raw_argument(self) -> str:
        """The text of a braced argument as written (``\\text{ if }``)."""
        while self.position < len(self.tokens) and self.tokens[self.position].isspace():
            self.position += 1
        if self.position >= len(self.tokens):
            return ""
        if self.tokens[self.position] != "{":
            token = self.tokens[self.position]
            self.position += 1
            return token
        self.position += 1
        depth = 1
        parts: list[str] = []
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            self.position += 1
            if token == "{":
                depth += 1
                continue
            if token == "}":
                depth -= 1
                if depth == 0:
                    break
                continue
            parts.append(token)
        return "".join(parts)

    def text(self, raw: str) -> str:
        out: list[str] = []
        for token in _TOKEN.findall(raw):
            if token.startswith("\\"):
                out.append(" ".join(self.command(token[1:], MAX_DEPTH)) if token[1:2].isalpha() else " ")
            elif token.isalnum() or token.isspace() or token in ",.;:'-" or token[0].isdigit():
                out.append(token)
            else:
                out.append(f" {self.character(token)} ")
        return " ".join("".join(out).split())



