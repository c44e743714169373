"""What the hall board says (mpp_tui.domain.announce): exact Indonesian words, no I/O."""

from __future__ import annotations

import pytest

from mpp_tui.domain.announce import DIGITS, LETTERS, announcement_text, spoken_code, spoken_counter
from mpp_tui.domain.rules import format_code


def test_the_call_from_the_domain_notes() -> None:
    """A-001 at L03 is the sentence DOMAIN.md gives, capitalised only at its first word."""
    assert announcement_text("A-001", "L03") == (
        "Nomor antrian a nol nol satu, silakan menuju loket tiga"
    )


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("A-001", "a nol nol satu"),
        ("C-100", "ce satu nol nol"),
        ("B-010", "be nol satu nol"),
        ("D-000", "de nol nol nol"),
        ("E-999", "e sembilan sembilan sembilan"),
        ("F-123", "ef satu dua tiga"),
        ("Q-456", "ki empat lima enam"),
        ("W-078", "we nol tujuh delapan"),
        ("AB-010", "a be nol satu nol"),
        ("XZ-001", "eks zet nol nol satu"),
        ("KY-042", "ka ye nol empat dua"),
        ("a-001", "a nol nol satu"),
        ("A-1234", "a satu dua tiga empat"),
    ],
)
def test_spoken_code(code: str, words: str) -> None:
    """Letters by their Indonesian names, then each digit on its own (never "seratus")."""
    assert spoken_code(code) == words


def test_every_letter_and_digit_has_its_indonesian_name() -> None:
    """All 26 letters and 10 digits are named as the brief lists them."""
    assert "".join(LETTERS) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    assert " ".join(LETTERS.values()) == (
        "a be ce de e ef ge ha i je ka el em en o pe ki er es te u ve we eks ye zet"
    )
    assert DIGITS == (
        "nol",
        "satu",
        "dua",
        "tiga",
        "empat",
        "lima",
        "enam",
        "tujuh",
        "delapan",
        "sembilan",
    )


def test_codes_made_by_the_queue_are_all_speakable() -> None:
    """Whatever format_code produces for a day's numbers can be announced."""
    for number in (1, 9, 10, 99, 100, 999):
        assert spoken_code(format_code("A", number)).startswith("a ")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "A",
        "A-",
        "-001",
        "A001",
        "A 001",
        "ABC-001",
        "A-00a",
        "A--001",
        " A-001",
        "A-001 ",
        "A-001\n",
        "1-001",
        "Ä-001",
        "A-٣",
        "A_001",
    ],
)
def test_bad_codes_are_rejected(code: str) -> None:
    """Only one or two ASCII letters, a dash and ASCII digits make a ticket code."""
    with pytest.raises(ValueError, match="not a ticket code"):
        spoken_code(code)
    with pytest.raises(ValueError, match="not a ticket code"):
        announcement_text(code, "L03")


@pytest.mark.parametrize(
    ("counter", "words"),
    [
        ("L01", "loket satu"),
        ("L03", "loket tiga"),
        ("L09", "loket sembilan"),
        ("L10", "loket sepuluh"),
        ("L11", "loket sebelas"),
        ("L12", "loket dua belas"),
        ("L18", "loket delapan belas"),
        ("L20", "loket dua puluh"),
        ("L21", "loket dua puluh satu"),
        ("L60", "loket enam puluh"),
        ("L100", "loket seratus"),
        ("7", "loket tujuh"),
    ],
)
def test_counter_numbers_are_said_as_numbers(counter: str, words: str) -> None:
    """The counter's number is read as a number (sebelas, dua belas), not digit by digit."""
    assert spoken_counter(counter) == words
    assert spoken_counter(counter, "Disdukcapil") == words  # the number wins over the name


def test_a_counter_without_digits_is_said_by_name() -> None:
    """No number: "loket" + the name in lower case; no name: the code spelled letter by letter."""
    assert spoken_counter("INFO", "Informasi") == "loket informasi"
    assert spoken_counter("INFO", "  Layanan   Informasi ") == "loket layanan informasi"
    assert spoken_counter("INFO", "Loket Informasi") == "loket informasi"
    assert spoken_counter("INFO") == "loket i en ef o"
    assert spoken_counter("INFO", "") == "loket i en ef o"
    assert announcement_text("B-012", "INFO", "Informasi") == (
        "Nomor antrian be nol satu dua, silakan menuju loket informasi"
    )


def test_a_counter_with_nothing_to_say_is_rejected() -> None:
    """A code with neither digits nor letters, and no name, cannot be announced."""
    with pytest.raises(ValueError, match="nothing to say"):
        spoken_counter("--")


def test_full_sentences() -> None:
    """Two-letter prefixes and two-digit counters in the whole sentence."""
    assert announcement_text("AB-010", "L12") == (
        "Nomor antrian a be nol satu nol, silakan menuju loket dua belas"
    )
    assert announcement_text("C-100", "L20", "Samsat") == (
        "Nomor antrian ce satu nol nol, silakan menuju loket dua puluh"
    )
