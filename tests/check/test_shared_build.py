"""The check tests check the very build of the seed that the edition tests read: building the
seed (every edition, speech included) once per test run, not once per test folder."""

from __future__ import annotations

from tests.builds import ArticleBuild, ArticleBuilds


def test_the_check_tests_share_the_session_build_of_the_seed(seed: ArticleBuild,
                                                             article_builds: ArticleBuilds) -> None:
    assert seed is article_builds.get("seed")
