"""The voice an article is read in: the build's ``--voice``, else its front matter's ``voice``,
else the default engine's voice for its language."""

from __future__ import annotations

from pathlib import Path

from publish.errors import SourceError
from publish.model import Document, SourceWarning
from publish.renderer import Settings

from .engine import VoiceSettings
from .voices import VoiceError, choose


def article_voice(document: Document) -> tuple[str, tuple[int, int]] | None:
    """The front matter's ``voice`` and where it is (line, column), if it names one."""
    if not document.meta.voice:
        return None
    return document.meta.voice, (document.meta.voice_line or 1, 1)


def voice_for(document: Document, settings: Settings) -> tuple[VoiceSettings, SourceWarning | None]:
    """The settings to speak ``document`` with, and a warning if the voice asked for does not
    speak its language (the default engine then does). A voice that is not installed is an
    error at the front matter's ``voice``, or, given with ``--voice``, at the article."""
    path = Path(document.source)
    lang = document.meta.lang
    asked = article_voice(document) if settings.voice is None else None
    spec = settings.voice if asked is None else asked[0]
    place = asked[1] if asked is not None else (1, 1)
    try:
        choice = choose(spec, lang, settings.speech_rate)
    except VoiceError as exc:
        where = "" if asked is not None else " (--voice)"
        raise SourceError(path, f"{exc}{where}", *place) from None
    if not choice.warning:
        return choice.settings, None
    return choice.settings, SourceWarning(str(path), *place, choice.warning)
