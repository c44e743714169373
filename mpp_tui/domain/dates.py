"""Dates as visitors read them, without depending on the PC's locale."""

from __future__ import annotations

from datetime import date

_DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def long_date(day: date, lang: str = "id") -> str:
    """ "Senin, 30 November 2026" (or "Monday, 30 November 2026")."""
    names = "en" if lang == "en" else "id"
    return f"{_DAYS[names][day.weekday()]}, {day.day} {_MONTHS[names][day.month - 1]} {day.year}"
