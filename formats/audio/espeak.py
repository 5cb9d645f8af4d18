"""The default speech engine: libespeak-ng through pyttsx3 (``formats.audio.engine`` drives it)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from .engine import VoiceSettings, engine_version, start_espeak
from .voices import Speak, VoiceFacts, unknown

# espeak-ng's voices are part of espeak-ng, under its licence.
LICENCE = "GPL-3.0-or-later"


@cache
def _voice_ids() -> tuple[str, ...]:
    """The bundled espeak-ng's voice ids (its files under lang/, as espeak_ListVoices names
    them), read from its data folder so the library is not loaded in this process."""
    import espeakng_loader

    root = Path(espeakng_loader.get_data_path()) / "lang"
    return tuple(sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()))


class EspeakEngine:
    name = "espeak"

    def voices(self) -> Sequence[str]:
        return _voice_ids()

    def settings(self, voice: str | None, language: str, rate: int) -> VoiceSettings | None:
        if voice is not None:
            known = {v.lower(): v for v in _voice_ids()}
            if voice.lower() not in known:
                raise unknown(self.name, voice, _voice_ids())
        # Any language: engine.select_voice falls back to the base language, then English.
        return VoiceSettings(language=language, rate=rate, voice_id=voice)

    def start(self, settings: VoiceSettings) -> tuple[Speak, str]:
        return start_espeak(settings)

    def identity(self, settings: VoiceSettings) -> str:
        return engine_version(settings.system_espeak)

    def facts(self, settings: VoiceSettings, voice: str) -> VoiceFacts:
        # engine_version: "pyttsx3 2.99; espeak-ng 1.52.0 (espeakng-loader 0.2.4)", of which the
        # version given is "1.52.0 (espeakng-loader 0.2.4, pyttsx3 2.99)"
        pyttsx3, _, espeak = engine_version(settings.system_espeak).partition("; ")
        version = espeak.removeprefix("espeak-ng ")
        return VoiceFacts("espeak-ng", f"{version.removesuffix(')')}, {pyttsx3})", voice, LICENCE)
