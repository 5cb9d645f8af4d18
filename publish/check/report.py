"""The conformance report of one article: ``conformance.json`` for tools, ``conformance.html``
for people, both published beside the editions (``output.commit(..., checks=...)``).

``conformance.json`` is the same, byte for byte, whenever the same build is checked again, so
how long each check took is said only in ``conformance.html`` (and in the terminal)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from publish import __version__, output
from publish.check.checker import BuiltArticle
from publish.check.editions import SYMBOLS, edition_info, lower_label
from publish.check.findings import Finding
from publish.check.run import STATUS_WORDS, SUMMARY_WORDS, ArticleResult, CheckResult

TEMPLATES = Path(__file__).parent / "templates"
JSON_NAME = "conformance.json"
HTML_NAME = "conformance.html"
FORMAT = "publish-conformance/2"  # 2: a check's result may be "not-run" (then "missing" says why); no "seconds"


@cache  # compiled once per process: the publication page is written after every build (publish watch)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["lower_label"] = lower_label
    env.globals.update(words=STATUS_WORDS, summary_words=SUMMARY_WORDS, symbols=SYMBOLS, edition_info=edition_info,
                       size=human_size, css=(TEMPLATES / "pages.css").read_text(encoding="utf-8"), version=__version__)
    return env


def human_size(size: object) -> str:
    value = float(size) if isinstance(size, int | float) else 0.0
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit in ("bytes", "kB") else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"


# ---------------------------------------------------------------- JSON


def finding_data(f: Finding) -> dict[str, Any]:
    return {"check": f.check, "ok": f.ok, "severity": f.severity, "message": f.message,
            "location": f.location, "advice": f.advice}


def check_data(c: CheckResult) -> dict[str, Any]:
    return {"name": c.name, "title": c.title or c.name, "description": c.description, "result": c.status,
            "missing": {"tool": c.missing, "install": c.install} if c.missing else None,
            "findings": [finding_data(f) for f in c.findings]}


def report_data(result: ArticleResult) -> dict[str, Any]:
    editions = result.editions
    return {
        "format": FORMAT,
        "generator": f"accessible-publish {__version__}",
        "slug": result.slug,
        "title": result.title,
        "lang": result.lang,
        "source": result.source,
        "result": result.status,
        "counts": result.counts(),
        "source_warnings": list(result.source_warnings),
        "editions": [{"edition": e.name, "label": edition_info(e.name).label, "result": e.status,
                      "files": e.files, "checks": [check_data(c) for c in e.checks]} for e in editions],
    }


def facts(result: ArticleResult) -> dict[str, Any]:
    """What manifest.json records of the checks (the publication page reads it)."""
    return {"result": result.status, "counts": result.counts(),
            "editions": {e.name: e.status for e in result.editions}, "report": HTML_NAME}


# ---------------------------------------------------------------- HTML


def render_html(result: ArticleResult) -> str:
    data = report_data(result)
    installs = list(dict.fromkeys(c.install for c in result.checks if c.missing))
    seconds = {c.name: c.seconds for c in result.checks}
    return environment().get_template("conformance.html.j2").render(report=data, is_link=_is_link,
                                                                      installs=installs, seconds=seconds)


def _is_link(text: str) -> bool:
    return text.startswith(("https://", "http://")) and " " not in text


def write(result: ArticleResult, folder: Path) -> tuple[Path, Path]:
    json_path = folder / JSON_NAME
    json_path.write_text(json.dumps(report_data(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html_path = folder / HTML_NAME
    html_path.write_text(render_html(result), encoding="utf-8")
    return json_path, html_path


def publish(result: ArticleResult, article: BuiltArticle) -> bool:
    """Publish the reports beside the editions they describe, unless a build replaced those
    editions while the checks ran (then the reports would describe files no longer there)."""
    with output.staging(article.dist, article.slug) as folder:
        files = write(result, folder)
        now = output.read_manifest(output.current(article.dist, article.slug))
        if now.get("editions") != article.manifest.get("editions"):
            result.note = "the article was rebuilt while it was being checked; run publish check again"
            return False
        output.commit(article.dist, article.slug, {}, {}, checks=output.Edition(files, facts(result)))
    result.published = True
    return True
