"""Where the blocks of a Markdown text lie in its source: Pandoc's Markdown reader gives no
positions, so each block is found by its words, in order."""

from __future__ import annotations

import bisect
import re

WORD = re.compile(r"\w+")
RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$", re.M)


class SourcePlaces:
    """Where the blocks of a text lie in its source: a cursor that follows the blocks forward.

    A block is found by its first few words, in order, with anything but words between them
    (markup, quotes, line ends); the cursor then moves to where its last words are, so the next
    block is looked for after it."""

    def __init__(self, text: str, first_line: int, fixed: bool = False):
        self.text = text
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.first_line = first_line
        self.fixed = fixed  # a text from a front-matter value: every place is the key's line
        self.cursor = 0  # offset into self.text

    def line_at(self, offset: int) -> int:
        return self.first_line + bisect.bisect_right(self.starts, offset) - 1

    def block(self, words: str, advance: bool = True, container: bool = False) -> int:
        """The line of the block whose text is ``words``, searching from the cursor; a container's
        blocks are looked for next, so the cursor stays at its start."""
        if self.fixed:
            return self.first_line
        found = WORD.findall(words)
        start = None
        for count in (5, 3, 2, 1):  # markup between words can hide a few of them
            start = self._find(found[:count], self.cursor) if found else None
            if start is not None:
                break
        if start is None:
            return self.line_at(self.cursor)
        if advance and container:
            self.cursor = self.starts[bisect.bisect_right(self.starts, start) - 1]
        elif advance:
            end = self._find(found[-5:], start, end=True)
            self.cursor = self.starts[bisect.bisect_right(self.starts, end if end is not None else start) - 1]
        return self.line_at(start)

    def rule(self) -> int:
        """The line of the next thematic break (it has no words to look for)."""
        match = RULE.search(self.text, self.cursor)
        if match is None or self.fixed:
            return self.line_at(self.cursor) if not self.fixed else self.first_line
        self.cursor = match.end()
        return self.line_at(match.start())

    def _find(self, words: list[str], offset: int, end: bool = False) -> int | None:
        pattern = re.compile(r"(?<!\w)" + r"\W*".join(re.escape(w) for w in words) + r"(?!\w)")
        match = pattern.search(self.text, offset)
        if match is None:
            return None
        return match.end() if end else match.start()

    def column(self, line: int, needle: str | re.Pattern[str]) -> tuple[int, int]:
        """Line and column of ``needle`` at or after ``line`` (a file line), else ``line``, 1."""
        if not self.fixed:
            lines = self.text.split("\n")
            for index in range(max(line - self.first_line, 0), len(lines)):
                text = lines[index]
                found = text.find(needle) if isinstance(needle, str) else (m.start() if (m := needle.search(text))
                                                                            else -1)
                if found >= 0:
                    return self.first_line + index, found + 1
        return line, 1
