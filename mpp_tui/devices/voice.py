"""The hall board's voice: a chime, then the call said twice, one announcement at a time.

Speech comes from an external engine (espeak-ng by default) that writes a WAV file; this module
adds a chime made in code, joins chime + speech + pause + speech into one WAV, and plays it (or,
with an output folder, writes it there with a text sidecar, which is how tests and
`mpp board --voice-out DIR` check what was said). Commands run from argument lists, never a shell.
"""

from __future__ import annotations

import logging
import math
import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mpp_tui.domain.announce import announcement_text
from mpp_tui.domain.errors import MppError
from mpp_tui.i18n import DEFAULT_LANG

log = logging.getLogger("mpp_tui.voice")

DEFAULT_COMMAND = "espeak-ng -v id -w {wav} {text}"
DEFAULT_PLAYERS = ("aplay -q {wav}", "paplay {wav}", "pw-play {wav}")
SYNTH_TIMEOUT = 30.0
PLAY_MARGIN = 15.0
"""Seconds a player may run beyond the sound's own length before it counts as stuck."""

CHIME_SECONDS = 1.2
GAP_AFTER_CHIME = 0.3
PAUSE_BETWEEN = 0.8
TAIL = 0.2
"""Silence after the second reading, so players that cut the last buffer short lose nothing."""

# (frequency in Hz, start in s, length in s): E5 then C5, the two-note "ding-dong" of halls.
_CHIME_NOTES = ((659.25, 0.0, 0.6), (523.25, 0.45, 0.75))
_CHIME_LEVEL = 0.3  # peak, as a share of full scale: soft next to espeak-ng's speech
_ATTACK = 0.012  # seconds; a sine started at full level clicks
_RELEASE = 0.05  # seconds of fade to exact zero at the end of each note
_NUMBERED = re.compile(r"(\d{4,})-")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_PLACEHOLDER = re.compile(r"\{(text|wav)\}")


class VoiceUnavailable(MppError):
    """The voice cannot speak: engine or player missing, a bad setting, or a failed command."""

    title_key = "voice.title"


class _Stopped(Exception):
    """The announcer was closed while an announcement was in progress."""


@dataclass(frozen=True)
class Spoken:
    """One announcement the worker took from the queue.

    Attributes:
        text: the sentence said (twice).
        started: `time.monotonic()` when the worker began it.
        ended: `time.monotonic()` when playing or writing finished (or failed).
        path: the WAV written to the output folder; None when played or failed.
        error: why it was not said: the reason in English (as logged), "stopped" when close()
            cut it off, "dropped" when close() came first; None when it was said.
    """

    text: str
    started: float
    ended: float
    path: Path | None
    error: str | None


@dataclass(frozen=True)
class _Command:
    """A command template split into tokens, its program resolved on PATH."""

    name: str
    argv: tuple[str, ...]

    def fill(self, **values: str) -> list[str]:
        # One pass, so a "{wav}" inside the text (a counter's name) is never filled in again.
        def value(match: re.Match[str]) -> str:
            return values.get(match.group(1), match.group(0))

        return [_PLACEHOLDER.sub(value, arg) for arg in self.argv]

    def takes(self, key: str) -> bool:
        return any("{" + key + "}" in arg for arg in self.argv[1:])


@dataclass(frozen=True)
class _Setup:
    engine: _Command
    player: _Command | None
    out_dir: Path | None


def _command(template: str, setting: str) -> _Command:
    try:
        tokens = shlex.split(template)
    except ValueError:
        tokens = []
    if not tokens or not any("{wav}" in token for token in tokens[1:]):
        raise VoiceUnavailable(
            "voice.bad_command", setting=setting, command=template, placeholder="{wav}"
        )
    program = shutil.which(tokens[0])
    if program is None:
        raise VoiceUnavailable("voice.not_installed", program=tokens[0])
    return _Command(Path(tokens[0]).name, (program, *tokens[1:]))


