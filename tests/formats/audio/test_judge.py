"""The judgement of a synthesised clip against its text (formats.audio.judge), without the engine.

The durations are what espeak-ng 1.52 gave at 165 words a minute for the segments of
tests/fixtures/everyday-technical, each of which failed the whole audio edition with "internal
error: ... s of audio for N words (expected ...)" when clips were judged by their words.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formats.audio.judge import (
    NOTICES,
    clip_problem,
    longest_plausible,
    must_sound,
    notice_for,
    spoken_units,
    synthesis_timeout,
)

RATE = 22050


def speech(seconds: float) -> npt.NDArray[np.float32]:
    """Speech-like samples: bursts of noise, well above the silence floor."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * RATE)) / RATE
    return (rng.standard_normal(t.size) * (np.sin(2 * np.pi * 3 * t) > 0) * 0.2).astype(np.float32)


def silence(seconds: float) -> npt.NDArray[np.float32]:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
SPOKEN = [
    # (text as the engine gets it, seconds espeak-ng took): each refused by the word count
    (f"The file’s SHA-256 checksum is {HASH} and nothing else.", 28.89),  # 9 words
    ("The commit 9fceb02d0ae598e95dc970b74767f19372d61af8 and the UUID 123e4567-e89b-12d3-a456-426614174000 "
     "name the exact run; its token is "
     "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=.", 45.04),
    ("Code: remotes::install_github('biopixR/biopixR')", 4.94),  # a real paper's code block
    (HASH, 24.79),
    ("ABCD-1234-EFGH-5678-IJKL-9012", 12.0),
    ("temperature_from_filter_ratio_and_other_things_that_go_on_forever", 4.10),
    ("http://localhost:8080/path?x=1&y=2", 6.38),
    ("3141592653589793238462643383279502884197169399375105820974944592307816406286", 12.32),
    ("肠道屏障功能在健康和疾病中起着重要作用.", 13.89),  # one "word" of 19 ideographs, each "chinese letter"
    ("こんにちは世界、カタカナ.", 8.94),
    ("مرحبا بالعالم.", 8.03),
    ("שלום עולם.", 5.90),
    ("สวัสดีชาวโลก.", 14.72),  # Thai, named letter by letter in an English voice
    ("ሀሧቑቼኦዔ.", 11.91),  # Ethiopic: 2 s a syllable, the longest per character measured
    ("ༀཇཐམའཨ.", 10.47),
    ("𝐀𝐁𝐂𝑥𝑦𝑧𝔸𝔹ℂ.", 14.12),  # "mathematical bold capital A", ...
    ("ᚠᚢᚦᚨᚱᚲ 𒀀𒀁𒀂 ⠓⠑⠇⠇⠕.", 18.43),
    ("😀🎉👍🏽 👩‍👩‍👧‍👦 🇪🇺 🏳️‍🌈.", 4.94),
    ("!@#$%^&*()_+{}|:<>?", 3.81),
    ("૱", 2.10),  # "gujarati rupee sign"
]


@pytest.mark.parametrize(("text", "seconds"), SPOKEN)
def test_speech_that_is_long_because_of_what_the_text_is_passes(text: str, seconds: float) -> None:
    assert clip_problem(speech(seconds), RATE, text, 165) is None
    assert longest_plausible(text, 165) >= 2 * seconds - 2  # with room to spare, not just enough


@pytest.mark.parametrize("text", ["∮∯∰∱ ⨌⨍⨎ ∀∃∄∅∆∇.", "┌─┬─┐ │ ├─┼─┤.", "∮∯∰ ┌─┐ ……", "." * 200, "-" * 40,
                                  "⁰⁵⁷⁹₁₃", "٠٣٦٩", "\ue000\uf8ff", "\u0301\u0302"])
def test_silence_for_text_the_engine_names_nothing_of_passes(text: str) -> None:
    # espeak-ng says nothing for these (measured): no voice broke
    assert not must_sound(text)
    assert clip_problem(silence(0.33), RATE, text, 165) is None


@pytest.mark.parametrize("text", ["Hello.", "x = 1", "a", "7", "Chinese 肠道"])
def test_silence_for_an_ascii_letter_or_digit_is_a_broken_engine(text: str) -> None:
    assert must_sound(text)
    assert clip_problem(silence(0.33), RATE, text, 165) == "the engine gave silence for text it always speaks"
    assert clip_problem(silence(0.0), RATE, text, 165) is not None


def test_a_clip_that_never_ends_is_refused_and_says_by_how_much() -> None:
    problem = clip_problem(speech(60.0), RATE, "Hello there.", 165)
    assert problem is not None and problem.startswith("60.00 s of audio for 12 spoken units (at most 14.00 s)")


def test_short_speech_is_never_refused() -> None:
    # a clip shorter than its words would take (espeak reads "x x x ..." in a second) is no sign of a fault
    assert clip_problem(speech(1.22), RATE, " ".join(["x"] * 200), 165) is None


def test_spoken_units_count_what_may_be_spelled_or_named() -> None:
    assert spoken_units("") == spoken_units(" \n\t") == 0
    assert spoken_units("abc 123") == 6  # letters and digits, each perhaps spelled
    assert spoken_units("(") == 2  # "left parenthesis"
    assert spoken_units("肠") == spoken_units("😀") == spoken_units("é") == 5  # named: "chinese letter"


def test_the_bound_scales_with_the_rate() -> None:
    slow, default, fast = (longest_plausible(HASH, rate) for rate in (80, 165, 450))
    assert slow > default > fast
    assert default - 2 == pytest.approx((slow - 2) * 80 / 165)


def test_the_timeout_grows_with_the_text_and_zero_stays_zero() -> None:
    assert synthesis_timeout("Hello.", 165, 30.0) == pytest.approx(30.0 + 0.1 * longest_plausible("Hello.", 165))
    assert synthesis_timeout(HASH * 100, 165, 30.0) > synthesis_timeout(HASH, 165, 30.0) + 600
    assert synthesis_timeout(HASH, 165, 0.0) == 0.0


def test_notice_in_the_articles_language() -> None:
    assert notice_for("en-GB") == NOTICES["en"]
    assert notice_for("es_MX") == NOTICES["es"]
    assert notice_for("tlh") is None  # then silence
    assert all(must_sound(notice) for notice in NOTICES.values())


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_has_a_bound_above_its_silence(text: str) -> None:
    assert longest_plausible(text, 165) >= 2.0
    assert clip_problem(silence(0.0), RATE, text, 165) in (None, "the engine gave silence for text it always speaks")
