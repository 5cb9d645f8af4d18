"""Speech synthesis with libespeak-ng through pyttsx3's espeak binding, in a worker process.

The engine runs in a child process because libespeak-ng can hang, initialises once per
process and prints to the terminal. One worker and one engine serve all segments; a worker
that times out or fails is replaced. The worker is forked when this process has no other
thread (it then starts with numpy and the rest already imported, a fifth of a second
sooner), else spawned.

Each segment is spoken in a fork of the warmed-up worker, so it starts from the same
engine state whatever was spoken before: libespeak-ng otherwise carries state from one
utterance to the next, and a clip would depend on the order of the texts. That is what
lets clips be cached per segment (``formats.audio.cache``) and builds give the same bytes
in any order. Forking needs an engine without threads, hence espeak's synchronous output
and our own callback instead of pyttsx3's ``save_to_file``/``runAndWait`` loop (which waits
on asynchronous events, polling every 10 ms). Every WAV is still judged against its text
(``formats.audio.judge``: silence where there must be speech, a clip that never ends) before
it is used. A segment the engine fails on every time is said as a short notice instead, and
marked, so the renderer can warn; only an engine that speaks nothing at all is an error.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import importlib.metadata
import multiprocessing
import multiprocessing.util
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Protocol, Self

import numpy as np
import numpy.typing as npt

from publish.speech import SpeechSegment

from .judge import clip_problem, is_sound, notice_for, spoken_units, synthesis_timeout

# pyttsx3's espeak driver writes 22050 Hz mono 16-bit WAV whatever espeak reports.
SAMPLE_RATE: Final = 22050
DEFAULT_RATE_WPM: Final = 165
FALLBACK_LANGUAGE: Final = "en"

_WARM_UP_TEXT: Final = "Ready."


class SynthesisError(RuntimeError):
    """Speech could not be produced; the message says for which segment and why."""


class AttemptsFailed(SynthesisError):
    """Every attempt at one text failed: the text or the engine is at fault (``clips`` finds out)."""


@dataclass(frozen=True)
class VoiceSettings:
    language: str = FALLBACK_LANGUAGE  # BCP-47 tag, e.g. "en-GB"
    rate: int = DEFAULT_RATE_WPM  # words per minute
    voice_id: str | None = (
        None  # explicit espeak voice id (e.g. "gmw/en-us"); wins over language
    )
    # The bundled libespeak-ng (espeakng-loader) is the default so that builds are
    # reproducible; True lets pyttsx3 find a system espeak-ng instead.
    system_espeak: bool = False
    # The speech engine, by its name in the registry (formats.audio.voices), and the voice
    # file it loads, if it has any (a Piper .onnx).
    engine: str = "espeak"
    model: str | None = None


@dataclass(frozen=True)
class SegmentAudio:
    id: str
    samples: npt.NDArray[np.float32]  # mono, -1..1
    sample_rate: int
    voice: str  # espeak voice id actually used
    # Why the engine could not speak the segment, which then holds the notice said instead
    # (judge.NOTICES); "" when it is the segment's own speech.
    problem: str = ""


# ---------------------------------------------------------------- pure helpers


def select_voice(language: str, voices: Sequence[tuple[str, str]]) -> str:
    """Pick an espeak voice id for a BCP-47 tag from (voice id, language) pairs.

    Order: exact language ("en-gb"), then the base language ("en"), then English.
    A candidate matches a voice's language or the last part of its id
    ("gmw/en-us" -> "en-us"), since pyttsx3 only exposes a voice's first language.
    """
    tag = language.strip().replace("_", "-").lower()
    candidates = [tag, tag.split("-")[0], FALLBACK_LANGUAGE]
    for candidate in candidates:
        for voice_id, voice_language in voices:
            if voice_language.lower() == candidate:
                return voice_id
        for voice_id, _ in voices:
            if voice_id.lower().rsplit("/", 1)[-1] == candidate:
                return voice_id
    raise SynthesisError(
        f"no espeak voice for language {language!r} and no English voice"
    )


def _read_wav(path: Path) -> npt.NDArray[np.float32]:
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise ValueError("not 16-bit mono")
        if wav.getframerate() != SAMPLE_RATE:
            raise ValueError(
                f"sample rate {wav.getframerate()} Hz, expected {SAMPLE_RATE}"
            )
        frames = wav.readframes(wav.getnframes())
    pcm = np.frombuffer(frames, dtype="<i2")
    return (pcm.astype(np.float32) / np.float32(32768.0)).astype(np.float32)


def _check_clip(path: Path, text: str, rate: int) -> npt.NDArray[np.float32]:
    """The clip's samples, or ValueError naming what is wrong with it (``judge.clip_problem``)."""
    if not path.exists():
        raise ValueError("no WAV file was written")
    samples = _read_wav(path)
    problem = clip_problem(samples, SAMPLE_RATE, text, rate)
    if problem is not None:
        raise ValueError(problem)
    return samples


