"""Incremental builds with two small counting renderers: an edition is rebuilt exactly when what
it is made from changed (content, not timestamps), and an up-to-date edition hands its published
files and recorded facts to the editions that use it."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from publish import inputs
from publish.build import ArticleOutcome, Options, build
from publish.errors import UsageError
from publish.model import Document
from publish.renderer import RenderContext, Renderer, Rendition, Settings

EVERYTHING = Path(__file__).resolve().parents[1] / "fixtures" / "everything"


@dataclass
class Words:
    """Writes the article's title and image bytes' size; counts its calls."""

    name: str = "words"
    description: str = "test edition"
    suffixes: tuple[str, ...] = (".txt",)
    media_type: str = "text/plain"
    uses: tuple[str, ...] = ()
    calls: list[str] = field(default_factory=list)

    def render(self, document: Document, context: RenderContext) -> Rendition:
        self.calls.append(document.slug)
        image = Path(document.figures_dir) / "images" / "chart.png"
        out = context.out_dir / f"{document.slug}.txt"
        out.write_text(f"{document.meta.title} {image.stat().st_size} {context.settings.bitrate}\n", encoding="utf-8")
        return Rendition((out,), {"title": document.meta.title, "numbers": (1, 2)})


@dataclass
class Summary:
    """Uses ``words``: copies its file and facts, as the EPUB does with the audio's."""

    name: str = "summary"
    description: str = "test edition using another"
    suffixes: tuple[str, ...] = (".summary.json",)
    media_type: str = "application/json"
    uses: tuple[str, ...] = ("words",)
    calls: list[str] = field(default_factory=list)

    def render(self, document: Document, context: RenderContext) -> Rendition:
        self.calls.append(document.slug)
        words = context.results.get("words")
        used = {"facts": dict(words.facts), "text": words.files[0].read_text(encoding="utf-8")} if words else None
        out = context.out_dir / f"{document.slug}.summary.json"
        out.write_text(json.dumps(used, sort_keys=True), encoding="utf-8")
        return Rendition((out,))


@dataclass
class Setup:
    source: Path
    out: Path
    words: Words
    summary: Summary

    @property
    def renderers(self) -> dict[str, Renderer]:
        return {"words": self.words, "summary": self.summary}

    def build(self, settings: Settings | None = None, **options: Any) -> ArticleOutcome:
        (outcome,) = build([self.source / "article.md"], self.renderers, self.out, settings, options=Options(**options))
        assert outcome.ok, outcome
        return outcome

    def calls(self) -> tuple[int, int]:
        return len(self.words.calls), len(self.summary.calls)

    @property
    def folder(self) -> Path:
        return self.out / "everything"

    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        return data


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    source = tmp_path / "src" / "everything"
    shutil.copytree(EVERYTHING, source)
    made = Setup(source, tmp_path / "dist", Words(), Summary())
    made.build()
    assert made.calls() == (1, 1)
    return made


def up_to_date(outcome: ArticleOutcome) -> dict[str, bool]:
    return {e.name: e.up_to_date for e in outcome.editions}


def test_an_unchanged_build_does_no_work(setup: Setup) -> None:
    version = setup.folder.resolve()
    manifest = (setup.folder / "manifest.json").read_bytes()
    outcome = setup.build()
    assert setup.calls() == (1, 1), "no renderer may be called"
    assert up_to_date(outcome) == {"words": True, "summary": True}
    assert setup.folder.resolve() == version, "no new version is published"
    assert (setup.folder / "manifest.json").read_bytes() == manifest


def test_the_manifest_records_what_each_edition_was_made_from(setup: Setup) -> None:
    record = setup.manifest()["editions"]["words"]["inputs"]
    assert set(record) == {"key", "sources"}
    assert record["sources"] == {
        "article.md": inputs.file_sha256(setup.source / "article.md"),
        "images/chart.png": inputs.file_sha256(setup.source / "images" / "chart.png"),
    }


