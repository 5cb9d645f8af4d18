"""Checks on the Markdown text before Pandoc reads it, for what Pandoc cannot read in time.

Pandoc's Markdown reader backtracks over every open square bracket (each may start a link):
eight nested brackets take it seconds, twelve take minutes. No article nests them like that,
so a paragraph that does is refused, where it does, before Pandoc is asked.
"""

from __future__ import annotations

import re
from pathlib import Path

from publish.errors import SourceError

MAX_OPEN_BRACKETS = 6
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Spans whose brackets Pandoc never reads as links: inline code and inline math.
VERBATIM = re.compile(r"(`+).*?\1|\$[^$\s][^$]*?\$|\\.")
CONTAINER = re.compile(r"[ \t]*(?:>|[-+*](?=\s)|\d{1,9}[.)](?=\s))")


def refuse_deep_brackets(text: str, first_line: int, path: Path) -> None:
    depth = 0
    fence = ""
    for index, line in enumerate(text.split("\n")):
        if fence:
            if line.strip().startswith(fence):
                fence = ""
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        if not line.strip():
            depth = 0  # a blank line ends the paragraph, and with it every open bracket
            continue
        masked = VERBATIM.sub(lambda m: " " * len(m.group()), line)
        for col, char in enumerate(masked, start=1):
            if char == "[":
                depth += 1
                if depth > MAX_OPEN_BRACKETS:
                    raise SourceError(path, f"square brackets are open more than {MAX_OPEN_BRACKETS} deep here, "
                                      "which Pandoc cannot read in reasonable time: close them, or write \\[ for a "
                                      "bracket that is only text", first_line + index, col)
            elif char == "]":
                depth = max(depth - 1, 0)


def deepest_nesting(text: str, first_line: int, max_depth: int) -> tuple[int, int] | None:
    """Where lists and quotes first open more than ``max_depth`` deep on one line, if anywhere:
    the place to name when the AST is too deep to load at all."""
    for index, line in enumerate(text.split("\n")):
        count = 0
        position = 0
        while (match := CONTAINER.match(line, position)) and match.end() > position:
            count += 1
            position = match.end()
        if count > max_depth:
            return first_line + index, len(line) - len(line.lstrip()) + 1
    return None
