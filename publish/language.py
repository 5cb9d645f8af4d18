"""The language of an article that does not say it (JOSS papers seldom do): from its text.

Every edition needs one (PDF /Lang, xml:lang, the speech voice), and a wrong one makes a
screen reader or the audio mispronounce every word, so a guess is kept only when sure.
"""

from __future__ import annotations

import functools
from typing import Any

CONFIDENCE = 0.95  # normalised probability below which the article must say its language
SAMPLE_CHARACTERS = 20_000  # plenty for an identifier of character n-grams, and quick


@functools.cache
def _identifier() -> Any:
    from py3langid import langid  # loads a 10 MB model: only for articles that need it

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def primary(tag: str) -> str:
    """The language of a BCP 47 tag without its region or script: "en-GB" and "en_US" are "en"."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def detect(text: str) -> tuple[str, float]:
    """The ISO 639-1 code of the text's language and how sure the identifier is (0 to 1)."""
    sample = " ".join(text.split())[:SAMPLE_CHARACTERS]
    if len(sample) < 40:
        return "", 0.0
    code, probability = _identifier().classify(sample)
    return str(code), float(probability)
