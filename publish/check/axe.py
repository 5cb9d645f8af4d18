"""axe-core in headless Chromium on HTML and EPUB XHTML files.

axe-core itself comes from the ``axe-playwright-python`` package (its
``axe.min.js``); we run it directly rather than through that package's
``Axe.run``, which builds the JavaScript call with Python ``repr`` and
opens nothing we could not do in one line.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from contextlib import nullcontext
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.check.browser import file_url, new_context, open_browser
from publish.check.epubfiles import OPF, manifest_path, package_document
from publish.check.findings import CHECK_EXTRA, Finding, Severity, ToolMissing

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHECK = "axe"
# The levels the editions promise: WCAG 2.2 AA everywhere, AAA where the
# large-print edition claims it, plus Deque's best practices.
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
_IMPACT: dict[str, Severity] = {"critical": "error", "serious": "error",
                                "moderate": "warning", "minor": "warning"}
_XHTML_TYPES = {"application/xhtml+xml"}


@cache
def axe_script() -> str:
    """The axe-core bundle shipped with axe-playwright-python."""
    try:
        source = resources.files("axe_playwright_python").joinpath("axe.min.js")
        return source.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as err:
        raise ToolMissing("axe-core", CHECK_EXTRA) from err


def run_axe(
    paths: Sequence[Path],
    tags: Sequence[str] = DEFAULT_TAGS,
    viewport: tuple[int, int] = (1280, 900),
    *,
    browser: Browser | None = None,
) -> dict[Path, list[Finding]]:
    """axe violations for each file, one finding per failing node.

    Each file also gets one ok summary finding (axe version, rules run,
    rules needing manual review), so a clean page is visibly checked.
    Files ending in ``.xhtml`` are parsed as XML, as reading systems do.
    """
    script = axe_script()
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    results: dict[Path, list[Finding]] = {}
    with open_browser() if browser is None else nullcontext(browser) as live:
        context = new_context(live, *viewport)
        try:
            page = context.new_page()
            for path in paths:
                page.goto(file_url(path), wait_until="load")
                problem = _load_problem(path, page.evaluate(_LOAD_STATE))
                if problem:
                    results[path] = [problem]
                    continue
                # Evaluated, not added as <script>: works the same in XHTML
                # and leaves the DOM under test untouched.
                page.evaluate(script)
                response: dict[str, Any] = page.evaluate(
                    "(options) => axe.run(document, options)", options)
                results[path] = _findings(path, response, tags)
        finally:
            context.close()
    return results


# Chromium shows a malformed XHTML file as an error page with a
# <parsererror> element; axe would happily pass that page.
_LOAD_STATE = """() => [document.contentType,
  Array.from(document.getElementsByTagNameNS('*', 'parsererror')).map(e => e.textContent).join(' ')]"""


def _load_problem(path: Path, state: list[str]) -> Finding | None:
    content_type, parser_error = state
    if parser_error:
        return Finding(f"{CHECK}:xml-parse", False, "error",
                       "XHTML is not well-formed: " + " ".join(parser_error.split()),
                       location=path.name, advice="Reading systems reject this file; fix the markup.")
    if path.suffix.lower() == ".xhtml" and content_type not in _XHTML_TYPES:
        return Finding(f"{CHECK}:xml-parse", False, "error",
                       f"Loaded as {content_type}, not application/xhtml+xml", location=path.name,
                       advice="Check the browser's MIME mapping for .xhtml.")
    return None


def _findings(path: Path, response: dict[str, Any], tags: Sequence[str]) -> list[Finding]:
    findings: list[Finding] = []
    for violation in response.get("violations", []):
        rule = str(violation["id"])
        impact = str(violation.get("impact") or "serious")
        for node in violation.get("nodes", []):
            summary = " ".join(str(node.get("failureSummary") or "").split())
            message = f"{rule} ({impact}): {violation.get('help', '')}"
            findings.append(Finding(
                check=f"{CHECK}:{rule}",
                ok=False,
                severity=_IMPACT.get(impact, "error"),
                message=f"{message}. {summary}" if summary else message,
                location=f"{path.name} {_target(node.get('target', []))}",
                advice=str(violation.get("helpUrl", "")),
            ))
    review = sorted({str(item["id"]) for item in response.get("incomplete", [])})
    ran = sum(len(response.get(key, [])) for key in ("passes", "violations", "incomplete"))
    version = (response.get("testEngine") or {}).get("version", "?")
    findings.append(Finding(
        CHECK, True, "info",
        f"axe-core {version}, tags {', '.join(tags)}: {ran} applicable rules, "
        f"{len(response.get('violations', []))} violated"
        + (f"; needs manual review: {', '.join(review)}" if review else ""),
        location=path.name,
    ))
    return findings


def _target(target: Sequence[Any]) -> str:
    # Nested lists are selectors into iframes / shadow roots.
    return " >>> ".join(
        " ".join(str(t) for t in part) if isinstance(part, list) else str(part) for part in target
    )


def epub_documents(epub: Path, dest: Path) -> list[Path]:
    """Unzip ``epub`` into ``dest`` and return its XHTML content documents
    in manifest order, ready for :func:`run_axe`."""
    with zipfile.ZipFile(epub) as zf:
        root = dest.resolve()
        for name in zf.namelist():
            # Refuse entries that would land outside dest ("zip slip").
            if not (root / name).resolve().is_relative_to(root):
                raise ValueError(f"{epub.name}: unsafe path in archive: {name}")
        zf.extractall(root)
        opf_name, package = package_document(zf)
    return [root / manifest_path(opf_name, item) for item in package.iterfind(f".//{{{OPF}}}manifest/{{{OPF}}}item")
            if item.get("media-type") in _XHTML_TYPES]
