"""Math through every edition and ``publish check``: the math fixture passes every check, and
the checks fail when a formula loses its words."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from publish.check.checkers.epub import EpubAccessibilityCheck
from publish.check.checkers.html import LargePrintLayoutCheck, formula_findings
from publish.speech import segments
from tests.builds import ArticleBuild, ArticleBuilds
from tests.check.conftest import Broken, copy_dist, failing
from tests.check.test_conformance import rewrite_epub


@pytest.fixture(scope="module")
def math_build(article_builds: ArticleBuilds) -> ArticleBuild:
    return article_builds.get("math")


@pytest.fixture
def broken_math(math_build: ArticleBuild, tmp_path: Path, request: pytest.FixtureRequest) -> Broken:
    return Broken(copy_dist(math_build, tmp_path), math_build.document.slug,
                  lambda: request.getfixturevalue("chromium_browser"))


def test_publish_check_passes_every_check_on_the_math_article(math_build: ArticleBuild, tmp_path: Path) -> None:
    from publish.cli import main

    dist = copy_dist(math_build, tmp_path)
    code = main(["check", "-q", str(dist)])
    report = json.loads((dist / math_build.document.slug / "conformance.json").read_text(encoding="utf-8"))
    problems = {c["name"]: [f"{f['location']}: {f['message']}" for f in c["findings"] if not f["ok"]]
                for e in report["editions"] for c in e["checks"] if c["result"] != "pass"}
    assert problems == {} and code == 0
    assert sum(len(e["checks"]) for e in report["editions"]) == 16


def test_every_formula_is_mathml_with_its_words(math_build: ArticleBuild) -> None:
    formulas = [m for m in math_build.document.formulas() if m.mathml]
    page = math_build.file("large-print", ".large-print.html").read_text(encoding="utf-8")
    tags = re.findall(r'<math xmlns="http://www.w3.org/1998/Math/MathML"[^>]*>', page)
    shown = [(re.search(r'alttext="([^"]*)"', tag), re.search(r'display="(\w+)"', tag)) for tag in tags]
    assert len(shown) == len(formulas) and all(words and words.group(1) for words, _ in shown)
    assert sum(bool(display and display.group(1) == "block") for _, display in shown) == sum(
        m.display for m in formulas)
    assert 'font-family: "Packaged STIX Two Math MathML"' in page
    assert re.search(r'<div class="equation" id="eq-1" role="group" tabindex="0" aria-label="Equation 1">', page)
    assert '<span class="equation-number">(1)</span>' in page


def test_epub_declares_mathml_and_described_math(math_build: ArticleBuild) -> None:
    with zipfile.ZipFile(math_build.file("epub", ".epub")) as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        parts = [book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml")]
    assert re.search(r'<item [^>]*href="article.xhtml"[^>]*properties="mathml"', opf)
    assert re.search(r'<item [^>]*href="disclaimer.xhtml"[^>]*properties="mathml"', opf)
    assert '<meta property="schema:accessibilityFeature">MathML</meta>' in opf
    assert '<meta property="schema:accessibilityFeature">describedMath</meta>' in opf
    assert sum(part.count("<math ") for part in parts) == sum(1 for m in math_build.document.formulas() if m.mathml)


def test_the_audio_says_every_formula_in_words(math_build: ArticleBuild) -> None:
    script = " ".join(s.text for s in segments(math_build.document))
    for math in math_build.document.formulas():
        assert " ".join(math.spoken.split()) in script


def test_a_formula_without_alttext_fails_the_epub_metadata_check(broken_math: Broken) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return re.sub(rb'(<math [^>]*?) alttext="[^"]*"', rb"\1", data, count=1) if name.endswith(".xhtml") else data

    rewrite_epub(broken_math.file(".epub"), edit)
    found = failing(broken_math.run(EpubAccessibilityCheck()))
    assert any("accessibilityFeature describedMath is claimed but not every formula" in m for m in found), found
    assert any("2 formula(s) without alttext" in m for m in found), found  # one in the body, one in the disclaimer


def test_a_formula_without_alttext_fails_the_large_print_check(broken_math: Broken) -> None:
    page = broken_math.file(".large-print.html")
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'(<math [^>]*?) alttext="[^"]*"', r"\1", text, count=1), encoding="utf-8")
    (finding,) = formula_findings(page)
    assert not finding.ok and finding.message.startswith("1 of ")
    assert LargePrintLayoutCheck.description.endswith("every formula with its words (alttext)")
