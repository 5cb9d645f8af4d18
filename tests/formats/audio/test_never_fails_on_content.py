"""The audio edition never fails on content, with the real speech engine: text that is long to
say, in any script, is spoken; a worker that dies is replaced and the segment tried again; a
segment the engine fails on every time is said as a notice, with a warning at its line, and the
edition is built around it; only an engine that speaks nothing at all is an error."""

from __future__ import annotations

import json
import os
import re
import signal
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from formats.audio import engine
from formats.audio.engine import Synthesiser, SynthesisError, VoiceSettings
from formats.audio.judge import NOTICES, is_sound, must_sound
from publish.cli import main
from publish.model import Paragraph
from publish.reader import read_article
from publish.speech import SpeechSegment, segments
from tests.hostile.support import article, build

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "everyday-technical"
TIME = r"(\d\d):(\d\d):(\d\d)\.(\d{3})"
CUE = re.compile(rf"^(\S+)\n{TIME} --> {TIME}\n(.*?)(?:\n\n|\Z)", re.M | re.S)


def cues(vtt: Path) -> dict[str, tuple[float, float, str]]:
    """Each cue of a WebVTT transcript by id: (start, end, text)."""
    found = {}
    for match in CUE.finditer(vtt.read_text(encoding="utf-8")):
        h1, m1, s1, f1, h2, m2, s2, f2 = (int(g) for g in match.groups()[1:9])
        found[match.group(1)] = (h1 * 3600 + m1 * 60 + s1 + f1 / 1000, h2 * 3600 + m2 * 60 + s2 + f2 / 1000,
                                 match.group(10))
    return found


