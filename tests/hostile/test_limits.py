"""Limits and broken input: each ends in one clear, located error (exit 2), quickly, and nothing
of the article is silently dropped on the way."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from publish.errors import SourceError
from publish.limits import Limits
from publish.reader import read_article
from tests.hostile.support import (
    CHART,
    MINIMAL_FRONT,
    QUICK,
    article,
    assert_nothing_leaked,
    build,
    png,
    verify_manifest,
)

Capsys = pytest.CaptureFixture[str]
QUICKEST = ("large-print",)  # where the limit is the reader's, one edition shows the outcome


def located(error: SourceError, path: Path, line: int | None, pattern: str) -> None:
    assert error.path == path and error.line == line, str(error)
    assert re.search(pattern, error.message), str(error)


# ------------------------------------------------------------------ size


def test_source_over_the_default_size_limit(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art", body="\n" + "word " * 2_000_001 + "\n")  # just over 10 MB
    started = time.monotonic()
    built = build(capsys, path.parent, tmp_path / "dist", QUICKEST)
    built.one_error(path, r"the source is 10,000,\d{3} bytes, over the limit of 10,000,000$")
    assert time.monotonic() - started < 5  # refused before it is parsed


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = article(tmp_path / "art", body="\n" + "word " * 100 + "\n")
    with pytest.raises(SourceError) as info:
        read_article(path, Limits(max_bytes=200))
    located(info.value, path, None, r"over the limit of 200$")
    assert read_article(path, Limits(max_bytes=1_000)).body


# ------------------------------------------------------------------ nesting


def nested_list(depth: int) -> str:
    return "".join("  " * i + f"- level {i + 1}\n" for i in range(depth))


@pytest.mark.parametrize("body, line, col", [
    (nested_list(21), 26, 41),
    (nested_list(200), 26, 41),
    ("> " * 21 + "deep\n", 6, 1),
    ("> " * 500 + "deep\n", 6, 1),
    ("- > " * 11 + "deep\n", 6, 1),
], ids=["list-21", "list-200", "quote-21", "quote-500", "mixed-22"])
def test_blocks_nested_too_deep(tmp_path: Path, capsys: Capsys, body: str, line: int, col: int) -> None:
    path = article(tmp_path / "art", body="\n" + body)
    error = build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(
        path, r"lists and block quotes are nested more than 20 deep here", line=line)
    assert error.group("col") == str(col)


@pytest.mark.parametrize("body", ["*" * 42 + "deep" + "*" * 42, "*" * 5000 + "deep" + "*" * 5000,
                                  "[" * 30 + "x" + "](https://a.example)" * 30 + " " + "_a " * 3 + "**" * 30,
                                  "[" * 20 + "x"],
                         ids=["emphasis-21", "emphasis-2500", "mixed", "open-brackets"])
def test_inlines_nested_too_deep(tmp_path: Path, capsys: Capsys, body: str) -> None:
    """Refused where they nest, or read as Pandoc reads them (a run of 42 '*' is text) with
    nothing lost; never minutes of Pandoc backtracking over brackets."""
    path = article(tmp_path / "art", body=f"\nFirst paragraph.\n\n{body}\n")
    built = build(capsys, path.parent, tmp_path / "dist", QUICKEST)
    if built.code == 0:
        page = (tmp_path / "dist" / "art" / "art.large-print.html").read_text(encoding="utf-8")
        assert "deep" in page
        return
    built.one_error(path, r"(emphasis, strong text and links are nested more than 20 deep here|square brackets "
                    r"are open more than 6 deep here)", line=8)


def test_nesting_up_to_the_limit_loses_nothing(tmp_path: Path, capsys: Capsys) -> None:
    """At our limit every level arrives."""
    emphasis = "*x _x " * 10 + "deep" + "_*" * 10  # twenty levels of <em>, * and _ in turn
    body = "\n" + nested_list(20) + "\n" + "> " * 20 + "the deepest quote\n\n" + emphasis + "\n"
    path = article(tmp_path / "art", body=body)
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0, built.stderr
    for name in ("art.large-print.html",):
        page = (tmp_path / "dist" / "art" / name).read_text(encoding="utf-8")
        assert "level 20" in page and "the deepest quote" in page and "deep" in page
        assert page.count("<blockquote") == 20 and page.count("<em>") == 20


# ------------------------------------------------------------------ references


def references(count: int, duplicate: bool = False) -> str:
    items = [f"  - {{id: r{i}, type: book, title: Book {i}}}" for i in range(count)]
    if duplicate:
        items.append("  - {id: R1, type: book, title: The same id in other case}")
    return MINIMAL_FRONT + "references:\n" + "\n".join(items) + "\n"


def test_too_many_references(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art", front=references(2_001))
    started = time.monotonic()
    build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(
        path, r"the article has 2,001 references, over the limit of 2,000$", line=5)
    assert time.monotonic() - started < 10  # refused before citeproc formats any


def test_reference_limit_is_configurable(tmp_path: Path) -> None:
    path = article(tmp_path / "art", front=references(4))
    with pytest.raises(SourceError, match=r"4 references, over the limit of 3"):
        read_article(path, Limits(max_references=3))


def test_duplicate_reference_ids(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art", front=references(3, duplicate=True))
    build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(
        path, r"duplicate reference id 'R1' \(first used on line 6\)", line=8)


# ------------------------------------------------------------------ images


@pytest.mark.parametrize("name, data, message", [
    ("bomb.png", png(100_000, 100_000), r"claims more pixels than the limit of 40,000,000"),  # Pillow's own check
    ("bomb.png", png(10_000, 5_000), r"is 10,000 x 5,000 pixels, over the limit"),
    ("truncated.png", CHART.read_bytes()[:400], r"cannot be read as a PNG image"),
    ("text.png", b"GIF89a not really", r"cannot be read as a PNG image"),
    ("html.jpg", b"<html><script>alert(1)</script></html>", r"cannot be read as a JPEG image"),
    ("renamed.gif", CHART.read_bytes(), r"holds PNG data, not GIF: give it the right extension"),
    ("eps.png", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 1 1\n", r"cannot be read as a PNG image"),
    ("empty.webp", b"", r"cannot be read as a WEBP image"),
], ids=["bomb-10g", "bomb-50m", "truncated", "not-png", "html-as-jpeg", "wrong-suffix", "eps-as-png", "empty"])
def test_bad_images(tmp_path: Path, capsys: Capsys, name: str, data: bytes, message: str) -> None:
    path = article(tmp_path / "art", body=f"\nText.\n\n![A picture]({name})\n")
    (path.parent / name).write_bytes(data)
    started = time.monotonic()
    build(capsys, path.parent, tmp_path / "dist").one_error(path, message, line=8)
    assert time.monotonic() - started < 10
    assert_nothing_leaked(tmp_path / "dist", [b"alert(1)"])


def test_image_limits_are_configurable(tmp_path: Path) -> None:
    path = article(tmp_path / "art", body="\nText.\n\n![A chart](chart.png)\n")
    shutil.copy(CHART, path.parent / "chart.png")
    size = CHART.stat().st_size
    with pytest.raises(SourceError, match=rf"is {size:,} bytes, over the limit of 100$"):
        read_article(path, Limits(max_image_bytes=100))
    with pytest.raises(SourceError, match=r"pixels, over the limit of 1,000$"):
        read_article(path, Limits(max_image_pixels=1_000))
    assert read_article(path).body


# ------------------------------------------------------------------ YAML


def test_yaml_alias_bomb_through_the_command_line(tmp_path: Path, capsys: Capsys) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = article(tmp_path / "art", front=MINIMAL_FRONT + "\n".join(lines) + "\n")
    started = time.monotonic()
    build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(
        path, r"(too many YAML aliases|over 100,000 values once its YAML aliases are expanded)")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("front, line, message", [
    ('title: "T \\x13"\nlang: en\n', 2, r"'title' contains the control character U\+0013"),
    ('title: T\nlang: en\nreferences: [{id: k, type: book, title: "\\x1b[31m"}]\n', 4,
     r"'references' contains the control character U\+001B"),
    ('title: T\nlang: en\ndisclaimer: "\\uFFFE"\n', 4, r"'disclaimer' contains the control character U\+FFFE"),
], ids=["title", "reference", "disclaimer"])
def test_escaped_control_characters_in_yaml(tmp_path: Path, capsys: Capsys, front: str, line: int,
                                            message: str) -> None:
    """YAML escapes let control characters through, which no XHTML page may hold (the EPUB failed
    with an internal error before this was refused)."""
    path = article(tmp_path / "art", front=front)
    build(capsys, path.parent, tmp_path / "dist").one_error(path, message, line=line)


# ------------------------------------------------------------------ broken files


@pytest.mark.parametrize("raw, line, col, message", [
    (b"---\ntitle: T\nlang: en\n---\n\nCaf\xe9\n", 6, 4, r"not valid UTF-8"),
    (b"---\ntitle: T\nlang: en\n---\n\nA \xc3\n", 6, 3, r"not valid UTF-8"),
    (b"", 1, 1, r"must start with YAML front matter"),
    (b"\n\n", 1, 1, r"must start with YAML front matter"),
    (b"---\ntitle: T\nlang: en\n---\n", 5, 1, r"the article has no text"),
    (b"---\ntitle: T\nlang: en\n---\n\n---\n\n", 5, 1, r"the article has no text"),
    (b"---\ntitle: T\nlang: en\n---\n\nA \x13 B\n", 6, 3, r"control character U\+0013"),
    (b"---\ntitle: T\nlang: en\n---\n\nA \x00 B\n", 6, 1, r"NUL character"),
], ids=["latin-1", "cut-utf8", "empty", "blank", "front-only", "rule-only", "control", "nul"])
def test_broken_files(tmp_path: Path, capsys: Capsys, raw: bytes, line: int, col: int, message: str) -> None:
    folder = tmp_path / "art"
    folder.mkdir()
    (folder / "article.md").write_bytes(raw)
    error = build(capsys, folder, tmp_path / "dist").one_error(folder / "article.md", message, line=line)
    assert error.group("col") == str(col)
    assert not (tmp_path / "dist" / "art").exists()


def test_bom_and_crlf_build_and_keep_line_numbers(tmp_path: Path, capsys: Capsys) -> None:
    folder = tmp_path / "art"
    folder.mkdir()
    text = "\ufeff---\r\ntitle: T\r\nlang: en\r\n---\r\n\r\nLine one\r\nline two.\r\n\r\n- item\r\n"
    (folder / "article.md").write_bytes(text.encode("utf-8"))
    built = build(capsys, folder, tmp_path / "dist")
    assert built.code == 0, built.stderr
    page = (tmp_path / "dist" / "art" / "art.large-print.html").read_text(encoding="utf-8")
    assert "Line one line two." in page and "\r" not in page and "\ufeff" not in page
    (folder / "article.md").write_bytes((text + "\r\nSee [@nobody].\r\n").encode("utf-8"))
    build(capsys, folder, tmp_path / "dist", QUICK, "--strict").one_error(folder / "article.md",
                                                                          r"unknown citation key", line=11)
    assert verify_manifest(tmp_path / "dist" / "art")  # the good build is still there


# ------------------------------------------------------------------ unknown front-matter keys


def test_unknown_keys_are_ignored(tmp_path: Path, capsys: Capsys) -> None:
    """Pandoc articles carry keys for other tools; they are ignored, silently."""
    front = (MINIMAL_FRONT + "toc: true\noutput: pdf_document\ngeometry: margin=1in\n"
             "header-includes: '<script>x</script>'\nx: {y: z}\n")
    path = article(tmp_path / "art", front=front)
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0 and built.stderr == "", built.stderr
    assert_nothing_leaked(tmp_path / "dist", [b"margin=1in", b"pdf_document"])


@pytest.mark.parametrize("key, meant", [("disclamer", "disclaimer"), ("Title", "title"), ("refrences", "references"),
                                        ("abbreviation", "abbreviations"), ("bibliografy", "bibliography")])
def test_misspelt_keys_are_errors(tmp_path: Path, capsys: Capsys, key: str, meant: str) -> None:
    """...except one that looks like a misspelling of ours: a lost disclaimer must not go unnoticed."""
    path = article(tmp_path / "art", front=MINIMAL_FRONT + f"\n{key}: something\n")
    error = build(capsys, path.parent, tmp_path / "dist").one_error(
        path, rf"unknown key '{key}': did you mean '{meant}'\?", line=5)
    assert error.group("col") == "1"


def test_a_key_given_twice(tmp_path: Path, capsys: Capsys) -> None:
    """YAML keeps the last of two equal keys; the first value (a whole title) would be lost."""
    path = article(tmp_path / "art", front="title: A title\nlang: en\ntitle: Another\n")
    error = build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(
        path, r"the key 'title' is given twice \(first on line 2\)", line=4)
    assert error.group("col") == "1"
    path = article(tmp_path / "art", front=MINIMAL_FRONT + "references:\n  - {id: k, type: book, title: A, title: B}\n")
    build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(path, r"the key 'title' is given twice", line=5)


def test_a_key_given_twice_with_the_same_value_is_a_warning(tmp_path: Path) -> None:
    """t8code's JOSS paper gives an author's ORCID twice, the same both times; Pandoc builds it."""
    path = article(tmp_path / "art", front=MINIMAL_FRONT + "authors:\n  - name: Ann\n    orcid: 0000-0002-1825-0097\n"
                   "    affiliation: 1\n    orcid: 0000-0002-1825-0097\n")
    document = read_article(path)
    assert document.meta.author_details[0].orcid == "https://orcid.org/0000-0002-1825-0097"
    assert [(w.line, w.message) for w in document.warnings] == [
        (8, "the key 'orcid' is given twice (first on line 6), with the same value")]


@pytest.mark.parametrize("name, front, body, line, message", [
    ("loop.png", MINIMAL_FRONT, "\nText.\n\n![A loop](loop.png)\n", 8,
     r"the image 'loop.png' cannot be found: its name is invalid or its links go round in a loop"),
    ("loop.csl", MINIMAL_FRONT + "csl: loop.csl\n", "\nText.\n", 4,  # a missing style is a warning: --strict
     r"the CSL style 'loop.csl' is not in the article's folder.*--strict"),
    ("loop.bib", MINIMAL_FRONT + "bibliography: loop.bib\n", "\nText.\n", 4,
     r"the bibliography 'loop.bib' cannot be found.*--strict"),
], ids=["image", "csl", "bibliography"])
def test_symbolic_link_loops(tmp_path: Path, capsys: Capsys, name: str, front: str, body: str, line: int,
                             message: str) -> None:
    """A link to itself made path resolution raise a bare RuntimeError: a traceback, exit 1."""
    path = article(tmp_path / "art", front=front, body=body)
    (path.parent / name).symlink_to(name)
    build(capsys, path.parent, tmp_path / "dist", QUICKEST, "--strict").one_error(path, message, line=line)


def test_an_article_linked_to_itself(tmp_path: Path) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "article.md").symlink_to("article.md")
    with pytest.raises(SourceError, match=r"article.md: cannot read the file: its links go round in a loop$"):
        read_article(tmp_path / "art" / "article.md")


def test_a_nul_byte_in_an_image_name(tmp_path: Path, capsys: Capsys) -> None:
    """'%00' decodes to a NUL, which made path resolution raise a bare ValueError."""
    path = article(tmp_path / "art", body="\nText.\n\n![A picture](chart%00.png)\n")
    build(capsys, path.parent, tmp_path / "dist", QUICKEST).one_error(
        path, r"the image 'chart%00.png' cannot be found: its name is invalid", line=8)
