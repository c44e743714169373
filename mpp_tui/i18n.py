"""Message catalog: Bahasa Indonesia by default, English on request.

Every user-facing string goes through :func:`t`. The catalog keeps both languages of a message
side by side so a missing translation is visible in review (and caught by a test).
"""

from __future__ import annotations

from typing import Final

DEFAULT_LANG: Final = "id"
LANGS: Final = ("id", "en")

# key -> (Indonesian, English). Placeholders use str.format names.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- error titles -----------------------------------------------------------------------
    "title.not_found": ("Tidak ditemukan", "Not found"),
    "title.conflict": ("Tidak dapat dilakukan", "Not possible now"),
    "title.denied": ("Tidak diizinkan", "Not allowed"),
    "title.auth": ("Gagal masuk", "Sign-in failed"),
    "title.invalid": ("Masukan tidak valid", "Invalid input"),
    "title.closed": ("Layanan tutup", "Service closed"),
    "title.database": ("Basis data", "Database"),
    "title.config": ("Konfigurasi", "Configuration"),
    # --- errors -----------------------------------------------------------------------------
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
    "err.counter_already_open": (
        "Loket {counter} sudah buka.",
        "Counter {counter} is already open.",
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
        "Panggil ulang dulu: tidak hadir baru bisa setelah {calls} kali panggilan.",
        "Recall first: no-show needs {calls} calls.",
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
        "Catatan terlalu panjang (maks. {max} karakter).",
        "Note too long (max {max} characters).",
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
    # --- actions (used inside error messages) -----------------------------------------------
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
    "act.manage_users": ("mengelola pengguna", "manage users"),
    # --- statuses -----------------------------------------------------------------------------
    "status.waiting": ("menunggu", "waiting"),
    "status.called": ("dipanggil", "called"),
    "status.serving": ("dilayani", "serving"),
    "status.done": ("selesai", "done"),
    "status.no_show": ("tidak hadir", "no-show"),
    "status.transferred": ("diteruskan", "transferred"),
    "status.cancelled": ("dibatalkan", "cancelled"),
    "status.expired": ("kedaluwarsa", "expired"),
    "counter.open": ("buka", "open"),
    "counter.paused": ("jeda", "paused"),
    "counter.closed": ("tutup", "closed"),
    "pos.first": ("paling depan", "first"),
    "pos.last": ("paling belakang", "last"),
    "field.pause_reason": ("Alasan jeda", "pause reason"),
    "field.role": ("Peran", "role"),
    "field.position": ("Posisi", "position"),
    "pause.istirahat": ("istirahat", "break"),
    "pause.sholat": ("sholat", "prayer"),
    "pause.rapat": ("rapat", "meeting"),
    "pause.lainnya": ("lainnya", "other"),
    # --- CLI output -----------------------------------------------------------------------------
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
        "Hari {date} ditutup: {count} tiket kedaluwarsa.",
        "Day {date} closed: {count} tickets expired.",
    ),
    "cli.init_done": (
        "Skema di revisi {revision}. {hall}: "
        "{agencies} instansi, {services} layanan, {counters} loket.",
        "Schema at revision {revision}. {hall}: "
        "{agencies} agencies, {services} services, {counters} counters.",
    ),
    "cli.user_added": ("Pengguna {officer} ({role}) dibuat.", "User {officer} ({role}) created."),
    "cli.user_enabled": ("Pengguna {officer} diaktifkan.", "User {officer} enabled."),
    "cli.pin_set": ("PIN {officer} diganti.", "PIN of {officer} changed."),
    "cli.user_disabled": ("Pengguna {officer} dinonaktifkan.", "User {officer} disabled."),
    "cli.pin_prompt": ("PIN", "PIN"),
    "cli.pin_repeat": ("Ulangi PIN", "Repeat PIN"),
    "cli.queue_empty": ("Tidak ada yang menunggu.", "Nobody is waiting."),
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
    "cli.demo_ready": ("Basis data demo siap: {path}", "Demo database ready: {path}"),
    # --- table headers ----------------------------------------------------------------------------
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
    "word.free": ("gratis", "free"),
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
    "title.doctor": ("Pemeriksaan mpp", "mpp health check"),
    "word.yes": ("ya", "yes"),
    "word.no": ("tidak", "no"),
    "word.minutes": ("{n} mnt", "{n} min"),
    "word.none": ("—", "—"),
    # --- daily log (counter log screen, `mpp log`, CSV export) ---------------------------------
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
    # --- screens (mpp_tui/tui) -------------------------------------------------------------
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
    "key.call_next": ("Panggil", "Call next"),
    "key.call_ticket": ("Pilih no.", "Call no."),
    "key.recall": ("Ulang", "Recall"),
    "key.start": ("Mulai", "Start"),
    "key.finish": ("Selesai", "Finish"),
    "key.no_show": ("Tdk hadir", "No-show"),
    "key.transfer": ("Teruskan", "Transfer"),
    "key.return": ("Kembalikan", "Return"),
    "key.pause": ("Jeda", "Pause"),
    "key.resume": ("Lanjut", "Resume"),
    "key.daylog": ("Log", "Log"),
    "key.help": ("Bantuan", "Help"),
    "key.logout": ("Keluar", "Sign out"),
    "key.quit": ("Tutup aplikasi", "Quit app"),
    "key.cancel": ("Batal", "Cancel"),
    "key.confirm": ("Ya", "Yes"),
    "key.close": ("Tutup", "Close"),
    "key.back": ("Kembali", "Back"),
    "key.scope": ("Loket/Saya", "Counter/Mine"),
    "key.export": ("Ekspor CSV", "Export CSV"),
    "key.search": ("Cari", "Search"),
    "tui.yes": ("Ya", "Yes"),
    "tui.no": ("Tidak", "No"),
    "tui.minutes": ("{n} mnt", "{n} min"),
    "tui.total": ("Jumlah", "Total"),
    "tui.note_hint": ("catatan (opsional)", "note (optional)"),
    "tui.login.title": ("Masuk ke loket", "Sign in at a counter"),
    "tui.login.title_hall": ("{hall} — masuk ke loket", "{hall} — sign in at a counter"),
    "tui.login.counter": ("Loket", "Counter"),
    "tui.login.pick_counter": ("Pilih loket", "Pick a counter"),
    "tui.login.username": ("Nama pengguna", "Username"),
    "tui.login.pin": ("PIN", "PIN"),
    "tui.login.submit": ("Masuk", "Sign in"),
    "tui.login.need_counter": ("Pilih loket terlebih dahulu.", "Pick a counter first."),
    "tui.login.need_username": ("Isi nama pengguna.", "Enter your username."),
    "tui.login.need_pin": ("Isi PIN.", "Enter your PIN."),
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
    "tui.col.wait": ("Tunggu", "Wait"),
    "tui.col.duration": ("Durasi", "Duration"),
    "tui.col.note": ("Catatan", "Note"),
    "tui.status.online": ("DB terhubung", "DB connected"),
    "tui.status.offline": (
        "DB terputus — mencoba lagi, tindakan ditolak",
        "DB unreachable — retrying, actions refused",
    ),
    "tui.status.back": ("Basis data terhubung kembali.", "Database connection is back."),
    "tui.dialog.note": ("Catatan", "Note"),
    "tui.dialog.keys": (
        "↑↓ Enter atau angka · Tab: catatan · Esc: batal",
        "↑↓ Enter or a number · Tab: note · Esc: cancel",
    ),
    "tui.dialog.note_needed": ("'{choice}' memerlukan catatan.", "'{choice}' needs a note."),
    "tui.finish.title": ("Selesaikan {ticket} — hasil layanan", "Finish {ticket} — outcome"),
    "tui.return.title": ("Kembalikan {ticket} ke antrean", "Return {ticket} to the queue"),
    "tui.return.first": ("Di depan antrean layanannya", "First in its service's queue"),
    "tui.return.last": ("Di belakang antrean layanannya", "Last in its service's queue"),
    "tui.pause.title": ("Jeda loket — alasan", "Pause the counter — reason"),
    "tui.confirm.no_show": ("Tandai {ticket} tidak hadir?", "Mark {ticket} as no-show?"),
    "tui.confirm.logout": (
        "Keluar dan tutup loket {counter}?",
        "Sign out and close counter {counter}?",
    ),
    "tui.call.title": ("Panggil nomor tertentu", "Call a chosen ticket"),
    "tui.call.placeholder": ("nomor, mis. A-012", "number, e.g. A-012"),
    "tui.call.keys": (
        "Ketik nomor + Enter, atau ↓ lalu pilih · Esc batal",
        "Type a number + Enter, or ↓ and pick · Esc cancels",
    ),
    "tui.transfer.title": (
        "Teruskan {ticket} ke layanan lain",
        "Transfer {ticket} to another service",
    ),
    "sup.move.title": (
        "Pindahkan {ticket} ke layanan atau loket lain",
        "Move {ticket} to another service or counter",
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
    "tui.log.title": ("Log harian — {scope}", "Daily log — {scope}"),
    "tui.log.counter": ("loket {counter}", "counter {counter}"),
    "tui.log.mine": ("petugas {officer}", "officer {officer}"),
    "tui.log.all_outcomes": ("semua hasil", "all outcomes"),
    "tui.log.all_services": ("semua layanan", "all services"),
    "tui.log.search": ("cari nomor tiket", "search ticket number"),
    "tui.log.summary": (
        "{n} tiket · {served} dilayani · rata-rata layanan {avg}",
        "{n} tickets · {served} served · average service {avg}",
    ),
    "tui.log.exported": ("{rows} baris disimpan ke {path}", "{rows} rows saved to {path}"),
    # --- kiosk ------------------------------------------------------------------------------
    "key.clear": ("Kosongkan", "Clear"),
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
    "key.choose": ("Pilih", "Choose"),
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
        "Tekan tombol apa saja untuk selesai · kembali ke awal dalam {s} detik",
        "Press any key to finish · back to the start in {s} seconds",
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
    "kiosk.your_number": ("NOMOR ANTREAN ANDA", "YOUR QUEUE NUMBER"),
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
    # --- board ------------------------------------------------------------------------------
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
    "board.offline": ("⚠ DB terputus — mencoba lagi", "⚠ DB unreachable — retrying"),
    "board.no_calls": ("Belum ada panggilan", "No calls yet"),
    "board.again": ("ulang", "again"),
    "board.paused": ("jeda", "break"),
    "board.free": ("siap", "ready"),
    "board.more_counters": ("… dan {n} loket lagi", "… and {n} more counters"),
    "board.said": ("Diumumkan: {text}", "Announced: {text}"),
    "board.saved_to": ("Disimpan ke {path}", "Saved to {path}"),
    # --- printer ----------------------------------------------------------------------------
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
        "Printer tiket {target} tidak merespons dalam {seconds} detik; periksa kertas dan daya.",
        "Ticket printer {target} did not respond within {seconds} seconds; check paper and power.",
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
    # --- voice ------------------------------------------------------------------------------
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
        "{program} tidak selesai dalam {seconds} detik",
        "{program} did not finish within {seconds} seconds",
    ),
    "voice.bad_wav": (
        "{program} tidak menghasilkan berkas WAV 16-bit mono",
        "{program} did not write a 16-bit mono WAV file",
    ),
    "voice.cannot_write": (
        "Berkas {path} tidak dapat ditulis: {detail}",
        "Cannot write {path}: {detail}",
    ),
    # --- supervisor -------------------------------------------------------------------------
    "tui.log.hall": ("semua loket", "all counters"),
    "key.ticket": ("Tiket", "Ticket"),
    "key.pause_counter": ("Jeda loket", "Pause counter"),
    "key.close_counter": ("Tutup loket", "Close counter"),
    "key.history": ("Riwayat", "History"),
    "counter_event.opened": ("loket dibuka", "counter opened"),
    "counter_event.paused": ("loket dijeda", "counter paused"),
    "counter_event.resumed": ("loket dilanjutkan", "counter resumed"),
    "counter_event.closed": ("loket ditutup", "counter closed"),
    "tui.login.title_supervisor": ("Masuk sebagai supervisor", "Supervisor sign-in"),
    "tui.login.not_supervisor": (
        "{officer} bukan supervisor; layar ini hanya untuk koordinator MPP.",
        "{officer} is not a supervisor; this screen is for the MPP coordinator.",
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
    "event.moved": ("dipindahkan", "moved"),
    "event.priority_changed": ("prioritas diubah", "priority changed"),
    "log.title": ("Log harian {date} · {n} tiket", "Daily log {date} · {n} tickets"),
    "log.sheet": ("Log harian", "Daily log"),
    "log.saved": ("{rows} tiket ditulis ke {path}", "{rows} tickets written to {path}"),
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
    "col.avg_service": ("Rata² layanan", "Avg service"),
    "col.idle": ("Menganggur", "Idle"),
    "col.avg_wait": ("Rata² tunggu", "Avg wait"),
    "col.over": ("Lewat standar", "Over standard"),
    "col.flags": ("Tanda", "Flags"),
    "counter.offline": ("TAK TERHUBUNG", "OFFLINE"),
    "flag.crowded": ("ramai", "crowded"),
    "flag.long_wait": ("tunggu lama", "long wait"),
    "word.arrivals": ("Datang", "Arrivals"),
    "word.calls": ("Dipanggil", "Calls"),
    "cli.watch_hint": (
        "Diperbarui otomatis · Ctrl+C untuk keluar",
        "Refreshes by itself · Ctrl+C to quit",
    ),
    # --- reports ----------------------------------------------------------------------------
    "report.field.by": ("Pengelompokan", "grouping"),
    "report.field.format": ("Format", "format"),
    "report.err.range_invalid": (
        "Tanggal awal {start} jatuh sesudah tanggal akhir {end}.",
        "Start date {start} is after end date {end}.",
    ),
    "report.err.month_invalid": (
        "Bulan '{value}' tidak valid (YYYY-MM).",
        "Invalid month '{value}' (YYYY-MM).",
    ),
    "report.err.service_not_in_agency": (
        "Layanan {service} bukan layanan instansi {agency}.",
        "Service {service} does not belong to agency {agency}.",
    ),
    "report.err.output_required": (
        "Format {format} memerlukan --output BERKAS.",
        "The {format} format needs --output FILE.",
    ),
    "report.err.output_unwritable": (
        "Berkas {path} tidak dapat ditulis: {reason}",
        "Cannot write {path}: {reason}",
    ),
    "report.reason.is_folder": ("itu sebuah folder", "it is a folder"),
    "report.reason.no_folder": ("foldernya tidak ada", "the folder does not exist"),
    "report.reason.denied": ("tidak ada izin menulis", "permission denied"),
    "report.err.format_unknown": (
        "Format berkas {path} tidak dikenali; pilih --format csv, json atau xlsx.",
        "Cannot tell the format of {path}; choose --format csv, json or xlsx.",
    ),
    "report.written": (
        "Laporan disimpan di {path} ({rows} baris).",
        "Report saved to {path} ({rows} rows).",
    ),
    "report.title": (
        "{hall}: laporan {start} s.d. {end}, per {by}",
        "{hall}: report {start} to {end}, by {by}",
    ),
    "report.title_monthly": ("{hall}: laporan bulan {month}", "{hall}: monthly report, {month}"),
    "report.scope": ("Hanya {what}", "Only {what}"),
    "report.empty": ("Tidak ada tiket pada periode ini.", "No tickets in this period."),
    "report.days_open": ("Hari layanan: {days}", "Days open: {days}"),
    "report.priority_line": ("Pengunjung prioritas: {list}", "Priority visitors: {list}"),
    "report.voided_line": (
        "Tiket gagal cetak (bukan pengunjung): {n}",
        "Tickets voided after a print failure (not visitors): {n}",
    ),
    "report.notes": (
        "Waktu dalam menit; P90 = persentil ke-90; standar = dilayani dalam waktu maksimal.",
        "Times in minutes; P90 = 90th percentile; standard = served within the maximum time.",
    ),
    "report.total": ("Jumlah", "Total"),
    "report.none.counter": ("(tanpa loket)", "(no counter)"),
    "report.none.officer": ("(tanpa petugas)", "(no officer)"),
    "report.group.agency": ("Instansi", "Agency"),
    "report.group.service": ("Layanan", "Service"),
    "report.group.counter": ("Loket", "Counter"),
    "report.group.officer": ("Petugas", "Officer"),
    "report.group.hour": ("Jam", "Hour"),
    "report.group.weekday": ("Hari", "Weekday"),
    "report.group.day": ("Tanggal", "Date"),
    "report.weekday.1": ("Senin", "Monday"),
    "report.weekday.2": ("Selasa", "Tuesday"),
    "report.weekday.3": ("Rabu", "Wednesday"),
    "report.weekday.4": ("Kamis", "Thursday"),
    "report.weekday.5": ("Jumat", "Friday"),
    "report.weekday.6": ("Sabtu", "Saturday"),
    "report.weekday.7": ("Minggu", "Sunday"),
    "report.col.name": ("Nama", "Name"),
    "report.col.visitors": ("Pengunjung", "Visitors"),
    "report.col.transferred_in": ("Alihan masuk", "Transferred in"),
    "report.col.served": ("Dilayani", "Served"),
    "report.col.no_shows": ("Tidak hadir", "No-shows"),
    "report.col.cancelled": ("Dibatalkan", "Cancelled"),
    "report.col.transferred": ("Dialihkan", "Transferred"),
    "report.col.expired": ("Kedaluwarsa", "Expired"),
    "report.col.open": ("Belum selesai", "Still open"),
    "report.col.voided": ("Gagal cetak", "Print voids"),
    "report.col.wait_avg": ("Rata-rata tunggu (menit)", "Average wait (min)"),
    "report.col.wait_p90": ("P90 tunggu (menit)", "P90 wait (min)"),
    "report.col.service_avg": ("Rata-rata layanan (menit)", "Average service (min)"),
    "report.col.service_p90": ("P90 layanan (menit)", "P90 service (min)"),
    "report.col.within": ("Sesuai standar (%)", "Within standard (%)"),
    "report.col.priority": ("Prioritas", "Priority"),
    "report.col.agency_name": ("Nama instansi", "Agency name"),
    "report.col.service_name": ("Nama layanan", "Service name"),
    "report.col.max": ("Waktu maksimal (menit)", "Maximum time (min)"),
    "report.col.days": ("Hari layanan", "Days"),
    "report.short.visitors": ("Pengunjung", "Visitors"),
    "report.short.transferred_in": ("Alihan masuk", "Transferred in"),
    "report.short.served": ("Dilayani", "Served"),
    "report.short.no_shows": ("Tidak hadir", "No-show"),
    "report.short.cancelled": ("Batal", "Cancel"),
    "report.short.transferred": ("Alihan keluar", "Transferred out"),
    "report.short.expired": ("Kedaluwarsa", "Expired"),
    "report.short.open": ("Belum selesai", "Open"),
    "report.short.wait_avg": ("Tunggu", "Wait"),
    "report.short.wait_p90": ("Tunggu P90", "Wait P90"),
    "report.short.service_avg": ("Layanan", "Service"),
    "report.short.service_p90": ("Layanan P90", "Service P90"),
    "report.short.within": ("Standar", "Standard"),
    "report.short.priority": ("Prioritas", "Priority"),
    "report.short.days": ("Hari", "Days"),
    "report.sheet.report": ("Laporan", "Report"),
    "report.sheet.monthly": ("Laporan bulanan", "Monthly report"),
    "report.sheet.about": ("Keterangan", "About"),
    "report.info.hall": ("MPP", "Hall"),
    "report.info.month": ("Bulan", "Month"),
    "report.info.start": ("Dari tanggal", "From"),
    "report.info.end": ("Sampai tanggal", "To"),
    "report.info.by": ("Per", "By"),
    "report.info.agency": ("Instansi", "Agency"),
    "report.info.service": ("Layanan", "Service"),
    "report.info.days_open": ("Hari layanan", "Days open"),
    "report.info.generated": ("Dibuat", "Generated"),
    # --- survey -----------------------------------------------------------------------------
    "skm.err.answer_count": (
        "Survei SKM memerlukan tepat {expected} jawaban (U1–U9); diterima {count}.",
        "The SKM survey needs exactly {expected} answers (U1–U9); got {count}.",
    ),
    "skm.err.answer_invalid": (
        "Jawaban untuk {element} harus 1, 2, 3 atau 4 (diterima: {value}).",
        "The answer for {element} must be 1, 2, 3 or 4 (got: {value}).",
    ),
    "skm.err.not_done": (
        "Tiket {ticket} berstatus '{status}'; survei hanya untuk layanan yang sudah selesai.",
        "Ticket {ticket} is '{status}'; the survey is only for a finished service.",
    ),
    "skm.err.already_answered": (
        "Survei untuk tiket {ticket} sudah diisi; satu tiket satu survei. Terima kasih.",
        "The survey for ticket {ticket} has already been answered; one per ticket. Thank you.",
    ),
    "skm.err.too_late": (
        "Survei untuk tiket {ticket} hanya dapat diisi pada hari yang sama, sampai {minutes} "
        "menit setelah layanan selesai.",
        "The survey for ticket {ticket} can only be answered the same day, up to {minutes} "
        "minutes after the service finished.",
    ),
    "skm.err.limit": (
        "Jumlah tiket yang diminta harus antara 1 dan {max}.",
        "The number of tickets asked for must be between 1 and {max}.",
    ),
    "skm.err.range": (
        "Tanggal awal {start} jatuh setelah tanggal akhir {end}.",
        "The start date {start} is after the end date {end}.",
    ),
    "skm.err.no_responses": (
        "Tidak ada jawaban survei SKM dari {start} sampai {end} untuk pilihan ini.",
        "No SKM survey answers from {start} to {end} for this selection.",
    ),
    "skm.field.format": ("Format", "format"),
    "skm.unit": ("IKM unit pelayanan", "Service unit index"),
    "skm.cli.title": (
        "Survei Kepuasan Masyarakat (PermenPANRB 14/2017) · {start} s.d. {end}",
        "Public satisfaction survey (PermenPANRB 14/2017) · {start} to {end}",
    ),
    "skm.col.element": ("Unsur", "Element"),
    "skm.col.name": ("Nama", "Name"),
    "skm.col.total": ("Jumlah", "Sum"),
    "skm.col.nrr": ("NRR", "NRR"),
    "skm.col.weighted": ("NRR×1/9", "NRR×1/9"),
    "skm.col.score": ("NRR×25", "NRR×25"),
    "skm.col.grade": ("Mutu", "Grade"),
    "skm.col.respondents": ("Responden", "Respondents"),
    "skm.cli.respondents": ("Jumlah responden: {n}", "Respondents: {n}"),
    "skm.cli.ikm": (
        "IKM (jumlah NRR × 1/9, skala 1–4): {ikm}",
        "IKM (sum of NRR × 1/9, scale 1–4): {ikm}",
    ),
    "skm.cli.score": (
        "Nilai IKM unit pelayanan (IKM × 25): {score}",
        "Service unit score (IKM × 25): {score}",
    ),
    "skm.cli.grade": (
        "Mutu pelayanan: {grade} — kinerja {words}",
        "Service quality: {grade} — performance {words}",
    ),
    "survey.title": ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
    "survey.key.abandon": ("Batal", "Cancel"),
    "survey.code_placeholder": ("contoh: A-001", "e.g. A-001"),
    "survey.step.code": (
        "Bagaimana pelayanan kami hari ini?",
        "How was our service today?",
    ),
    "survey.intro.code": (
        "Ketik nomor antrean Anda lalu tekan Enter. Sembilan pertanyaan singkat, dijawab "
        "dengan tombol 1–4. Jawaban Anda tidak ditampilkan kepada siapa pun.",
        "Type your queue number and press Enter. Nine short questions, answered with the keys "
        "1–4. Your answers are shown to no one.",
    ),
    "survey.hint.code": (
        "Ketik nomor antrean lalu Enter · Esc kosongkan",
        "Type your queue number, then Enter · Esc clears",
    ),
    "survey.step.pick": (
        "Bagaimana pelayanan kami di loket {counter}?",
        "How was our service at counter {counter}?",
    ),
    "survey.intro.pick": (
        "Tekan angka di depan nomor antrean Anda. Sembilan pertanyaan singkat, dijawab dengan "
        "tombol 1–4.",
        "Press the number in front of your queue number. Nine short questions, answered with "
        "the keys 1–4.",
    ),
    "survey.hint.pick": (
        "Tekan angka di depan nomor Anda (atau ↑↓ lalu Enter)",
        "Press the number in front of yours (or ↑↓, then Enter)",
    ),
    "survey.none_recent": (
        "Belum ada layanan yang baru selesai di loket {counter}. Nomor Anda muncul di sini "
        "setelah petugas menyelesaikan layanan Anda.",
        "No service has just finished at counter {counter}. Your number appears here once the "
        "officer has finished serving you.",
    ),
    "survey.hint.wait": ("Menunggu layanan selesai…", "Waiting for a service to finish…"),
    "survey.finished_at": ("selesai {time}", "finished {time}"),
    "survey.checking": ("Memeriksa nomor antrean…", "Checking the queue number…"),
    "survey.ticket": ("Tiket {ticket} · {service}", "Ticket {ticket} · {service}"),
    "survey.step.question": ("Pertanyaan {n} dari {total}", "Question {n} of {total}"),
    "survey.hint.first_question": (
        "Tekan 1–4 · tombol − kembali ke awal · Esc batal (tidak disimpan)",
        "Press 1–4 · − goes back to the start · Esc cancels (nothing saved)",
    ),
    "survey.hint.question": (
        "Tekan 1–4 · tombol − pertanyaan sebelumnya · Esc batal (tidak disimpan)",
        "Press 1–4 · − previous question · Esc cancels (nothing saved)",
    ),
    "survey.saving": ("Menyimpan jawaban…", "Saving your answers…"),
    "survey.thanks": ("TERIMA KASIH", "THANK YOU"),
    "survey.thanks.detail": (
        "Penilaian Anda untuk tiket {ticket} sudah tersimpan dan membantu kami memperbaiki "
        "pelayanan.",
        "Your rating for ticket {ticket} is saved and helps us improve our service.",
    ),
    "survey.hint.reset": (
        "Tekan tombol apa saja untuk selesai · kembali ke awal dalam {s} detik",
        "Press any key to finish · back to the start in {s} seconds",
    ),
    "survey.sorry": ("Mohon maaf", "We are sorry"),
    "survey.try_again": (
        "Jawaban belum dapat disimpan. Silakan coba lagi atau minta bantuan petugas.",
        "Your answers could not be saved. Please try again or ask a staff member.",
    ),
    "survey.abandoned": (
        "Survei dibatalkan; tidak ada jawaban yang disimpan.",
        "Survey cancelled; no answers were saved.",
    ),
    # --- access, PIN policy, sessions, secrets and clocks (issue 7) ------------------------
    "pin.why.digits": (
        "PIN ini memuat tanda selain angka 0–9.",
        "This PIN holds characters other than the digits 0–9.",
    ),
    "pin.why.length": (
        "PIN ini terlalu pendek atau terlalu panjang.",
        "This PIN is too short or too long.",
    ),
    "pin.why.one_digit": ("PIN ini satu angka yang diulang.", "This PIN is one digit repeated."),
    "pin.why.run": (
        "PIN ini deret angka berurutan (seperti 1234 atau 4321).",
        "This PIN is a straight run (like 1234 or 4321).",
    ),
    "pin.why.repeated": (
        "PIN ini pola yang diulang (seperti 1212 atau 123123).",
        "This PIN repeats a pattern (like 1212 or 123123).",
    ),
    "pin.why.year": (
        "PIN ini seperti tahun (19xx atau 20xx), misalnya tahun lahir.",
        "This PIN looks like a year (19xx or 20xx), such as a birth year.",
    ),
    "pin.why.common": (
        "PIN ini termasuk yang paling sering ditebak.",
        "This PIN is among the most often guessed.",
    ),
    "act.officer_add": ("menambah akun petugas", "add officer accounts"),
    "act.officer_set_pin": ("mengganti PIN petugas", "reset officers' PINs"),
    "act.officer_unlock": ("membuka kunci akun petugas", "unlock officer accounts"),
    "act.officer_disable": ("menonaktifkan akun petugas", "disable officer accounts"),
    "act.officer_enable": ("mengaktifkan akun petugas", "enable officer accounts"),
    "err.denied_officer_target": (
        "{officer} hanya boleh mengelola akun operator, bukan akun {role}.",
        "{officer} may manage only operator accounts, not a {role} account.",
    ),
    "err.session_ended": (
        "Sesi {officer} di loket {counter} sudah berakhir; silakan masuk lagi.",
        "{officer}'s session at counter {counter} has ended; please sign in again.",
    ),
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
    # --- backup, restore and day close (issue 7: operations) --------------------------------
    "err.backup_postgres": (
        "`mpp backup` mencadangkan basis data SQLite bawaan. Untuk PostgreSQL gunakan pg_dump "
        "(lihat docs/deployment.md, bagian Cadangan).",
        "`mpp backup` copies the embedded SQLite database. For PostgreSQL use pg_dump "
        "(see docs/deployment.md, Backups).",
    ),
    "err.restore_postgres": (
        "`mpp restore` memulihkan basis data SQLite bawaan. Untuk PostgreSQL gunakan pg_restore "
        "(lihat docs/deployment.md, bagian Cadangan).",
        "`mpp restore` restores the embedded SQLite database. For PostgreSQL use pg_restore "
        "(see docs/deployment.md, Backups).",
    ),
    "err.backup_memory": (
        "Basis data dalam memori tidak dapat dicadangkan.",
        "An in-memory database cannot be backed up.",
    ),
    "err.backup_not_mpp": (
        "{path} bukan basis data mpp yang utuh ({reason}); tidak ada yang diubah.",
        "{path} is not a healthy mpp database ({reason}); nothing was changed.",
    ),
    "err.backup_newer_schema": (
        "{path} memakai skema {revision}, lebih baru dari versi mpp ini (skema {head}); "
        "perbarui mpp dulu. Tidak ada yang diubah.",
        "{path} has schema {revision}, newer than this version of mpp (schema {head}); "
        "upgrade mpp first. Nothing was changed.",
    ),
    "err.backup_exists": (
        "Berkas {path} sudah ada; pilih nama lain dengan --output.",
        "File {path} already exists; choose another name with --output.",
    ),
    "err.backup_dir_missing": (
        "Folder {path} tidak ada; buat dulu atau pilih --output lain.",
        "Folder {path} does not exist; create it or choose another --output.",
    ),
    "err.backup_verify_failed": (
        "Salinan untuk {path} gagal diperiksa ({reason}); tidak disimpan.",
        "The copy for {path} failed its check ({reason}); it was not kept.",
    ),
    "err.restore_needs_yes": (
        "Pemulihan mengganti seluruh isi basis data: jalankan di terminal untuk konfirmasi, "
        "atau tambahkan --yes.",
        "A restore replaces the whole database: run it in a terminal to confirm, or add --yes.",
    ),
    "err.restore_cancelled": (
        "Pemulihan dibatalkan; tidak ada yang diubah.",
        "Restore cancelled; nothing was changed.",
    ),
    "cli.backup_done": (
        "Cadangan tersimpan: {path} ({size} bita, skema {revision}, pemeriksaan integritas ok).",
        "Backup written: {path} ({size} bytes, schema {revision}, integrity check ok).",
    ),
    "cli.backup_old_schema": (
        "Catatan: skema {revision} lebih lama dari versi mpp ini; `mpp init` memperbaruinya.",
        "Note: schema {revision} is older than this version of mpp; `mpp init` upgrades it.",
    ),
    "backup.col.table": ("Tabel", "Table"),
    "backup.col.rows": ("Baris", "Rows"),
    "cli.restore_confirm": (
        "Ganti isi {target} ({now} tiket) dengan cadangan {source} ({then} tiket, skema "
        "{revision})?",
        "Replace {target} ({now} tickets) with the backup {source} ({then} tickets, schema "
        "{revision})?",
    ),
    "cli.restore_done": (
        "{target} dipulihkan dari {source} (skema {revision}).",
        "{target} restored from {source} (schema {revision}).",
    ),
    "cli.restore_tickets": ("Berisi {n} tiket.", "It holds {n} tickets."),
    "cli.restore_side_copy": (
        "Basis data sebelumnya disimpan di {path}.",
        "The previous database was kept as {path}.",
    ),
    "err.init_needs_owner": (
        "Peran basis data '{user}' tidak boleh mengubah skema atau data referensi ({reason}); "
        "jalankan `mpp init` dengan URL peran pemilik (lihat docs/deployment.md).",
        "The database role '{user}' may not change the schema or the reference data "
        "({reason}); run `mpp init` with the owner role's URL (see docs/deployment.md).",
    ),
    # --- simulate history and capacity planning (issue 6: mpp simulate history, mpp plan) ---
    "sim.history.err.years": (
        "--years harus angka di atas 0 dan paling banyak 50 (diberikan: {value}).",
        "--years must be a number above 0 and at most 50 (given: {value}).",
    ),
    "sim.history.err.hall_size": (
        "--hall-size harus kotim atau large (diberikan: {value}).",
        "--hall-size must be kotim or large (given: {value}).",
    ),
    "sim.history.err.per_day": (
        "--per-day harus bilangan bulat 1–100000 (diberikan: {value}).",
        "--per-day must be a whole number 1–100000 (given: {value}).",
    ),
    "sim.history.err.days_taken": (
        "Basis data sudah berisi tiket pada {count} hari yang akan diisi ({first} s.d. {last}); "
        "riwayat tidak ditulis.",
        "The database already has tickets on {count} of the days to fill ({first} to {last}); "
        "no history was written.",
    ),
    "sim.history.err.no_officers": (
        "MPP ini belum memiliki petugas operator aktif; riwayat butuh petugas di loket.",
        "This hall has no active operator; history needs officers at the counters.",
    ),
    "sim.history.err.no_counters": (
        "Tidak ada loket aktif yang melayani layanan aktif; riwayat tidak dapat dibuat.",
        "No active counter serves an active service; no history can be made.",
    ),
    "sim.history.hall_loaded": (
        "Data referensi MPP {hall} (60 loket) dimuat ke basis data.",
        "The reference data of hall {hall} (60 counters) was loaded into the database.",
    ),
    "sim.history.counters_added": (
        "{n} loket ditambahkan agar MPP memiliki {total} loket.",
        "{n} counters added so that the hall has {total}.",
    ),
    "sim.history.officers_added": (
        "{n} petugas riwayat ditambahkan (tanpa PIN yang dapat dipakai masuk).",
        "{n} history officers added (with no PIN anyone can sign in with).",
    ),
    "sim.history.progress": ("Menulis riwayat", "Writing history"),
    "sim.history.status": ("{day} · {n} tiket", "{day} · {n} tickets"),
    "sim.history.nothing": (
        "Tidak ada hari kerja untuk diisi sebelum {end}.",
        "No business day to fill before {end}.",
    ),
    "sim.history.done": (
        "Riwayat ditulis: {tickets} tiket, {events} peristiwa, {days} hari kerja "
        "({first} s.d. {last}), dalam {seconds} detik.",
        "History written: {tickets} tickets, {events} events, {days} business days "
        "({first} to {last}), in {seconds} s.",
    ),
    "plan.err.visitors": (
        "--visitors harus bilangan bulat 1–100000 (diberikan: {value}).",
        "--visitors must be a whole number 1–100000 (given: {value}).",
    ),
    "plan.err.target_wait": (
        "--target-wait '{value}' tidak dikenali; tulis misalnya 15m, 90s, 1h atau 1h30m "
        "(lebih dari 0, paling lama 8 jam).",
        "--target-wait '{value}' is not understood; write e.g. 15m, 90s, 1h or 1h30m "
        "(above 0, at most 8 hours).",
    ),
    "plan.err.level": (
        "--level harus di antara 0 dan 1, misalnya 0.8 (diberikan: {value}).",
        "--level must lie between 0 and 1, e.g. 0.8 (given: {value}).",
    ),
    "plan.err.agency": (
        "Instansi '{agency}' tidak ada dalam profil {profile} (pilihan: {known}).",
        "Agency '{agency}' is not in profile {profile} (choices: {known}).",
    ),
    "plan.title": (
        "Rencana loket · {profile} · {visitors} pengunjung/hari · {goal}",
        "Counter plan · {profile} · {visitors} visitors/day · {goal}",
    ),
    "plan.goal.mean": (
        "target: rata-rata tunggu ≤ {target}",
        "target: average wait ≤ {target}",
    ),
    "plan.goal.level": (
        "target: {level}% menunggu ≤ {target}",
        "target: {level}% wait ≤ {target}",
    ),
    "plan.col.agency": ("Instansi", "Agency"),
    "plan.col.peak": ("Jam puncak", "Peak hour"),
    "plan.col.arrivals": ("Datang per jam", "Arrivals per hour"),
    "plan.col.service": ("Di loket (mnt)", "At counter (min)"),
    "plan.col.counters": ("Loket saran (kini)", "Counters (now)"),
    "plan.col.wait": ("Tunggu rata² teori", "Avg wait, theory"),
    "plan.col.p_wait": ("P(tunggu)", "P(wait)"),
    "plan.col.level": ("≤ target", "≤ target"),
    "plan.col.sim_wait": ("Simulasi: rata² / P90", "Simulated: avg / P90"),
    "plan.col.hours": ("Loket per jam", "Counters per hour"),
    "plan.total": (
        "Jumlah loket saran (jam tersibuk tiap instansi): {n}; saat ini {have}.",
        "Counters recommended (each agency's peak hour): {n}; now {have}.",
    ),
    "plan.method": (
        "Teori: antrean M/M/c (Erlang C), tiap jam dihitung tersendiri; kedatangan dari profil, "
        "lama di loket = berjalan ke loket + waktu layanan menurut standar layanan.",
        "Theory: M/M/c queue (Erlang C), each hour on its own; arrivals from the profile, time "
        "at the counter = walking to it + the service time from the service standard.",
    ),
    "plan.simulated": (
        "Simulasi: satu hari ({day}) dengan loket saran, seed {seed}, di basis data sementara "
        "({seconds} detik).",
        "Simulation: one day ({day}) with the recommended counters, seed {seed}, in a scratch "
        "database ({seconds} s).",
    ),
    "plan.simulating": (
        "Memeriksa dengan simulasi satu hari ({profile}, seed {seed})…",
        "Checking with a simulated day ({profile}, seed {seed})…",
    ),
    "plan.err.weekday": (
        "--weekday harus salah satu dari mon, tue, wed, thu, fri, sat, sun (diberikan: {value}).",
        "--weekday must be one of mon, tue, wed, thu, fri, sat, sun (given: {value}).",
    ),
    "plan.sim_skipped": (
        "Simulasi dilewati (--no-simulate).",
        "Simulation skipped (--no-simulate).",
    ),
    "plan.unstable": ("tak terkejar", "never clears"),
    # --- mpp simulate: a simulated day at the hall (issue 6, item 1) --------------------------
    "sim.err.profile_invalid": ("Profil simulasi tidak valid:", "Invalid simulation profile:"),
    "sim.err.speed_invalid": (
        "--speed harus 'max' atau angka di atas 0 dan paling banyak 100000 (diberikan: {value}).",
        "--speed must be 'max' or a number above 0 and at most 100000 (given: {value}).",
    ),
    "sim.err.counters_as_invalid": (
        "--counters-as '{value}' tidak dikenal (pilihan: {choices}).",
        "--counters-as '{value}' is unknown (choices: {choices}).",
    ),
    "sim.err.counters_invalid": (
        "Jumlah loket untuk {agency} harus bilangan bulat 0–500 (diberikan: {value}).",
        "The number of counters for {agency} must be a whole number 0–500 (given: {value}).",
    ),
    "sim.err.agency_not_found": (
        "Instansi '{agency}' tidak ada di MPP ini.",
        "Agency '{agency}' is not in this hall.",
    ),
    "sim.err.no_hours": (
        "MPP {hall} tidak memiliki jam layanan pada hari apa pun; tidak ada yang dapat "
        "disimulasikan.",
        "Hall {hall} has no service hours on any day; there is nothing to simulate.",
    ),
    "sim.err.day_closed": (
        "Hari layanan {date} sudah ditutup; pilih tanggal lain dengan --date.",
        "Business day {date} is already closed; choose another date with --date.",
    ),
    "sim.err.robot_failed": (
        "Petugas robot di loket {counter} berhenti: {reason} (rincian di berkas log).",
        "The robot officer at counter {counter} stopped: {reason} (details in the log file).",
    ),
    "sim.starting": ("Menyiapkan petugas robot…", "Starting the robot officers…"),
    "sim.progress": (
        "Simulasi {time} · {issued} tiket · {ended} selesai dilayani · "
        "{busy}/{staffed} loket sibuk",
        "Simulating {time} · {issued} tickets · {ended} visits ended · "
        "{busy}/{staffed} counters busy",
    ),
    "sim.header": (
        "{name} · {date} · seed {seed} · jam layanan {hours}, loket terakhir tutup {end} · "
        "{wall} detik",
        "{name} · {date} · seed {seed} · hours {hours}, last counter closed {end} · {wall} s",
    ),
    "sim.exceptional": (
        "MPP tutup pada hari ini; dimainkan sebagai pembukaan khusus dengan jam hari {weekday} "
        "(tiket diterbitkan dengan izin supervisor, kuota tidak berlaku).",
        "The hall is closed that day; played as an exceptional opening with {weekday}'s hours "
        "(tickets issued with a supervisor's override, no quotas).",
    ),
    "sim.weekday.mon": ("Senin", "Monday"),
    "sim.weekday.tue": ("Selasa", "Tuesday"),
    "sim.weekday.wed": ("Rabu", "Wednesday"),
    "sim.weekday.thu": ("Kamis", "Thursday"),
    "sim.weekday.fri": ("Jumat", "Friday"),
    "sim.weekday.sat": ("Sabtu", "Saturday"),
    "sim.weekday.sun": ("Minggu", "Sunday"),
    "sim.title.agencies": (
        "Per instansi (Datang +alihan masuk; Kuota: ditolak karena kuota; Tunggu dan P90 "
        "dalam menit; Antre: antrean terpanjang; Util: loket sibuk dari waktu buka)",
        "Per agency (Visitors +transferred in; Quota: turned away by quota; Wait and P90 in "
        "minutes; Queue: longest queue; Util: counters busy share of staffed time)",
    ),
    "sim.title.counters": ("Per loket", "Per counter"),
    "sim.total": ("Total MPP", "Hall total"),
    "sim.col.agency": ("Instansi", "Agency"),
    "sim.col.visitors": ("Datang", "Visitors"),
    "sim.col.served": ("Selesai", "Served"),
    "sim.col.no_show": ("Absen", "No-show"),
    "sim.col.transferred": ("Alih", "Moved"),
    "sim.col.refused": ("Kuota", "Quota"),
    "sim.col.expired": ("Hangus", "Expired"),
    "sim.col.wait_avg": ("Tunggu", "Wait"),
    "sim.col.wait_p90": ("P90", "P90"),
    "sim.col.queue": ("Antre", "Queue"),
    "sim.col.counters": ("Loket", "Counters"),
    "sim.col.util": ("Util", "Util"),
    "sim.col.counter": ("Loket", "Counter"),
    "sim.col.officer": ("Petugas", "Officer"),
    "sim.col.visits": ("Kunjungan", "Visits"),
    "sim.col.paused": ("Jeda (mnt)", "Paused (min)"),
    "sim.next": (
        "Semua tercatat di basis data: mpp log --date {date} · "
        "mpp report --from {date} --to {date}",
        "Everything is in the database: mpp log --date {date} · "
        "mpp report --from {date} --to {date}",
    ),
    # --- day close and reopen ---------------------------------------------------------------
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
        "{count} tiket menunggu → kedaluwarsa (tidak dipanggil lagi).",
        "{count} waiting tickets → expired (no longer called).",
    ),
    "day.close_active": (
        "{called} dipanggil dan {serving} dilayani tetap; loketnya masih dapat menyelesaikannya.",
        "{called} called and {serving} in service stay; their counters can still finish them.",
    ),
    "day.close_kiosk": (
        "Kiosk berhenti menerbitkan tiket untuk hari itu.",
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
        "{count} tiket kedaluwarsa menunggu lagi, di tempatnya semula dalam antrean.",
        "{count} expired tickets wait again, in their old places in the queue.",
    ),
    "day.reopen_kiosk": (
        "Kiosk kembali menerbitkan tiket untuk hari ini.",
        "The kiosks issue tickets for today again.",
    ),
    "day.reopen_confirm": ("Buka kembali hari layanan {date}?", "Reopen business day {date}?"),
    "day.reopened": (
        "Hari {date} dibuka kembali: {count} tiket menunggu lagi.",
        "Day {date} reopened: {count} tickets waiting again.",
    ),
    "day.not_done": ("Tidak jadi; tidak ada yang diubah.", "Not done; nothing changed."),
    "day.title.services": ("Per layanan", "Per service"),
    "day.col.called": ("Dipanggil", "Called"),
    "day.col.serving": ("Dilayani", "In service"),
    "day.col.expired": ("Kedaluwarsa", "Expired"),
}


def normalise_lang(lang: str | None) -> str:
    """Return a supported language code, falling back to Indonesian."""
    if lang is None:
        return DEFAULT_LANG
    code = lang.strip().lower()[:2]
    return code if code in LANGS else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """Translate `key` into `lang`, filling `params`.

    An unknown key is returned as-is so a missing entry is visible rather than fatal.
    """
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[1] if normalise_lang(lang) == "en" else pair[0]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
