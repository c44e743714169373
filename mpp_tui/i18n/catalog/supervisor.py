"""The supervisor screen."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- supervisor screen --------------------------------------------------------------------
    "sup.move.title": (
        "Pindahkan {ticket} ke layanan atau loket lain",
        "Move {ticket} to another service or counter",
    ),
    "sup.pause.title": ("Jeda loket {counter} — alasan", "Pause counter {counter} — reason"),
    "sup.close.question": (
        "Tutup loket {counter}? Sesi {officer} berakhir (keluar paksa).",
        "Close counter {counter}? {officer}'s session ends (forced sign-out).",
    ),
    "sup.already_closed": ("Loket {counter} sudah tutup.", "Counter {counter} is already closed."),
    "sup.done.paused": ("Loket {counter} dijeda.", "Counter {counter} paused."),
    "sup.done.closed": ("Loket {counter} ditutup.", "Counter {counter} closed."),
    "sup.done.ticket": ("Tiket {ticket}: {status}.", "Ticket {ticket}: {status}."),
    "sup.history.counter": ("Loket {counter} hari ini", "Counter {counter} today"),
    "sup.history.empty": ("Belum ada kegiatan hari ini.", "Nothing yet today."),
    "sup.history.keys": ("Esc tutup · ↑↓ gulir", "Esc close · ↑↓ scroll"),
    "sup.ticket.title": ("Tiket {ticket}", "Ticket {ticket}"),
    "sup.ticket.keys": (
        "X batalkan · A aktifkan kembali · M pindahkan · P prioritas · Esc tutup",
        "X cancel · A reactivate · M move · P priority · Esc close",
    ),
    "sup.cancel.question": ("Batalkan tiket {ticket}?", "Cancel ticket {ticket}?"),
    "sup.priority.title": ("Prioritas tiket {ticket}", "Priority of ticket {ticket}"),
    "act.move_ticket": ("memindahkan tiket", "move a ticket"),
    "act.set_priority": ("mengubah prioritas tiket", "change a ticket's priority"),
    "err.move_nothing": (
        "Sebutkan layanan tujuan dan/atau loket tujuan.",
        "Name the service and/or the counter to move it to.",
    ),
    "err.counter_not_serving": (
        "Loket {counter} tidak melayani {service}.",
        "Counter {counter} does not serve {service}.",
    ),
    "col.avg_service": ("Rata² layanan", "Avg service"),
    "col.idle": ("Menganggur", "Idle"),
    "col.avg_wait": ("Rata² tunggu", "Avg wait"),
    "col.over": ("Lewat standar", "Over standard"),
    "col.flags": ("Tanda", "Flags"),
    "flag.crowded": ("ramai", "crowded"),
    "flag.long_wait": ("tunggu lama", "long wait"),
    "word.arrivals": ("Datang", "Arrivals"),
    "word.calls": ("Dipanggil", "Calls"),
}
