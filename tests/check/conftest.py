"""The session's one real build of the seed (tests/conftest.py, shared with tests/formats) and one
full ``publish check`` of it; broken-artifact tests copy the built article first."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from publish import output
from publish.check.checker import BuiltArticle, Checker, Tools, tools
from publish.check.run import CheckResult, run_checker
from tests.builds import ArticleBuild

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def seed(seed_build: ArticleBuild) -> ArticleBuild:
    """The seed article with every edition: the session's one build, the edition tests' too."""
    for edition in ("pdf", "large-print-pdf", "epub", "large-print", "audio"):
        outcome = seed_build.outcome(edition)
        assert outcome is not None and outcome.ok, f"{edition}: {outcome}"
    return seed_build


def copy_dist(build: ArticleBuild, dest: Path) -> Path:
    """A private copy of the build's dist/ (symlink and version folder), safe to break."""
    target = dest / "dist"
    shutil.copytree(build.dist, target, symlinks=True,
                    ignore=shutil.ignore_patterns(output.LOCKS, output.STAGING))
    return target


@dataclass
class Checked:
    """The seed after ``publish check`` (the CLI): its dist, exit code and report."""

    dist: Path
    slug: str
    exit_code: int
    report: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.dist / self.slug

    def check(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = next(c for e in self.report["editions"] for c in e["checks"] if c["name"] == name)
        return found


@pytest.fixture(scope="session")
def checked_seed(seed: ArticleBuild, tmp_path_factory: pytest.TempPathFactory) -> Checked:
    from publish.cli import main

    dist = copy_dist(seed, tmp_path_factory.mktemp("checked"))
    slug = seed.document.slug
    code = main(["check", "-q", str(dist)])
    report = json.loads((dist / slug / "conformance.json").read_text(encoding="utf-8"))
    return Checked(dist, slug, code, report)


class Broken:
    """A copy of the seed's dist to break, and one check to run on it."""

    def __init__(self, dist: Path, slug: str, browser: Callable[[], Browser]) -> None:
        self.dist = dist
        self.slug = slug
        self._browser = browser

    @property
    def folder(self) -> Path:
        return self.dist / self.slug

    def file(self, suffix: str) -> Path:
        return self.folder / f"{self.slug}{suffix}"

    def article(self, shared: Tools) -> BuiltArticle:
        folder = output.current(self.dist, self.slug)
        assert folder is not None
        return BuiltArticle(self.slug, self.dist, folder, output.read_manifest(folder), shared, Path.cwd())

    def run(self, checker: Checker, *, browser: bool = False) -> CheckResult:
        with tools(self._browser() if browser else None) as shared:
            return run_checker(checker, self.article(shared))


@pytest.fixture
def broken(seed: ArticleBuild, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Broken]:
    """The seed's dist copied into tmp_path; ``broken.run(check)`` runs one check on it."""
    yield Broken(copy_dist(seed, tmp_path), seed.document.slug,
                 lambda: request.getfixturevalue("chromium_browser"))


def failing(result: CheckResult) -> list[str]:
    """"check-id: message" of each failing finding."""
    return [f"{f.check}: {f.message}" for f in result.findings if not f.ok]


def explain(result: CheckResult) -> str:
    return "\n".join(str(f) for f in result.findings) + (f"\n{result.detail}" if result.detail else "")


def assert_large_print_pages(pages: Sequence[Path], browser: Browser) -> None:
    """The publication page and the reports are large print like the large-print edition:
    axe-core (AAA included) finds nothing, no text under 24 px, no sideways scrolling at 320 px,
    and 7:1 contrast in every colour scheme."""
    from publish.check.axe import run_axe
    from publish.check.checkers.html import LARGE_PRINT_TAGS
    from publish.check.layout import SCHEMES, measure_contrast, measure_layout

    for page, found in run_axe(pages, LARGE_PRINT_TAGS, browser=browser).items():
        assert [str(f) for f in found if not f.ok] == [], page.name
    for page in pages:
        for width in (1280, 320):
            layout = measure_layout(page, width, browser=browser)
            assert layout.min_font_px is not None and layout.min_font_px >= 24, (page.name, width, layout)
            assert not layout.overflow, (page.name, width, layout.overflow_elements)
        for scheme, contrast in measure_contrast(page, SCHEMES, browser=browser).items():
            assert contrast.min_ratio is not None and contrast.min_ratio >= 7, (page.name, scheme, contrast)
