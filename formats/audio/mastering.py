"""ACX levels: measuring them, and levelling speech to them.

ACX technical levels: RMS -23..-18 dBFS, peaks <= -3 dBFS, noise floor <= -60 dB,
44.1 kHz, 0.5-1 s of silence at the head and 1-5 s at the tail. RMS is measured
over the whole file, pauses included, as ACX's own check does.

Every segment's speech is levelled to the same RMS on its own (``speech_level``), not the
whole track at once: a segment's master then depends on that segment alone, which is what
lets an edited paragraph be the only one mastered and encoded again (``formats.audio.track``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import soxr

Samples = npt.NDArray[np.float32]

SAMPLE_RATE: Final = 44100
HEAD_SILENCE: Final = 0.75
TAIL_SILENCE: Final = 2.0
TARGET_RMS_DB: Final = -20.0
# Speech itself sits this loud; with the pauses of an ordinary article the whole track then
# lands near TARGET_RMS_DB (the seed: -20.0 dB).
SPEECH_RMS_DB: Final = -19.6
RMS_RANGE_DB: Final = (-23.0, -18.0)
# Half a dB below ACX's -3 dBFS: MP3 encoding makes inter-sample peaks grow a little.
PEAK_CEILING_DB: Final = -3.5
NOISE_FLOOR_MAX_DB: Final = -60.0
# Reported instead of -inf for digital silence, so figures stay JSON numbers.
DB_FLOOR: Final = -150.0


class MasteringError(ValueError):
    """The segments cannot be made into a conformant track."""


@dataclass(frozen=True)
class Levels:
    rms_db: float
    peak_db: float
    noise_floor_db: float

    @property
    def acx_ok(self) -> bool:
        low, high = RMS_RANGE_DB
        return (
            low <= self.rms_db <= high
            and self.peak_db <= -3.0
            and self.noise_floor_db <= NOISE_FLOOR_MAX_DB
        )


# ---------------------------------------------------------------- measurement


def to_db(amplitude: float) -> float:
    return (
        DB_FLOOR
        if amplitude <= 10 ** (DB_FLOOR / 20)
        else max(DB_FLOOR, 20 * math.log10(amplitude))
    )


def rms_db(samples: npt.ArrayLike) -> float:
    """RMS of the whole signal in dBFS (a full-scale sine reads -3 dB)."""
    data = np.asarray(samples).reshape(-1)
    if data.size == 0:
        return DB_FLOOR
    # float64 in chunks: exact enough without a float64 copy of a long track
    energy = 0.0
    for offset in range(0, data.size, 1 << 20):
        chunk = data[offset : offset + (1 << 20)].astype(np.float64)
        energy += float(np.sum(chunk * chunk))  # not BLAS: thread count must not matter
    return to_db(math.sqrt(energy / data.size))


def peak_db(samples: npt.ArrayLike) -> float:
    data = np.asarray(samples)
    # max |x| without a copy of the track
    return to_db(max(float(data.max()), -float(data.min()))) if data.size else DB_FLOOR


def noise_floor_db(
    samples: npt.ArrayLike, sample_rate: int, window: float = 0.5
) -> float:
    """RMS of the quietest ``window`` seconds (50 ms hop), in dBFS."""
    data = np.asarray(samples)
    size = round(window * sample_rate)
    if data.size <= size:
        return rms_db(data)
    hop = max(1, round(0.05 * sample_rate))
    if size % hop == 0:  # 44.1 kHz: windows are whole hops, so sum hops (far less memory)
        return _noise_floor_by_hops(data, size, hop)
    data = data.astype(np.float64)
    energy = np.concatenate(([0.0], np.cumsum(data * data)))
    starts = np.arange(0, data.size - size + 1, hop)
    # cumsum differences can dip a hair below zero in digital silence
    window_energy = np.maximum(energy[starts + size] - energy[starts], 0.0)
    return to_db(math.sqrt(float(np.min(window_energy)) / size))


def _noise_floor_by_hops(data: npt.NDArray[Any], size: int, hop: int) -> float:
    """noise_floor_db where the window is a whole number of hops: the energy of each hop,
    taken in float64 a chunk at a time, then of each window as a sum of hops."""
    hops = data.size // hop
    energy = np.empty(hops)
    step = max(1, (1 << 20) // hop) * hop
    for offset in range(0, hops * hop, step):
        chunk = data[offset : min(offset + step, hops * hop)].astype(np.float64)
        energy[offset // hop : offset // hop + chunk.size // hop] = (chunk * chunk).reshape(-1, hop).sum(axis=1)
    per = size // hop
    sums = np.concatenate(([0.0], np.cumsum(energy)))
    # cumulative sums of hops can dip a hair below zero in digital silence
    window_energy = np.maximum(sums[per:] - sums[:-per], 0.0)
    return to_db(math.sqrt(float(np.min(window_energy)) / size))


def measure(samples: npt.ArrayLike, sample_rate: int) -> Levels:
    return Levels(
        rms_db(samples), peak_db(samples), noise_floor_db(samples, sample_rate)
    )


# ---------------------------------------------------------------- processing


def speech_bounds(
    samples: Samples,
    sample_rate: int,
    *,
    threshold_db: float = -45.0,
    keep_head: float = 0.01,
    keep_tail: float = 0.04,
) -> tuple[int, int]:
    """Where a clip's speech is, without espeak's own lead-in and end pause, so
    ``pause_before`` alone sets the gaps. The threshold is relative to the clip's peak;
    (0, 0) when nothing stands out of the silence."""
    if samples.size == 0:
        return 0, 0
    peak = float(np.max(np.abs(samples)))
    loud = np.flatnonzero(np.abs(samples) >= peak * 10 ** (threshold_db / 20))
    if loud.size == 0 or peak == 0.0:
        return 0, 0
    start = max(0, int(loud[0]) - int(keep_head * sample_rate))
    stop = min(samples.size, int(loud[-1]) + 1 + int(keep_tail * sample_rate))
    return start, stop


def resampled_length(length: int, from_rate: int, to_rate: int = SAMPLE_RATE) -> int:
    """How many samples ``resample`` makes of ``length`` (soxr rounds to the nearest)."""
    return length if from_rate == to_rate else round(length * to_rate / from_rate)


def resample(samples: Samples, from_rate: int, to_rate: int = SAMPLE_RATE) -> Samples:
    if from_rate == to_rate or samples.size == 0:
        return samples.astype(np.float32)
    out = soxr.resample(samples.astype(np.float32), from_rate, to_rate, quality="VHQ")
    return np.asarray(out, dtype=np.float32)


def limit(
    samples: Samples,
    sample_rate: int,
    ceiling_db: float = PEAK_CEILING_DB,
    *,
    block: float = 0.005,
    release: float = 0.12,
    in_place: bool = False,
) -> Samples:
    """Block-wise peak limiter: gain drops where a block would pass the ceiling
    and recovers with the ``release`` time constant. ``in_place`` limits a float32
    ``samples`` itself rather than a copy (a long track is large).

    Within each block the gain ramps linearly between its boundary values, each
    the lower of the two blocks it separates, so no sample passes the ceiling and
    the gain never jumps.
    """
    n = samples.size
    if n == 0:
        return samples
    ceiling = 10 ** (ceiling_db / 20)
    size = max(1, round(block * sample_rate))
    count = -(-n // size)
    # Whole blocks as a view, the last partial block apart: a long track is never copied
    # more than once (into the result), which keeps a 10-minute article's memory in bounds.
    data = np.asarray(samples, dtype=np.float32)
    whole = n // size * size
    blocks = data[:whole].reshape(-1, size)
    tail = data[whole:]
    peaks = np.maximum(blocks.max(axis=1), -blocks.min(axis=1))  # max |x| with no copy of |x|
    if tail.size:
        peaks = np.append(peaks, max(float(tail.max()), -float(tail.min()), 0.0))
    need = np.minimum(1.0, ceiling / np.maximum(peaks.astype(np.float64), 1e-12))
    # Block by block the gain would be min(need, gain + (1 - gain) * (1 - r)), r = exp(-block /
    # release): the reduction 1 - gain is the larger of what the block needs and the last one's
    # times r, i.e. the largest of each earlier need decayed since. In logarithms that is a
    # running maximum, so numpy does it without a Python loop.
    decay = np.arange(count) * (block / release)
    with np.errstate(divide="ignore"):  # a block that needs no reduction: log(0) = -inf
        reduction = np.exp(np.maximum.accumulate(np.log(1.0 - need) + decay) - decay)
    gains = 1.0 - reduction
    edges = np.empty(count + 1)
    edges[0], edges[-1] = gains[0], gains[-1]
    edges[1:-1] = np.minimum(gains[:-1], gains[1:])
    ramp = (np.arange(size) / size).astype(np.float32)
    start = edges[:-1].astype(np.float32)[:, None]
    slope = (edges[1:] - edges[:-1]).astype(np.float32)[:, None]
    limited = data if in_place and data is samples else np.empty(n, dtype=np.float32)
    rows = limited[:whole].reshape(-1, size)
    step = 1 << 12  # blocks at a time: the gains never take a track's worth of memory
    for first in range(0, len(rows), step):
        part = slice(first, min(first + step, len(rows)))
        gain = slope[part] * ramp
        gain += start[part]
        np.multiply(gain, blocks[part], out=rows[part])
    if tail.size:
        limited[whole:] = (slope[-1] * ramp[: tail.size] + start[-1]) * tail
    np.clip(limited, -ceiling, ceiling, out=limited)
    return limited


def level(
    samples: Samples,
    sample_rate: int,
    *,
    target_rms_db: float = TARGET_RMS_DB,
    ceiling_db: float = PEAK_CEILING_DB,
) -> Samples:
    """Gain to the target RMS, limiting peaks to the ceiling; the limiter lowers the
    RMS a little, so gain and limit repeat until the RMS is within 0.05 dB, or as near
    as the ceiling allows (whether the whole track is then within ACX's range is checked
    where the track is joined)."""
    current = rms_db(samples)
    if current <= DB_FLOOR:
        raise MasteringError("the track is silent")
    gain_db = target_rms_db - current
    result = samples
    for _ in range(12):
        del result  # the last try's track, before making the next (memory)
        result = limit(
            samples * np.float32(10 ** (gain_db / 20)), sample_rate, ceiling_db, in_place=True
        )
        error = target_rms_db - rms_db(result)
        if abs(error) < 0.05:
            break
        gain_db += error
    return result


def speech_level(speech_samples: int, track_samples: int) -> float:
    """The RMS every segment's speech is levelled to, in dBFS.

    SPEECH_RMS_DB, unless the share of speech in the track would put the track's RMS
    (pauses included) within half a dB of ACX's limits, as an article of short lines and
    long pauses might: then the level that puts the track at TARGET_RMS_DB.
    """
    if speech_samples <= 0 or track_samples <= 0:
        return SPEECH_RMS_DB
    share_db = 10 * math.log10(speech_samples / track_samples)
    low, high = RMS_RANGE_DB
    if low + 0.5 <= SPEECH_RMS_DB + share_db <= high - 0.5:
        return SPEECH_RMS_DB
    return TARGET_RMS_DB - share_db
