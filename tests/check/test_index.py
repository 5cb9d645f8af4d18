"""dist/index.html, the publication page: every article, every edition, links that work."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from publish import output
from publish.check.index import articles, duration_text, language_name, write_index
from tests.check.conftest import Checked


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
    dist.mkdir()
    with output.staging(dist, "demo") as staging:
        pdf = staging / "demo.pdf"
        pdf.write_bytes(b"%PDF-1.7 tiny")
        output.commit(dist, "demo", {"pdf": output.Edition((pdf,), {"pages": 1})},
                      {"slug": "demo", "title": "A Demo", "lang": "de-AT", "source": ""})
    write_index(dist)
    text = " ".join(" ".join(parse(dist / "index.html").text).split())
    assert "Not checked yet" in text and "1 page" in text and "German (Austria)" in text
    assert [p.name for p in dist.iterdir() if p.name.startswith(".index-")] == []  # no temporary left
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
