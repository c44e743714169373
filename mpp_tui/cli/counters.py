"""`mpp counter …` sessions, plus `mpp queue` and `mpp status`."""

from __future__ import annotations

import time
from typing import Any

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from mpp_tui.cli.context import COUNTER, JSON_OPTION, OFFICER, Cli, get_cli, signed_in_at_counter
from mpp_tui.cli.render import overview_renderables, tickets_table
from mpp_tui.domain.enums import PauseReason
from mpp_tui.domain.errors import InvalidInput
from mpp_tui.i18n import formats

app = typer.Typer(
    help="Loket / counter: the counter screen, or sessions (open, pause, resume, close).",
    invoke_without_command=True,
)


@app.callback()
def screen(
    ctx: typer.Context,
    counter: str | None = typer.Option(
        None, "--counter", "-c", help="This PC's counter (default: config file, else a picker)."
    ),
) -> None:
    """Open the counter officer's screen (without a subcommand)."""
    if ctx.invoked_subcommand is not None:
        return
    from mpp_tui.cli.screens import run_counter

    run_counter(get_cli(ctx, False), counter)


def _state(ctx: typer.Context, counter: str, json_out: bool) -> None:
    cli = get_cli(ctx, json_out)
    view = cli.hall.tickets.counter_view(counter=counter)
    state = cli.tr(f"counter.{view.state}")
    if view.pause_reason:
        code, _, note = view.pause_reason.partition(": ")
        state += f" ({cli.tr(f'pause.{code}')}{': ' + note if note else ''})"
    cli.emit(
        {"counter": view.to_json()}, cli.tr("cli.counter_state", counter=view.code, state=state)
    )


@app.command("open")
def open_(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """Sign in at a counter and open it."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    cli.hall.sessions.open_counter(counter=counter, officer=officer)
    _state(ctx, counter, json_out)


@app.command("pause")
def pause(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    reason: PauseReason = typer.Option(
        ..., "--reason", help="istirahat, sholat, rapat or lainnya."
    ),
    note: str | None = typer.Option(None, "--note", help="Text for 'lainnya'."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Pause the counter with a reason."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    cli.hall.sessions.pause_counter(counter=counter, officer=officer, reason=reason, note=note)
    _state(ctx, counter, json_out)


@app.command("resume")
def resume(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """End a pause."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    cli.hall.sessions.resume_counter(counter=counter, officer=officer)
    _state(ctx, counter, json_out)


@app.command("close")
def close(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    reason: str | None = typer.Option(
        None, "--reason", help="Why (recorded; for a supervisor's force-close)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Sign out and close the counter (a supervisor may close any counter)."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    cli.hall.sessions.close_counter(counter=counter, officer=officer, reason=reason)
    _state(ctx, counter, json_out)


def queue_cmd(
    ctx: typer.Context,
    counter: str | None = typer.Option(
        None, "--counter", help="Only what this counter would call, in order."
    ),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="At most this many tickets."),
    json_out: bool = JSON_OPTION,
) -> None:
    """List waiting tickets (for a counter: in the order it would call them)."""
    cli = get_cli(ctx, json_out)
    q = cli.hall
    if counter is not None:
        code = q.ctx.counter(counter).code
        tickets = q.tickets.waiting_list(counter=code, limit=limit)
        title = cli.tr("title.queue", counter=code)
    else:
        tickets = q.tickets.waiting_all(limit=limit)
        title = cli.tr("title.services")
    text = (
        tickets_table(title, tickets, q.now(), cli.lang) if tickets else cli.tr("cli.queue_empty")
    )
    cli.emit({"tickets": [tk.to_json() for tk in tickets]}, text)


def status_cmd(
    ctx: typer.Context,
    all_services: bool = typer.Option(False, "--all", help="Also services nobody waits for."),
    watch: bool = typer.Option(False, "--watch", "-w", help="Keep it on screen, refreshed."),
    interval: float = typer.Option(
        5.0, "--interval", min=0.5, max=300.0, help="With --watch: refresh at least this often (s)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Counters and queues with the supervisor's flags, and today by the hour."""
    cli = get_cli(ctx, json_out)
    if watch and json_out:
        raise InvalidInput("err.watch_json")
    q = cli.hall

    def snapshot() -> tuple[dict[str, object], Group]:
        view = q.overview.overview()
        local = view.now.astimezone(q.ref().tz)
        header = Text.assemble((q.ref().hall_name, "bold"), f" — {local:%Y-%m-%d %H:%M:%S}")
        data: dict[str, object] = {
            "hall": q.ref().hall_code,
            "business_date": q.today().isoformat(),
            "counters": [c.counter.to_json() for c in view.counters],
            "services": [s.load.to_json() for s in view.services],
            "overview": view.to_json(),
        }
        tables = overview_renderables(view, cli.lang, all_services=all_services)
        return data, Group(header, *tables)

    if not watch:
        data, text = snapshot()
        cli.emit(data, text)
        return
    _watch(cli, snapshot, interval)


def _watch(cli: Cli, snapshot: Any, interval: float) -> None:
    """Redraw the status in place whenever the database changes (or every `interval` s)."""
    from rich.live import Live

    from mpp_tui.domain.errors import DatabaseUnavailable
    from mpp_tui.services.feed import open_feed

    engine = cli.ready
    hall_id = cli.hall.ref().hall_id
    feed = None
    last = snapshot()[1]
    with Live(last, console=cli.out, auto_refresh=False) as live:
        try:
            while True:
                try:
                    if feed is None:
                        feed = open_feed(engine, hall_id=hall_id)
                    feed.wait(interval)
                    last = snapshot()[1]
                    live.update(Group(last, cli.tr("cli.watch_hint")), refresh=True)
                except DatabaseUnavailable as exc:
                    if feed is not None:
                        feed.close()
                        feed = None
                    live.update(Group(last, f"⚠ {exc.message(cli.lang)}"), refresh=True)
                    time.sleep(interval)
        except KeyboardInterrupt:
            pass
        finally:
            if feed is not None:
                feed.close()


def services_cmd(ctx: typer.Context, json_out: bool = JSON_OPTION) -> None:
    """List services: code, prefix, standard time, quota, fee, today's hours, counters."""
    cli = get_cli(ctx, json_out)
    infos = cli.hall.tickets.services()
    table = Table(title=cli.tr("title.service_list"), title_justify="left")
    for key in ("col.code", "col.service", "col.max", "col.quota", "col.fee", "col.hours"):
        table.add_column(cli.tr(key), no_wrap=key != "col.service")
    table.add_column(cli.tr("col.counter"))
    for s in infos:
        table.add_row(
            f"{s.prefix} {s.code}",
            f"{cli.name(s.name, s.name_en)} ({s.agency_name})",
            cli.tr("word.minutes", n=s.max_minutes),
            str(s.daily_quota or "—"),
            formats(cli.lang).rupiah(s.fee) if s.fee else cli.tr("word.free"),
            formats(cli.lang).clocks_in(s.hours_today),
            ", ".join(s.counters),
        )
    cli.emit({"services": [s.to_json() for s in infos]}, table)


def register(root: typer.Typer) -> None:
    """Add the top-level `queue` and `status` commands."""
    root.command("queue")(queue_cmd)
    root.command("status")(status_cmd)
    root.command("services")(services_cmd)
