"""The images of an imported document as files under ``images/``: readable names, and the
formats an edition cannot show (EMF, WMF, TIFF, BMP) converted where a library or program can."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from publish.assets import IMAGE_TYPES
from publish.ids import slugify

NAME_WORDS = 6
CONVERT_TIMEOUT_S = 60.0
# Pillow reads these everywhere; EMF and WMF it draws only on Windows.
PILLOW_READS = {".tif", ".tiff", ".bmp", ".jfif"}
METAFILES = {".emf", ".wmf", ".emz", ".wmz"}


def readable_name(words: str, fallback: str, suffix: str, taken: set[str]) -> str:
    """``images/<first words of what it shows>.<suffix>``, unique among ``taken``."""
    base = slugify(" ".join(words.split()[:NAME_WORDS])) or fallback
    suffix = ".jpg" if suffix.lower() == ".jpeg" else suffix.lower()
    name, n = f"{base}{suffix}", 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{suffix}"
    taken.add(name)
    return name


def convert(source: Path, work: Path) -> tuple[Path | None, str]:
    """A file an edition can show made from ``source`` (itself if it already is one), and how;
    (None, why not) where nothing here can convert it."""
    suffix = source.suffix.lower()
    if suffix in IMAGE_TYPES:
        return source, ""
    if suffix in PILLOW_READS or (suffix in METAFILES and sys.platform == "win32"):
        target = work / (source.stem + ".png")
        try:
            with Image.open(source) as image:
                image.save(target, "PNG")
        except Exception as exc:  # Pillow's decoders raise OSError, SyntaxError, ValueError... on bad data
            return None, f"Pillow cannot read it ({exc})"
        return target, "converted to PNG by Pillow"
    if suffix in METAFILES:
        return _metafile(source, work)
    return None, f"{suffix or 'a file without a suffix'} is not an image format any edition can show"


def _metafile(source: Path, work: Path) -> tuple[Path | None, str]:
    """EMF/WMF through the first converter installed: Inkscape, LibreOffice, libwmf's wmf2svg."""
    suffix = source.suffix.lower()
    out = Path(tempfile.mkdtemp(dir=work))
    candidates: list[tuple[str, list[str], Path]] = []
    if shutil.which("inkscape"):
        target = out / (source.stem + ".svg")
        candidates.append(("Inkscape", ["inkscape", str(source), "--export-type=svg",
                                        f"--export-filename={target}"], target))
    for office in ("soffice", "libreoffice"):
        if shutil.which(office):
            candidates.append(("LibreOffice", [office, "--headless", "--convert-to", "svg", "--outdir", str(out),
                                               str(source)], out / (source.stem + ".svg")))
            break
    if suffix == ".wmf" and shutil.which("wmf2svg"):
        target = out / (source.stem + ".svg")
        candidates.append(("wmf2svg", ["wmf2svg", "-o", str(target), str(source)], target))
    for name, command, target in candidates:
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if target.is_file() and target.stat().st_size:
            return target, f"converted to SVG by {name}"
    return None, (f"{suffix[1:].upper()} (a Windows metafile), which no edition can show, and no converter is "
                  "installed here (Inkscape, LibreOffice or libwmf's wmf2svg)")
