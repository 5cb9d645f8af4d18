"""Fixtures for the hostile-input tests, and the hypothesis profiles of the fuzz tests.

``HYPOTHESIS_PROFILE=fuzz`` (what ``nox -s fuzz`` sets) makes the fuzz tests run many examples,
audio included; without it they run a few, so the suite stays quick.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("hostile-ci", max_examples=25, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", parent=settings.get_profile("hostile-ci"), max_examples=400)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "hostile-ci")
FUZZING = PROFILE == "fuzz"


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    do_HEAD = do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server:
    """An HTTP server on 127.0.0.1 that records every request it receives (and answers none usefully)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        handler = type("Handler", (_Recorder,), {"requests": self.requests})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.connections = 0
        original = self.httpd.get_request

        def counting() -> tuple[object, object]:
            self.connections += 1
            return original()  # type: ignore[no-any-return]

        self.httpd.get_request = counting  # type: ignore[method-assign]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


SECRET = b"TOP-SECRET-7f3a9c"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every article folder, whose bytes must never reach an edition."""
    path = tmp_path / "secret.txt"
    path.write_bytes(SECRET + b"\n")
    return path
