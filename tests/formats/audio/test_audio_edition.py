"""The audio edition end to end: real espeak-ng synthesis, mastering, MP3, WebVTT."""

from __future__ import annotations

import html
import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf  # type: ignore[import-untyped]
from mutagen import id3, mp3
from mutagen.id3 import CTOCFlags
from mutagen.mp3 import BitrateMode
from PIL import Image

from formats.audio.engine import VoiceSettings, engine_version, synthesise
from formats.audio.mastering import HEAD_SILENCE, TAIL_SILENCE, measure
from formats.audio.mp3 import Mp3Metadata, chapters_for, tag_mp3
from formats.audio.track import Track, build_track
from formats.audio.vtt import webvtt
from publish.speech import SpeechSegment

# mutagen's readers are untyped: reach them through Any.
ID3: Any = id3.ID3
MP3: Any = mp3.MP3

DISCLAIMER = "This article is for information only & is not medical advice."

SEGMENTS = (
    SpeechSegment("h-1", "Introduction.", "Introduction", "Introduction", 0.0),
    SpeechSegment(
        "p-1",
        "The gut barrier keeps what is inside the gut from entering the blood.",
        "The gut barrier keeps what is inside the gut from entering the blood (1).",
        None,
        0.6,
    ),
    SpeechSegment("h-2", "References.", "References", "References", 1.5),
    SpeechSegment(
        "ref-turner2009",
        "Turner, two thousand and nine. Intestinal mucosal barrier function.",
        "Turner JR (2009). Intestinal mucosal barrier function in health & disease. <i>Nat Rev</i>",
        None,
        0.6,
    ),
)


def _cover() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


METADATA = Mp3Metadata(
    title="What's Going On With Your Gut Barrier",
    language="en-GB",
    artist="A. Author",
    publisher="Accessible Press",
    year="2024",
    comment=DISCLAIMER,
    cover_png=_cover(),
)


@dataclass(frozen=True)
class Edition:
    track: Track
    mp3: bytes
    vtt: str


def _build() -> Edition:
    audio = synthesise(SEGMENTS, VoiceSettings(language="en-GB"))
    track = build_track(SEGMENTS, audio, bitrate_kbps=192)
    chapters = chapters_for(SEGMENTS, track.timings, track.duration)
    return Edition(
        track=track,
        mp3=tag_mp3(track.mp3, METADATA, chapters, duration=track.duration),
        vtt=webvtt(SEGMENTS, track.timings),
    )


@pytest.fixture(scope="module")
def edition() -> Edition:
    return _build()


