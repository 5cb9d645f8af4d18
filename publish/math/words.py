"""The words of spoken math, one table per language (``publish.math.spoken`` holds the rules).

Keys are namespaced: ``sym:`` a symbol as an operator or a relation, ``greek:`` a Greek letter,
``fn:`` a named function or operator (``sin``, ``lim``), ``set:`` a double-struck set letter,
``ord:`` an ordinal, and plain keys are phrases whose ``{0}``, ``{1}`` are filled by the rules.
A language needs only the keys whose English is wrong for it: the others fall back to English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ENGLISH: dict[str, str] = {
    # Relations: "x is less than 0" reads as a sentence, which is how people say formulas.
    "sym:=": "equals", "sym:≠": "is not equal to", "sym:<": "is less than", "sym:>": "is greater than",
    "sym:≤": "is less than or equal to", "sym:≥": "is greater than or equal to",
    "sym:≦": "is less than or equal to", "sym:≧": "is greater than or equal to",
    "sym:⩽": "is less than or equal to", "sym:⩾": "is greater than or equal to",
    "sym:≈": "is approximately equal to", "sym:≡": "is equivalent to", "sym:∼": "is distributed as",
    "sym:~": "is distributed as", "sym:≃": "is asymptotically equal to", "sym:≅": "is congruent to",
    "sym:∝": "is proportional to", "sym:≪": "is much less than", "sym:≫": "is much greater than",
    "sym:≔": "is defined as", "sym::=": "is defined as", "sym:≜": "is defined as", "sym:≝": "is defined as",
    "sym:∈": "is in", "sym:∉": "is not in", "sym:∋": "contains", "sym:⊂": "is a subset of",
    "sym:⊃": "is a superset of", "sym:⊆": "is a subset of or equal to", "sym:⊇": "is a superset of or equal to",
    "sym:⊊": "is a proper subset of", "sym:⊋": "is a proper superset of",
    "sym:→": "to", "sym:⟶": "to", "sym:←": "from", "sym:⟵": "from", "sym:↔": "if and only if",
    "sym:↦": "maps to", "sym:⟼": "maps to", "sym:⇒": "implies", "sym:⟹": "implies",
    "sym:⇐": "is implied by", "sym:⟸": "is implied by", "sym:⇔": "if and only if", "sym:⟺": "if and only if",
    "sym:⊥": "is perpendicular to", "sym:∥": "is parallel to", "sym:≺": "precedes", "sym:≻": "succeeds",
    "sym:⪯": "precedes or equals", "sym:⪰": "succeeds or equals", "sym:∣": "divides", "sym:∤": "does not divide",
    "sym:⊢": "proves", "sym:⊨": "models",
    # Operators.
    "sym:+": "plus", "sym:−": "minus", "sym:-": "minus", "sym:±": "plus or minus", "sym:∓": "minus or plus",
    "sym:×": "times", "sym:⋅": "times", "sym:·": "times", "sym:∙": "times", "sym:∗": "star", "sym:*": "star",
    "sym:⋆": "star", "sym:∘": "composed with", "sym:/": "divided by", "sym:÷": "divided by",
    "sym:⊗": "tensor", "sym:⊕": "direct sum", "sym:⊙": "circle dot", "sym:∪": "union", "sym:∩": "intersection",
    "sym:∖": "minus", "sym:\\": "minus", "sym:∧": "and", "sym:∨": "or", "sym:¬": "not", "sym:∀": "for all",
    "sym:∃": "there exists", "sym:∄": "there does not exist", "sym:mod": "mod",
    # Symbols read as a word where they stand.
    "sym:∞": "infinity", "sym:∂": "partial", "sym:∇": "del", "sym:∅": "the empty set", "sym:…": "dot dot dot",
    "sym:⋯": "dot dot dot", "sym:⋮": "vertical dots", "sym:⋱": "diagonal dots", "sym:ℵ": "aleph",
    "sym:∠": "angle", "sym:△": "triangle", "sym:!": "factorial", "sym:%": "percent", "sym:°": "degrees",
    "sym:′": "prime", "sym:″": "double prime", "sym:‴": "triple prime", "sym:ℏ": "h bar", "sym:ℓ": "ell",
    "sym:†": "dagger", "sym:⊤": "transpose", "sym:∑": "sum", "sym:∏": "product", "sym:∫": "integral",
    "sym:√": "square root", "sym::": "colon", "sym:&": "and", "sym:#": "number", "sym:@": "at",
    # Greek letters; a capital is "capital Sigma".
    "greek:α": "alpha", "greek:β": "beta", "greek:γ": "gamma", "greek:δ": "delta", "greek:ε": "epsilon",
    "greek:ϵ": "epsilon", "greek:ζ": "zeta", "greek:η": "eta", "greek:θ": "theta", "greek:ϑ": "theta",
    "greek:ι": "iota", "greek:κ": "kappa", "greek:ϰ": "kappa", "greek:λ": "lambda", "greek:μ": "mu",
    "greek:ν": "nu", "greek:ξ": "xi", "greek:ο": "omicron", "greek:π": "pi", "greek:ϖ": "pi", "greek:ρ": "rho",
    "greek:ϱ": "rho", "greek:σ": "sigma", "greek:ς": "sigma", "greek:τ": "tau", "greek:υ": "upsilon",
    "greek:φ": "phi", "greek:ϕ": "phi", "greek:χ": "chi", "greek:ψ": "psi", "greek:ω": "omega",
    "greek:ϝ": "digamma",
    # Functions: applied with "of" ("sine of x"); the big operators take bounds.
    "fn:sin": "sine", "fn:cos": "cosine", "fn:tan": "tangent", "fn:cot": "cotangent", "fn:sec": "secant",
    "fn:csc": "cosecant", "fn:arcsin": "arc sine", "fn:arccos": "arc cosine", "fn:arctan": "arc tangent",
    "fn:sinh": "hyperbolic sine", "fn:cosh": "hyperbolic cosine", "fn:tanh": "hyperbolic tangent",
    "fn:coth": "hyperbolic cotangent", "fn:log": "log", "fn:ln": "natural log", "fn:lg": "log",
    "fn:exp": "the exponential", "fn:det": "the determinant", "fn:dim": "the dimension", "fn:ker": "the kernel",
    "fn:deg": "the degree", "fn:gcd": "the greatest common divisor", "fn:lcm": "the least common multiple",
    "fn:Pr": "the probability", "fn:Var": "the variance", "fn:var": "the variance", "fn:Cov": "the covariance",
    "fn:cov": "the covariance", "fn:tr": "the trace", "fn:Tr": "the trace", "fn:trace": "the trace",
    "fn:rank": "the rank", "fn:span": "the span", "fn:sgn": "the sign", "fn:sign": "the sign",
    "fn:arg": "the argument", "fn:erf": "the error function", "fn:Re": "the real part",
    "fn:Im": "the imaginary part", "fn:E": "the expected value",
    "fn:lim": "the limit", "fn:limsup": "the limit superior", "fn:liminf": "the limit inferior",
    "fn:max": "the maximum", "fn:min": "the minimum", "fn:sup": "the supremum", "fn:inf": "the infimum",
    "fn:argmax": "the arg max", "fn:argmin": "the arg min",
    "fn:∑": "the sum", "fn:∏": "the product", "fn:∐": "the coproduct", "fn:∫": "the integral",
    "fn:∬": "the double integral", "fn:∭": "the triple integral", "fn:∮": "the contour integral",
    "fn:⋃": "the union", "fn:⋂": "the intersection", "fn:⨁": "the direct sum", "fn:⨂": "the tensor product",
    # Double-struck letters that name a set of numbers.
    "set:ℝ": "the real numbers", "set:ℕ": "the natural numbers", "set:ℤ": "the integers",
    "set:ℚ": "the rational numbers", "set:ℂ": "the complex numbers",
    "ord:2": "second", "ord:3": "third", "ord:4": "fourth", "ord:5": "fifth", "ord:6": "sixth",
    "ord:7": "seventh", "ord:8": "eighth", "ord:9": "ninth", "ord:10": "tenth",
    # Phrases.
    "capital": "capital {0}", "bold": "bold {0}", "script": "script {0}", "fraktur": "fraktur {0}",
    "double-struck": "double-struck {0}", "big O": "big O",
    "negative": "negative {0}", "times": "times", "of": "{0} of {1}",
    "squared": "{0} squared", "cubed": "{0} cubed", "power": "{0} to the power {1}", "end power": "end power",
    "set power": "{0} to the {1}", "superscript": "{0} superscript {1}", "end superscript": "end superscript",
    "sub": "{0} sub {1}", "end sub": "end sub", "base": "{0} base {1}", "inverse": "inverse {0}",
    "prime": "{0} prime", "double prime": "{0} double prime", "triple prime": "{0} triple prime",
    "transpose": "{0} transpose", "star": "{0} star", "dagger": "{0} dagger", "degrees": "{0} degrees",
    "over": "{0} over {1}", "fraction": "the fraction {0} over {1}", "end fraction": "end fraction",
    "choose": "{0} choose {1}",
    "square root": "the square root of {0}", "cube root": "the cube root of {0}", "root": "the {1} root of {0}",
    "nth": "{0}-th", "end root": "end root",
    "derivative": "the derivative", "partial derivative": "the partial derivative",
    "order derivative": "the {0} derivative", "order partial derivative": "the {0} partial derivative",
    "derivative of": "{0} of {1} with respect to {2}", "derivative operator": "{0} with respect to {1}",
    "and": "{0} and {1}",
    "from to": "{0} from {1} to {2}", "over bound": "{0} over {1}", "to bound": "{0} to {1}",
    "as bound": "{0} as {1}", "approaches": "approaches", "in": "in", "evaluated": "{0}, evaluated from {1} to {2}",
    "absolute value": "the absolute value of {0}", "end absolute value": "end absolute value",
    "norm": "the norm of {0}", "end norm": "end norm", "floor": "the floor of {0}", "end floor": "end floor",
    "ceiling": "the ceiling of {0}", "end ceiling": "end ceiling",
    "set": "the set containing {0}", "set builder": "the set of {0} such that {1}", "end set": "end set",
    "open set": "the set",
    "such that": "such that", "given": "given", "from": "from", "comma": "comma", "range to": "to",
    "dot product": "dot", "cross product": "cross", "double vertical bar": "double vertical bar",
    "closed interval": "the closed interval from {0} to {1}", "open interval": "the open interval from {0} to {1}",
    "half-open interval": "the half-open interval from {0} to {1}",
    "open paren": "open paren", "close paren": "close paren", "open bracket": "open bracket",
    "close bracket": "close bracket", "open brace": "open brace", "close brace": "close brace",
    "open angle": "open angle bracket", "close angle": "close angle bracket",
    "matrix": "the {0} by {1} matrix", "determinant": "the determinant of the {0} by {1} matrix",
    "row": "row {0}", "column vector": "the column vector", "row vector": "the row vector",
    "end matrix": "end matrix", "cases": "{0} cases", "if": "{0} if {1}", "values": "the {0} values",
    "empty": "empty", "vertical bar": "vertical bar",
    "bar": "{0} bar", "hat": "{0} hat", "tilde": "{0} tilde", "dot": "{0} dot", "double dot": "{0} double dot",
    "vector": "vector {0}", "check": "{0} check", "breve": "{0} breve", "ring": "{0} ring",
    "underline": "underlined {0}", "above": "{0} with {1} above", "below": "{0} with {1} below",
}
# Words a case's condition may start with, after which "if" would be said twice.
ENGLISH_CONDITION_WORDS = ("if", "otherwise", "else", "for", "when", "where", "unless", "whenever")

SPANISH: dict[str, str] = {
    "sym:=": "igual a", "sym:≠": "distinto de", "sym:<": "menor que", "sym:>": "mayor que",
    "sym:≤": "menor o igual que", "sym:≥": "mayor o igual que", "sym:≦": "menor o igual que",
    "sym:≧": "mayor o igual que", "sym:⩽": "menor o igual que", "sym:⩾": "mayor o igual que",
    "sym:≈": "aproximadamente igual a", "sym:≡": "equivalente a", "sym:∼": "se distribuye como",
    "sym:~": "se distribuye como", "sym:≃": "asintóticamente igual a", "sym:≅": "congruente con",
    "sym:∝": "proporcional a", "sym:≪": "mucho menor que", "sym:≫": "mucho mayor que",
    "sym:≔": "se define como", "sym::=": "se define como", "sym:≜": "se define como", "sym:≝": "se define como",
    "sym:∈": "pertenece a", "sym:∉": "no pertenece a", "sym:∋": "contiene", "sym:⊂": "está contenido en",
    "sym:⊃": "contiene a", "sym:⊆": "es subconjunto de", "sym:⊇": "es superconjunto de",
    "sym:⊊": "es subconjunto propio de", "sym:⊋": "es superconjunto propio de",
    "sym:→": "en", "sym:⟶": "en", "sym:←": "desde", "sym:⟵": "desde", "sym:↔": "si y solo si",
    "sym:↦": "se aplica en", "sym:⟼": "se aplica en", "sym:⇒": "implica", "sym:⟹": "implica",
    "sym:⇐": "es implicado por", "sym:⟸": "es implicado por", "sym:⇔": "si y solo si", "sym:⟺": "si y solo si",
    "sym:⊥": "perpendicular a", "sym:∥": "paralelo a", "sym:≺": "precede a", "sym:≻": "sucede a",
    "sym:⪯": "precede o es igual a", "sym:⪰": "sucede o es igual a", "sym:∣": "divide a",
    "sym:∤": "no divide a", "sym:⊢": "demuestra", "sym:⊨": "modela",
    "sym:+": "más", "sym:−": "menos", "sym:-": "menos", "sym:±": "más o menos", "sym:∓": "menos o más",
    "sym:×": "por", "sym:⋅": "por", "sym:·": "por", "sym:∙": "por", "sym:∗": "asterisco", "sym:*": "asterisco",
    "sym:⋆": "estrella", "sym:∘": "compuesta con", "sym:/": "dividido por", "sym:÷": "dividido por",
    "sym:⊗": "producto tensorial", "sym:⊕": "suma directa", "sym:⊙": "producto punto", "sym:∪": "unión",
    "sym:∩": "intersección", "sym:∖": "menos", "sym:\\": "menos", "sym:∧": "y", "sym:∨": "o", "sym:¬": "no",
    "sym:∀": "para todo", "sym:∃": "existe", "sym:∄": "no existe", "sym:mod": "módulo",
    "sym:∞": "infinito", "sym:∂": "parcial", "sym:∇": "nabla", "sym:∅": "el conjunto vacío",
    "sym:…": "puntos suspensivos", "sym:⋯": "puntos suspensivos", "sym:⋮": "puntos verticales",
    "sym:⋱": "puntos diagonales", "sym:ℵ": "álef", "sym:∠": "ángulo", "sym:△": "triángulo",
    "sym:!": "factorial", "sym:%": "por ciento", "sym:°": "grados", "sym:′": "prima", "sym:″": "segunda",
    "sym:‴": "tercera", "sym:ℏ": "h barra", "sym:ℓ": "ele", "sym:†": "daga", "sym:⊤": "traspuesta",
    "sym:∑": "suma", "sym:∏": "producto", "sym:∫": "integral", "sym:√": "raíz cuadrada", "sym::": "dos puntos",
    "sym:&": "y", "sym:#": "número", "sym:@": "arroba",
    "greek:α": "alfa", "greek:β": "beta", "greek:γ": "gamma", "greek:δ": "delta", "greek:ε": "épsilon",
    "greek:ϵ": "épsilon", "greek:ζ": "dseta", "greek:η": "eta", "greek:θ": "theta", "greek:ϑ": "theta",
    "greek:ι": "iota", "greek:κ": "kappa", "greek:ϰ": "kappa", "greek:λ": "lambda", "greek:μ": "mu",
    "greek:ν": "nu", "greek:ξ": "xi", "greek:ο": "ómicron", "greek:π": "pi", "greek:ϖ": "pi", "greek:ρ": "ro",
    "greek:ϱ": "ro", "greek:σ": "sigma", "greek:ς": "sigma", "greek:τ": "tau", "greek:υ": "ípsilon",
    "greek:φ": "fi", "greek:ϕ": "fi", "greek:χ": "ji", "greek:ψ": "psi", "greek:ω": "omega",
    "greek:ϝ": "digamma",
    "fn:sin": "seno", "fn:cos": "coseno", "fn:tan": "tangente", "fn:cot": "cotangente", "fn:sec": "secante",
    "fn:csc": "cosecante", "fn:arcsin": "arco seno", "fn:arccos": "arco coseno", "fn:arctan": "arco tangente",
    "fn:sinh": "seno hiperbólico", "fn:cosh": "coseno hiperbólico", "fn:tanh": "tangente hiperbólica",
    "fn:coth": "cotangente hiperbólica", "fn:log": "logaritmo", "fn:ln": "logaritmo natural",
    "fn:lg": "logaritmo", "fn:exp": "la exponencial", "fn:det": "el determinante", "fn:dim": "la dimensión",
    "fn:ker": "el núcleo", "fn:deg": "el grado", "fn:gcd": "el máximo común divisor",
    "fn:lcm": "el mínimo común múltiplo", "fn:Pr": "la probabilidad", "fn:Var": "la varianza",
    "fn:var": "la varianza", "fn:Cov": "la covarianza", "fn:cov": "la covarianza", "fn:tr": "la traza",
    "fn:Tr": "la traza", "fn:trace": "la traza", "fn:rank": "el rango", "fn:span": "el espacio generado",
    "fn:sgn": "el signo", "fn:sign": "el signo", "fn:arg": "el argumento", "fn:erf": "la función error",
    "fn:Re": "la parte real", "fn:Im": "la parte imaginaria", "fn:E": "la esperanza",
    "fn:lim": "el límite", "fn:limsup": "el límite superior", "fn:liminf": "el límite inferior",
    "fn:max": "el máximo", "fn:min": "el mínimo", "fn:sup": "el supremo", "fn:inf": "el ínfimo",
    "fn:argmax": "el argumento del máximo", "fn:argmin": "el argumento del mínimo",
    "fn:∑": "la suma", "fn:∏": "el producto", "fn:∐": "el coproducto", "fn:∫": "la integral",
    "fn:∬": "la integral doble", "fn:∭": "la integral triple", "fn:∮": "la integral de contorno",
    "fn:⋃": "la unión", "fn:⋂": "la intersección", "fn:⨁": "la suma directa", "fn:⨂": "el producto tensorial",
    "set:ℝ": "los números reales", "set:ℕ": "los números naturales", "set:ℤ": "los números enteros",
    "set:ℚ": "los números racionales", "set:ℂ": "los números complejos",
    "ord:2": "segunda", "ord:3": "tercera", "ord:4": "cuarta", "ord:5": "quinta", "ord:6": "sexta",
    "ord:7": "séptima", "ord:8": "octava", "ord:9": "novena", "ord:10": "décima",
    "capital": "{0} mayúscula", "bold": "{0} negrita", "script": "{0} caligráfica", "fraktur": "{0} gótica",
    "double-struck": "{0} de pizarra", "big O": "o grande",
    "negative": "menos {0}", "times": "por", "of": "{0} de {1}",
    "squared": "{0} al cuadrado", "cubed": "{0} al cubo", "power": "{0} elevado a {1}",
    "end power": "fin de la potencia", "set power": "{0} a la {1}", "superscript": "{0} superíndice {1}",
    "end superscript": "fin del superíndice", "sub": "{0} sub {1}", "end sub": "fin del subíndice",
    "base": "{0} en base {1}", "inverse": "{0} inversa", "prime": "{0} prima", "double prime": "{0} segunda",
    "triple prime": "{0} tercera", "transpose": "{0} traspuesta", "star": "{0} estrella", "dagger": "{0} daga",
    "degrees": "{0} grados",
    "over": "{0} sobre {1}", "fraction": "la fracción {0} sobre {1}", "end fraction": "fin de la fracción",
    "choose": "{0} sobre {1}, número combinatorio",
    "square root": "la raíz cuadrada de {0}", "cube root": "la raíz cúbica de {0}",
    "root": "la raíz {1} de {0}", "nth": "{0}-ésima", "end root": "fin de la raíz",
    "derivative": "la derivada", "partial derivative": "la derivada parcial",
    "order derivative": "la derivada {0}", "order partial derivative": "la derivada parcial {0}",
    "derivative of": "{0} de {1} con respecto a {2}", "derivative operator": "{0} con respecto a {1}",
    "and": "{0} y {1}",
    "from to": "{0} desde {1} hasta {2}", "over bound": "{0} sobre {1}", "to bound": "{0} hasta {1}",
    "as bound": "{0} cuando {1}", "approaches": "tiende a", "in": "en",
    "evaluated": "{0}, evaluado entre {1} y {2}",
    "absolute value": "el valor absoluto de {0}", "end absolute value": "fin del valor absoluto",
    "norm": "la norma de {0}", "end norm": "fin de la norma", "floor": "la parte entera por defecto de {0}",
    "end floor": "fin de la parte entera", "ceiling": "la parte entera por exceso de {0}",
    "end ceiling": "fin de la parte entera",
    "set": "el conjunto formado por {0}", "set builder": "el conjunto de {0} tales que {1}",
    "end set": "fin del conjunto", "open set": "el conjunto", "such that": "tal que", "given": "dado", "from": "de",
    "comma": "coma", "range to": "a", "dot product": "punto", "cross product": "cruz",
    "double vertical bar": "doble barra vertical",
    "closed interval": "el intervalo cerrado de {0} a {1}", "open interval": "el intervalo abierto de {0} a {1}",
    "half-open interval": "el intervalo semiabierto de {0} a {1}",
    "open paren": "abre paréntesis", "close paren": "cierra paréntesis", "open bracket": "abre corchete",
    "close bracket": "cierra corchete", "open brace": "abre llave", "close brace": "cierra llave",
    "open angle": "abre ángulo", "close angle": "cierra ángulo",
    "matrix": "la matriz de {0} por {1}", "determinant": "el determinante de la matriz de {0} por {1}",
    "row": "fila {0}", "column vector": "el vector columna", "row vector": "el vector fila",
    "end matrix": "fin de la matriz", "cases": "{0} casos", "if": "{0} si {1}", "values": "los {0} valores",
    "empty": "vacío", "vertical bar": "barra vertical",
    "bar": "{0} barra", "hat": "{0} sombrero", "tilde": "{0} tilde", "dot": "{0} punto",
    "double dot": "{0} dos puntos", "vector": "vector {0}", "check": "{0} anticircunflejo",
    "breve": "{0} breve", "ring": "{0} anillo", "underline": "{0} subrayada",
    "above": "{0} con {1} encima", "below": "{0} con {1} debajo",
}
SPANISH_CONDITION_WORDS = ("si", "en otro caso", "de lo contrario", "si no", "para", "cuando", "donde")


class Words:
    """One language's table, with English for what it lacks."""

    def __init__(self, table: Mapping[str, str], condition_words: tuple[str, ...],
                 articles: tuple[str, ...], contractions: tuple[tuple[str, str], ...] = ()) -> None:
        self.table = {**ENGLISH, **table}
        # A formula's own text may be in English whatever the language: "if" is never said twice.
        self.condition_words = (*condition_words, *ENGLISH_CONDITION_WORDS)
        self.articles = articles
        self.contractions = contractions

    def contract(self, text: str) -> str:
        """What the language joins when rules put words side by side: "a el" is "al"."""
        for pattern, joined in self.contractions:
            text = re.sub(pattern, joined, text)
        return text

    def has_article(self, phrase: str) -> bool:
        """Whether a phrase begins with "the": after a value it is joined with "times"."""
        return phrase.split(" ", 1)[0] in self.articles

    def __getitem__(self, key: str) -> str:
        return self.table[key]

    def get(self, key: str) -> str | None:
        return self.table.get(key)

    def say(self, key: str, *parts: str) -> str:
        return self.table[key].format(*parts)


LANGUAGES: dict[str, Words] = {
    "en": Words({}, ENGLISH_CONDITION_WORDS, ("the",)),
    "es": Words(SPANISH, SPANISH_CONDITION_WORDS, ("el", "la", "los", "las"),
                ((r"\ba el\b", "al"), (r"\bde el\b", "del"))),
}


def words_for(lang: str) -> Words:
    """The table for a BCP 47 tag ("en-GB", "es"); an unknown language is read in English."""
    primary = lang.replace("_", "-").split("-", 1)[0].strip().lower()
    return LANGUAGES.get(primary, LANGUAGES["en"])
