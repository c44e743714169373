"""`mpp day close` and `mpp day reopen`: say what will happen, ask, then do it."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import Act, Conflict, InvalidInput, PermissionDenied

if TYPE_CHECKING:
    from mpp_tui.domain.views import DayPreview

app = typer.Typer(help="Hari layanan / business day: close and reopen.", no_args_is_help=True)

YES = typer.Option(
    False,
    "--yes",
    "-y",
    help="Do not ask (for scripts). Without it a terminal is needed to confirm.",
)
DRY_RUN = typer.Option(
    False, "--dry-run", help="Only show what would happen (text or --json); change nothing."
)


def interactive() -> bool:
    """Whether someone at a terminal can answer the question (tests stand in for one)."""
    return sys.stdin.isatty()


@app.command("close")
def close_day(
    ctx: typer.Context,
    day: str | None = typer.Option(
        None, "--date", help="Business day YYYY-MM-DD (default yesterday)."
    ),
    officer: str | None = typer.Option(
        None,
        "--officer",
        help="Supervisor or admin (PIN from MPP_PIN or a prompt); needed to close today.",
    ),
    yes: bool = YES,
    dry_run: bool = DRY_RUN,
    json_out: bool = JSON_OPTION,
) -> None:
    """Close a business day: its waiting tickets expire and the kiosks stop issuing for it;
    called and serving tickets stay with their counters. Shows what will happen and asks
    first. Today's close can be undone the same day with `mpp day reopen`."""
    cli = get_cli(ctx, json_out)
    when = _parse_day(day)
    _confirmable(cli, yes=yes, dry_run=dry_run)
    today = cli.hall.today()
    when = when or today - timedelta(days=1)
    supervision = cli.hall.supervision
    if dry_run:
        preview = supervision.day_preview(day=when)
        cli.emit({"dry_run": True, **preview.to_json()}, _close_text(cli, preview))
        return
    if officer:
        _supervisor(cli, officer, "act.close_day")
    elif when >= today:
        # The service refuses it too; refusing here spares the question.
        raise PermissionDenied("err.close_today_needs_supervisor")
    if not yes:
        preview = supervision.day_preview(day=when)
        _ask(cli, _close_text(cli, preview), cli.tr("day.close_confirm", date=when))
    count = supervision.close_day(day=when, officer=officer)
    cli.emit(
        {"date": when.isoformat(), "expired": count},
        cli.tr("cli.day_closed", date=when, count=count),
    )


@app.command("reopen")
def reopen_day(
    ctx: typer.Context,
    day: str | None = typer.Option(
        None, "--date", help="Business day YYYY-MM-DD (default, and only possible: today)."
    ),
    officer: str | None = typer.Option(
        None, "--officer", help="Supervisor or admin (PIN from MPP_PIN or a prompt)."
    ),
    yes: bool = YES,
    dry_run: bool = DRY_RUN,
    json_out: bool = JSON_OPTION,
) -> None:
    """Undo today's close: the tickets it expired wait again in their old places and the
    kiosks issue again. A day that is over cannot be reopened."""
    cli = get_cli(ctx, json_out)
    when = _parse_day(day)
    _confirmable(cli, yes=yes, dry_run=dry_run)
    when = when or cli.hall.today()
    supervision = cli.hall.supervision
    preview = supervision.day_preview(day=when)
    supervision.check_reopen(preview)
    if dry_run:
        cli.emit({"dry_run": True, **preview.to_json()}, _reopen_text(cli, preview))
        return
    if not officer:
        raise PermissionDenied("err.reopen_needs_supervisor")
    _supervisor(cli, officer, "act.reopen_day")
    if not yes:
        _ask(cli, _reopen_text(cli, preview), cli.tr("day.reopen_confirm", date=when))
    back = supervision.reopen_day(officer=officer, day=when)
    cli.emit(
        {"date": when.isoformat(), "reopened": len(back), "tickets": [t.code for t in back]},
        cli.tr("day.reopened", date=when, count=len(back)),
    )


def _parse_day(day: str | None) -> date | None:
    try:
        return date.fromisoformat(day) if day else None
    except ValueError:
        raise InvalidInput("err.date_invalid", value=day[:20] if day else "") from None


def _confirmable(cli: Cli, *, yes: bool, dry_run: bool) -> None:
    """Refuse, before anything is read or changed, when nobody could answer the question."""
    if not (yes or dry_run) and (cli.json or not interactive()):
        raise Conflict("err.confirm_needed")


def _supervisor(cli: Cli, officer: str, act: str) -> None:
    """Check the PIN, and refuse an operator before asking (the service checks it again)."""
    view = cli.sign_in(officer)
    if not view.role.supervises:
        raise PermissionDenied(
            "err.denied_role", officer=view.username, role=view.role.value, action=Act(act)
        )


def _ask(cli: Cli, preview: RenderableType, question: str) -> None:
    """Show what will happen and ask; anything but yes changes nothing (exit 1)."""
    cli.out.print(preview)
    if not typer.confirm(question, default=False):
        cli.err.print(cli.tr("day.not_done"), markup=False)
        raise typer.Exit(1)


def _close_text(cli: Cli, p: DayPreview) -> RenderableType:
    today = cli.hall.today()
    when = "today" if p.running else "past" if p.business_date < today else "future"
    lines = [cli.tr("day.close_title", date=p.business_date, when=cli.tr(f"day.when.{when}"))]
    if p.closed_at is not None:
        lines.append("  " + cli.tr("day.close_again", time=_hm(cli, p)))
    lines += [
        "  " + cli.tr("day.close_waiting", count=p.waiting),
        "  " + cli.tr("day.close_active", called=p.called, serving=p.serving),
        "  " + cli.tr("day.close_kiosk"),
        "  " + cli.tr("day.close_undo" if when != "past" else "day.close_final"),
    ]
    columns = [("day.col.called", "called"), ("day.col.serving", "serving")]
    return _with_table(cli, p, lines, [("col.waiting", "waiting"), *columns])


def _reopen_text(cli: Cli, p: DayPreview) -> RenderableType:
    lines = [
        cli.tr("day.reopen_title", date=p.business_date, time=_hm(cli, p)),
        "  " + cli.tr("day.reopen_expired", count=p.expired),
        "  " + cli.tr("day.reopen_kiosk"),
    ]
    return _with_table(cli, p, lines, [("day.col.expired", "expired")])


def _with_table(
    cli: Cli, p: DayPreview, lines: list[str], columns: list[tuple[str, str]]
) -> RenderableType:
    """The preview's lines, then its numbers per service (services with any), at 80 columns."""
    rows = [s for s in p.services if any(getattr(s, field) for _, field in columns)]
    parts: list[RenderableType] = [Text(line) for line in lines]
    if rows:
        table = Table(title=cli.tr("day.title.services"), title_justify="left")
        table.add_column(cli.tr("col.service"), overflow="fold")
        for key, _ in columns:
            table.add_column(cli.tr(key), justify="right")
        for s in rows:
            label = f"{s.service_code} {s.service_label.pick(cli.lang)}"
            table.add_row(label, *(str(getattr(s, field)) for _, field in columns))
        parts.append(table)
    return Group(*parts)


def _hm(cli: Cli, p: DayPreview) -> str:
    """When the day was closed, hall time (HH:MM)."""
    if p.closed_at is None:
        return "—"
    return f"{p.closed_at.astimezone(cli.hall.ref().tz):%H:%M}"


__all__ = ["app"]
