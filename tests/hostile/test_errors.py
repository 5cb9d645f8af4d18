"""What a failure looks like on the command line: a user's mistake is one ``path:line:col:
message`` (exit 2); a toolkit bug names the edition and the article (exit 1), with the traceback
only under --debug; either way the other editions are built and published."""

from __future__ import annotations

from pathlib import Path

import pytest

import publish.build
import publish.cli
from formats.html.renderer import LargePrintRenderer
from publish.errors import SourceError
from publish.model import Document
from publish.renderer import RenderContext, Renderer, Rendition
from tests.hostile.support import EDITION_FAILED, LOCATED, article, build, verify_manifest

Capsys = pytest.CaptureFixture[str]


class BrokenRenderer:
    name = "broken"
    description = "always fails: a bug"
    suffixes = (".txt",)
    media_type = "text/plain"
    uses: tuple[str, ...] = ()

    def render(self, document: Document, context: RenderContext) -> Rendition:
        raise RuntimeError("the renderer has a bug")


class PickyRenderer(BrokenRenderer):
    name = "picky"

    def render(self, document: Document, context: RenderContext) -> Rendition:
        raise SourceError(document.source, "this edition cannot show that", 6, 2)


@pytest.fixture
def editions(monkeypatch: pytest.MonkeyPatch) -> None:
    renderers: dict[str, Renderer] = {"broken": BrokenRenderer(), "large-print": LargePrintRenderer(),
                                      "picky": PickyRenderer()}
    monkeypatch.setattr(publish.cli, "registered", lambda: renderers)


@pytest.mark.usefixtures("editions")
def test_an_internal_failure_names_edition_and_article(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art")
    built = build(capsys, path.parent, tmp_path / "dist", ("broken", "large-print"))
    assert built.code == 1, built.stderr
    assert "Traceback" not in built.stderr
    failed = [EDITION_FAILED.match(line) for line in built.lines]
    assert failed[0] and failed[0].group("slug") == "art" and failed[0].group("edition") == "broken"
    assert failed[0].group("error") == "internal error: RuntimeError: the renderer has a bug"
    assert built.lines[1:] == ["  (run again with --debug to see the traceback)"]
    assert set(verify_manifest(tmp_path / "dist" / "art")) == {"art.large-print.html"}  # the rest is built

    built = build(capsys, path.parent, tmp_path / "dist", ("broken",), "--debug")
    assert built.code == 1
    assert "Traceback (most recent call last)" in built.stderr and 'raise RuntimeError("the renderer has a bug")' \
        in built.stderr


@pytest.mark.usefixtures("editions")
def test_a_source_error_in_a_renderer_is_exit_2_and_located(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art")
    built = build(capsys, path.parent, tmp_path / "dist", ("picky", "large-print"))
    error = built.one_error(path, r"^this edition cannot show that$", line=6)
    assert error.group("col") == "2"
    assert set(verify_manifest(tmp_path / "dist" / "art")) == {"art.large-print.html"}


@pytest.mark.usefixtures("editions")
def test_a_bug_and_a_source_error_are_both_reported(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art")
    built = build(capsys, path.parent, tmp_path / "dist", ("picky", "broken"))
    assert built.code == 2  # the higher code wins: fix the source first, the bug stays reported
    assert len(built.errors()) == 2


def test_an_error_message_is_one_line(tmp_path: Path, capsys: Capsys) -> None:
    """However long the path or message, the error is one line (rich wraps nothing)."""
    folder = tmp_path / ("a-very-long-folder-name-" * 6) / "art"
    path = article(folder, body="\nSee [@" + "k" * 300 + "].\n")
    built = build(capsys, path.parent, tmp_path / "dist", ("large-print",), "--strict")
    error = built.one_error(path, r"unknown citation key '@k{300}'", line=6)
    assert error.group("col") == "6" and len(built.lines) == 1
    assert LOCATED.match(built.lines[0])


def test_a_bug_in_the_reader_is_an_internal_error_not_bad_input(tmp_path: Path, capsys: Capsys,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a SourceError is the writer's to fix (exit 2, located); anything else escaping the
    reader is our bug: exit 1, named as an internal error of this article, traceback under --debug."""
    def buggy(source: Path) -> Document:
        raise KeyError("a reader bug")

    monkeypatch.setattr(publish.build, "read_article", buggy)
    path = article(tmp_path / "art")
    built = build(capsys, path.parent, tmp_path / "dist", ("large-print",))
    assert built.code == 1, built.stderr
    assert built.lines == [f"✗ art  reading {path}: internal error: KeyError: 'a reader bug'",
                           "  (run again with --debug to see the traceback)"]
    assert not (tmp_path / "dist" / "art").exists()

    built = build(capsys, path.parent, tmp_path / "dist", ("large-print",), "--debug")
    assert built.code == 1
    assert "Traceback (most recent call last)" in built.stderr and 'raise KeyError("a reader bug")' in built.stderr
