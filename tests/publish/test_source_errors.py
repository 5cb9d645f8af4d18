"""Every mistake a writer can make gets one ``path:line:col: message`` pointing at it, and the
command line turns it into exit code 2 without a traceback."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from publish import assets
from publish.cli import main
from publish.errors import SourceError
from publish.model import Figure, Image, plain_text
from publish.reader import read_article
from tests.publish.reader_test_support import EVERYTHING, LOCATED, position

Write = Callable[..., Path]

REFERENCES = """\
title: T
lang: en
nocite: "@*"
references:
  - id: legge2007
    type: book
    title: Psychophysics of reading
    issued:
      date-parts: [[2007]]
  - id: rello2013
    type: article-journal
    title: Good fonts for dyslexia
"""


def located(path: Path, line: int, col: int | None = None, message: str = "") -> SourceError:
    """Read ``path``, expecting a SourceError at ``line`` (and ``col``) whose message matches."""
    with pytest.raises(SourceError) as info:
        read_article(path)
    text = str(info.value)
    match = LOCATED.match(text)
    assert match, text
    assert text.startswith(f"{path}:{line}:"), text
    assert "\n" not in text, text
    assert int(match[1]) == line, text
    if col is not None:
        assert int(match[2]) == col, text
    assert re.search(message, match[3]), text
    assert (info.value.line, info.value.path) == (line, path)
    return info.value


# ------------------------------------------------------------------ citations


@pytest.mark.parametrize("body, needle", [
    ("\nFirst paragraph.\n\nSecond cites [@legge2007] and [@nobody] here.\n", "@nobody"),
    ("\nSee [@legge2007; @nobody].\n", "@nobody"),
    ("\nSee [@nobody, p. 4].\n", "@nobody"),
    # A key that starts a known key: the error points at the unknown one, not the known one.
    ("\nSee [@legge2007] and then [@legge].\n", "@legge]"),
    ("\nA paragraph over\ntwo lines [@nobody].\n", "@nobody"),
    ("\n- one\n- two [@nobody]\n", "@nobody"),
    ("\n| a | b |\n|---|---|\n| x | [@nobody] |\n", "@nobody"),
    ("\n> quoted\n> text [@nobody]\n", "@nobody"),
    ("\n## Heading [@nobody]\n", "@nobody"),
    ("\nText.[^1]\n\n[^1]: A note [@nobody].\n", "@nobody"),
], ids=["paragraph", "multiple", "locator", "prefix-of-known", "second-line", "list", "table", "quote", "heading",
        "footnote"])
def test_unknown_citation_key_is_a_warning_at_its_place(write_article: Write, body: str, needle: str) -> None:
    """Pandoc builds a draft that cites what its bibliography lacks, showing "(key?)"; so do we."""
    path = write_article(REFERENCES, body)
    line, col = position(path, needle)
    document = read_article(path)
    (warning,) = [w for w in document.warnings if "unknown citation key" in w.message]
    assert (warning.line, warning.col) == (line, col), warning
    assert re.match(r"unknown citation key '@(nobody|legge)': the editions show '(nobody|legge)\?'", warning.message)
    assert "legge2007" in warning.message and "rello2013" in warning.message  # the known keys are listed


def test_an_unknown_key_shows_as_pandoc_shows_it(write_article: Write) -> None:
    body = "\nSee [@legge2007; @nobody], [@nobody] and @nobody says so; @nobody again.\n"
    document = read_article(write_article(REFERENCES, body))
    assert plain_text(document.body[0].children) == (  # type: ignore[union-attr]
        "See (2) (nobody?), (nobody?) and nobody? says so; nobody? again.")
    assert len([w for w in document.warnings if "unknown citation key" in w.message]) == 1  # once a key


def test_unknown_citation_key_in_the_disclaimer(write_article: Write) -> None:
    path = write_article(REFERENCES + "disclaimer: Not advice [@nobody].\n")
    (warning,) = read_article(path).warnings
    assert warning.line == position(path, "disclaimer:")[0] and "unknown citation key '@nobody'" in warning.message


def test_bracketed_text_that_is_no_citation_is_kept(write_article: Write) -> None:
    document = read_article(write_article(REFERENCES, "\nWrite to [me@example.org] or [see @legge2007].\n"))
    assert "[me@example.org]" in document.body[0].children[0].text  # type: ignore[union-attr]


# ------------------------------------------------------------------ references


def test_duplicate_reference_id(write_article: Write) -> None:
    path = write_article(REFERENCES + "  - id: legge2007\n    type: book\n    title: Again\n")
    line, _ = position(path, "- id: legge2007", occurrence=2)
    first, _ = position(path, "- id: legge2007")
    located(path, line, 1, rf"duplicate reference id 'legge2007' \(first used on line {first}\)")


@pytest.mark.parametrize("item, message", [
    ("  - id: broken\n    type: book\n", r"reference 'broken' has no 'title'"),
    ("  - id: broken\n    type: book\n    title: '  '\n", r"reference 'broken' has no 'title'"),
    ("  - id: broken\n    title: A title\n", r"reference 'broken' has no 'type'"),
    ("  - just a string\n", r"each reference must be a CSL item"),
    ("  - [a, list]\n", r"each reference must be a CSL item"),
    ("  - type: book\n    title: No id\n", r"needs an 'id'"),
    ("  - id: 'has space'\n    type: book\n    title: T\n", r"needs an 'id'"),
    ("  - id: broken\n    type: book\n    title: T\n    issued: 2009\n", r"'issued' needs 'date-parts'"),
    ("  - id: broken\n    type: book\n    title: T\n    issued: {date-parts: foo}\n", r"'issued' needs 'date-parts'"),
    ("  - id: broken\n    type: book\n    title: T\n    issued: {date-parts: [[]]}\n", r"'issued' needs"),
    ("  - id: broken\n    type: book\n    title: T\n    issued: {date-parts: [[twenty]]}\n", r"'issued' needs"),
    ("  - id: broken\n    type: book\n    title: T\n    issued: {year: 2009}\n", r"'issued' needs"),
    ("  - id: broken\n    type: book\n    title: T\n    author: Jane Doe\n", r"'author' must be a list of names"),
    ("  - id: broken\n    type: book\n    title: T\n    2020-01-01: a date as a field name\n",
     r"field whose name is not text"),
    # citeproc-py fails on this one; the error still names the item at fault, not the first.
    ("  - id: broken\n    type: book\n    title: T\n    author:\n      - family: 1\n",
     r"could not be formatted"),
], ids=["no-title", "blank-title", "no-type", "string", "list", "no-id", "bad-id", "issued-number",
        "issued-text-parts", "issued-empty-parts", "issued-word", "issued-no-parts", "author-text", "date-key",
        "citeproc-failure"])
def test_invalid_csl_item(write_article: Write, item: str, message: str) -> None:
    path = write_article(REFERENCES + item)
    line = position(path, item.split("\n")[0].strip())[0]
    located(path, line, 1, message)


def test_references_not_a_list(write_article: Write) -> None:
    path = write_article("title: T\nlang: en\nreferences: {id: a}\n")
    located(path, 4, 1, r"'references' must be a list of CSL items")


def test_accepted_csl_dates(write_article: Write) -> None:
    front = ("title: T\nlang: en\nreferences:\n"
             "  - {id: a, type: book, title: A, issued: {date-parts: [[2009, 10, 8]]}}\n"
             "  - {id: b, type: book, title: B, issued: {date-parts: [['2010']]}}\n"
             "  - {id: c, type: book, title: C, issued: {literal: in press}}\n"
             "  - {id: d, type: book, title: D, issued: {date-parts: [[2001], [2003]]}}\n")
    document = read_article(write_article(front, "\nAll [@a; @b; @c; @d].\n"))
    assert len(document.references) == 4


@pytest.mark.parametrize("csl, message", [
    ("../../../../../../../../../../tmp/evil", r"unknown citation style"),
    ("no-such-style-anywhere", r"unknown citation style 'no-such-style-anywhere'"),
    ("broken.csl", r"the CSL style 'broken.csl' cannot be read"),
])
def test_citation_style(write_article: Write, tmp_path: Path, csl: str, message: str) -> None:
    (tmp_path / "outside.csl").write_text("<style/>")
    path = write_article(f"title: T\nlang: en\ncsl: {csl}\n")
    (path.parent / "broken.csl").write_text("<not xml")
    located(path, 4, 1, message)


def test_a_citation_style_outside_the_folder_is_never_read(write_article: Write, tmp_path: Path) -> None:
    """A Quarto project keeps its style in ../input/bib/: the packaged style of its name stands in."""
    (tmp_path / "apa.csl").write_text("<style/>")
    document = read_article(write_article("title: T\nlang: en\ncsl: ../apa.csl\n"))
    assert document.meta.csl_style == "apa"
    (warning,) = document.warnings
    assert (warning.line, warning.message) == (4, "the CSL style '../apa.csl' is outside the article's folder, "
                                                  "which a build never leaves, so the packaged style 'apa' is used")


# ------------------------------------------------------------------ figures


def with_chart(path: Path) -> Path:
    (path.parent / "images").mkdir(exist_ok=True)
    (path.parent / "images" / "chart.png").write_bytes((EVERYTHING.parent / "images" / "chart.png").read_bytes())
    return path


@pytest.mark.parametrize("body, alt, says", [
    ("\nIntro.\n\n![](images/chart.png)\n", "Image chart.png", "nothing but its name"),
    ("\nIntro.\n\n![](images/chart.png \"A caption\")\n", "Image chart.png", "nothing but its name"),
    ("\n- item\n\n  ![](images/chart.png)\n", "Image chart.png", "nothing but its name"),
    ("\nIntro.\n\n![](images/chart.png){alt=\"\"}\n\n", "Image chart.png", "nothing but its name"),
], ids=["plain", "with-title", "in-a-list", "empty-alt-attribute"])
def test_image_without_alt_text_is_a_warning_at_the_image(write_article: Write, body: str, alt: str,
                                                        says: str) -> None:
    path = with_chart(write_article(body=body))
    document = read_article(path)
    (figure,) = assets.figures(document)
    assert figure.alt == alt
    (warning,) = document.warnings
    assert (warning.line, warning.col) == position(path, "images/chart.png")
    assert says in warning.message and "![what it shows](images/chart.png)" in warning.message


@pytest.mark.parametrize("body", [
    "\nThis paragraph has ![a chart](images/chart.png) inside it.\n",
    "\nFirst line of the paragraph\nand then ![a chart](images/chart.png) on the second.\n",
    "\n## A heading ![a chart](images/chart.png)\n",
    "\n| a |\n|---|\n| ![a chart](images/chart.png) |\n",
], ids=["paragraph", "second-line", "heading", "table-cell"])
def test_an_image_in_the_text_stays_there(write_article: Write, body: str) -> None:
    document = read_article(with_chart(write_article(body=body)))
    (image,) = assets.figures(document)
    assert isinstance(image, Image) and (image.src, image.alt) == ("images/chart.png", "a chart")
    assert not document.warnings


def test_a_remote_image_is_a_placeholder_with_a_warning(write_article: Write) -> None:
    path = write_article(body="\nIntro.\n\n![A map of the sites](https://example.org/map.png)\n\n"
                              "A ![badge](https://img.shields.io/badge/x.svg) in the text.\n")
    document = read_article(path)
    assert assets.figures(document) == []  # nothing to fetch, nothing fetched
    figure = next(b for b in document.body if isinstance(b, Figure))
    assert figure.alt == "A map of the sites" and "never fetched" in figure.missing
    assert [w.line for w in document.warnings] == [position(path, "https://example.org")[0],
                                                   position(path, "https://img.shields")[0]]


# ------------------------------------------------------------------ metadata


def test_missing_title(write_article: Write) -> None:
    located(write_article("lang: en\n"), 2, 1, r"the front matter has no 'title': add 'title: \.\.\.'")


def test_empty_title(write_article: Write) -> None:
    located(write_article("title: ''\nlang: en\n"), 2, 1, r"has no 'title'")


def test_missing_lang(write_article: Write) -> None:
    located(write_article("title: T\n"), 2, 1, r"the front matter has no 'lang'")


@pytest.mark.parametrize("lang", ["english language", "e", "en_GB", "42", "en-", "'en GB'"])
def test_invalid_lang(write_article: Write, lang: str) -> None:
    path = write_article(f"title: T\nsubtitle: S\nlang: {lang}\n")
    located(path, 4, 1, r"is not a language tag such as 'en' or 'en-GB'")


@pytest.mark.parametrize("front, line, message", [
    ("title: [a, list]\nlang: en\n", 2, r"'title' must be text"),
    ("title: T\nlang: en\npapersize: A5\n", 4, r"'papersize: a5' must be one of: a4, letter"),
    # A block value's line is that of its first entry.
    ("title: T\nlang: en\nauthor:\n  - [nested]\n", 5, r"each 'author' must be a name"),
    ("title: T\nlang: en\nkeywords:\n  - {a: b}\n", 5, r"'keywords' must be a list of texts"),
    ("title: T\nlang: en\nabbreviations: [WHO]\n", 4, r"'abbreviations' must map each term"),
    ("title: T\nlang: en\nabbreviations:\n  WHO: {spoken: W H O}\n", 5, r"abbreviation 'WHO' needs an 'expansion'"),
    ("title: T\nlang: en\nabbreviations:\n  '': nothing\n", 5, r"needs a term"),
    ("title: T\nlang: en\ndisclaimer: [a, b]\n", 4, r"'disclaimer' must be text"),
], ids=["title-list", "papersize", "author", "keywords",
        "abbreviations-list", "abbreviation-no-expansion", "abbreviation-empty-term", "disclaimer-list"])
def test_invalid_metadata(write_article: Write, front: str, line: int, message: str) -> None:
    located(write_article(front), line, 1, message)


def test_footnote_in_the_disclaimer(write_article: Write) -> None:
    path = write_article("title: T\nlang: en\ndisclaimer: |\n  Careful.[^1]\n\n  [^1]: Really.\n")
    located(path, 4, 1, r"the disclaimer cannot have footnotes")


# ------------------------------------------------------------------ headings


def levels_and_warnings(path: Path) -> tuple[list[tuple[str, int]], list[str]]:
    document = read_article(path)
    headings = [(plain_text(h.children), h.level) for h in document.headings()]
    return headings, [f"{w.line}:{w.col}: {w.message}" for w in document.warnings]


def test_heading_level_jump_is_brought_up_with_a_warning(write_article: Write) -> None:
    """Pandoc builds it, and published JOSS papers have it (AMReX: ### under #)."""
    path = write_article(body="\n## One\n\nText.\n\n#### Too deep\n\n##### Deeper\n\n## Two\n")
    headings, warnings = levels_and_warnings(path)
    assert headings == [("One", 2), ("Too deep", 3), ("Deeper", 4), ("Two", 2)]
    line = position(path, "#### Too deep")[0]
    assert warnings == [f"{line}:1: a level-4 heading right under a level-2 one: the editions take it as level 3, "
                        "so that no level is skipped",
                        f"{line + 2}:1: a level-5 heading right under a level-3 one: the editions take it as "
                        "level 4, so that no level is skipped"]


def test_heading_level_jump_inside_a_quote(write_article: Write) -> None:
    path = write_article(body="\n## One\n\n> #### Too deep\n")
    headings, warnings = levels_and_warnings(path)
    assert headings == [("One", 2), ("Too deep", 3)]
    assert warnings[0].startswith(f"{position(path, '> ####')[0]}:1: a level-4 heading right under a level-2 one")


def test_first_heading_at_level_three(write_article: Write) -> None:
    path = write_article(body="\nIntro.\n\n### Starts too deep\n\n## Then up\n")
    headings, warnings = levels_and_warnings(path)
    assert headings == [("Starts too deep", 2), ("Then up", 2)]
    assert warnings == [f"{position(path, '### Starts')[0]}:1: the first heading is level 3: the editions take it "
                        "as level 2, so that no level is skipped"]


def test_heading_above_the_first_level_sets_the_top_level(write_article: Write) -> None:
    path = write_article(body="\n## Two\n\n# One\n")
    headings, warnings = levels_and_warnings(path)
    assert headings == [("Two", 2), ("One", 2)]
    assert len(warnings) == 1 and "the first heading is level 2: the editions take it as level 1" in warnings[0]


def test_headings_deeper_than_six(write_article: Write) -> None:
    body = "\n# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6\n"
    path = write_article(body=body)
    headings, warnings = levels_and_warnings(path)
    assert [level for _, level in headings] == [2, 3, 4, 5, 6, 6]
    assert warnings == [f"{position(path, '###### 6')[0]}:1: deeper than level 6 once the title takes level 1: "
                        "the editions take it as level 5, so that no level is skipped"]


# ------------------------------------------------------------------ front matter


def test_malformed_yaml_unclosed_bracket(write_article: Write) -> None:
    path = write_article("title: T\nkeywords: [a, b\nlang: en\n")
    error = located(path, 4, None, r"malformed YAML front matter")
    assert 2 <= (error.line or 0) <= 4  # inside the front matter


def test_malformed_yaml_unclosed_bracket_at_the_end(write_article: Write) -> None:
    path = write_article("title: T\nlang: en\nkeywords: [a, b\n")
    error = located(path, 4, None, r"malformed YAML front matter: expected ',' or '\]'")
    assert error.line is not None and error.line < position(path, "---", 2)[0]


def test_malformed_yaml_bad_indentation(write_article: Write) -> None:
    path = write_article("title: T\nlang: en\n  bad: indent\n")
    located(path, 4, None, r"malformed YAML front matter")


@pytest.mark.parametrize("front, line, col", [
    ("title: T\nlang: en\ndate: 2024-13-45\n", 4, 7),  # a 13th month
    ("title: T\nlang: en\nx: !!int abc\n", 4, 4),
    ("title: T\nlang: en\nx: !!bool maybe\n", 4, 4),
    ("title: !!python/object:os.system echo\nlang: en\n", 2, 8),
], ids=["month-13", "int", "bool", "python-tag"])
def test_yaml_value_that_cannot_be_read(write_article: Write, front: str, line: int, col: int) -> None:
    located(write_article(front), line, col, r"malformed YAML front matter")


def test_yaml_control_character(write_article: Write) -> None:
    path = write_article("title: T\nlang: en\nsubtitle: a\x07b\n")
    located(path, 4, 12, r"malformed YAML front matter: special characters are not allowed \(U\+0007\)")


def test_yaml_too_deeply_nested(write_article: Write) -> None:
    path = write_article("title: " + "[" * 3000 + "]" * 3000 + "\nlang: en\n")
    located(path, 2, 1, r"nested too deeply")


def test_yaml_that_contains_itself(write_article: Write) -> None:
    path = write_article("title: T\nlang: en\nreferences:\n  - &x {id: x, type: book, title: X, note: *x}\n")
    located(path, 5, None, r"a YAML alias refers to a value that contains it")


def test_front_matter_not_closed(write_article: Write) -> None:
    located(write_article(raw="---\ntitle: T\nlang: en\n\nBody text.\n"), 1, 1, r"the front matter is not closed")


@pytest.mark.parametrize("raw", ["", "\n", "Just a body.\n", "title: T\n---\n", " ---\ntitle: T\n---\n"],
                         ids=["empty", "blank", "body", "no-opening", "indented"])
def test_no_front_matter(write_article: Write, raw: str) -> None:
    located(write_article(raw=raw), 1, 1, r"the article must start with YAML front matter")


@pytest.mark.parametrize("raw", ["---\n- a\n- b\n---\n", "---\njust text\n---\n"], ids=["list", "scalar"])
def test_front_matter_not_a_mapping(write_article: Write, raw: str) -> None:
    located(write_article(raw=raw), 2, 1, r"the front matter must be a mapping")


def test_yaml_alias_bomb_is_refused_quickly(write_article: Write) -> None:
    # "Billion laughs": nine levels of nine aliases, 81 alias uses, 9**9 values once expanded.
    levels = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    front = "title: T\nlang: en\nreferences:\n  - id: x\n    type: book\n    title: X\n    note:\n" + "\n".join(
        "  " + level for level in levels) + "\n"
    path = write_article(front)
    started = time.perf_counter()
    error = located(path, position(path, "f: &f")[0], None, r"once its YAML aliases are expanded")
    assert time.perf_counter() - started < 2
    assert error.line is not None and error.line < position(path, "---", 2)[0]


def test_yaml_alias_bomb_in_an_unknown_key(write_article: Write) -> None:
    levels = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"lol{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 9)]
    path = write_article("title: T\nlang: en\n" + "\n".join(levels) + "\n")
    started = time.perf_counter()
    located(path, position(path, "lol4:")[0], 7, r"aliases are expanded")  # 111,111 values from here
    assert time.perf_counter() - started < 2


def test_too_many_aliases(write_article: Write) -> None:
    front = "title: T\nlang: en\nbase: &b x\nmany: [" + ", ".join(["*b"] * 150) + "]\n"
    located(write_article(front), 5, None, r"too many YAML aliases")


def test_a_few_aliases_are_fine(write_article: Write) -> None:
    front = "title: &t A Title\nlang: en\nsubtitle: *t\n"
    assert read_article(write_article(front)).meta.subtitle == "A Title"


# ------------------------------------------------------------------ the file itself


def test_invalid_utf8(write_article: Write) -> None:
    path = write_article(raw=b"---\ntitle: T\nlang: en\n---\n\nFirst line.\nCaf\xe9 au lait.\n")
    located(path, 7, 4, r"the file is not valid UTF-8 text")


def test_invalid_utf8_in_the_front_matter(write_article: Write) -> None:
    path = write_article(raw=b"---\ntitle: \xff\xfe\nlang: en\n---\n")
    located(path, 2, 8, r"not valid UTF-8")


def test_nul_character(write_article: Write) -> None:
    path = write_article(raw="---\ntitle: T\nlang: en\n---\n\nA NUL \x00 here.\n")
    located(path, 6, 1, r"NUL character")


def test_byte_order_mark_and_crlf_are_accepted(write_article: Write) -> None:
    path = write_article(raw="\ufeff---\r\ntitle: T\r\nlang: en\r\n---\r\n\r\nText [@x].\r\n".encode())
    (warning,) = read_article(path).warnings  # CRLF lines count as single lines
    assert str(warning).startswith(f"{path}:6:7: warning: unknown citation key")


@pytest.mark.parametrize("make", ["directory", "missing"])
def test_unreadable_file(tmp_path: Path, make: str) -> None:
    path = tmp_path / "article.md"
    if make == "directory":
        path.mkdir()
    with pytest.raises(SourceError) as info:
        read_article(path)
    text = str(info.value)
    assert re.match(rf"^{re.escape(str(path))}: cannot read the file: \S", text), text
    assert info.value.line is None


def test_file_over_the_size_limit(write_article: Write) -> None:
    path = write_article(body="\n" + "word " * 100 + "\n")
    with pytest.raises(SourceError, match=r"over the limit of 100"):
        read_article(path, max_bytes=100)


# ------------------------------------------------------------------ the command line


@pytest.fixture
def good_article(tmp_path: Path) -> Path:
    folder = tmp_path / "src" / "everything"
    shutil.copytree(EVERYTHING.parent, folder)
    return folder


def build(folder: Path, out: Path, *extra: str) -> int:
    return main(["build", str(folder), "--out", str(out), "--format", "large-print", "-q", *extra])


def test_cli_unknown_citation_key_builds_and_fails_under_strict(good_article: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = good_article / "article.md"
    source.write_text(source.read_text(encoding="utf-8").replace("[@who2019]", "[@who2020]"), encoding="utf-8")
    line, col = position(source, "@who2020")
    assert build(good_article, tmp_path / "dist") == 0
    page = (tmp_path / "dist" / "everything" / "everything.large-print.html").read_text(encoding="utf-8")
    assert "every day (who2020?)." in page
    capsys.readouterr()
    assert build(good_article, tmp_path / "strict", "--strict") == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    errors = [text for text in captured.err.splitlines() if text]
    assert errors == [f"{source}:{line}:{col}: unknown citation key '@who2020': the editions show 'who2020?', as "
                      "Pandoc does (known keys: legge2007, rello2013, who2019) (an error under --strict)"]
    assert not (tmp_path / "strict" / "everything").exists()


def test_cli_builds_a_good_article(good_article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    assert build(good_article, out) == 0
    assert capsys.readouterr().err == ""  # -q: nothing but errors
    page = out / "everything" / "everything.large-print.html"
    html = page.read_text(encoding="utf-8")
    assert '<html lang="en-US">' in html and "Reading Without Barriers" in html
    manifest = json.loads((out / "everything" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["slug"] == "everything" and manifest["lang"] == "en-US"
    (entry,) = manifest["editions"]["large-print"]["files"]
    data = page.read_bytes()
    assert entry == {"name": page.name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert not list((out / ".staging").iterdir()), "a finished build leaves no staging folder behind"


def test_cli_failed_build_keeps_the_last_good_edition(good_article: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "dist"
    assert build(good_article, out) == 0
    page = out / "everything" / "everything.large-print.html"
    manifest = out / "everything" / "manifest.json"
    before, manifest_before, stamp = page.read_bytes(), manifest.read_bytes(), page.stat().st_mtime_ns
    source = good_article / "article.md"
    source.write_text(source.read_text(encoding="utf-8").replace("lang: en-US", "lang: not a language"),
                      encoding="utf-8")
    capsys.readouterr()
    assert build(good_article, out) == 2
    assert f"{source}:{position(source, 'lang:')[0]}:1: 'lang: not a language'" in capsys.readouterr().err
    assert page.read_bytes() == before and page.stat().st_mtime_ns == stamp
    assert manifest.read_bytes() == manifest_before
    assert sorted(p.name for p in (out / "everything").iterdir()) == [page.name, "manifest.json"]


def test_cli_failed_edition_keeps_the_last_good_one(good_article: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    # The source reads, but the large-print edition cannot be made: its image has gone.
    out = tmp_path / "dist"
    assert build(good_article, out) == 0
    page = out / "everything" / "everything.large-print.html"
    before = page.read_bytes()
    (good_article / "images" / "chart.png").unlink()
    capsys.readouterr()
    assert build(good_article, out) == 2
    err = capsys.readouterr().err
    assert "the image 'images/chart.png' does not exist" in err and "Traceback" not in err
    assert page.read_bytes() == before


def test_cli_formats_lists_large_print(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert "large-print" in names


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["build", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
    assert "exit codes" in capsys.readouterr().out


def test_cli_unknown_format(good_article: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", str(good_article), "--out", str(tmp_path / "dist"), "--format", "nope"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown format nope" in err and "large-print" in err and "Traceback" not in err


def test_cli_missing_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "dist"), "-q"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_cli_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["build", "--bitrate", "7"])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("written, iso", [
    ("15 March 2024", "2024-03-15"), ("March 15, 2024", "2024-03-15"), ("'2024-05'", "2024-05"),
    ("2024-05-01", "2024-05-01"), ("09 Oct 2024", "2024-10-09"), ("10/09/2024", "2024-10-09"),
    ("1 April\nyear: 2021", "2021-04-01"), ("21.09.2020", "2020-09-21"), ("18. December 2020", "2020-12-18"),
])
def test_dates_as_people_write_them(write_article: Write, written: str, iso: str) -> None:
    document = read_article(write_article(f"title: T\nlang: en\ndate: {written}\n", "\nText.\n"))
    assert document.meta.date == iso and not document.warnings


@pytest.mark.parametrize("written", ["Spring 2024", "'2024-02-30'", "'2024-13'"])
def test_a_date_that_cannot_be_read_is_a_warning_at_its_key(write_article: Write, written: str) -> None:
    document = read_article(write_article(f"title: T\nlang: en\ndate: {written}\n", "\nText.\n"))
    assert document.meta.date == ""
    (warning,) = document.warnings
    assert (warning.line, warning.col) == (4, 1) and "is not a date" in warning.message


def test_a_warning_at_line_100_keeps_its_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rich made ":100:" an emoji (cedillo's log read "ArticuloJorgeCedillo.md💯240")."""
    folder = tmp_path / "art"
    folder.mkdir()
    source = folder / "article.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n" + "\n" * 95 + "A citation [@nobody].\n", encoding="utf-8")
    assert main(["build", str(folder), "--out", str(tmp_path / "dist"), "--format", "large-print"]) == 0
    assert f"{source}:100:13: warning: unknown citation key" in capsys.readouterr().err
