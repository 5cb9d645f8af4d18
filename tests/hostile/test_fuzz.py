"""Fuzzing the whole build: whatever the source, ``publish build`` ends with every edition built
(exit 0, a manifest that matches its files, nothing unsafe in them) or with clean errors (exit 2,
one ``path:line:col: message`` per problem), never a crash (exit 1) or a traceback.

Sources are the seed's opening (its front matter with all references, disclaimer and
abbreviations) mutated at the byte level: flips, deletions, duplicated lines and inserted
Markdown, YAML and HTML fragments; the article-shaped texts of the reader's own property
tests; and articles of real-world text that is hard to say (tests/hostile/realworld.py). The
audio edition is fed that text too: it must speak all of it, never fail on it, never replace a
passage by its notice. A few examples run in the suite; ``nox -s fuzz`` runs many, the audio
edition included.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from formats.audio.engine import Synthesiser, VoiceSettings
from publish.speech import SpeechSegment
from tests.hostile.conftest import FUZZING, PROFILE, SECRET
from tests.hostile.realworld import PASSAGE, hard_article
from tests.hostile.support import CHART, QUICK, SEED, assert_nothing_leaked, build, png, verify_manifest
from tests.publish.test_reader_properties import articles

FUZZ = settings(settings.get_profile(PROFILE))


def _seed_opening(paragraphs: int = 14) -> bytes:
    """The seed's front matter and its first body blocks: all of its kinds of content, small
    enough to build every edition in about a second."""
    text = SEED.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5
    body = text[end:].split("\n\n")
    return (text[:end] + "\n\n".join(body[:paragraphs]) + "\n").encode("utf-8")


BASE = _seed_opening()
BOMB = png(60_000, 60_000)
BODY_START = BASE.index(b"\n---\n", 4) + 5
FRAGMENTS = [
    # Markdown
    "> " * 25 + "deep", "".join("  " * i + "- x\n" for i in range(24)), "*" * 60 + "x" + "*" * 60,
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "<javascript:alert(1)>", "[x](file:///etc/passwd)",
    '[x](https://example.org "t\\" onmouseover=\\"alert(1)")', '![a" onerror="alert(1)](chart.png)',
    "![a](file:///etc/passwd)", "![a](../secret.png)", "![a](/etc/passwd)", "![a](http://127.0.0.1:9/x.png)",
    "![a](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4=)", "![a](missing.png)", "![](x.png)",
    "![A chart](chart.png)", "![a](loop.png)", "![a](outside.png)", "![a](bomb.png)", "![a](x%00.png)",
    "[@nokey]", "[@turner2009, p. 3]", "[^1]", "[^1]: a note", "^[inline note]", "| a | b |\n|---|---|\n| c | d |",
    "```", "~~~", "# Title again", "###### six", "####### seven", "---", "***", "1. x\n2. y", "99999999999. big",
    "[ref]: javascript:alert(1)\n\n[x][ref]", "&#106;avascript:", "\\", "`", "<", "[", "](", "\u202e", "\U0001f600",
    # Pandoc Markdown and the LaTeX real papers carry
    "H~2~O x^2^ ~~s~~", "[sc]{.smallcaps}", "[mot]{lang=fr}", "[x]{lang=!!}", "::: {.note}\nin a div\n:::",
    "::: {#refs}\n:::", "Term\n:   definition", "| line\n|   block", "- [ ] task\n- [x] done",
    "  a   b\n---  ---\n  1   2\n\nTable: simple", "+---+\n| a |\n+===+\n| 1 |\n+---+",
    "@turner2009 says", "[-@turner2009]", "[see @turner2009, p. 3; @nokey]", "[@turner2009, @turner2009]",
    "@fig:x", "[@fig:x; @tbl:y]", "@fig-z", "{#fig:x}", "![cap \\label{fig:a}](chart.png)", "\\autoref{fig:a}",
    "\\ref{nowhere}", "\\label{eq:1}", "$x^2$", "$$\\frac{a}{b} \\label{eq:2}$$",
    "\\begin{equation}\na=b\n\\end{equation}", "\\begin{table}\\caption{c}\\begin{tabular}{ll}a&b\\\\\\end{tabular}"
    "\\end{table}", "\\begin{figure}\\includegraphics{chart.png}\\end{figure}", "\\newpage", "\\unknown{x}",
    "\\begin{unknown}", "[[[[[[[[x", "![a](chart.png){ width=60% }", "![a](https://example.org/x.png)",
    "bibliography: missing.bib", "bibliography: ../outside.bib", "authors: [{name: A, affiliation: '1, 2'}]",
    "affiliations: [{name: X, index: 1}]", "date: 11 October 2019", "tags: [a, b]", "nocite: '@*'",
    # HTML
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.js></SCRIPT>", '<img src=x onerror="alert(1)">',
    "<iframe src=javascript:alert(1)>", "<a href=javascript:alert(1)>x</a>", "<!-- x -->", "<style>*{}</style>",
    "<svg onload=alert(1)>", "</p><script>x()</script>",
    # YAML (land in the front matter when inserted before the closing fence)
    "title: [", "lang: !!python/object/apply:os.system ['true']", "references: &a [*a]", "x: &a [1]\ny: [*a, *a]",
    "disclaimer: |\n  > quote [@turner2009]", "abbreviations: {A: B}", "abbreviations: [1]", "lang: xx-!!",
    "date: 2024-13-45", "csl: ../../../etc/passwd.csl", "csl: nonsense", "papersize: a0", "title: '{{ 7*7 }}'",
    "disclamer: typo", "references:\n  - {id: turner2009, type: book, title: Dup}", "...", "\t", "&a", "*a",
    "- ", ": ", "'", '"', "|", "\r", "\r\n", "\ufeff", "\x00", "\x1b",
    # Real-world text that is long to say (the audio edition once failed on each)
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "ABCD-1234-EFGH-5678-IJKL-9012",
    "&lt;a href=\"http://localhost:8080/path?x=1&amp;y=2\"&gt;", "`temperature_from_filter_ratio`",
    "```r\nremotes::install_github('biopixR/biopixR')\n```", "肠道屏障功能在健康和疾病中起着重要作用", "สวัสดีชาวโลก",
    "𝐀𝐁𝐂𝑥𝑦𝑧𝔸𝔹ℂ", "ᚠᚢᚦᚨ 𒀀𒀁𒀂 ⠓⠑⠇⠇⠕", "∮∯∰ ┌─┐ ……", "👩‍👩‍👧‍👦 🇪🇺", "Z̴̧̛̪͍̮͎̈́̓̅͌a̸̢̛̰͎͐l̶̡̛͔g̷̨̛o",
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """The seed's opening after a few random mutations, at the level of bytes (so also invalid UTF-8)."""
    data = bytearray(BASE)
    for _ in range(draw(st.integers(1, 4))):
        # Mostly in the body: a mutation in the front matter usually just ends at the YAML parser.
        at = draw(st.integers(BODY_START, len(data)) if draw(st.integers(0, 3)) else st.integers(0, len(data)))
        operation = draw(st.sampled_from(["flip", "delete", "duplicate", "insert", "insert", "insert"]))
        if operation == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif operation == "duplicate":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end] * draw(st.integers(1, 3))
        else:
            fragment = draw(st.sampled_from(FRAGMENTS)).encode("utf-8")
            if draw(st.booleans()):  # at a line's start, where block syntax means something
                at = data.rfind(b"\n", 0, at) + 1
                fragment += b"\n"
            data[at:at] = fragment
    return bytes(data)