def test_touching_files_rebuilds_nothing(setup: Setup) -> None:
    for path in (setup.source / "article.md", setup.source / "images" / "chart.png"):
        os.utime(path, (1, 1))
    setup.build()
    assert setup.calls() == (1, 1)


def test_an_edited_source_rebuilds_its_editions(setup: Setup) -> None:
    article = setup.source / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Reading Without Barriers", "Reading Freely"),
                       encoding="utf-8")
    outcome = setup.build()
    assert setup.calls() == (2, 2)
    assert up_to_date(outcome) == {"words": False, "summary": False}
    assert "Reading Freely" in (setup.folder / "everything.txt").read_text(encoding="utf-8")


def test_a_changed_image_rebuilds(setup: Setup) -> None:
    with (setup.source / "images" / "chart.png").open("ab") as image:
        image.write(b"\0")
    setup.build()
    assert setup.calls() == (2, 2)


def test_changed_settings_rebuild(setup: Setup) -> None:
    setup.build(Settings(bitrate=128))
    assert setup.calls() == (2, 2)
    setup.build(Settings(bitrate=128))
    assert setup.calls() == (2, 2)


def test_force_rebuilds_everything(setup: Setup) -> None:
    outcome = setup.build(force=True)
    assert setup.calls() == (2, 2)
    assert up_to_date(outcome) == {"words": False, "summary": False}


def test_a_damaged_published_file_is_made_again(setup: Setup) -> None:
    (setup.folder / "everything.summary.json").write_text("damaged", encoding="utf-8")
    outcome = setup.build()
    assert setup.calls() == (1, 2)
    assert up_to_date(outcome) == {"words": True, "summary": False}
    # The up-to-date edition handed over its published file and its facts as recorded.
    summary = json.loads((setup.folder / "everything.summary.json").read_text(encoding="utf-8"))
    assert summary["facts"] == {"title": "Reading Without Barriers", "numbers": [1, 2]}
    assert summary["text"].startswith("Reading Without Barriers ")


def test_an_edition_whose_result_is_unchanged_leaves_its_users_alone(setup: Setup) -> None:
    # words is rebuilt (its file was damaged) but gives the same bytes, so summary is up to date.
    (setup.folder / "everything.txt").write_text("damaged", encoding="utf-8")
    outcome = setup.build()
    assert setup.calls() == (2, 1)
    assert up_to_date(outcome) == {"words": False, "summary": True}


def test_a_failed_edition_is_tried_again(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    article = setup.source / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")

    def broken(document: Document, context: RenderContext) -> Rendition:
        raise RuntimeError("boom")

    monkeypatch.setattr(setup.summary, "render", broken)
    (outcome,) = build([setup.source / "article.md"], setup.renderers, setup.out)
    assert [e.ok for e in outcome.editions] == [True, False]
    monkeypatch.undo()
    outcome = setup.build()
    assert up_to_date(outcome) == {"words": True, "summary": False}


def test_a_renderer_that_is_not_installed_cannot_go_to_workers(setup: Setup) -> None:
    with pytest.raises(UsageError, match="not an installed renderer"):
        setup.build(jobs=2, force=True)


def test_code_fingerprints_tell_renderers_apart() -> None:
    prints = inputs.code_fingerprints({"words": Words(), "summary": Summary()})
    assert prints["words"] != prints["summary"]
    assert prints == inputs.code_fingerprints({"words": Words(), "summary": Summary()})


def test_a_fifo_where_an_image_was_does_not_hang_the_check(setup: Setup) -> None:
    image = setup.source / "images" / "chart.png"
    image.unlink()
    os.mkfifo(image)
    # The recorded image is hashed before anything is read: a FIFO must count as changed,
    # never be opened (that would wait for a writer forever).
    (outcome,) = build([setup.source / "article.md"], setup.renderers, setup.out)
    assert not outcome.ok
    problems = str(outcome.error) + " ".join(e.error for e in outcome.editions)
    assert "images/chart.png" in problems
