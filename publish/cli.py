"""The ``publish`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from publish import __version__
from publish.build import ArticleOutcome, EditionOutcome, build, find_articles, select
from publish.errors import UsageError
from publish.renderer import Settings, registered

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
Turn article sources (Markdown with YAML front matter) into accessible editions:
a tagged PDF (PDF/UA-1), an EPUB 3 (EPUB Accessibility 1.1), a large-print HTML page
and a chaptered MP3 with its transcript. Every edition carries the whole article,
all its references and its disclaimer."""

EPILOG = """\
exit codes: 0 success, 1 an edition failed to build, 2 bad input or usage.
examples:
  publish build                      every article under source/ into dist/
  publish build source/gut-barrier --format pdf --format epub
  publish formats                    the installed editions"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="publish", description=DESCRIPTION, epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    b = commands.add_parser("build", help="build the editions of one or more articles",
                            description="Build editions into OUT/<slug>/, replacing each edition only "
                            "once its new files are complete, and write OUT/<slug>/manifest.json.")
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="an article folder, an article.md, or a folder of articles (default: source/)")
    b.add_argument("-f", "--format", action="append", default=[], metavar="NAME", dest="formats",
                   help="an edition to build (repeatable; default: all, see 'publish formats')")
    b.add_argument("-o", "--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="the output folder (default: dist/)")
    b.add_argument("--papersize", choices=("a4", "letter"),
                   help="page size of the PDFs (default: the source's 'papersize', else A4)")
    b.add_argument("--rate", type=int, default=165, metavar="WPM", help="speech rate in words a minute (default: 165)")
    b.add_argument("--voice", metavar="ID", help="speech voice (default: follows the article's 'lang')")
    b.add_argument("--bitrate", type=int, default=192, choices=(128, 160, 192, 256, 320),
                   help="MP3 bit rate in kbit/s, constant (default: 192)")
    b.add_argument("--read-citations", action="store_true",
                   help="speak in-text citation markers such as '(9)' in the audio edition")
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    b.add_argument("--debug", action="store_true", help="show the traceback of internal failures")

    commands.add_parser("formats", help="list the installed editions (renderers)")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    console = Console(stderr=True, highlight=False, soft_wrap=True)  # an error stays one "path:line:col: message" line
    args = parser().parse_args(argv)
    try:
        if args.command == "formats":
            return list_formats()
        if args.command == "build":
            return run_build(args, console)
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


def run_build(args: argparse.Namespace, console: Console) -> int:
    renderers = select(registered(), args.formats)
    sources = find_articles(args.paths or [Path("source")])
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    settings = Settings(
        papersize=args.papersize,
        speech_rate=args.rate,
        voice=args.voice,
        bitrate=args.bitrate,
        read_citations=args.read_citations,
        source_date_epoch=int(epoch) if epoch.isdigit() else None,
    )
    args.out.mkdir(parents=True, exist_ok=True)

    def progress(article: str, edition: str, outcome: EditionOutcome | None) -> None:
        if outcome is None:
            if not args.quiet:
                console.print(f"  {article}  {edition} …", style="dim")
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

    outcomes = build(sources, renderers, args.out, settings, progress)
    return report(outcomes, args.out, console, quiet=args.quiet)


def report(outcomes: list[ArticleOutcome], out: Path, console: Console, *, quiet: bool) -> int:
    """Print what the progress lines could not (unreadable sources) and choose the exit code."""
    code = EXIT_OK
    for outcome in outcomes:
        if outcome.error is not None:
            console.print(str(outcome.error), markup=False)
            code = EXIT_BAD_INPUT
        for edition in outcome.editions:
            if not edition.ok:
                code = max(code, EXIT_BAD_INPUT if edition.bad_input else EXIT_FAILED)
    if not quiet and code == EXIT_OK:
        console.print(f"Built {len(outcomes)} article(s) into {out}/")
    return code


if __name__ == "__main__":
    sys.exit(main())