def _resolve(voice_command: str | None, voice_player: str | None, out_dir: Path | None) -> _Setup:
    """Check the settings against this PC; raises VoiceUnavailable with the reason."""
    engine = _command(DEFAULT_COMMAND if voice_command is None else voice_command, "voice_command")
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise VoiceUnavailable("voice.bad_out_dir", path=str(out_dir)) from None
        if not os.access(out_dir, os.W_OK):
            raise VoiceUnavailable("voice.bad_out_dir", path=str(out_dir))
        return _Setup(engine, None, out_dir)
    if voice_player is not None:
        return _Setup(engine, _command(voice_player, "voice_player"), None)
    for template in DEFAULT_PLAYERS:
        if shutil.which(template.split()[0]):
            return _Setup(engine, _command(template, "voice_player"), None)
    players = ", ".join(template.split()[0] for template in DEFAULT_PLAYERS)
    raise VoiceUnavailable("voice.no_player", players=players)


def _pcm(samples: array[int]) -> bytes:
    if sys.byteorder == "big":  # WAV is little-endian
        samples.byteswap()
    return samples.tobytes()


@lru_cache(maxsize=4)
def chime_frames(rate: int) -> bytes:
    """The chime as 16-bit mono little-endian PCM frames at `rate` Hz (`CHIME_SECONDS` long).

    Two soft bell-like tones (a sine with a quiet octave), each with a short fade-in, an
    exponential decay and a fade to zero, so nothing clicks.
    """
    total = round(CHIME_SECONDS * rate)
    mix = [0.0] * total
    for freq, start, length in _CHIME_NOTES:
        first = round(start * rate)
        for i in range(min(round(length * rate), total - first)):
            t = i / rate
            envelope = (
                min(1.0, t / _ATTACK)
                * math.exp(-3.0 * t / length)
                * min(1.0, (length - t) / _RELEASE)
            )
            phase = 2 * math.pi * freq * t
            mix[first + i] += envelope * (math.sin(phase) + 0.2 * math.sin(2 * phase))
    scale = _CHIME_LEVEL * 32767 / (max(abs(v) for v in mix) or 1.0)
    return _pcm(array("h", (round(v * scale) for v in mix)))


def _silence(seconds: float, rate: int) -> bytes:
    return bytes(2 * round(seconds * rate))


def _next_number(out_dir: Path) -> int:
    """One past the highest `NNNN-` file in `out_dir`, so a restart never overwrites a file."""
    numbers = [
        int(m.group(1)) for p in out_dir.iterdir() if (m := _NUMBERED.match(p.name)) is not None
    ]
    return max(numbers, default=0) + 1


