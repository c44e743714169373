"""Fixtures for the screens: a Backend on a real database and helpers to drive an app."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import Engine
from textual.app import App
from textual.pilot import Pilot

from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import ChangeFeed, open_feed
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend
from tests.conftest import pg_exec

# Workers that never finish by design (the change-feed loop).
ENDLESS_GROUPS = {"feed"}


def make_backend(
    engine: Engine,
    queue: Hall,
    export_dir: Path,
    *,
    lang: str = "id",
) -> Backend:
    hall_id = queue.ref().hall_id

    def feed() -> ChangeFeed:
        return open_feed(engine, hall_id=hall_id)

    return Backend(
        hall=queue,
        open_feed=feed,
        lang=lang,
        db_label="test",
        export_dir=export_dir,
    )


@pytest.fixture
def backend(engine: Engine, queue: Hall, tmp_path: Path) -> Backend:
    return make_backend(engine, queue, tmp_path / "exports")


async def settle(pilot: Pilot[None], rounds: int = 20) -> None:
    """Let every finite worker finish and every message it posted be handled (no sleeping).

    Handlers start new workers (an action reloads the desk), so this repeats until a round
    starts nothing new.
    """
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        running = [w for w in app.workers if w.group not in ENDLESS_GROUPS and not w.is_finished]
        if not running:
            await pilot.pause()
            if not [w for w in app.workers if w.group not in ENDLESS_GROUPS and not w.is_finished]:
                return
            continue
        await app.workers.wait_for_complete(running)
    raise AssertionError("workers kept starting; the screen never settled")


async def wait_until(pilot: Pilot[None], condition: object, *, rounds: int = 400) -> None:
    """Pump the app until `condition()` holds — for changes that arrive through the change
    feed from another connection, where there is no worker of ours to wait for."""
    assert callable(condition)
    for _ in range(rounds):
        await settle(pilot)
        if condition():
            return
        await asyncio.sleep(0.02)  # the feed thread needs wall time to see another commit
    raise AssertionError("condition never became true")


def signed_in_app(
    backend: Backend, queue: Hall, *, counter: str = "L01", officer: str = "budi"
) -> MppApp:
    """An app already signed in at `counter` (the counter is opened through the service)."""
    queue.sessions.open_counter(counter=counter, officer=officer)
    view = next(o for o in backend.hall.officers.list() if o.username == officer)
    return make_app(backend, counter=counter, signed_in=view)


def screen_text(app: App[None]) -> str:
    """Everything visible on the screen (dialogs over their screen), as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        legacy_windows=False,
        safe_box=False,
        color_system=None,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def notices(app: App[None]) -> list[str]:
    """The notifications raised so far (title: message), oldest first."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def database_of(engine: Engine) -> str:
    name = engine.url.database
    assert name
    return name


def cut_database(db: str) -> None:
    """The database server stops answering for this database: no new connections, and every
    open one is killed (as a server restart or a network cut does)."""
    pg_exec(f"ALTER DATABASE {db} ALLOW_CONNECTIONS false")
    pg_exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    )


def restore_database(db: str) -> None:
    pg_exec(f"ALTER DATABASE {db} ALLOW_CONNECTIONS true")