@pytest.fixture(scope="module")
def mp3_path(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "article.mp3"
    path.write_bytes(edition.mp3)
    return path


def test_master_meets_acx_levels(edition: Edition) -> None:
    levels = edition.track.levels
    assert -23.0 <= levels.rms_db <= -18.0
    assert levels.peak_db <= -3.0
    assert levels.noise_floor_db <= -60.0


def test_timings_are_ordered_with_head_tail_and_pauses(edition: Edition) -> None:
    timings = [edition.track.timings[s.id] for s in SEGMENTS]
    assert 0.5 <= timings[0][0] <= 1.0  # ACX head
    assert timings[0][0] == pytest.approx(HEAD_SILENCE, abs=0.02)
    for segment, (start, end), (_, previous_end) in zip(
        SEGMENTS[1:], timings[1:], timings[:-1], strict=True
    ):
        assert end > start
        # the seam between two parts' streams adds LAME's delay and padding to the pause
        assert 0 <= start - previous_end - segment.pause_before <= 2 * 1152 / 44100
    tail = edition.track.duration - timings[-1][1]
    assert 1.0 <= tail <= 5.0
    assert 0 <= tail - TAIL_SILENCE <= 2 * 1152 / 44100


def test_mp3_decodes_to_the_master(edition: Edition, mp3_path: Path) -> None:
    decoded, rate = sf.read(mp3_path, dtype="float32", always_2d=True)
    assert rate == 44100
    assert decoded.shape[1] == 1
    assert decoded.shape[0] == round(edition.track.duration * rate)  # gapless, to the sample
    levels = measure(decoded[:, 0], rate)  # ACX checks the file it receives
    assert -23.0 <= levels.rms_db <= -18.0
    # LAME's frames decode a little quieter than the master: 0.27 dB at 192 kbps, 0 at 320
    assert -0.35 < levels.rms_db - edition.track.levels.rms_db < 0.0
    assert levels.peak_db <= -3.0
    assert levels.noise_floor_db <= -60.0
    # Speech is where the timings say, across the seams between the parts' streams.
    for start, end in edition.track.timings.values():
        first, last = round(start * rate), round(end * rate)
        assert measure(decoded[first - 441 : first, 0], rate).peak_db < -50  # the 10 ms before
        assert measure(decoded[first : first + 4410, 0], rate).peak_db > -30  # the first 100 ms
        assert measure(decoded[last : last + 441, 0], rate).peak_db < -50  # the 10 ms after


def test_mp3_is_cbr_192(mp3_path: Path) -> None:
    info = MP3(mp3_path).info
    assert info.bitrate_mode == BitrateMode.CBR
    assert round(info.bitrate / 1000) == 192
    assert info.sample_rate == 44100
    assert info.channels == 1


def test_id3_metadata(mp3_path: Path) -> None:
    tags = ID3(mp3_path)
    assert tags.version[:2] == (2, 4)
    assert str(tags["TIT2"]) == METADATA.title
    assert str(tags["TPE1"]) == METADATA.artist
    assert str(tags["TPUB"]) == METADATA.publisher
    assert str(tags["TDRC"]) == "2024"
    assert str(tags["TLAN"]) == "eng"
    comments = tags.getall("COMM")
    assert [c.text[0] for c in comments] == [DISCLAIMER]
    (cover,) = tags.getall("APIC")
    assert cover.mime == "image/png"
    assert cover.data == METADATA.cover_png


def test_id3_chapters_cover_the_duration(edition: Edition, mp3_path: Path) -> None:
    tags = ID3(mp3_path)
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL
    assert toc.flags & CTOCFlags.ORDERED
    chapters = [tags[f"CHAP:{element_id}"] for element_id in toc.child_element_ids]
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [
        "Introduction",
        "References",
    ]
    assert chapters[0].start_time == 0
    for previous, chapter in itertools.pairwise(chapters):
        assert chapter.start_time == previous.end_time  # no gaps, in order
    assert chapters[-1].end_time == round(edition.track.duration * 1000)
    references_onset = edition.track.timings["h-2"][0] * 1000
    assert 0 <= references_onset - chapters[1].start_time <= 300.5  # start is rounded to the ms
    decoded = sf.info(str(mp3_path))
    assert chapters[-1].end_time == pytest.approx(
        decoded.frames / decoded.samplerate * 1000, abs=50
    )
    assert MP3(mp3_path).info.length * 1000 == pytest.approx(
        chapters[-1].end_time, abs=50
    )


_CUE_TIMING = re.compile(
    r"^(\d{2,}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2,}):(\d{2}):(\d{2})\.(\d{3})$"
)


def _seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_vtt(text: str) -> list[tuple[str, float, float, str]]:
    """Just enough WebVTT: header, then blocks of identifier, timing line, payload."""
    blocks = text.split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = []
    for block in filter(None, (b.strip("\n") for b in blocks[1:])):
        identifier, timing, *payload = block.split("\n")
        match = _CUE_TIMING.match(timing)
        assert match, timing
        assert "-->" not in identifier
        body = "\n".join(payload)
        assert not re.search(r"<|>|&(?!amp;|lt;|gt;)", body), body
        cues.append(
            (
                identifier,
                _seconds(*match.groups()[:4]),
                _seconds(*match.groups()[4:]),
                body,
            )
        )
    return cues


def test_vtt_has_one_cue_per_segment(edition: Edition) -> None:
    cues = parse_vtt(edition.vtt)
    assert [c[0] for c in cues] == [s.id for s in SEGMENTS]
    for (identifier, start, end, body), segment in zip(cues, SEGMENTS, strict=True):
        expected_start, expected_end = edition.track.timings[identifier]
        assert start == pytest.approx(expected_start, abs=0.001)
        assert end == pytest.approx(expected_end, abs=0.001)
        assert html.unescape(body) == segment.caption
    assert "&amp; disease. &lt;i&gt;Nat Rev&lt;/i&gt;" in edition.vtt


def test_same_bytes_when_built_twice(edition: Edition) -> None:
    again = _build()
    assert again.mp3 == edition.mp3
    assert again.vtt == edition.vtt
    assert again.track == edition.track


def test_same_bytes_on_threads(edition: Edition) -> None:
    audio = synthesise(SEGMENTS, VoiceSettings(language="en-GB"))
    assert build_track(SEGMENTS, audio, bitrate_kbps=192, threads=3) == edition.track


def test_engine_output_stays_off_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    synthesise([SpeechSegment("p-9", "Quiet please.", "Quiet please.", None, 0.0)])
    captured = capfd.readouterr()
    assert "Audio saved" not in captured.out + captured.err


def test_engine_version_names_both_parts() -> None:
    version = engine_version()
    assert re.search(r"pyttsx3 \d", version)
    assert re.search(r"espeak-ng \d+\.\d+", version)
