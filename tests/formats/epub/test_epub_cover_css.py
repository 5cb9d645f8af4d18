"""The cover image and the stylesheet of the EPUB edition."""

from __future__ import annotations

import io
import re
import struct

import pytest
from PIL import Image

from formats.epub.cover import HEIGHT, WIDTH, make_cover
from formats.epub.package import DEFAULT_CSS


def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        chunks.append(data[offset + 4 : offset + 8].decode("ascii"))
        offset += 12 + length
    return chunks


def test_cover_is_reproducible_and_has_no_metadata_chunks() -> None:
    first = make_cover("What’s Going On With Your Gut Barrier", "A plain-language guide")
    assert first == make_cover("What’s Going On With Your Gut Barrier", "A plain-language guide")
    assert first != make_cover("What’s Going On With Your Gut Barrier", None)
    assert set(png_chunks(first)) == {"IHDR", "IDAT", "IEND"}  # no tIME, tEXt, pHYs...
    image = Image.open(io.BytesIO(first))
    assert image.size == (WIDTH, HEIGHT) == (1600, 2560)


def test_cover_is_high_contrast() -> None:
    image = Image.open(io.BytesIO(make_cover("Gut", None))).convert("RGB")
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 16) or []}
    assert (255, 255, 255) in colours  # the title is drawn in white

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    background = image.getpixel((5, 5))
    assert isinstance(background, tuple)
    ratio = (1.05) / (luminance(background[:3]) + 0.05)  # type: ignore[arg-type]
    assert ratio >= 7


@pytest.mark.parametrize("title", ["A", "Word " * 60, "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3])
def test_cover_copes_with_any_title_length(title: str) -> None:
    assert Image.open(io.BytesIO(make_cover(title, "sub " * 40))).size == (WIDTH, HEIGHT)


def test_cover_needs_a_title() -> None:
    with pytest.raises(ValueError):
        make_cover("  ", None)


def test_stylesheet_never_fixes_text_size_or_colours() -> None:
    css = DEFAULT_CSS.read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    declarations = re.findall(r"([a-z-]+)\s*:\s*([^;{}]+);", rules)
    assert declarations
    for prop, value in declarations:
        if prop in ("font-size", "line-height", "letter-spacing", "word-spacing"):
            assert not re.search(r"\d(px|pt|pc|cm|mm|in)\b", value), (prop, value)
        if prop in ("color", "background-color", "background"):
            assert value.strip() in ("inherit", "currentColor", "Highlight", "HighlightText", "transparent"), (
                prop,
                value,
            )
        if prop == "text-align":
            assert "justify" not in value
        if prop == "text-transform":
            assert "uppercase" not in value
    assert ".-epub-media-overlay-active" in css
    assert "doc-pagebreak" in css
    assert ("display", "none") not in [(p, v.strip()) for p, v in declarations]
