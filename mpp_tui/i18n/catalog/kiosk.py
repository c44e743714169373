"""The kiosk and the greeter desk, where visitors take tickets."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- greeter desk -------------------------------------------------------------------------
    "greeter.search": (
        "Ketik nama, kode layanan atau instansi, lalu Enter",
        "Type a service name, code or agency, then Enter",
    ),
    "greeter.issued": ("Baru diterbitkan", "Just issued"),
    "greeter.hint": (
        "Ketik untuk mencari · ↑↓ pilih · Enter terbitkan · Esc kosongkan",
        "Type to search · ↑↓ move · Enter issue · Esc clear",
    ),
    "greeter.priority": ("{service}: layanan prioritas?", "{service}: priority service?"),
    "greeter.issued_line": (
        "{code}  {service} · {n} di depan · ±{minutes} mnt",
        "{code}  {service} · {n} ahead · ~{minutes} min",
    ),
    "greeter.done": ("Tiket diterbitkan", "Ticket issued"),
    # --- kiosk --------------------------------------------------------------------------------
    "kiosk.loading": ("Memuat layanan…", "Loading services…"),
    "kiosk.step.agency": ("Pilih instansi", "Choose an agency"),
    "kiosk.step.service": ("{agency} — pilih layanan", "{agency} — choose a service"),
    "kiosk.step.priority": ("Apakah Anda termasuk layanan prioritas?", "Priority service?"),
    "kiosk.step.ticket": ("Nomor antrean Anda", "Your queue number"),
    "kiosk.step.sorry": ("Mohon maaf", "We are sorry"),
    "kiosk.waiting_n": ("{n} menunggu", "{n} waiting"),
    "kiosk.closed_mark": ("✖ TUTUP", "✖ CLOSED"),
    "kiosk.no_priority": ("Tidak (antrean umum)", "No (regular queue)"),
    "kiosk.priority_info": (
        "Layanan prioritas (UU 25/2009 Pasal 29) untuk lansia (60+), penyandang disabilitas, "
        "ibu hamil, pengunjung dengan anak kecil, dan korban bencana. Petugas dapat memeriksa.",
        "Priority service (Law 25/2009 art. 29) is for the elderly (60+), people with "
        "disabilities, pregnant women, visitors with small children and disaster victims. "
        "Staff may check.",
    ),
    "kiosk.hint.first": (
        "Ketik nomor atau ↑↓, lalu Enter",
        "Type a number or use ↑↓, then Enter",
    ),
    "kiosk.hint": (
        "Ketik nomor atau ↑↓, lalu Enter · tombol − untuk kembali",
        "Type a number or use ↑↓, then Enter · the − key goes back",
    ),
    "kiosk.hint.service": (
        "Ketik nomor atau ↑↓, lalu Enter · PgUp/PgDn: persyaratan · tombol − untuk kembali",
        "Type a number or use ↑↓, then Enter · PgUp/PgDn: requirements · − goes back",
    ),
    "kiosk.hint.reset": (
        "Tekan tombol apa saja untuk selesai · kembali ke awal dalam {s:#} detik",
        "Press any key to finish · back to the start in {s:# second|# seconds}",
    ),
    "kiosk.free": ("Gratis", "Free"),
    "kiosk.closed_today": ("tutup hari ini", "closed today"),
    "kiosk.fee": ("Biaya: {fee}", "Fee: {fee}"),
    "kiosk.max_time": (
        "Waktu layanan: maks. {minutes} menit",
        "Service time: max. {minutes} min",
    ),
    "kiosk.hours": ("Jam layanan hari ini: {hours}", "Hours today: {hours}"),
    "kiosk.queue_now": (
        "Antrean: {n} orang · ±{minutes} menit",
        "Waiting: {n} · about {minutes} min",
    ),
    "kiosk.quota_left": ("Sisa kuota hari ini: {n}", "Left of today's quota: {n}"),
    "kiosk.requirements": ("Persyaratan", "Requirements"),
    "kiosk.closed.hours": ("Di luar jam layanan ({hours})", "Outside service hours ({hours})"),
    "kiosk.closed.quota": ("Kuota hari ini sudah habis", "Today's quota is used up"),
    "kiosk.closed.day": ("Layanan hari ini sudah ditutup", "Service is closed for today"),
    "kiosk.closed.hours.long": (
        "{service} sedang tidak melayani. Jam layanan hari ini: {hours}. Tidak ada tiket "
        "yang dicetak.",
        "{service} is not serving now. Hours today: {hours}. No ticket was issued.",
    ),
    "kiosk.closed.quota.long": (
        "Kuota {service} untuk hari ini sudah habis. Silakan datang kembali pada hari kerja "
        "berikutnya. Tidak ada tiket yang dicetak.",
        "Today's quota for {service} is used up. Please come back on the next working day. "
        "No ticket was issued.",
    ),
    "kiosk.closed.day.long": (
        "Pelayanan hari ini sudah ditutup. Tidak ada tiket yang dicetak.",
        "Service has closed for today. No ticket was issued.",
    ),
    "kiosk.issuing": ("Mengambil nomor antrean…", "Taking a queue number…"),
    "kiosk.ahead": (
        "Di depan Anda: {n} orang · perkiraan tunggu {minutes} menit",
        "Ahead of you: {n} · estimated wait {minutes} min",
    ),
    "kiosk.priority_set": ("Layanan prioritas", "Priority service"),
    "kiosk.take_ticket": (
        "Silakan ambil tiket Anda dan tunggu nomor Anda dipanggil.",
        "Please take your ticket and wait for your number to be called.",
    ),
    "kiosk.note_number": (
        "Catat atau foto nomor ini, lalu tunggu nomor Anda dipanggil.",
        "Note or photograph this number, then wait for it to be called.",
    ),
    "kiosk.print_failed": (
        "Tiket gagal dicetak, jadi nomor tersebut sudah dibatalkan. Silakan coba lagi atau "
        "minta bantuan petugas.",
        "The ticket could not be printed, so that number has been cancelled. Please try again "
        "or ask a staff member.",
    ),
    "kiosk.print_failed_kept": (
        "Tiket {code} gagal dicetak. Ingat nomor {code} ini dan tunggu dipanggil, atau minta "
        "bantuan petugas.",
        "Ticket {code} could not be printed. Remember the number {code} and wait to be "
        "called, or ask a staff member.",
    ),
    "kiosk.try_again": (
        "Nomor antrean belum dapat diambil. Silakan coba lagi atau minta bantuan petugas.",
        "No number could be taken. Please try again or ask a staff member.",
    ),
    "board.err.zone_not_found": (
        "Zona '{zone}' tidak ada (zona: {choices}).",
        "Zone '{zone}' does not exist (zones: {choices}).",
    ),
}
