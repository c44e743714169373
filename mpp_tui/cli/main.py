"""The `mpp` command: global options, error handling, and the command groups."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from mpp_tui import __version__
from mpp_tui.cli import admin, calls, counters, day, hall, logs, reports, survey, tickets, users
from mpp_tui.cli import backup as backup_cli
from mpp_tui.cli import plan as plan_cli
from mpp_tui.cli.context import Cli, shown_message
from mpp_tui.cli.simulate import simulate_app
from mpp_tui.config import Settings, load_settings, startup_warnings
from mpp_tui.domain.errors import InvalidInput, MppError
from mpp_tui.i18n import normalise_lang, t
from mpp_tui.logs import setup_logging

log = logging.getLogger("mpp_tui.cli")


class MppGroup(TyperGroup):
    """Turns every error into one readable line and exit code 1; tracebacks go to the log."""

    def make_context(self, info_name: Any, args: Any, *rest: Any, **kwargs: Any) -> Any:
        try:
            ctx = super().make_context(info_name, args, *rest, **kwargs)
            # Remember --json now: the group forgets the subcommand's arguments before its
            # callback runs, and an error there must still answer in JSON.
            ctx.meta["mpp_json"] = "--json" in args
            return ctx
        except TyperException as exc:  # a bad global option is bad input too
            _exit_1_for_usage(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MppError as exc:
            cli = ctx.obj if isinstance(ctx.obj, Cli) else None
            if cli is None:
                cli = Cli(Settings.model_construct(lang=_lang_from(ctx)))  # type: ignore[arg-type]
            if _wants_json(ctx):  # the error came before the command could say so
                cli.json = True
            cli.fail(exc)
            log.info("refused: %s", shown_message(exc, "en"))
            ctx.exit(1)
        except TyperException as exc:
            _exit_1_for_usage(exc)
            raise
        except (Exit, Abort):
            raise
        except Exception:
            cli = ctx.obj if isinstance(ctx.obj, Cli) else None
            settings = cli.settings if cli else Settings.model_construct()
            # Before the root callback set logging up, a record would reach the screen.
            setup_logging(settings.resolved_log_file())
            log.exception("unexpected error")
            lang = cli.lang if cli else _lang_from(ctx)
            where = settings.resolved_log_file()
            typer.echo(t("err.unexpected", lang, log=where), err=True)
            ctx.exit(1)


def _exit_1_for_usage(exc: TyperException) -> None:
    """Usage errors (unknown option, bad value) are bad input: exit 1 like every other refusal."""
    if getattr(exc, "exit_code", 1) == 2 and type(exc).__name__ != "NoArgsIsHelpError":
        exc.exit_code = 1


def _wants_json(ctx: Any) -> bool:
    return bool(ctx.meta.get("mpp_json", False))


def _lang_from(ctx: Any) -> str:
    return normalise_lang(ctx.params.get("lang") if ctx.params else None)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"mpp-tui {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    cls=MppGroup,
    name="mpp",
    help="mpp-tui: antrean dan loket Mal Pelayanan Publik / the MPP queue and counter system.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database URL (else MPP_DATABASE_URL, the config file, or embedded SQLite).",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language: id (default) or en. Env: MPP_LANG."
    ),
    hall: str | None = typer.Option(
        None, "--hall", help="Hall code when the database serves several."
    ),
    config: Path | None = typer.Option(
        None, "--config", help="Config file (TOML); default in the user config directory."
    ),
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_show_version, help="Print the version."
    ),
) -> None:
    """Global options shared by every command."""
    if lang is not None and lang.strip().lower() not in ("id", "en"):
        raise InvalidInput("err.lang_invalid", value=lang[:10])
    settings = load_settings(config, database_url=db, lang=lang, hall=hall)
    setup_logging(settings.resolved_log_file())
    for warning in startup_warnings(settings):
        typer.echo(warning, err=True)
        log.warning("%s", warning)
    ctx.obj = Cli(settings)


app.add_typer(tickets.app, name="ticket")
app.add_typer(calls.app, name="call")
app.add_typer(counters.app, name="counter")
app.add_typer(users.app, name="user")
app.add_typer(day.app, name="day")
app.add_typer(simulate_app, name="simulate")
counters.register(app)
hall.register(app)
logs.register(app)
reports.register(app)
survey.register(app, reports.app)
admin.register(app)
backup_cli.register(app)
plan_cli.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
