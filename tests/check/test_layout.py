"""Rendered font sizes, overflow and contrast under colour schemes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publish.check.layout import (
    Scheme,
    contrast_ratio,
    measure_contrast,
    measure_layout,
)
from tests.check import pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_contrast_ratio_formula() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")


def test_smallest_text(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "small.html", pages.SMALL_TEXT)
    facts = measure_layout(path, 1280, browser=chromium_browser)
    assert facts.min_font_px == 10
    assert facts.min_font_text == "Fine print"
    assert facts.min_font_element.endswith("p:nth-of-type(2)")
    assert not facts.overflow


def test_wide_table_overflows_at_320(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "wide.html", pages.WIDE_TABLE)
    narrow = measure_layout(path, 320, browser=chromium_browser)
    assert narrow.overflow and narrow.scroll_width > 320
    assert any(e.endswith("table") for e in narrow.overflow_elements)
    assert not measure_layout(path, 1600, browser=chromium_browser).overflow


def test_reflowing_page_does_not_overflow_at_320(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "good.html", pages.GOOD)
    facts = measure_layout(path, 320, browser=chromium_browser)
    assert not facts.overflow and facts.overflow_elements == ()


def test_contrast_follows_emulated_schemes(chromium_browser: Browser, tmp_path: Path) -> None:
    path = pages.write(tmp_path, "schemes.html", pages.SCHEMES)
    facts = measure_contrast(path, browser=chromium_browser)
    assert facts["light"].min_ratio == pytest.approx(4.48, abs=0.01)
    assert (facts["light"].color, facts["light"].background) == ("#777777", "#ffffff")
    assert facts["dark"].min_ratio == pytest.approx(contrast_ratio("#999999", "#222222"), abs=0.01)
    assert facts["light-more-contrast"].min_ratio == pytest.approx(21.0)
    assert facts["dark-more-contrast"].min_ratio == pytest.approx(21.0)
    # Forced colours replace author colours with system ones.
    assert facts["forced-colors-dark"].background == "#000000"
    assert facts["forced-colors-light"].min_ratio is not None
    assert facts["forced-colors-light"].min_ratio >= 7


def test_contrast_composites_translucent_backgrounds(chromium_browser: Browser, tmp_path: Path) -> None:
    # 50 % black over white is #808080 (rounded); white text on it is ~3.9:1.
    html = pages.page("<main><h1 style='color: #fff; background: rgba(0,0,0,.5)'>Veil</h1></main>",
                      css="body { background: #fff; color: #000 }")
    path = pages.write(tmp_path, "veil.html", html)
    facts = measure_contrast(path, [Scheme("light")], browser=chromium_browser)["light"]
    assert facts.text == "Veil" and facts.background in ("#7f7f7f", "#808080", "#80807f")
    assert facts.min_ratio == pytest.approx(3.95, abs=0.05)
    assert facts.large_text  # a 2em bold h1


def test_default_canvas_in_dark_scheme(chromium_browser: Browser, tmp_path: Path) -> None:
    # No author colours, color-scheme dark: the canvas and text are the UA's dark pair.
    html = pages.page("<main><h1>Plain</h1></main>", css=":root { color-scheme: dark }")
    path = pages.write(tmp_path, "plain.html", html)
    facts = measure_contrast(path, [Scheme("dark", "dark")], browser=chromium_browser)["dark"]
    assert facts.background != "#ffffff" and facts.min_ratio is not None and facts.min_ratio > 10
