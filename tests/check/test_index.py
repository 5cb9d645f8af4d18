"""dist/index.html, the publication page: every article, every edition, links that work;
written by ``publish build`` (its checks "not checked yet") and again by ``publish check``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publish import output
from publish.check.editions import edition_info
from publish.check.index import articles, duration_text, language_name, update_index, write_index
from publish.check.report import human_size
from publish.cli import main
from tests.builds import ARTICLES, ROOT, ArticleBuild
from tests.check.conftest import Checked, assert_large_print_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def words(path: Path) -> str:
    return " ".join(" ".join(parse(path).text).split())


def publish_demo(dist: Path, slug: str, title: str) -> None:
    """Commit a one-edition article straight into ``dist`` (what a build's commit does)."""
    with output.staging(dist, slug) as staging:
        pdf = staging / f"{slug}.pdf"
        pdf.write_bytes(b"%PDF-1.7 tiny")
        output.commit(dist, slug, {"pdf": output.Edition((pdf,), {"pages": 1})},
                      {"slug": slug, "title": title, "lang": "de-AT", "source": ""})


# ---------------------------------------------------------------- written by publish build


def test_a_build_alone_leaves_the_page_with_every_edition(seed: ArticleBuild) -> None:
    """The seed as the build left it (never checked): every edition, its size, pages or
    duration, and language, and "not checked yet" for the article and each edition."""
    index = seed.dist / "index.html"
    text = words(index)
    hrefs = [str(a["href"]) for a in parse(index).links]
    slug = seed.document.slug
    editions = seed.manifest["editions"]
    assert set(editions) == {"pdf", "large-print-pdf", "epub", "large-print", "audio"}
    for name, entry in editions.items():
        assert edition_info(name).label in text
        for f in entry["files"]:
            assert f"{slug}/{f['name']}" in hrefs and human_size(f["size"]) in text, f["name"]
    for name in ("pdf", "large-print-pdf"):
        assert f"Length {editions[name]['facts']['pages']} pages" in text
    assert f"Length {duration_text(editions['audio']['facts']['duration'])}" in text
    assert text.count("Language English (UK)") == 5
    assert "Not checked yet: these editions have not been through the accessibility checks" in text
    assert text.count("Checks Not checked yet") == 5
    assert "conformance.html" not in " ".join(hrefs)


def test_the_unchecked_page_is_accessible_large_print(seed: ArticleBuild, chromium_browser: Browser) -> None:
    assert_large_print_pages([seed.dist / "index.html"], chromium_browser)


def test_builds_racing_into_one_dist_each_leave_a_whole_page(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Two ``publish build`` processes of two articles at once: the page lists both. Then a
    build with nothing to do leaves the page as it was, to the byte and the modification time."""
    out = tmp_path / "dist"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1700000000",
           "PYTHONPATH": str(ROOT)}
    builds = [subprocess.Popen([sys.executable, "-m", "publish", "build", str(ARTICLES[name]), "--format",
                                "large-print", "--out", str(out), "-q"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
              for name in ("seed", "everything")]
    for build in builds:
        printed, _ = build.communicate(timeout=300)
        assert build.returncode == 0, printed
    index = out / "index.html"
    assert sorted(a.slug for a in articles(out)) == ["everything", "gut-barrier"]
    hrefs = [str(a["href"]) for a in parse(index).links]
    assert "gut-barrier/gut-barrier.large-print.html" in hrefs and "everything/everything.large-print.html" in hrefs
    assert words(index).count("Checks Not checked yet") == 2
    assert list((out / output.STAGING).iterdir()) == []  # the page's temporary folder is gone too

    page, stamp = index.read_bytes(), index.stat().st_mtime_ns
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["build", str(ARTICLES["everything"]), "--format", "large-print", "--out", str(out), "-q"]) == 0
    assert index.read_bytes() == page and index.stat().st_mtime_ns == stamp


def test_the_page_is_made_after_every_commit_before_it(tmp_path: Path) -> None:
    """The page is rendered only once its writer holds the page's lock, so of two builds the
    one that writes last has seen both commits. Here the lock is held while a writer waits and
    another article is published; the page written afterwards lists it."""
    dist = tmp_path / "dist"
    publish_demo(dist, "first", "First")
    writer = threading.Thread(target=write_index, args=(dist,))
    with output.locked_page(dist):
        writer.start()
        writer.join(timeout=0.5)  # a writer that did not wait for the lock would be done by now
        assert writer.is_alive() and not (dist / "index.html").exists()
        publish_demo(dist, "second", "Second")
    writer.join(timeout=30)
    assert not writer.is_alive()
    assert [a.slug for a in articles(dist)] == ["first", "second"]
    assert "Second" in words(dist / "index.html")


def test_a_build_that_published_nothing_writes_no_page(tmp_path: Path) -> None:
    assert update_index(tmp_path) is None
    assert not (tmp_path / "index.html").exists()


# ---------------------------------------------------------------- after publish check


def test_index_lists_every_edition_with_working_links(checked_seed: Checked) -> None:
    index = checked_seed.dist / "index.html"
    page = parse(index)
    hrefs = [str(a["href"]) for a in page.links]
    slug = checked_seed.slug
    for name in (f"{slug}.pdf", f"{slug}.large-print.pdf", f"{slug}.epub", f"{slug}.large-print.html",
                 f"{slug}.mp3", f"{slug}.vtt", "conformance.html"):
        assert f"{slug}/{name}" in hrefs, name
    for href in hrefs:
        target = href.split("#")[0]
        if target:
            # Through dist/<slug>, the link to the current version, never into .versions/.
            assert target.startswith(f"{slug}/") and ".versions" not in target, href
            assert (index.parent / target).is_file(), href
    text = " ".join(" ".join(page.text).split())
    assert "3 pages" in text and "7 pages" in text  # the two PDFs
    assert re.search(r"\d+ min \d+ s", text)  # the audio
    assert "English (UK)" in text and " kB" in text and " MB" in text
    assert "All 16 accessibility and parity checks passed." in text
    downloads = [a for a in page.links if "download" in a]
    assert len(downloads) == 5  # everything but the web page, which opens
    assert f'lang="{checked_seed.report["lang"]}"' in index.read_text(encoding="utf-8")


def test_index_edition_results_link_to_the_report(checked_seed: Checked) -> None:
    hrefs = [str(a["href"]) for a in parse(checked_seed.dist / "index.html").links]
    report = (checked_seed.folder / "conformance.html").read_text(encoding="utf-8")
    for edition in ("pdf", "large-print-pdf", "epub", "large-print", "audio"):
        assert f"{checked_seed.slug}/conformance.html#edition-{edition}" in hrefs
        assert f'id="edition-{edition}"' in report


def test_unchecked_article_says_so(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    publish_demo(dist, "demo", "A Demo")
    write_index(dist)
    text = words(dist / "index.html")
    assert "Not checked yet" in text and "1 page" in text and "German (Austria)" in text
    assert sorted(p.name for p in dist.iterdir()) == [".locks", ".staging", ".versions", "demo", "index.html"]
    assert list((dist / output.STAGING).iterdir()) == []  # no temporary left
    assert [a.slug for a in articles(dist)] == ["demo"]


def test_empty_dist_gives_a_page_too(tmp_path: Path) -> None:
    write_index(tmp_path)
    assert "Nothing is published yet." in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_names_of_languages_and_durations() -> None:
    assert language_name("en-GB") == "English (UK)"
    assert language_name("fr") == "French"
    assert language_name("tlh") == "tlh"
    assert duration_text(441.46) == "7 min 21 s"
    assert duration_text(42) == "42 s"
    assert duration_text(3725) == "1 h 2 min"
