"""The renderer Protocol and the registry of editions (entry-point group ``publish.formats``)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from publish.model import Document, SourceWarning

ENTRY_POINT_GROUP = "publish.formats"


@dataclass(frozen=True)
class Settings:
    """What a user can choose for a build; renderers read what concerns them."""

    papersize: str | None = None  # overrides the source's papersize
    speech_rate: int = 165
    voice: str | None = None
    bitrate: int = 192
    read_citations: bool = False
    source_date_epoch: int | None = None
    # The audio's spoken form (publish.speech): DOIs spelled out (the source's 'read-dois' too),
    # tables longer than table_rows read in full, code blocks of up to code_lines read out.
    read_dois: bool = False
    read_tables: bool = False
    table_rows: int = 12
    code_lines: int = 3


# Editions of an undated article built without SOURCE_DATE_EPOCH still get one fixed date,
# so that the same source always gives the same bytes.
FALLBACK_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def publication_time(document: Document, settings: Settings) -> datetime:
    """The date an edition states: the source's own, else SOURCE_DATE_EPOCH, else a fixed one."""
    if document.meta.date:
        year, month, day = ([int(p) for p in document.meta.date.split("-")] + [1, 1])[:3]
        return datetime(year, month, day, tzinfo=UTC)
    if settings.source_date_epoch is not None:
        return datetime.fromtimestamp(settings.source_date_epoch, tz=UTC)
    return FALLBACK_TIME


@dataclass(frozen=True)
class RenderContext:
    out_dir: Path  # a private temporary folder; the pipeline moves the files into dist/
    article_dir: Path  # the only folder a source's assets may come from
    settings: Settings = Settings()
    # Results of the editions this one ``uses`` that were built in the same run.
    results: Mapping[str, Rendition] = field(default_factory=dict)
    # A folder for reusable work keyed by content (e.g. synthesised speech), or None for no
    # cache. Anything in it may vanish between builds: the user may delete it at any time.
    cache_dir: Path | None = None
    # Cores this edition may keep busy with threads of its own (the build's --jobs): 1 means
    # work in this thread only. The output must not depend on it.
    threads: int = 1


@dataclass(frozen=True)
class Rendition:
    """What a renderer made: its files (inside out_dir) and facts others may use.

    ``facts`` stay JSON-serialisable (pages, duration, timings...) so they can go into the
    manifest and cross process boundaries.
    """

    files: tuple[Path, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)
    # What the source asks that this edition can only approximate (a passage the speech engine
    # cannot say, read as a notice), each with its place: the build prints them, records them
    # in the manifest, and under --strict the edition fails on the first.
    warnings: tuple[SourceWarning, ...] = ()


@runtime_checkable
class Renderer(Protocol):
    name: str  # the edition's name on the command line, e.g. "pdf"
    description: str  # one line for ``publish formats``
    suffixes: tuple[str, ...]  # the files it writes, e.g. (".pdf",)
    media_type: str
    uses: tuple[str, ...]  # editions whose results this one uses when they are built too

    def render(self, document: Document, context: RenderContext) -> Rendition: ...

    # A renderer may also have ``warm_up(self) -> None``: import what ``render`` needs (a
    # renderer imports its engine late, so listing editions stays quick). A worker process
    # calls it before its first edition of the kind, loading the engine once for all of them.
    # And ``needs_time_budget = False``: where each edition would run in a child process with
    # the edition time budget (on Dask), its editions run in the worker itself, for a renderer
    # whose time the source's limits already bound (EPUB, large print) or whose engine has
    # timeouts of its own and is worth keeping loaded between articles (the audio's).


def warm_up(renderer: Renderer) -> None:
    """The renderer's optional ``warm_up``; a failure is left for ``render`` to report."""
    warm = getattr(renderer, "warm_up", None)
    if callable(warm):
        with contextlib.suppress(Exception):
            warm()


def registered() -> dict[str, Renderer]:
    """Every installed edition by name, in a stable order that puts dependencies first."""
    found: dict[str, Renderer] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        renderer = ep.load()()
        if not isinstance(renderer, Renderer):
            raise TypeError(f"entry point {ep.name} ({ep.value}) does not provide a Renderer")
        found[renderer.name] = renderer
    return dict((name, found[name]) for name in ordered(found))


def ordered(renderers: Mapping[str, Renderer]) -> list[str]:
    """Names in dependency order: an edition comes after those it uses."""
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name not in renderers:
            return
        if name in path:
            raise ValueError(f"editions use each other in a cycle: {' -> '.join((*path, name))}")
        for used in renderers[name].uses:
            visit(used, (*path, name))
        done.append(name)

    for name in sorted(renderers):
        visit(name, ())
    return done
