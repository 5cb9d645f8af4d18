"""The large-print HTML edition in headless Chromium: axe-core (AAA included), text size,
reflow at 320 px and 7:1 contrast in every colour scheme."""

from __future__ import annotations

from pathlib import Path

from publish.check.axe import DEFAULT_TAGS, axe_script, run_axe
from publish.check.browser import chromium_executable, playwright_package
from publish.check.checker import BuiltArticle
from publish.check.findings import Finding
from publish.check.layout import SCHEMES, measure_contrast, measure_layout

LARGE_PRINT_TAGS = (*DEFAULT_TAGS, "wcag2aaa")
MIN_FONT_PX = 24.0  # 18 pt, the APH/ACB large-print minimum
NARROW = 320  # CSS px: 1280 px at 400 % zoom (WCAG 1.4.10 Reflow)
WIDE = 1280
MIN_CONTRAST = 7.0  # WCAG 1.4.6, AAA
BROWSER = (chromium_executable, playwright_package)


class LargePrintAxeCheck:
    title = "axe-core, AAA included"
    needs = (*BROWSER, axe_script)
    name = "large-print-axe"
    edition = "large-print"
    suffix = ".large-print.html"
    description = "axe-core in headless Chromium: WCAG 2.2 A, AA and AAA rules and best practices"

    def check(self, article: BuiltArticle) -> list[Finding]:
        path = article.file(self.edition, self.suffix)
        return run_axe([path], LARGE_PRINT_TAGS, (WIDE, 900), browser=article.tools.browser())[path]


class LargePrintLayoutCheck:
    title = "Text size and reflow"
    needs = BROWSER
    name = "large-print-layout"
    edition = "large-print"
    suffix = ".large-print.html"
    description = (f"Smallest computed text size at least {MIN_FONT_PX:g} px, no horizontal "
                   f"scrolling at {NARROW} px wide (400 % zoom), and every formula with its words (alttext)")

    def check(self, article: BuiltArticle) -> list[Finding]:
        path = article.file(self.edition, self.suffix)
        browser = article.tools.browser()
        findings = formula_findings(path)
        for width in (WIDE, NARROW):
            facts = measure_layout(path, width, browser=browser)
            where = f"{path.name} at {width} px"
            if facts.min_font_px is None:
                findings.append(Finding("layout:font-size", False, "error", "No visible text at all", where,
                                        "The page renders empty: check its CSS."))
            elif facts.min_font_px < MIN_FONT_PX:
                findings.append(Finding(
                    "layout:font-size", False, "error",
                    f"Text at {facts.min_font_px:g} px, below the {MIN_FONT_PX:g} px large-print minimum: "
                    f'"{facts.min_font_text}"', f"{where}: {facts.min_font_element}",
                    "Give this element a font size of at least 1.5rem (24 px at the default size)."))
            else:
                findings.append(Finding("layout:font-size", True, "info",
                                        f"Smallest text {facts.min_font_px:g} px over {facts.text_elements} "
                                        "text elements", where))
            if width == NARROW:
                if facts.overflow:
                    findings.append(Finding(
                        "layout:reflow", False, "error",
                        f"The page is {facts.scroll_width} px wide at a {width} px viewport: readers must "
                        "scroll sideways", f"{where}: {', '.join(facts.overflow_elements) or 'the page'}",
                        "Let these elements wrap or shrink (max-width: 100%, overflow-wrap: anywhere), or "
                        "scroll inside themselves (overflow-x: auto)."))
                else:
                    findings.append(Finding("layout:reflow", True, "info",
                                            f"No horizontal scrolling at {width} px", where))
        return findings


class LargePrintContrastCheck:
    title = "Contrast in every colour scheme"
    needs = BROWSER
    name = "large-print-contrast"
    edition = "large-print"
    suffix = ".large-print.html"
    description = (f"Text contrast at least {MIN_CONTRAST:g}:1 in every colour scheme: "
                   + ", ".join(s.name for s in SCHEMES))

    def check(self, article: BuiltArticle) -> list[Finding]:
        path = article.file(self.edition, self.suffix)
        results = measure_contrast(path, SCHEMES, browser=article.tools.browser())
        findings: list[Finding] = []
        for scheme, facts in results.items():
            where = f"{path.name} ({scheme})"
            if facts.min_ratio is None:
                findings.append(Finding("contrast", False, "warning",
                                        f"No text whose background could be measured in the {scheme} scheme",
                                        where, "Check the page by eye in this scheme."))
            elif facts.min_ratio < MIN_CONTRAST:
                findings.append(Finding(
                    "contrast", False, "error",
                    f"Contrast {facts.min_ratio:.2f}:1 in the {scheme} scheme, below {MIN_CONTRAST:g}:1: "
                    f'{facts.color} on {facts.background}, "{facts.text}"', f"{where}: {facts.element}",
                    f"Darken the text or lighten the background (or the reverse in dark schemes) of this "
                    f"element in the {scheme} colours of the stylesheet."))
            else:
                note = f"; {facts.undetermined} over images not measured" if facts.undetermined else ""
                findings.append(Finding("contrast", True, "info",
                                        f"Lowest contrast {facts.min_ratio:.2f}:1 in the {scheme} scheme "
                                        f"over {facts.samples} text elements{note}", where))
        return findings


def formula_findings(path: Path) -> list[Finding]:
    """Every <math> has an alttext: the formula in words, for a screen reader that reads no
    MathML and for a reader who cannot see it."""
    import lxml.html  # type: ignore[import-untyped]

    formulas = [el for el in lxml.html.parse(str(path)).iter() if isinstance(el.tag, str)
                and el.tag.rsplit("}", 1)[-1] == "math"]
    bare = [" ".join("".join(el.itertext()).split())[:40] for el in formulas if not (el.get("alttext") or "").strip()]
    if bare:
        return [Finding("layout:math-alttext", False, "error", f"{len(bare)} of {len(formulas)} formulas without "
                        "alttext: a reader without MathML support hears nothing of them",
                        f"{path.name}: {'; '.join(bare[:3])}",
                        "Give every <math> an alttext with the formula in words.")]
    if formulas:
        return [Finding("layout:math-alttext", True, "info", f"All {len(formulas)} formulas have their words "
                        "(alttext)", path.name)]
    return []
