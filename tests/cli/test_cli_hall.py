"""`mpp board --say` (the speaker test) and the hall commands' refusals: one line, exit 1,
nothing started."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from tests.cli.test_cli import Mpp, ok, refused, run


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    return Mpp(db_url)


def test_say_writes_the_announcement(tmp_path: Path) -> None:
    """`mpp board --say A-001 L03 --voice-out DIR`: the words on the terminal and in a WAV file
    (chime, then the sentence twice) with the spoken text beside it; no database needed."""
    out = tmp_path / "voice"
    result = ok(run("board", "--say", "A-001", "L03", "--voice-out", str(out)))
    sentence = "Nomor antrian a nol nol satu, silakan menuju loket tiga"
    assert sentence in result.stdout
    wavs = sorted(out.glob("*.wav"))
    assert len(wavs) == 1
    assert wavs[0].with_suffix(".txt").read_text(encoding="utf-8") == sentence
    with wave.open(str(wavs[0])) as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getnframes() / wav.getframerate() > 4.0  # chime + the sentence twice


def test_say_two_letter_prefix_and_tens(tmp_path: Path) -> None:
    result = ok(run("board", "--say", "AB-010", "L12", "--voice-out", str(tmp_path)))
    assert "Nomor antrian a be nol satu nol, silakan menuju loket dua belas" in result.stdout


def test_say_refuses_a_bad_code(tmp_path: Path) -> None:
    refused(run("board", "--say", "A001!", "L03", "--voice-out", str(tmp_path)), "--say A-001 L03")
    assert list(tmp_path.iterdir()) == []


def test_say_without_a_speech_engine(tmp_path: Path) -> None:
    refused(
        run(
            "board",
            "--say",
            "A-001",
            "L03",
            "--voice-out",
            str(tmp_path),
            env={"MPP_VOICE_COMMAND": "no-such-speech-engine -w {wav} {text}"},
        ),
        "no-such-speech-engine",
    )


def test_board_refuses_an_unknown_zone_or_agency(mpp: Mpp) -> None:
    refused(mpp("board", "--zone", "Q"), "'Q'", "A, B")
    refused(mpp("board", "--agency", "NOPE"), "NOPE")


def test_kiosk_refuses_a_bad_printer_setting(mpp: Mpp) -> None:
    """A config problem names the setting and the accepted forms (one line per problem)."""
    result = mpp("kiosk", MPP_PRINTER="usb:lp0")
    assert result.exit_code == 1
    assert result.stdout == ""
    problem = [ln for ln in result.stderr.splitlines() if "usb:lp0" in ln]
    assert len(problem) == 1
    assert "MPP_PRINTER" in problem[0]
    assert "tcp:HOST[:PORT]" in problem[0]
