"""Dates as visitors read them, without depending on the PC's locale."""

from __future__ import annotations

from datetime import date

from mpp_tui.i18n import formats


def long_date(day: date, lang: str = "id") -> str:
    """ "Senin, 30 November 2026" (or "Monday, 30 November 2026")."""
    return formats(lang).long_date(day)
