"""`mpp ticket …`: issue, show, cancel and reactivate tickets."""

from __future__ import annotations

import typer

from mpp_tui.cli.context import JSON_OPTION, get_cli
from mpp_tui.i18n import formats

app = typer.Typer(help="Tiket / tickets: issue, show, cancel, reactivate.", no_args_is_help=True)


@app.command("issue")
def issue(
    ctx: typer.Context,
    service: str = typer.Argument(..., help="Service code, e.g. KTP."),
    priority: str | None = typer.Option(None, "--priority", help="Priority category, e.g. lansia."),
    override_by: str | None = typer.Option(
        None, "--override-by", help="Supervisor username to issue outside hours or past the quota."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Issue a ticket for SERVICE (as the kiosk does)."""
    cli = get_cli(ctx, json_out)
    if override_by is not None:
        cli.sign_in(override_by)
    issued = cli.hall.issuing.issue_ticket(
        service=service, priority=priority, source="cli", override_by=override_by
    )
    tk = issued.ticket
    cli.emit(
        {"ticket": tk.to_json(), "ahead": issued.ahead, "eta_minutes": issued.eta_minutes},
        cli.tr(
            "cli.ticket_issued",
            ticket=tk.code,
            service=cli.name(tk.service_name, tk.service_name_en),
            agency=tk.agency_name,
            ahead=issued.ahead,
            eta=issued.eta_minutes,
        ),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Ticket code of today, e.g. A-001."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show a ticket of today and its history."""
    cli = get_cli(ctx, json_out)
    tk = cli.hall.tickets.ticket(code=code)
    events = cli.hall.tickets.history(ticket_id=tk.id)
    lines = [
        f"{tk.code}  {cli.name(tk.service_name, tk.service_name_en)} ({tk.agency_name})  "
        f"{cli.tr(f'status.{tk.status}')}"
        + (f"  ★ {tk.priority}" if tk.priority else "")
        + (f"  {cli.tr('col.counter')} {tk.counter_code}" if tk.counter_code else "")
    ]
    tz, fmt = cli.hall.ref().tz, formats(cli.lang)
    lines += [
        f"  {fmt.local_clock(e.at, tz, seconds=True)}  {cli.tr(f'event.{e.kind}'):<20} "
        f"{cli.tr(f'status.{e.status_to}'):<12} {e.counter_code or ''} {e.officer or ''}".rstrip()
        for e in events
    ]
    cli.emit({"ticket": tk.to_json(), "events": [e.to_json() for e in events]}, "\n".join(lines))


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Ticket code of today."),
    officer: str = typer.Option(
        ..., "--officer", help="Supervisor username (PIN from MPP_PIN or prompt)."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why it is cancelled."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Cancel a waiting or called ticket (supervisor)."""
    cli = get_cli(ctx, json_out)
    cli.sign_in(officer)
    tk = cli.hall.supervision.cancel(ticket=code, officer=officer, reason=reason)
    cli.emit({"ticket": tk.to_json()}, cli.tr("cli.cancelled", ticket=tk.code))


@app.command("reactivate")
def reactivate(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Ticket code of today."),
    officer: str = typer.Option(
        ..., "--officer", help="Supervisor username (PIN from MPP_PIN or prompt)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Put a no-show or cancelled ticket back in the queue (supervisor, within the grace window)."""
    cli = get_cli(ctx, json_out)
    cli.sign_in(officer)
    tk = cli.hall.supervision.reactivate(ticket=code, officer=officer)
    cli.emit({"ticket": tk.to_json()}, cli.tr("cli.reactivated", ticket=tk.code))
