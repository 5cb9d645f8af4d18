"""Fixtures for the reader's tests; the plain helpers are in reader_test_support.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.publish.reader_test_support import MINIMAL_FRONT, article_text

WriteArticle = Callable[..., Path]


@pytest.fixture
def write_article(tmp_path: Path) -> WriteArticle:
    """``write_article(front, body, folder="article")`` writes ``<tmp>/<folder>/article.md``.

    ``front`` is the YAML between the ``---`` lines (without them); pass ``raw=`` (str or bytes)
    to write the file exactly as given instead.
    """

    def write(front: str = MINIMAL_FRONT, body: str = "\nSome text.\n", *, folder: str = "article",
              raw: str | bytes | None = None) -> Path:
        directory = tmp_path / folder
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "article.md"
        if isinstance(raw, bytes):
            path.write_bytes(raw)
        else:
            path.write_text(raw if raw is not None else article_text(front, body), encoding="utf-8")
        return path

    return write
