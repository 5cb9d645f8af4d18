"""The faster (and leaner) ways the audio edition now computes things give the same results
as the plain ones they replaced."""

from __future__ import annotations

import math

import lameenc  # a bare extension module, no stubs
import numpy as np
import pytest

from formats.audio import mastering, mp3


def test_the_lane_crc_is_the_bytewise_crc() -> None:
    rng = np.random.default_rng(7)
    for size in (0, 1, 100, 16 * 4096 - 1, 16 * 4096, 16 * 4096 + 1, 4096 * 17 + 3, 300_001):
        data = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        assert mp3._crc16(data) == mp3._crc16_bytewise(data), size
    assert mp3._crc16_bytewise(b"123456789") == 0xBB3D  # the CRC-16/ARC check value


@pytest.mark.parametrize("size", [1, 220, 221, 44100 * 3 + 17])
def test_limiting_in_place_is_limiting_a_copy(size: int) -> None:
    signal = (np.random.default_rng(size).standard_normal(size) * 0.9).astype(np.float32)
    copy = mastering.limit(signal, 44100)
    assert not np.shares_memory(copy, signal)
    same = signal.copy()
    limited = mastering.limit(same, 44100, in_place=True)
    assert np.shares_memory(limited, same) and np.array_equal(limited, copy)


def test_the_noise_floor_by_hops_matches_the_running_sum() -> None:
    rng = np.random.default_rng(3)
    signal = (rng.standard_normal(44100 * 4 + 123) * 0.1).astype(np.float32)
    signal[30000:80000] = 0.0
    assert mastering.noise_floor_db(signal, 44100) == mastering.DB_FLOOR  # digital silence stays exact
    signal[30000:80000] = 1e-4
    data = signal.astype(np.float64)
    energy = np.concatenate(([0.0], np.cumsum(data * data)))
    starts = np.arange(0, data.size - 22050 + 1, 2205)
    plain = 10 * math.log10(float(np.min(energy[starts + 22050] - energy[starts])) / 22050)
    assert mastering.noise_floor_db(signal, 44100) == pytest.approx(plain, abs=1e-3)


def test_encoding_in_chunks_gives_the_frames_of_one_call() -> None:
    samples = (np.sin(np.arange(mp3._CHUNK * 2 + 5000) * 0.03) * 0.5).astype(np.float32)
    encoder = lameenc.Encoder()
    encoder.silence()
    for setting, value in (("set_channels", 1), ("set_in_sample_rate", 44100), ("set_out_sample_rate", 44100),
                           ("set_bit_rate", 192), ("set_quality", mp3.QUALITY)):
        getattr(encoder, setting)(value)
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    whole = bytes(encoder.encode(pcm)) + bytes(encoder.flush())
    assert mp3.encode_mp3(samples).endswith(whole)
