"""The build pipeline: find articles, render each edition in a private folder, then move the
finished files into ``dist/<slug>/`` so a failed edition never replaces the last good one."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish import __version__
from publish.errors import SourceError, UsageError
from publish.model import Document
from publish.reader import read_article
from publish.renderer import RenderContext, Renderer, Rendition, Settings, ordered

MANIFEST = "manifest.json"


@dataclass
class EditionOutcome:
    name: str
    ok: bool
    seconds: float
    files: tuple[str, ...] = ()
    error: str = ""
    bad_input: bool = False  # the source was at fault, not the toolkit
    detail: str = ""  # the traceback of an internal failure, shown under --debug


@dataclass
class ArticleOutcome:
    source: Path
    slug: str = ""
    error: SourceError | None = None
    editions: list[EditionOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and all(e.ok for e in self.editions)


# Called as (article, edition, None) when an edition starts and with its outcome when it ends.
Progress = Callable[[str, str, "EditionOutcome | None"], None]


def find_articles(paths: Sequence[Path]) -> list[Path]:
    """``article.md`` files named by the paths: a file, an article folder or a folder of them."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif (path / "article.md").is_file():
            found.append(path / "article.md")
        elif path.is_dir():
            inside = sorted(p for p in path.glob("*/article.md") if p.is_file())
            if not inside:
                raise UsageError(f"{path}: no article here (expected {path}/<slug>/article.md)")
            found.extend(inside)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def select(renderers: dict[str, Renderer], names: Sequence[str]) -> dict[str, Renderer]:
    """The editions to build, in dependency order; unknown names are a usage error."""
    unknown = [n for n in names if n not in renderers]
    if unknown:
        raise UsageError(f"unknown format {', '.join(unknown)}; installed: {', '.join(renderers)}")
    chosen = {n: renderers[n] for n in (names or renderers)}
    return {n: chosen[n] for n in ordered(chosen)}


def build(
    sources: Sequence[Path],
    renderers: dict[str, Renderer],
    out: Path,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[ArticleOutcome]:
    outcomes = []
    for source in sources:
        outcome = ArticleOutcome(source)
        try:
            document = read_article(source)
        except SourceError as exc:
            outcome.error = exc
            outcomes.append(outcome)
            continue
        outcome.slug = document.slug
        outcome.editions = build_article(document, renderers, out, settings or Settings(), progress)
        outcomes.append(outcome)
    return outcomes


def build_article(
    document: Document,
    renderers: dict[str, Renderer],
    out: Path,
    settings: Settings,
    progress: Progress | None = None,
) -> list[EditionOutcome]:
    target = out / document.slug
    target.mkdir(parents=True, exist_ok=True)
    results: dict[str, Rendition] = {}
    outcomes: list[EditionOutcome] = []
    # The staging folder sits inside dist/ so the final moves are renames on one file system.
    with tempfile.TemporaryDirectory(prefix=f".staging-{document.slug}-", dir=out) as staging:
        for name, renderer in renderers.items():
            if progress:
                progress(document.slug, name, None)
            started = time.perf_counter()
            edition_dir = Path(staging) / name
            edition_dir.mkdir()
            context = RenderContext(
                out_dir=edition_dir,
                article_dir=Path(document.figures_dir),
                settings=settings,
                results={used: results[used] for used in renderer.uses if used in results},
            )
            try:
                rendition = renderer.render(document, context)
                _check_inside(rendition, edition_dir)
            except SourceError as exc:
                outcomes.append(EditionOutcome(name, False, time.perf_counter() - started, error=str(exc),
                                               bad_input=True))
            except Exception as exc:  # a renderer's bug must not take the other editions down
                outcomes.append(EditionOutcome(name, False, time.perf_counter() - started,
                                               error=f"internal error: {type(exc).__name__}: {exc}",
                                               detail=traceback.format_exc()))
            else:
                results[name] = rendition
                outcomes.append(EditionOutcome(name, True, time.perf_counter() - started,
                                               files=tuple(p.name for p in rendition.files)))
            if progress:
                progress(document.slug, name, outcomes[-1])
        publish_editions(document, target, results)
    return outcomes


def _check_inside(rendition: Rendition, folder: Path) -> None:
    for path in rendition.files:
        if path.parent != folder or not path.is_file():
            raise RuntimeError(f"renderer reported {path}, which is not a file it wrote in {folder}")


def publish_editions(document: Document, target: Path, results: dict[str, Rendition]) -> None:
    """Move finished editions into place, then rewrite the manifest to describe what is there."""
    manifest = read_manifest(target)
    for name, rendition in results.items():
        for path in rendition.files:
            os.replace(path, target / path.name)
        manifest["editions"][name] = {
            "files": [describe(target / path.name) for path in rendition.files],
            "facts": _jsonable(rendition.facts),
        }
    manifest.update(
        slug=document.slug,
        source=document.source,
        title=document.meta.title,
        lang=document.meta.lang,
        generator=f"accessible-publish {__version__}",
    )
    # Editions whose files are gone (deleted by hand) are not described.
    manifest["editions"] = {
        name: entry for name, entry in sorted(manifest["editions"].items())
        if all((target / f["name"]).is_file() for f in entry["files"])
    }
    write_atomically(target / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def read_manifest(target: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(manifest, dict) and isinstance(manifest.get("editions"), dict):
            return manifest
    except (OSError, ValueError):
        pass
    return {"editions": {}}


def describe(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return {"name": path.name, "size": path.stat().st_size, "sha256": digest.hexdigest()}


def write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's private mode is wrong for a published file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))

