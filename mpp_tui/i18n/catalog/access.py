"""PIN policy, officer accounts and sessions."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- PIN policy ---------------------------------------------------------------------------
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
    # --- officer accounts and sessions --------------------------------------------------------
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
    # --- admin actions: the acting officer, the audit log, the daily role's grants ----------
    "err.by_required": (
        "Tindakan ini perlu admin yang masuk: beri --by NAMA (atau MPP_BY), PIN dari MPP_BY_PIN "
        "atau diketik.",
        "This action needs a signed-in admin: give --by NAME (or MPP_BY), the PIN from MPP_BY_PIN "
        "or typed.",
    ),
    "err.by_pin_required": (
        "PIN {officer} diperlukan: isi MPP_BY_PIN atau jalankan di terminal.",
        "{officer}'s PIN is needed: set MPP_BY_PIN or run it at a terminal.",
    ),
    "cli.by_prompt": ("Nama pengguna Anda (admin)", "Your username (admin)"),
    "cli.by_pin_prompt": ("PIN {officer}", "PIN of {officer}"),
    "cli.user_unlocked": ("Kunci akun {officer} dibuka.", "Account {officer} unlocked."),
    "cli.user_role_set": ("Peran {officer} sekarang {role}.", "{officer} is now {role}."),
    "act.officer_set_role": ("mengubah peran petugas", "change officers' roles"),
    "cli.first_admin_prompt": (
        "Belum ada admin. Nama pengguna admin pertama",
        "No admin yet. Username of the first admin",
    ),
    "err.grant_needs_postgres": (
        "`mpp grant` hanya untuk PostgreSQL; SQLite tidak punya peran (lihat docs/security.md).",
        "`mpp grant` is for PostgreSQL only; SQLite has no roles (see docs/security.md).",
    ),
    "err.role_name_invalid": (
        "Nama peran '{role}' tidak valid: huruf kecil, angka dan garis bawah.",
        "The role name '{role}' is invalid: lower-case letters, digits and underscores.",
    ),
    "err.role_missing": (
        "Peran basis data '{role}' belum ada; buat dulu dengan CREATE ROLE (docs/deployment.md).",
        "The database role '{role}' does not exist; create it first with CREATE ROLE "
        "(docs/deployment.md).",
    ),
    "err.role_is_self": (
        "'{role}' adalah peran yang sedang dipakai; jalankan `mpp grant` dengan URL peran pemilik.",
        "'{role}' is the role in use; run `mpp grant` with the owner role's URL.",
    ),
    "cli.granted": (
        "Peran {role} kini hanya dapat mengerjakan pekerjaan harian MPP {hall}.",
        "Role {role} may now do the daily work of hall {hall} and nothing more.",
    ),
    "err.needs_owner": (
        "Peran basis data '{user}' tidak boleh melakukan ini ({reason}); pakai URL peran pemilik "
        "di PC admin (lihat docs/security.md).",
        "The database role '{user}' may not do this ({reason}); use the owner role's URL on the "
        "admin's PC (see docs/security.md).",
    ),
    "err.no_admin_yet": (
        "MPP ini belum punya admin; buat dengan `mpp init --admin NAMA`.",
        "This hall has no admin yet; make one with `mpp init --admin NAME`.",
    ),
    "col.when": ("Waktu", "When"),
    "col.action": ("Tindakan", "Action"),
    "col.target": ("Sasaran", "Target"),
    "col.host": ("PC", "Host"),
    "col.change": ("Perubahan", "Change"),
    "err.db_role_denied": (
        "Kredensial basis data PC ini tidak boleh melakukan tindakan ini; tindakan admin "
        "dijalankan dari PC admin dengan kredensial pemilik (lihat docs/security.md).",
        "This PC's database credential may not do this; admin actions run from the admin's PC "
        "with the owner's credential (see docs/security.md).",
    ),
}
