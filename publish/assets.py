"""Assets of an article (images): they may only come from the article's own folder, and must be
images a renderer can use safely: readable, of bounded size, and (SVG) without scripts or links."""

from __future__ import annotations

import base64
import functools
import re
import threading
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from PIL import Image, ImageFile

from publish import pdfimage
from publish.errors import SourceError
from publish.limits import Limits, TimeBudgetExceeded
from publish.model import Document, Figure, block_inlines, walk_blocks
from publish.model import Image as TextImage  # PIL has an Image too

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp", ".pdf": "application/pdf"}
# The type each edition shows: a PDF as a PNG of its first page (see publish/pdfimage.py).
SHOWN_TYPES = {**IMAGE_TYPES, ".pdf": "image/png"}
# The Pillow decoder each suffix may use. Naming them keeps Pillow from guessing among all its
# formats, some of which run external programs (EPS through Ghostscript) on a renamed file.
PILLOW_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
# In an SVG: elements that run code or embed documents, and URLs other than in-image ones.
SVG_ACTIVE = frozenset({"script", "foreignobject", "handler", "iframe", "embed", "object", "audio", "video"})
SVG_LOCAL_URL = re.compile(r"^\s*(#|data:image/(png|jpeg|gif|webp)[;,])", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import", re.I)


def figures(document: Document) -> list[Figure | TextImage]:
    """Every image the editions show, figures and images in the text alike (not those that are
    missing, such as remote images, which stand as placeholders)."""
    parts = document.parts()
    found: list[Figure | TextImage] = [b for part in parts for b in walk_blocks(part) if isinstance(b, Figure)]
    found += [n for part in parts for n in block_inlines(part) if isinstance(n, TextImage)]
    return [image for image in found if not image.missing]


def resolve(document: Document, figure: Figure | TextImage, limits: Limits | None = None) -> Path:
    """The file a figure shows, refusing anything outside the article's folder or on a network;
    with ``limits``, also any file that is not a sound image within them.

    The reader checks every image with the build's limits; renderers call this again without
    them, for containment (the file may have changed), so they never contradict the reader.
    """
    article_dir = Path(document.figures_dir).resolve()
    url = urlsplit(figure.src)

    def error(message: str) -> SourceError:
        return _error(document, figure, message)

    if (url.scheme and url.scheme != "file") or url.netloc:
        raise error("is not a file in the article's folder; images are never fetched from the network")
    try:
        path = (article_dir / unquote(url.path)).resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop; a NUL byte (%00)
        raise error("cannot be found: its name is invalid or its links go round in a loop") from None
    if not path.is_relative_to(article_dir):
        raise error("lies outside the article's folder")
    if not path.is_file():
        raise error("does not exist in the article's folder")
    if path.suffix.lower() not in IMAGE_TYPES:
        raise error("is not a PNG, JPEG, GIF, SVG, WebP or PDF file")
    if limits is None:
        return path
    stat = path.stat()
    if stat.st_size > limits.max_image_bytes:
        raise error(f"is {stat.st_size:,} bytes, over the limit of {limits.max_image_bytes:,}")
    # Each renderer resolves each figure; the check is cached on the file's identity and time.
    problem = _problem(str(path), stat.st_size, stat.st_mtime_ns, limits.max_image_pixels)
    if problem:
        raise error(problem)
    return path


def _error(document: Document, figure: Figure | TextImage, message: str) -> SourceError:
    return SourceError(Path(document.source), f"the image '{figure.src}' {message}", figure.line, 1)


class ShownImage(NamedTuple):
    """What an edition shows for an image: its bytes, their media type and a file suffix."""

    data: bytes
    media_type: str
    suffix: str

    def data_uri(self) -> str:
        return data_uri(self.data, self.media_type)


def image_data(document: Document, figure: Figure | TextImage, cache_dir: Path | None = None) -> ShownImage:
    """The image as the editions show it: the file itself, or for a PDF the PNG of its first
    page (drawn once per build: ``cache_dir`` is the build's cache, see RenderContext)."""
    path = resolve(document, figure)
    suffix = path.suffix.lower()
    if suffix != ".pdf":
        return ShownImage(path.read_bytes(), SHOWN_TYPES[suffix], suffix)
    try:
        return ShownImage(pdfimage.first_page_png(path, cache_dir), "image/png", ".png")
    except pdfimage.Unreadable as exc:
        raise _error(document, figure, str(exc)) from None
    except TimeBudgetExceeded as exc:
        raise _error(document, figure, f"is a PDF whose first page {exc} to draw") from None


@functools.lru_cache(maxsize=256)
def _problem(path: str, size: int, mtime_ns: int, max_pixels: int) -> str | None:
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        return _svg_problem(Path(path).read_bytes())
    if suffix == ".pdf":  # drawn within the pixel limit (see pdfimage._scale), whatever its size
        return pdfimage.problem(Path(path).read_bytes())
    return _raster_problem(path, PILLOW_FORMATS[suffix], max_pixels)


def _raster_problem(path: str, expected: str, max_pixels: int) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=list(dict.fromkeys(PILLOW_FORMATS.values()))) as image:
                width, height = image.size
                # Before decoding: the header alone says how much memory the pixels would take.
                if width * height > max_pixels:
                    return f"is {width:,} x {height:,} pixels, over the limit of {max_pixels:,}"
                if image.format != expected:
                    return f"holds {image.format} data, not {expected}: give it the right extension"
                _load_strictly(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"claims more pixels than the limit of {max_pixels:,} (a decompression bomb?)"
    except Exception:  # Pillow's decoders raise OSError, SyntaxError, ValueError... on bad data
        return f"cannot be read as a {expected} image"
    return None


def _load_strictly(image: Image.Image) -> None:
    """Decode every pixel, so a truncated or corrupt file fails here rather than silently in a
    renderer. WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process (drawing
    what it can of a broken image); it is off while we look, and back on afterwards."""
    with _STRICT:
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


_STRICT = threading.Lock()


def _svg_problem(data: bytes) -> str | None:
    """An SVG must be one self-contained drawing: no DTD (entities can expand without bound or
    read files), no scripts or event handlers, no references to other files or the network."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return "is an SVG with a DOCTYPE or entities, which are not allowed"
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return "cannot be read as an SVG image (it is not well-formed XML)"
    for element in root.iter():
        name = _local(str(element.tag))
        if name in SVG_ACTIVE:
            return f"is an SVG with a <{name}> element; scripts and embedded documents are not allowed"
        if name in ("animate", "set") and _local(element.get("attributeName", "")) in ("href", "src"):
            return "is an SVG that animates a link; this is not allowed"
        if name == "style" and CSS_URL.search(element.text or ""):
            return "is an SVG whose style refers to another file; make it self-contained"
        for attribute, value in element.attrib.items():
            attr = _local(attribute)
            if attr.startswith("on"):
                return f"is an SVG with an event handler ({attr}); scripts are not allowed"
            if attr in ("href", "src") and not SVG_LOCAL_URL.match(value):
                return f"is an SVG that refers to '{value[:80]}'; make it self-contained"
            if CSS_URL.search(value):  # style="...", fill="url(...)", filter="url(...)"...
                return "is an SVG whose style refers to another file; make it self-contained"
    return None


def _local(name: str) -> str:
    """An element or attribute name without its namespace, lower case."""
    return name.rsplit("}", 1)[-1].lower()


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
