"""The restricted URL fetcher: nothing from the network, nothing outside the article folder."""

from __future__ import annotations

import base64
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest

from formats.pdf.fetcher import FetchRefused, contained_fetcher
from formats.pdf.weasy import PdfBuildError, PdfMetadata, stylesheets, write_pdf

from .conftest import Article


class _Server:
    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(b"\x89PNG not really")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        srv.thread.join(timeout=5)


def _build(article: Article, html: str, out: Path) -> None:
    write_pdf(
        html,
        base_dir=article.folder,
        allowed_roots=[article.folder],
        stylesheets=stylesheets(),
        out=out,
        metadata=PdfMetadata.from_html(html),
    )


# -- the fetcher alone ---------------------------------------------------------


def test_fetcher_refuses_network_without_connecting(tmp_path: Path, server: _Server) -> None:
    fetcher = contained_fetcher([tmp_path])
    for url in (f"{server.url}/chart.png", f"https://127.0.0.1:{server.port}/x",
                f"ftp://127.0.0.1:{server.port}/x", "gopher://127.0.0.1/x"):
        with pytest.raises(FetchRefused) as caught:
            fetcher(url)
        assert caught.value.url == url
    assert server.requests == []
    assert len(fetcher.refusals) == 4
    assert "network access is not allowed" in str(fetcher.refusals[0])


@pytest.mark.parametrize(
    "make_url",
    [
        lambda root: "file:///etc/passwd",
        lambda root: (root / "../../../../../../etc/passwd").as_uri().replace("%2E", "."),
        lambda root: root.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        lambda root: "file://example.org/etc/passwd",
        lambda root: (root / "evil-link.png").as_uri(),  # symlink to /etc/passwd
    ],
    ids=["absolute", "dotdot", "encoded-dotdot", "remote-host", "symlink"],
)
def test_fetcher_refuses_files_outside(tmp_path: Path, make_url: Callable[[Path], str]) -> None:
    root = tmp_path / "article"
    root.mkdir()
    (root / "evil-link.png").symlink_to("/etc/passwd")
    fetcher = contained_fetcher([root])
    with pytest.raises(FetchRefused):
        fetcher(make_url(root))
    assert fetcher.refusals and fetcher.fetched == ()


def test_fetcher_reads_inside_and_small_data_urls(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a b.png").write_bytes(b"png-bytes")
    fetcher = contained_fetcher([tmp_path])
    response = fetcher((tmp_path / "images" / "a b.png").as_uri() + "?v=1#frag")
    assert response.read() == b"png-bytes"
    assert response.content_type == "image/png"
    data = base64.b64encode(b"hello").decode()
    assert fetcher(f"data:text/plain;base64,{data}").read() == b"hello"
    assert fetcher("data:,hi%20there").read() == b"hi there"
    too_big = base64.b64encode(bytes(2 * 1024 * 1024)).decode()
    with pytest.raises(FetchRefused, match="larger than"):
        fetcher(f"data:application/octet-stream;base64,{too_big}")
    with pytest.raises(FileNotFoundError):
        fetcher((tmp_path / "missing.png").as_uri())
    assert [failure.refused for failure in fetcher.failures] == [True, False]


def test_fetcher_needs_a_root() -> None:
    with pytest.raises(ValueError):
        contained_fetcher([])


# -- through write_pdf -----------------------------------------------------------


def test_http_image_gets_no_request_and_fails_the_build(
    article: Article, server: _Server, make_article: Callable[..., str], tmp_path: Path
) -> None:
    extra = (
        f'<p id="p-x">x<img src="{server.url}/inline.png" alt="inline"/></p>'
        f'<figure id="fig-x"><img src="https://127.0.0.1:{server.port}/a.png" alt="a"/></figure>'
    )
    html = make_article(f"{server.url}/chart.png", extra_body=extra)
    html = html.replace(
        "</head>",
        f'<link rel="stylesheet" href="{server.url}/style.css"/>'
        f"<style>@import url({server.url}/import.css); "
        f"body {{ background: url({server.url}/bg.png) }}</style></head>",
    )
    out = tmp_path / "out" / "article.pdf"
    with pytest.raises(PdfBuildError) as caught:
        _build(article, html, out)
    message = str(caught.value)
    assert f"{server.url}/chart.png" in message
    assert "network access is not allowed" in message
    assert server.requests == []
    assert not out.exists()


@pytest.mark.parametrize(
    "src",
    ["/etc/passwd", "file:///etc/passwd", "../../../../../../../../etc/passwd",
     "images/passwd-link.png"],
)
def test_files_outside_the_folder_never_reach_the_pdf(
    article: Article, make_article: Callable[..., str], tmp_path: Path, src: str
) -> None:
    (article.folder / "images" / "passwd-link.png").symlink_to("/etc/passwd")
    html = make_article(src)
    out = tmp_path / "article.pdf"
    out.write_bytes(b"last good build")
    with pytest.raises(PdfBuildError) as caught:
        _build(article, html, out)
    assert "refused" in str(caught.value)
    assert "outside the allowed folder" in str(caught.value)
    # Nothing written: the last good file is intact, no temporary file is left.
    assert out.read_bytes() == b"last good build"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["article.pdf", "gut-barrier"]


def test_missing_image_inside_the_folder_fails_clearly(
    article: Article, make_article: Callable[..., str], tmp_path: Path
) -> None:
    with pytest.raises(PdfBuildError, match=r"could not read .*missing\.png"):
        _build(article, make_article("images/missing.png"), tmp_path / "a.pdf")


def test_image_inside_the_folder_is_embedded(article: Article, tmp_path: Path) -> None:
    out = tmp_path / "article.pdf"
    _build(article, article.html, out)
    with pikepdf.open(out) as pdf:
        images = {
            xobject.objgen: (int(xobject.Width), int(xobject.Height))
            for page in pdf.pages
            for xobject in page.obj.Resources.get("/XObject", {}).values()
            if xobject.get("/Subtype") == "/Image"
        }
    assert list(images.values()) == [(480, 240)]
