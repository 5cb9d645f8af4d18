"""Errors a writer can cause, each pointing at a place in the source."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A problem in an article source, reported as ``path:line:col: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, col: int | None = None):
        self.path = Path(path)
        self.message = message
        self.line = line
        self.col = col
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type, tuple[Path, str, int | None, int | None]]:
        # Pickled with its own fields, so it survives the trip back from a worker process.
        return (type(self), (self.path, self.message, self.line, self.col))


class UsageError(Exception):
    """A command line that cannot be carried out (exit code 2)."""

