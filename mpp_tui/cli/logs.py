"""`mpp log`: every ticket of a business day with its times, as a table, CSV, JSON or XLSX."""

from __future__ import annotations

import enum
import sys
from datetime import date
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from mpp_tui.cli.context import get_cli
from mpp_tui.domain.errors import InvalidInput
from mpp_tui.i18n import formats, t


class LogFormat(enum.StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def _minutes(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


def log_cmd(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", help="Business day YYYY-MM-DD (default today)."),
    agency: str | None = typer.Option(None, "--agency", help="Only this agency's services."),
    service: str | None = typer.Option(None, "--service", help="Only this service."),
    counter: str | None = typer.Option(None, "--counter", help="Only this counter."),
    officer: str | None = typer.Option(None, "--officer", help="Only this officer's tickets."),
    fmt: LogFormat = typer.Option(LogFormat.TABLE, "--format", help="table, csv, json or xlsx."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
) -> None:
    """The daily log: every ticket of a day with its times, counter, officer and outcome."""
    cli = get_cli(ctx, fmt is LogFormat.JSON and output is None)
    when: date | None = None
    if day is not None:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise InvalidInput("err.bad_date", value=day) from None
    if fmt is LogFormat.XLSX and output is None:
        raise InvalidInput("err.xlsx_needs_output")
    q = cli.hall
    entries = q.daylog.day_log(
        day=when, agency=agency, service=service, counter=counter, officer=officer
    )
    tz = q.ref().tz
    lang = cli.lang
    if fmt is LogFormat.TABLE:
        table = Table(
            title=t("log.title", lang, date=(when or q.today()).isoformat(), n=len(entries)),
            title_justify="left",
        )
        for key in (
            "log.col.code", "log.col.service", "log.col.priority", "log.col.status",
            "log.col.counter", "log.col.officer", "log.col.issued", "log.col.wait",
            "log.col.service_time", "log.col.outcome",
        ):  # fmt: skip
            table.add_column(t(key, lang))
        for e in entries:
            table.add_row(
                e.code + (f" ← {e.transferred_from}" if e.transferred_from else ""),
                e.service_code,
                e.priority or "",
                t(f"status.{e.status}", lang),
                e.counter_code or "—",
                e.officer or "—",
                formats(lang).local_clock(e.issued_at, tz),
                _minutes(e.wait_seconds),
                _minutes(e.service_seconds),
                Text((e.outcome or "") + (f": {e.note}" if e.note else "")),  # never markup
            )
        _write_text(cli, table, output)
        return
    if fmt is LogFormat.JSON and output is None:
        cli.emit(
            {"date": (when or q.today()).isoformat(), "tickets": [e.to_json() for e in entries]}
        )
        return
    target = output
    try:
        if fmt is LogFormat.XLSX:
            from mpp_tui.domain.export import log_xlsx

            assert target is not None
            log_xlsx(entries, target, tz=tz, lang=lang)
        elif fmt is LogFormat.CSV:
            from mpp_tui.domain.export import log_csv

            if target is None:
                log_csv(entries, sys.stdout, tz=tz, lang=lang)
                return
            with target.open("w", encoding="utf-8", newline="") as out:
                log_csv(entries, out, tz=tz, lang=lang)
        else:
            import json

            assert target is not None
            target.write_text(
                json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=1),
                encoding="utf-8",
            )
    except OSError as exc:
        raise InvalidInput(
            "err.cannot_write", path=str(target), reason=exc.strerror or exc
        ) from None
    cli.out.print(t("log.saved", lang, rows=len(entries), path=target), markup=False)


def _write_text(cli: object, table: Table, output: Path | None) -> None:
    from rich.console import Console

    if output is None:
        cli.out.print(table)  # type: ignore[attr-defined]
        return
    try:
        with output.open("w", encoding="utf-8") as out:
            Console(file=out, width=200, color_system=None).print(table)
    except OSError as exc:
        raise InvalidInput(
            "err.cannot_write", path=str(output), reason=exc.strerror or exc
        ) from None


def register(root: typer.Typer) -> None:
    """Add `mpp log`."""
    root.command("log")(log_cmd)
