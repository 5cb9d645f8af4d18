"""The speech translator: a Document as speech segments, each with the id of its HTML block.

This is the second translator beside HTML. Its segments drive the audio edition, the WebVTT
transcript and the EPUB media overlays, which is why every segment keeps the block's id. The
translator decides *what* is said, the engine only *how*:

- ``translator``: the article in listening order; tables, code, figures, quotes and lists
  announced, tables read row by row with their headers;
- ``spoken_text``: running text for a listener (links, e-mail addresses, identifiers, numbers,
  symbols and units, in the article's language);
- ``references``: references spoken concisely;
- ``words``: the words added, per language;
- ``script``: the script an author proofreads (``publish script``), as text or SSML.
"""

from publish.speech.references import speak_reference
from publish.speech.spoken_text import normalise, spell_doi
from publish.speech.translator import SpeechOptions, SpeechSegment, segments

__all__ = ["SpeechOptions", "SpeechSegment", "normalise", "segments", "speak_reference", "spell_doi"]
