"""The sign-in screen."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- sign-in screen -----------------------------------------------------------------------
    "tui.login.title": ("Masuk ke loket", "Sign in at a counter"),
    "tui.login.title_hall": ("{hall} — masuk ke loket", "{hall} — sign in at a counter"),
    "tui.login.counter": ("Loket", "Counter"),
    "tui.login.pick_counter": ("Pilih loket", "Pick a counter"),
    "tui.login.username": ("Nama pengguna", "Username"),
    "tui.login.pin": ("PIN", "PIN"),
    "tui.login.submit": ("Masuk", "Sign in"),
    "tui.login.need_counter": ("Pilih loket terlebih dahulu.", "Pick a counter first."),
    "tui.login.need_username": ("Isi nama pengguna.", "Enter your username."),
    "tui.login.need_pin": ("Isi PIN.", "Enter your PIN."),
    "tui.login.title_supervisor": ("Masuk sebagai supervisor", "Supervisor sign-in"),
    "tui.login.not_supervisor": (
        "{officer} bukan supervisor; layar ini hanya untuk koordinator MPP.",
        "{officer} is not a supervisor; this screen is for the MPP coordinator.",
    ),
}
