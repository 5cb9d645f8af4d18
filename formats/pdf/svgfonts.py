"""The text of an SVG figure, drawn in the packaged fonts.

WeasyPrint draws an SVG's ``<text>`` in the families the SVG names (Inkscape, draw.io and
matplotlib name Arial, Helvetica, DejaVu Sans...) or, naming none, in ``sans-serif``: no
packaged font, so fontconfig would put a system font into the PDF, which the editions refuse.
The PDF editions therefore show a copy of such a figure in which every font family, as an
attribute (``font-family``, ``font``) or a property (in ``style`` attributes and ``<style>``
elements), names the edition's packaged chain, and the root ``<svg>`` names it too, for the text
that names no family. Every other byte of the file is kept: the shapes are drawn as they were.
The large-print HTML and the EPUB show the file itself: browsers and reading systems have fonts
of their own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from xml.parsers import expat

__all__ = ["drawn_text", "with_families"]

# WeasyPrint draws the text of these elements (and their children's: <tspan>, <textPath>).
_TEXT_ELEMENTS = frozenset({"text", "a"})

_NAME = r"[^\s=<>/\"']+"
_VALUE = r"\"[^\"]*\"|'[^']*'"
_START_TAG = re.compile(rf"<{_NAME}(?:\s+{_NAME}\s*=\s*(?:{_VALUE}))*\s*/?>")
_ATTRIBUTE = re.compile(rf"({_NAME})(\s*=\s*)(\"([^\"]*)\"|'([^']*)')")
# A declaration of the family (or of the ``font`` shorthand that holds it) in CSS. Not one of
# ``-inkscape-font-specification``: a vendor property no renderer draws with.
_DECLARATION = re.compile(r"(?<![\w-])(font-family|font)(\s*:\s*)((?:\"[^\"]*\"|'[^']*'|[^;}!\"'])*)", re.I)
# In the ``font`` shorthand, the size (with a unit: a bare number is a weight) and the optional
# line height; the families follow. No two parts can match the same digits: a long number in a
# hostile file is read once, not in every way it could be split.
_FONT_SIZE = re.compile(
    r"(?:^|\s)(?:(?:\d+(?:\.\d+)?|\.\d+)(?:[a-z]+|%)|(?:xx?-)?(?:small|large)|medium|larger|smaller)"
    r"(?:\s*/\s*[^\s,]+)?\s+(?=\S)",
    re.I,
)
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.S)
_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_NAMED = {"quot": '"', "apos": "'", "amp": "&", "lt": "<", "gt": ">"}


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def drawn_text(data: bytes) -> str:
    """The characters the SVG ``data`` draws as text, each once ("" for a drawing without text
    or one that is not well-formed: the reader has already refused the latter)."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return ""
    text = "".join(chunk for element in root.iter() if _local(str(element.tag)) in _TEXT_ELEMENTS
                   for chunk in element.itertext())
    return "".join(sorted({char for char in text if not char.isspace()}))


def _family_list(families: Sequence[str], quote: str) -> str:
    return ", ".join([*(f"{quote}{name}{quote}" for name in families), "sans-serif"])


def _css(css: str, families: Sequence[str], quote: str) -> str:
    """``css`` (declarations or a style sheet) with each family it declares replaced."""
    chain = _family_list(families, quote)

    def replace(match: re.Match[str]) -> str:
        prop, colon, value = match.groups()
        stripped = value.rstrip()
        if stripped.lower() == "inherit":
            return match.group()
        if prop.lower() == "font-family":
            return f"{prop}{colon}{chain}{value[len(stripped):]}"
        size = _FONT_SIZE.search(stripped)
        if size is None:  # a system font (caption, menu...): no family to replace
            return match.group()
        return f"{prop}{colon}{stripped[:size.end()]}{chain}{value[len(stripped):]}"

    return _DECLARATION.sub(replace, css)