def test_everyday_technical_text_builds_its_audio(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    built = build(capsys, FIXTURE, tmp_path / "dist", ("audio",), "--cache", str(tmp_path / "cache"))
    assert built.code == 0, built.stderr
    assert "cannot speak" not in built.stderr
    folder = tmp_path / "dist" / "everyday-technical"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert "warnings" not in manifest["editions"]["audio"]
    heard = cues(folder / "everyday-technical.vtt")
    document = read_article(FIXTURE / "article.md")
    assert {b.id for b in document.body if isinstance(b, Paragraph)} <= set(heard)
    # every segment with something to say is heard (none replaced by the notice: no warning)
    for segment in segments(document):
        start, end, _ = heard[segment.id]
        assert end - start > 0.2 or not must_sound(segment.text), segment


@pytest.fixture(scope="module")
def synthesiser() -> Any:
    with Synthesiser(VoiceSettings()) as made:
        yield made


def block_samples(per_block: int = 4) -> list[str]:
    """A few characters of every 256-code-point stretch of Unicode that has letters, digits,
    marks, punctuation or symbols, in texts of about 60 characters."""
    picked: list[str] = []
    for start in range(0x20, 0x30000, 256):
        chars = [chr(cp) for cp in range(start, start + 256)
                 if not 0xD800 <= cp < 0xE000 and unicodedata.category(chr(cp))[0] in "LNMPS"]
        picked += chars[:: max(1, len(chars) // per_block)][:per_block]
    return ["".join(picked[i:i + 60]) for i in range(0, len(picked), 60)]


def test_every_unicode_block_is_spoken_or_rightly_silent(synthesiser: Synthesiser) -> None:
    texts = block_samples()
    segments = [SpeechSegment(f"u-{i}", text, text, None, 0.0) for i, text in enumerate(texts)]
    clips = list(synthesiser.clips(segments))
    assert [clip.problem for clip in clips] == [""] * len(texts)
    for text, clip in zip(texts, clips, strict=True):
        assert is_sound(clip.samples) or not must_sound(text), text


def test_a_dead_worker_is_replaced_and_the_segment_spoken(synthesiser: Synthesiser,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = Synthesiser._attempt
    killed: list[int] = []

    def dies_once(self: Synthesiser, text: str, stem: str) -> npt.NDArray[np.float32]:
        if not killed:
            self._ensure_worker()
            assert self._process is not None and self._process.pid is not None
            killed.append(self._process.pid)
            os.kill(self._process.pid, signal.SIGKILL)
            self._process.join(5)
        return real(self, text, stem)

    monkeypatch.setattr(Synthesiser, "_attempt", dies_once)
    (clip,) = synthesiser.clips([SpeechSegment("p-1", "Spoken after all.", "Spoken after all.", None, 0.0)])
    assert killed and clip.problem == "" and is_sound(clip.samples)
    assert synthesiser._process is not None and synthesiser._process.pid != killed[0]


def fails_on(marker: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every clip of a text holding ``marker`` fail its check (judged in this process),
    as a text the engine cannot speak would; returns the texts refused."""
    real = engine._check_clip
    refused: list[str] = []

    def check(path: Path, text: str, rate: int) -> npt.NDArray[np.float32]:
        if marker in text:
            refused.append(text)
            raise ValueError("the speech engine failed (status 139)")
        return real(path, text, rate)

    monkeypatch.setattr(engine, "_check_clip", check)
    return refused


def test_a_segment_the_engine_always_fails_on_becomes_the_notice(synthesiser: Synthesiser,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    refused = fails_on("Gibberish", monkeypatch)
    segments = [SpeechSegment(id, text, text, None, 0.0)
                for id, text in (("p-1", "Before it."), ("p-2", "Gibberish here."), ("p-3", "After it."))]

    class Cache:
        def __init__(self) -> None:
            self.stored: list[str] = []

        def get(self, text: str) -> None:
            return None

        def put(self, text: str, samples: npt.NDArray[np.float32], voice: str) -> None:
            self.stored.append(text)

    cache = Cache()
    before, notice, after = synthesiser.clips(segments, cache)
    assert len(refused) == synthesiser.attempts
    assert before.problem == after.problem == ""
    assert notice.problem.startswith("could not synthesise 'p-2' (15 spoken units) after 3 attempts: ")
    expected = synthesiser.synthesise_text(NOTICES["en"])
    assert np.array_equal(notice.samples, expected)  # the notice, said in the article's voice
    assert cache.stored == ["Before it.", "After it."]  # the failed one is tried again next build


def test_an_engine_that_speaks_nothing_is_an_error(synthesiser: Synthesiser, monkeypatch: pytest.MonkeyPatch) -> None:
    fails_on("", monkeypatch)  # every text
    with pytest.raises(SynthesisError, match="the speech engine fails on any text"):
        list(synthesiser.clips([SpeechSegment("p-1", "Anything.", "Anything.", None, 0.0)]))


BODY = """
The first paragraph is fine.

A line before the one that fails.
Gibberish that the engine cannot say.

The last paragraph is fine too.
"""


def test_the_edition_is_built_around_an_unspeakable_paragraph(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = article(tmp_path / "src" / "unspeakable", body=BODY)
    fails_on("Gibberish", monkeypatch)
    capsys.readouterr()
    code = main(["build", str(source.parent), "--out", str(tmp_path / "dist"), "--jobs", "1", "-f", "audio",
                 "--cache", str(tmp_path / "cache")])
    told = capsys.readouterr().err
    assert code == 0, told
    line = source.read_text(encoding="utf-8").splitlines().index("A line before the one that fails.") + 1
    (warning,) = [w for w in told.splitlines() if "cannot speak" in w]
    assert warning.startswith(f"{source}:{line}:1: warning: the audio edition cannot speak this passage (could not "
                              "synthesise 'p-2'"), warning
    assert warning.endswith("it says a short notice in its place, and the transcript keeps the text")
    folder = tmp_path / "dist" / "unspeakable"
    heard = cues(folder / "unspeakable.vtt")
    assert "Gibberish that the engine cannot say." in heard["p-2"][2]  # the caption stays
    assert heard["p-2"][1] - heard["p-2"][0] > 2.0  # the notice is heard in its place
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (recorded,) = manifest["editions"]["audio"]["warnings"]
    assert recorded["line"] == line and recorded["message"].startswith("the audio edition cannot speak this passage")

    strict = build(capsys, source.parent, tmp_path / "dist", ("audio",), "--cache", str(tmp_path / "cache"),
                   "--strict")
    error = strict.one_error(source, r"cannot speak this passage .* \(an error under --strict\)$", line)
    assert error is not None
