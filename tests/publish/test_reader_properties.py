"""Property tests: whatever is in ``article.md``, the reader returns a Document or raises one
SourceError of the shape ``path[:line:col]: message``, never anything else; and what a writer
types into a paragraph reaches the large-print page as text, never as markup or script."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formats.html.renderer import LargePrintRenderer
from publish.errors import SourceError
from publish.model import Document, Paragraph, plain_text
from publish.reader import RESERVED_IDS, read_article
from publish.renderer import RenderContext
from tests.publish.reader_test_support import all_ids

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ------------------------------------------------------------------ strategies

YAML_KEYS = st.sampled_from([
    "title", "lang", "subtitle", "author", "date", "publisher", "description", "keywords", "rights", "references",
    "disclaimer", "abbreviations", "papersize", "csl", "doi", "nocite", "x", "?", "- ", "", "'a", "&k title",
])
YAML_VALUES = st.one_of(
    st.sampled_from([
        "T", "en", "en-GB", "xx-!!", "[", "]", "{", "}", "[a, b]", "{a: b}", "&a x", "*a", "*b", "&a [*a]",
        "!!int x", "!!binary zz", "!!set {a}", "!!python/name:os.system", "2024-13-45", "2024-01-01", "'", '"',
        "|", ">-", "- a", "null", "~", "yes", "1e9999", ".nan", "[[2009]]", "{id: k, type: book, title: K}",
        "{id: k, type: book, title: K, issued: {date-parts: [[x]]}}", "- {id: k, type: book}", "apa",
        "../x", "x.csl", "{WHO: World}", "{'': x}", "{2020-01-01: x}", "[[[[[[[[", "@", "`", "\t",
    ]),
    st.text(st.characters(exclude_categories=["Cc", "Cs", "Cn"]), max_size=8),  # text YAML accepts
)
YAML_LINE = st.tuples(st.sampled_from([""] * 12 + ["  ", "    ", "  - ", "- "]), YAML_KEYS, YAML_VALUES).map(
    lambda t: f"{t[0]}{t[1]}: {t[2]}")
FENCE = st.sampled_from(["---"] * 20 + ["...", "--- ", "----", "", "---\r", " ---"])

MARKDOWN = st.sampled_from([
    "[@", "[@k]", "[@k, p. 1]", "[@k; @z]", "[@nobody]", "[-@k]", "[see @k]", "@", "![", "![a](b.png)",
    "![](x.png)", '![a](b.png "c")', "](", ")", "[", "]", "#", "# ", "## ", "### ", "#### ", "###### ", "|",
    "| a | b |\n|:--|--:|\n| c | d |\n", "[^", "[^1]", "[^1]: a note\n", "[^x]: ", "^[inline]", "---", "***",
    "===", "*", "**", "_", "~~", ">", "> ", ">>>>", "`", "``", "```", "```py\n", "~~~", "\n", "\n\n", "\r\n",
    "\r", "\ufeff", "- ", "* ", "1. ", "99999999. ", "  ", "    ", "\t", "<script>", "<!--",
    "[x](javascript:alert(1))", "[x](file:///etc/passwd)", "<https://a.b>", "&amp;", "&#0;", "\\", "\u202e",
    "\U0001f600", "é", "\u0301", "WHO", "LPS",
])
ANY_BUT_NUL = st.characters(exclude_characters="\x00", exclude_categories=["Cs"])
BODY = st.lists(st.one_of(MARKDOWN, st.text(ANY_BUT_NUL, max_size=6)), max_size=40).map("".join)
# Characters that end a read (a NUL anywhere, a control code in YAML): seldom, or little else is tried.
RARE = st.one_of(st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\ufffe", "\x85"]), st.text(min_size=1, max_size=3))


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Texts shaped more or less like an article: front matter of random YAML, a Markdown-ish body."""
    lines = draw(st.lists(YAML_LINE, max_size=8))
    if draw(st.sampled_from([True] * 4 + [False])):
        lines = ["title: A title", "lang: en", *lines]
    if draw(st.booleans()):
        lines.append("references:\n  - {id: k, type: book, title: K}\n  - {id: z, type: book, title: Z}")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    text = f"{bom}{draw(FENCE)}\n" + "\n".join(lines) + f"\n{draw(FENCE)}\n{draw(BODY)}"
    if draw(st.sampled_from([False] * 9 + [True])):  # (integers would favour 0, i.e. always)
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(RARE) + text[at:]
    return text.replace("\n", newline)


SHAPE = r"^{path}(:\d+:\d+)?: \S"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "article"
    path.mkdir()
    return path


def read_or_error(path: Path, data: bytes) -> Document | None:
    path.write_bytes(data)
    try:
        return read_article(path)
    except SourceError as exc:
        assert re.match(SHAPE.format(path=re.escape(str(path))), str(exc)), str(exc)
        assert "\n" not in f"{exc.path}:{exc.line}:{exc.col}"
        return None
    # Any other exception fails the test, with hypothesis's smallest example.


