"""The spoken track, mastered and encoded one segment at a time.

Each segment becomes one *part*: its pause, then its speech levelled on its own
(``mastering.speech_level``), encoded as a LAME stream of its own. A part depends on its
segment alone, so parts are cached by content and an edited paragraph is the only part
mastered and encoded again; the rest of the track is joining bytes. The parts are
independent, so they can also be encoded side by side on threads (LAME and soxr release
the GIL) and still give the same bytes.

Joined streams decode gaplessly but for the seams: each later stream brings LAME's
encoder delay and the one before it its padding, a few milliseconds of digital silence
inside the pause. A part's first sample therefore sits at 1152 x the MPEG frames before it,
and the timings are taken from there, exact to the sample.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from itertools import zip_longest
from pathlib import Path
from typing import Protocol

import numpy as np

from publish import cache as keys
from publish.speech import SpeechSegment

from .engine import SegmentAudio
from .mastering import (
    HEAD_SILENCE,
    PEAK_CEILING_DB,
    RMS_RANGE_DB,
    SAMPLE_RATE,
    SPEECH_RMS_DB,
    TAIL_SILENCE,
    Levels,
    MasteringError,
    Samples,
    level,
    noise_floor_db,
    resample,
    resampled_length,
    speech_bounds,
    speech_level,
    to_db,
)
from .mp3 import QUALITY, SAMPLES_PER_FRAME, count_frames, encode_frames, with_info_frame


@dataclass(frozen=True)
class Part:
    """One stretch of the track, encoded: a pause, then (unless it is the tail) speech."""

    frames: bytes  # one whole LAME stream
    samples: int  # samples encoded: the pause, then the speech
    speech_start: int  # where the speech begins (the pause's length)
    energy: float  # sum of the squared samples, for the track's RMS
    peak: float  # the largest |sample|
    floor_db: float  # the quietest half second's RMS (its noise floor)


@dataclass(frozen=True)
class Track:
    mp3: bytes  # MPEG frames behind a LAME Info frame, not yet tagged
    # segment id -> (start, end) in seconds of the decoded track; speech only, no pauses
    timings: Mapping[str, tuple[float, float]]
    duration: float  # seconds, as a gapless decoder gives them
    levels: Levels  # of the mastered samples, pauses included


class PartStore(Protocol):
    """Encoded parts by key (see formats.audio.cache.PartCache)."""

    def get(self, key: str) -> Part | None: ...

    def put(self, key: str, part: Part) -> None: ...


@dataclass(frozen=True)
class _Plan:
    pause: int  # samples of silence before the speech
    clip: SegmentAudio | None = None  # None for the tail
    bounds: tuple[int, int] = (0, 0)  # where the clip's speech is (mastering.speech_bounds)
    level_db: float = SPEECH_RMS_DB  # what the speech is levelled to

    @property
    def speech_samples(self) -> int:
        """How long the speech is once resampled to the track's rate."""
        start, stop = self.bounds
        return resampled_length(stop - start, self.clip.sample_rate) if self.clip is not None else 0

    def key(self, bitrate_kbps: int) -> str:
        """Everything that shapes the part, so a part is cached by content."""
        made_of: dict[str, object] = {"pause": self.pause, "bitrate": bitrate_kbps, "quality": QUALITY,
                                      "ceiling_db": PEAK_CEILING_DB, "code": _code()}
        if self.clip is not None:
            made_of |= {"clip": hashlib.sha256(self.clip.samples.tobytes()).hexdigest(),
                        "rate": self.clip.sample_rate, "speech_rms_db": round(self.level_db, 6)}
        return keys.key(made_of)


def build_track(
    segments: Sequence[SpeechSegment],
    clips: Iterable[SegmentAudio],
    *,
    bitrate_kbps: int,
    threads: int = 1,
    store: PartStore | None = None,
    head: float = HEAD_SILENCE,
    tail: float = TAIL_SILENCE,
) -> Track:
    """One 44.1 kHz mono CBR track: head silence, each segment after its pause, tail.

    ``clips`` may be a generator (the synthesiser's): each part is mastered and encoded on
    a worker thread as soon as its clip arrives, while the speech engine, in its own
    process, speaks the next. The first segment's ``pause_before`` is ignored: the head
    silence takes its place, so the head stays within ACX's 0.5-1 s.
    """
    if not (0.5 <= head <= 1.0 and 1.0 <= tail <= 5.0):
        raise MasteringError("ACX wants 0.5-1 s of head and 1-5 s of tail silence")
    tail_samples = round(tail * SAMPLE_RATE)
    with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="mp3-part") as pool:
        plans: list[_Plan] = []
        parts: list[Future[Part]] = []
        for index, (segment, clip) in enumerate(_pairs(segments, clips)):
            pause = round((head if index == 0 else segment.pause_before) * SAMPLE_RATE)
            plans.append(_Plan(pause, clip, speech_bounds(clip.samples, clip.sample_rate)))
            parts.append(pool.submit(_part, plans[-1], bitrate_kbps, store))
        # The level every part was made at is right unless this track is mostly pauses
        # (mastering.speech_level); then every part is made again at the one that is.
        speech = sum(plan.speech_samples for plan in plans)
        level_db = speech_level(speech, sum(plan.pause for plan in plans) + speech + tail_samples)
        if level_db != SPEECH_RMS_DB:
            parts = [pool.submit(_part, replace(plan, level_db=level_db), bitrate_kbps, store) for plan in plans]
        parts.append(pool.submit(_part, _Plan(tail_samples), bitrate_kbps, store))
        return _join([part.result() for part in parts], segments, bitrate_kbps)


