"""A restore while screens run (issue 15): the counter screen returns to sign-in with a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from mpp_tui.db.backup import backup, restore
from mpp_tui.services.facade import Hall
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.counter import CounterScreen
from mpp_tui.tui.screens.login import LoginScreen
from tests.tui.conftest import notices, settle, signed_in_app, wait_until


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # `mpp restore` is SQLite's
async def test_a_restore_sends_the_counter_back_to_sign_in(
    backend: Backend, queue: Hall, engine: Engine, tmp_path: Path
) -> None:
    """Budi works at L01; the database is restored from a backup taken before he signed in;
    his screen notices on its next reload and shows the sign-in with the reason."""
    database = Path(str(engine.url.database))
    saved = tmp_path / "saved.sqlite"
    backup(database, saved)
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
        restore(saved, database)
        queue.issuing.issue_ticket(service="KTP")  # any change: the feed wakes the screen
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("dipulihkan dari cadangan" in n for n in notices(app))
