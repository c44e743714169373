"""Opening the Textual screens from the CLI: build the backend, run the app."""

from __future__ import annotations

import typer

from mpp_tui.cli.context import Cli
from mpp_tui.db.engine import safe_url
from mpp_tui.domain.views import OfficerView
from mpp_tui.services.feed import ChangeFeed, open_feed
from mpp_tui.tui.backend import Backend


def tui_backend(cli: Cli) -> Backend:
    """The Backend the screens run on, for this invocation's database and language."""
    engine = cli.ready
    queue = cli.queue
    hall_id = queue.ref().hall_id

    def feed() -> ChangeFeed:
        return open_feed(engine, hall_id=hall_id)

    return Backend(
        queue=queue,
        officers=cli.officers,
        open_feed=feed,
        lang=cli.lang,
        db_label=safe_url(engine.url),
        export_dir=cli.settings.resolved_export_dir(),
    )


def run_counter(cli: Cli, counter: str | None, signed_in: OfficerView | None = None) -> None:
    """Run the counter screen until the officer quits."""
    from mpp_tui.tui.app import make_app  # Textual loads only for commands that show a screen

    backend = tui_backend(cli)
    code = counter or cli.settings.counter
    if code:
        cli.queue.counter(code)  # an unknown counter is a CLI error, before the screen opens
    app = make_app(backend, mode="counter", counter=code, signed_in=signed_in)
    app.run()
    if app.return_code:
        raise typer.Exit(1)
