"""`mpp call …`: what a counter does, for scripts (PIN from MPP_PIN or a prompt)."""

from __future__ import annotations

import typer

from mpp_tui.cli.context import COUNTER, JSON_OPTION, OFFICER, Cli, signed_in_at_counter
from mpp_tui.domain.enums import QueuePosition
from mpp_tui.domain.views import TicketView

app = typer.Typer(
    help="Panggil / counter actions: next, ticket, recall, start, finish, no-show, transfer…",
    no_args_is_help=True,
)


def _done(cli: Cli, tk: TicketView, key: str, **params: object) -> None:
    cli.emit({"ticket": tk.to_json()}, cli.tr(key, ticket=tk.code, **params))


@app.command("next")
def next_(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """Call the next ticket for the counter (priority first, anti-starvation)."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    tk = cli.hall.calls.call_next(counter=counter, officer=officer)
    _done(cli, tk, "cli.called", counter=tk.counter_code)


@app.command("ticket")
def call_ticket(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Ticket code to call out of order."),
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """Call a chosen waiting ticket out of order."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    tk = cli.hall.calls.call_ticket(counter=counter, officer=officer, ticket=code)
    _done(cli, tk, "cli.called", counter=tk.counter_code)


@app.command("recall")
def recall(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """Announce the called ticket again."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    tk = cli.hall.calls.recall(counter=counter, officer=officer)
    _done(cli, tk, "cli.recalled", calls=tk.call_count)


@app.command("start")
def start(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """The visitor is at the counter: start serving."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    _done(cli, cli.hall.calls.start(counter=counter, officer=officer), "cli.started")


@app.command("finish")
def finish(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    outcome: str = typer.Option(
        "selesai", "--outcome", help="Outcome code (selesai, berkas_tidak_lengkap, …)."
    ),
    note: str | None = typer.Option(
        None, "--note", help="Free-text note (required for 'lainnya')."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Finish the counter's ticket with an outcome."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    tk = cli.hall.calls.finish(counter=counter, officer=officer, outcome=outcome, note=note)
    known = cli.hall.ref().outcomes.get(tk.outcome or "")
    shown = known.name.pick(cli.lang) if known is not None else tk.outcome
    _done(cli, tk, "cli.finished", outcome=shown)


@app.command("no-show")
def no_show(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    json_out: bool = JSON_OPTION,
) -> None:
    """Mark the called ticket as not present (after the required recalls)."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    _done(cli, cli.hall.calls.no_show(counter=counter, officer=officer), "cli.no_show")


@app.command("transfer")
def transfer(
    ctx: typer.Context,
    service: str = typer.Argument(..., help="Service code to send the visitor to."),
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    to_counter: str | None = typer.Option(
        None, "--to-counter", help="Only this counter may call it."
    ),
    note: str | None = typer.Option(None, "--note", help="A note for the next counter."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Send the visitor on to another service, keeping the ticket number."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    tk = cli.hall.calls.transfer(
        counter=counter, officer=officer, service=service, to_counter=to_counter, note=note
    )
    _done(cli, tk, "cli.transferred", service=cli.name(tk.service_name, tk.service_name_en))


@app.command("return")
def return_(
    ctx: typer.Context,
    counter: str | None = COUNTER,
    officer: str = OFFICER,
    position: QueuePosition = typer.Option(QueuePosition.LAST, "--position", help="first or last."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Put the called ticket back in the queue."""
    cli, counter = signed_in_at_counter(ctx, counter, officer, json_out)
    tk = cli.hall.calls.return_to_queue(counter=counter, officer=officer, position=position)
    _done(cli, tk, "cli.returned", position=cli.tr(f"pos.{position.value}"))
