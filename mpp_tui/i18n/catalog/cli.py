"""Output of the mpp commands: results, tables, mpp demo and mpp doctor."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- results of queue, counter and user commands ------------------------------------------
    "cli.ticket_issued": (
        "Tiket {ticket} — {service} ({agency}). "
        "{ahead} orang di depan, perkiraan tunggu {eta} menit.",
        "Ticket {ticket} — {service} ({agency}). {ahead} ahead, estimated wait {eta} min.",
    ),
    "cli.called": (
        "Memanggil {ticket} ke loket {counter}.",
        "Calling {ticket} to counter {counter}.",
    ),
    "cli.recalled": (
        "Memanggil ulang {ticket} (panggilan ke-{calls}).",
        "Recalling {ticket} (call {calls}).",
    ),
    "cli.started": ("Mulai melayani {ticket}.", "Serving {ticket}."),
    "cli.finished": ("{ticket} selesai: {outcome}.", "{ticket} finished: {outcome}."),
    "cli.no_show": ("{ticket} ditandai tidak hadir.", "{ticket} marked no-show."),
    "cli.transferred": ("{ticket} diteruskan ke {service}.", "{ticket} transferred to {service}."),
    "cli.returned": (
        "{ticket} dikembalikan ke antrean ({position}).",
        "{ticket} returned to the queue ({position}).",
    ),
    "cli.cancelled": ("{ticket} dibatalkan.", "{ticket} cancelled."),
    "cli.reactivated": ("{ticket} kembali menunggu.", "{ticket} is waiting again."),
    "cli.counter_state": ("Loket {counter}: {state}.", "Counter {counter}: {state}."),
    "cli.day_closed": (
        "Hari {date} ditutup: {count:#} tiket kedaluwarsa.",
        "Day {date} closed: {count:# ticket|# tickets} expired.",
    ),
    "cli.init_done": (
        "Skema di revisi {revision}. {hall}: "
        "{agencies:#} instansi, {services:#} layanan, {counters:#} loket.",
        "Schema at revision {revision}. {hall}: "
        "{agencies:# agency|# agencies}, {services:# service|# services}, "
        "{counters:# counter|# counters}.",
    ),
    "cli.user_added": ("Pengguna {officer} ({role}) dibuat.", "User {officer} ({role}) created."),
    "cli.user_enabled": ("Pengguna {officer} diaktifkan.", "User {officer} enabled."),
    "cli.pin_set": ("PIN {officer} diganti.", "PIN of {officer} changed."),
    "cli.user_disabled": ("Pengguna {officer} dinonaktifkan.", "User {officer} disabled."),
    "cli.pin_prompt": ("PIN", "PIN"),
    "cli.pin_repeat": ("Ulangi PIN", "Repeat PIN"),
    "word.owner": ("(pemilik)", "(owner)"),
    "cli.first_admin_made": (
        "Admin pertama {officer} dibuat.",
        "The first admin, {officer}, was made.",
    ),
    "cli.new_pin_prompt": (
        "PIN baru untuk {officer} (4–8 angka)",
        "New PIN for {officer} (4–8 digits)",
    ),
    "cli.queue_empty": ("Tidak ada yang menunggu.", "Nobody is waiting."),
    # --- mpp demo -----------------------------------------------------------------------------
    "cli.demo_officers": (
        "Petugas demo (pengguna/PIN): {who}",
        "Demo officers (username/PIN): {who}",
    ),
    "cli.demo_next": ("Coba berikutnya:", "Try next:"),
    "cli.demo_screen_hint": ("layar loket kedua", "a second counter screen"),
    "cli.demo_board_hint": ("papan panggilan di ruang tunggu", "the hall's call board"),
    "cli.demo_kiosk_hint": (
        "kios tiket (tutup di luar jam layanan)",
        "the ticket kiosk (closed outside service hours)",
    ),
    "cli.demo_after": (
        "Demo ditutup. Basis data demo tetap ada di {path}; `uv run mpp demo` membukanya lagi.",
        "Demo closed. The demo database stays at {path}; `uv run mpp demo` opens it again.",
    ),
    "cli.demo_ready": ("Basis data demo siap: {path}", "Demo database ready: {path}"),
    # --- table columns and titles -------------------------------------------------------------
    "col.ticket": ("Tiket", "Ticket"),
    "col.service": ("Layanan", "Service"),
    "col.agency": ("Instansi", "Agency"),
    "col.priority": ("Prioritas", "Priority"),
    "col.status": ("Status", "Status"),
    "col.waited": ("Menunggu", "Waited"),
    "col.counter": ("Loket", "Counter"),
    "col.officer": ("Petugas", "Officer"),
    "col.state": ("Keadaan", "State"),
    "col.active": ("Tiket aktif", "Active ticket"),
    "col.served": ("Dilayani", "Served"),
    "col.code": ("Kode", "Code"),
    "col.max": ("Maks.", "Max"),
    "col.quota": ("Kuota", "Quota"),
    "col.fee": ("Biaya", "Fee"),
    "col.hours": ("Jam hari ini", "Hours today"),
    "title.service_list": ("Layanan", "Services"),
    "col.issued": ("Diambil/kuota", "Issued/quota"),
    "col.waiting": ("Menunggu", "Waiting"),
    "col.longest": ("Terlama", "Longest"),
    "col.eta": ("Perkiraan", "Estimate"),
    "col.username": ("Pengguna", "Username"),
    "col.name": ("Nama", "Name"),
    "col.role": ("Peran", "Role"),
    "col.enabled": ("Aktif", "Enabled"),
    "col.check": ("Pemeriksaan", "Check"),
    "col.result": ("Hasil", "Result"),
    "title.counters": ("Loket", "Counters"),
    "title.services": ("Antrean per layanan", "Waiting per service"),
    "title.queue": ("Antrean loket {counter}", "Queue of counter {counter}"),
    # --- mpp doctor ---------------------------------------------------------------------------
    "title.doctor": ("Pemeriksaan mpp", "mpp health check"),
    "cfg.warn.loose_permissions": (
        "Peringatan: file konfigurasi {path} menyimpan kata sandi basis data dan dapat dibaca "
        "pengguna lain (mode {mode}). Jalankan: chmod 600 {path}",
        "Warning: config file {path} holds a database password and other users can read it "
        "(mode {mode}). Run: chmod 600 {path}",
    ),
    "doctor.clock_ok": (
        "PC ini − server = {skew} detik (batas peringatan ±{limit} detik)",
        "this PC − server = {skew} s (warning above ±{limit} s)",
    ),
    "doctor.clock_skewed": (
        "PC ini − server = {skew} detik, lebih dari ±{limit} detik: setel jam PC ini (NTP). "
        "Urutan antrean tidak terpengaruh; waktu di laporan bisa meleset.",
        "this PC − server = {skew} s, more than ±{limit} s: set this PC's clock (NTP). "
        "Queue order is not affected; times in reports may be off.",
    ),
    "doctor.clock_sqlite": (
        "SQLite tidak punya server: jam PC ini ({now} UTC) satu-satunya jam",
        "SQLite has no server: this PC's clock ({now} UTC) is the only clock",
    ),
    # --- mpp status --watch and exports -------------------------------------------------------
    "err.bad_date": (
        "Tanggal '{value}' tidak valid; tulis YYYY-MM-DD.",
        "Invalid date '{value}'; write YYYY-MM-DD.",
    ),
    "err.xlsx_needs_output": (
        "--format xlsx perlu --output FILE.xlsx.",
        "--format xlsx needs --output FILE.xlsx.",
    ),
    "err.cannot_write": (
        "Tidak dapat menulis {path}: {reason}",
        "Cannot write {path}: {reason}",
    ),
    "err.watch_json": (
        "--watch tidak bisa digabung dengan --json; pakai salah satu.",
        "--watch cannot be combined with --json; use one of them.",
    ),
    "cli.watch_hint": (
        "Diperbarui otomatis · Ctrl+C untuk keluar",
        "Refreshes by itself · Ctrl+C to quit",
    ),
}
