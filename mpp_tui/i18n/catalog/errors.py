"""Errors: notification titles, what the services and commands refuse, and the actions they name."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- titles of error notifications --------------------------------------------------------
    "err.title.not_found": ("Tidak ditemukan", "Not found"),
    "err.title.conflict": ("Tidak dapat dilakukan", "Not possible now"),
    "err.title.denied": ("Tidak diizinkan", "Not allowed"),
    "err.title.auth": ("Gagal masuk", "Sign-in failed"),
    "err.title.invalid": ("Masukan tidak valid", "Invalid input"),
    "err.title.closed": ("Layanan tutup", "Service closed"),
    "err.title.database": ("Basis data", "Database"),
    "err.title.public": ("Mohon maaf", "We are sorry"),
    # --- errors the services and commands raise -----------------------------------------------
    "err.full_name_invalid": (
        "Nama lengkap '{name}' memuat karakter kendali; tulis nama biasa.",
        "The full name '{name}' holds control characters; write a plain name.",
    ),
    "err.move_same": (
        "Tiket {ticket} sudah berada di layanan dan loket itu; pilih layanan atau loket lain.",
        "Ticket {ticket} is already at that service and counter; choose another one.",
    ),
    "err.hall_not_found": (
        "MPP '{hall}' tidak ada di basis data.",
        "Hall '{hall}' is not in the database.",
    ),
    "err.hall_ambiguous": (
        "Basis data memuat beberapa MPP ({halls}); pilih dengan --hall atau MPP_HALL.",
        "The database holds several halls ({halls}); choose one with --hall or MPP_HALL.",
    ),
    "err.no_hall": (
        "Basis data belum berisi data MPP; jalankan `mpp init`.",
        "The database has no hall yet; run `mpp init`.",
    ),
    "err.service_not_found": (
        "Layanan '{service}' tidak dikenal (daftar: mpp services).",
        "Unknown service '{service}' (list: mpp services).",
    ),
    "err.service_not_found_hint": (
        "Layanan '{service}' tidak dikenal. Maksud Anda: {hint}? (daftar: mpp services)",
        "Unknown service '{service}'. Did you mean: {hint}? (list: mpp services)",
    ),
    "err.service_inactive": (
        "Layanan '{service}' sedang tidak aktif.",
        "Service '{service}' is not active.",
    ),
    "err.counter_not_found": ("Loket '{counter}' tidak dikenal.", "Unknown counter '{counter}'."),
    "err.ticket_not_found": (
        "Tiket '{ticket}' tidak ditemukan hari ini.",
        "Ticket '{ticket}' not found today.",
    ),
    "err.officer_not_found": ("Petugas '{officer}' tidak dikenal.", "Unknown officer '{officer}'."),
    "err.outcome_not_found": (
        "Hasil layanan '{outcome}' tidak dikenal.",
        "Unknown outcome '{outcome}'.",
    ),
    "err.priority_not_found": (
        "Kategori prioritas '{priority}' tidak dikenal (pilihan: {choices}).",
        "Unknown priority category '{priority}' (choices: {choices}).",
    ),
    "err.illegal_transition": (
        "Tiket {ticket} berstatus '{status}'; tidak bisa {action}.",
        "Ticket {ticket} is '{status}'; cannot {action}.",
    ),
    "err.ticket_changed": (
        "Tiket {ticket} baru saja diubah di tempat lain (sekarang '{status}').",
        "Ticket {ticket} was just changed elsewhere (now '{status}').",
    ),
    "err.ticket_not_at_counter": (
        "Tiket {ticket} tidak sedang dilayani di loket {counter}.",
        "Ticket {ticket} is not held by counter {counter}.",
    ),
    "err.counter_busy": (
        "Loket {counter} masih menangani tiket {ticket}; selesaikan dulu.",
        "Counter {counter} still holds ticket {ticket}; finish it first.",
    ),
    "err.counter_no_active": (
        "Loket {counter} tidak sedang menangani tiket.",
        "Counter {counter} holds no ticket.",
    ),
    "err.counter_closed": (
        "Loket {counter} tutup; buka dulu (mpp counter open).",
        "Counter {counter} is closed; open it first (mpp counter open).",
    ),
    "err.counter_paused": (
        "Loket {counter} sedang jeda ({reason}); lanjutkan dulu.",
        "Counter {counter} is paused ({reason}); resume it first.",
    ),
    "err.counter_taken": (
        "Loket {counter} sedang dipakai oleh {officer}.",
        "Counter {counter} is in use by {officer}.",
    ),
    "err.officer_elsewhere": (
        "{officer} sudah masuk di loket {counter}; keluar dulu dari sana.",
        "{officer} is already signed in at counter {counter}; sign out there first.",
    ),
    "err.counter_not_paused": (
        "Loket {counter} tidak sedang jeda.",
        "Counter {counter} is not paused.",
    ),
    "err.counter_not_open": (
        "Loket {counter} tidak sedang buka.",
        "Counter {counter} is not open.",
    ),
    "err.counter_has_ticket": (
        "Loket {counter} masih menangani tiket {ticket}; selesaikan atau kembalikan dulu.",
        "Counter {counter} still holds ticket {ticket}; finish or return it first.",
    ),
    "err.queue_empty": (
        "Tidak ada antrean untuk loket {counter}.",
        "Nobody is waiting for counter {counter}.",
    ),
    "err.service_not_at_counter": (
        "Loket {counter} tidak melayani {service}.",
        "Counter {counter} does not serve {service}.",
    ),
    "err.quota_reached": (
        "Kuota harian {what} ({quota}) sudah habis. Silakan datang kembali besok.",
        "The daily quota for {what} ({quota}) is used up. Please come back tomorrow.",
    ),
    "err.outside_hours": (
        "{service} tidak melayani saat ini. Jam layanan hari ini: {hours}.",
        "{service} is not serving now. Today's hours: {hours}.",
    ),
    "err.closed_today": ("tutup", "closed"),
    "err.no_show_too_early": (
        "Panggil ulang dulu: tidak hadir baru bisa setelah {calls:#} kali panggilan.",
        "Recall first: no-show needs {calls:# call|# calls}.",
    ),
    "err.reactivate_expired": (
        "Tiket {ticket} lewat batas {minutes} menit untuk diaktifkan kembali.",
        "Ticket {ticket} is past the {minutes}-minute window for reactivation.",
    ),
    "err.note_required": (
        "Hasil '{outcome}' memerlukan catatan.",
        "Outcome '{outcome}' needs a note.",
    ),
    "err.note_too_long": (
        "Catatan terlalu panjang (maks. {max:#} karakter).",
        "Note too long (max {max:# character|# characters}).",
    ),
    "err.transfer_same_service": (
        "Tiket {ticket} sudah untuk layanan {service}.",
        "Ticket {ticket} is already for service {service}.",
    ),
    "err.denied_role": (
        "{officer} ({role}) tidak berwenang untuk {action}.",
        "{officer} ({role}) may not {action}.",
    ),
    "err.denied_counter": (
        "{officer} tidak bertugas di loket {counter}.",
        "{officer} is not signed in at counter {counter}.",
    ),
    "err.auth_failed": ("Nama pengguna atau PIN salah.", "Wrong username or PIN."),
    "err.account_locked": (
        "Akun {officer} terkunci sampai {until} karena terlalu banyak PIN salah.",
        "Account {officer} is locked until {until} after too many wrong PINs.",
    ),
    "err.account_disabled": ("Akun {officer} dinonaktifkan.", "Account {officer} is disabled."),
    "err.pin_policy": (
        "PIN harus {min}–{max} angka dan tidak mudah ditebak (bukan 1111 atau 1234).",
        "A PIN must be {min}–{max} digits and not trivial (not 1111 or 1234).",
    ),
    "err.user_exists": ("Pengguna '{officer}' sudah ada.", "User '{officer}' already exists."),
    "err.username_invalid": (
        "Nama pengguna '{officer}' tidak valid (3–32 huruf kecil, angka, titik, garis bawah).",
        "Username '{officer}' is invalid (3–32 lower-case letters, digits, dot, underscore).",
    ),
    "err.ticket_code_invalid": (
        "Kode tiket '{ticket}' tidak valid (contoh: A-001).",
        "Ticket code '{ticket}' is invalid (example: A-001).",
    ),
    "err.db_unreachable": (
        "Basis data tidak dapat dihubungi ({url}): {reason}",
        "Cannot reach the database ({url}): {reason}",
    ),
    "err.schema_outdated": (
        "Skema basis data belum terbaru; jalankan `mpp init`.",
        "The database schema is not up to date; run `mpp init`.",
    ),
    "err.seed_invalid": ("Data referensi tidak valid:", "Invalid reference data:"),
    "err.config_invalid": ("Konfigurasi tidak valid:", "Invalid configuration:"),
    "err.pin_required": (
        "PIN diperlukan: isi MPP_PIN atau jalankan di terminal interaktif.",
        "A PIN is needed: set MPP_PIN or run in an interactive terminal.",
    ),
    "err.pin_mismatch": ("Kedua PIN tidak sama.", "The two PINs differ."),
    "err.date_invalid": (
        "Tanggal '{value}' tidak valid (YYYY-MM-DD).",
        "Invalid date '{value}' (YYYY-MM-DD).",
    ),
    "err.lang_invalid": (
        "Bahasa '{value}' tidak dikenal (id, en).",
        "Unknown language '{value}' (id, en).",
    ),
    "err.choice_invalid": (
        "{field} '{value}' tidak dikenal (pilihan: {choices}).",
        "Unknown {field} '{value}' (choices: {choices}).",
    ),
    "err.day_closed": (
        "Hari layanan {date} sudah ditutup; tiket tidak dapat diambil lagi.",
        "Business day {date} is closed; no more tickets can be issued.",
    ),
    "err.ticket_for_other_counter": (
        "Tiket {ticket} diteruskan khusus ke loket {target}.",
        "Ticket {ticket} was transferred to counter {target} only.",
    ),
    "err.db_url_invalid": (
        "Alamat basis data tidak valid: {url} ({reason}).",
        "Invalid database URL: {url} ({reason}).",
    ),
    "err.close_today_needs_supervisor": (
        "Menutup hari layanan yang sedang berjalan memerlukan supervisor (--officer).",
        "Closing the running business day needs a supervisor (--officer).",
    ),
    "err.counter_required": (
        "Sebutkan loket dengan --counter (atau isi MPP_COUNTER / counter di berkas konfigurasi).",
        "Name the counter with --counter (or set MPP_COUNTER / counter in the config file).",
    ),
    "err.db_dir_missing": (
        "Folder {path} tidak ada; periksa alamat basis data (--db / MPP_DATABASE_URL).",
        "Folder {path} does not exist; check the database URL (--db / MPP_DATABASE_URL).",
    ),
    "err.db_missing": (
        "Berkas basis data {path} tidak ada; jalankan `mpp init` dulu.",
        "Database file {path} does not exist; run `mpp init` first.",
    ),
    "err.unexpected": (
        "Terjadi kesalahan tak terduga; rinciannya ada di {log}.",
        "An unexpected error occurred; details are in {log}.",
    ),
    # --- actions named inside error messages --------------------------------------------------
    "act.call": ("memanggil", "call it"),
    "act.recall": ("memanggil ulang", "recall it"),
    "act.start": ("mulai melayani", "start serving it"),
    "act.finish": ("menyelesaikan", "finish it"),
    "act.no_show": ("menandai tidak hadir", "mark it no-show"),
    "act.transfer": ("meneruskan", "transfer it"),
    "act.return": ("mengembalikan ke antrean", "return it to the queue"),
    "act.cancel": ("membatalkan", "cancel it"),
    "act.reactivate": ("mengaktifkan kembali", "reactivate it"),
    "act.expire": ("mengakhiri", "expire it"),
    "act.cancel_ticket": ("membatalkan tiket", "cancel tickets"),
    "act.reactivate_ticket": ("mengaktifkan kembali tiket", "reactivate tickets"),
    "act.close_day": ("menutup hari layanan", "close the day"),
    "act.override": ("melewati jam/kuota layanan", "override hours or quota"),
    # --- field names shown when a choice is invalid -------------------------------------------
    "field.pause_reason": ("Alasan jeda", "pause reason"),
    "field.role": ("Peran", "role"),
    "field.position": ("Posisi", "position"),
    # --- failures of a screen -----------------------------------------------------------------
    "err.unexpected_tui": (
        "Terjadi kesalahan tak terduga; rinciannya ada di berkas log. Layar tetap berjalan.",
        "Something unexpected went wrong; the details are in the log file. The screen carries on.",
    ),
    "err.tui_stopped": (
        "Layar berhenti karena kesalahan tak terduga; rinciannya ada di berkas log "
        "(mpp doctor menunjukkan lokasinya). Tiket aktif tetap tersimpan: jalankan lagi.",
        "The screen stopped on an unexpected error; the details are in the log file "
        "(mpp doctor shows where). The active ticket is kept: start it again.",
    ),
    "err.export_failed": (
        "Berkas {path} tidak dapat ditulis: {reason}.",
        "Could not write {path}: {reason}.",
    ),
    "err.public_unavailable": (
        "Layanan sedang gangguan, silakan hubungi petugas.",
        "The service is disturbed at the moment; please ask a member of staff.",
    ),
}
