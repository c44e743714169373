"""mpp simulate, mpp simulate history and mpp plan."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- mpp simulate history -----------------------------------------------------------------
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
        "{n:#} loket ditambahkan agar MPP memiliki {total:#} loket.",
        "{n:# counter|# counters} added so that the hall has {total:#}.",
    ),
    "sim.history.officers_added": (
        "{n:#} petugas riwayat ditambahkan (tanpa PIN yang dapat dipakai masuk).",
        "{n:# history officer|# history officers} added (with no PIN anyone can sign in with).",
    ),
    "sim.history.progress": ("Menulis riwayat", "Writing history"),
    "sim.history.status": ("{day} · {n:#} tiket", "{day} · {n:# ticket|# tickets}"),
    "sim.history.nothing": (
        "Tidak ada hari kerja untuk diisi sebelum {end}.",
        "No business day to fill before {end}.",
    ),
    "sim.history.done": (
        "Riwayat ditulis: {tickets:#} tiket, {events:#} peristiwa, {days:#} hari kerja "
        "({first} s.d. {last}), dalam {seconds} detik.",
        "History written: {tickets:# ticket|# tickets}, {events:# event|# events}, "
        "{days:# business day|# business days} "
        "({first} to {last}), in {seconds} s.",
    ),
    # --- mpp plan -----------------------------------------------------------------------------
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
        "Rencana loket · {profile} · {visitors:#} pengunjung/hari · {goal}",
        "Counter plan · {profile} · {visitors:#} visitors/day · {goal}",
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
    # --- mpp simulate -------------------------------------------------------------------------
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
        "Simulasi {time} · {issued:#} tiket · {ended:#} selesai dilayani · "
        "{busy}/{staffed} loket sibuk",
        "Simulating {time} · {issued:# ticket|# tickets} · {ended:# visit|# visits} ended · "
        "{busy}/{staffed:# counter busy|# counters busy}",
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
}
