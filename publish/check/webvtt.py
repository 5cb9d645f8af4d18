"""A small, strict WebVTT reader: what the transcript checks need, nothing more."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+.*)?$")
_TAG = re.compile(r"<[^>]*>")


class VttError(ValueError):
    """The file is not valid WebVTT; the message names the line."""


@dataclass(frozen=True)
class Cue:
    identifier: str
    start: float
    end: float
    text: str  # the cue payload as plain text (tags removed, entities decoded)
    line: int  # line of the timing line, 1-based


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_vtt(text: str, name: str = "transcript") -> list[Cue]:
    """Cues in file order. Raises VttError on a missing header or a malformed timing line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise VttError(f"{name}:1: the first line must be WEBVTT")
    cues: list[Cue] = []
    index = 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        block_start = index
        block: list[str] = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        identifier = ""
        if "-->" not in block[0]:
            identifier, block = block[0], block[1:]
            block_start += 1
        if not block or "-->" not in block[0]:
            raise VttError(f"{name}:{block_start + 1}: cue {identifier!r} has no timing line")
        match = _TIMING.match(block[0])
        if match is None:
            raise VttError(f"{name}:{block_start + 1}: malformed cue timing {block[0]!r}")
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:8])
        if end < start:
            raise VttError(f"{name}:{block_start + 1}: cue ends before it starts")
        payload = html.unescape(_TAG.sub("", "\n".join(block[1:])))
        cues.append(Cue(identifier, start, end, payload, block_start + 1))
    return cues


def read_vtt(path: Path) -> list[Cue]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise VttError(f"{path.name}: not UTF-8 ({exc})") from exc
    return parse_vtt(text, path.name)
