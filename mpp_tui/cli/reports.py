"""`mpp report`: figures over any date range, and the monthly report per agency."""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import Act, InvalidInput
from mpp_tui.domain.report_export import (
    Sheet,
    minutes,
    monthly_sheet,
    report_sheet,
    write_csv,
    write_json,
    write_xlsx,
)
from mpp_tui.domain.report_views import (
    Figures,
    MonthlyReport,
    PriorityName,
    Report,
    ReportGroup,
    ReportRow,
)
from mpp_tui.i18n import formats

if TYPE_CHECKING:
    from mpp_tui.services.reports import Reports

FORMATS = ("table", "csv", "json", "xlsx")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")

app = typer.Typer(
    help="Laporan / reports: visitors, waits and service times over a date range; SKM.",
    invoke_without_command=True,
)

FORMAT_OPTION = typer.Option(
    "table", "--format", "-f", help="table (terminal), csv, json or xlsx (needs --output)."
)
OUTPUT_OPTION = typer.Option(
    None, "--output", "-o", help="Write the file here (csv and json go to the terminal without)."
)
AGENCY_OPTION = typer.Option(None, "--agency", help="Only this agency's services (code).")


@app.callback()
def report(
    ctx: typer.Context,
    start: str | None = typer.Option(
        None, "--from", help="First business day, YYYY-MM-DD (default: the 1st of the month)."
    ),
    end: str | None = typer.Option(
        None, "--to", help="Last business day, included (default: today)."
    ),
    by: str = typer.Option(
        "agency", "--by", help="agency, service, counter, officer, hour, weekday or day."
    ),
    agency: str | None = AGENCY_OPTION,
    service: str | None = typer.Option(None, "--service", help="Only this service (code)."),
    fmt: str = FORMAT_OPTION,
    output: Path | None = OUTPUT_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Visitors, outcomes, waits and service times per group over business days.

    Without options: this month so far, per agency, as a table. Times are in minutes; P90 is
    the 90th percentile; "within standard" is the share served within the service's maximum
    time. Subcommands: `monthly` (the report sent upward each month).
    """
    if ctx.invoked_subcommand is not None:
        return
    cli = get_cli(ctx, json_out)
    chosen = _format(fmt, output)
    first = _date(start)
    last = _date(end)
    reports = _service(cli)
    today = reports.ctx.today()
    last = last or (today if first is None or first <= today else first)
    first = first or last.replace(day=1)
    found = reports.report(start=first, end=last, by=by, agency=agency, service=service)
    _deliver(
        cli,
        found,
        chosen,
        output,
        reports.ctx.ref().tz,
        sheet=lambda: report_sheet(found, cli.lang),
        table=lambda: _report_table(cli, found),
    )


@app.command("monthly")
def monthly(
    ctx: typer.Context,
    month: str | None = typer.Option(
        None, "--month", help="The month, YYYY-MM (default: last month)."
    ),
    agency: str | None = AGENCY_OPTION,
    fmt: str = FORMAT_OPTION,
    output: Path | None = OUTPUT_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """The monthly report an MPP sends upward: per agency and service, with the hall's total.

    Visitors, transfers in, served, average wait and service time, the share served within
    the standard time, priority visitors, and the days the hall was open.
    """
    cli = get_cli(ctx, json_out)
    chosen = _format(fmt, output)
    wanted = _month(month) if month is not None else None
    reports = _service(cli)
    if wanted is None:
        last_month = reports.ctx.today().replace(day=1) - timedelta(days=1)
        wanted = (last_month.year, last_month.month)
    found = reports.monthly(year=wanted[0], month=wanted[1], agency=agency)
    _deliver(
        cli,
        found,
        chosen,
        output,
        reports.ctx.ref().tz,
        sheet=lambda: monthly_sheet(found, cli.lang),
        table=lambda: _monthly_table(cli, found),
    )


def register(root: typer.Typer) -> None:
    """Add `mpp report` (its subcommands register themselves on `app`)."""
    root.add_typer(app, name="report")


# --- input ----------------------------------------------------------------------------------------


def _service(cli: Cli) -> Reports:
    from mpp_tui.services.facade import Hall

    return Hall(cli.ready, hall=cli.settings.hall).reports


def _date(given: str | None) -> date | None:
    if given is None:
        return None
    try:
        return date.fromisoformat(given.strip())
    except ValueError:
        raise InvalidInput("err.date_invalid", value=given[:20]) from None


def _month(given: str) -> tuple[int, int]:
    match = _MONTH.match(given)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput("report.err.month_invalid", value=given[:20])
    return int(match.group(1)), int(match.group(2))


def _format(given: str, output: Path | None) -> str:
    """The output format, checked with the output path before any database work.

    A file named with --output and no --format takes its format from its suffix.
    """
    if output is not None:
        _check_writable(output)
    chosen = given.strip().lower()
    if chosen == "table" and output is not None:
        chosen = output.suffix.lower().lstrip(".")
        if chosen not in FORMATS[1:]:
            raise InvalidInput("report.err.format_unknown", path=str(output))
    elif chosen not in FORMATS:
        raise InvalidInput(
            "err.choice_invalid",
            field=Act("report.field.format"),
            value=given[:16],
            choices=", ".join(FORMATS),
        )
    if chosen == "xlsx" and output is None:
        raise InvalidInput("report.err.output_required", format=chosen)
    return chosen


def _check_writable(path: Path) -> None:
    """Refuse a path the file cannot be written to, before the report is computed."""
    folder = path.parent if str(path.parent) else Path(".")
    reason = None
    if path.is_dir():
        reason = "report.reason.is_folder"
    elif not folder.is_dir():
        reason = "report.reason.no_folder"
    elif not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        reason = "report.reason.denied"
    if reason is not None:
        raise InvalidInput("report.err.output_unwritable", path=str(path), reason=Act(reason))


# --- output ---------------------------------------------------------------------------------------


def _deliver(
    cli: Cli,
    data: Report | MonthlyReport,
    chosen: str,
    output: Path | None,
    tz: tzinfo,
    *,
    sheet: Callable[[], Sheet],
    table: Callable[[], RenderableType],
) -> None:
    """Print the report, or write it to `output` whole (a temporary file renamed into place)."""
    if output is None:
        if cli.json:
            cli.emit({"report": data.to_json()})
        elif chosen == "table":
            cli.emit({}, table())
        elif chosen == "csv":
            write_csv(sheet(), sys.stdout)
        else:
            write_json(data, sys.stdout)
        return
    rows = _write(output, chosen, data, sheet(), tz)
    cli.emit(
        {"path": str(output), "format": chosen, "rows": rows},
        cli.tr("report.written", path=str(output), rows=rows),
    )


def _write(
    output: Path, chosen: str, data: Report | MonthlyReport, sheet: Sheet, tz: tzinfo
) -> int:
    content = io.BytesIO()
    rows = len(sheet.rows)
    if chosen == "xlsx":
        write_xlsx(sheet, content, tz=tz)
    else:
        text = io.StringIO(newline="")
        if chosen == "json":
            write_json(data, text)
        else:
            write_csv(sheet, text)
        content.write(text.getvalue().encode("utf-8"))
    folder = output.parent if str(output.parent) else Path(".")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".mpp-report-", delete=False) as tmp:
            tmp.write(content.getvalue())
        os.replace(tmp.name, output)
    except OSError as exc:
        Path(tmp.name).unlink(missing_ok=True)
        raise InvalidInput(
            "report.err.output_unwritable", path=str(output), reason=exc.strerror or str(exc)
        ) from None
    return rows


def _number(n: int, lang: str) -> str:
    return formats(lang).integer(n)


def _decimal(value: float | None, lang: str, suffix: str = "") -> str:
    return "—" if value is None else formats(lang).decimal(value) + suffix


def _share(f: Figures, lang: str) -> str:
    share = f.within_standard_share
    return _decimal(None if share is None else share * 100, lang, "%")


Getter = Callable[[Figures, str], str]
_COUNTS: tuple[tuple[str, Getter], ...] = (
    ("report.short.visitors", lambda f, lang: _number(f.visitors, lang)),
    ("report.short.transferred_in", lambda f, lang: _number(f.transferred_in, lang)),
    ("report.short.served", lambda f, lang: _number(f.served, lang)),
    ("report.short.no_shows", lambda f, lang: _number(f.no_shows, lang)),
    ("report.short.cancelled", lambda f, lang: _number(f.cancelled, lang)),
    ("report.short.transferred", lambda f, lang: _number(f.transferred, lang)),
    ("report.short.expired", lambda f, lang: _number(f.expired, lang)),
    ("report.short.open", lambda f, lang: _number(f.open, lang)),
)
_TIMES: tuple[tuple[str, Getter], ...] = (
    ("report.short.wait_avg", lambda f, lang: _decimal(minutes(f.wait_avg_seconds), lang)),
    ("report.short.wait_p90", lambda f, lang: _decimal(minutes(f.wait_p90_seconds), lang)),
    ("report.short.service_avg", lambda f, lang: _decimal(minutes(f.service_avg_seconds), lang)),
    ("report.short.service_p90", lambda f, lang: _decimal(minutes(f.service_p90_seconds), lang)),
    ("report.short.within", _share),
    ("report.short.priority", lambda f, lang: _number(f.priority_total, lang)),
)
_MONTHLY = (
    "report.short.visitors",
    "report.short.transferred_in",
    "report.short.served",
    "report.short.priority",
    "report.short.wait_avg",
    "report.short.service_avg",
    "report.short.within",
)
# Shown only when there are some: tickets still open (a report that includes today).
_RARE = {"report.short.open": "open"}
# A row: its name, its figures, whether it is a (sub)total, and cells before the figures.
Line = tuple[str, Figures, bool, tuple[str, ...]]


def _table(
    cli: Cli,
    first: tuple[str, ...],
    lines: list[Line],
    columns: list[tuple[str, Getter]],
    **kw: str,
) -> Table:
    """A compact table of figures: numbers are never cut; long headers fold if they must."""
    rows = [
        (name, *cells, *(get(figures, cli.lang) for _, get in columns), bold)
        for name, figures, bold, cells in lines
    ]
    headers = [*first, *(cli.tr(key) for key, _ in columns)]
    table = Table(box=box.SIMPLE_HEAD, padding=0, show_edge=False, **kw)  # type: ignore[arg-type]
    for i, header in enumerate(headers):
        # As narrow as the longest header word or value: headers wrap between words, so a
        # wide table shrinks by wrapping headers before it ever has to cut a word.
        widest = max(len(str(row[i])) for row in rows)
        width = max(widest, *(len(word) for word in header.split()))
        table.add_column(
            header,
            justify="left" if i == 0 else "right",
            overflow="fold",
            min_width=min(widest, 12) if i == 0 else widest,
            max_width=min(width, 18) if i == 0 else width,
        )
    for *cells, bold in rows:
        table.add_row(*map(str, cells), style="bold" if bold else None)
    return table


def _report_table(cli: Cli, data: Report) -> RenderableType:
    """Two tables that fit a terminal: the counts, then the times."""
    by = cli.tr(f"report.group.{data.by.value}")
    title = cli.tr(
        "report.title", hall=data.hall_name, start=data.start, end=data.end, by=by.lower()
    )
    if not data.rows:
        return Group(Text(title, style="bold"), cli.tr("report.empty"))
    lines: list[Line] = [
        (_row_name(cli, data.by, row), row.figures, False, ()) for row in data.rows
    ]
    lines.append((cli.tr("report.total"), data.total, True, ()))
    counts = [(k, g) for k, g in _COUNTS if k not in _RARE or getattr(data.total, _RARE[k])]
    parts: list[RenderableType] = [
        _table(cli, (by,), lines, counts, title=title, title_justify="left"),
        _table(cli, (by,), lines, list(_TIMES), caption=cli.tr("report.notes")),
    ]
    if data.agency or data.service:
        scope = " / ".join(filter(None, (data.agency, data.service)))
        parts.append(cli.tr("report.scope", what=scope))
    parts.append(_priority_line(cli, data.total, data.priority_categories))
    if data.total.voided:
        parts.append(cli.tr("report.voided_line", n=_number(data.total.voided, cli.lang)))
    return Group(*parts)


def _row_name(cli: Cli, by: ReportGroup, row: ReportRow) -> str:
    """Codes and dates are short; hours and weekdays read better by name."""
    if row.key is None or by in (ReportGroup.HOUR, ReportGroup.WEEKDAY):
        return cli.name(row.label, row.label_en)
    return row.key.isoformat() if isinstance(row.key, date) else str(row.key)


def _priority_line(cli: Cli, total: Figures, categories: tuple[PriorityName, ...]) -> str:
    names = {c.code: cli.name(c.name, c.name_en) for c in categories}
    listed = ", ".join(
        f"{names.get(code, code)} {_number(n, cli.lang)}" for code, n in total.priority if n
    )
    return cli.tr("report.priority_line", list=listed or "—")


def _monthly_table(cli: Cli, data: MonthlyReport) -> RenderableType:
    """One table: each agency's subtotal in bold, then its services."""
    month = f"{data.year:04d}-{data.month:02d}"
    title = cli.tr("report.title_monthly", hall=data.hall_name, month=month)
    columns = [(k, g) for k in _MONTHLY for key, g in (*_COUNTS, *_TIMES) if key == k]
    lines: list[Line] = []
    for agency in data.agencies:
        lines.append((agency.short_name, agency.figures, True, (str(agency.days),)))
        lines += [(f"  {s.code}", s.figures, False, (str(s.days),)) for s in agency.services]
    lines.append((cli.tr("report.total"), data.total, True, (str(data.days_open),)))
    first = (cli.tr("report.group.service"), cli.tr("report.short.days"))
    table = _table(
        cli,
        first,
        lines,
        columns,
        title=title,
        title_justify="left",
        caption=cli.tr("report.notes"),
    )
    return Group(
        table,
        cli.tr("report.days_open", days=data.days_open),
        _priority_line(cli, data.total, data.priority_categories),
    )
