"""Figures given as PDF files, as papers often give them: no edition's engine can show a PDF as
an image (WeasyPrint cannot, nor can EPUB reading systems or browsers reliably), so every
edition shows the PDF's first page drawn by PDFium as a PNG at print resolution.

Only the first page is used, as LaTeX's ``\\includegraphics`` and Pandoc do with a PDF figure
of several pages; that is how the paper's own PDF showed it, so it is not worth a warning.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import threading
from importlib.metadata import version
from pathlib import Path

from publish import cache, limits

DPI = 300
# ISO 32000-1, Annex C: a page side is at most 14,400 units (200 inches). PDFium would draw a
# larger one (scaled down to the pixel limit), but a figure claiming more is broken or hostile.
MAX_SIDE = 14_400.0
MIN_SIDE = 1.0  # a point, so that the drawing has pixels at all

# PDFium is not thread-safe: one call into it at a time in a process (a Dask worker has threads).
_PDFIUM = threading.Lock()


def problem(data: bytes) -> str | None:
    """Why ``data`` cannot be shown as a figure (said of "the image '...'"), or None."""
    import pypdfium2 as pdfium  # 50 ms: only articles with PDF figures pay it

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
                return "is a PDF locked with a password or security handler; save it without one"
            return "cannot be read as a PDF file (it is damaged, or not a PDF)"
        try:
            if len(pdf) < 1:
                return "is a PDF without pages"
            width, height = pdf[0].get_size()
        except pdfium.PdfiumError:
            return "cannot be read as a PDF file (its first page is damaged)"
        finally:
            pdf.close()
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        return (f"is a PDF whose page is {width:,.0f} x {height:,.0f} points; a page must be between "
                f"{MIN_SIDE:,.0f} and {MAX_SIDE:,.0f} points a side")
    return None


class Unreadable(ValueError):
    """The PDF could not be drawn; the message is said of "the image '...'"."""


def first_page_png(path: Path, cache_dir: Path | None = None, max_pixels: int | None = None) -> bytes:
    """The PDF's first page as a PNG: at ``DPI``, or less where that would exceed ``max_pixels``.

    Drawn in a child process within the edition time budget, since no limit on the source
    bounds how long PDFium takes over a page (and the EPUB and large-print editions run
    without a budget of their own on Dask); kept in ``cache_dir`` when there is one, so the
    editions of a build draw each figure once between them, and a rebuild not at all.
    """
    stat = path.stat()
    pixels = limits.DEFAULT.max_image_pixels if max_pixels is None else max_pixels
    return _png(str(path), stat.st_size, stat.st_mtime_ns, pixels, cache_dir)


# In one process (a worker builds several editions) each figure is drawn once; the files are
# keyed by identity and time, as the asset checks are.
@functools.lru_cache(maxsize=64)
def _png(path: str, size: int, mtime_ns: int, max_pixels: int, cache_dir: Path | None) -> bytes:
    data = Path(path).read_bytes()
    key = cache.key({"pdf": hashlib.sha256(data).hexdigest(), "dpi": DPI, "max_pixels": max_pixels,
                     "pypdfium2": version("pypdfium2"), "pillow": version("pillow")})
    store = cache.Store(cache_dir, "pdf-figures", ".png") if cache_dir is not None else None
    png = store.load(key, Path.read_bytes) if store else None
    if png is None:
        drawn = limits.call_within(limits.DEFAULT.edition_seconds, _draw, data, max_pixels)

        def write(out: Path) -> None:
            out.write_bytes(drawn)

        if store:
            store.save(key, write)
        png = drawn
    return png


def _draw(data: bytes, max_pixels: int) -> bytes:
    import pypdfium2 as pdfium

    why = problem(data)  # the file was checked when the article was read, but may have changed
    if why:
        raise Unreadable(why)
    with _PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[0]
            width, height = page.get_size()
            scale = _scale(width, height, max_pixels)
            # On white, as a PDF viewer shows it: a transparent page's black lines would vanish
            # on a dark reading theme.
            image = page.render(scale=scale).to_pil()
        finally:
            pdf.close()
    # PDFium rounds each side up: 216 points at 300 dpi (900.0000000001 pixels) would gain a row.
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if image.size != size:
        image = image.crop((0, 0, *size))
    out = io.BytesIO()
    # The resolution it was drawn at, so the PNG states the figure's size on paper.
    image.save(out, "PNG", dpi=(72 * scale, 72 * scale))
    return out.getvalue()


def _scale(width: float, height: float, max_pixels: int) -> float:
    """Pixels per point: ``DPI``, or less, so that the bitmap (PDFium rounds each side up)
    stays within ``max_pixels``."""
    scale = DPI / 72
    if width * height * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / (width * height))
    while math.ceil(width * scale) * math.ceil(height * scale) > max_pixels and scale > 1e-6:
        scale *= 0.99
    return scale
