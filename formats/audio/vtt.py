"""WebVTT transcript: one cue per speech segment, timed from the mastered track."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from publish.speech import SpeechSegment


def timestamp(seconds: float) -> str:
    """HH:MM:SS.mmm, as WebVTT requires (hours always present, for uniformity)."""
    if seconds < 0:
        raise ValueError("negative time")
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def escape(text: str) -> str:
    """Cue text escaping; whitespace runs become one space, since a blank line
    would end the cue."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check_identifier(identifier: str) -> str:
    # A cue identifier is one line and must not contain "-->".
    if not identifier or "-->" in identifier or re.search(r"[\r\n]", identifier):
        raise ValueError(f"{identifier!r} cannot be a WebVTT cue identifier")
    return identifier


def webvtt(
    segments: Sequence[SpeechSegment],
    timings: Mapping[str, tuple[float, float]],
) -> str:
    """The transcript as text (UTF-8 when written), cues in segment order."""
    cues = ["WEBVTT", ""]
    previous_end = 0.0
    for segment in segments:
        start, end = timings[segment.id]
        if start < previous_end - 1e-9 or end < start:
            raise ValueError(
                f"segment {segment.id!r} is out of order in the timing map"
            )
        previous_end = end
        begin, finish = timestamp(start), timestamp(end)
        if finish == begin:  # zero-length speech still needs a cue a player can show
            finish = timestamp(start + 0.001)
        cues += [
            _check_identifier(segment.id),
            f"{begin} --> {finish}",
            escape(segment.caption) or escape(segment.text),
            "",
        ]
    return "\n".join(cues)
