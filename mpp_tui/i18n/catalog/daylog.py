"""The daily log: the counter's log screen, mpp log and its CSV/XLSX export."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- log columns (screen, mpp log, CSV export) --------------------------------------------
    "log.col.id": ("ID", "ID"),
    "log.col.code": ("Nomor", "Ticket"),
    "log.col.date": ("Tanggal", "Date"),
    "log.col.status": ("Status", "Status"),
    "log.col.service": ("Kode layanan", "Service code"),
    "log.col.service_name": ("Layanan", "Service"),
    "log.col.agency": ("Instansi", "Agency"),
    "log.col.priority": ("Prioritas", "Priority"),
    "log.col.counter": ("Loket", "Counter"),
    "log.col.officer": ("Petugas", "Officer"),
    "log.col.issued": ("Waktu ambil", "Issued at"),
    "log.col.called": ("Waktu panggil", "Called at"),
    "log.col.started": ("Mulai dilayani", "Started at"),
    "log.col.finished": ("Selesai", "Finished at"),
    "log.col.wait": ("Tunggu (detik)", "Wait (s)"),
    "log.col.walk": ("Menuju loket (detik)", "Walk to counter (s)"),
    "log.col.service_time": ("Lama layanan (detik)", "Service time (s)"),
    "log.col.total": ("Total (detik)", "Total (s)"),
    "log.col.calls": ("Panggilan", "Calls"),
    "log.col.outcome": ("Hasil", "Outcome"),
    "log.col.note": ("Catatan", "Note"),
    "log.col.from": ("Dialihkan dari", "Transferred from"),
    "log.col.to": ("Dialihkan ke", "Transferred to"),
    "log.err.agency_not_found": (
        "Instansi '{agency}' tidak dikenal.",
        "Unknown agency '{agency}'.",
    ),
    "log.err.limit_invalid": (
        "Batas jumlah baris harus lebih dari nol (diberikan: {limit}).",
        "The row limit must be greater than zero (given: {limit}).",
    ),
    # --- daily log screen ---------------------------------------------------------------------
    "tui.log.title": ("Log harian — {scope}", "Daily log — {scope}"),
    "tui.log.counter": ("loket {counter}", "counter {counter}"),
    "tui.log.mine": ("petugas {officer}", "officer {officer}"),
    "tui.log.all_outcomes": ("semua hasil", "all outcomes"),
    "tui.log.all_services": ("semua layanan", "all services"),
    "tui.log.search": ("cari nomor tiket", "search ticket number"),
    "tui.log.summary": (
        "{n:#} tiket · {served:#} dilayani · rata-rata layanan {avg}",
        "{n:# ticket|# tickets} · {served:#} served · average service {avg}",
    ),
    "tui.log.exported": (
        "{rows:#} baris disimpan ke {path}",
        "{rows:# row|# rows} saved to {path}",
    ),
    "tui.log.hall": ("semua loket", "all counters"),
    # --- mpp log ------------------------------------------------------------------------------
    "log.title": ("Log harian {date} · {n:#} tiket", "Daily log {date} · {n:# ticket|# tickets}"),
    "log.sheet": ("Log harian", "Daily log"),
    "log.saved": (
        "{rows:#} tiket ditulis ke {path}",
        "{rows:# ticket|# tickets} written to {path}",
    ),
}
