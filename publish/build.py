"""The build pipeline: find articles, render each edition in a private folder, then move the
finished files into ``dist/<slug>/`` so a failed edition never replaces the last good one."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from publish import __version__, output
from publish.errors import SourceError, UsageError
from publish.model import Document
from publish.reader import read_article
from publish.renderer import RenderContext, Renderer, Rendition, Settings, ordered


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
    results: dict[str, Rendition] = {}
    outcomes: list[EditionOutcome] = []
    with output.staging(out, document.slug) as staging:
        for name, renderer in renderers.items():
            if progress:
                progress(document.slug, name, None)
            started = time.perf_counter()
            edition_dir = staging / name
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
        editions = {name: output.Edition(r.files, r.facts) for name, r in results.items()}
        output.commit(out, document.slug, editions, article_info(document))
    return outcomes


def article_info(document: Document) -> dict[str, str]:
    """What the manifest says of the article itself."""
    return {"slug": document.slug, "source": document.source, "title": document.meta.title,
            "lang": document.meta.lang, "generator": f"accessible-publish {__version__}"}


def _check_inside(rendition: Rendition, folder: Path) -> None:
    for path in rendition.files:
        if path.parent != folder or not path.is_file():
            raise RuntimeError(f"renderer reported {path}, which is not a file it wrote in {folder}")
