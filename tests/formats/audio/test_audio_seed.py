"""The seed's audio edition end to end: the MP3 and WebVTT that the pipeline publishes,
checked as ACX, a podcast app and a caption parser would check them.

The build comes from tests/formats/conftest.py (built once per session).
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from mutagen import id3, mp3
from mutagen.mp3 import BitrateMode

from formats.audio.mastering import measure
from formats.audio.mp3 import count_frames
from publish.model import ListItem, Paragraph, plain_text, walk_blocks
from publish.speech import segments as speech_segments
from tests.builds import SETTINGS, ArticleBuild

# mutagen's readers are untyped: reach them through Any.
ID3: Any = id3.ID3
MP3: Any = mp3.MP3

SILENCE_DBFS = -60.0  # ACX's noise floor: anything louder is sound
TOLERANCE = 0.05  # seconds


# --------------------------------------------------------------------------- a strict WebVTT reader


@dataclass(frozen=True)
class Cue:
    id: str
    start: float
    end: float
    text: str  # cue text lines joined by a newline, entities decoded


_TIMESTAMP = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP} --> {_TIMESTAMP}$")
_ENTITY = re.compile(r"&(amp|lt|gt|lrm|rlm|nbsp);")


def _seconds(hours: str, minutes: str, seconds: str, millis: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_webvtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file in the shape this toolkit writes, or AssertionError.

    Header line "WEBVTT", a blank line, then cues separated by exactly one blank line, each
    an identifier line, an ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` line and one or more text
    lines; cue times strictly increasing and not overlapping; no markup and only the
    escapes WebVTT defines.
    """
    assert not text.startswith("\ufeff"), "byte order mark"
    assert "\r" not in text, "use LF line ends"
    assert text.endswith("\n"), "the file must end with a line end"
    lines = text[:-1].split("\n")
    assert re.fullmatch(r"WEBVTT([ \t].*)?", lines[0]), f"bad header {lines[0]!r}"
    assert len(lines) > 1 and lines[1] == "", "the header must be followed by a blank line"
    cues: list[Cue] = []
    i = 2
    while i < len(lines):
        number = len(cues) + 1
        ident = lines[i]
        assert ident and "-->" not in ident and ident.strip() == ident, f"cue {number}: bad identifier {ident!r}"
        assert i + 2 < len(lines), f"cue {number} ({ident}) is cut short"
        timing = _TIMING.match(lines[i + 1])
        assert timing, f"cue {ident}: bad timing line {lines[i + 1]!r}"
        start, end = _seconds(*timing.groups()[:4]), _seconds(*timing.groups()[4:])
        i += 2
        body = []
        while i < len(lines) and lines[i] != "":
            line = lines[i]
            assert "-->" not in line, f"cue {ident}: '-->' in cue text"
            assert "<" not in line and ">" not in line, f"cue {ident}: markup or a raw '<'/'>' in {line!r}"
            assert "&" not in _ENTITY.sub("", line), f"cue {ident}: an unescaped '&' in {line!r}"
            body.append(html.unescape(line))
            i += 1
        assert body, f"cue {ident} has no text"
        if i < len(lines):
            assert lines[i] == "" and i + 1 < len(lines) and lines[i + 1] != "", \
                f"after cue {ident}: cues are separated by exactly one blank line"
            i += 1
        assert start < end, f"cue {ident}: ends at or before its start"
        if cues:
            assert start > cues[-1].start, f"cue {ident} does not start after cue {cues[-1].id}"
            assert start >= cues[-1].end, f"cue {ident} overlaps cue {cues[-1].id}"
        assert ident not in {c.id for c in cues}, f"cue identifier {ident} is used twice"
        cues.append(Cue(ident, start, end, "\n".join(body)))
    assert cues, "no cues"
    return cues


