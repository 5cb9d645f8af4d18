"""Helpers for the hostile-input tests: write an article, build it through the command line,
and search everything a build published for anything that must never be there."""

from __future__ import annotations

import base64
import hashlib
import html.parser
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from publish.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "source" / "gut-barrier" / "article.md"
CHART = ROOT / "tests" / "fixtures" / "everything" / "images" / "chart.png"
# Every edition but audio (slow: speech synthesis); the tests that include it say so.
QUICK = ("large-print", "pdf", "large-print-pdf", "epub")
MINIMAL_FRONT = "title: A Test Article\nlang: en\n"
# One located error: ``path:line:col: message`` or ``path: message``.
LOCATED = re.compile(r"^(?P<path>/\S*?|\S+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<message>\S.*)$")
# The progress line of a failed edition carries the error after "✗ <slug>  <edition>: ".
EDITION_FAILED = re.compile(r"^✗ (?P<slug>\S+)  (?P<edition>\S+): (?P<error>.*)$")


def article(folder: Path, front: str = MINIMAL_FRONT, body: str = "\nSome text.\n") -> Path:
    """``folder/article.md`` with this front matter (without the fences) and body."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "article.md"
    path.write_text(f"---\n{front.rstrip(chr(10))}\n---\n{body}", encoding="utf-8")
    return path


@dataclass
class Built:
    code: int
    stderr: str
    dist: Path

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def errors(self) -> list[re.Match[str]]:
        """Each error the build printed, parsed: located ones, and internal ones (whole lines that
        name the article and the edition); fails the test on any other line or a traceback."""
        assert "Traceback" not in self.stderr, self.stderr
        found = []
        for line in self.lines:
            if line == "  (run again with --debug to see the traceback)":  # follows an internal error
                continue
            edition = EDITION_FAILED.match(line)
            if edition and edition.group("error").startswith("internal error: "):
                found.append(edition)
                continue
            located = LOCATED.match(edition.group("error") if edition else line)
            assert located, f"not a 'path:line:col: message' line: {line!r}\n{self.stderr}"
            found.append(located)
        return found

    def one_error(self, path: Path, message: str, line: int | None = None) -> re.Match[str]:
        """Exit code 2 and exactly one error, at ``path`` (and ``line``), matching ``message``."""
        assert self.code == 2, (self.code, self.stderr)
        errors = self.errors()
        assert len(errors) == 1, self.stderr
        error = errors[0]
        assert Path(error.group("path")) == path, self.stderr
        if line is not None:
            assert error.group("line") == str(line), self.stderr
        assert re.search(message, error.group("message")), self.stderr
        return error


def build(capsys: pytest.CaptureFixture[str], source: Path, dist: Path, formats: Sequence[str] = QUICK,
          *extra: str) -> Built:
    """``publish build SOURCE --out DIST -f ...`` in this process (one job: no worker start-up)."""
    capsys.readouterr()
    args = ["build", str(source), "--out", str(dist), "-q", "--jobs", "1", *extra]
    for name in formats:
        args += ["-f", name]
    code = main(args)
    return Built(code, capsys.readouterr().err, dist)


def png(width: int, height: int, body: bytes = b"") -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (a few hundred bytes: a pixel bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    idat = zlib.compress(body or b"\x00" * 64, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


# ------------------------------------------------------------------ what was published


def published(dist: Path) -> list[Path]:
    """Every file under dist (through the article links), the bookkeeping folders included."""
    return sorted(p for p in dist.rglob("*") if p.is_file()) if dist.exists() else []


def verify_manifest(folder: Path) -> dict[str, bytes]:
    """The manifest describes exactly the files beside it (names, sizes, sha256); their bytes."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    described = {f["name"]: f for edition in manifest["editions"].values() for f in edition["files"]}
    described.update({f["name"]: f for f in manifest.get("checks", {}).get("files", [])})
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert present == set(described), (present, set(described))
    contents = {}
    for name, entry in described.items():
        data = (folder / name).read_bytes()
        assert len(data) == entry["size"], name
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        contents[name] = data
    return contents


