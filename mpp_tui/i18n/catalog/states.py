"""Labels of ticket statuses, counter states, pause reasons and history events (every screen)."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- ticket statuses ----------------------------------------------------------------------
    "status.waiting": ("menunggu", "waiting"),
    "status.called": ("dipanggil", "called"),
    "status.serving": ("dilayani", "serving"),
    "status.done": ("selesai", "done"),
    "status.no_show": ("tidak hadir", "no-show"),
    "status.transferred": ("diteruskan", "transferred"),
    "status.cancelled": ("dibatalkan", "cancelled"),
    "status.expired": ("kedaluwarsa", "expired"),
    # --- counter states -----------------------------------------------------------------------
    "counter.open": ("buka", "open"),
    "counter.paused": ("jeda", "paused"),
    "counter.closed": ("tutup", "closed"),
    "counter.offline": ("TAK TERHUBUNG", "OFFLINE"),
    # --- queue positions a returned ticket goes to --------------------------------------------
    "pos.first": ("paling depan", "first"),
    "pos.last": ("paling belakang", "last"),
    # --- pause reasons ------------------------------------------------------------------------
    "pause.istirahat": ("istirahat", "break"),
    "pause.sholat": ("sholat", "prayer"),
    "pause.rapat": ("rapat", "meeting"),
    "pause.lainnya": ("lainnya", "other"),
    # --- ticket history events ----------------------------------------------------------------
    "event.issued": ("diambil", "issued"),
    "event.called": ("dipanggil", "called"),
    "event.recalled": ("dipanggil ulang", "recalled"),
    "event.started": ("mulai dilayani", "started"),
    "event.finished": ("selesai", "finished"),
    "event.no_show": ("tidak hadir", "no-show"),
    "event.transferred": ("diteruskan", "transferred"),
    "event.transferred_in": ("masuk dari loket lain", "transferred in"),
    "event.returned": ("kembali ke antrean", "returned to queue"),
    "event.cancelled": ("dibatalkan", "cancelled"),
    "event.reactivated": ("diaktifkan kembali", "reactivated"),
    "event.expired": ("kedaluwarsa", "expired"),
    "event.print_failed": ("gagal dicetak, dibatalkan", "print failed, cancelled"),
    # --- counter history events and supervisor moves ------------------------------------------
    "counter_event.opened": ("loket dibuka", "counter opened"),
    "counter_event.paused": ("loket dijeda", "counter paused"),
    "counter_event.resumed": ("loket dilanjutkan", "counter resumed"),
    "counter_event.closed": ("loket ditutup", "counter closed"),
    "event.moved": ("dipindahkan", "moved"),
    "event.priority_changed": ("prioritas diubah", "priority changed"),
}
