"""Opening the Textual screens from the CLI: paint first, then load the database layer."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from mpp_tui.cli.context import Cli
from mpp_tui.domain.views import OfficerView

if TYPE_CHECKING:
    from mpp_tui.tui.backend import Backend

log = logging.getLogger(__name__)


def tui_backend(cli: Cli, **extra: Any) -> Backend:
    """The Backend the screens run on, for this invocation's database and language.

    Builds the engine, checks the schema and loads the hall: the slow part of starting a
    screen, which the app runs in a worker while its first screen is already showing.
    `extra` sets the hall's devices (printer, announcer) and options.
    """
    from mpp_tui.db.engine import safe_url
    from mpp_tui.services.feed import ChangeFeed, open_feed
    from mpp_tui.tui.backend import Backend

    engine = cli.ready
    hall = cli.hall
    hall_id = hall.ref().hall_id
    hall.supervision.ensure_past_days_closed()  # a new day's first screen closes the days before

    def feed() -> ChangeFeed:
        return open_feed(engine, hall_id=hall_id)

    return Backend(
        hall=hall,
        open_feed=feed,
        lang=cli.lang,
        db_label=safe_url(engine.url),
        export_dir=cli.settings.resolved_export_dir(),
        kiosk_reset_s=float(cli.settings.kiosk_reset_seconds),
        board_text=cli.settings.board_text,
        **extra,
    )


@contextlib.contextmanager
def no_echo() -> Iterator[None]:
    """Stop the terminal echoing keys until the screen takes over, and give the terminal back
    as it was afterwards.

    A fast officer types username, Enter and PIN while the program starts; the terminal would
    print them (the PIN too) until Textual switches it to raw mode. The screen gets the keys
    all the same: the line discipline keeps them.
    """
    try:
        import termios

        fd = sys.stdin.fileno()
        before = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError):  # not a terminal (tests, pipes) or Windows
        yield
        return
    quiet = list(before)
    quiet[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, before)


def run_counter(cli: Cli, counter: str | None, signed_in: OfficerView | None = None) -> None:
    """Run the counter screen until the officer quits.

    Without `signed_in`, the sign-in screen paints before the database layer is imported and
    connected; that happens in a worker (errors appear on the screen).
    """
    with no_echo():  # before Textual loads: keys typed meanwhile must not show
        from mpp_tui.tui.app import make_app  # Textual loads only for commands with a screen

        code = counter or cli.settings.counter
        backend: Backend | None = tui_backend(cli) if signed_in is not None else None
        app = make_app(
            backend if backend is not None else (lambda: tui_backend(cli)),
            lang=cli.lang,
            mode="counter",
            counter=code,
            signed_in=signed_in,
            locked=cli.settings.locked,
        )
        app.run()
    if app.return_code:
        raise typer.Exit(1)


def run_supervisor(cli: Cli) -> None:
    """Run the supervisor's screen (sign-in first) until Ctrl+Q."""
    with no_echo():
        from mpp_tui.tui.app import make_app

        app = make_app(
            lambda: tui_backend(cli), lang=cli.lang, mode="supervisor", locked=cli.settings.locked
        )
        app.run()
    if app.return_code:
        raise typer.Exit(1)


def run_kiosk(cli: Cli, *, greeter: bool) -> None:
    """Run the visitors' kiosk (or the greeter's quick issuing screen) until Ctrl+Q."""
    from mpp_tui.tui.app import make_app

    settings = cli.settings
    printer = None
    if settings.printer:
        from mpp_tui.devices.printer import open_printer

        printer = open_printer(settings.printer, settings.printer_width)
    app = make_app(
        lambda: tui_backend(cli, printer=printer),
        lang=cli.lang,
        mode="greeter" if greeter else "kiosk",
        locked=settings.locked,
    )
    app.run()
    if app.return_code:
        raise typer.Exit(1)


def run_board(
    cli: Cli,
    *,
    zone: str | None,
    agency: str | None,
    voice: bool,
    voice_out: Path | None,
) -> None:
    """Run the hall board until Ctrl+Q; with `voice`, announce each call."""
    from mpp_tui.domain.errors import DatabaseUnavailable
    from mpp_tui.tui.app import make_app

    try:  # an unknown zone or agency: one line, exit 1
        cli.hall.public.board(zone=zone, agency=agency)
    except DatabaseUnavailable as exc:
        # The board hangs in a hall that may power up before its server: it shows its waiting
        # screen and connects when the database answers (the zone is checked then).
        log.warning("board starting without the database: %s", exc.message("en"))
    announcer = None
    if voice or voice_out is not None:
        from mpp_tui.devices.voice import Announcer

        settings = cli.settings
        announcer = Announcer(
            settings.voice_command, settings.voice_player, voice_out, lang=cli.lang
        )
    try:
        app = make_app(
            lambda: tui_backend(cli, announcer=announcer),
            lang=cli.lang,
            mode="board",
            zone=zone,
            agency=agency,
            locked=cli.settings.locked,
        )
        app.run()
    finally:
        if announcer is not None:
            announcer.close()
    if app.return_code:
        raise typer.Exit(1)


def run_survey(cli: Cli, *, counter: str | None) -> None:
    """Run the SKM survey screen until Ctrl+Q; with `counter`, it offers the tickets just
    finished at that counter instead of asking for a number."""
    from mpp_tui.tui.app import make_app

    if counter is not None:
        counter = cli.hall.ctx.counter(counter).code  # an unknown counter: one line, exit 1
    app = make_app(
        lambda: tui_backend(cli),
        lang=cli.lang,
        mode="survey",
        counter=counter,
        locked=cli.settings.locked,
    )
    app.run()
    if app.return_code:
        raise typer.Exit(1)
