"""What R Markdown and Quarto sources ask their own tools to run, which this toolkit does not.

An ``.Rmd`` or ``.qmd`` file holds code chunks (```` ```{r label, echo=FALSE} ````) that knitr
or Quarto run to make the article's figures and numbers, and Quarto includes other files
(``{{< include intro.qmd >}}``). Pandoc reads neither: a chunk's header is no fence to it, so
its code spills into the text, and an include is shown as typed. Here a chunk becomes a plain
code block (or nothing, where the author hid its code), an include goes, and the writer is told
once, at the first of each, to knit or render the article first. Lines are blanked, never
removed, so every later line keeps its number for errors and warnings.
"""

from __future__ import annotations

import re
from pathlib import Path

from publish.folder import locate
from publish.model import SourceWarning

CHUNK = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*\{(?P<engine>[A-Za-z][\w-]*)(?P<options>[^}]*)\}\s*$")
HIDDEN = re.compile(r"\b(?:include|echo)\s*=\s*(?:FALSE|F)\b")
HIDDEN_QUARTO = re.compile(r"^\s*#\|\s*(?:include|echo)\s*:\s*false\s*$")
INCLUDE = re.compile(r"^\s*\{\{<\s*include\s+(\S+)\s*>\}\}\s*$")


def unrun(text: str, first_line: int, path: Path) -> tuple[str, list[SourceWarning]]:
    """The body with code chunks as code blocks (hidden ones blanked) and includes blanked."""
    lines = text.split("\n")
    warnings: dict[str, SourceWarning] = {}  # the first of each kind, "chunk" and "include"
    index = 0
    while index < len(lines):
        chunk = CHUNK.match(lines[index])
        if chunk is None:
            include = INCLUDE.match(lines[index])
            if include:
                warnings.setdefault("include", SourceWarning(
                    str(path), first_line + index, 1, f"the Quarto include of '{include.group(1)}' is not "
                    "followed, so its text is missing: render the article with Quarto first"))
                lines[index] = ""
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines))
                    if lines[i].strip().startswith(chunk["fence"]) and not lines[i].strip().strip(chunk["fence"][0])),
                   len(lines) - 1)
        hidden = bool(HIDDEN.search(chunk["options"])) or any(HIDDEN_QUARTO.match(line)
                                                               for line in lines[index + 1:end])
        warnings.setdefault("chunk", SourceWarning(
            str(path), first_line + index, 1, f"code chunks ({{{chunk['engine']}}}) are not run: knit or render "
            "the article first to show what they make; their code is shown as code, or left out where the "
            "chunk hides it"))
        if hidden:
            lines[index:end + 1] = [""] * (end + 1 - index)
        else:  # Quarto's "#|" options open the chunk: the fence moves down past them
            options = next((i for i in range(index + 1, end) if not lines[i].strip().startswith("#|")), end)
            lines[index:options] = [""] * (options - 1 - index) + [
                f"{chunk['indent']}{chunk['fence']} {chunk['engine'].lower()}"]
        index = end + 1
    return "\n".join(lines), sorted(warnings.values(), key=lambda warning: warning.line)


MACRO_LINE = re.compile(r"^\s*\\(?:newcommand|renewcommand|providecommand|DeclareMathOperator\*?|def)\b")
HEADER_KEYS = ("header-includes", "include-in-header")


def header_macros(front: dict[str, object], article_dir: Path) -> str:
    """The macros a paper defines for its PDF's LaTeX preamble, in ``header-includes`` or an
    ``include-in-header`` file (at the top or under Quarto's ``format: pdf:``), on one line: its
    math needs them in every edition. Files outside the article's folder are never read."""
    texts: list[str] = []

    def visit(value: object, depth: int) -> None:
        if isinstance(value, dict) and depth < 4:
            for key, item in value.items():
                if key in HEADER_KEYS:
                    texts.extend(_header_texts(item, article_dir))
                else:
                    visit(item, depth + 1)

    visit(front, 0)
    lines = (line.split("%", 1)[0].strip() for text in texts for line in text.splitlines())
    return " ".join(line for line in lines if MACRO_LINE.match(line))


def _header_texts(value: object, article_dir: Path) -> list[str]:
    if isinstance(value, list):
        return [text for item in value for text in _header_texts(item, article_dir)]
    if isinstance(value, dict):
        return ([_file_text(str(value["file"]), article_dir)] if "file" in value else []) + (
            [str(value["text"])] if "text" in value else [])
    if isinstance(value, str):
        return [_file_text(value, article_dir) if "\\" not in value and value.strip().endswith(".tex") else value]
    return []


def _file_text(name: str, article_dir: Path) -> str:
    file, inside, found = locate(name.strip(), article_dir)
    if inside and found and file.stat().st_size < 1_000_000:
        return file.read_text(encoding="utf-8", errors="replace")
    return ""