class _Speaker:
    """Says one announcement at a time: synthesise, join with the chime, play or write."""

    def __init__(self, setup: _Setup, workdir: Path) -> None:
        self._setup = setup
        self._workdir = workdir
        self._number = _next_number(setup.out_dir) if setup.out_dir is not None else 0
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._stopping = False

    def speak(self, text: str, code: str, counter_code: str) -> Path | None:
        """Say `text` (chime, twice); returns the WAV written to the output folder, if any.

        Raises:
            VoiceUnavailable: a command failed, timed out or wrote no usable WAV.
        """
        engine = self._setup.engine
        speech = self._workdir / "speech.wav"
        speech.unlink(missing_ok=True)  # a stale file must not pass for this text's speech
        stdin = None if engine.takes("text") else text
        self._run(engine, engine.fill(text=text, wav=str(speech)), stdin, SYNTH_TIMEOUT)
        rate, frames = self._read_speech(speech)
        joined = b"".join(
            [
                chime_frames(rate),
                _silence(GAP_AFTER_CHIME, rate),
                frames,
                _silence(PAUSE_BETWEEN, rate),
                frames,
                _silence(TAIL, rate),
            ]
        )
        if self._setup.out_dir is not None:
            return self._write(joined, rate, text, code, counter_code, self._setup.out_dir)
        player = self._setup.player
        assert player is not None  # _resolve gives a player whenever there is no out_dir
        sound = self._workdir / "announcement.wav"
        self._write_wav(sound, joined, rate)
        seconds = len(joined) / 2 / rate
        self._run(player, player.fill(wav=str(sound), text=text), None, seconds + PLAY_MARGIN)
        return None

    def stop(self) -> None:
        """Refuse further commands and end the one running (a player mid-sentence)."""
        with self._lock:
            self._stopping = True
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()

    def _run(self, command: _Command, args: list[str], stdin: str | None, timeout: float) -> None:
        with self._lock:
            if self._stopping:
                raise _Stopped
            try:
                process = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                )
            except OSError as exc:
                raise VoiceUnavailable(
                    "voice.cannot_run", program=command.name, detail=exc.strerror or str(exc)
                ) from None
            self._process = process
            # Logged under the lock, so whoever reads it knows stop() will find this process.
            log.debug("started %s (pid %d)", command.name, process.pid)
        try:
            _, err = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise VoiceUnavailable(
                "voice.command_timeout", program=command.name, seconds=round(timeout)
            ) from None
        finally:
            with self._lock:
                self._process = None
        if process.returncode != 0:
            if self._stopping:
                raise _Stopped
            lines = [line.strip() for line in err.splitlines() if line.strip()]
            raise VoiceUnavailable(
                "voice.command_failed",
                program=command.name,
                code=process.returncode,
                detail=lines[-1] if lines else "—",
            )

    def _read_speech(self, path: Path) -> tuple[int, bytes]:
        bad = VoiceUnavailable("voice.bad_wav", program=self._setup.engine.name)
        try:
            with wave.open(str(path), "rb") as speech:
                if speech.getsampwidth() != 2 or speech.getnchannels() != 1:
                    raise bad
                rate = speech.getframerate()
                frames = speech.readframes(speech.getnframes())
        except (OSError, EOFError, wave.Error):
            raise bad from None
        if not frames:
            raise bad
        return rate, frames

    @staticmethod
    def _write_wav(path: Path, frames: bytes, rate: int) -> None:
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(frames)

    def _write(
        self, frames: bytes, rate: int, text: str, code: str, counter_code: str, out_dir: Path
    ) -> Path:
        stem = f"{self._number:04d}-{_UNSAFE.sub('_', code)}-{_UNSAFE.sub('_', counter_code)}"
        target = out_dir / f"{stem}.wav"
        partial = out_dir / f".{stem}.wav.part"
        sidecar = out_dir / f"{stem}.txt"
        try:
            sidecar.write_text(text, encoding="utf-8")
            self._write_wav(partial, frames, rate)
            # The WAV appears whole and after its sidecar, for anyone watching the folder.
            partial.replace(target)
        except OSError as exc:
            for leftover in (partial, sidecar):
                leftover.unlink(missing_ok=True)
            raise VoiceUnavailable(
                "voice.cannot_write", path=str(target), detail=exc.strerror or str(exc)
            ) from None
        self._number += 1
        return target


