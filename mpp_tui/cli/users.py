"""`mpp user …`: officer accounts; every change needs a signed-in admin (a supervisor may reset an
operator's PIN or lock) and is written to the audit log."""

from __future__ import annotations

import os
import sys

import typer
from rich.table import Table

from mpp_tui.cli.context import BY, JSON_OPTION, Cli, get_cli
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import AuthError, InvalidInput

app = typer.Typer(
    help="Petugas / officer accounts: add, list, set-pin, unlock, set-role, disable, enable.",
    no_args_is_help=True,
)


TRIES = 3  # a mistyped or refused new PIN is asked again, this many times in all


def new_pin(cli: Cli, officer: str) -> str:
    """`officer`'s new PIN from MPP_PIN, or typed twice at a masked prompt; at a terminal a
    mismatch or a PIN the policy refuses is said and asked again."""
    from mpp_tui.domain.rules import pin_problem
    from mpp_tui.services.officers import PinRefused

    pin = os.environ.get("MPP_PIN")
    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise AuthError("err.pin_required")
    error: InvalidInput = InvalidInput("err.pin_mismatch")
    for attempt in range(TRIES):
        first = str(typer.prompt(cli.tr("cli.new_pin_prompt", officer=officer), hide_input=True))
        second = str(typer.prompt(cli.tr("cli.pin_repeat"), hide_input=True))
        reason = pin_problem(first) if first == second else None
        if first == second and reason is None:
            return first
        error = PinRefused(reason) if reason else InvalidInput("err.pin_mismatch")
        if attempt < TRIES - 1:
            cli.fail(error)
    raise error


@app.command("add")
def add(
    ctx: typer.Context,
    username: str = typer.Argument(
        ..., help="Login name: 3–32 lower-case letters, digits, dot, underscore."
    ),
    role: Role = typer.Option(Role.OPERATOR, "--role", help="operator, supervisor or admin."),
    name: str = typer.Option("", "--name", help="Full name shown on screens."),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Create an officer (an admin does it; the new PIN from MPP_PIN or typed twice)."""
    cli = get_cli(ctx, json_out)
    actor = cli.acting(by)
    view = cli.officers.add(
        username=username, pin=new_pin(cli, username), role=role, full_name=name, by=actor
    )
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
    ctx: typer.Context,
    username: str = typer.Argument(...),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Set a new PIN (clears a lockout); an admin, or a supervisor for an operator."""
    cli = get_cli(ctx, json_out)
    actor = cli.acting(by)
    cli.officers.set_pin(username=username, pin=new_pin(cli, username), by=actor)
    cli.emit({"officer": username}, cli.tr("cli.pin_set", officer=username))


@app.command("disable")
def disable(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Disable an account (an admin); its history stays."""
    cli = get_cli(ctx, json_out)
    actor = cli.acting(by)
    cli.officers.disable(username=username, by=actor)
    cli.emit({"officer": username}, cli.tr("cli.user_disabled", officer=username))


@app.command("enable")
def enable(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Enable a disabled account (an admin)."""
    cli = get_cli(ctx, json_out)
    actor = cli.acting(by)
    cli.officers.enable(username=username, by=actor)
    cli.emit({"officer": username}, cli.tr("cli.user_enabled", officer=username))


@app.command("unlock")
def unlock(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Lift a lockout without changing the PIN; an admin, or a supervisor for an operator."""
    cli = get_cli(ctx, json_out)
    actor = cli.acting(by)
    cli.officers.unlock(username=username, by=actor)
    cli.emit({"officer": username}, cli.tr("cli.user_unlocked", officer=username))


@app.command("set-role")
def set_role(
    ctx: typer.Context,
    username: str = typer.Argument(...),
    role: Role = typer.Argument(..., help="operator, supervisor or admin."),
    by: str | None = BY,
    json_out: bool = JSON_OPTION,
) -> None:
    """Give an account another role (an admin)."""
    cli = get_cli(ctx, json_out)
    actor = cli.acting(by)
    cli.officers.set_role(username=username, role=role, by=actor)
    cli.emit(
        {"officer": username, "role": role.value},
        cli.tr("cli.user_role_set", officer=username, role=role.value),
    )
