"""The hall board's voice (mpp_tui.devices.voice) with the real espeak-ng and stand-in commands.

Stand-ins are small Python scripts run through `sys.executable`: a speech engine that writes a
known WAV and logs the text it was given, and a player that logs when it ran and can be held
until the test releases it, so "returns at once" and "never overlaps" are shown without timing.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shlex
import shutil
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from mpp_tui.devices.voice import (
    CHIME_SECONDS,
    GAP_AFTER_CHIME,
    PAUSE_BETWEEN,
    TAIL,
    Announcer,
    VoiceUnavailable,
    chime_frames,
    say_once,
)

ESPEAK = shutil.which("espeak-ng")
PYTHON = Path(sys.executable).name  # the stand-ins' program, as messages name it
pytestmark = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")

A001_L03 = "Nomor antrian a nol nol satu, silakan menuju loket tiga"
B012_L10 = "Nomor antrian be nol satu dua, silakan menuju loket sepuluh"
WAIT = 60.0  # generous upper bound for wait_idle; normally done in well under a second

FAKE_ENGINE = r"""
import argparse, json, math, struct, sys, wave
p = argparse.ArgumentParser()
p.add_argument("--wav", required=True)
p.add_argument("--text")
p.add_argument("--log", required=True)
p.add_argument("--fail-on", default="")
p.add_argument("--garbage-on", default="")
a = p.parse_args()
text = sys.stdin.read() if a.text is None else a.text
with open(a.log, "a", encoding="utf-8") as log:
    log.write(json.dumps({"argv": sys.argv[1:], "text": text}) + "\n")
if a.fail_on and a.fail_on in text:
    sys.exit("no voice for this text")  # exit status 1, message on stderr
if a.garbage_on and a.garbage_on in text:
    open(a.wav, "wb").write(b"not a wave file")
    sys.exit(0)