# ---------------------------------------------------------------- versions


def _espeak_info(library: ctypes.CDLL) -> str:
    info = library.espeak_Info
    info.restype = ctypes.c_char_p
    info.argtypes = [ctypes.c_void_p]
    version: bytes = info(None)
    return version.decode("ascii", "replace")


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


_PROBE_SYSTEM = """
import ctypes, ctypes.util, sys
name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
lib = ctypes.CDLL(name)
lib.espeak_Info.restype = ctypes.c_char_p
lib.espeak_Info.argtypes = [ctypes.c_void_p]
sys.stdout.write(lib.espeak_Info(None).decode("ascii", "replace"))
"""

_version_cache: dict[bool, str] = {}


def engine_version(system_espeak: bool = False) -> str:
    """pyttsx3 and espeak-ng versions, for cache keys of synthesised audio."""
    if system_espeak not in _version_cache:
        if system_espeak:
            # A separate interpreter: once the bundled library is loaded here, its
            # soname would shadow the system one for any later dlopen.
            probe = subprocess.run(
                [sys.executable, "-c", _PROBE_SYSTEM],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            espeak = f"espeak-ng {probe.stdout.strip() or 'unavailable'} (system)"
        else:
            import espeakng_loader

            library = ctypes.CDLL(espeakng_loader.get_library_path())
            espeak = (
                f"espeak-ng {_espeak_info(library)} "
                f"(espeakng-loader {_dist_version('espeakng-loader')})"
            )
        _version_cache[system_espeak] = f"pyttsx3 {_dist_version('pyttsx3')}; {espeak}"
    return _version_cache[system_espeak]


# ---------------------------------------------------------------- worker side


def _redirect_output(log_path: str) -> None:
    """Keep pyttsx3's "Audio saved to ..." off the terminal; stderr goes to a log."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 2)
    # both stay open for the worker's lifetime
    sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115
    sys.stderr = Path(log_path).open("a", encoding="utf-8", buffering=1)  # noqa: SIM115


def _start_engine(settings: VoiceSettings) -> tuple[Any, str]:
    """libespeak-ng through pyttsx3's espeak binding, in synchronous mode, with the voice,
    rate and volume set; returns the binding and the voice id."""
    if not settings.system_espeak:
        import espeakng_loader

        # espeakng_loader.make_library_available() only sets LD_LIBRARY_PATH, too late
        # for this process; loading it globally first makes pyttsx3's
        # dlopen("libespeak-ng.so.1") resolve to it by soname.
        os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()
        ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_GLOBAL)
    from pyttsx3.drivers import _espeak
    from pyttsx3.drivers.espeak import EspeakDriver

    # Synchronous output rather than the driver's own (asynchronous, which runs a thread
    # inside libespeak-ng): with no thread this process can fork a child per segment.
    if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
        raise SynthesisError("libespeak-ng could not be initialised")
    voices = [
        (str(v.id), str(v.languages[0]) if v.languages else "")
        for v in EspeakDriver.getProperty("voices")
    ]
    if settings.voice_id is not None:
        wanted = settings.voice_id.lower()
        known = {vid.lower(): vid for vid, _ in voices}
        if wanted not in known:
            raise SynthesisError(f"espeak has no voice {settings.voice_id!r}")
        voice = known[wanted]
    else:
        voice = select_voice(settings.language, voices)
    EspeakDriver.setProperty("voice", voice)  # raises ValueError if espeak refuses
    EspeakDriver.setProperty("rate", int(settings.rate))
    EspeakDriver.setProperty("volume", 1.0)
    active = EspeakDriver.getProperty("voice")
    if str(active).lower() != voice.lower():
        raise SynthesisError(f"espeak kept voice {active!r} instead of {voice!r}")
    return _espeak, voice


def start_espeak(settings: VoiceSettings) -> tuple[Callable[[str, str], None], str]:
    """espeak-ng started in this process: its speak(text, WAV path) and the voice id it uses."""
    espeak, voice = _start_engine(settings)
    return functools.partial(_speak, espeak), voice


def _start_speaker(settings: VoiceSettings) -> tuple[Callable[[str, str], None], str]:
    """In the worker: the engine's speak(text, WAV path) and the voice id it uses."""
    if settings.engine == "espeak":
        return start_espeak(settings)  # the default, without loading the registry
    from .voices import engine_named  # the other engines are plugins (entry points)

    return engine_named(settings.engine).start(settings)


def _speak(espeak: Any, text: str, path: str) -> None:
    """One utterance into a 16-bit mono WAV, as pyttsx3's driver writes it."""
    chunks: list[bytes] = []

    def collect(wav: Any, samples: int, events: Any) -> int:
        if samples > 0:
            chunks.append(ctypes.string_at(wav, samples * 2))
        return 0  # go on

    espeak.SetSynthCallback(collect)
    espeak.Synth(text.encode("utf-8"), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8)
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(b"".join(chunks))


def _speak_in_child(speak: Callable[[str, str], None], text: str, path: str, timeout: float) -> str | None:
    """Speak in a forked child of this (warmed-up) process; None, or what went wrong.

    libespeak-ng keeps state from one utterance to the next (pitch flutter, gain, wave
    phase live in static variables), so a clip would depend on every text spoken before it.
    A child starts from this process's state each time: a segment always sounds the same,
    in any order, which is what lets clips be cached per segment and reused anywhere.
    A hung child is killed; the engine here is untouched.
    """
    done, child_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: speak, then leave without running any cleanup of the parent's
        os.close(done)
        status = 0
        try:
            speak(text, path)
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            sys.stderr.flush()
            os._exit(status)
    os.close(child_end)
    try:
        finished, _, _ = select.select([done], [], [], timeout)  # EOF when the child exits
    finally:
        os.close(done)
    if not finished:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return f"the speech engine took longer than {timeout:g} s"
    _, status = os.waitpid(pid, 0)
    return None if status == 0 else f"the speech engine failed (status {status})"


def _worker(conn: Connection, settings: VoiceSettings, log_path: str, warm_up: str) -> None:
    _redirect_output(log_path)
    try:
        speak, voice = _start_speaker(settings)
        # A first utterance here: it proves the engine speaks, and every segment's child
        # then starts from the same state.
        speak(_WARM_UP_TEXT, warm_up)
        _check_clip(Path(warm_up), _WARM_UP_TEXT, settings.rate)
    except Exception as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", voice))
    while True:
        try:
            message = conn.recv()
        except EOFError:  # parent went away
            return
        if message[0] == "stop":
            return
        _, text, path, timeout = message  # the time it may take grows with the text (judge)
        problem = _speak_in_child(speak, text, path, timeout)
        conn.send(("done", path) if problem is None else ("failed", problem))


# ---------------------------------------------------------------- parent side


class _WorkerLost(Exception):
    """The worker timed out, died or reported an error; it must be replaced."""


class Synthesiser:
    """One worker process and engine, reused for every segment (and article) given.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        settings: VoiceSettings | None = None,
        *,
        timeout: float = 30.0,
        attempts: int = 3,
        startup_timeout: float = 60.0,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.settings = settings or VoiceSettings()
        self.timeout = timeout
        self.attempts = attempts
        self.startup_timeout = startup_timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="publish-tts-")
        self._dir = Path(self._tmp.name)
        self._log = self._dir / "espeak.log"
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._voice: str | None = None
        self._serial = 0
        self.synthesised = 0  # segments the engine spoke (not taken from a cache)
        self.owner = os.getpid()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def voice(self) -> str:
        """The espeak voice id in use (starts the worker if needed)."""
        self._ensure_worker()
        assert self._voice is not None
        return self._voice

    def _log_tail(self) -> str:
        try:
            lines = (
                self._log.read_text(encoding="utf-8", errors="replace")
                .strip()
                .splitlines()
            )
        except OSError:
            return ""
        return ("; espeak log: " + " | ".join(lines[-3:])) if lines else ""

    def _next_path(self, stem: str) -> Path:
        # A fresh name per attempt so a stale file never passes for a new one.
        self._serial += 1
        return self._dir / f"{stem}-{self._serial}.wav"

    def _ensure_worker(self) -> Connection:
        if self._conn is not None:
            return self._conn
        if multiprocessing.current_process().daemon:
            # multiprocessing would refuse with an assertion; say what to change instead.
            raise SynthesisError(
                "the speech engine needs a child process, which a daemonic process cannot "
                "start (Dask workers: set DASK_DISTRIBUTED__WORKER__DAEMON=False)"
            )
        forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        context: Any = multiprocessing.get_context("fork" if forkable else "spawn")  # typeshed: no Process
        pipe: tuple[Connection, Connection] = context.Pipe()
        parent, child = pipe
        process = context.Process(
            target=_worker,
            args=(
                child,
                self.settings,
                str(self._log),
                str(self._next_path("warm-up")),
            ),
            name="publish-tts",
            daemon=True,
        )
        process.start()
        child.close()  # so recv() sees EOF if the worker dies
        self._process, self._conn = process, parent
        try:
            reply = self._receive(self.startup_timeout)
        except _WorkerLost as exc:
            self._stop_worker(kill=True)
            raise SynthesisError(f"the speech engine did not start: {exc}") from None
        if reply[0] != "ready":
            self._stop_worker(kill=True)
            raise SynthesisError(
                f"the speech engine did not start: {reply[1]}{self._log_tail()}"
            )
        self._voice = str(reply[1])
        return parent

    def _receive(self, timeout: float) -> tuple[Any, ...]:
        assert self._conn is not None
        try:
            if not self._conn.poll(timeout):
                raise _WorkerLost(f"no answer within {timeout:g} s")
            reply: tuple[Any, ...] = self._conn.recv()
        except (EOFError, OSError):
            raise _WorkerLost("the worker process died") from None
        return reply

    def _stop_worker(self, *, kill: bool = False) -> None:
        # kill: the worker hung or failed, so asking it to stop would only wait
        if self._conn is not None:
            if not kill:
                with contextlib.suppress(OSError):
                    self._conn.send(("stop",))
            self._conn.close()
        if self._process is not None:
            if not kill:
                self._process.join(timeout=2)
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5)
        self._process, self._conn = None, None

    def close(self) -> None:
        self._stop_worker()
        self._tmp.cleanup()

    def _attempt(self, text: str, stem: str) -> npt.NDArray[np.float32]:
        conn = self._ensure_worker()
        path = self._next_path(stem)
        timeout = synthesis_timeout(text, self.settings.rate, self.timeout)
        try:
            conn.send(("synth", text, str(path), timeout))
        except OSError:  # the pipe is broken: the worker died since its last segment
            raise _WorkerLost("the worker process died") from None
        # The worker gives up on a segment after `timeout` itself; the margin lets it say so.
        reply = self._receive(timeout + 5.0 if timeout else 0.0)
        if reply[0] == "failed":  # that segment failed, the engine is fine: try again
            raise ValueError(str(reply[1]))
        if reply[0] != "done":
            raise _WorkerLost(str(reply[1]))
        try:
            return _check_clip(path, text, self.settings.rate)
        finally:
            path.unlink(missing_ok=True)

    def synthesise_text(
        self, text: str, label: str = "text"
    ) -> npt.NDArray[np.float32]:
        """Raw 22050 Hz samples of one utterance, none if it says nothing; retries, then
        AttemptsFailed."""
        if not spoken_units(text):
            return np.zeros(0, dtype=np.float32)
        problems: list[str] = []
        for _ in range(self.attempts):
            try:
                samples = self._attempt(text, re.sub(r"[^\w-]", "_", label)[:40])
                # text the engine rightly says nothing for ("∮∯∰", a row of dots) is no speech
                return samples if is_sound(samples) else np.zeros(0, dtype=np.float32)
            except _WorkerLost as exc:
                problems.append(str(exc) + self._log_tail())
                self._stop_worker(kill=True)
            except ValueError as exc:  # bad or missing WAV; the worker itself is fine
                problems.append(str(exc))
        raise AttemptsFailed(
            f"could not synthesise {label!r} ({spoken_units(text)} spoken units) "
            f"after {self.attempts} attempts: " + "; ".join(problems)
        )

    def notice(self) -> npt.NDArray[np.float32]:
        """What is said in place of a segment the engine failed on every time: the notice in
        the voice's language, or silence in a language without one. Speaking it also tells a
        text the engine cannot speak from an engine that speaks nothing: SynthesisError."""
        notice = notice_for(self.settings.language)
        try:
            samples = self.synthesise_text(notice or _WARM_UP_TEXT, "notice")
        except AttemptsFailed as exc:
            raise SynthesisError(f"the speech engine fails on any text: {exc}") from None
        return samples if notice else np.zeros(0, dtype=np.float32)

    def synthesise(
        self, segments: Sequence[SpeechSegment], cache: ClipCache | None = None
    ) -> list[SegmentAudio]:
        """One clip per segment, in order (see ``clips``)."""
        return list(self.clips(segments, cache))

    def clips(
        self, segments: Sequence[SpeechSegment], cache: ClipCache | None = None
    ) -> Iterator[SegmentAudio]:
        """One clip per segment, in order, each as soon as it is ready; with a cache, only
        the segments it lacks are spoken (and the engine starts only if one is). A segment
        the engine fails on every time gets the notice, with its ``problem``, never cached."""
        for segment in segments:
            cached = cache.get(segment.text) if cache is not None else None
            problem = ""
            if cached is not None:
                samples, voice = cached
            else:
                try:
                    samples = self.synthesise_text(segment.text, segment.id)
                except AttemptsFailed as exc:
                    samples, problem = self.notice(), str(exc)
                voice = self.voice
                self.synthesised += 1
                if cache is not None and samples.size and not problem:
                    cache.put(segment.text, samples, voice)
            yield SegmentAudio(
                id=segment.id, samples=samples, sample_rate=SAMPLE_RATE, voice=voice, problem=problem
            )


class ClipCache(Protocol):
    """Clips by text for one voice setting (see formats.audio.cache.SpeechCache)."""

    def get(self, text: str) -> tuple[npt.NDArray[np.float32], str] | None: ...

    def put(self, text: str, samples: npt.NDArray[np.float32], voice: str) -> None: ...


def synthesise(
    segments: Sequence[SpeechSegment],
    settings: VoiceSettings | None = None,
    *,
    timeout: float = 30.0,
    attempts: int = 3,
    cache: ClipCache | None = None,
) -> list[SegmentAudio]:
    """Speak every segment with one worker process; one result per segment, in order."""
    with Synthesiser(settings, timeout=timeout, attempts=attempts) as synthesiser:
        return synthesiser.synthesise(segments, cache)


_shared: dict[VoiceSettings, Synthesiser] = {}
_inherited: list[Synthesiser] = []
_closing_in: int | None = None  # the process that will close the shared synthesisers


def shared(settings: VoiceSettings) -> Synthesiser:
    """A synthesiser kept for the life of this process, one per voice setting.

    A build speaks many articles in each process (a worker takes one after another);
    starting the engine's process once rather than per article saves about half a
    second each. It is closed when the process exits.
    """
    global _closing_in
    inherited = settings in _shared and _shared[settings].owner != os.getpid()
    if settings not in _shared or inherited:
        # One copied by a fork (a pool worker of a build) talks to another process's engine,
        # which that process may be using at the same time: start one of our own. The copy is
        # kept, never collected: its temporary folder's finaliser would delete the original's.
        if inherited:
            _inherited.append(_shared[settings])
        if _closing_in != os.getpid():
            # Run at exit, also by a multiprocessing child (a pool worker), which skips atexit.
            multiprocessing.util.Finalize(None, _close_shared, exitpriority=10)
            _closing_in = os.getpid()
        _shared[settings] = Synthesiser(settings)
    return _shared[settings]


def _close_shared() -> None:
    for synthesiser in _shared.values():
        if synthesiser.owner == os.getpid():
            synthesiser.close()
    _shared.clear()
