"""Synthesised speech and encoded parts kept per segment, so an edited paragraph is the only
one spoken, mastered and encoded again.

The key is everything that shapes a clip: the text, the voice asked for (language or voice
id, bundled or system espeak-ng), the rate, and what the engine says shapes its clips
(formats.audio.voices: its versions, a Piper voice file's digest). An entry holds the raw
16-bit samples exactly as the engine wrote them, and the voice it chose, so a clip from the
cache is the very clip a fresh synthesis would give.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from publish import cache

from . import voices
from .engine import VoiceSettings
from .track import Part

Samples = npt.NDArray[np.float32]

# pyttsx3 writes 16-bit PCM, which the engine reads as pcm / 32768: scaling back is exact.
_SCALE = np.float32(32768.0)


class SpeechCache:
    def __init__(self, root: Path, settings: VoiceSettings) -> None:
        self._store = cache.Store(root, "speech", ".npz")
        self._voice = {
            "language": settings.language,
            "voice_id": settings.voice_id,
            "system_espeak": settings.system_espeak,
            "rate": settings.rate,
            "engine": voices.identity(settings),
        }

    def _key(self, text: str) -> str:
        return cache.key({**self._voice, "text": text})

    def get(self, text: str) -> tuple[Samples, str] | None:
        """The clip of ``text`` and the espeak voice that spoke it, if cached."""

        def read(path: Path) -> tuple[Samples, str]:
            with np.load(path) as entry:
                pcm = entry["pcm"]
                voice = str(entry["voice"])
            if pcm.dtype != np.int16 or pcm.ndim != 1:
                raise ValueError("not a speech clip")
            return (pcm.astype(np.float32) / _SCALE).astype(np.float32), voice

        return self._store.load(self._key(text), read)

    def put(self, text: str, samples: Samples, voice: str) -> None:
        pcm = np.round(samples * _SCALE).astype(np.int16)

        def write(path: Path) -> None:
            with path.open("wb") as f:
                np.savez(f, pcm=pcm, voice=np.array(voice))

        self._store.save(self._key(text), write)


class PartCache:
    """Encoded parts of tracks (formats.audio.track), by the key the track gives them."""

    def __init__(self, root: Path) -> None:
        self._store = cache.Store(root, "mp3-parts", ".npz")

    def get(self, key: str) -> Part | None:
        def read(path: Path) -> Part:
            with np.load(path) as entry:
                frames = entry["frames"]
                numbers = entry["numbers"]
            if frames.dtype != np.uint8 or numbers.shape != (5,):
                raise ValueError("not an encoded part")
            samples, speech_start, energy, peak, floor_db = numbers.tolist()
            return Part(frames.tobytes(), int(samples), int(speech_start), energy, peak, floor_db)

        return self._store.load(key, read)

    def put(self, key: str, part: Part) -> None:
        numbers = np.array([part.samples, part.speech_start, part.energy, part.peak, part.floor_db], dtype=np.float64)

        def write(path: Path) -> None:
            with path.open("wb") as f:
                np.savez(f, frames=np.frombuffer(part.frames, dtype=np.uint8), numbers=numbers)

        self._store.save(key, write)
