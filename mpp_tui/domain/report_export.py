"""Exports of `mpp report`: CSV, JSON and XLSX files of a report (pure: no database, no UI).

Both reports are first laid out as one table (:class:`Sheet`: typed columns, typed cells), which
each writer renders. Counts are integers; durations are minutes rounded to one decimal;
shares are fractions rounded to a thousandth (91.1 %), written as a percentage number in CSV
and as a fraction with a percent format in XLSX; dates are dates. The last row is the total.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import IO, TextIO

from mpp_tui.domain.names import Name
from mpp_tui.domain.report_views import Figures, MonthlyReport, PriorityName, Report
from mpp_tui.i18n import DEFAULT_LANG, normalise_lang, t

Cell = str | int | float | date | None
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    """How a column's cells are typed in a file."""

    TEXT = "text"
    INT = "int"
    MINUTES = "minutes"  # float, one decimal
    PERCENT = "percent"  # a fraction 0–1, three decimals
    DATE = "date"
    KEY = "key"  # a group key: text, an integer or a date


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header in the file's language and the type of its cells."""

    header: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Sheet:
    """A report laid out as a table, with what it covers (for a file's second sheet).

    Attributes:
        about: (label, value) pairs describing the report: hall, period, grouping, filters.
        frozen: how many leading columns stay in view when scrolling (names of the rows).
    """

    title: str
    lang: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    about: tuple[tuple[str, Cell | datetime], ...]
    frozen: int


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes with one decimal."""
    return None if seconds is None else round(seconds / 60, 1)


def share(value: float | None) -> float | None:
    """A share rounded to a thousandth (a tenth of a percent)."""
    return None if value is None else round(value, 3)


# --- the tables -----------------------------------------------------------------------------------

_COUNTS: tuple[tuple[str, Callable[[Figures], int]], ...] = (
    ("report.col.visitors", lambda f: f.visitors),
    ("report.col.transferred_in", lambda f: f.transferred_in),
    ("report.col.served", lambda f: f.served),
    ("report.col.no_shows", lambda f: f.no_shows),
    ("report.col.cancelled", lambda f: f.cancelled),
    ("report.col.transferred", lambda f: f.transferred),
    ("report.col.expired", lambda f: f.expired),
    ("report.col.open", lambda f: f.open),
    ("report.col.voided", lambda f: f.voided),
)
_TIMES: tuple[tuple[str, Kind, Callable[[Figures], float | None]], ...] = (
    ("report.col.wait_avg", Kind.MINUTES, lambda f: minutes(f.wait_avg_seconds)),
    ("report.col.wait_p90", Kind.MINUTES, lambda f: minutes(f.wait_p90_seconds)),
    ("report.col.service_avg", Kind.MINUTES, lambda f: minutes(f.service_avg_seconds)),
    ("report.col.service_p90", Kind.MINUTES, lambda f: minutes(f.service_p90_seconds)),
    ("report.col.within", Kind.PERCENT, lambda f: share(f.within_standard_share)),
)
_MONTHLY: tuple[tuple[str, Kind, Callable[[Figures], Cell]], ...] = (
    ("report.col.visitors", Kind.INT, lambda f: f.visitors),
    ("report.col.transferred_in", Kind.INT, lambda f: f.transferred_in),
    ("report.col.served", Kind.INT, lambda f: f.served),
    ("report.col.wait_avg", Kind.MINUTES, lambda f: minutes(f.wait_avg_seconds)),
    ("report.col.service_avg", Kind.MINUTES, lambda f: minutes(f.service_avg_seconds)),
    ("report.col.within", Kind.PERCENT, lambda f: share(f.within_standard_share)),
)


def _priority_columns(
    categories: Sequence[PriorityName], lang: str
) -> list[tuple[Column, Callable[[Figures], Cell]]]:
    columns: list[tuple[Column, Callable[[Figures], Cell]]] = [
        (Column(t("report.col.priority", lang), Kind.INT), lambda f: f.priority_total)
    ]
    for cat in categories:
        columns.append((Column(cat.label.pick(lang), Kind.INT), _priority_of(cat.code)))
    return columns


def _priority_of(code: str) -> Callable[[Figures], Cell]:
    return lambda f: f.priority_count(code)


def report_sheet(report: Report, lang: str = DEFAULT_LANG) -> Sheet:
    """The range report as a table: group key, name, the figures; the total row last."""
    lang = normalise_lang(lang)
    figures: list[tuple[Column, Callable[[Figures], Cell]]] = [
        *((Column(t(key, lang), Kind.INT), get) for key, get in _COUNTS),
        *((Column(t(key, lang), kind), get) for key, kind, get in _TIMES),
        *_priority_columns(report.priority_categories, lang),
    ]
    columns = (
        Column(t(f"report.group.{report.by.value}", lang), Kind.KEY),
        Column(t("report.col.name", lang), Kind.TEXT),
        *(c for c, _ in figures),
    )
    rows = [
        (
            row.key,
            row.name.pick(lang),
            *(g(row.figures) for _, g in figures),
        )
        for row in report.rows
    ]
    rows.append((t("report.total", lang), None, *(g(report.total) for _, g in figures)))
    about: list[tuple[str, Cell | datetime]] = [
        (t("report.info.hall", lang), f"{report.hall_name} ({report.hall_code})"),
        (t("report.info.start", lang), report.start),
        (t("report.info.end", lang), report.end),
        (t("report.info.by", lang), t(f"report.group.{report.by.value}", lang)),
    ]
    if report.agency:
        about.append((t("report.info.agency", lang), report.agency))
    if report.service:
        about.append((t("report.info.service", lang), report.service))
    about.append((t("report.info.generated", lang), report.generated_at))
    return Sheet(
        title=t("report.sheet.report", lang),
        lang=lang,
        columns=columns,
        rows=tuple(rows),
        about=tuple(about),
        frozen=2,
    )


def monthly_sheet(report: MonthlyReport, lang: str = DEFAULT_LANG) -> Sheet:
    """The monthly report as a table: per agency its subtotal row then its service rows."""
    lang = normalise_lang(lang)
    figures: list[tuple[Column, Callable[[Figures], Cell]]] = [
        *((Column(t(key, lang), kind), get) for key, kind, get in _MONTHLY),
        *_priority_columns(report.priority_categories, lang),
    ]
    columns = (
        Column(t("report.group.agency", lang), Kind.TEXT),
        Column(t("report.col.agency_name", lang), Kind.TEXT),
        Column(t("report.group.service", lang), Kind.TEXT),
        Column(t("report.col.service_name", lang), Kind.TEXT),
        Column(t("report.col.max", lang), Kind.INT),
        Column(t("report.col.days", lang), Kind.INT),
        *(c for c, _ in figures),
    )
    rows: list[tuple[Cell, ...]] = []
    for agency in report.agencies:
        rows.append(
            (
                agency.code,
                agency.short_name,
                None,
                None,
                None,
                agency.days,
                *(g(agency.figures) for _, g in figures),
            )
        )
        for svc in agency.services:
            rows.append(
                (
                    agency.code,
                    agency.short_name,
                    svc.code,
                    svc.label.pick(lang),
                    svc.max_minutes,
                    svc.days,
                    *(g(svc.figures) for _, g in figures),
                )
            )
    total = (t("report.total", lang), None, None, None, None, report.days_open)
    rows.append((*total, *(g(report.total) for _, g in figures)))
    about: list[tuple[str, Cell | datetime]] = [
        (t("report.info.hall", lang), f"{report.hall_name} ({report.hall_code})"),
        (t("report.info.month", lang), f"{report.year:04d}-{report.month:02d}"),
        (t("report.info.start", lang), report.start),
        (t("report.info.end", lang), report.end),
        (t("report.info.days_open", lang), report.days_open),
    ]
    if report.agency:
        about.append((t("report.info.agency", lang), report.agency))
    about.append((t("report.info.generated", lang), report.generated_at))
    return Sheet(
        title=t("report.sheet.monthly", lang),
        lang=lang,
        columns=columns,
        rows=tuple(rows),
        about=tuple(about),
        frozen=4,
    )


# --- writers --------------------------------------------------------------------------------------


def _csv_cell(value: Cell, kind: Kind) -> str | int | float:
    if value is None:
        return ""
    if kind is Kind.PERCENT and isinstance(value, float):
        return round(value * 100, 1)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(sheet: Sheet, out: TextIO) -> int:
    """Write the table as CSV: the header row, then one row per group and the total.

    Numbers are written as numbers (durations in minutes with one decimal, shares as a
    percentage with one decimal: 91.1), dates as ISO 8601, a missing value as an empty cell.
    Text starting like a spreadsheet formula is prefixed with `'`. Open `out` with
    `newline=""`.

    Returns:
        The number of data rows written (the header not counted, the total counted).
    """
    writer = csv.writer(out)
    writer.writerow([c.header for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_cell(v, c.kind) for v, c in zip(row, sheet.columns, strict=True)])
    return len(sheet.rows)


def write_json(data: Report | MonthlyReport, out: TextIO) -> None:
    """Write the report as JSON: every figure (durations in seconds, shares as fractions)."""
    json.dump(data.to_json(), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_xlsx(sheet: Sheet, out: IO[bytes] | Path, *, tz: tzinfo) -> int:
    """Write the table as an XLSX workbook, typed for a spreadsheet.

    The first sheet has a bold header row, frozen panes (the header and the name columns),
    column widths from the content, integers as numbers, durations as numbers with one
    decimal (`0.0`), shares as fractions shown as percentages (`0.0%`) and dates as dates.
    The second sheet says what the report covers; its timestamp is wall-clock time in `tz`.

    Returns:
        The number of data rows written (the header not counted, the total counted).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    table = book.active
    assert table is not None
    table.title = sheet.title[:31]
    table.append([c.header for c in sheet.columns])
    for cell in table[1]:
        cell.font = Font(bold=True)
    formats = {Kind.MINUTES: "0.0", Kind.PERCENT: "0.0%", Kind.DATE: "yyyy-mm-dd"}
    for row in sheet.rows:
        table.append(list(row))
        for cell, column, value in zip(table[table.max_row], sheet.columns, row, strict=True):
            if isinstance(value, date):
                cell.number_format = formats[Kind.DATE]
            elif column.kind in formats:
                cell.number_format = formats[column.kind]
    for cell in table[table.max_row]:
        cell.font = Font(bold=True)
    table.freeze_panes = f"{get_column_letter(sheet.frozen + 1)}2"
    for i, column in enumerate(sheet.columns, start=1):
        shown = [len(column.header)] + [len(_shown(row[i - 1])) for row in sheet.rows]
        table.column_dimensions[get_column_letter(i)].width = min(max(shown) + 2, 48)

    about = book.create_sheet(t("report.sheet.about", sheet.lang))
    for label, value in sheet.about:
        if isinstance(value, datetime):
            value = value.astimezone(tz).replace(tzinfo=None, microsecond=0)
        about.append([label, value])
        stamp = about.cell(row=about.max_row, column=2)
        if isinstance(value, datetime):
            stamp.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(value, date):
            stamp.number_format = formats[Kind.DATE]
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
    about.column_dimensions["A"].width = max(len(label) for label, _ in sheet.about) + 2
    about.column_dimensions["B"].width = 48
    book.save(out)
    return len(sheet.rows)


def _name(indonesian: str, english: str, lang: str) -> str:
    return Name(indonesian, english).pick(lang)


def _shown(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
