"""The ticket printer and voice announcements."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- ticket printer -----------------------------------------------------------------------
    "print.title": ("Printer tiket", "Ticket printer"),
    "print.number": ("NOMOR ANTREAN", "QUEUE NUMBER"),
    "print.priority": ("Layanan prioritas: {label}", "Priority service: {label}"),
    "print.ahead": ("Di depan Anda: {n} orang", "Ahead of you: {n} people"),
    "print.ahead_one": ("Di depan Anda: {n} orang", "Ahead of you: {n} person"),
    "print.ahead_none": ("Anda antrean berikutnya", "You are next in line"),
    "print.eta": ("Perkiraan tunggu {minutes} menit", "Estimated wait {minutes} min"),
    "print.footer": (
        "Harap menunggu nomor Anda dipanggil",
        "Please wait until your number is called",
    ),
    "print.err.not_found": (
        "Printer tiket tidak ditemukan ({target}); periksa kabel dan daya printer.",
        "Ticket printer not found ({target}); check its cable and power.",
    ),
    "print.err.denied": (
        "Tidak ada izin menulis ke printer tiket ({target}).",
        "No permission to write to the ticket printer ({target}).",
    ),
    "print.err.refused": (
        "Printer tiket {target} menolak sambungan; periksa apakah printer menyala.",
        "Ticket printer {target} refused the connection; check that it is switched on.",
    ),
    "print.err.unreachable": (
        "Printer tiket {target} tidak dapat dijangkau; periksa jaringan dan alamatnya.",
        "Ticket printer {target} cannot be reached; check the network and its address.",
    ),
    "print.err.timeout": (
        "Printer tiket {target} tidak merespons dalam {seconds:#} detik; periksa kertas dan daya.",
        "Ticket printer {target} did not respond within {seconds:# second|# seconds}; "
        "check paper and power.",
    ),
    "print.err.no_lp": (
        "Perintah lp tidak ditemukan; pasang CUPS atau ubah setelan printer.",
        "The lp command is missing; install CUPS or change the printer setting.",
    ),
    "print.err.lp_failed": (
        "Antrean cetak {target} menolak tiket: {detail}",
        "Print queue {target} rejected the ticket: {detail}",
    ),
    "print.err.io": (
        "Gagal mencetak ke {target}: {detail}",
        "Printing to {target} failed: {detail}",
    ),
    "act.void_unprinted": ("membatalkan tiket yang gagal dicetak", "void an unprinted ticket"),
    "err.void_too_late": (
        "Tiket {ticket} sudah terlalu lama untuk dibatalkan dari kiosk.",
        "Ticket {ticket} is too old to be voided from the kiosk.",
    ),
    # --- voice announcements ------------------------------------------------------------------
    "voice.title": ("Suara", "Voice"),
    "voice.not_installed": (
        "{program} tidak terpasang; papan berjalan tanpa suara",
        "{program} is not installed; the board runs without voice",
    ),
    "voice.no_player": (
        "Tidak ada pemutar suara ({players}); papan berjalan tanpa suara",
        "No audio player ({players}) found; the board runs without voice",
    ),
    "voice.bad_command": (
        "Pengaturan {setting} tidak valid ({command}): perlu nama program dan {placeholder};"
        " papan berjalan tanpa suara",
        "Setting {setting} is invalid ({command}): it needs a program name and {placeholder};"
        " the board runs without voice",
    ),
    "voice.bad_out_dir": (
        "Folder {path} tidak dapat ditulis; papan berjalan tanpa suara",
        "Folder {path} is not writable; the board runs without voice",
    ),
    "voice.cannot_run": (
        "{program} tidak dapat dijalankan: {detail}",
        "{program} cannot be run: {detail}",
    ),
    "voice.command_failed": (
        "{program} gagal (kode {code}): {detail}",
        "{program} failed (exit code {code}): {detail}",
    ),
    "voice.command_timeout": (
        "{program} tidak selesai dalam {seconds:#} detik",
        "{program} did not finish within {seconds:# second|# seconds}",
    ),
    "voice.bad_wav": (
        "{program} tidak menghasilkan berkas WAV 16-bit mono",
        "{program} did not write a 16-bit mono WAV file",
    ),
    "voice.cannot_write": (
        "Berkas {path} tidak dapat ditulis: {detail}",
        "Cannot write {path}: {detail}",
    ),
}