def _start_tag(tag: str, families: Sequence[str], root: bool) -> str:
    named = False
    pieces: list[str] = []
    last = 0
    for match in _ATTRIBUTE.finditer(tag):
        name = _local(match.group(1)).lower()
        if name not in ("font-family", "font", "style"):
            continue
        named = named or name == "font-family"
        delimiter = match.group(3)[0]
        raw = match.group(4) if delimiter == '"' else match.group(5)
        value = _rewrite_value(raw, delimiter, name, families)
        start = match.start(3) + 1
        pieces += [tag[last:start], value]
        last = start + len(raw)
    pieces.append(tag[last:])
    rewritten = "".join(pieces)
    if root and not named:  # the text that names no family would be drawn in sans-serif
        end = len(rewritten) - (2 if rewritten.endswith("/>") else 1)
        chain = _family_list(families, "'")
        rewritten = f'{rewritten[:end]} font-family="{chain}"{rewritten[end:]}'
    return rewritten


def _read(raw: str) -> str:
    """Markup text with the references to ASCII characters read (``&quot;`` is a quote to CSS),
    and the others kept as written, their ``&`` marked as NUL (which XML never holds)."""

    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith("#"):
            code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
            if code < 0x80:
                return chr(code)
        elif ref in _NAMED:
            return _NAMED[ref]
        return "\0" + match.group()[1:]

    return _REFERENCE.sub(one, raw)


def _write(value: str, delimiter: str = "") -> str:
    """``value`` read by :func:`_read`, written back as markup (between ``delimiter`` quotes)."""
    value = value.replace("&", "&amp;").replace("<", "&lt;")
    if delimiter:
        value = value.replace(delimiter, "&quot;" if delimiter == '"' else "&apos;")
    return value.replace("\0", "&")


def _rewrite_value(raw: str, delimiter: str, name: str, families: Sequence[str]) -> str:
    """An attribute value, as written between its ``delimiter`` quotes, with its families
    replaced (written back only where something changed)."""
    value = _read(raw)
    quote = "'" if delimiter == '"' else '"'
    if name == "font-family":
        new = value if value.strip().lower() == "inherit" else _family_list(families, quote)
    elif name == "font":
        new = _css(f"font:{value}", families, quote)[len("font:"):]
    else:
        new = _css(value, families, quote)
    return raw if new == value else _write(new, delimiter)


def _style_sheet(content: str, families: Sequence[str]) -> str:
    """The content of a ``<style>`` element with its families replaced: in CDATA sections as
    written, in text read and written back."""
    pieces = []
    for piece in _CDATA.split(content):
        if piece.startswith("<![CDATA["):
            pieces.append("<![CDATA[" + _css(piece[9:-3], families, '"') + "]]>")
        else:
            value = _read(piece)
            new = _css(value, families, '"')
            pieces.append(piece if new == value else _write(new))
    return "".join(pieces)


def with_families(data: bytes, families: Sequence[str]) -> bytes:
    """The SVG ``data`` with every font family it names, and the root's, set to ``families``
    (then ``sans-serif``); every other byte as it was.

    The file is read as Latin-1, which keeps every byte and the ASCII of the markup: the result
    is right for any encoding that extends ASCII (UTF-8 above all)."""
    text = data.decode("latin-1")
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in file order
    styles: list[int] = []  # where the content of each open <style> element starts
    depth = 0
    parser = expat.ParserCreate()

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth
        offset = parser.CurrentByteIndex
        match = _START_TAG.match(text, offset)
        if match is None:  # pragma: no cover - expat has just read a start tag here
            raise ValueError(f"no start tag at byte {offset}")
        new = _start_tag(match.group(), families, depth == 0)
        if new != match.group():
            edits.append((match.start(), match.end(), new))
        if _local(name).lower() == "style":
            styles.append(match.end())
        depth += 1

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1
        if _local(name).lower() == "style":
            begin = styles.pop()
            finish = max(begin, parser.CurrentByteIndex)
            new = _style_sheet(text[begin:finish], families)
            if new != text[begin:finish]:
                edits.append((begin, finish, new))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    edits.sort()
    pieces, last = [], 0
    for begin, finish, new in edits:
        pieces += [text[last:begin], new]
        last = finish
    pieces.append(text[last:])
    return "".join(pieces).encode("latin-1")
