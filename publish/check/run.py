"""Running the checks over published articles: ``publish check`` and ``publish build --check``.

For each article: every registered check whose edition was built runs on ``dist/<slug>``; the
results become ``conformance.json`` and ``conformance.html``, published beside the editions
with ``output.commit(..., checks=...)``; at the end ``dist/index.html`` is written again.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from publish import output
from publish.check.checker import BuiltArticle, Checker, SourceUnavailable, Tools, registered, tools
from publish.check.editions import edition_order
from publish.check.findings import Finding, ToolMissing
from publish.errors import UsageError

if TYPE_CHECKING:
    from playwright.sync_api import Browser

Status = Literal["pass", "warn", "not-run", "fail"]
STATUS_WORDS: dict[str, str] = {"pass": "passed", "warn": "passed with warnings", "not-run": "not run",
                                "fail": "failed"}
# An edition or article some of whose checks did not run: those that ran may all have passed.
SUMMARY_WORDS: dict[str, str] = {**STATUS_WORDS, "not-run": "not fully checked"}


def status_of(findings: Iterable[Finding]) -> Status:
    """fail: a finding blocks publication (``ok`` false, of any severity); warn: an advisory
    (an ok finding of severity warning); pass otherwise."""
    found = list(findings)
    if any(not f.ok for f in found):
        return "fail"
    if any(f.severity == "warning" for f in found):
        return "warn"
    return "pass"


def worst(statuses: Iterable[Status]) -> Status:
    """A check that could not run outranks a warning (nothing verified it) but not a failure."""
    ranked: list[Status] = ["pass", "warn", "not-run", "fail"]
    return max(statuses, key=ranked.index, default="pass")


@dataclass
class CheckResult:
    name: str
    edition: str
    description: str
    findings: list[Finding]
    seconds: float
    detail: str = ""  # traceback of an internal error, for --debug
    title: str = ""  # a heading for people (a checker's optional ``title``), else the name
    missing: str = ""  # the tool without which it did not run (then it has no findings)
    install: str = ""  # and how to install that tool

    @property
    def status(self) -> Status:
        return "not-run" if self.missing else status_of(self.findings)


@dataclass
class EditionResult:
    name: str
    files: list[dict[str, object]]
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def status(self) -> Status:
        if not self.checks:
            return "warn"  # nothing verified it
        return worst(c.status for c in self.checks)


@dataclass
class ArticleResult:
    slug: str
    dist: Path
    title: str
    lang: str
    source: str
    editions: list[EditionResult]
    seconds: float = 0.0
    published: bool = False  # the report is in dist/<slug>/
    note: str = ""  # why it was not published, if not
    source_warnings: tuple[str, ...] = ()  # the build's warnings about the source, "line:col: message"

    @property
    def status(self) -> Status:
        return worst(e.status for e in self.editions) if self.editions else "warn"

    @property
    def checks(self) -> list[CheckResult]:
        return [c for e in self.editions for c in e.checks]

    def counts(self) -> dict[str, int]:
        checks = self.checks
        return {"checks": len(checks), "passed": sum(c.status == "pass" for c in checks),
                "warnings": sum(c.status == "warn" for c in checks),
                "failed": sum(c.status == "fail" for c in checks),
                "not_run": sum(c.status == "not-run" for c in checks)}

    def failed(self, strict: bool) -> bool:
        """Whether ``publish check`` exits 1: a check failed, or could not run (so the editions
        are not verified), or, with ``strict``, warned."""
        return self.status in ("fail", "not-run") or (strict and self.status == "warn")


# Called with (slug, edition, check name, None) when a check starts and with its result when it ends.
Progress = Callable[[str, str, str, "CheckResult | None"], None]


def find_built(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """(dist, slug) of each published article named: ``dist/`` (all of them) or ``dist/<slug>``."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if (path / output.MANIFEST).is_file():
            if not path.is_symlink() and path.resolve().parent.parent.name == output.VERSIONS:
                raise UsageError(f"{path}: a version folder; name the article as DIST/<slug>")
            found.append((path.parent, path.name))
        elif path.is_dir():
            inside = sorted(p.name for p in path.iterdir()
                            if not p.name.startswith(".") and (p / output.MANIFEST).is_file())
            if not inside:
                raise UsageError(f"{path}: nothing built here (expected {path}/<slug>/{output.MANIFEST}; "
                                 "run 'publish build' first)")
            found.extend((path, slug) for slug in inside)
        elif path.exists():
            raise UsageError(f"{path}: not a folder of built articles (give dist/ or dist/<slug>)")
        else:
            raise UsageError(f"{path}: no such file or folder")
    unique: dict[tuple[Path, str], None] = {}
    for dist, slug in found:
        unique.setdefault((dist, slug), None)
    return list(unique)


def run_checker(checker: Checker, article: BuiltArticle) -> CheckResult:
    """One check; a missing tool makes it "not run"; a missing file or a checker's bug become
    failing findings."""
    started = time.perf_counter()
    detail = ""
    missing = install = ""
    try:
        for need in needs(checker):
            need()
        findings = list(checker.check(article))
        if not findings:
            findings = [Finding(checker.name, True, "info", "Nothing to report")]
    except ToolMissing as err:
        findings, missing, install = [], err.tool, err.install
    except FileNotFoundError as err:
        findings = [Finding(f"{checker.name}:file", False, "error", f"Not checked: {err}", "",
                            "Rebuild the edition.")]
    except SourceUnavailable as err:
        findings = [Finding(f"{checker.name}:source", False, "error", f"Not checked: {err}", "",
                            "Run publish check from the project folder, or rebuild.")]
    except Exception as err:  # a checker's bug must not stop the other checks
        detail = traceback.format_exc()
        findings = [Finding(f"{checker.name}:internal", False, "error",
                            f"Internal error in the check: {type(err).__name__}: {err}", "",
                            "This is a bug in the check, not in the edition; run with --debug and report it.")]
    return CheckResult(checker.name, checker.edition, checker.description, findings,
                       time.perf_counter() - started, detail, str(getattr(checker, "title", "") or checker.name),
                       missing, install)


