"""The hall's call board."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- board --------------------------------------------------------------------------------
    "err.bad_announcement": (
        "'{code} {counter}' tidak dapat diumumkan: tulis nomor tiket lalu kode loket "
        "(contoh: --say A-001 L03).",
        "'{code} {counter}' cannot be announced: give a ticket number, then a counter code "
        "(example: --say A-001 L03).",
    ),
    "board.now_calling": ("NOMOR ANTREAN", "NOW CALLING"),
    "board.new_call": ("▶▶ PANGGILAN BARU ◀◀", "▶▶ NEW CALL ◀◀"),
    "board.recent": ("Panggilan terakhir", "Last calls"),
    "board.serving": ("Sedang dilayani", "Now serving"),
    "board.waiting": ("Menunggu:", "Waiting:"),
    "board.nobody_waiting": ("tidak ada antrean", "nobody"),
    "board.offline": ("⚠ Menyambung kembali…", "⚠ Reconnecting…"),
    "board.no_calls": ("Belum ada panggilan", "No calls yet"),
    "board.again": ("ulang", "again"),
    "board.paused": ("jeda", "break"),
    "board.free": ("siap", "ready"),
    "board.more_counters": ("… dan {n:#} loket lagi", "… and {n:# more counter|# more counters}"),
    "board.said": ("Diumumkan: {text}", "Announced: {text}"),
    "board.saved_to": ("Disimpan ke {path}", "Saved to {path}"),
}
