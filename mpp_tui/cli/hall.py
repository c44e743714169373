"""The hall's screens: `mpp kiosk` for visitors and `mpp board` for the TV."""

from __future__ import annotations

from pathlib import Path

import typer

from mpp_tui.cli.context import Cli, get_cli
from mpp_tui.domain.errors import InvalidInput


def kiosk_cmd(
    ctx: typer.Context,
    greeter: bool = typer.Option(
        False, "--greeter", help="Receptionist mode: search services as you type, issue fast."
    ),
) -> None:
    """Open the ticket kiosk (no login): agency → service → priority → ticket."""
    from mpp_tui.cli.screens import run_kiosk

    run_kiosk(get_cli(ctx, False), greeter=greeter)


def board_cmd(
    ctx: typer.Context,
    zone: str | None = typer.Option(None, "--zone", help="Only this zone's counters."),
    agency: str | None = typer.Option(
        None, "--agency", help="Only this agency's counters and calls (agency code)."
    ),
    voice: bool = typer.Option(False, "--voice", help="Announce each call (espeak-ng)."),
    voice_out: Path | None = typer.Option(
        None,
        "--voice-out",
        help="Write each announcement as a WAV file (and its text) into this folder.",
    ),
    say: tuple[str, str] | None = typer.Option(
        None,
        "--say",
        help="Speak one announcement, e.g. --say A-001 L03, and exit (tests the speakers).",
    ),
) -> None:
    """Open the hall board: calls in big letters, counters, queues, voice."""
    cli = get_cli(ctx, False)
    if say is not None:
        _say(cli, say, voice_out)
        return
    from mpp_tui.cli.screens import run_board

    run_board(cli, zone=zone, agency=agency, voice=voice, voice_out=voice_out)


def _say(cli: Cli, say: tuple[str, str], out_dir: Path | None) -> None:
    from mpp_tui.devices.voice import say_once
    from mpp_tui.domain.announce import announcement_text

    code, counter = say
    try:
        text = announcement_text(code, counter)
    except ValueError:
        raise InvalidInput("err.bad_announcement", code=code, counter=counter) from None
    settings = cli.settings
    path = say_once(
        code,
        counter,
        voice_command=settings.voice_command,
        voice_player=settings.voice_player,
        out_dir=out_dir,
    )
    cli.out.print(cli.tr("board.said", text=text))
    if path is not None:
        cli.out.print(cli.tr("board.saved_to", path=path))


def supervisor_cmd(ctx: typer.Context) -> None:
    """Open the supervisor's screen: counters and queues live, and the supervisor's actions."""
    from mpp_tui.cli.screens import run_supervisor

    run_supervisor(get_cli(ctx, False))


def register(root: typer.Typer) -> None:
    """Add the top-level `kiosk`, `board` and `supervisor` commands."""
    root.command("kiosk")(kiosk_cmd)
    root.command("supervisor")(supervisor_cmd)
    root.command("board")(board_cmd)