def test_strict_webvtt_reader_rejects_what_it_should() -> None:
    good = "WEBVTT\n\na\n00:00:01.000 --> 00:00:02.000\nHello &amp; bye\n\nb\n00:00:02.500 --> 00:00:03.000\nx\n"
    assert parse_webvtt(good) == [Cue("a", 1.0, 2.0, "Hello & bye"), Cue("b", 2.5, 3.0, "x")]
    for bad in (
        good.replace("WEBVTT", "WEBVTX"),
        good.replace("\n\nb", "\n\n\nb"),  # two blank lines
        good.replace("00:00:02.500", "00:00:01.500"),  # overlaps
        good.replace("00:00:02.000\n", "00:00:02.00\n"),  # bad timestamp
        good.replace("&amp;", "&"),
        good.replace("\nx\n", "\n<b>x</b>\n"),
        good[:-1],
        "WEBVTT\n\n",
    ):
        with pytest.raises(AssertionError):
            parse_webvtt(bad)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cues(seed_build: ArticleBuild) -> list[Cue]:
    return parse_webvtt(seed_build.file("audio", ".vtt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tags(seed_build: ArticleBuild) -> Any:
    return ID3(seed_build.file("audio", ".mp3"))


def _duration(build: ArticleBuild) -> float:
    samples, rate = build.decoded_mp3
    return float(samples.shape[0] / rate)


def _sound(build: ArticleBuild) -> tuple[float, float]:
    """(seconds before the first sound, seconds after the last) in the decoded MP3."""
    samples, rate = build.decoded_mp3
    loud = np.flatnonzero(np.abs(samples[:, 0]) > 10 ** (SILENCE_DBFS / 20))
    assert loud.size, "the MP3 is silent"
    return loud[0] / rate, (samples.shape[0] - 1 - loud[-1]) / rate


def _disclaimer(build: ArticleBuild) -> str:
    return " ".join(plain_text(b.children) for b in walk_blocks(build.document.disclaimer)
                    if isinstance(b, Paragraph))


# --------------------------------------------------------------------------- the MP3


def test_mp3_decodes_to_44_1_khz_mono_of_the_stated_duration(seed_build: ArticleBuild, cues: list[Cue]) -> None:
    samples, rate = seed_build.decoded_mp3
    assert rate == 44100
    assert samples.shape[1] == 1
    duration = _duration(seed_build)
    assert duration == pytest.approx(seed_build.facts("audio")["duration"], abs=TOLERANCE)
    tail = duration - cues[-1].end
    assert 1.0 <= tail <= 5.0, f"{tail:.3f} s after the last cue"
    assert duration == pytest.approx(cues[-1].end + tail, abs=TOLERANCE)
    # the facts' timings are the transcript's (the manifest sorts its keys, so compare as sets)
    timings = seed_build.facts("audio")["timings"]
    assert {c.id for c in cues} == set(timings)
    for cue in cues:
        assert [cue.start, cue.end] == pytest.approx(timings[cue.id], abs=0.0011)


def test_levels_meet_acx(seed_build: ArticleBuild) -> None:
    samples, rate = seed_build.decoded_mp3
    levels = measure(samples[:, 0], rate)  # ACX checks the file it receives
    assert -23.0 <= levels.rms_db <= -18.0, levels
    assert levels.peak_db <= -3.0, levels
    assert levels.noise_floor_db <= -60.0, levels
    stated = seed_build.facts("audio")["levels"]
    assert stated["rms_db"] == pytest.approx(levels.rms_db, abs=1.0)


def test_head_and_tail_silence(seed_build: ArticleBuild, cues: list[Cue]) -> None:
    head, tail = _sound(seed_build)
    assert 0.5 <= head <= 1.0, f"{head:.3f} s of silence before the first sound"
    assert 1.0 <= tail <= 5.0, f"{tail:.3f} s of silence after the last sound"
    assert head >= cues[0].start - TOLERANCE, "sound starts before the first cue"


def test_mp3_is_cbr_192_kbps(seed_build: ArticleBuild) -> None:
    path = seed_build.file("audio", ".mp3")
    info = MP3(path).info
    assert info.bitrate_mode == BitrateMode.CBR
    # mutagen's figure is bytes / duration: each part's stream starts its own pattern of
    # padding slots, a byte or so short of the ideal in all; every frame says 192 kbps.
    assert round(info.bitrate / 1000) == 192
    count_frames(path.read_bytes()[ID3(path).size :], 192)  # raises unless every frame is 192 kbps
    assert info.sample_rate == 44100
    assert info.channels == 1
    assert info.length == pytest.approx(_duration(seed_build), abs=TOLERANCE)


def test_id3_title_language_disclaimer_and_cover(seed_build: ArticleBuild, tags: Any) -> None:
    meta = seed_build.document.meta
    assert tags.version[:2] in ((2, 4), (2, 3))
    assert tags["TIT2"].text == [meta.title]
    assert tags["TLAN"].text == ["eng"]  # ISO 639-2 for en-GB
    (comment,) = tags.getall("COMM")
    assert comment.text == [_disclaimer(seed_build)]
    assert "not intended to diagnose" in comment.text[0]
    (cover,) = tags.getall("APIC")
    assert cover.type == id3.PictureType.COVER_FRONT
    assert cover.mime == "image/png" and cover.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int(tags["TLEN"].text[0]) == pytest.approx(_duration(seed_build) * 1000, abs=TOLERANCE * 1000)


def test_chapters_cover_the_whole_track_in_order(seed_build: ArticleBuild, tags: Any) -> None:
    chapters = tags.getall("CHAP")
    (toc,) = tags.getall("CTOC")
    by_id = {c.element_id: c for c in chapters}
    ordered = [by_id[i] for i in toc.child_element_ids]
    assert len(ordered) == len(chapters) > 2
    assert toc.flags & id3.CTOCFlags.TOP_LEVEL and toc.flags & id3.CTOCFlags.ORDERED
    titles = [str(c.sub_frames["TIT2"].text[0]) for c in ordered]
    assert all(t.strip() for t in titles)
    assert ordered[0].start_time == 0
    for before, after in itertools.pairwise(ordered):
        assert before.start_time < before.end_time == after.start_time, f"gap or overlap at {after.element_id}"
    assert ordered[-1].end_time == pytest.approx(_duration(seed_build) * 1000, abs=TOLERANCE * 1000)
    assert "Disclaimer" in titles and "References" in titles
    assert titles[0] == seed_build.document.meta.title
    assert [[t, c.start_time, c.end_time] for t, c in zip(titles, ordered, strict=True)] == \
        seed_build.facts("audio")["chapters"]
    # every section of the article is a chapter
    sections = [plain_text(h.children) for h in seed_build.document.headings() if h.level == 2]
    assert all(s in titles for s in sections)


# --------------------------------------------------------------------------- the transcript


def test_vtt_has_one_cue_per_speech_segment(seed_build: ArticleBuild, cues: list[Cue]) -> None:
    segments = speech_segments(seed_build.document, SETTINGS)
    assert [c.id for c in cues] == [s.id for s in segments]


def test_vtt_text_carries_the_whole_article(seed_build: ArticleBuild, cues: list[Cue]) -> None:
    doc = seed_build.document
    texts = [" ".join(c.text.split()) for c in cues]
    expected = [(b.id, plain_text(b.children)) for b in walk_blocks(doc.disclaimer) if isinstance(b, Paragraph)]
    for block in walk_blocks(doc.body):
        if isinstance(block, Paragraph):
            expected.append((block.id, plain_text(block.children)))
        elif isinstance(block, ListItem):
            expected += [(block.id, plain_text(b.children)) for b in block.blocks if isinstance(b, Paragraph)]
    expected += [(r.id, plain_text(r.children)) for r in doc.references]
    assert len(expected) > 40
    cursor = 0  # in listening order: title, disclaimer, body, references
    for id, text in expected:
        needle = " ".join(text.split())
        found = next((i for i in range(cursor, len(texts)) if needle in texts[i]), None)
        assert found is not None, f"the transcript lacks {id}: {needle!r}"
        cursor = found
    whole = " ".join(texts)
    assert " ".join(_disclaimer(seed_build).split()) in whole
    assert len(doc.references) == 9
