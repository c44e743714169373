"""PIN policy, officer accounts and sessions."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- PIN policy ---------------------------------------------------------------------------
    "pin.why.digits": (
        "PIN ini memuat tanda selain angka 0–9.",
        "This PIN holds characters other than the digits 0–9.",
    ),
    "pin.why.length": (
        "PIN ini terlalu pendek atau terlalu panjang.",
        "This PIN is too short or too long.",
    ),
    "pin.why.one_digit": ("PIN ini satu angka yang diulang.", "This PIN is one digit repeated."),
    "pin.why.run": (
        "PIN ini deret angka berurutan (seperti 1234 atau 4321).",
        "This PIN is a straight run (like 1234 or 4321).",
    ),
    "pin.why.repeated": (
        "PIN ini pola yang diulang (seperti 1212 atau 123123).",
        "This PIN repeats a pattern (like 1212 or 123123).",
    ),
    "pin.why.year": (
        "PIN ini seperti tahun (19xx atau 20xx), misalnya tahun lahir.",
        "This PIN looks like a year (19xx or 20xx), such as a birth year.",
    ),
    "pin.why.common": (
        "PIN ini termasuk yang paling sering ditebak.",
        "This PIN is among the most often guessed.",
    ),
    # --- officer accounts and sessions --------------------------------------------------------
    "act.officer_add": ("menambah akun petugas", "add officer accounts"),
    "act.officer_set_pin": ("mengganti PIN petugas", "reset officers' PINs"),
    "act.officer_unlock": ("membuka kunci akun petugas", "unlock officer accounts"),
    "act.officer_disable": ("menonaktifkan akun petugas", "disable officer accounts"),
    "act.officer_enable": ("mengaktifkan akun petugas", "enable officer accounts"),
    "err.denied_officer_target": (
        "{officer} hanya boleh mengelola akun operator, bukan akun {role}.",
        "{officer} may manage only operator accounts, not a {role} account.",
    ),
    "err.session_ended": (
        "Sesi {officer} di loket {counter} sudah berakhir; silakan masuk lagi.",
        "{officer}'s session at counter {counter} has ended; please sign in again.",
    ),
}
