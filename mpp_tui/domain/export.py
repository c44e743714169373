"""Exports of the daily log (pure: no database, no UI)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TextIO

from mpp_tui.domain.views import LogEntry
from mpp_tui.i18n import DEFAULT_LANG, normalise_lang, t

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | date | datetime | None

# (catalog key of the header, value of an entry) in column order.
_COLUMNS: tuple[tuple[str, Callable[[LogEntry, str], Cell]], ...] = (
    ("log.col.id", lambda e, _: e.id),
    ("log.col.code", lambda e, _: e.code),
    ("log.col.date", lambda e, _: e.business_date),
    ("log.col.status", lambda e, _: e.status.value),
    ("log.col.service", lambda e, _: e.service_code),
    ("log.col.service_name", lambda e, lang: e.service_label.pick(lang)),
    ("log.col.agency", lambda e, _: e.agency_code),
    ("log.col.priority", lambda e, _: e.priority),
    ("log.col.counter", lambda e, _: e.counter_code),
    ("log.col.officer", lambda e, _: e.officer),
    ("log.col.issued", lambda e, _: e.issued_at),
    ("log.col.called", lambda e, _: e.called_at),
    ("log.col.started", lambda e, _: e.started_at),
    ("log.col.finished", lambda e, _: e.finished_at),
    ("log.col.wait", lambda e, _: e.wait_seconds),
    ("log.col.walk", lambda e, _: e.walk_seconds),
    ("log.col.service_time", lambda e, _: e.service_seconds),
    ("log.col.total", lambda e, _: e.total_seconds),
    ("log.col.calls", lambda e, _: e.call_count),
    ("log.col.outcome", lambda e, _: e.outcome),
    ("log.col.note", lambda e, _: e.note),
    ("log.col.from", lambda e, _: e.transferred_from),
    ("log.col.to", lambda e, _: e.transferred_to),
)


def log_headers(lang: str = DEFAULT_LANG) -> list[str]:
    """The CSV header row of the daily log in `lang`."""
    return [t(key, lang) for key, _ in _COLUMNS]


def _cell(value: Cell, tz: tzinfo) -> str | int:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def log_csv(
    entries: Sequence[LogEntry], out: TextIO, *, tz: tzinfo, lang: str = DEFAULT_LANG
) -> int:
    """Write the daily log as CSV: a localised header row, then one row per entry.

    Status and outcome are written as their codes (stable across languages); the service name
    follows `lang`. Timestamps are wall-clock times in `tz` (the hall's zone) as
    `YYYY-MM-DD HH:MM:SS`, durations whole seconds, and a missing value an empty cell. Free
    text starting like a spreadsheet formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
    Open `out` with `newline=""` (the csv module writes its own line ends).

    Returns:
        The number of data rows written (the header not counted).
    """
    lang = normalise_lang(lang)
    writer = csv.writer(out)
    writer.writerow(log_headers(lang))
    for entry in entries:
        writer.writerow([_cell(value(entry, lang), tz) for _, value in _COLUMNS])
    return len(entries)


def log_xlsx(
    entries: Sequence[LogEntry], path: Path, *, tz: tzinfo, lang: str = DEFAULT_LANG
) -> int:
    """Write the daily log as an Excel workbook with typed cells.

    The same columns as the CSV. Times are Excel date-times in the hall's zone, the business date
    a date, durations whole seconds as numbers, codes and text as text (never formulas). A bold
    header row, frozen under it, and an autofilter.

    Returns:
        The number of data rows written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    lang = normalise_lang(lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("log.sheet", lang)
    sheet.append(log_headers(lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        row: list[object] = []
        for _, value in _COLUMNS:
            v = value(entry, lang)
            if isinstance(v, datetime):
                row.append(v.astimezone(tz).replace(tzinfo=None))
            elif isinstance(v, str) and v.startswith(_FORMULA_START):
                row.append("'" + v)
            else:
                row.append(v)
        sheet.append(row)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    from openpyxl.utils import get_column_letter

    for index, header in enumerate(log_headers(lang), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)
    return len(entries)
