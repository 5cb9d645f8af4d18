"""Real-world text that is hard to speak, as hypothesis strategies: hashes, IDs, URLs with ports
and queries, identifiers, e-mail addresses, numbers with units and symbols, code, base64, and
characters from every Unicode block; and Markdown articles made of it (paragraphs, code blocks,
tables, lists), for fuzzing the audio edition."""

from __future__ import annotations

import string
import unicodedata

from hypothesis import strategies as st

# Letters, digits, marks, punctuation and symbols: what a writer can paste (no controls, no
# unassigned or surrogate code points, no private use: those Markdown and YAML reject or keep).
PRINTABLE = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])
_BLOCK_STARTS = [start for start in range(0x20, 0x30000, 128)
                 if any(unicodedata.category(chr(cp))[0] in "LNMPS" for cp in range(start, start + 128)
                        if not 0xD800 <= cp < 0xE000)]


@st.composite
def block_run(draw: st.DrawFn) -> str:
    """A run of characters from one 128-code-point stretch of Unicode (a script, emoji, math...)."""
    start = draw(st.sampled_from(_BLOCK_STARTS))
    chars = [chr(cp) for cp in range(start, start + 128)
             if not 0xD800 <= cp < 0xE000 and unicodedata.category(chr(cp))[0] in "LNMPS"]
    return "".join(draw(st.lists(st.sampled_from(chars), min_size=1, max_size=30)))


HEX = st.sampled_from([16, 32, 40, 64, 128]).flatmap(
    lambda n: st.text(alphabet="0123456789abcdef", min_size=n, max_size=n))
SAMPLE_ID = st.lists(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=2, max_size=6),
                     min_size=2, max_size=12).map("-".join)
IDENTIFIER = st.lists(st.sampled_from(["temperature", "from", "filter", "ratio", "get", "HTTP", "v2", "x", "_", "id",
                                       "Response", "calibrate", "detector"]), min_size=2, max_size=20).map("_".join)
URL = st.builds(
    "{}://{}{}{}?{}{}".format,
    st.sampled_from(["http", "https", "ftp"]),
    st.sampled_from(["localhost", "127.0.0.1", "example.org", "www.nih.gov", "[::1]", "sub.domain.co.uk"]),
    st.one_of(st.just(""), st.integers(1, 65535).map(":{}".format)),
    st.lists(st.text(alphabet=string.ascii_letters + string.digits + "-_.~%", min_size=1, max_size=12),
             max_size=6).map(lambda parts: "/" + "/".join(parts)),
    st.lists(st.tuples(st.sampled_from(["x", "y", "page", "q", "sort"]), st.text(string.ascii_letters + "0123456789-",
                                                                                   max_size=10)),
             max_size=4).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)),
    st.sampled_from(["", "#results", "#L10-L20"]),
)
EMAIL = st.builds("{}@{}.{}".format, st.text(string.ascii_lowercase + "._+", min_size=1, max_size=12),
                  st.text(string.ascii_lowercase, min_size=1, max_size=10), st.sampled_from(["org", "com", "es"]))
NUMBERS = st.lists(st.sampled_from([
    "p < 0.001", "3:1", "12.5%", "±0.3", "≥ 30", "A → B", "3 × 4", "5 mg/kg", "1e-10", "10^-3", "½", "CO₂", "m²",
    "37 °C", "+1 (555) 010-9999", "1,234,567.89", "Ⅻ", "π ≈ 3.14", "∂f/∂x", "n = 12,345", "(95% CI 1.2–3.4)",
]), min_size=1, max_size=8).map(" ".join)
CODE = st.sampled_from([
    "remotes::install_github('biopixR/biopixR')", "$ pip install --upgrade 'accessible-publish[piper]'",
    "def f(x):\n    return {'a': [1, 2, 3], **kw}  # ->", "<a href=\"http://localhost:8080/path?x=1&y=2\">open</a>",
    "SELECT * FROM t WHERE id = 42;", "for (i = 0; i < n; i++) { a[i] <<= 2; }", "x <- c(1, 2, NA) %>% sum()",
])
BASE64 = st.binary(min_size=8, max_size=300).map(lambda data: __import__("base64").b64encode(data).decode())
WORDS = st.lists(st.sampled_from(["The", "sample", "was", "measured", "at", "and", "its", "value", "is", "see",
                                  "in", "run", "the", "ratio"]), min_size=1, max_size=12).map(" ".join)
HARD = st.one_of(HEX, SAMPLE_ID, IDENTIFIER, URL, EMAIL, NUMBERS, CODE, BASE64, block_run(),
                 st.text(PRINTABLE, min_size=1, max_size=60),
                 st.sampled_from(string.punctuation).flatmap(lambda c: st.integers(1, 200).map(lambda n: c * n)))

# A passage as a writer would have it: ordinary words around the hard pieces.
PASSAGE = st.lists(st.one_of(WORDS, HARD), min_size=1, max_size=6).map(" ".join)


def _inline(text: str) -> str:
    """``text`` on one line, as plain text in Markdown (no syntax of its own)."""
    escaped = "".join(f"\\{c}" if c in "\\`*_{}[]()#+-.!|<>$@^~:&\"'=" else c for c in text)
    return " ".join(escaped.split())


@st.composite
def hard_article(draw: st.DrawFn) -> str:
    """An article whose paragraphs, code blocks, tables and lists hold hard-to-speak text."""
    blocks: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "code", "table", "list", "code span"]))
        if kind == "paragraph":
            blocks.append(_inline(draw(PASSAGE)) or "Text.")
        elif kind == "code span":
            blocks.append(f"The token `{draw(HARD).replace('`', '').strip() or 'x'}` matters.")
        elif kind == "code":
            blocks.append("```\n" + draw(st.one_of(CODE, HARD)).replace("```", "'''") + "\n```")
        elif kind == "table":
            cells = draw(st.lists(st.lists(HARD.map(_inline).filter(bool), min_size=2, max_size=2),
                                  min_size=1, max_size=3))
            blocks.append("| A | B |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in cells))
        else:
            blocks.append("\n".join(f"- {_inline(item) or 'item'}" for item in draw(st.lists(PASSAGE, min_size=1,
                                                                                            max_size=4))))
    return "---\ntitle: Hard to Say\nlang: en\n---\n\n" + "\n\n".join(blocks) + "\n"