SOURCES = st.one_of(mutated(), mutated(), mutated(), articles().map(lambda text: text.encode("utf-8")),
                    hard_article().map(lambda text: text.encode("utf-8")))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the chart (so some figures are fine) and a secret beside the articles."""
    base = tmp_path_factory.mktemp("fuzz")
    (base / "secret.png").write_bytes(SECRET)
    return base


COUNTER = itertools.count()


@FUZZ
@given(source=SOURCES, audio=st.sampled_from([True] + [False] * 9) if FUZZING else st.just(False))
def test_every_source_builds_or_fails_cleanly(workspace: Path, capsys: pytest.CaptureFixture[str],
                                               source: bytes, audio: bool) -> None:
    run = workspace / f"run-{next(COUNTER)}"
    folder = run / "article"
    folder.mkdir(parents=True)
    (folder / "article.md").write_bytes(source)
    shutil.copy(CHART, folder / "chart.png")
    (folder / "loop.png").symlink_to("loop.png")  # a link to itself
    (folder / "outside.png").symlink_to(workspace / "secret.png")
    (folder / "bomb.png").write_bytes(BOMB)
    formats = (*QUICK, "audio") if audio else QUICK
    built = build(capsys, folder, run / "dist", formats)

    assert built.code in (0, 2), f"exit {built.code}\n{built.stderr}"
    if built.code == 2:
        errors = built.errors()
        assert errors, "exit 2 without an error message"
        event(f"exit 2: {errors[0].group('message')[:30]}")  # what the statistics show
    else:
        event("exit 0: built, audio included" if audio else "exit 0: built")
        contents = verify_manifest(run / "dist" / "article")
        assert {name.split(".", 1)[1] for name in contents} >= {"large-print.html", "pdf", "large-print.pdf", "epub"}
    assert_nothing_leaked(run / "dist", [SECRET, b"root:x:0:0"])


SPEECH = settings(FUZZ, max_examples=1500 if FUZZING else 20)
AUDIO = settings(FUZZ, max_examples=120 if FUZZING else 3)


@pytest.fixture(scope="module")
def synthesiser() -> Iterator[Synthesiser]:
    with Synthesiser(VoiceSettings()) as made:
        yield made


@SPEECH
@given(texts=st.lists(PASSAGE, min_size=1, max_size=3))
def test_the_speech_engine_speaks_any_real_world_text(synthesiser: Synthesiser, texts: list[str]) -> None:
    segments = [SpeechSegment(f"p-{i}", text, text, None, 0.0) for i, text in enumerate(texts)]
    problems = [(clip.id, clip.problem) for clip in synthesiser.clips(segments) if clip.problem]
    assert not problems, (problems, texts)


@AUDIO
@given(source=hard_article())
def test_articles_of_hard_to_say_text_build_their_audio(workspace: Path, capsys: pytest.CaptureFixture[str],
                                                         source: str) -> None:
    folder = workspace / f"run-{next(COUNTER)}" / "article"
    folder.mkdir(parents=True)
    (folder / "article.md").write_text(source, encoding="utf-8")
    built = build(capsys, folder, folder.parent / "dist", ("audio",))
    assert built.code == 0, f"exit {built.code}\n{built.stderr}\n{source}"
    manifest = json.loads((folder.parent / "dist" / "article" / "manifest.json").read_text(encoding="utf-8"))
    assert "warnings" not in manifest["editions"]["audio"], (manifest["editions"]["audio"]["warnings"], source)
