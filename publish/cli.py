"""The ``publish`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from publish import __version__, cache, executors
from publish.build import ArticleOutcome, EditionOutcome, Options, Progress, build, find_articles, select
from publish.check.findings import ToolMissing
from publish.errors import UsageError
from publish.renderer import Renderer, Settings, registered

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
Turn article sources (Markdown with YAML front matter) into accessible editions:
a tagged PDF (PDF/UA-1), an EPUB 3 (EPUB Accessibility 1.1), a large-print HTML page
and a chaptered MP3 with its transcript. Every edition carries the whole article,
all its references and its disclaimer."""

EPILOG = """\
exit codes: 0 success, 1 an edition failed to build or an internal error, 2 bad input or usage.
examples:
  publish build                      every article under source/ into dist/
  publish build source/gut-barrier --format pdf --format epub
  publish watch source/gut-barrier   rebuild its editions whenever its source changes
  publish formats                    the installed editions
  publish script source/gut-barrier  what the audio edition will say, segment by segment
  publish voices                     the installed speech voices, for --voice ENGINE:VOICE
  publish check                      check every built article in dist/, write its reports
  publish import paper.docx          paper.docx as source/<slug>/article.md, with a report of what to check"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="publish", description=DESCRIPTION, epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="build the editions of one or more articles",
                            description="Build editions into OUT/<slug>/, replacing each edition only "
                            "once its new files are complete, write OUT/<slug>/manifest.json, and "
                            "OUT/index.html, the publication page listing every article in OUT.")
    add_build_options(b)
    b.add_argument("--check", action="store_true",
                   help="check the built articles right after building (as 'publish check' does)")
    w = commands.add_parser("watch", help="build, then rebuild whenever a source changes (Ctrl-C stops)",
                            description="Build as 'publish build' does, then watch the articles' folders and "
                            "build again after every change, on worker processes that stay loaded between "
                            "builds, so an edited paragraph is back in every edition in about a second.")
    add_build_options(w)
    w.add_argument("--interval", type=float, default=0.25, metavar="SECONDS",
                   help="how often to look for changes (default: 0.25)")

    commands.add_parser("formats", help="list the installed editions (renderers)")
    add_script_parser(commands)
    commands.add_parser("voices", help="list the installed speech voices, as --voice names them")
    add_check_parser(commands)
    add_import_parser(commands)
    return top


def add_build_options(b: argparse.ArgumentParser) -> None:
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="an article folder, an article.md, or a folder of articles (default: source/)")
    b.add_argument("-f", "--format", action="append", default=[], metavar="NAME", dest="formats",
                   help="an edition to build (repeatable; default: all, see 'publish formats')")
    b.add_argument("-o", "--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="the output folder (default: dist/)")
    b.add_argument("--papersize", choices=("a4", "letter"),
                   help="page size of the PDFs (default: the source's 'papersize', else A4)")
    b.add_argument("--rate", type=int, default=165, metavar="WPM", help="speech rate in words a minute (default: 165)")
    b.add_argument("--voice", metavar="ENGINE:VOICE",
                   help="the voice of the audio edition, e.g. piper:en_US-joe-medium, piper:/path/to/voice.onnx "
                   "or espeak:gmw/en-US (see 'publish voices'; default: the article's 'voice', else espeak-ng "
                   "in the article's 'lang')")
    b.add_argument("--bitrate", type=int, default=192, choices=(128, 160, 192, 256, 320),
                   help="MP3 bit rate in kbit/s, constant (default: 192)")
    add_speech_options(b)
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    b.add_argument("--debug", action="store_true", help="show the traceback of internal failures")
    add_speed_options(b)


def add_speech_options(b: argparse.ArgumentParser) -> None:
    """What the audio edition says (and ``publish script`` shows)."""
    b.add_argument("--read-citations", action="store_true",
                   help="speak in-text citation markers such as '(9)' in the audio edition")
    b.add_argument("--read-dois", action="store_true",
                   help="spell out each reference's DOI in the audio edition (as the source's 'read-dois: true' "
                   "does); the transcript always shows it")
    b.add_argument("--read-tables", action="store_true",
                   help="read tables of more than 12 rows in full in the audio edition (default: announce them "
                   "and point to the text editions)")


def add_script_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = commands.add_parser(
        "script", help="show what the audio edition will say, to proofread it without listening",
        description="Print the speech script of an article: for each segment its id (the id of its block in "
        "the HTML editions), its pause in seconds, the chapter it starts, and exactly the text the speech "
        "engine will be asked to say. Nothing is synthesised, so it takes a second.",
        epilog="exit codes: 0 success, 2 bad input or usage. example: publish script source/gut-barrier "
        "--out gut-barrier.ssml")
    s.add_argument("path", type=Path, metavar="PATH", help="an article folder or its Markdown file")
    s.add_argument("-o", "--out", type=Path, metavar="FILE",
                   help="write the script to FILE instead of printing it: SSML 1.1 if FILE ends in .ssml, "
                   "else plain text")
    add_speech_options(s)


def add_check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = commands.add_parser(
        "check", help="check built articles: one conformance report per article across every edition",
        description="Run every installed check (PDF/UA, epubcheck, EPUB accessibility metadata, axe-core, "
        "large-print layout and contrast, audio levels, chapters and transcript, and parity with the "
        "source) on built articles; write DIST/<slug>/conformance.json and conformance.html, and "
        "DIST/index.html, the publication page.",
        epilog="exit codes: 0 every check passed, 1 a check failed or could not run (a tool it needs is not "
        "installed), or with --strict warned, 2 bad usage (no such path, nothing built there).")
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="DIST (every article in it) or DIST/<slug> (default: dist/)")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    c.add_argument("--debug", action="store_true", help="show the traceback of a check's internal error")


def add_import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    i = commands.add_parser(
        "import", help="turn a Word (.docx), OpenDocument (.odt) or saved web page (.html) into an article source",
        description="Read FILE with Pandoc and write INTO/<slug>/article.md (Pandoc Markdown with YAML front "
        "matter) and its images under INTO/<slug>/images/, ready for 'publish build'. Word's Title style (else "
        "the first heading) becomes the title; headings are levelled under it with no gaps; lists, tables "
        "(with header row and caption), block quotes, footnotes, links, emphasis and equations are kept; "
        "images get readable names, their alt text and captions; Zotero and Mendeley citations become [@key] "
        "with their data under 'references:'; author, subject, keywords and language come from the document's "
        "properties. Tracked changes are accepted and comments left out. A web page gives its article only "
        "(found by trafilatura), its 'Disclaimer:' paragraph as the disclaimer and, where every entry names a "
        "DOI, its reference list as the bibliography. The report printed says what was kept, what was changed "
        "and what needs your attention, each with its place (paragraph number and heading).",
        epilog="exit codes: 0 imported, 2 the file cannot be read or the article exists already (see --force). "
        "example: publish import manuscript.docx --slug gut-barrier")
    i.add_argument("file", type=Path, metavar="FILE", help="a .docx, .odt, .html or .htm file")
    i.add_argument("--into", type=Path, default=Path("source"), metavar="DIR",
                   help="the folder of articles to write into (default: source/)")
    i.add_argument("--slug", metavar="NAME", help="the article's folder name (default: made from its title)")
    i.add_argument("--force", action="store_true", help="replace an article (and images) already at that place")
    i.add_argument("--date", action="store_true",
                   help="take 'date' from the document (its Date paragraph, else when it was last saved); "
                   "by default the article has no date, as a file's dates are seldom its publication date")


def run_import(args: argparse.Namespace, console: Console) -> int:
    from publish.errors import SourceError
    from publish.importing import import_document

    try:
        imported = import_document(args.file, args.into, args.slug, force=args.force, with_date=args.date)
    except SourceError as exc:
        console.print(str(exc), markup=False)
        return EXIT_BAD_INPUT
    sys.stdout.write(imported.report.text(str(imported.article)))
    return EXIT_OK


def add_speed_options(b: argparse.ArgumentParser) -> None:
    """Incremental, parallel and distributed builds."""
    b.add_argument("--force", action="store_true",
                   help="rebuild every edition, even those whose inputs have not changed")
    b.add_argument("--strict", action="store_true",
                   help="treat every warning about a source (no alt text, unknown raw LaTeX, a guessed language, "
                        "a date that cannot be read...) as an error: exit 2, nothing of that article built; a "
                        "warning one edition gives (a passage the audio cannot speak) fails that edition")
    b.add_argument("--cache", type=Path, metavar="DIR",
                   help="where reusable work such as synthesised speech is kept; safe to delete "
                   "(default: $XDG_CACHE_HOME/publish if set, else .cache/publish/)")
    b.add_argument("-j", "--jobs", type=int, default=executors.default_jobs(), metavar="N",
                   help="editions built at once, each in a worker process (default: the number of cores, "
                   f"{executors.default_jobs()} here); 1 builds in this process")
    b.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="where the workers run: 'local' processes (default) or a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (default with --executor dask: "
                   "a local cluster of --jobs workers)")


def main(argv: Sequence[str] | None = None) -> int:
    # An error stays one "path:line:col: message" line, as written: no emoji (":100:" is one).
    console = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    args = parser().parse_args(argv)
    try:
        if args.command == "formats":
            return list_formats()
        if args.command == "script":
            return run_script(args, console)
        if args.command == "voices":
            return list_voices()
        if args.command == "build":
            return run_build(args, console)
        if args.command == "watch":
            return run_watch(args, console)
        if args.command == "import":
            return run_import(args, console)
        if args.command == "check":
            return run_check(args.paths or [Path("dist")], console, strict=args.strict, quiet=args.quiet,
                             debug=args.debug)
        parser().print_help()
        return EXIT_BAD_INPUT
    except UsageError as exc:
        console.print(f"publish: {exc}", markup=False)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        console.print("publish: interrupted; the editions already in place are untouched", markup=False)
        return 130


def list_formats() -> int:
    for name, renderer in registered().items():
        print(f"{name:<16} {' '.join(renderer.suffixes):<24} {renderer.description}")
    return EXIT_OK


def list_voices() -> int:
    from formats.audio.voices import installed_voices

    print("\n".join(installed_voices()))
    return EXIT_OK


def run_script(args: argparse.Namespace, console: Console) -> int:
    from publish.errors import SourceError
    from publish.reader import read_article
    from publish.speech import segments
    from publish.speech.script import plain, ssml

    (source, *others) = find_articles([args.path])
    if others:
        raise UsageError(f"{args.path}: holds {len(others) + 1} articles; name one of them")
    try:
        document = read_article(source)
    except SourceError as exc:
        console.print(str(exc), markup=False)
        return EXIT_BAD_INPUT
    for warning in document.warnings:
        console.print(str(warning), markup=False, style="yellow")
    settings = Settings(read_citations=args.read_citations, read_dois=args.read_dois, read_tables=args.read_tables)
    spoken = segments(document, settings)
    if args.out is None:
        sys.stdout.write(plain(spoken))
        return EXIT_OK
    text = ssml(spoken, document.meta.lang) if args.out.suffix.lower() == ".ssml" else plain(spoken)
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write the script ({exc.strerror})") from exc
    console.print(f"Wrote the speech script of {source} ({len(spoken)} segments) to {args.out}", markup=False)
    return EXIT_OK


def run_build(args: argparse.Namespace, console: Console) -> int:
    renderers, settings, progress, options = prepare(args, console)
    outcomes = build(find_articles(args.paths or [Path("source")]), renderers, args.out, settings, progress, options)
    return check_built(args, outcomes, report(outcomes, args.out, console, quiet=args.quiet, debug=args.debug),
                       console)


def run_watch(args: argparse.Namespace, console: Console) -> int:
    from publish.watch import watch

    paths = args.paths or [Path("source")]
    find_articles(paths)  # a wrong path is a usage error now, not after the first build
    renderers, settings, progress, options = prepare(args, console)

    def built(outcomes: list[ArticleOutcome], seconds: float) -> None:
        report(outcomes, args.out, console, quiet=args.quiet, debug=args.debug)
        console.print(f"Built in {seconds:.2f} s; watching {', '.join(map(str, paths))} for changes "
                      "(Ctrl-C stops)", style="dim", markup=False)

    try:
        watch(paths, renderers, args.out, settings, progress, options, built, interval=args.interval)
    except KeyboardInterrupt:
        console.print("publish: stopped watching; the editions in place are the last built", markup=False)
    return EXIT_OK


def prepare(args: argparse.Namespace, console: Console) -> tuple[dict[str, Renderer], Settings, Progress, Options]:
    """What ``build`` and ``watch`` take from their shared options."""
    renderers = select(registered(), args.formats)
    if args.voice is not None and "audio" in renderers:
        from formats.audio.voices import VoiceError, check

        try:
            check(args.voice)
        except VoiceError as exc:
            raise UsageError(f"--voice: {exc}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    settings = Settings(
        papersize=args.papersize,
        speech_rate=args.rate,
        voice=args.voice,
        bitrate=args.bitrate,
        read_citations=args.read_citations,
        read_dois=args.read_dois,
        read_tables=args.read_tables,
        source_date_epoch=int(epoch) if epoch.isdigit() else None,
    )
    args.out.mkdir(parents=True, exist_ok=True)

    def progress(article: str, edition: str, outcome: EditionOutcome | None) -> None:
        if outcome is None:
            if not args.quiet:
                console.print(f"  {article}  {edition} …", style="dim")
        elif outcome.up_to_date:
            if not args.quiet:
                console.print(f"[green]✓[/] {article}  {edition:<16}   up to date")
        elif outcome.ok:
            if not args.quiet:
                files = ", ".join(outcome.files)
                console.print(f"[green]✓[/] {article}  {edition:<16} {outcome.seconds:6.1f} s  {files}")
        else:
            console.print(f"[red]✗[/] {article}  {edition}: ", end="")
            console.print(outcome.error, markup=False)
            if outcome.detail:
                console.print(outcome.detail if args.debug else "  (run again with --debug to see the traceback)",
                              markup=False)

    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    options = Options(jobs=args.jobs, executor=args.executor, scheduler=args.scheduler,
                      cache=args.cache or cache.default_dir(), force=args.force, strict=args.strict)
    return renderers, settings, progress, options


def report(outcomes: list[ArticleOutcome], out: Path, console: Console, *, quiet: bool, debug: bool = False) -> int:
    """Print what the progress lines could not (unreadable sources) and choose the exit code:
    only a SourceError is bad input; any other failure of the reader is our bug (exit 1)."""
    code = EXIT_OK
    for outcome in outcomes:
        if not quiet:
            for warning in outcome.warnings:
                console.print(str(warning), markup=False, style="yellow")
        if outcome.error is not None:
            console.print(str(outcome.error), markup=False)
            code = EXIT_BAD_INPUT
        if outcome.internal:
            console.print(f"[red]✗[/] {outcome.slug}  reading {outcome.source}: ", end="")
            console.print(outcome.internal, markup=False)
            console.print(outcome.detail if debug else "  (run again with --debug to see the traceback)",
                          markup=False)
            code = max(code, EXIT_FAILED)
        for edition in outcome.editions:
            if not edition.ok:
                code = max(code, EXIT_BAD_INPUT if edition.bad_input else EXIT_FAILED)
    if not quiet and code == EXIT_OK:
        console.print(f"Built {len(outcomes)} article(s) into {out}/")
    return code


def check_built(args: argparse.Namespace, outcomes: list[ArticleOutcome], code: int, console: Console) -> int:
    """``build --check``: check the articles just built; the worse exit code wins."""
    if not getattr(args, "check", False):
        return code
    built = [args.out / o.slug for o in outcomes if o.slug and (args.out / o.slug / "manifest.json").is_file()]
    if not built:
        return code
    return max(code, run_check(built, console, strict=False, quiet=args.quiet, debug=args.debug))


def run_check(paths: Sequence[Path], console: Console, *, strict: bool, quiet: bool, debug: bool) -> int:
    """``publish check``: every check on each built article, its reports, then the index page."""
    from publish.check.run import SUMMARY_WORDS, CheckResult, check_all, find_built, unavailable

    targets = find_built(paths)
    gaps = unavailable(targets)
    if gaps.cannot_run:
        console.print(cannot_run_line(gaps.cannot_run, gaps.checks, gaps.missing), style="bold", markup=False)
    symbols = {"pass": "[green]✓[/]", "warn": "[yellow]![/]", "not-run": "[cyan]–[/]", "fail": "[red]✗[/]"}

    def progress(slug: str, edition: str, check: str, result: CheckResult | None) -> None:
        if result is None:
            if not quiet:
                console.print(f"  {slug}  {edition} {check} …", style="dim")
            return
        if quiet and result.status in ("pass", "not-run"):  # -q: not-run checks are in the line above
            return
        console.print(f"{symbols[result.status]} {slug}  {edition:<16} {check:<24} {result.seconds:5.1f} s")
        if result.missing:
            console.print(f"    not run: {result.missing} is not installed ({result.install})", markup=False)
        shown = [f for f in result.findings if not f.ok or f.severity == "warning"]
        for finding in shown[:5]:
            console.print(f"    {finding}", markup=False)
        if len(shown) > 5:
            console.print(f"    … and {len(shown) - 5} more in the report", markup=False)
        if debug and result.detail:
            console.print(result.detail, markup=False)

    results = check_all(targets, progress=progress)
    code = EXIT_OK
    for result in results:
        counts = result.counts()
        style = {"pass": "green", "warn": "yellow", "not-run": "cyan", "fail": "red"}[result.status]
        not_run = f", {counts['not_run']} not run" if counts["not_run"] else ""
        console.print(f"[{style}]{result.slug}: {SUMMARY_WORDS[result.status]}[/]: {counts['passed']} of "
                      f"{counts['checks']} checks passed, {counts['failed']} failed, {counts['warnings']} "
                      f"with warnings{not_run} ({result.seconds:.1f} s)")
        for edition in result.editions:
            line = f"  {edition.name:<16} {SUMMARY_WORDS[edition.status]:<22} {len(edition.checks)} checks"
            for status, label in (("fail", "failed"), ("warn", "with warnings"), ("not-run", "not run")):
                names = [c.name for c in edition.checks if c.status == status]
                line += f"; {label}: {', '.join(names)}" if names else ""
            console.print(line, markup=False)
        if result.published:
            console.print(f"  report: {result.dist / result.slug / 'conformance.html'}", markup=False)
        elif result.note:
            console.print(f"  report not written: {result.note}", markup=False)
        if result.failed(strict):
            code = EXIT_FAILED
    for dist in dict.fromkeys(r.dist for r in results):
        console.print(f"Publication page: {dist / 'index.html'}", markup=False)
    return code


def cannot_run_line(cannot_run: int, checks: int, missing: Sequence[ToolMissing]) -> str:
    """The first line of ``publish check`` when tools are missing: what to install, grouped by how."""
    tools: dict[str, list[str]] = {}
    for err in missing:
        tools.setdefault(err.install, []).append(err.tool)
    how = "; ".join(f"{', '.join(names)}: {install}" for install, names in tools.items())
    return f"publish: {cannot_run} of {checks} checks cannot run here; to run them, install {how}"


if __name__ == "__main__":
    sys.exit(main())
