"""Assets of an article (images): they may only come from the article's own folder."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publish.errors import SourceError
from publish.model import Document, Figure, walk_blocks

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_IMAGE_BYTES = 20_000_000


def figures(document: Document) -> list[Figure]:
    parts = (document.body, document.disclaimer, *(note.blocks for note in document.footnotes))
    return [b for part in parts for b in walk_blocks(part) if isinstance(b, Figure)]


def resolve(document: Document, figure: Figure) -> Path:
    """The file a figure shows, refusing anything outside the article's folder or on a network."""
    source = Path(document.source)
    article_dir = Path(document.figures_dir).resolve()
    url = urlsplit(figure.src)
    if (url.scheme and url.scheme != "file") or url.netloc:
        raise SourceError(source, f"the image '{figure.src}' is not a file in the article's folder; "
                          "images are never fetched from the network", figure.line, 1)
    path = (article_dir / unquote(url.path)).resolve()
    if not path.is_relative_to(article_dir):
        raise SourceError(source, f"the image '{figure.src}' lies outside the article's folder", figure.line, 1)
    if not path.is_file():
        raise SourceError(source, f"the image '{figure.src}' does not exist in the article's folder", figure.line, 1)
    if path.suffix.lower() not in IMAGE_TYPES:
        raise SourceError(source, f"the image '{figure.src}' is not a PNG, JPEG, GIF, SVG or WebP file",
                          figure.line, 1)
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise SourceError(source, f"the image '{figure.src}' is larger than {MAX_IMAGE_BYTES:,} bytes",
                          figure.line, 1)
    return path


def media_type(path: Path) -> str:
    return IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
