"""The packaged fonts of the PDF editions and their ``@font-face`` rules.

The fonts come from PyPI packages (``fontpkg-literata``,
``fontpkg-atkinson-hyperlegible``, ``justmytype-western-core`` for the
fallbacks), so their location depends on the installation: the ``@font-face``
rules are generated at run time with ``file:`` URLs, and the folders are added
to the allowed roots of the stylesheet fetcher only.

Literata ships as two variable fonts (roman and italic, axes ``opsz`` and
``wght``).  WeasyPrint 70 would embed a variable font by instantiating it with
fontTools once per weight, style and optical size used, which is about 0.1 s
each and most of the time of a whole PDF.  So the ``@font-face`` rules never
point at the variable files: each Literata face is a *static* instance, made
from the variable file with HarfBuzz (a few milliseconds each), with its weight
and optical size pinned.  The instances are written once per process into a
private folder, which is removed when the process ends; the folders of processes
that could not remove theirs (killed with SIGKILL) are removed by the next
process that makes instances.

Optical size: CSS (``font-optical-sizing: auto``) and WeasyPrint set ``opsz``
to the font size in CSS px.  The text faces (``Literata``) are pinned at the
body size, 10.75pt = 14.33px; the large headings use a second family,
``Literata Display``, pinned at 24px (between the 22pt title and the 14.5pt
section headings), so they keep the finer display design.  The sizes follow
``css/pdf.css``.

Behind each text face the stylesheets list its packaged fallbacks (see publish/fonts.py):
Noto Serif, STIX Two Math and Noto Sans Symbols 2 behind Literata; Noto Sans, Noto Sans
Mono, Noto Sans Symbols 2 and STIX Two Math behind Atkinson Hyperlegible.  The variable Noto
faces are pinned the same way as Literata, in the editions whose text needs them only.  The
text of SVG figures is set in the sans-serif chain in both editions (``FIGURE_FACES``).
"""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from publish.fonts import (
    ATKINSON_FAMILY,
    NOTO_SANS,
    NOTO_SANS_MONO,
    NOTO_SANS_SYMBOLS,
    NOTO_SERIF,
    SANS_FALLBACKS,
    STIX_TWO_MATH,
    FontFace,
    FontFamily,
    drawn,
    fallback_characters,
    static_font,
    unicode_range,
)
from publish.limits import process_running

__all__ = [
    "ATKINSON",
    "FALLBACKS",
    "FAMILIES",
    "FIGURE_FACES",
    "LITERATA",
    "LITERATA_DISPLAY",
    "TEXT_FACES",
    "FontFace",
    "FontFamily",
    "families_for",
    "figure_families",
    "font_face_css",
    "font_roots",
    "uncovered_characters",
]


def _px(points: float) -> float:
    return round(points * 96 / 72, 2)


_TEXT_OPSZ = _px(10.75)  # html { font-size } in css/pdf.css
_DISPLAY_OPSZ = _px(18)  # between h1 (22pt) and h2 (14.5pt, 13pt in the back matter)
_ROMAN = "Literata[opsz,wght].ttf"
_ITALIC = "Literata-Italic[opsz,wght].ttf"
_TEXT = (("opsz", _TEXT_OPSZ),)
_DISPLAY = (("opsz", _DISPLAY_OPSZ),)

LITERATA = FontFamily(
    css_name="Literata",
    package="fontpkg_literata",
    faces=(
        FontFace(_ROMAN, 400, "normal", _TEXT),
        FontFace(_ROMAN, 700, "normal", _TEXT),
        FontFace(_ITALIC, 400, "italic", _TEXT),
        FontFace(_ITALIC, 700, "italic", _TEXT),
    ),
)

# The title and the section headings (css/pdf.css), always bold.
LITERATA_DISPLAY = FontFamily(
    css_name="Literata Display",
    package="fontpkg_literata",
    faces=(
        FontFace(_ROMAN, 700, "normal", _DISPLAY),
        FontFace(_ITALIC, 700, "italic", _DISPLAY),
    ),
)

ATKINSON = ATKINSON_FAMILY

TEXT_FACES: tuple[FontFamily, ...] = (LITERATA, LITERATA_DISPLAY, ATKINSON)
# Each fallback once: the two editions share STIX Two Math and Noto Sans Symbols 2.
FALLBACKS: tuple[FontFamily, ...] = (NOTO_SERIF, NOTO_SANS, NOTO_SANS_MONO, STIX_TWO_MATH, NOTO_SANS_SYMBOLS)

FAMILIES: tuple[FontFamily, ...] = (*TEXT_FACES, *FALLBACKS)


def families_for(text: str) -> tuple[FontFamily, ...]:
    """The families a document with ``text`` needs: the text faces, and each fallback that has
    a character Literata or Atkinson Hyperlegible lacks.  Every ``@font-face`` costs WeasyPrint
    a copy of the font and its registration with fontconfig, at each render: an article in
    their characters alone renders as it did before there were fallbacks."""
    lacking = {ord(char) for char in drawn(text)} - (LITERATA.covers & ATKINSON.covers)
    return (*TEXT_FACES, *(family for family in FALLBACKS if lacking & family.covers))


