"""A URL fetcher for WeasyPrint that never leaves the article's folder.

WeasyPrint fetches images, stylesheets, fonts and SVG references through a
"URL fetcher".  Its default one (``weasyprint.URLFetcher``, a
``urllib.request.OpenerDirector`` in WeasyPrint 70) speaks http, https, ftp and
file, so a source that says ``<img src="http://10.0.0.1/">`` or
``<img src="/etc/passwd">`` would make the renderer reach out of its sandbox.

:func:`contained_fetcher` builds a replacement that

* reads ``file:`` URLs only when the path, after resolving ``..`` and symbolic
  links, lies inside one of the allowed roots;
* decodes small ``data:`` URLs itself;
* refuses everything else (http, https, ftp, a ``file:`` URL naming a remote
  host, any other scheme) *without opening a socket*.

WeasyPrint catches every exception a fetcher raises, logs it and goes on
rendering without the resource.  That would turn a security refusal into a
silently missing image, so the fetcher also *records* every refusal and every
failed read in :attr:`ContainedFetcher.failures`; the PDF writer checks that
list after rendering and fails the build with all of them in one message.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import (
    URLFetcher,
    URLFetcherResponse,
)

__all__ = [
    "DEFAULT_MAX_DATA_URL_BYTES",
    "DEFAULT_MAX_FILE_BYTES",
    "ContainedFetcher",
    "FetchFailure",
    "FetchRefused",
    "contained_fetcher",
]

#: Largest ``data:`` URL payload (decoded) that is accepted.
DEFAULT_MAX_DATA_URL_BYTES = 1 * 1024 * 1024
#: Largest local file that is read (a guard against /dev/zero-like surprises).
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024


class FetchRefused(PermissionError):
    """A resource was refused because it lies outside the sandbox.

    ``url`` is the URL as WeasyPrint asked for it; ``reason`` a sentence a
    writer understands.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused to fetch {_shorten(url)}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class FetchFailure:
    """One resource that could not be used: refused, or allowed but unreadable."""

    url: str
    reason: str
    refused: bool

    def __str__(self) -> str:
        kind = "refused" if self.refused else "could not read"
        return f"{kind} {_shorten(self.url)}: {self.reason}"


def _shorten(url: str, limit: int = 120) -> str:
    if url.startswith("data:") and len(url) > 40:
        return url[:40] + "..."
    return url if len(url) <= limit else url[: limit - 3] + "..."


def _resolve_root(root: Path) -> Path:
    resolved = Path(root).resolve(strict=True)
    if not resolved.is_dir():
        raise NotADirectoryError(f"allowed root is not a folder: {root}")
    return resolved


class ContainedFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint URL fetcher restricted to local files under ``allowed_roots``.

    Subclasses :class:`weasyprint.urls.URLFetcher` because WeasyPrint 70 reads
    the private attribute ``_fail_on_errors`` of whatever fetcher it is given;
    the inherited ``urllib`` machinery is never used: :meth:`fetch` is
    replaced entirely, so no network handler can be reached.
    """

    def __init__(
        self,
        allowed_roots: Iterable[Path],
        *,
        allow_data_urls: bool = True,
        max_data_url_bytes: int = DEFAULT_MAX_DATA_URL_BYTES,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    ) -> None:
        # No handlers beyond what the base class installs; they stay unused.
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=False)
        self.allowed_roots: tuple[Path, ...] = tuple(
            _resolve_root(root) for root in allowed_roots
        )
        if not self.allowed_roots:
            raise ValueError("contained_fetcher needs at least one allowed root")
        self.allow_data_urls = allow_data_urls
        self.max_data_url_bytes = max_data_url_bytes
        self.max_file_bytes = max_file_bytes
        self._lock = threading.Lock()
        self._failures: list[FetchFailure] = []
        self._fetched: list[str] = []

    # -- bookkeeping -----------------------------------------------------------
    @property
    def failures(self) -> tuple[FetchFailure, ...]:
        """Every refusal and every failed read, in the order they happened."""
        with self._lock:
            return tuple(self._failures)

    @property
    def refusals(self) -> tuple[FetchFailure, ...]:
        return tuple(failure for failure in self.failures if failure.refused)

    @property
    def fetched(self) -> tuple[str, ...]:
        """The URLs that were served (for logs and tests)."""
        with self._lock:
            return tuple(self._fetched)

    def _record(self, url: str, reason: str, *, refused: bool) -> None:
        with self._lock:
            self._failures.append(FetchFailure(url, reason, refused))

    def _refuse(self, url: str, reason: str) -> FetchRefused:
        self._record(url, reason, refused=True)
        return FetchRefused(url, reason)

    # -- the policy ------------------------------------------------------------
    def is_allowed_path(self, path: Path) -> bool:
        """Whether ``path`` (resolved, symlinks followed) lies under a root."""
        try:
            resolved = Path(path).resolve(strict=False)
        except (OSError, RuntimeError):  # e.g. symlink loops
            return False
        return any(resolved.is_relative_to(root) for root in self.allowed_roots)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """Serve ``url`` or raise :class:`FetchRefused` / :class:`OSError`."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._fetch_data(url)
        if scheme == "file":
            return self._fetch_file(url)
        if scheme in ("http", "https", "ftp", "ftps", "ws", "wss"):
            raise self._refuse(url, "network access is not allowed when building a PDF")
        if not scheme:
            raise self._refuse(url, "not an absolute URL")
        raise self._refuse(url, f"the {scheme!r} scheme is not allowed")

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        if not self.allow_data_urls:
            raise self._refuse(url, "data: URLs are not allowed")
        header, sep, payload = url[len("data:"):].partition(",")
        if not sep:
            raise self._refuse(url, "malformed data: URL")
        params = header.split(";")
        is_base64 = params[-1].strip().lower() == "base64"
        if is_base64:
            params = params[:-1]
        media_type = params[0].strip() or "text/plain"
        charset = None
        for param in params[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset":
                charset = value.strip()
        # Cheap bound before decoding: base64 inflates by 4/3, %XX by 3.
        if len(payload) > self.max_data_url_bytes * 3 + 16:
            raise self._refuse(url, f"data: URL larger than {self.max_data_url_bytes} bytes")
        try:
            data = (
                base64.b64decode(unquote(payload), validate=False)
                if is_base64
                else unquote_to_bytes(payload)
            )
        except ValueError as error:
            raise self._refuse(url, f"malformed data: URL ({error})") from None
        if len(data) > self.max_data_url_bytes:
            raise self._refuse(url, f"data: URL larger than {self.max_data_url_bytes} bytes")
        content_type = media_type + (f"; charset={charset}" if charset else "")
        with self._lock:
            self._fetched.append(_shorten(url))
        return URLFetcherResponse(url, data, {"Content-Type": content_type})

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, f"file URL names another host ({parts.netloc!r})")
        raw_path = url2pathname(parts.path)
        if "\x00" in raw_path:
            raise self._refuse(url, "file URL contains a NUL byte")
        path = Path(raw_path)
        if not path.is_absolute():
            raise self._refuse(url, "file URL is not absolute")
        # Resolve '..' and every symbolic link, then require containment.
        if not self.is_allowed_path(path):
            roots = ", ".join(str(root) for root in self.allowed_roots)
            raise self._refuse(url, f"{path} is outside the allowed folder(s) {roots}")
        resolved = path.resolve(strict=False)
        try:
            # O_NOFOLLOW is redundant after resolve() but closes the race
            # where the last component is swapped for a symlink meanwhile.
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
            descriptor = os.open(resolved, flags)
            with os.fdopen(descriptor, "rb") as handle:
                if not os.path.isfile(resolved):
                    raise IsADirectoryError(f"{resolved} is not a regular file")
                data = handle.read(self.max_file_bytes + 1)
        except OSError as error:
            reason = error.strerror or str(error)
            self._record(url, reason, refused=False)
            raise
        if len(data) > self.max_file_bytes:
            raise self._refuse(url, f"file larger than {self.max_file_bytes} bytes")
        content_type, _ = mimetypes.guess_type(resolved.name)
        headers = {"Content-Type": content_type or "application/octet-stream"}
        with self._lock:
            self._fetched.append(url)
        return URLFetcherResponse(resolved.as_uri(), data, headers)

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)


def contained_fetcher(
    allowed_roots: Sequence[Path],
    *,
    allow_data_urls: bool = True,
    max_data_url_bytes: int = DEFAULT_MAX_DATA_URL_BYTES,
) -> ContainedFetcher:
    """Return a WeasyPrint URL fetcher that only reads under ``allowed_roots``.

    The result is callable (``fetcher(url) -> URLFetcherResponse``), can be
    passed as ``url_fetcher=`` to :class:`weasyprint.HTML` and
    :class:`weasyprint.CSS`, and keeps a list of what it refused in
    ``.failures`` (WeasyPrint itself only logs fetch errors).
    """
    return ContainedFetcher(
        allowed_roots,
        allow_data_urls=allow_data_urls,
        max_data_url_bytes=max_data_url_bytes,
    )
