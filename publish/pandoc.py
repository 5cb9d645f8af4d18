"""Pandoc, the one reader of the source format: Markdown in, its JSON AST out.

The binary ships inside PyPI's ``pypandoc-binary``, so no system Pandoc is needed. Supported:
Pandoc 3.0 and later, whose AST is pandoc-types API 1.23 (the version this module checks).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from publish import precheck
from publish.errors import SourceError

API_MAJOR = (1, 23)
# Pandoc Markdown as authors write it for Pandoc, JOSS and R Markdown, every extension Pandoc
# has on: a YAML block inside the body is Pandoc's metadata (the reader warns that it does not
# read it), and a raw block (```{=latex}) is never output as markup: the translator shows raw
# LaTeX and HTML as text, and leaves out what is meant for other formats ({=comment}, {=docx}).
MARKDOWN = "markdown"
TIMEOUT_S = 60.0


class PandocMissing(RuntimeError):
    """No usable Pandoc: the installation is incomplete (never the article's fault)."""


@functools.cache
def executable() -> str:
    """The pandoc binary: $PUBLISH_PANDOC, else the one in pypandoc-binary, else one on PATH."""
    chosen = os.environ.get("PUBLISH_PANDOC")
    if chosen:
        return chosen
    try:
        import pypandoc

        bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
        if bundled.is_file():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which("pandoc")
    if found:
        return found
    raise PandocMissing("Pandoc is not installed: pip install pypandoc-binary (it ships the pandoc binary)")


@functools.cache
def version() -> str:
    out = subprocess.run([executable(), "--version"], capture_output=True, text=True, timeout=TIMEOUT_S, check=True)
    return out.stdout.split("\n", 1)[0].removeprefix("pandoc").strip()


def markdown_ast(text: str, path: Path, line: int, max_depth: int) -> dict[str, Any]:
    """Pandoc's AST of a Markdown text; ``path`` and ``line`` say where the text starts, for errors."""
    precheck.refuse_deep_brackets(text, line, path)
    try:
        ast: dict[str, Any] = run(["-f", MARKDOWN, "-t", "json"], text, path, line)
        return ast
    except _TooDeep:
        place = precheck.deepest_nesting(text, line, max_depth)
        if place is None:
            raise SourceError(path, "the text is nested too deeply to read", line, 1) from None
        raise SourceError(path, f"lists and block quotes are nested more than {max_depth} deep here", *place) from None


class _TooDeep(Exception):
    """Pandoc's AST nests deeper than Python's JSON reader goes."""


def write(blocks: list[Any], arguments: list[str], timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[bytes]:
    """Pandoc writing ``blocks`` (an AST's, as JSON on stdin) in the format ``arguments`` name;
    the caller reads stdout and stderr. subprocess.TimeoutExpired if it takes longer than
    ``timeout``; PandocMissing if it cannot start."""
    document = {"pandoc-api-version": [*API_MAJOR, 1], "meta": {}, "blocks": blocks}
    try:
        return subprocess.run([executable(), "-f", "json", *arguments], input=json.dumps(document).encode("utf-8"),
                              capture_output=True, timeout=timeout, env={**os.environ, "LANG": "C.UTF-8"})
    except OSError as exc:
        raise PandocMissing(f"Pandoc could not be started ({exc.strerror or exc})") from None


def run(arguments: list[str], text: str, path: Path, line: int = 1) -> Any:
    """Run pandoc on ``text`` (stdin) and load the JSON it prints."""
    command = [executable(), *arguments]
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT_S,
                              env={**os.environ, "LANG": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        raise SourceError(path, f"Pandoc took longer than {TIMEOUT_S:.0f} s to read this text", line, 1) from None
    except OSError as exc:
        raise PandocMissing(f"Pandoc could not be started ({exc.strerror or exc})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(path, f"Pandoc cannot read this text: {message[-1] if message else 'no reason given'}",
                          line, 1)
    try:
        data = json.loads(done.stdout)
    except RecursionError:
        raise _TooDeep from None
    if isinstance(data, dict) and "pandoc-api-version" in data:
        api = tuple(data["pandoc-api-version"][:2])
        if api != API_MAJOR:
            raise PandocMissing(f"Pandoc {version()} writes AST version {'.'.join(map(str, api))}; this toolkit "
                                f"reads {'.'.join(map(str, API_MAJOR))} (Pandoc 3): pip install -U pypandoc-binary")
    if not isinstance(data, dict | list):
        raise PandocMissing("Pandoc printed something other than its JSON AST")
    return data
