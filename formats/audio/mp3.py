"""CBR MP3 encoding (lameenc) and ID3 tagging with chapters (mutagen).

lameenc returns bare MPEG frames: no Xing/Info frame, so players cannot tell the
file is CBR nor how many samples of encoder delay and padding to drop (about
25 ms of extra silence at the start, up to 50 ms in all). We add the LAME-style
"Info" frame LAME itself writes for CBR, carrying both; gapless decoders
(mpg123, hence libsndfile, ffmpeg, Apple) then return exactly the mastered
samples, so timings and the reported duration hold to the sample.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import lameenc  # a bare extension module, no stubs
import numpy as np
import numpy.typing as npt
from mutagen import id3 as _mutagen_id3

from publish.language import primary as language_primary
from publish.speech import SpeechSegment

# mutagen's frame constructors are untyped; going through Any keeps --strict quiet
# without a type: ignore on every frame.
id3: Any = _mutagen_id3

DEFAULT_BITRATE: Final = 192
SAMPLE_RATE: Final = 44100
SAMPLES_PER_FRAME: Final = 1152  # MPEG-1 Layer III
ENCODER_DELAY: Final = 576  # LAME's; decoders add their own 529 themselves
# LAME's -q 3, its command line's default: at 192 kbps mono, speech decodes as close to the
# master as at -q 2 (same SNR on the seed) in two thirds of the time.
QUALITY: Final = 3
# MPEG-1 Layer III bit rates by header index (kbps)
_BITRATES: Final = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_SAMPLE_RATES: Final = (44100, 48000, 32000)
_MONO_SIDE_INFO: Final = 17
_UTF8: Final = 3  # ID3v2.4 text encoding; mutagen converts to UTF-16 for v2.3
# Jumping to a chapter lands this much (at most) before its first word, inside the
# pause, so a player's seek granularity never clips the first syllable.
CHAPTER_LEAD: Final = 0.3


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Mp3Metadata:
    title: str
    language: str  # BCP-47, e.g. "en-GB"
    artist: str | None = None
    publisher: str | None = None
    album: str | None = None
    year: str | None = None  # "2024" or an ISO date
    comment: str | None = None  # the disclaimer
    cover_png: bytes | None = None
    # TXXX frames, (description, text): the speech engine, its voice and the voice's licence
    extra: tuple[tuple[str, str], ...] = ()


# ---------------------------------------------------------------- encoding


def _crc16_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC16_TABLE: Final = _crc16_table()


def _crc16_bytewise(data: bytes) -> int:
    crc, table = 0, _CRC16_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


_LANES: Final = 4096
_CHUNK: Final = 1152 * 1024  # samples encoded at a time, a whole number of MPEG frames


def _crc16(data: bytes) -> int:
    """CRC-16/ARC, the checksum LAME puts in its Info tag.

    Byte by byte in Python it costs about 1 s per 10 min of audio, so long data is cut into
    lanes whose CRCs numpy takes side by side. CRC-16/ARC starts from 0 with no final XOR,
    so it is linear and zero bytes in front leave it unchanged: the data is padded in front
    to equal lanes, and the lanes are folded, each result carried across one lane's length
    of zero bytes, then XORed with the next lane's CRC. Same value as byte by byte.
    """
    if len(data) < 16 * _LANES:
        return _crc16_bytewise(data)
    length = -(-len(data) // _LANES)
    padded = np.zeros(_LANES * length, dtype=np.uint8)
    padded[padded.size - len(data) :] = np.frombuffer(data, dtype=np.uint8)
    columns = np.ascontiguousarray(padded.reshape(_LANES, length).T)  # one row per byte position
    table = np.array(_CRC16_TABLE, dtype=np.uint32)
    lanes = np.zeros(_LANES, dtype=np.uint32)
    for column in columns:
        lanes = (lanes >> 8) ^ table[(lanes ^ column) & 0xFF]
    # Where each of the 16 state bits goes after `length` zero bytes; by linearity that
    # carries any state, a byte at a time through two lookup tables.
    bits = np.array([1 << bit for bit in range(16)], dtype=np.uint32)
    for _ in range(length):
        bits = (bits >> 8) ^ table[bits & 0xFF]
    low = [_xor_bits(bits[:8].tolist(), value) for value in range(256)]
    high = [_xor_bits(bits[8:].tolist(), value) for value in range(256)]
    crc = 0
    for lane in lanes.tolist():
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ lane
    return crc


def _xor_bits(images: list[int], value: int) -> int:
    out = 0
    for bit, image in enumerate(images):
        if value >> bit & 1:
            out ^= image
    return out


def _frame_length(header: bytes) -> int:
    if header[0] != 0xFF or header[1] & 0xFE != 0xFA:
        raise ValueError("not an MPEG-1 Layer III frame")
    bitrate = _BITRATES[header[2] >> 4] * 1000
    sample_rate = _SAMPLE_RATES[(header[2] >> 2) & 3]
    return 144 * bitrate // sample_rate + ((header[2] >> 1) & 1)


def count_frames(stream: bytes, bitrate_kbps: int) -> int:
    """Number of frames; also proves every frame has the same (constant) bit rate."""
    offset = frames = 0
    while offset < len(stream):
        header = stream[offset : offset + 4]
        if _BITRATES[header[2] >> 4] != bitrate_kbps:
            raise ValueError(f"frame {frames} is not {bitrate_kbps} kbps")
        offset += _frame_length(header)
        frames += 1
    if offset != len(stream):
        raise ValueError("truncated MPEG stream")
    return frames


def _info_frame(audio: bytes, frames: int, samples: int) -> bytes:
    """A LAME 3.100 style Info frame for CBR (http://gabriel.mp3-tech.org/mp3infotag.html)."""
    first = audio[:4]
    header = bytes(
        (first[0], first[1], first[2] & ~0x02 & 0xFF, first[3])
    )  # no padding slot
    size = _frame_length(header)
    padding = frames * SAMPLES_PER_FRAME - ENCODER_DELAY - samples
    if not 0 <= padding < 4096:
        raise ValueError(f"unexpected encoder padding {padding}")
    total = size + len(audio)
    toc = bytes(i * 256 // 100 for i in range(100))
    xing = (
        b"Info"
        + struct.pack(">III", 0x0F, frames, total)
        + toc
        + struct.pack(">I", 100 - 40 - 2)
    )
    bitrate = _BITRATES[header[2] >> 4]
    lame = (
        b"LAME3.100"
        + bytes((0x01, 0))  # tag revision 0, method 1 = CBR; lowpass unknown
        + bytes(4 + 2 + 2)  # peak, track and album gain: not computed
        + bytes((0, min(bitrate, 255)))  # flags and ATH type; bit rate
        + struct.pack(">I", (ENCODER_DELAY << 12 | padding) << 8)[:3]
        + bytes((0x40, 0, 0, 0))  # source 44.1 kHz, mono; MP3 gain; preset unknown
        + struct.pack(">IH", total, _crc16(audio))
    )
    body = header + bytes(_MONO_SIDE_INFO) + xing + lame
    body += struct.pack(">H", _crc16(body))
    return body + bytes(size - len(body))


def encode_frames(
    samples: npt.NDArray[np.float32],
    sample_rate: int = SAMPLE_RATE,
    *,
    bitrate_kbps: int = DEFAULT_BITRATE,
) -> bytes:
    """Mono CBR MPEG-1 Layer III frames, one whole LAME stream; same input, same bytes.

    The stream starts with LAME's ENCODER_DELAY and ends with padding to a whole frame
    (``with_info_frame`` tells gapless decoders about both)."""
    if sample_rate not in _SAMPLE_RATES:
        raise ValueError(f"MPEG-1 cannot carry {sample_rate} Hz")
    if bitrate_kbps not in _BITRATES[1:]:
        raise ValueError(f"{bitrate_kbps} kbps is not an MPEG-1 Layer III bit rate")
    if samples.ndim != 1 or samples.size == 0:
        raise ValueError("expected non-empty mono samples")
    encoder = lameenc.Encoder()
    encoder.silence()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_quality(QUALITY)
    # A chunk at a time, converted and encoded: copies of a long track are what a build's
    # memory is made of. LAME buffers internally, so the frames are those of one call.
    audio = bytearray()  # of MPEG frames
    for offset in range(0, samples.size, _CHUNK):
        chunk = np.clip(samples[offset : offset + _CHUNK], -1.0, 1.0)
        chunk *= 32767.0
        audio += encoder.encode(np.round(chunk, out=chunk).astype("<i2").tobytes())
    audio += encoder.flush()
    return bytes(audio)


def with_info_frame(streams: Sequence[tuple[bytes, int]], bitrate_kbps: int = DEFAULT_BITRATE) -> bytes:
    """Whole LAME streams (frames, samples encoded) one after another, behind one Info frame.

    Gapless decoders drop the first stream's encoder delay and the last one's padding; the
    delay and padding of the streams between play as they are (silence, when streams start
    and end quiet), so a stream's first sample sits at 1152 x the frames before it.
    """
    if not streams:
        raise ValueError("no MPEG stream to join")
    counts = [count_frames(frames, bitrate_kbps) for frames, _ in streams]
    audio = b"".join(frames for frames, _ in streams)
    samples = SAMPLES_PER_FRAME * (sum(counts) - counts[-1]) + streams[-1][1]
    return _info_frame(audio, sum(counts), samples) + audio


def encode_mp3(
    samples: npt.NDArray[np.float32],
    sample_rate: int = SAMPLE_RATE,
    *,
    bitrate_kbps: int = DEFAULT_BITRATE,
) -> bytes:
    """Mono CBR MP3 with a gapless Info frame, decoding to exactly ``samples``."""
    frames = encode_frames(samples, sample_rate, bitrate_kbps=bitrate_kbps)
    return with_info_frame([(frames, samples.size)], bitrate_kbps)


# ---------------------------------------------------------------- chapters


def chapters_for(
    segments: Sequence[SpeechSegment],
    timings: Mapping[str, tuple[float, float]],
    duration: float,
) -> list[Chapter]:
    """Chapters from the segments that start one, covering 0..duration with no gaps."""
    duration_ms = round(duration * 1000)
    starts: list[tuple[str, int]] = []
    for segment in segments:
        if segment.chapter is None:
            continue
        if not segment.chapter.strip():
            raise ValueError(
                f"segment {segment.id!r} starts a chapter with an empty title"
            )
        onset = timings[segment.id][0]
        start = (
            0
            if not starts
            else round((onset - min(CHAPTER_LEAD, segment.pause_before)) * 1000)
        )
        starts.append((segment.chapter.strip(), start))
    chapters = [
        Chapter(title, start, starts[i + 1][1] if i + 1 < len(starts) else duration_ms)
        for i, (title, start) in enumerate(starts)
    ]
    for chapter in chapters:
        if chapter.end_ms <= chapter.start_ms:
            raise ValueError(f"chapter {chapter.title!r} would have no duration")
    return chapters


# ---------------------------------------------------------------- tags

# ISO 639-1 -> ISO 639-2/T (the terminology codes, same as ISO 639-3).
_ISO639_2: Final = {
    "ar": "ara", "bg": "bul", "bn": "ben", "ca": "cat", "cs": "ces", "cy": "cym",
    "da": "dan", "de": "deu", "el": "ell", "en": "eng", "eo": "epo", "es": "spa",
    "et": "est", "eu": "eus", "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle",
    "gd": "gla", "gl": "glg", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun",
    "hy": "hye", "id": "ind", "is": "isl", "it": "ita", "ja": "jpn", "ka": "kat",
    "ko": "kor", "la": "lat", "lt": "lit", "lv": "lav", "mk": "mkd", "ms": "msa",
    "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno", "no": "nor", "pl": "pol",
    "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv", "sq": "sqi",
    "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam", "th": "tha", "tr": "tur",
    "uk": "ukr", "ur": "urd", "vi": "vie", "zh": "zho",
}  # fmt: skip


def iso639_2(language: str) -> str:
    """ISO 639-2 code for a BCP-47 tag: "en-GB" -> "eng"; "und" when not known."""
    primary = language_primary(language)
    if len(primary) == 3 and primary.isalpha():
        return primary
    return _ISO639_2.get(primary, "und")


def _image_mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    raise ValueError("cover art must be PNG (or JPEG) bytes")


def id3_tags(
    metadata: Mp3Metadata, chapters: Sequence[Chapter], duration: float
) -> Any:
    language = iso639_2(metadata.language)
    tags = id3.ID3()
    tags.add(id3.TIT2(encoding=_UTF8, text=[metadata.title]))
    if metadata.artist:
        tags.add(id3.TPE1(encoding=_UTF8, text=[metadata.artist]))
    if metadata.publisher:
        tags.add(id3.TPUB(encoding=_UTF8, text=[metadata.publisher]))
    tags.add(id3.TALB(encoding=_UTF8, text=[metadata.album or metadata.title]))
    if metadata.year:
        tags.add(id3.TDRC(encoding=_UTF8, text=[metadata.year]))
    tags.add(id3.TLAN(encoding=_UTF8, text=[language]))
    tags.add(id3.TLEN(encoding=_UTF8, text=[str(round(duration * 1000))]))
    if metadata.comment:
        tags.add(
            id3.COMM(encoding=_UTF8, lang=language, desc="", text=[metadata.comment])
        )
    for description, text in metadata.extra:
        tags.add(id3.TXXX(encoding=_UTF8, desc=description, text=[text]))
    if metadata.cover_png:
        tags.add(
            id3.APIC(
                encoding=_UTF8,
                mime=_image_mime(metadata.cover_png),
                type=id3.PictureType.COVER_FRONT,
                desc="Cover",
                data=metadata.cover_png,
            )
        )
    if chapters:
        ids = [f"chp{index}" for index in range(len(chapters))]
        for element_id, chapter in zip(ids, chapters, strict=True):
            tags.add(
                id3.CHAP(
                    element_id=element_id,
                    start_time=chapter.start_ms,
                    end_time=chapter.end_ms,
                    # byte offsets unused: players go by time
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[id3.TIT2(encoding=_UTF8, text=[chapter.title])],
                )
            )
        tags.add(
            id3.CTOC(
                element_id="toc",
                flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[id3.TIT2(encoding=_UTF8, text=[metadata.title])],
            )
        )
    return tags


def tag_mp3(
    mp3: bytes,
    metadata: Mp3Metadata,
    chapters: Sequence[Chapter] = (),
    *,
    duration: float,
    id3_version: Literal[3, 4] = 4,
) -> bytes:
    """The MP3 with an ID3v2 tag in front; no padding and no dates, so deterministic."""
    buffer = io.BytesIO(mp3)
    id3_tags(metadata, chapters, duration).save(
        buffer, v1=0, v2_version=id3_version, padding=lambda _info: 0
    )
    return buffer.getvalue()
