"""What speech to expect of a text, and what to say in place of a text the engine cannot speak.

A clip is judged against what its text is, not against its words: a 64-character hash is one
word that espeak spells in 25 s, a line of Thai is one "word" it names letter by letter in 15 s,
and "∮∯∰" is three characters it says nothing for at all. So only what signals a broken engine
is refused: silence where the text holds something every voice says (an ASCII letter or digit),
and a clip longer than the text could take however each character is spoken. A clip the engine
never finishes is caught by the synthesis timeout, which grows with the same bound.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from publish.language import primary

# A clip whose peak stays below this is treated as "no speech came out".
SILENT_PEAK: Final = 10 ** (-40 / 20)
DEFAULT_RATE_WPM: Final = 165

# A spoken unit is about a letter said on its own ("double-u", the longest, or a digit) at the
# default rate. Measured with espeak-ng 1.52 at 165 wpm: a spelled hash takes 0.39 s a character,
# the name of an ASCII symbol at most 0.8 s ("left parenthesis"), and the longest names of other
# characters 2.1 s ("gujarati rupee sign", an Ethiopic syllable, a CJK ideograph in an English
# voice: "chinese letter"); the units below are those times rounded up to whole units.
UNIT_SECONDS: Final = 0.5
_ASCII_SYMBOL_UNITS: Final = 2
_OTHER_UNITS: Final = 5
# The bound doubles the longest reading, and allows for the engine's lead-in and end pause.
_MARGIN: Final = 2.0
_PAUSES_SECONDS: Final = 2.0
# The time to synthesise a clip may grow by this much per second of the longest plausible clip
# (espeak speaks about 400 times faster than real time, Piper on a CPU 5 to 20 times).
TIMEOUT_PER_AUDIO_SECOND: Final = 0.1


def spoken_units(text: str) -> int:
    """How many letters' worth of speech ``text`` can take at most: each ASCII letter or digit
    (spelled, in a hash or an ID), each ASCII symbol (named), each other character (named:
    other scripts, emoji, mathematical symbols) by its longest name. Spaces say nothing."""
    units = 0
    for char in text:
        if char.isspace():
            continue
        if char.isascii():
            units += 1 if char.isalnum() else _ASCII_SYMBOL_UNITS
        else:
            units += _OTHER_UNITS
    return units


def must_sound(text: str) -> bool:
    """Whether every voice says something for ``text``: espeak-ng names or spells an ASCII letter
    or digit in all of its languages, but says nothing for many other characters (superscript
    and non-Latin digits, box drawing, private-use characters, a row of dots)."""
    return any(char.isascii() and char.isalnum() for char in text)


def longest_plausible(text: str, rate: int) -> float:
    """Seconds of the longest clip ``text`` can give at ``rate`` words a minute."""
    return _MARGIN * spoken_units(text) * UNIT_SECONDS * DEFAULT_RATE_WPM / max(rate, 1) + _PAUSES_SECONDS


def synthesis_timeout(text: str, rate: int, base: float) -> float:
    """How long the engine may take to speak ``text``: ``base`` (0: give up at once), plus time
    in proportion to how long the speech may be, so that long speech is never cut short."""
    return base + TIMEOUT_PER_AUDIO_SECOND * longest_plausible(text, rate) if base else 0.0


def clip_problem(samples: npt.NDArray[np.float32], sample_rate: int, text: str, rate: int) -> str | None:
    """What is wrong with the clip the engine made of ``text``, or None if it may be speech."""
    seconds = len(samples) / sample_rate
    longest = longest_plausible(text, rate)
    if seconds > longest:
        return (f"{seconds:.2f} s of audio for {spoken_units(text)} spoken units "
                f"(at most {longest:.2f} s): the engine did not stop")
    if must_sound(text) and not is_sound(samples):
        return "the engine gave silence for text it always speaks"
    return None


def is_sound(samples: npt.NDArray[np.float32]) -> bool:
    return bool(samples.size) and float(np.max(np.abs(samples))) >= SILENT_PEAK


# Said in place of a passage the engine cannot speak, in the article's language: the listener
# learns that something is missing and where to find it. A language not listed gets silence.
NOTICES: Final = {
    "en": "This passage cannot be read aloud; see the text edition.",
    "es": "Este pasaje no se puede leer en voz alta; véase la edición de texto.",
    "fr": "Ce passage ne peut pas être lu à voix haute ; voir l'édition texte.",
    "de": "Diese Stelle kann nicht vorgelesen werden; siehe die Textausgabe.",
    "pt": "Este trecho não pode ser lido em voz alta; veja a edição em texto.",
    "it": "Questo passaggio non può essere letto ad alta voce; vedi l'edizione di testo.",
}


def notice_for(language: str) -> str | None:
    """The notice in a BCP-47 language's base language, or None (then silence)."""
    return NOTICES.get(primary(language))
