"""Speech engines as plugins (entry-point group ``publish.voices``) and the choice of a voice.

A voice is named ``ENGINE:VOICE`` (``piper:en_US-joe-medium``, ``piper:/path/to/voice.onnx``,
``espeak:gmw/en-us``), ``ENGINE`` alone (that engine's voice for the article's language), or
a bare espeak-ng voice id (``gmw/en-us``), as ``--voice`` always took. The espeak-ng engine is
the default, and where the chosen engine has no voice for the article's language, the default
engine speaks it, with a warning.

An engine is an object with a ``name`` and five methods (see ``Engine``); it is loaded here,
in the build, to choose and describe the voice, and in the speech worker process
(``formats.audio.engine``) to ``start`` speaking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from .engine import VoiceSettings

GROUP = "publish.voices"
DEFAULT_ENGINE = "espeak"
LISTED = 20  # an error lists the voices of an engine that has at most this many

Speak = Callable[[str, str], None]  # speak(text, path): one utterance into a 16-bit mono WAV at engine.SAMPLE_RATE


class VoiceError(ValueError):
    """A voice or engine that is not installed; the message lists those that are."""


@dataclass(frozen=True)
class VoiceFacts:
    """What a listener is told of the voice: in the ID3 tags, the manifest, the EPUB."""

    engine: str  # "Piper", "espeak-ng"
    version: str  # "1.8.0 (onnxruntime 1.32.0)"
    voice: str  # "en_US-joe-medium"
    licence: str  # the voice's, as its maker states it: "CC0", "GPL-3.0-or-later"

    def sentence(self) -> str:
        """One line: "Piper 1.8.0 (onnxruntime 1.32.0), voice en_US-joe-medium, licence CC0"."""
        return f"{self.engine} {self.version}, voice {self.voice}, licence {self.licence}"

    def as_dict(self) -> dict[str, str]:
        return {"engine": self.engine, "version": self.version, "voice": self.voice, "licence": self.licence}


@runtime_checkable
class Engine(Protocol):
    name: str  # as in ENGINE:VOICE, and the entry point's name

    def voices(self) -> Sequence[str]:
        """The voices installed, as a user names them."""
        ...

    def settings(self, voice: str | None, language: str, rate: int) -> VoiceSettings | None:
        """The settings that speak ``language`` with ``voice`` (None: the engine's own choice),
        or None if that voice cannot speak it; VoiceError for a voice that is not installed."""
        ...

    def start(self, settings: VoiceSettings) -> tuple[Speak, str]:
        """In the speech worker: the engine loaded, its ``speak`` and the voice id it uses."""
        ...

    def identity(self, settings: VoiceSettings) -> str:
        """Everything besides the text that shapes a clip (versions, the voice file's digest),
        for the speech cache's keys."""
        ...

    def facts(self, settings: VoiceSettings, voice: str) -> VoiceFacts:
        """The engine and voice that spoke (``voice``: the id ``start`` gave)."""
        ...


@cache
def engines() -> Mapping[str, Engine]:
    """Every installed engine by name."""
    found: dict[str, Engine] = {}
    for point in sorted(entry_points(group=GROUP), key=lambda p: p.name):
        engine = point.load()()
        if not isinstance(engine, Engine):
            raise TypeError(f"entry point {point.name} ({point.value}) does not provide a speech engine")
        found[engine.name] = engine
    if DEFAULT_ENGINE not in found:
        # The default engine is part of the toolkit: there even when the installed package's
        # metadata is older than its code (a checkout run without reinstalling).
        from .espeak import EspeakEngine

        found[DEFAULT_ENGINE] = EspeakEngine()
    return found


def engine_named(name: str) -> Engine:
    installed = engines()
    if name not in installed:
        raise VoiceError(f"no speech engine '{name}' is installed; installed: {', '.join(installed)}"
                         + ("; Piper comes with: pip install 'accessible-publish[piper]'" if name == "piper" else ""))
    return installed[name]


def split(spec: str) -> tuple[str, str | None]:
    """(engine, voice or None) of a voice's name as a user writes it."""
    spec = spec.strip()
    engine, colon, voice = spec.partition(":")
    if colon and engine in engines():
        return engine, voice.strip() or None
    if colon and "/" not in engine and "." not in engine:
        engine_named(engine)  # raises: a name that looks like ENGINE:VOICE with an unknown engine
    return (spec, None) if spec in engines() else (DEFAULT_ENGINE, spec or None)


def installed_voices() -> list[str]:
    """Every voice of every engine, as ENGINE:VOICE, for messages and ``publish voices``."""
    return [f"{name}:{voice}" for name, engine in engines().items() for voice in engine.voices()]


@dataclass(frozen=True)
class Choice:
    settings: VoiceSettings
    warning: str = ""  # why the default engine speaks instead of the one asked for


def choose(spec: str | None, language: str, rate: int) -> Choice:
    """The voice to speak an article in ``language`` with; VoiceError if it is not installed."""
    name, voice = split(spec) if spec else (DEFAULT_ENGINE, None)
    settings = engine_named(name).settings(voice, language, rate)
    if settings is not None:
        return Choice(settings)
    fallback = engines()[DEFAULT_ENGINE].settings(None, language, rate)
    if fallback is None:  # the default engine speaks every language, in English at worst
        raise VoiceError(f"no voice for language '{language}'")
    asked = f"{name}:{voice}" if voice else name
    return Choice(fallback, f"the voice '{asked}' does not speak '{language}', so the default voice "
                            f"({DEFAULT_ENGINE}) reads the audio edition")


def check(spec: str) -> None:
    """VoiceError if ``spec`` names an engine or voice that is not installed (any language)."""
    name, voice = split(spec)
    engine = engine_named(name)
    if voice is not None:
        engine.settings(voice, "und", 165)


def identity(settings: VoiceSettings) -> str:
    return engine_named(settings.engine).identity(settings)


def facts(settings: VoiceSettings, voice: str) -> VoiceFacts:
    return engine_named(settings.engine).facts(settings, voice)


def unknown(engine: str, voice: str, known: Sequence[str]) -> VoiceError:
    """The error for a voice that is not installed, naming those that are (or, of an engine
    with a great many, how many: 'publish voices' lists them)."""
    listed = ", ".join(f"{engine}:{v}" for v in known) if len(known) <= LISTED else \
        f"{len(known)} of them, listed by 'publish voices'"
    others = [name for name in engines() if name != engine]
    return VoiceError(f"no {engine} voice '{voice}' is installed; installed {engine} voices: {listed or 'none'}"
                      + (f" (other engines: {', '.join(others)})" if others else ""))
