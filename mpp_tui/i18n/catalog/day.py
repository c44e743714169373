"""Closing a business day and reopening it (`mpp day close`, `mpp day reopen`)."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "act.reopen": ("mengembalikannya ke antrean", "return it to the queue"),
    "act.reopen_day": ("membuka kembali hari layanan", "reopen the day"),
    "event.reopened": ("hari dibuka kembali", "day reopened"),
    "err.confirm_needed": (
        "Perlu konfirmasi: jalankan di terminal interaktif, atau tambahkan --yes "
        "(--dry-run hanya menampilkan apa yang akan terjadi).",
        "This needs a confirmation: run it in an interactive terminal, or add --yes "
        "(--dry-run only shows what would happen).",
    ),
    "err.reopen_needs_supervisor": (
        "Membuka kembali hari layanan memerlukan supervisor (--officer).",
        "Reopening a business day needs a supervisor (--officer).",
    ),
    "err.reopen_not_today": (
        "Hanya hari layanan yang sedang berjalan ({today}) yang dapat dibuka kembali; "
        "{date} tidak.",
        "Only the running business day ({today}) can be reopened, not {date}.",
    ),
    "err.day_not_closed": (
        "Hari layanan {date} tidak sedang ditutup; tidak ada yang dibuka kembali.",
        "Business day {date} is not closed; there is nothing to reopen.",
    ),
    "day.when.today": ("hari ini", "today"),
    "day.when.past": ("sudah lewat", "over"),
    "day.when.future": ("belum dimulai", "not begun"),
    "day.close_title": (
        "Tutup hari layanan {date} ({when}):",
        "Close business day {date} ({when}):",
    ),
    "day.close_again": (
        "Hari itu sudah ditutup pukul {time}; penutupan ini mengenai tiket yang menunggu sejak "
        "itu.",
        "The day was already closed at {time}; this close concerns tickets waiting since.",
    ),
    "day.close_waiting": (
        "{count:#} tiket menunggu → kedaluwarsa (tidak dipanggil lagi).",
        "{count:# waiting ticket|# waiting tickets} → expired (no longer called).",
    ),
    "day.close_active": (
        "{called:#} dipanggil dan {serving:#} dilayani tetap; loketnya masih dapat "
        "menyelesaikannya.",
        "{called:#} called and {serving:#} in service stay; their counters can still finish them.",
    ),
    "day.close_kiosk": (
        "Kios berhenti menerbitkan tiket untuk hari itu.",
        "The kiosks stop issuing tickets for that day.",
    ),
    "day.close_undo": (
        "Dapat dibatalkan sampai hari berakhir: mpp day reopen --officer NAMA.",
        "Can be undone until the day ends: mpp day reopen --officer NAME.",
    ),
    "day.close_final": (
        "Hari yang sudah lewat tidak dapat dibuka kembali.",
        "A day that is over cannot be reopened.",
    ),
    "day.close_confirm": ("Tutup hari layanan {date}?", "Close business day {date}?"),
    "day.reopen_title": (
        "Buka kembali hari layanan {date} (ditutup pukul {time}):",
        "Reopen business day {date} (closed at {time}):",
    ),
    "day.reopen_expired": (
        "{count:#} tiket kedaluwarsa menunggu lagi, di tempatnya semula dalam antrean.",
        "{count:# expired ticket waits|# expired tickets wait} again, in their old places in "
        "the queue.",
    ),
    "day.reopen_kiosk": (
        "Kios kembali menerbitkan tiket untuk hari ini.",
        "The kiosks issue tickets for today again.",
    ),
    "day.reopen_confirm": ("Buka kembali hari layanan {date}?", "Reopen business day {date}?"),
    "day.reopened": (
        "Hari {date} dibuka kembali: {count:#} tiket menunggu lagi.",
        "Day {date} reopened: {count:# ticket|# tickets} waiting again.",
    ),
    "day.not_done": ("Tidak jadi; tidak ada yang diubah.", "Not done; nothing changed."),
    "day.title.services": ("Per layanan", "Per service"),
    "day.col.called": ("Dipanggil", "Called"),
    "day.col.serving": ("Dilayani", "In service"),
    "day.col.expired": ("Kedaluwarsa", "Expired"),
}