def _pairs(segments: Sequence[SpeechSegment], clips: Iterable[SegmentAudio]) -> Iterator[tuple[SpeechSegment,
                                                                                                SegmentAudio]]:
    """Each segment with its clip, checked; clips are taken one at a time, as they come."""
    seen: set[str] = set()
    count = 0
    for segment, clip in zip_longest(segments, clips):
        if segment is None or clip is None:
            raise MasteringError(f"{len(segments)} segments but a different number of audio clips")
        if segment.id != clip.id:
            raise MasteringError(f"segment {segment.id!r} got the audio of {clip.id!r}")
        if segment.id in seen:
            raise MasteringError(f"segment id {segment.id!r} occurs twice")
        if segment.pause_before < 0:
            raise MasteringError(f"segment {segment.id!r} has a negative pause")
        seen.add(segment.id)
        count += 1
        yield segment, clip
    if not count:
        raise MasteringError("no segments to master")


def _part(plan: _Plan, bitrate_kbps: int, store: PartStore | None) -> Part:
    """The part of ``plan``, from the store or made (and stored)."""
    key = plan.key(bitrate_kbps)
    part = store.get(key) if store is not None else None
    if part is None:
        part = _make_part(plan, bitrate_kbps)
        if store is not None:
            store.put(key, part)
    return part


def _make_part(plan: _Plan, bitrate_kbps: int) -> Part:
    speech = np.zeros(0, dtype=np.float32)
    if plan.clip is not None:
        start, stop = plan.bounds
        speech = resample(plan.clip.samples[start:stop], plan.clip.sample_rate)
        if speech.size:
            speech = level(speech, SAMPLE_RATE, target_rms_db=plan.level_db, ceiling_db=PEAK_CEILING_DB)
    # at least one sample: a stream of none cannot be encoded (a silent segment with no pause)
    samples: Samples = np.concatenate([np.zeros(max(plan.pause, 1 - speech.size), dtype=np.float32), speech])
    wide = speech.astype(np.float64)  # energy summed without BLAS, whose threads spin a second core
    return Part(
        frames=encode_frames(samples, SAMPLE_RATE, bitrate_kbps=bitrate_kbps),
        samples=samples.size,
        speech_start=samples.size - speech.size,
        energy=float(np.sum(wide * wide)),
        peak=float(np.max(np.abs(speech))) if speech.size else 0.0,
        floor_db=noise_floor_db(samples, SAMPLE_RATE),
    )


def _join(parts: Sequence[Part], segments: Sequence[SpeechSegment], bitrate_kbps: int) -> Track:
    timings: dict[str, tuple[float, float]] = {}
    offset = 0  # where the next part starts in the decoded track, in samples
    for segment, part in zip(segments, parts, strict=False):  # the tail has no segment
        start = offset + part.speech_start
        timings[segment.id] = (start / SAMPLE_RATE, (offset + part.samples) / SAMPLE_RATE)
        offset += SAMPLES_PER_FRAME * count_frames(part.frames, bitrate_kbps)
    length = offset + parts[-1].samples  # the tail's padding is dropped by the Info frame
    energy = sum(part.energy for part in parts)
    levels = Levels(
        rms_db=to_db(math.sqrt(energy / length)),
        peak_db=to_db(max(part.peak for part in parts)),
        # every part starts with its pause, so the quietest half second is inside one
        noise_floor_db=min(part.floor_db for part in parts),
    )
    low, high = RMS_RANGE_DB
    if not low <= levels.rms_db <= high:
        raise MasteringError(f"the track's RMS is {levels.rms_db:.1f} dB, outside {low:g} to {high:g} dB")
    mp3 = with_info_frame([(part.frames, part.samples) for part in parts], bitrate_kbps)
    return Track(mp3, timings, length / SAMPLE_RATE, levels)


# ---------------------------------------------------------------- cache keys


@cache
def _code() -> str:
    """The code that shapes a part, so a changed mastering or encoder never reuses old parts."""
    here = Path(__file__).parent
    digest = hashlib.sha256(importlib.metadata.version("lameenc").encode())
    for name in ("mastering.py", "mp3.py", "track.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()
