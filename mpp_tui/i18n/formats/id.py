"""Bahasa Indonesia: 1.234,5 · 08.05 · Senin, 30 November 2026 · no plural forms."""

from __future__ import annotations

from typing import Final

from mpp_tui.i18n.formats import Formats

FORMATS: Final = Formats(
    thousands=".",
    decimal_mark=",",
    time_mark=".",
    days=("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    months=(
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    is_one=lambda n: False,  # "1 tiket", "2 tiket": a noun does not change with the count
)  # fmt: skip