class Announcer:
    """Speaks calls in the background, in order, never two at once.

    Whether it can speak is decided once, at construction: `available` and `problem` say so.

    Args:
        voice_command: speech command template writing a WAV (`{text}` and `{wav}` filled in;
            without `{text}` the text goes to its standard input); None = espeak-ng, voice `id`.
        voice_player: player command template (`{wav}` filled in); None = the first of aplay,
            paplay, pw-play found on PATH. Not used when `out_dir` is set.
        out_dir: write each announcement there as `NNNN-<code>-<counter>.wav` with a `.txt`
            sidecar holding the text, instead of playing it.
        lang: language of `problem`.
    """

    def __init__(
        self,
        voice_command: str | None = None,
        voice_player: str | None = None,
        out_dir: Path | None = None,
        *,
        lang: str = DEFAULT_LANG,
    ) -> None:
        self.available = False
        self.problem: str | None = None
        self._spoken: list[Spoken] = []
        self._pending = 0
        self._closed = False
        self._state = threading.Condition()
        self._queue: queue.Queue[tuple[str, str, str] | None] = queue.Queue()
        self._speaker: _Speaker | None = None
        self._thread: threading.Thread | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        try:
            setup = _resolve(voice_command, voice_player, out_dir)
        except VoiceUnavailable as exc:
            self.problem = exc.message(lang)
            log.info("voice off: %s", exc.message("en"))
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="mpp-voice-")
        self._speaker = _Speaker(setup, Path(self._tmp.name))
        self._thread = threading.Thread(target=self._work, name="mpp-voice", daemon=True)
        self._thread.start()
        self.available = True

    @property
    def spoken(self) -> tuple[Spoken, ...]:
        """Every announcement taken from the queue so far, in order."""
        with self._state:
            return tuple(self._spoken)

    def say(self, code: str, counter_code: str, counter_name: str | None = None) -> bool:
        """Queue the call of ticket `code` to counter `counter_code`; returns at once.

        Returns:
            True if queued; False when the voice is unavailable, closed, or the ticket code is
            malformed (logged: a bad code must not take the board down).
        """
        if not self.available:
            return False
        try:
            text = announcement_text(code, counter_code, counter_name)
        except ValueError as exc:
            log.warning("not announced: %s", exc)
            return False
        with self._state:
            if self._closed:
                return False
            self._pending += 1
            self._queue.put((text, code, counter_code))
        return True

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until every queued announcement is done; False if `timeout` ran out first."""
        with self._state:
            return self._state.wait_for(lambda: self._pending == 0, timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Stop the worker: the announcement in progress is cut off, queued ones are dropped.

        Returns:
            True when the worker has ended (and the temporary files are gone).
        """
        with self._state:
            self._closed = True
            self._queue.put(None)
        if self._speaker is not None:
            self._speaker.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
        if self._tmp is not None:
            self._tmp.cleanup()
        return True

    def __enter__(self) -> Announcer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _work(self) -> None:
        assert self._speaker is not None
        while (item := self._queue.get()) is not None:
            text, code, counter_code = item
            started = time.monotonic()
            path: Path | None = None
            error: str | None = None
            if self._closed:
                error = "dropped"
            else:
                try:
                    path = self._speaker.speak(text, code, counter_code)
                except _Stopped:
                    error = "stopped"
                except VoiceUnavailable as exc:
                    error = exc.message("en")
                    log.error("announcement %r failed: %s", text, error)
                except Exception as exc:  # one bad call must not silence the rest of the day
                    error = repr(exc)
                    log.exception("announcement %r failed", text)
            with self._state:
                self._spoken.append(Spoken(text, started, time.monotonic(), path, error))
                self._pending -= 1
                self._state.notify_all()


def say_once(
    code: str,
    counter_code: str,
    counter_name: str | None = None,
    *,
    voice_command: str | None = None,
    voice_player: str | None = None,
    out_dir: Path | None = None,
) -> Path | None:
    """Say one call now and wait until it is over (the speaker test, `mpp board --say`).

    Args:
        code: ticket code (`A-001`).
        counter_code: counter code (`L03`).
        counter_name: counter name, said when the code has no digits.
        voice_command: as for :class:`Announcer`.
        voice_player: as for :class:`Announcer`.
        out_dir: write the WAV and its sidecar there instead of playing it.

    Returns:
        The WAV written to `out_dir`, or None when it was played.

    Raises:
        ValueError: the ticket code is malformed.
        VoiceUnavailable: it cannot speak; the message says why, in the user's language.
    """
    text = announcement_text(code, counter_code, counter_name)
    setup = _resolve(voice_command, voice_player, out_dir)
    with tempfile.TemporaryDirectory(prefix="mpp-voice-") as tmp:
        return _Speaker(setup, Path(tmp)).speak(text, code, counter_code)
