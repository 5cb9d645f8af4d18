"""The audio edition: ACX levels of the decoded MP3, its ID3 chapters and its WebVTT transcript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from formats.audio.mastering import NOISE_FLOOR_MAX_DB, RMS_RANGE_DB, measure
from publish.check.checker import BuiltArticle, SourceUnavailable
from publish.check.findings import CHECK_EXTRA, Finding, ToolMissing
from publish.check.webvtt import VttError, read_vtt

SAMPLE_RATE = 44100
PEAK_MAX_DB = -3.0
HEAD_RANGE = (0.5, 1.0)  # seconds of silence before the first word (ACX)
TAIL_RANGE = (1.0, 5.0)  # and after the last
SILENCE_DB = -50.0  # a sample above this level is sound
TOLERANCE = 0.05  # seconds: chapter and cue ends against the decoded duration


def _mp3(article: BuiltArticle) -> Path:
    return article.file("audio", ".mp3")


def soundfile_package() -> Any:
    """soundfile (libsndfile), which decodes the MP3: the [check] extra, else ToolMissing."""
    try:
        import soundfile
    except ImportError as err:
        raise ToolMissing("soundfile", CHECK_EXTRA) from err
    return soundfile


def decoded(article: BuiltArticle) -> tuple[npt.NDArray[np.float32], int]:
    """The MP3 decoded once per run (frames x channels, sample rate)."""
    def decode() -> tuple[npt.NDArray[np.float32], int]:
        samples, rate = soundfile_package().read(str(_mp3(article)), dtype="float32", always_2d=True)
        return np.asarray(samples, dtype=np.float32), int(rate)

    return article.memo("audio:decoded", decode)


def mp3_info(path: Path) -> Any:
    from mutagen import mp3  # untyped: used through Any

    module: Any = mp3
    return module.MP3(str(path)).info


def _result(check: str, ok: bool, passed: str, failed: str, where: str, advice: str) -> Finding:
    return (Finding(check, True, "info", passed, where) if ok
            else Finding(check, False, "error", failed, where, advice))


class AudioLevelsCheck:
    title = "Audio levels (ACX)"
    concurrent = True  # no browser: runs beside the browser checks
    needs = (soundfile_package,)
    name = "audio-levels"
    edition = "audio"
    description = (f"ACX technical levels of the decoded MP3: RMS {RMS_RANGE_DB[0]:g} to {RMS_RANGE_DB[1]:g} dB, "
                   f"peaks at most {PEAK_MAX_DB:g} dB, noise floor at most {NOISE_FLOOR_MAX_DB:g} dB, "
                   "44.1 kHz mono constant bit rate, 0.5-1 s head and 1-5 s tail silence")

    def check(self, article: BuiltArticle) -> list[Finding]:
        path = _mp3(article)
        try:
            samples, rate = decoded(article)
        except ToolMissing:
            raise
        except Exception as exc:  # libsndfile's errors have no common base worth naming
            return [Finding("audio:decode", False, "error", f"cannot decode the MP3: {exc}", path.name,
                            "Rebuild the audio edition; libsndfile 1.1 or later is needed to read MP3.")]
        name = path.name
        rmaster = "Master the track again (formats/audio/mastering.py) or rebuild the audio edition."
        out = [
            _result("audio:sample-rate", rate == SAMPLE_RATE, f"{rate} Hz", f"{rate} Hz, not {SAMPLE_RATE} Hz",
                    name, "Encode at 44.1 kHz."),
            _result("audio:channels", samples.shape[1] == 1, "Mono", f"{samples.shape[1]} channels, not mono",
                    name, "ACX asks for mono (or all files the same); encode one channel."),
        ]
        mono = samples.mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
        levels = measure(mono, rate)
        low, high = RMS_RANGE_DB
        out += [
            _result("audio:rms", low <= levels.rms_db <= high, f"RMS {levels.rms_db:.1f} dB",
                    f"RMS {levels.rms_db:.1f} dB, outside {low:g} to {high:g} dB", name, rmaster),
            _result("audio:peak", levels.peak_db <= PEAK_MAX_DB, f"Peak {levels.peak_db:.1f} dB",
                    f"Peak {levels.peak_db:.1f} dB, above {PEAK_MAX_DB:g} dB"
                    + (" (clipped at full scale)" if levels.peak_db > -0.1 else ""), name,
                    "Limit the peaks to -3.5 dB before encoding; MP3 encoding adds a little."),
            _result("audio:noise-floor", levels.noise_floor_db <= NOISE_FLOOR_MAX_DB,
                    f"Noise floor {levels.noise_floor_db:.1f} dB",
                    f"Noise floor {levels.noise_floor_db:.1f} dB, above {NOISE_FLOOR_MAX_DB:g} dB", name,
                    "Reduce background noise or room tone."),
        ]
        loud = np.flatnonzero(np.abs(mono) > 10 ** (SILENCE_DB / 20))
        duration = mono.size / rate
        head = float(loud[0]) / rate if loud.size else duration
        tail = duration - (float(loud[-1]) + 1) / rate if loud.size else duration
        out += [
            _result("audio:head", HEAD_RANGE[0] <= head <= HEAD_RANGE[1] + 0.03, f"Head silence {head:.2f} s",
                    f"Head silence {head:.2f} s, not {HEAD_RANGE[0]:g}-{HEAD_RANGE[1]:g} s", name,
                    "Start with 0.5-1 s of silence."),
            _result("audio:tail", TAIL_RANGE[0] <= tail <= TAIL_RANGE[1], f"Tail silence {tail:.2f} s",
                    f"Tail silence {tail:.2f} s, not {TAIL_RANGE[0]:g}-{TAIL_RANGE[1]:g} s", name,
                    "End with 1-5 s of silence."),
        ]
        try:
            info = mp3_info(path)
            cbr = str(info.bitrate_mode).endswith("CBR")
            out.append(_result("audio:cbr", cbr, f"Constant {info.bitrate // 1000} kbit/s",
                               f"Bit rate mode {info.bitrate_mode}, not constant", name, "Encode CBR."))
        except Exception as exc:  # mutagen raises several unrelated types
            out.append(Finding("audio:cbr", False, "error", f"cannot read the MPEG header: {exc}", name))
        return out


class AudioChaptersCheck:
    title = "Chapters"
    concurrent = True  # no browser: runs beside the browser checks
    name = "audio-chapters"
    edition = "audio"
    description = ("ID3 chapters: CHAP frames and a top-level, ordered CTOC, chapters in order without gaps "
                   "covering the whole file, one per section, the disclaimer and the references included")

    def check(self, article: BuiltArticle) -> list[Finding]:
        from mutagen import id3 as mutagen_id3

        id3: Any = mutagen_id3  # untyped
        path = _mp3(article)
        name = path.name
        try:
            tags = id3.ID3(str(path))
        except id3.ID3NoHeaderError:
            return [Finding("chapters:id3", False, "error", "The MP3 has no ID3v2 tag", name,
                            "Write the ID3 tag with CHAP and CTOC frames (formats/audio/mp3.py).")]
        duration_ms = round(float(mp3_info(path).length) * 1000)
        chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
        tocs = tags.getall("CTOC")
        out: list[Finding] = []
        if not chaps:
            return [Finding("chapters:chap", False, "error", "No CHAP frames: the audio has no chapters", name,
                            "Add one chapter per section (ID3v2 Chapter Frame Addendum).")]
        top = [t for t in tocs if int(t.flags) & 1]
        if not top:
            out.append(Finding("chapters:ctoc", False, "error", "No top-level CTOC frame: players cannot list "
                               "the chapters", name, "Add a CTOC with the TOP_LEVEL and ORDERED flags."))
            order = sorted(chaps, key=lambda k: chaps[k].start_time)
        else:
            toc = top[0]
            order = list(toc.child_element_ids)
            if not int(toc.flags) & 2:
                out.append(Finding("chapters:ctoc", False, "error", "The CTOC is not flagged ORDERED", name,
                                   "Set the ORDERED flag."))
            unknown = [c for c in order if c not in chaps]
            if unknown:
                out.append(Finding("chapters:ctoc", False, "error",
                                   f"The CTOC lists chapters that do not exist: {', '.join(unknown)}", name))
            left = sorted(set(chaps) - set(order))
            if left:
                out.append(Finding("chapters:ctoc", False, "error",
                                   f"Chapters not listed in the CTOC: {', '.join(left)}", name))
        listed = [chaps[c] for c in order if c in chaps]
        titles = [self._title(c) for c in listed]
        previous_end = 0
        for chap, title in zip(listed, titles, strict=True):
            where = f"{name}: chapter {chap.element_id} ({title or 'untitled'})"
            if not title:
                out.append(Finding("chapters:title", False, "error", "Chapter has no title (TIT2)", where))
            if chap.start_time != previous_end:
                kind = "a gap" if chap.start_time > previous_end else "an overlap"
                out.append(Finding("chapters:order", False, "error",
                                   f"Starts at {chap.start_time} ms, {kind} after the previous chapter's end "
                                   f"({previous_end} ms)", where,
                                   "Chapters must be in order and cover the audio without gaps."))
            if chap.end_time <= chap.start_time:
                out.append(Finding("chapters:order", False, "error", "Chapter ends before it starts", where))
            previous_end = chap.end_time
        if abs(previous_end - duration_ms) > TOLERANCE * 1000:
            out.append(Finding("chapters:coverage", False, "error",
                               f"The last chapter ends at {previous_end} ms, the audio at {duration_ms} ms", name,
                               "The last chapter must end where the audio ends."))
        out += self._expected(article, titles, name)
        if not any(not f.ok for f in out):
            out.append(Finding("chapters", True, "info",
                               f"{len(listed)} chapters in order from 0 to {duration_ms / 1000:.1f} s: "
                               + "; ".join(titles), name))
        return out

    @staticmethod
    def _title(chap: Any) -> str:
        frame = chap.sub_frames.get("TIT2")
        return str(frame.text[0]).strip() if frame is not None and frame.text else ""

    @staticmethod
    def _expected(article: BuiltArticle, titles: list[str], name: str) -> list[Finding]:
        """The chapters the speech script starts, from the source; else at least the two the
        design asks for."""
        try:
            from publish.speech import segments

            document = article.document()
            wanted = [s.chapter for s in segments(document) if s.chapter]
        except SourceUnavailable:
            wanted = ["Disclaimer", "References"]
        out = []
        for title in wanted:
            if title not in titles:
                out.append(Finding("chapters:missing", False, "error", f'No chapter "{title}"', name,
                                   "Every section, the disclaimer and the references get a chapter; "
                                   "rebuild the audio edition."))
        return out


class AudioTranscriptCheck:
    title = "Transcript"
    concurrent = True  # no browser: runs beside the browser checks
    name = "audio-transcript"
    edition = "audio"
    description = ("WebVTT transcript: parses, one cue per speech segment in order with the segment's id, "
                   "every cue timed inside the audio")

    def check(self, article: BuiltArticle) -> list[Finding]:
        vtt = article.file("audio", ".vtt")
        try:
            cues = read_vtt(vtt)
        except VttError as exc:
            return [Finding("transcript:parse", False, "error", str(exc), vtt.name,
                            "Rebuild the audio edition; the transcript is not valid WebVTT.")]
        duration = float(mp3_info(_mp3(article)).length)
        out: list[Finding] = []
        try:
            from publish.speech import segments

            expected = [s.id for s in segments(article.document())]
            basis = "the article's speech segments"
        except SourceUnavailable:
            expected = list(article.facts("audio").get("timings", {}))
            basis = "the segments in manifest.json"
        ids = [cue.identifier for cue in cues]
        if ids != expected:
            missing = [i for i in expected if i not in ids]
            extra = [i for i in ids if i not in expected]
            detail = []
            if missing:
                detail.append(f"no cue for {', '.join(missing[:5])}" + (" …" if len(missing) > 5 else ""))
            if extra:
                detail.append(f"cues for no segment: {', '.join(extra[:5])}")
            if not missing and not extra:
                detail.append("the cues are out of order")
            out.append(Finding("transcript:cues", False, "error",
                               f"{len(cues)} cues for {len(expected)} segments: {'; '.join(detail)}", vtt.name,
                               f"The transcript needs one cue per segment of {basis}; rebuild the audio edition."))
        previous = 0.0
        for cue in cues:
            where = f"{vtt.name}:{cue.line} ({cue.identifier})"
            if cue.end > duration + TOLERANCE:
                out.append(Finding("transcript:timing", False, "error",
                                   f"Cue ends at {cue.end:.3f} s, after the audio ({duration:.3f} s)", where))
            if cue.start < previous - 1e-6:
                out.append(Finding("transcript:timing", False, "error",
                                   f"Cue starts at {cue.start:.3f} s, before the previous cue ended", where))
            if not cue.text.strip():
                out.append(Finding("transcript:text", False, "error", "Cue has no text", where))
            previous = cue.end
        if not out:
            out.append(Finding("transcript", True, "info",
                               f"{len(cues)} cues, one per segment, all within the {duration:.1f} s of audio",
                               vtt.name))
        return out
