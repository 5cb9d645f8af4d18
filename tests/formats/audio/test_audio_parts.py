"""The audio back-end's parts, mostly without the speech engine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st
from mutagen import id3, mp3
from mutagen.mp3 import BitrateMode

from formats.audio import engine
from formats.audio.engine import (
    SegmentAudio,
    Synthesiser,
    SynthesisError,
    VoiceSettings,
    select_voice,
)
from formats.audio.mastering import (
    DB_FLOOR,
    SPEECH_RMS_DB,
    MasteringError,
    level,
    limit,
    noise_floor_db,
    peak_db,
    rms_db,
    speech_level,
)
from formats.audio.mp3 import Mp3Metadata, chapters_for, encode_mp3, iso639_2, tag_mp3
from formats.audio.track import Part, build_track
from formats.audio.vtt import escape, timestamp, webvtt
from publish.speech import SpeechSegment

# mutagen's readers are untyped: reach them through Any.
ID3: Any = id3.ID3
MP3: Any = mp3.MP3

VOICES = [
    ("gmw/en", "en-gb"),
    ("gmw/en-us", "en-us"),
    ("gmw/de", "de"),
    ("roa/pt-br", "pt-br"),
    ("roa/pt", "pt"),
]


@pytest.mark.parametrize(
    ("tag", "voice"),
    [
        ("en-GB", "gmw/en"),
        ("en-US", "gmw/en-us"),
        ("en", "gmw/en"),
        ("de-AT", "gmw/de"),
        ("pt-BR", "roa/pt-br"),
        ("pt_PT", "roa/pt"),
        ("tlh", "gmw/en"),
    ],
)
def test_select_voice_falls_back_to_base_language_then_english(
    tag: str, voice: str
) -> None:
    assert select_voice(tag, VOICES) == voice


def speech(
    seconds: float, amplitude: float = 0.5, rate: int = 22050
) -> npt.NDArray[np.float32]:
    """Noisy, speech-like bursts: high crest factor, gaps between 'words'."""
    rng = np.random.default_rng(1)
    t = np.arange(int(seconds * rate)) / rate
    envelope = (np.sin(2 * np.pi * 3 * t) > 0).astype(np.float64)
    signal = rng.standard_normal(t.size) * envelope * amplitude / 3
    signal[:: rate // 10] = amplitude  # sparse peaks
    return signal.astype(np.float32)


@settings(max_examples=25, deadline=None)
@given(
    gain_db=st.floats(min_value=-30, max_value=20),
    ceiling_db=st.floats(min_value=-12, max_value=-1),
)
def test_limiter_never_passes_the_ceiling(gain_db: float, ceiling_db: float) -> None:
    signal = speech(1.0) * np.float32(10 ** (gain_db / 20))
    assert peak_db(limit(signal, 22050, ceiling_db)) <= ceiling_db + 1e-4


def test_level_hits_rms_target_under_peak_ceiling() -> None:
    leveled = level(speech(3.0, amplitude=0.05), 22050)
    assert rms_db(leveled) == pytest.approx(-20.0, abs=0.06)
    assert peak_db(leveled) <= -3.5 + 1e-4


def test_measures_of_silence_and_tone() -> None:
    assert rms_db(np.zeros(1000)) == DB_FLOOR
    assert noise_floor_db(np.zeros(44100), 44100) == DB_FLOOR
    tone = 0.5 * np.sin(2 * np.pi * 100 * np.arange(44100) / 44100)
    assert rms_db(tone) == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.01)
    assert peak_db(tone) == pytest.approx(20 * np.log10(0.5), abs=0.01)
    quiet_part = np.concatenate([tone, 1e-4 * tone])
    assert noise_floor_db(quiet_part, 44100) == pytest.approx(
        -80 - 6.02 - 3.01, abs=0.1
    )


def _clip(segment_id: str, seconds: float) -> SegmentAudio:
    return SegmentAudio(segment_id, speech(seconds), 22050, "test")


def test_track_rejects_mismatched_audio() -> None:
    segment = SpeechSegment("p-1", "x", "x", None, 0.0)
    with pytest.raises(MasteringError, match="audio of"):
        build_track([segment], [_clip("p-2", 1.0)], bitrate_kbps=192)
    with pytest.raises(MasteringError, match="twice"):
        build_track([segment, segment], [_clip("p-1", 1.0), _clip("p-1", 1.0)], bitrate_kbps=192)


def test_track_ignores_the_first_pause() -> None:
    segments = [
        SpeechSegment("a", "x", "x", "One", 3.0),
        SpeechSegment("b", "x", "x", "Two", 1.0),
    ]
    track = build_track(segments, [_clip("a", 1.0), _clip("b", 1.0)], bitrate_kbps=192)
    assert track.timings["a"][0] == pytest.approx(0.75, abs=0.02)
    gap = track.timings["b"][0] - track.timings["a"][1]
    assert 1.0 <= gap <= 1.0 + 2 * 1152 / 44100  # the pause, and the seam between two streams
    assert track.levels.acx_ok


class CountingStore:
    def __init__(self) -> None:
        self.parts: dict[str, Part] = {}
        self.made: list[str] = []

    def get(self, key: str) -> Part | None:
        return self.parts.get(key)

    def put(self, key: str, part: Part) -> None:
        self.made.append(key)
        self.parts[key] = part


def test_an_edited_segment_is_the_only_part_made_again() -> None:
    segments = [SpeechSegment(name, "x", "x", None, 0.5) for name in "abc"]
    clips = [_clip(name, 4.0 + index / 10) for index, name in enumerate("abc")]  # mostly speech
    store = CountingStore()
    cold = build_track(segments, clips, bitrate_kbps=192, store=store)
    assert len(store.made) == 4  # three segments and the tail
    store.made.clear()
    assert build_track(segments, clips, bitrate_kbps=192, store=store) == cold
    assert store.made == []
    edited = [*clips[:2], SegmentAudio("c", speech(4.5), 22050, "test")]
    store.made.clear()
    warm = build_track(segments, edited, bitrate_kbps=192, store=store)
    assert len(store.made) == 1
    assert warm == build_track(segments, edited, bitrate_kbps=192)  # the same as with no cache
    assert warm.timings["a"] == cold.timings["a"] and warm.timings["c"] != cold.timings["c"]


def test_speech_level_moves_only_when_the_track_would_leave_acx_range() -> None:
    assert speech_level(90, 100) == SPEECH_RMS_DB
    assert speech_level(0, 100) == SPEECH_RMS_DB
    sparse = speech_level(20, 100)  # mostly pauses: speech louder, the track at -20 dB
    assert sparse == pytest.approx(-20.0 - 10 * np.log10(0.2))


def test_chapters_start_at_zero_and_end_at_duration() -> None:
    segments = [
        SpeechSegment("a", "x", "x", None, 0.0),
        SpeechSegment("b", "x", "x", "First", 0.5),
        SpeechSegment("c", "x", "x", "Second", 2.0),
    ]
    timings = {"a": (0.75, 2.0), "b": (2.5, 4.0), "c": (6.0, 8.0)}
    chapters = chapters_for(segments, timings, 10.0)
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters] == [
        ("First", 0, 5700),
        ("Second", 5700, 10000),
    ]
    assert chapters_for(segments[:1], timings, 10.0) == []


def test_iso639_2() -> None:
    assert iso639_2("en-GB") == "eng"
    assert iso639_2("de") == "deu"
    assert iso639_2("haw-US") == "haw"
    assert iso639_2("xx") == "und"


def test_encoder_rejects_non_mpeg1_settings() -> None:
    with pytest.raises(ValueError, match="bit rate"):
        encode_mp3(np.zeros(100, dtype=np.float32), bitrate_kbps=100)
    with pytest.raises(ValueError, match="Hz"):
        encode_mp3(np.zeros(100, dtype=np.float32), 22050)


@pytest.mark.parametrize("samples", [1, 1151, 1152, 44100 * 2 + 17])
def test_mp3_is_gapless_for_any_length(samples: int, tmp_path: Path) -> None:
    signal = (0.25 * np.sin(np.arange(samples) * 0.05)).astype(np.float32)
    path = tmp_path / "x.mp3"
    path.write_bytes(encode_mp3(signal, bitrate_kbps=128))
    decoded, rate = sf.read(path, dtype="float32")
    assert (rate, decoded.size) == (44100, samples)
    info = MP3(path).info
    assert info.bitrate_mode == BitrateMode.CBR
    assert info.length == pytest.approx(samples / 44100, abs=1e-6)


def test_id3v23_still_carries_chapters(tmp_path: Path) -> None:
    signal = np.zeros(44100, dtype=np.float32)
    segments = [SpeechSegment("a", "x", "x", "Only", 0.0)]
    chapters = chapters_for(segments, {"a": (0.75, 0.8)}, 1.0)
    path = tmp_path / "x.mp3"
    path.write_bytes(
        tag_mp3(encode_mp3(signal), Mp3Metadata("T", "fr-FR", year="2024"), chapters, duration=1.0,
                id3_version=3)
    )
    tags = ID3(path)
    assert tags.version[:2] == (2, 3)
    assert str(tags["TLAN"]) == "fra"
    assert tags["CHAP:chp0"].end_time == 1000


def test_vtt_escaping_and_timestamps() -> None:
    assert timestamp(3725.0004) == "01:02:05.000"
    assert timestamp(0.0016) == "00:00:00.002"
    assert escape("a < b &\n\n c > d") == "a &lt; b &amp; c &gt; d"
    with pytest.raises(ValueError, match="identifier"):
        webvtt([SpeechSegment("a-->b", "x", "x", None, 0)], {"a-->b": (0.0, 1.0)})


# ---------------------------------------------------------------- engine failure paths


def test_unknown_voice_id_is_a_clear_error() -> None:
    with (
        pytest.raises(SynthesisError, match="no voice 'nope'"),
        Synthesiser(VoiceSettings(voice_id="nope")) as synthesiser,
    ):
        synthesiser.synthesise_text("Hello there.")


def test_bad_wav_is_retried_then_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine._check_clip
    calls: list[Path] = []
    here = os.getpid()  # the engine's worker may be a fork of this process: it checks for real

    def flaky(path: Path, text: str, rate: int) -> npt.NDArray[np.float32]:
        if os.getpid() != here:
            return real(path, text, rate)
        calls.append(path)
        if len(calls) == 1:
            raise ValueError("no WAV file was written")
        return real(path, text, rate)

    monkeypatch.setattr(engine, "_check_clip", flaky)
    with Synthesiser(attempts=3) as synthesiser:
        samples = synthesiser.synthesise_text("Second time lucky.", "p-1")
        assert samples.size > 0
        assert len(calls) == 2 and calls[0] != calls[1]  # a fresh file name per attempt

        def broken(path: Path, text: str, rate: int) -> npt.NDArray[np.float32]:
            if os.getpid() != here:
                return real(path, text, rate)
            raise ValueError("the WAV file is silent")

        monkeypatch.setattr(engine, "_check_clip", broken)
        with pytest.raises(SynthesisError, match=r"'p-2' \(12 spoken units\) after 3 attempts"):
            synthesiser.synthesise_text("Never works.", "p-2")


def test_hung_worker_is_replaced_and_then_reported() -> None:
    with (
        Synthesiser(timeout=0.0, attempts=2) as synthesiser,
        pytest.raises(SynthesisError, match="no answer within 0 s"),
    ):
        synthesiser.synthesise_text("Too slow for a zero timeout.", "p-3")
