"""The counter screen and its dialogs (call, transfer, return, pause, help)."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- dialogs ------------------------------------------------------------------------------
    "tui.note_hint": ("catatan (opsional)", "note (optional)"),
    "tui.dialog.note": ("Catatan", "Note"),
    "tui.dialog.keys": (
        "↑↓ Enter atau angka · Tab: catatan · Esc: batal",
        "↑↓ Enter or a number · Tab: note · Esc: cancel",
    ),
    "tui.dialog.note_needed": ("'{choice}' memerlukan catatan.", "'{choice}' needs a note."),
    "tui.confirm.no_show": ("Tandai {ticket} tidak hadir?", "Mark {ticket} as no-show?"),
    "tui.confirm.logout": (
        "Keluar dan tutup loket {counter}?",
        "Sign out and close counter {counter}?",
    ),
    # --- counter screen -----------------------------------------------------------------------
    "tui.active.none": ("Tidak ada tiket aktif", "No active ticket"),
    "tui.active.paused": (
        "LOKET DIJEDA ({reason}) — P: lanjut",
        "COUNTER PAUSED ({reason}) — P: resume",
    ),
    "tui.active.hint": ("N atau + : panggil berikutnya", "N or + : call the next one"),
    "tui.active.called": ("DIPANGGIL (panggilan ke-{n})", "CALLED (call {n})"),
    "tui.active.serving": ("SEDANG DILAYANI", "SERVING"),
    "tui.active.waited": ("menunggu {minutes} mnt", "waited {minutes} min"),
    "tui.active.since_call": ("dipanggil {time} lalu", "called {time} ago"),
    "tui.active.serving_for": (
        "dilayani {time} (standar {max} mnt)",
        "served {time} (standard {max} min)",
    ),
    "tui.active.over": ("⚠ melebihi standar", "⚠ over the standard"),
    "tui.day.title": ("Hari ini", "Today"),
    "tui.day.served": ("Dilayani", "Served"),
    "tui.day.no_shows": ("Tidak hadir", "No-shows"),
    "tui.day.transferred": ("Diteruskan", "Transferred"),
    "tui.day.average": ("Rata-rata layanan", "Average service"),
    "tui.day.standard": ("Standar rata-rata", "Average standard"),
    "tui.day.within": ("Sesuai standar", "Within standard"),
    "tui.next.title": ("Antrean berikutnya", "Next in line"),
    "tui.next.title_n": ("Antrean berikutnya ({n} menunggu)", "Next in line ({n} waiting)"),
    "tui.by_service.title": ("Menunggu per layanan", "Waiting per service"),
    "tui.col.number": ("No.", "No."),
    "tui.col.service": ("Layanan", "Service"),
    "tui.col.priority": ("Prio", "Prio"),
    "tui.col.waited": ("Tunggu", "Waited"),
    "tui.col.issued": ("Ambil", "Issued"),
    "tui.col.called": ("Pgl", "Called"),
    "tui.col.started": ("Mulai", "Start"),
    "tui.col.finished": ("Akhir", "End"),
    "tui.col.status": ("Hasil", "Result"),
    "tui.col.wait": ("Tunggu m:ss", "Wait m:ss"),
    "tui.col.duration": ("Durasi m:ss", "Time m:ss"),
    "tui.col.note": ("Catatan", "Note"),
    "tui.status.online": ("DB terhubung", "DB connected"),
    "tui.status.offline": (
        "DB terputus — mencoba lagi, tindakan ditolak",
        "DB unreachable — retrying, actions refused",
    ),
    "tui.status.back": ("Basis data terhubung kembali.", "Database connection is back."),
    "tui.finish.title": ("Selesaikan {ticket} — hasil layanan", "Finish {ticket} — outcome"),
    "tui.pause.title": ("Jeda loket — alasan", "Pause the counter — reason"),
    "tui.call.title": ("Panggil nomor tertentu", "Call a chosen ticket"),
    "tui.call.placeholder": ("nomor, mis. A-012", "number, e.g. A-012"),
    "tui.call.keys": (
        "Ketik nomor + Enter, atau ↓ lalu pilih · Esc batal",
        "Type a number + Enter, or ↓ and pick · Esc cancels",
    ),
    "tui.done.called": ("{ticket} dipanggil.", "{ticket} called."),
    "tui.done.recalled": (
        "{ticket} dipanggil ulang (ke-{n}).",
        "{ticket} called again (call {n}).",
    ),
    "tui.done.started": ("Mulai melayani {ticket}.", "Serving {ticket}."),
    "tui.done.finished": ("{ticket} selesai.", "{ticket} finished."),
    "tui.done.no_show": ("{ticket} ditandai tidak hadir.", "{ticket} marked no-show."),
    "tui.done.transferred": (
        "{ticket} diteruskan ke {service}.",
        "{ticket} transferred to {service}.",
    ),
    "tui.done.returned": ("{ticket} dikembalikan ke antrean.", "{ticket} is back in the queue."),
    "tui.done.paused": ("Loket dijeda.", "Counter paused."),
    "tui.done.resumed": ("Loket dibuka kembali.", "Counter open again."),
    # --- transfer and return dialogs ----------------------------------------------------------
    "tui.return.title": ("Kembalikan {ticket} ke antrean", "Return {ticket} to the queue"),
    "tui.return.first": ("Di depan antrean layanannya", "First in its service's queue"),
    "tui.return.last": ("Di belakang antrean layanannya", "Last in its service's queue"),
    "tui.transfer.title": (
        "Teruskan {ticket} ke layanan lain",
        "Transfer {ticket} to another service",
    ),
    "tui.transfer.search": ("cari layanan (kode atau nama)", "search services (code or name)"),
    "tui.transfer.counter": ("Loket tujuan (opsional)", "Target counter (optional)"),
    "tui.transfer.any_counter": ("loket mana saja", "any counter"),
    "tui.transfer.no_match": (
        "— tidak ada layanan yang cocok (layanan tiket ini sendiri tidak ditampilkan) —",
        "— no matching service (the ticket's own service is not listed) —",
    ),
    "tui.transfer.need_service": ("Pilih layanan tujuan.", "Pick the target service."),
    "tui.transfer.keys": (
        "Ketik untuk mencari, ↑↓ Enter memilih · Enter di catatan meneruskan · Esc batal",
        "Type to search, ↑↓ Enter picks · Enter in the note transfers · Esc cancels",
    ),
    # --- help dialog --------------------------------------------------------------------------
    "tui.help.title": ("Tombol layar loket", "Counter screen keys"),
    "tui.help.keypad": ("Dengan keypad angka saja", "With the numeric keypad alone"),
    "tui.help.advance": ("mulai / selesai", "start / finish"),
    "tui.help.close": ("Esc atau F1 menutup bantuan", "Esc or F1 closes help"),
    "tui.help.call_next": (
        "memanggil antrean berikutnya (prioritas didahulukan)",
        "call the next ticket (priority first)",
    ),
    "tui.help.call_ticket": ("memanggil nomor tertentu", "call a chosen ticket"),
    "tui.help.recall": (
        "mengumumkan ulang nomor yang dipanggil",
        "announce the called ticket again",
    ),
    "tui.help.start": ("pengunjung datang: mulai melayani", "the visitor arrived: start serving"),
    "tui.help.finish": (
        "selesai, dengan hasil layanan dan catatan",
        "finish, with outcome and note",
    ),
    "tui.help.no_show": (
        "tidak hadir (setelah dipanggil ulang)",
        "no-show (after being called again)",
    ),
    "tui.help.transfer": (
        "meneruskan ke layanan/loket lain, nomor tetap",
        "send on to another service/counter, same number",
    ),
    "tui.help.return": (
        "mengembalikan ke antrean (depan/belakang)",
        "return to the queue (first/last)",
    ),
    "tui.help.pause": ("jeda dengan alasan / lanjut", "pause with a reason / resume"),
    "tui.help.daylog": ("log harian loket ini", "this counter's daily log"),
    "tui.help.help": ("bantuan ini", "this help"),
    "tui.help.logout": ("keluar dan menutup loket", "sign out and close the counter"),
    "tui.help.quit": (
        "menutup aplikasi; loket tetap terbuka, tiket aktif tetap milik Anda",
        "quit the app; the counter stays open and keeps its active ticket",
    ),
}
