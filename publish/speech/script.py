"""The speech script an author proofreads (``publish script``): per segment its id, its chapter
and exactly the text the engine is asked to say, as plain text or as SSML 1.1."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from publish.speech.translator import SpeechSegment

SSML_NAMESPACE = "http://www.w3.org/2001/10/synthesis"


def plain(segments: Sequence[SpeechSegment]) -> str:
    """One entry per segment: "id +pause [chapter: title]", then the text, indented."""
    entries = []
    for segment in segments:
        chapter = f" [chapter: {segment.chapter}]" if segment.chapter else ""
        entries.append(f"{segment.id} +{segment.pause_before:.2f}s{chapter}\n  {segment.text}\n")
    return "\n".join(entries)


def ssml(segments: Sequence[SpeechSegment], lang: str) -> str:
    """The script as an SSML 1.1 document: each segment a paragraph opened by a mark named after
    its id, its pause a break before it, a chapter's title in a comment, a block or words in
    another language in ``<lang>``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<speak version="1.1" xmlns="{SSML_NAMESPACE}" xml:lang={quoteattr(lang or "und")}>']
    for segment in segments:
        if segment.pause_before > 0:
            lines.append(f'  <break time="{round(segment.pause_before * 1000)}ms"/>')
        if segment.chapter:
            lines.append(f"  <!-- chapter: {_comment(segment.chapter)} -->")
        said = " ".join(f"<lang xml:lang={quoteattr(run_lang)}>{escape(words)}</lang>" if run_lang else escape(words)
                        for run_lang, words in segment.runs) or escape(segment.text)
        if segment.lang:
            said = f"<lang xml:lang={quoteattr(segment.lang)}>{said}</lang>"
        lines.append(f"  <p><mark name={quoteattr(segment.id)}/>{said}</p>")
    lines.append("</speak>")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """Text a comment may hold: never "--", nor a "-" at its end."""
    while "--" in text:
        text = text.replace("--", "- -")
    return text + " " if text.endswith("-") else text
