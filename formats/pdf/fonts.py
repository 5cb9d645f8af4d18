"""The packaged fonts of the PDF editions and their ``@font-face`` rules.

The fonts come from PyPI packages (``fontpkg-literata``,
``fontpkg-atkinson-hyperlegible``), so their location depends on the
installation: the ``@font-face`` rules are generated at run time with
``file:`` URLs, and the folders are added to the allowed roots of the
stylesheet fetcher only.

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
"""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from publish.limits import process_running

__all__ = [
    "ATKINSON",
    "FAMILIES",
    "LITERATA",
    "LITERATA_DISPLAY",
    "FontFace",
    "FontFamily",
    "font_face_css",
    "font_roots",
    "uncovered_characters",
]


@dataclass(frozen=True)
class FontFace:
    file: str  # file name inside the package's files/ folder
    weight: int
    style: str  # "normal" | "italic"
    # ``file`` is a variable font: use a static instance of it with ``wght`` pinned at
    # ``weight`` and ``opsz`` at this optical size (CSS px).  None: ``file`` is used as is.
    opsz: float | None = None


@dataclass(frozen=True)
class FontFamily:
    css_name: str  # the name the stylesheets use in font-family
    package: str  # importable package shipping the .ttf files
    faces: tuple[FontFace, ...]

    @property
    def folder(self) -> Path:
        return Path(str(files(self.package).joinpath("files"))).resolve()

    def path(self, face: FontFace) -> Path:
        """The packaged file of ``face`` (for an instanced face, the variable font)."""
        return self.folder / face.file


def _px(points: float) -> float:
    return round(points * 96 / 72, 2)


_TEXT_OPSZ = _px(10.75)  # html { font-size } in css/pdf.css
_DISPLAY_OPSZ = _px(18)  # between h1 (22pt) and h2 (14.5pt, 13pt in the back matter)
_ROMAN = "Literata[opsz,wght].ttf"
_ITALIC = "Literata-Italic[opsz,wght].ttf"

LITERATA = FontFamily(
    css_name="Literata",
    package="fontpkg_literata",
    faces=(
        FontFace(_ROMAN, 400, "normal", _TEXT_OPSZ),
        FontFace(_ROMAN, 700, "normal", _TEXT_OPSZ),
        FontFace(_ITALIC, 400, "italic", _TEXT_OPSZ),
        FontFace(_ITALIC, 700, "italic", _TEXT_OPSZ),
    ),
)

# The title and the section headings (css/pdf.css), always bold.
LITERATA_DISPLAY = FontFamily(
    css_name="Literata Display",
    package="fontpkg_literata",
    faces=(
        FontFace(_ROMAN, 700, "normal", _DISPLAY_OPSZ),
        FontFace(_ITALIC, 700, "italic", _DISPLAY_OPSZ),
    ),
)

ATKINSON = FontFamily(
    css_name="Atkinson Hyperlegible",
    package="fontpkg_atkinson_hyperlegible",
    faces=(
        FontFace("AtkinsonHyperlegible-Regular.ttf", 400, "normal"),
        FontFace("AtkinsonHyperlegible-Bold.ttf", 700, "normal"),
        FontFace("AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
        FontFace("AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
    ),
)

FAMILIES: tuple[FontFamily, ...] = (LITERATA, LITERATA_DISPLAY, ATKINSON)


# -- static instances of the variable fonts -----------------------------------------

_lock = threading.Lock()
_folder: tuple[int, Path] | None = None  # (pid of the process that made it, the folder)
_instances: dict[tuple[Path, int, float], Path] = {}


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


def _make_static(source: Path, weight: int, opsz: float) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(source.read_bytes()))
    request = hb.SubsetInput()
    request.keep_everything()  # every glyph, table and OpenType feature: only the axes go
    for axis, value in (("wght", weight), ("opsz", opsz)):
        if not request.pin_axis_location(face, axis, value):
            raise ValueError(f"{source.name} has no {axis!r} axis")
    static = hb.subset(face, request)
    if static is None or static.has_var_data:
        raise RuntimeError(f"HarfBuzz could not make a static instance of {source.name}")
    return bytes(static.blob.data)


def _font_file(family: FontFamily, face: FontFace) -> Path:
    """The file the ``@font-face`` rule of ``face`` points at."""
    path = family.path(face)
    if not path.is_file():
        raise FileNotFoundError(f"font file missing from {family.package}: {path}")
    if face.opsz is None:
        return path
    with _lock:
        folder = _instance_folder()
        key = (path, face.weight, face.opsz)
        if key not in _instances:
            name = f"{path.stem.split('[')[0]}-wght{face.weight}-opsz{face.opsz:g}.ttf"
            (folder / name).write_bytes(_make_static(path, face.weight, face.opsz))
            _instances[key] = folder / name
        return _instances[key]


def font_roots(families: Iterable[FontFamily] = FAMILIES) -> list[Path]:
    """Folders the stylesheet fetcher must be allowed to read fonts from."""
    roots: set[Path] = set()
    for family in families:
        roots.add(family.folder)
        if any(face.opsz is not None for face in family.faces):
            with _lock:
                roots.add(_instance_folder())
    return sorted(roots)


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


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
                "}\n"
            )
    return "".join(rules)


@cache
def _coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def uncovered_characters(text: str, families: Sequence[FontFamily] = FAMILIES) -> list[str]:
    """Characters of ``text`` (beyond controls and spaces) no regular face of ``families`` covers."""
    covered: set[int] = set()
    for family in families:
        regular = next(face for face in family.faces if face.style == "normal")
        covered |= _coverage(family.path(regular))
    missing = sorted(
        {
            char
            for char in text
            if ord(char) not in covered and not char.isspace() and ord(char) >= 0x20
            and char not in "\u00ad\u200b\u200c\u200d\u2060\ufeff"
        }
    )
    return missing