rate = 16000
frames = b"".join(
    struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(rate // 2)
)
with wave.open(a.wav, "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(rate); out.writeframes(frames)
"""

# Logs start/end (monotonic, system-wide on Linux) and a copy of what it was asked to play;
# with --gate it holds "playback" until that file exists.
FAKE_PLAYER = r"""
import json, os, shutil, sys, time
args = sys.argv[1:]
log, wav = args[args.index("--log") + 1], args[-1]
gate = args[args.index("--gate") + 1] if "--gate" in args else None
started = time.monotonic()
with open(log, "a", encoding="utf-8") as f:
    f.write(json.dumps({"event": "start", "wav": wav, "at": started}) + "\n")
n = sum(1 for line in open(log, encoding="utf-8") if '"start"' in line)
shutil.copy(wav, os.path.join(os.path.dirname(log), f"played-{n}.wav"))
deadline = started + 30
while gate and not os.path.exists(gate) and time.monotonic() < deadline:
    time.sleep(0.005)
time.sleep(0.05)  # a sound takes time to play
with open(log, "a", encoding="utf-8") as f:
    f.write(json.dumps({"event": "end", "wav": wav, "at": time.monotonic()}) + "\n")
"""


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """A folder with the stand-in engine and player scripts."""
    folder = tmp_path / "tools"
    folder.mkdir()
    (folder / "engine.py").write_text(FAKE_ENGINE, encoding="utf-8")
    (folder / "player.py").write_text(FAKE_PLAYER, encoding="utf-8")
    return folder


def engine_command(tools: Path, *extra: str, text_arg: bool = True) -> str:
    """Template running the stand-in engine; without `text_arg` the text goes to stdin."""
    base = [sys.executable, str(tools / "engine.py"), "--log", str(tools / "engine.log"), *extra]
    return shlex.join(base) + " --wav {wav}" + (" --text {text}" if text_arg else "")


def player_command(tools: Path, *, gate: Path | None = None) -> str:
    """Template running the stand-in player (held until `gate` exists, if given)."""
    base = [sys.executable, str(tools / "player.py"), "--log", str(tools / "player.log")]
    if gate is not None:
        base += ["--gate", str(gate)]
    return shlex.join(base) + " {wav}"


def engine_calls(tools: Path) -> list[dict[str, object]]:
    """What the stand-in engine was called with, in order."""
    lines = (tools / "engine.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def player_events(tools: Path) -> list[tuple[str, float]]:
    """(start|end, monotonic time) of the stand-in player, in the order they happened."""
    lines = (tools / "player.log").read_text(encoding="utf-8").splitlines()
    return [(e["event"], e["at"]) for e in map(json.loads, lines)]


def wav_facts(path: Path) -> tuple[int, int, int, int]:
    """(channels, sample width in bytes, rate, frame count) of a WAV file."""
    with wave.open(str(path), "rb") as w:
        return w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()


def wav_frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


def espeak_seconds(text: str, tmp_path: Path) -> float:
    """Length of one plain espeak-ng reading of `text`."""
    assert ESPEAK is not None
    single = tmp_path / "single.wav"
    subprocess.run([ESPEAK, "-v", "id", "-w", str(single), text], check=True, timeout=30)
    _, _, rate, frames = wav_facts(single)
    return frames / rate


def expected_frames(speech_frames: int, rate: int) -> int:
    """Frames of chime + gap + speech + pause + speech + tail."""
    silences = sum(round(s * rate) for s in (CHIME_SECONDS, GAP_AFTER_CHIME, PAUSE_BETWEEN, TAIL))
    return silences + 2 * speech_frames


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "voice-out"


@pytest.fixture
def announcer(out_dir: Path) -> Iterator[Announcer]:
    """An announcer with espeak-ng writing into `out_dir`."""
    with Announcer(out_dir=out_dir) as voice:
        yield voice


# --- the chime --------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [16000, 22050, 44100])
def test_chime_is_soft_and_fades_in_and_out(rate: int) -> None:
    """The chime is CHIME_SECONDS of 16-bit audio at the given rate, quiet at both ends."""
    frames = chime_frames(rate)
    samples = memoryview(frames).cast("h")
    assert len(samples) == round(CHIME_SECONDS * rate)
    peak = max(abs(s) for s in samples)
    assert peak == round(0.3 * 32767)  # soft: well under full scale
    assert abs(samples[0]) < 50  # fades in: no click at the start
    assert abs(samples[-1]) < 50  # and ends at zero
    # Two tones: sound in the first and in the second half.
    half = len(samples) // 2
    assert max(abs(s) for s in samples[:half]) > peak // 2
    assert max(abs(s) for s in samples[half:]) > peak // 8


# --- announcing with espeak-ng ------------------------------------------------------------------


def test_two_calls_become_two_files_in_order(
    announcer: Announcer, out_dir: Path, tmp_path: Path
) -> None:
    """Two quick calls give 0001 then 0002, each with its exact text and the speech said twice."""
    assert announcer.available
    assert announcer.problem is None
    assert announcer.say("A-001", "L03")
    assert announcer.say("B-012", "L10")
    assert announcer.wait_idle(WAIT)

    assert sorted(p.name for p in out_dir.iterdir()) == [
        "0001-A-001-L03.txt",
        "0001-A-001-L03.wav",
        "0002-B-012-L10.txt",
        "0002-B-012-L10.wav",
    ]
    for stem, text in [("0001-A-001-L03", A001_L03), ("0002-B-012-L10", B012_L10)]:
        assert (out_dir / f"{stem}.txt").read_text(encoding="utf-8") == text
        channels, width, rate, frames = wav_facts(out_dir / f"{stem}.wav")
        assert (channels, width, rate) == (1, 2, 22050)  # espeak-ng's own format
        seconds = frames / rate
        single = espeak_seconds(text, tmp_path)
        assert single > 2  # sanity: a real sentence was synthesised
        assert seconds > CHIME_SECONDS + 1
        # Said twice: as long as chime + gap + 2 readings + pause + tail.
        assert seconds == pytest.approx(
            CHIME_SECONDS + GAP_AFTER_CHIME + 2 * single + PAUSE_BETWEEN + TAIL, abs=0.01
        )
        # And it opens with the chime.
        assert wav_frames(out_dir / f"{stem}.wav").startswith(chime_frames(rate))
    assert [s.text for s in announcer.spoken] == [A001_L03, B012_L10]
    assert [s.path for s in announcer.spoken] == [
        out_dir / "0001-A-001-L03.wav",
        out_dir / "0002-B-012-L10.wav",
    ]
    assert all(s.error is None for s in announcer.spoken)


def test_numbering_continues_after_a_restart(out_dir: Path) -> None:
    """A new announcer on the same folder carries on from the highest number there."""
    with Announcer(out_dir=out_dir) as first:
        first.say("A-001", "L03")
        assert first.wait_idle(WAIT)
    with Announcer(out_dir=out_dir) as second:
        second.say("A-002", "L03")
        assert second.wait_idle(WAIT)
    assert sorted(p.name for p in out_dir.glob("*.wav")) == [
        "0001-A-001-L03.wav",
        "0002-A-002-L03.wav",
    ]


def test_a_bad_ticket_code_is_not_queued(
    announcer: Announcer, out_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """say() refuses a malformed code without raising (the board keeps running) and logs it."""
    with caplog.at_level(logging.WARNING, logger="mpp_tui.voice"):
        assert not announcer.say("A001", "L03")
    assert announcer.wait_idle(WAIT)
    assert list(out_dir.iterdir()) == []
    assert "not a ticket code" in caplog.text


# --- order and overlap, through a player --------------------------------------------------------


def test_calls_queue_and_never_overlap(tools: Path, tmp_path: Path) -> None:
    """say() returns while a call is still playing; the next starts only after it ended."""
    gate = tmp_path / "gate"
    with Announcer(voice_player=player_command(tools, gate=gate)) as voice:
        assert voice.available, voice.problem
        assert voice.say("A-001", "L03")
        assert voice.say("AB-010", "L12")
        assert voice.say("C-100", "L20")
        # The player is held: nothing can have finished, yet every say() has returned.
        assert not voice.wait_idle(0)
        assert voice.spoken == ()
        gate.touch()
        assert voice.wait_idle(WAIT)
        spoken = voice.spoken

    assert [s.text for s in spoken] == [
        A001_L03,
        "Nomor antrian a be nol satu nol, silakan menuju loket dua belas",
        "Nomor antrian ce satu nol nol, silakan menuju loket dua puluh",
    ]
    assert all(s.error is None and s.path is None for s in spoken)
    for before, after in itertools.pairwise(spoken):
        assert before.started < before.ended <= after.started
    # The player itself ran three times, one after the other.
    events = player_events(tools)
    assert [e for e, _ in events] == ["start", "end"] * 3
    times = [at for _, at in events]
    assert times == sorted(times)
    # It was given the whole announcement: chime first, then espeak-ng's speech twice.
    _, _, rate, frames = wav_facts(tools / "played-1.wav")
    assert rate == 22050
    assert frames / rate > CHIME_SECONDS + 1
    assert wav_frames(tools / "played-1.wav").startswith(chime_frames(22050))


def test_the_default_player_is_found_on_path(
    tools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without voice_player, the first of aplay/paplay/pw-play on PATH plays the WAV."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aplay = bin_dir / "aplay"
    aplay.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(tools / 'aplay.log')!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    aplay.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with Announcer() as voice:
        assert voice.available, voice.problem
        voice.say("A-001", "L03")
        assert voice.wait_idle(WAIT)
        assert voice.spoken[0].error is None
    argv = json.loads((tools / "aplay.log").read_text(encoding="utf-8"))
    assert argv[0] == "-q"
    assert argv[1].endswith(".wav")
    assert not Path(argv[1]).exists()  # the temporary files are gone after close()


class _Started(logging.Handler):
    """Sets `seen` when the voice logs that it started `program` (it logs under the lock that
    close() takes, so after `seen` close() is sure to find that process running)."""

    def __init__(self, program: str) -> None:
        super().__init__(logging.DEBUG)
        self.program = program
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(f"started {self.program} "):
            self.seen.set()


def test_close_cuts_off_the_call_in_progress_and_drops_the_rest(
    tools: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """close() ends a playing call, drops queued ones, and say() afterwards does nothing."""
    gate = tmp_path / "gate"  # never opened: the player would hold for 30 s
    started = _Started(PYTHON)
    logger = logging.getLogger("mpp_tui.voice")
    logger.addHandler(started)
    try:
        with caplog.at_level(logging.DEBUG, logger="mpp_tui.voice"):
            voice = Announcer(voice_player=player_command(tools, gate=gate))
            voice.say("A-001", "L03")
            voice.say("A-002", "L03")
            assert started.seen.wait(WAIT)  # the player is running the first call
            # Within 10 s although the player would hold for 30: it was ended, not awaited.
            assert voice.close(timeout=10)
    finally:
        logger.removeHandler(started)
    assert voice.wait_idle(0)
    assert [s.error for s in voice.spoken] == ["stopped", "dropped"]
    assert not voice.say("A-003", "L03")
    events = [e for e, _ in player_events(tools)] if (tools / "player.log").exists() else []
    assert events in ([], ["start"])  # cut off (possibly before it even logged): never ended


# --- when it cannot speak -----------------------------------------------------------------------


def test_a_missing_engine_turns_the_voice_off(out_dir: Path) -> None:
    """A voice_command naming no installed program: unavailable, a clear reason, say() a no-op."""
    voice = Announcer("no-such-tts-engine -w {wav} {text}", out_dir=out_dir)
    assert not voice.available
    assert voice.problem == "no-such-tts-engine tidak terpasang; papan berjalan tanpa suara"
    assert not voice.say("A-001", "L03")
    assert voice.wait_idle(0)
    assert voice.spoken == ()
    assert not out_dir.exists()
    assert voice.close()
    english = Announcer("no-such-tts-engine -w {wav} {text}", out_dir=out_dir, lang="en")
    assert english.problem == "no-such-tts-engine is not installed; the board runs without voice"


def test_no_player_and_no_out_dir_turns_the_voice_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """espeak-ng alone on PATH, no player and no output folder: unavailable, and why."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    assert ESPEAK is not None
    (bin_dir / "espeak-ng").symlink_to(ESPEAK)
    monkeypatch.setenv("PATH", str(bin_dir))
    voice = Announcer()
    assert not voice.available
    assert voice.problem == (
        "Tidak ada pemutar suara (aplay, paplay, pw-play); papan berjalan tanpa suara"
    )
    assert not voice.say("A-001", "L03")
    # With an output folder no player is needed.
    assert Announcer(out_dir=tmp_path / "out").available


def test_a_missing_named_player_turns_the_voice_off() -> None:
    """A voice_player naming no installed program is reported by name."""
    voice = Announcer(voice_player="no-such-player {wav}", lang="en")
    assert not voice.available
    assert voice.problem == "no-such-player is not installed; the board runs without voice"


@pytest.mark.parametrize("template", ["espeak-ng -v id {text}", "", "espeak-ng 'unclosed {wav}"])
def test_a_malformed_voice_command_turns_the_voice_off(template: str, out_dir: Path) -> None:
    """A template that is empty, cannot be split, or has no {wav} is reported as a bad setting."""
    voice = Announcer(template, out_dir=out_dir, lang="en")
    assert not voice.available
    assert voice.problem is not None
    assert voice.problem.startswith("Setting voice_command is invalid")
    assert "{wav}" in voice.problem


# --- failures during one call -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "error"),
    [
        ("--fail-on", f"{PYTHON} failed (exit code 1): no voice for this text"),
        ("--garbage-on", f"{PYTHON} did not write a 16-bit mono WAV file"),
    ],
)
def test_a_failed_call_does_not_stop_the_next(
    flag: str, error: str, tools: Path, out_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The engine fails on one call: it is logged, and the following call is still made."""
    command = engine_command(tools, flag, "be nol")
    with (
        caplog.at_level(logging.ERROR, logger="mpp_tui.voice"),
        Announcer(command, out_dir=out_dir) as voice,
    ):
        assert voice.say("B-001", "L03")
        assert voice.say("A-001", "L03")
        assert voice.wait_idle(WAIT)
        spoken = voice.spoken
    assert [s.error for s in spoken] == [error, None]
    assert spoken[1].path == out_dir / "0001-A-001-L03.wav"
    assert sorted(p.name for p in out_dir.iterdir()) == ["0001-A-001-L03.txt", "0001-A-001-L03.wav"]
    failures = [r for r in caplog.records if r.name == "mpp_tui.voice"]
    assert len(failures) == 1
    assert failures[0].levelno == logging.ERROR
    assert error in failures[0].getMessage()


# --- a custom speech engine ---------------------------------------------------------------------


@pytest.mark.parametrize("text_arg", [True, False], ids=["text-argument", "text-on-stdin"])
def test_a_custom_voice_command_is_used(text_arg: bool, tools: Path, out_dir: Path) -> None:
    """{text} and {wav} are filled into the template's own tokens (no shell), or the text goes
    to stdin when the template has no {text}; the chime follows the engine's sample rate."""
    command = engine_command(tools, text_arg=text_arg)
    with Announcer(command, out_dir=out_dir) as voice:
        assert voice.available, voice.problem
        voice.say("A-001", "L03")
        assert voice.wait_idle(WAIT)
    (call,) = engine_calls(tools)
    assert call["text"] == A001_L03
    argv = call["argv"]
    assert isinstance(argv, list)
    if text_arg:
        assert argv[-2:] == ["--text", A001_L03]  # one argument, spaces and comma intact
    wav = argv[argv.index("--wav") + 1]
    assert wav.endswith(".wav")
    assert "{" not in wav
    path = out_dir / "0001-A-001-L03.wav"
    channels, width, rate, frames = wav_facts(path)
    assert (channels, width, rate) == (1, 2, 16000)
    assert frames == expected_frames(8000, 16000)  # the stand-in says 0.5 s, twice
    assert wav_frames(path).startswith(chime_frames(16000))


def test_placeholders_in_the_text_are_not_filled_again(tools: Path, out_dir: Path) -> None:
    """A counter name holding "{wav}" reaches the engine as written (templates fill in one pass)."""
    with Announcer(engine_command(tools), out_dir=out_dir) as voice:
        voice.say("A-001", "INFO", "Info {wav}")
        assert voice.wait_idle(WAIT)
        assert voice.spoken[0].error is None
    (call,) = engine_calls(tools)
    assert call["text"] == "Nomor antrian a nol nol satu, silakan menuju loket info {wav}"


# --- say_once -----------------------------------------------------------------------------------


def test_say_once_writes_the_wav(out_dir: Path, tmp_path: Path) -> None:
    """The speaker test writes one announcement and returns its path; the next gets 0002."""
    first = say_once("A-001", "L03", out_dir=out_dir)
    assert first == out_dir / "0001-A-001-L03.wav"
    assert (out_dir / "0001-A-001-L03.txt").read_text(encoding="utf-8") == A001_L03
    channels, width, rate, frames = wav_facts(first)
    assert (channels, width, rate) == (1, 2, 22050)
    assert frames / rate == pytest.approx(
        CHIME_SECONDS
        + GAP_AFTER_CHIME
        + 2 * espeak_seconds(A001_L03, tmp_path)
        + PAUSE_BETWEEN
        + TAIL,
        abs=0.01,
    )
    second = say_once("C-002", "INFO", "Informasi", out_dir=out_dir)
    assert second == out_dir / "0002-C-002-INFO.wav"
    assert (out_dir / "0002-C-002-INFO.txt").read_text(encoding="utf-8") == (
        "Nomor antrian ce nol nol dua, silakan menuju loket informasi"
    )


def test_say_once_plays_through_the_player(tools: Path) -> None:
    """Without an output folder say_once plays the WAV and returns None when it has ended."""
    assert say_once("A-001", "L03", voice_player=player_command(tools)) is None
    assert [e for e, _ in player_events(tools)] == ["start", "end"]


def test_say_once_says_why_it_cannot_speak(out_dir: Path, tools: Path) -> None:
    """A missing engine or a failing command raises VoiceUnavailable with a readable reason."""
    with pytest.raises(VoiceUnavailable) as missing:
        say_once("A-001", "L03", voice_command="no-such-tts-engine {wav} {text}", out_dir=out_dir)
    assert missing.value.message() == (
        "no-such-tts-engine tidak terpasang; papan berjalan tanpa suara"
    )
    assert missing.value.title("en") == "Voice"
    with pytest.raises(VoiceUnavailable) as failed:
        say_once(
            "A-001", "L03", voice_command=engine_command(tools, "--fail-on", "a"), out_dir=out_dir
        )
    assert failed.value.message("en") == (f"{PYTHON} failed (exit code 1): no voice for this text")
    with pytest.raises(ValueError, match="not a ticket code"):
        say_once("A001", "L03", out_dir=out_dir)
    assert list(out_dir.iterdir()) == []