def needs(checker: Checker) -> tuple[Callable[[], object], ...]:
    """A checker's optional ``needs``: functions that raise ToolMissing if a tool is missing."""
    return tuple(getattr(checker, "needs", ()))


@dataclass(frozen=True)
class Unavailable:
    """The checks of a run that cannot run here, found before running any."""

    checks: int  # how many checks the run has (one per article and check of a built edition)
    cannot_run: int  # how many of them need something missing
    missing: tuple[ToolMissing, ...]  # each missing tool once, in the order first met


def unavailable(targets: Sequence[tuple[Path, str]], checkers: Mapping[str, Checker] | None = None) -> Unavailable:
    """Call the ``needs`` of every check the run will make, each function once."""
    chosen = registered() if checkers is None else checkers
    probed: dict[Callable[[], object], ToolMissing | None] = {}

    def probe(need: Callable[[], object]) -> ToolMissing | None:
        if need not in probed:
            try:
                need()
                probed[need] = None
            except ToolMissing as err:
                probed[need] = err
        return probed[need]

    checks = cannot_run = 0
    for dist, slug in targets:
        built = output.read_manifest(output.current(dist, slug))["editions"]
        for checker in chosen.values():
            if checker.edition in built:
                checks += 1
                # Every need, not only up to the first missing one: the advice names all there is to install.
                found = [probe(need) for need in needs(checker)]
                if any(err is not None for err in found):
                    cannot_run += 1
    missing = {(err.tool, err.install): err for err in probed.values() if err is not None}
    return Unavailable(checks, cannot_run, tuple(missing.values()))


def check_article(
    article: BuiltArticle,
    checkers: Mapping[str, Checker],
    progress: Progress | None = None,
    *,
    workers: int = 4,
) -> ArticleResult:
    """Every check of every built edition. Checks that say they may run concurrently (an
    attribute ``concurrent = True``: no browser, thread-safe, e.g. epubcheck's JVM) run in a
    thread pool while the others, the browser checks among them, run here one at a time."""
    started = time.perf_counter()
    manifest = article.manifest
    names = sorted(article.editions, key=edition_order)
    # Per edition: its standard's checks first, parity last.
    plan = [(name, checker) for name in names
            for checker in sorted(checkers.values(), key=lambda c: (c.name.startswith("parity"), c.name))
            if checker.edition == name]

    def run(name: str, checker: Checker) -> CheckResult:
        if progress:
            progress(article.slug, name, checker.name, None)
        result = run_checker(checker, article)
        if progress:
            progress(article.slug, name, checker.name, result)
        return result

    results: dict[str, CheckResult] = {}
    background = [(n, c) for n, c in plan if getattr(c, "concurrent", False)]
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="check") as pool:
        futures = {c.name: pool.submit(run, n, c) for n, c in background}
        for name, checker in plan:
            if checker.name not in futures:
                results[checker.name] = run(name, checker)
        for key, future in futures.items():
            results[key] = future.result()
    editions = []
    for name in names:
        files = [dict(f) for f in manifest["editions"][name].get("files", [])]
        editions.append(EditionResult(name, files, [results[c.name] for n, c in plan if n == name]))
    return ArticleResult(article.slug, article.dist, str(manifest.get("title") or article.slug),
                         str(manifest.get("lang") or ""), str(manifest.get("source") or ""), editions,
                         time.perf_counter() - started, source_warnings=_source_warnings(manifest))


def _source_warnings(manifest: Mapping[str, Any]) -> tuple[str, ...]:
    """The article's warnings, then those each edition gave about the source (build.Rendition)."""
    editions = manifest.get("editions")
    lists = [manifest.get("warnings"), *(entry.get("warnings") for entry in
                                         (editions.values() if isinstance(editions, dict) else ())
                                         if isinstance(entry, dict))]
    return tuple(f"{w.get('line')}:{w.get('col')}: {w.get('message')}" for listed in lists if isinstance(listed, list)
                 for w in listed if isinstance(w, dict))


def check_all(
    targets: Sequence[tuple[Path, str]],
    *,
    checkers: Mapping[str, Checker] | None = None,
    progress: Progress | None = None,
    root: Path | None = None,
    write: bool = True,
    browser: Browser | None = None,
) -> list[ArticleResult]:
    """Check each (dist, slug), publish its reports and rewrite each dist's index.html."""
    from publish.check import index, report

    chosen = registered() if checkers is None else checkers
    results: list[ArticleResult] = []
    with tools(browser) as shared:
        for dist, slug in targets:
            article = load(dist, slug, shared, root or Path.cwd())
            result = check_article(article, chosen, progress)
            if write:
                report.publish(result, article)
            results.append(result)
    if write:
        for dist in dict.fromkeys(dist for dist, _ in targets):
            index.write_index(dist)
    return results


def load(dist: Path, slug: str, shared: Tools, root: Path) -> BuiltArticle:
    folder = output.current(dist, slug)
    if folder is None:
        raise UsageError(f"{dist / slug}: nothing built here")
    return BuiltArticle(slug, dist, folder, output.read_manifest(folder), shared, root)
