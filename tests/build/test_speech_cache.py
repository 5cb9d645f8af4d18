"""Speech is cached per segment: editing one paragraph makes the engine speak that one only
and the encoder encode that one only, and a cached clip is the very clip the engine would
give (same MP3 bytes)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from formats.audio import engine
from formats.audio.cache import SpeechCache
from formats.audio.engine import Synthesiser, VoiceSettings
from formats.audio.judge import spoken_units
from publish.build import Options, build, select
from publish.reader import read_article
from publish.renderer import registered
from publish.speech import SpeechSegment, segments
from tests.build.conftest import SEED, SETTINGS

PARAGRAPH = "The intestinal barrier is a multi-layered system"


def cache_entries(cache: Path, kind: str = "speech") -> set[Path]:
    return set((cache / kind).rglob("*.npz"))


def test_a_one_paragraph_edit_speaks_one_segment_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src" / "gut-barrier"
    shutil.copytree(SEED, source)
    article, cache = source / "article.md", tmp_path / "cache"
    spoken: list[str] = []
    synthesise_text = Synthesiser.synthesise_text

    def counting(self: Synthesiser, text: str, label: str = "text") -> npt.NDArray[np.float32]:
        spoken.append(label)
        return synthesise_text(self, text, label)

    monkeypatch.setattr(Synthesiser, "synthesise_text", counting)

    def build_audio(out: Path, cache_dir: Path | None) -> bytes:
        (outcome,) = build([article], select(registered(), ["audio"]), out, SETTINGS,
                           options=Options(jobs=1, cache=cache_dir, force=True))
        assert outcome.ok, outcome
        return (out / "gut-barrier" / "gut-barrier.mp3").read_bytes()

    texts = {s.text for s in segments(read_article(article)) if spoken_units(s.text)}
    cold = build_audio(tmp_path / "dist", cache)
    assert len(spoken) == len(texts), "each text is spoken once (the seed says one twice)"
    before, parts = cache_entries(cache), cache_entries(cache, "mp3-parts")
    assert len(before) == len(texts)
    assert len(parts) == len(texts) + 1  # and the tail

    text = article.read_text(encoding="utf-8")
    assert text.count(PARAGRAPH) == 1
    article.write_text(text.replace(PARAGRAPH, "The intestinal barrier is a layered system"), encoding="utf-8")
    spoken.clear()
    edited = build_audio(tmp_path / "dist", cache)
    (changed,) = [s for s in segments(read_article(article)) if "a layered system" in s.text]
    assert spoken == [changed.id], "only the edited paragraph is spoken again"
    assert len(cache_entries(cache) - before) == 1
    assert len(cache_entries(cache, "mp3-parts") - parts) == 1, "only the edited paragraph is encoded again"
    assert edited != cold

    # Without a cache every segment is spoken, and the MP3 is the same to the byte.
    spoken.clear()
    assert build_audio(tmp_path / "fresh", None) == edited
    assert len(spoken) == len(segments(read_article(article)))


def test_the_engine_does_not_start_when_every_clip_is_cached(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    voice = VoiceSettings(language="en-GB")
    speech = SpeechCache(tmp_path, voice)
    clip = (np.arange(-100, 100, dtype=np.int16).astype(np.float32) / np.float32(32768)).astype(np.float32)
    speech.put("Hello there.", clip, "gmw/en")
    got = speech.get("Hello there.")
    assert got is not None and got[1] == "gmw/en" and np.array_equal(got[0], clip)
    assert speech.get("Something else.") is None

    def refuse(self: Synthesiser) -> None:
        raise AssertionError("the engine was started")

    monkeypatch.setattr(Synthesiser, "_ensure_worker", refuse)
    segment: Sequence[SpeechSegment] = [SpeechSegment("p-1", "Hello there.", "Hello there.", None, 0.0)]
    (audio,) = engine.synthesise(segment, voice, cache=speech)
    assert audio.voice == "gmw/en" and np.array_equal(audio.samples, clip)


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path) -> None:
    speech = SpeechCache(tmp_path, VoiceSettings())
    speech.put("Hello.", np.zeros(10, dtype=np.float32), "gmw/en")
    (entry,) = cache_entries(tmp_path)
    entry.write_bytes(b"not a cache entry")
    assert speech.get("Hello.") is None
    assert not entry.exists()
