"""Warnings an edition gives about its source (``Rendition.warnings``: a passage the speech engine
cannot say, read as a notice): the build tells them with their place, the manifest records them
under the edition, an up-to-date edition tells them again, and ``--strict`` fails the edition."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from publish.build import ArticleOutcome, Options, build
from publish.model import Document, Paragraph, SourceWarning
from publish.reader import read_article
from publish.renderer import RenderContext, Renderer, Rendition

EVERYTHING = Path(__file__).resolve().parents[1] / "fixtures" / "everything"


@dataclass
class Approximate:
    """Writes the title, and warns about the article's first paragraph."""

    name: str = "approximate"
    description: str = "test edition that warns"
    suffixes: tuple[str, ...] = (".txt",)
    media_type: str = "text/plain"
    uses: tuple[str, ...] = ()
    warns: bool = True
    calls: list[str] = field(default_factory=list)

    def render(self, document: Document, context: RenderContext) -> Rendition:
        self.calls.append(document.slug)
        out = context.out_dir / f"{document.slug}.txt"
        out.write_text(f"{document.meta.title} {len(self.calls)}\n", encoding="utf-8")
        first = next(b for b in document.body if isinstance(b, Paragraph))
        warnings = (SourceWarning(document.source, first.line, 1, "this paragraph is only approximated"),)
        return Rendition((out,), {"title": document.meta.title}, warnings if self.warns else ())


@dataclass
class Setup:
    source: Path
    out: Path
    edition: Approximate

    def build(self, **options: Any) -> ArticleOutcome:
        renderers: dict[str, Renderer] = {"approximate": self.edition}
        (outcome,) = build([self.source], renderers, self.out, options=Options(**options))
        return outcome

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "everything" / "manifest.json").read_text(encoding="utf-8"))
        return data


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    folder = tmp_path / "src" / "everything"
    shutil.copytree(EVERYTHING, folder)
    return Setup(folder / "article.md", tmp_path / "dist", Approximate())


def first_paragraph_line(source: Path) -> int:
    return next(b.line for b in read_article(source).body if isinstance(b, Paragraph))


def test_an_editions_warning_is_told_and_recorded_with_its_place(setup: Setup) -> None:
    outcome = setup.build()
    assert outcome.ok, outcome
    mine = [w for w in outcome.warnings if w.message == "this paragraph is only approximated"]
    assert len(mine) == 1
    assert mine[0].path == str(setup.source)
    assert mine[0].line == first_paragraph_line(setup.source)
    assert str(mine[0]).startswith(f"{setup.source}:{mine[0].line}:1: warning: ")
    entry = setup.manifest()["editions"]["approximate"]
    assert entry["warnings"] == [{"line": mine[0].line, "col": 1, "message": "this paragraph is only approximated"}]
    # the article's own warnings (about the source as read) stay apart
    assert all(w["message"] != "this paragraph is only approximated" for w in setup.manifest()["warnings"])


def test_an_up_to_date_edition_tells_its_warnings_again(setup: Setup) -> None:
    setup.build()
    outcome = setup.build()
    assert [e.up_to_date for e in outcome.editions] == [True]
    assert len(setup.edition.calls) == 1
    assert [w.message for w in outcome.warnings] == ["this paragraph is only approximated"]


def test_strict_fails_the_edition_on_its_warning_and_keeps_the_last_good_one(setup: Setup) -> None:
    setup.edition.warns = False
    assert setup.build().ok
    published = (setup.out / "everything" / "everything.txt").read_text(encoding="utf-8")
    setup.edition.warns = True
    (setup.source.parent / "article.md").write_text(setup.source.read_text(encoding="utf-8") + "\nMore.\n",
                                                    encoding="utf-8")
    outcome = setup.build(strict=True)
    (edition,) = outcome.editions
    assert not edition.ok and edition.bad_input
    line = first_paragraph_line(setup.source)
    assert edition.error == f"{setup.source}:{line}:1: this paragraph is only approximated (an error under --strict)"
    assert (setup.out / "everything" / "everything.txt").read_text(encoding="utf-8") == published
    assert "warnings" not in setup.manifest()["editions"]["approximate"]


def test_strict_builds_again_an_up_to_date_edition_that_warned(setup: Setup) -> None:
    assert setup.build().ok
    outcome = setup.build(strict=True)
    assert len(setup.edition.calls) == 2
    assert not outcome.ok and outcome.editions[0].bad_input
