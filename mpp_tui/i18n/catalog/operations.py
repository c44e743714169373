"""Backup, restore and closing the day."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # --- backup, restore and day close --------------------------------------------------------
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
        "Ganti isi {target} ({now:#} tiket) dengan cadangan {source} ({then:#} tiket, skema "
        "{revision})?",
        "Replace {target} ({now:# ticket|# tickets}) with the backup {source} "
        "({then:# ticket|# tickets}, schema {revision})?",
    ),
    "cli.restore_done": (
        "{target} dipulihkan dari {source} (skema {revision}).",
        "{target} restored from {source} (schema {revision}).",
    ),
    "cli.restore_tickets": ("Berisi {n:#} tiket.", "It holds {n:# ticket|# tickets}."),
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
    "err.restore_screens_live": (
        "{n:#} layar loket masih aktif ({counters}); minta petugas keluar dulu, atau pakai "
        "--force (layar itu kembali ke halaman masuk).",
        "{n:# counter screen is|# counter screens are} still live ({counters}); ask the officers "
        "to sign out first, or use --force (those screens return to sign-in).",
    ),
    "err.database_replaced": (
        "Basis data baru saja dipulihkan dari cadangan; silakan masuk lagi.",
        "The database was just restored from a backup; please sign in again.",
    ),
}