# The text of SVG figures (formats/pdf/svgfonts.py), in each edition: sans-serif in both, as the
# labels of a figure usually are, and as they stay legible at a figure's small sizes; the large
# print's face is its text face.
FIGURE_FACES: dict[str, tuple[FontFamily, ...]] = {
    "standard": SANS_FALLBACKS,
    "large-print": (ATKINSON, *SANS_FALLBACKS),
}


def figure_families(edition: str, text: str) -> tuple[FontFamily, ...]:
    """The families the figures' ``text`` is drawn in, in ``edition``: the first of its chain,
    and each fallback that draws one of its characters (which :func:`families_for`, knowing
    only the HTML, would not load)."""
    if not drawn(text):
        return ()
    primary, *fallbacks = FIGURE_FACES[edition]
    return (primary, *fallback_characters(text, primary, fallbacks))


# -- static instances of the variable fonts -----------------------------------------

_lock = threading.Lock()
_folder: tuple[int, Path] | None = None  # (pid of the process that made it, the folder)
_instances: dict[tuple[Path, FontFace], Path] = {}


def _remove(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # never the parent's folder from a forked child
        shutil.rmtree(folder, ignore_errors=True)


def _instance_root() -> Path | None:
    """The folder every process of this user keeps its instance folder in, in the temporary
    folder; None if someone else owns that name (the temporary folder is shared)."""
    root = Path(tempfile.gettempdir()) / f"publish-fonts-{os.getuid()}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        info = root.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return None
    return root


def _clear_abandoned(root: Path) -> None:
    """Remove the folders of processes that ended without removing theirs (a SIGKILL)."""
    for folder in root.iterdir():
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not process_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _instance_folder() -> Path:
    """The private folder of static instances, made on first use.

    The process that made it removes it when it ends: a ``multiprocessing`` finaliser runs
    at the interpreter's exit like ``atexit``, and also in a ``multiprocessing`` child, which
    leaves through ``os._exit`` without ``atexit``.  A forked child (publish renders each
    edition in one) uses its parent's folder and instances, which outlive it, and never
    removes them: a worker that made them once (``PdfRenderer.warm_up``) serves every
    edition it forks.  A process killed with SIGKILL runs no finaliser: its folder, named
    after its process id, is removed by the next process that makes one.  The caller holds
    ``_lock``.
    """
    global _folder
    if _folder is None:
        root = _instance_root()
        if root is not None:
            _clear_abandoned(root)
            folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root)).resolve()
        else:
            folder = Path(tempfile.mkdtemp(prefix="publish-fonts-")).resolve()
        multiprocessing.util.Finalize(None, _remove, args=(folder, os.getpid()), exitpriority=0)
        _folder = (os.getpid(), folder)
    return _folder[1]


def _font_file(family: FontFamily, face: FontFace) -> Path:
    """The file the ``@font-face`` rule of ``face`` points at."""
    path = family.path(face)
    if not path.is_file():
        raise FileNotFoundError(f"font file missing from {family.package}: {path}")
    if not face.prepared:
        return path
    with _lock:
        folder = _instance_folder()
        key = (path, face)
        if key not in _instances:
            pins = "".join(f"-{axis}{value:g}" for axis, value in (("wght", face.weight), *face.pins))
            dropped = "".join(f"-no{tag}" for tag in face.drop)
            name = f"{path.stem.split('[')[0]}{pins if face.variable else ''}{dropped}.ttf"
            # Forked editions make a fallback they need in their parent's folder, perhaps two
            # at once: each writes a file of its own and renames it, so none reads half a font.
            temporary = folder / f".{name}.{os.getpid()}.{threading.get_ident()}"
            temporary.write_bytes(static_font(family, face))
            os.replace(temporary, folder / name)
            _instances[key] = folder / name
        return _instances[key]


def font_roots(families: Iterable[FontFamily] = FAMILIES) -> list[Path]:
    """Folders the stylesheet fetcher must be allowed to read fonts from."""
    roots: set[Path] = set()
    for family in families:
        roots.add(family.folder)
        if any(face.prepared for face in family.faces):
            with _lock:
                roots.add(_instance_folder())
    return sorted(roots)


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unicode_range(family: FontFamily) -> str:
    """The ``unicode-range`` descriptor of a family that draws only part of its font.

    The ranges are those of the characters the font has, not the whole blocks: WeasyPrint
    hands them to fontconfig as the font's character set, which Pango then trusts, so a
    character in a block but not in the font would be drawn as a missing glyph."""
    if not family.only:
        return ""
    return f"  unicode-range: {unicode_range(family.covers)};\n"


def font_face_css(families: Iterable[FontFamily] = FAMILIES) -> str:
    """``@font-face`` rules for ``families``, pointing at the packaged files or their instances."""
    rules = []
    for family in families:
        for face in family.faces:
            rules.append(
                "@font-face {\n"
                f"  font-family: {_css_string(family.css_name)};\n"
                f"  src: url({_css_string(_font_file(family, face).as_uri())}) format(\"truetype\");\n"
                f"  font-weight: {face.weight};\n"
                f"  font-style: {face.style};\n"
                f"{_unicode_range(family)}"
                "}\n"
            )
    return "".join(rules)


def uncovered_characters(text: str, families: Sequence[FontFamily] = FAMILIES) -> list[str]:
    """Characters of ``text`` (beyond controls and spaces) no regular face of ``families`` covers."""
    covered: set[int] = set()
    for family in families:
        covered |= family.covers
    return sorted(char for char in drawn(text) if ord(char) not in covered)
