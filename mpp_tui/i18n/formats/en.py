"""English: 1,234.5 · 08:05 (24-hour) · Monday, 30 November 2026 · 1 ticket."""

from __future__ import annotations

from typing import Final

from mpp_tui.i18n.formats import Formats

FORMATS: Final = Formats(
    thousands=",",
    decimal_mark=".",
    time_mark=":",
    days=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=(
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    is_one=lambda n: n == 1,
)  # fmt: skip
