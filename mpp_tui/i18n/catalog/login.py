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
    # --- signed out by the hall (the message the sign-in screen comes back with) --------------
    "tui.session.title": ("Sesi berakhir", "Session ended"),
    "tui.session.disabled": (
        "Akun {officer} telah dinonaktifkan; sesi ini diakhiri.",
        "Account {officer} has been disabled; this session has ended.",
    ),
    "tui.session.role_changed": (
        "Peran {officer} diubah dari {old} menjadi {new}; silakan masuk kembali.",
        "{officer}'s role changed from {old} to {new}; please sign in again.",
    ),
    "tui.session.idle": (
        "Tidak ada tombol ditekan selama {minutes} menit; {officer} dikeluarkan dari loket "
        "{counter}.",
        "No key pressed for {minutes} minutes; {officer} was signed out of counter {counter}.",
    ),
    "tui.session.ticket_kept": (
        "Tiket {ticket} tetap di loket {counter}; masuk kembali atau minta supervisor "
        "memindahkannya.",
        "Ticket {ticket} stays at counter {counter}; sign in again or ask a supervisor to move it.",
    ),
}
