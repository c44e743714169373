"""Footer labels of key bindings, for every screen."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- footer key labels --------------------------------------------------------------------
    "key.call_next": ("Panggil", "Call next"),
    "key.call_ticket": ("Pilih no.", "Call no."),
    "key.recall": ("Ulang", "Recall"),
    "key.start": ("Mulai", "Start"),
    "key.finish": ("Selesai", "Finish"),
    "key.no_show": ("Tdk hadir", "No-show"),
    "key.transfer": ("Teruskan", "Transfer"),
    "key.return": ("Kembalikan", "Return"),
    "key.pause": ("Jeda", "Pause"),
    "key.resume": ("Lanjut", "Resume"),
    "key.daylog": ("Log", "Log"),
    "key.help": ("Bantuan", "Help"),
    "key.logout": ("Keluar", "Sign out"),
    "key.quit": ("Tutup aplikasi", "Quit app"),
    "key.cancel": ("Batal", "Cancel"),
    "key.confirm": ("Ya", "Yes"),
    "key.close": ("Tutup", "Close"),
    "key.back": ("Kembali", "Back"),
    "key.scope": ("Loket/Saya", "Counter/Mine"),
    "key.export": ("Ekspor CSV", "Export CSV"),
    "key.search": ("Cari", "Search"),
    "key.clear": ("Kosongkan", "Clear"),
    "key.choose": ("Pilih", "Choose"),
    "key.ticket": ("Tiket", "Ticket"),
    "key.pause_counter": ("Jeda loket", "Pause counter"),
    "key.close_counter": ("Tutup loket", "Close counter"),
    "key.history": ("Riwayat", "History"),
}
