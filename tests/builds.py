"""Whole-article builds through the real pipeline (``publish.build.build_article``) with a fixed
SOURCE_DATE_EPOCH, so the tests read the very files ``nox -s publish`` would publish.

The session fixtures of tests/conftest.py build the seed article and the "everything" fixture
ONCE for the whole run: the edition tests (tests/formats/) and the check tests (tests/check/)
share that build. Audio synthesis is the slow part (about 6 s for the seed).

    def test_x(article_builds: ArticleBuilds) -> None:
        seed = article_builds.get("seed")
        epub = seed.file("epub", ".epub")
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from publish.build import EditionOutcome, build_article, select
from publish.cli import main
from publish.model import Document
from publish.reader import read_article
from publish.renderer import Renderer, Settings, registered
from tests.tools import require_chromium, require_java

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = {
    "seed": ROOT / "source" / "gut-barrier" / "article.md",
    "everything": ROOT / "tests" / "fixtures" / "everything" / "article.md",
    "math": ROOT / "tests" / "fixtures" / "math" / "article.md",
}
SETTINGS = Settings(source_date_epoch=1700000000)
EDITIONS = ("audio", "epub", "large-print")


SIX_FILES = (".pdf", ".large-print.pdf", ".epub", ".large-print.html", ".mp3", ".vtt")


def build_and_check(article: Path, dist: Path) -> Path:
    """The article built into ``dist`` through the command line, all six files, and ``publish
    check`` passed on it; its folder."""
    require_chromium()
    require_java()
    assert main(["build", str(article), "--out", str(dist), "-q", "--jobs", "2"]) == 0
    folder = dist / article.parent.name
    assert sorted(p.name.removeprefix(folder.name) for p in folder.iterdir() if p.name.startswith(folder.name)) \
        == sorted(SIX_FILES)
    assert main(["check", str(folder), "-q"]) == 0
    return folder


def edition_names() -> list[str]:
    """The editions the tests build: audio, EPUB and large print, plus the PDF when installed
    (the EPUB's page list follows the PDF's layout)."""
    installed = registered()
    return [*EDITIONS, *(name for name in ("pdf", "large-print-pdf") if name in installed)]


def renderers() -> dict[str, Renderer]:
    return select(registered(), edition_names())


@dataclass
class ArticleBuild:
    """One article built into ``dist`` (``dist/<slug>/`` holds the published files)."""

    name: str  # "seed" or "everything"
    document: Document
    dist: Path
    outcomes: list[EditionOutcome] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.dist / self.document.slug

    def outcome(self, edition: str) -> EditionOutcome | None:
        return next((o for o in self.outcomes if o.name == edition), None)

    def built(self, edition: str) -> bool:
        found = self.outcome(edition)
        return found is not None and found.ok

    def file(self, edition: str, suffix: str) -> Path:
        """The published file of an edition; fails the test (with the error) if it did not build."""
        found = self.outcome(edition)
        assert found is not None, f"{edition} was not built for {self.name}"
        assert found.ok, f"{edition} of {self.name} failed: {found.error}\n{found.detail}"
        path = self.folder / f"{self.document.slug}{suffix}"
        assert path.is_file(), f"{path} is missing after a successful build"
        return path

    @cached_property
    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        return data

    def facts(self, edition: str) -> dict[str, Any]:
        facts: dict[str, Any] = self.manifest["editions"][edition]["facts"]
        return facts

    @cached_property
    def decoded_mp3(self) -> tuple[npt.NDArray[np.float32], int]:
        """The audio edition's MP3 decoded with soundfile (frames x channels, sample rate), once."""
        import soundfile as sf  # type: ignore[import-untyped]

        samples, rate = sf.read(self.file("audio", ".mp3"), dtype="float32", always_2d=True)
        return samples, int(rate)


class ArticleBuilds:
    """Builds each article on first use, then hands out the same build."""

    def __init__(self, make_dist: Callable[[], Path]) -> None:
        self._make_dist = make_dist
        self._done: dict[str, ArticleBuild] = {}

    def get(self, name: str) -> ArticleBuild:
        if name not in self._done:
            document = read_article(ARTICLES[name])
            dist = self._make_dist()
            outcomes = build_article(document, renderers(), dist, SETTINGS)
            self._done[name] = ArticleBuild(name, document, dist, outcomes)
        return self._done[name]
