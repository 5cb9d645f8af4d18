"""Shared fixtures: one headless Chromium and Java for the whole run (see tests/tools.py), and
one build of each article for every folder that reads it (see tests/builds.py)."""

from __future__ import annotations

import pytest

from tests.builds import ArticleBuild, ArticleBuilds
from tests.tools import chromium_browser, java, pytest_terminal_summary

__all__ = ["article_builds", "article_rebuilds", "chromium_browser", "java", "pytest_terminal_summary", "seed_build"]


@pytest.fixture(scope="session")
def article_builds(tmp_path_factory: pytest.TempPathFactory) -> ArticleBuilds:
    """The seed and the everything fixture, each built once per session, for tests/formats and
    tests/check alike (they only read it; a test that breaks files copies them first)."""
    return ArticleBuilds(lambda: tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def article_rebuilds(tmp_path_factory: pytest.TempPathFactory) -> ArticleBuilds:
    """A second, independent build of each article (same settings), for reproducibility."""
    return ArticleBuilds(lambda: tmp_path_factory.mktemp("dist-again"))


@pytest.fixture(scope="session")
def seed_build(article_builds: ArticleBuilds) -> ArticleBuild:
    return article_builds.get("seed")
