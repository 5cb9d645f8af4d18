"""The real papers of tests/corpus/, ours against Pandoc: ``nox -s bench`` runs this after run.py.

Ours: ``publish build`` of every paper with ``--jobs 2`` into all six files (two PDFs, EPUB,
large print, MP3 and transcript), cold (a fresh cache and output folder), as one process timed
from outside. Pandoc (the same binary our reader runs): for each paper an EPUB and a PDF through
``--pdf-engine=weasyprint``, with ``--citeproc``, one after the other, as a Makefile would.
Both on the same machine, one after the other; the figures are wall-clock seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"


def papers() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() and (p / "paper.md").is_file())


def ours(work: Path) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "publish", "build", *map(str, papers()), "--out", str(work / "dist"),
                           "--cache", str(work / "cache"), "--jobs", "2", "-q"],
                          capture_output=True, text=True, check=False, cwd=ROOT,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    return time.perf_counter() - started, done.returncode


def pandoc(work: Path) -> tuple[float, int, int]:
    from publish.pandoc import executable

    weasyprint = shutil.which("weasyprint", path=str(Path(sys.executable).parent)) or "weasyprint"
    failed = 0
    started = time.perf_counter()
    for paper in papers():
        for suffix, extra in ((".epub", []), (".pdf", [f"--pdf-engine={weasyprint}"])):
            done = subprocess.run([executable(), "paper.md", "--citeproc", "-o", str(work / f"{paper.name}{suffix}"),
                                   *extra], capture_output=True, cwd=paper, check=False)
            failed += done.returncode != 0
    return time.perf_counter() - started, failed, 2 * len(papers())


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="publish-corpus-bench-"))
    try:
        print(f"corpus: {len(papers())} papers of tests/corpus", file=sys.stderr, flush=True)
        our_seconds, code = ours(work)
        pandoc_seconds, failed, total = pandoc(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'real papers (tests/corpus)':<46} {'wall':>9}  result")
    print(f"{'ours: six files each, --jobs 2, cold':<46} {our_seconds:8.1f}s  "
          f"{'all built' if code == 0 else f'exit {code}'}")
    print(f"{'Pandoc: EPUB + PDF (WeasyPrint) each, serial':<46} {pandoc_seconds:8.1f}s  "
          f"{total - failed} of {total} files built")
    verdict = "met" if our_seconds < pandoc_seconds else "missed"
    print(f"goal (ours below Pandoc's, with four editions and audio against two): {verdict}, "
          f"{our_seconds / pandoc_seconds:.2f} of Pandoc's time")


if __name__ == "__main__":
    main()
