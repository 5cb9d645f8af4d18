"""Rendered-layout facts axe does not give: smallest text, horizontal
overflow at a width, and text contrast under each user colour preference.

Large print must work at 320 CSS px (= 1280 px at 400 % zoom) and in dark
and high-contrast modes; these numbers are what the large-print checks
compare with the design's thresholds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from publish.check.browser import file_url, new_context, open_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Shared by both measurements (pasted inside each function, because
# Playwright only passes arguments to a string that *is* a function): which
# elements carry visible text, and a short selector a writer can find.
_JS_COMMON = r"""
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'title', 'head', 'meta', 'link']);
function describe(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
    const tag = e.localName;
    if (e.id) { parts.unshift(tag + '#' + e.id); break; }
    let nth = 1;
    for (let s = e.previousElementSibling; s; s = s.previousElementSibling) if (s.localName === tag) nth++;
    parts.unshift(nth > 1 ? `${tag}:nth-of-type(${nth})` : tag);
  }
  return parts.join(' > ');
}
function ownText(el) {
  let text = '';
  for (const n of el.childNodes) if (n.nodeType === 3) text += n.data;
  return text.replace(/\s+/g, ' ').trim();
}
function visibleTextElements() {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (SKIP.has(el.localName) || !ownText(el)) continue;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility !== 'visible' || el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    // Visually hidden (sr-only) text is clipped to ~1px; it is never seen.
    if (r.width <= 1 || r.height <= 1) continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    if (opacity === 0) continue;
    out.push(el);
  }
  // The body's own text (rare) is text too.
  if (document.body && ownText(document.body)) out.push(document.body);
  return out;
}
"""

_JS_LAYOUT = "(viewportWidth) => {" + _JS_COMMON + r"""
  let min = null;
  for (const el of visibleTextElements()) {
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (min === null || px < min.px) min = {px, element: describe(el), text: ownText(el).slice(0, 60)};
  }
  const root = document.documentElement;
  const scrollWidth = Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0);
  // Culprits: boxes past the right edge whose parent box is not.
  const culprits = [];
  if (scrollWidth > viewportWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement;
      if (right > viewportWidth + 0.5 && (!parent || parent.getBoundingClientRect().right <= viewportWidth + 0.5)) {
        culprits.push(describe(el));
        if (culprits.length >= 5) break;
      }
    }
  }
  return {min, scrollWidth, culprits, textElements: visibleTextElements().length};
}
"""

_JS_CONTRAST = "() => {" + _JS_COMMON + r"""
  const ctx = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  function rgba(str) {
    const m = str.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    // color(), oklch() etc.: let the canvas convert to sRGB.
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = str; ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  }
  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  // The canvas behind everything follows the root's color-scheme (and
  // forced colours), so ask the engine rather than assume white.
  const probe = document.createElement('div');
  probe.style.backgroundColor = 'Canvas';
  document.documentElement.appendChild(probe);
  const canvas = rgba(getComputedStyle(probe).backgroundColor);
  probe.remove();
  const hex = c => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  let worst = null, samples = 0, undetermined = 0;
  for (const el of visibleTextElements()) {
    const layers = [];
    let image = false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') { image = true; break; }
      const c = rgba(s.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    // Text over an image or gradient has no single background colour.
    if (image) { undetermined++; continue; }
    let bg = canvas;
    for (const layer of layers.reverse()) bg = over(layer, bg);
    const s = getComputedStyle(el);
    const fg = over(rgba(s.color), bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    samples++;
    if (worst === null || ratio < worst.ratio) {
      const px = parseFloat(s.fontSize), weight = parseInt(s.fontWeight, 10) || 400;
      worst = {ratio, element: describe(el), text: ownText(el).slice(0, 60),
               color: hex(fg), background: hex(bg), fontPx: px,
               // WCAG "large scale": 18 pt, or 14 pt bold (1 pt = 4/3 px).
               large: px >= 24 || (px >= 18.66 && weight >= 700)};
    }
  }
  return {worst, samples, undetermined};
}
"""


@dataclass(frozen=True)
class LayoutFacts:
    """What a reader sees at one viewport width."""

    viewport_width: int
    min_font_px: float | None  # None: no visible text at all
    min_font_element: str
    min_font_text: str
    scroll_width: int
    text_elements: int
    overflow_elements: tuple[str, ...]

    @property
    def overflow(self) -> bool:
        """Whether the page scrolls sideways at this width."""
        return self.scroll_width > self.viewport_width


@dataclass(frozen=True)
class Scheme:
    """A user colour preference to emulate."""

    name: str
    color_scheme: Literal["light", "dark"] = "light"
    more_contrast: bool = False
    forced_colors: bool = False


SCHEMES: tuple[Scheme, ...] = (
    Scheme("light"),
    Scheme("dark", "dark"),
    Scheme("light-more-contrast", "light", more_contrast=True),
    Scheme("dark-more-contrast", "dark", more_contrast=True),
    Scheme("forced-colors-light", "light", forced_colors=True),
    Scheme("forced-colors-dark", "dark", forced_colors=True),
)


@dataclass(frozen=True)
class ContrastFacts:
    """The lowest-contrast visible text under one scheme."""

    scheme: str
    min_ratio: float | None  # None: no text whose background could be determined
    element: str
    text: str
    color: str
    background: str
    font_px: float | None
    large_text: bool
    samples: int
    undetermined: int  # text over background images or gradients, not measured


def measure_layout(
    path: Path, viewport_width: int, *, viewport_height: int = 900, browser: Browser | None = None
) -> LayoutFacts:
    """Smallest computed font size of visible text, and whether the document
    is wider than ``viewport_width`` CSS px (i.e. scrolls horizontally).

    Zoom is width in disguise: 400 % zoom of a 1280 px window is 320 px.
    """
    with _page(browser, viewport_width, viewport_height) as page:
        page.goto(file_url(path), wait_until="load")
        data: dict[str, Any] = page.evaluate(_JS_LAYOUT, viewport_width)
    least = data.get("min") or {}
    return LayoutFacts(
        viewport_width=viewport_width,
        min_font_px=float(least["px"]) if "px" in least else None,
        min_font_element=str(least.get("element", "")),
        min_font_text=str(least.get("text", "")),
        scroll_width=int(data["scrollWidth"]),
        text_elements=int(data["textElements"]),
        overflow_elements=tuple(str(c) for c in data["culprits"]),
    )


def measure_contrast(
    path: Path,
    schemes: Sequence[Scheme] = SCHEMES,
    *,
    viewport_width: int = 1280,
    browser: Browser | None = None,
) -> dict[str, ContrastFacts]:
    """Minimum WCAG contrast ratio of visible text under each scheme.

    Colours are computed styles, composited over ancestors' backgrounds down
    to the canvas. It does not see overlapping non-ancestor boxes, text
    shadows or background images (counted as ``undetermined``); axe's
    color-contrast rules cover those cases in the default scheme.
    """
    url = file_url(path)
    results: dict[str, ContrastFacts] = {}
    with _page(browser, viewport_width, 900) as page:
        for scheme in schemes:
            # All three preferences in one call: a later emulate_media (or
            # CDP setEmulatedMedia) replaces features set earlier.
            page.emulate_media(
                color_scheme=scheme.color_scheme,
                contrast="more" if scheme.more_contrast else "no-preference",
                forced_colors="active" if scheme.forced_colors else "none",
            )
            page.goto(url, wait_until="load")
            data: dict[str, Any] = page.evaluate(_JS_CONTRAST)
            worst = data.get("worst") or {}
            results[scheme.name] = ContrastFacts(
                scheme=scheme.name,
                min_ratio=round(float(worst["ratio"]), 2) if "ratio" in worst else None,
                element=str(worst.get("element", "")),
                text=str(worst.get("text", "")),
                color=str(worst.get("color", "")),
                background=str(worst.get("background", "")),
                font_px=float(worst["fontPx"]) if "fontPx" in worst else None,
                large_text=bool(worst.get("large", False)),
                samples=int(data["samples"]),
                undetermined=int(data["undetermined"]),
            )
    return results


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two opaque ``#rrggbb`` colours (for tests
    and for reports that explain a number)."""

    def luminance(hex_colour: str) -> float:
        value = hex_colour.lstrip("#")
        channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@contextmanager
def _page(browser: Browser | None, width: int, height: int) -> Iterator[Page]:
    # Reuse the caller's browser when given: start-up costs ~0.5 s.
    with open_browser() if browser is None else nullcontext(browser) as live:
        context = new_context(live, width, height)
        try:
            yield context.new_page()
        finally:
            context.close()
