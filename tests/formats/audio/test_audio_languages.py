"""A block, or words in a sentence, in another language than the article's are said by a voice
of that language."""

from __future__ import annotations

from pathlib import Path

from formats.audio.cache import SpeechCache
from formats.audio.voices import choose
from publish.build import Options, build_article, select
from publish.reader import read_article
from publish.renderer import Settings, registered
from publish.speech import segments

ARTICLE = """---
title: Two languages
lang: en
---

An English paragraph comes first.

::: {lang=de}
Ein Absatz auf Deutsch, mit 3 Zahlen.
:::

And English again, with [la vie en rose, 3 fois]{lang=fr} in French.
"""


def test_a_german_block_is_a_german_segment(tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    said = {s.caption: s.lang for s in segments(read_article(tmp_path / "article.md"))}
    assert said["Ein Absatz auf Deutsch, mit 3 Zahlen."] == "de"
    assert said["An English paragraph comes first."] == ""


def test_french_words_in_an_english_sentence_are_a_french_run(tmp_path: Path) -> None:
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    mixed = next(s for s in segments(read_article(tmp_path / "article.md")) if s.runs)
    assert mixed.lang == "" and mixed.caption == "And English again, with la vie en rose, 3 fois in French."
    assert mixed.runs == (("", "And English again, with"), ("fr", "la vie en rose, 3 fois"), ("", "in French."))
    assert mixed.text == "And English again, with la vie en rose, 3 fois in French."


def test_the_german_block_is_spoken_by_a_german_voice(tmp_path: Path) -> None:
    source = tmp_path / "two" / "article.md"
    source.parent.mkdir()
    source.write_text(ARTICLE, encoding="utf-8")
    document = read_article(source)
    cache = tmp_path / "cache"
    (outcome,) = build_article(document, select(registered(), ["audio"]), tmp_path / "dist",
                               Settings(source_date_epoch=1700000000), options=Options(cache=cache))
    assert outcome.ok, outcome.error
    german = next(s for s in segments(document) if s.lang == "de")
    english = next(s for s in segments(document) if not s.lang and s.id != "title" and not s.runs)
    german_voice = choose("espeak", "de", 165).settings
    english_voice = choose("espeak", "en", 165).settings
    assert SpeechCache(cache, german_voice).get(german.text) is not None
    assert SpeechCache(cache, english_voice).get(german.text) is None
    assert SpeechCache(cache, english_voice).get(english.text) is not None
    mixed = next(s for s in segments(document) if s.runs)
    french_voice = choose("espeak", "fr", 165).settings
    assert SpeechCache(cache, french_voice).get("la vie en rose, 3 fois") is not None
    assert SpeechCache(cache, english_voice).get("in French.") is not None
    assert SpeechCache(cache, english_voice).get(mixed.text) is None  # never the whole in English
