"""What the hall board says when a counter calls a ticket, as Indonesian words."""

from __future__ import annotations

import re

# Letters as Indonesians name them when spelling (so "A-001" is "a nol nol satu", never "ei").
LETTERS: dict[str, str] = {
    "A": "a",
    "B": "be",
    "C": "ce",
    "D": "de",
    "E": "e",
    "F": "ef",
    "G": "ge",
    "H": "ha",
    "I": "i",
    "J": "je",
    "K": "ka",
    "L": "el",
    "M": "em",
    "N": "en",
    "O": "o",
    "P": "pe",
    "Q": "ki",
    "R": "er",
    "S": "es",
    "T": "te",
    "U": "u",
    "V": "ve",
    "W": "we",
    "X": "eks",
    "Y": "ye",
    "Z": "zet",
}
DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")

# ASCII only: `\d` and `[^\W\d_]` would let Arabic-Indic digits or accented letters through.
_TICKET = re.compile(r"([A-Za-z]{1,2})-([0-9]+)")
_DIGIT_RUN = re.compile(r"[0-9]+")
_COUNTER_WORD = "loket"


def spell_letters(text: str) -> str:
    """Spell the ASCII letters of `text` the Indonesian way (`"AB"` → `"a be"`); others skipped."""
    return " ".join(LETTERS[ch] for ch in text.upper() if ch in LETTERS)


def spoken_code(code: str) -> str:
    """A ticket code as it is read aloud: letters by name, then digit by digit.

    Args:
        code: a ticket code, one or two letters, a dash, digits (`A-001`, `AB-010`).

    Returns:
        The words, lower-case: `"A-001"` → `"a nol nol satu"`.

    Raises:
        ValueError: `code` is not one or two letters, a dash and digits.
    """
    match = _TICKET.fullmatch(code)
    if match is None:
        raise ValueError(f"not a ticket code: {code!r}")
    prefix, digits = match.groups()
    return " ".join([spell_letters(prefix), *(DIGITS[int(d)] for d in digits)])


def spoken_counter(counter_code: str, counter_name: str | None = None) -> str:
    """A counter as it is read aloud: "loket" and its number, said as a number.

    Args:
        counter_code: the counter's code; its (last) run of digits is its number (`L03` → 3).
        counter_name: the counter's name, said instead when the code holds no digits.

    Returns:
        `"L03"` → `"loket tiga"`, `"L12"` → `"loket dua belas"`; a code without digits gives
        `"loket "` + the name in lower case (`"loket informasi"`), or the code spelled as letters
        when there is no name.

    Raises:
        ValueError: the code has no digits and neither a name nor a letter to say.
    """
    runs = _DIGIT_RUN.findall(counter_code)
    if runs:
        # Lazy: num2words loads language tables that the rest of the domain never needs.
        from num2words import num2words  # type: ignore[import-untyped]

        number: str = num2words(int(runs[-1]), lang="id")
        return f"{_COUNTER_WORD} {number}"
    name = (counter_name or "").lower().split()
    if name[:1] == [_COUNTER_WORD]:  # "Loket Informasi" is not "loket loket informasi"
        name = name[1:]
    words = " ".join(name) or spell_letters(counter_code)
    if not words:
        raise ValueError(f"nothing to say for counter {counter_code!r}")
    return f"{_COUNTER_WORD} {words}"


def announcement_text(code: str, counter_code: str, counter_name: str | None = None) -> str:
    """The sentence the hall board says (once) when `counter_code` calls ticket `code`.

    Returns:
        For example `"Nomor antrian a nol nol satu, silakan menuju loket tiga"`.

    Raises:
        ValueError: the ticket code is malformed, or the counter has nothing to say.
    """
    return (
        f"Nomor antrian {spoken_code(code)}, "
        f"silakan menuju {spoken_counter(counter_code, counter_name)}"
    )