# ------------------------------------------------------------------ never a traceback


@SETTINGS
@given(text=st.text())
def test_any_text(folder: Path, text: str) -> None:
    read_or_error(folder / "article.md", text.encode("utf-8"))


@SETTINGS
@given(data=st.binary(max_size=200))
def test_any_bytes(folder: Path, data: bytes) -> None:
    read_or_error(folder / "article.md", data)


@SETTINGS
@given(text=articles())
def test_article_shaped_text(folder: Path, text: str) -> None:
    document = read_or_error(folder / "article.md", text.encode("utf-8"))
    if document is not None:
        ids = all_ids(document)
        assert len(ids) == len(set(ids)), ids
        assert not set(ids) & RESERVED_IDS


@SETTINGS
@given(text=articles(), cut=st.integers(min_value=0), bad=st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\x80"]))
def test_article_with_a_bad_byte(folder: Path, text: str, cut: int, bad: bytes) -> None:
    data = text.encode("utf-8")
    cut %= len(data) + 1
    read_or_error(folder / "article.md", data[:cut] + bad + data[cut:])


@SETTINGS
@given(body=BODY)
def test_any_body_under_good_front_matter(folder: Path, body: str) -> None:
    front = ("---\ntitle: T\nlang: en\nabbreviations: {WHO: World Health Organization}\nnocite: '@*'\n"
             "disclaimer: Not advice [@k].\nreferences:\n  - {id: k, type: book, title: K}\n"
             "  - {id: z, type: article-journal, title: Z, issued: {date-parts: [[2001]]}}\n---\n")
    document = read_or_error(folder / "article.md", (front + body).encode("utf-8"))
    if document is not None:
        ids = all_ids(document)
        assert len(ids) == len(set(ids)), ids
        assert not set(ids) & RESERVED_IDS
        assert [r.number for r in document.references] == [1, 2]
        assert all(h.level >= 2 for h in document.headings())


# ------------------------------------------------------------------ paragraphs reach the page as text

DANGEROUS = st.sampled_from([
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.js></SCRIPT>", "[click](javascript:alert(1))",
    "[x](JavaScript:alert(1))", "[x](data:text/html,<script>alert(1)</script>)", "[x](vbscript:msgbox(1))",
    '" onerror="alert(1)', "' onmouseover='alert(1)", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>a</a>",
    "&lt;script&gt;", "&#60;script&#62;", "<!-- comment -->", "<style>body{}</style>", "</p><script>x()</script>",
    "{{ doc.meta.title }}", "{% raw %}", "`<script>`", "**<b>bold</b>**", "*<i>x</i>*", "[ok](https://example.org)",
    "<https://example.org/?a=<script>>", "<javascript:alert(1)>", "\u202e", "\U0001f600",
])
WORDS = st.text(alphabet=st.characters(categories=["L", "N"], include_characters=" ,.;:?'\"&<>/=()"),
                min_size=1, max_size=30)
PARAGRAPH = st.lists(st.one_of(WORDS, DANGEROUS), min_size=1, max_size=6).map(lambda parts: "Para " + " ".join(parts))


class _Page(html.parser.HTMLParser):
    """Text by element id, every tag and attribute the page has."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in ("br", "hr", "img", "meta", "link", "track", "source"):
            self.open.append((tag, dict(attrs).get("id")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id in self.open:
            if element_id:
                self.text.setdefault(element_id, []).append(data)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def render_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("render")
    (base / "article").mkdir()
    (base / "out").mkdir()
    return base / "article", base / "out"


@SETTINGS
@given(paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=5), title=WORDS)
def test_paragraph_text_reaches_the_large_print_page_and_no_script(
        render_dirs: tuple[Path, Path], paragraphs: list[str], title: str) -> None:
    article_dir, out_dir = render_dirs
    path = article_dir / "article.md"
    title_yaml = title.replace("'", "''")
    path.write_text(f"---\ntitle: 'T {title_yaml}'\nlang: en\n---\n\n" + "\n\n".join(paragraphs) + "\n",
                    encoding="utf-8")
    document = read_article(path)
    expected = {b.id: plain_text(b.children) for b in document.body if isinstance(b, Paragraph)}
    assert len(expected) >= len(paragraphs)  # raw HTML such as <script> starts a block of its own in Pandoc

    rendition = LargePrintRenderer().render(document, RenderContext(out_dir=out_dir, article_dir=article_dir))
    page = rendition.files[0].read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(page)
    parser.close()

    for block_id, text in expected.items():
        assert squash("".join(parser.text[block_id])) == squash(text)
    assert "<script" not in page.lower()
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed")
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|vbscript|data:text)", value or "", re.I), value
    assert squash("".join(parser.text["title"])) == squash(f"T {title}")