def blobs(path: Path) -> Iterator[tuple[str, bytes]]:
    """A published file as the bytes a reader would see: EPUB members unzipped, PDF streams
    decompressed, base64 data: URLs in HTML decoded."""
    data = path.read_bytes()
    yield path.name, data
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as epub:
            for name in epub.namelist():
                yield f"{path.name}!{name}", epub.read(name)
    elif path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        yield f"{path.name}!{obj.objgen}", obj.read_bytes()
                    except pikepdf.PdfError:  # an image codec pikepdf cannot undo
                        yield f"{path.name}!{obj.objgen}", obj.read_raw_bytes()
    if path.suffix in (".html", ".xhtml"):
        for match in re.finditer(rb"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)", data):
            yield f"{path.name}!data", base64.b64decode(match.group(1))


SAFE_HREF = re.compile(r"^(https?://|mailto:|#|[\w./-]+(#[\w.:-]*)?$|data:(image|font|audio)/[\w+.-]+;base64,)", re.I)
SAFE_SRC = re.compile(r"^(#|[\w./-]+(#[\w.:-]*)?$|data:(image|font)/[\w+.-]+;base64,)", re.I)
URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset")


class _Markup(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.split(":")[-1] in ("script", "iframe", "object", "embed", "foreignobject", "base", "form"):
            self.problems.append(f"<{tag}>")
        for name, raw in attrs:
            # Browsers ignore tabs, newlines and leading spaces in a URL's scheme.
            value = re.sub(r"[\x00-\x20]", "", raw or "")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            elif name in URL_ATTRIBUTES:
                safe = SAFE_SRC if name in ("src", "xlink:href", "poster", "data", "srcset") else SAFE_HREF
                if tag in ("a", "link") and name == "href":
                    safe = SAFE_HREF
                if not safe.match(value):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style" and re.search(r"url\(|expression|javascript", value, re.I):
                self.problems.append(f"<{tag} style={value[:60]!r}>")

    handle_startendtag = handle_starttag


def markup_problems(text: str) -> list[str]:
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return parser.problems


def pdf_dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every dictionary in a PDF, direct ones (a link's action inside its annotation) included."""
    stack: list[object] = list(pdf.objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            yield obj
            children = list(obj.values())
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        # Indirect objects are visited once, from pdf.objects; this keeps cycles (/Parent) out.
        stack.extend(c for c in children if isinstance(c, pikepdf.Dictionary | pikepdf.Array) and not c.is_indirect)


def pdf_uris(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [str(d["/URI"]) for d in pdf_dictionaries(pdf) if "/URI" in d]


def pdf_problems(path: Path) -> list[str]:
    """Link targets that are not web or mail links, and any action that runs or launches."""
    problems = []
    with pikepdf.open(path) as pdf:
        for obj in pdf_dictionaries(pdf):
            kind = obj.get("/S")
            if kind is not None and str(kind) in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData",
                                                  "/GoToR", "/GoToE", "/Rendition"):
                problems.append(f"action {kind}")
            if "/JS" in obj or "/JavaScript" in obj:  # (other actions are caught by their /S above)
                problems.append(f"script entry in {obj.objgen}")
            uri = obj.get("/URI")
            if uri is not None and not re.match(r"^(https?://|mailto:)", str(uri), re.I):
                problems.append(f"link to {str(uri)[:60]!r}")
    return problems


def assert_nothing_leaked(dist: Path, secrets: Sequence[bytes] = ()) -> int:
    """No secret bytes anywhere, no script, event handler or unsafe URL in any page, no
    JavaScript or non-web link in any PDF. Returns how many blobs were searched."""
    searched = 0
    for path in published(dist):
        if path.suffix == ".pdf":
            assert not pdf_problems(path), (path, pdf_problems(path))
        for name, data in blobs(path):
            searched += 1
            for secret in secrets:
                assert secret not in data, f"{secret!r} leaked into {name}"
            if re.search(r"\.(x?html?|opf|ncx|smil|svg)$", name):
                text = data.decode("utf-8", "replace")
                assert "<script" not in text.lower(), name
                assert not markup_problems(text), (name, markup_problems(text))
    return searched
