"""`mpp user …`: officer accounts (anyone holding the database URL administers them)."""

from __future__ import annotations

import os
import sys

import typer
from rich.table import Table

from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import AuthError, InvalidInput

app = typer.Typer(
    help="Petugas / officer accounts: add, list, set-pin, disable, enable.", no_args_is_help=True
)


def _new_pin(cli: Cli) -> str:
    """A new PIN from MPP_PIN, or typed twice at a prompt."""
    pin = os.environ.get("MPP_PIN")
    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise AuthError("err.pin_required")
    first = typer.prompt(cli.tr("cli.pin_prompt"), hide_input=True)
    second = typer.prompt(cli.tr("cli.pin_repeat"), hide_input=True)
    if first != second:
        raise InvalidInput("err.pin_mismatch")
    return str(first)


@app.command("add")
def add(
    ctx: typer.Context,
    username: str = typer.Argument(
        ..., help="Login name: 3–32 lower-case letters, digits, dot, underscore."
    ),
    role: Role = typer.Option(Role.OPERATOR, "--role", help="operator, supervisor or admin."),
    name: str = typer.Option("", "--name", help="Full name shown on screens."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Create an officer (PIN from MPP_PIN or typed twice)."""
    cli = get_cli(ctx, json_out)
    view = cli.officers.add(username=username, pin=_new_pin(cli), role=role, full_name=name)
    cli.emit(
        {"officer": view.to_json()},
        cli.tr("cli.user_added", officer=view.username, role=view.role.value),
    )


@app.command("list")
def list_(ctx: typer.Context, json_out: bool = JSON_OPTION) -> None:
    """List officers (never their PINs)."""
    cli = get_cli(ctx, json_out)
    views = cli.officers.list()
    table = Table()
    for key in ("col.username", "col.name", "col.role", "col.enabled", "col.counter"):
        table.add_column(cli.tr(key))
    for v in views:
        locked = " 🔒" if v.locked_until and v.locked_until > cli.hall.now() else ""
        table.add_row(
            v.username,
            v.full_name,
            v.role.value,
            cli.tr("word.yes" if v.active else "word.no") + locked,
            v.counter_code or "—",
        )
    cli.emit({"officers": [v.to_json() for v in views]}, table)


@app.command("set-pin")
def set_pin(
    ctx: typer.Context, username: str = typer.Argument(...), json_out: bool = JSON_OPTION
) -> None:
    """Set a new PIN (clears a lockout)."""
    cli = get_cli(ctx, json_out)
    cli.officers.set_pin(username=username, pin=_new_pin(cli))
    cli.emit({"officer": username}, cli.tr("cli.pin_set", officer=username))


@app.command("disable")
def disable(
    ctx: typer.Context, username: str = typer.Argument(...), json_out: bool = JSON_OPTION
) -> None:
    """Disable an account; its history stays."""
    cli = get_cli(ctx, json_out)
    cli.officers.disable(username=username)
    cli.emit({"officer": username}, cli.tr("cli.user_disabled", officer=username))


@app.command("enable")
def enable(
    ctx: typer.Context, username: str = typer.Argument(...), json_out: bool = JSON_OPTION
) -> None:
    """Enable a disabled account."""
    cli = get_cli(ctx, json_out)
    cli.officers.enable(username=username)
    cli.emit({"officer": username}, cli.tr("cli.user_enabled", officer=username))
