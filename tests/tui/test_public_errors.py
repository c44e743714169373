"""Public screens and a database that is away (issue 16 items 4 and 5): visitors see a calm
message, never a host, user or driver text; the board waits and connects when it can."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.errors import DatabaseUnavailable
from mpp_tui.services.facade import Hall
from mpp_tui.tui.app import make_app
from mpp_tui.tui.backend import Backend
from tests.tui.conftest import make_backend, notices, screen_text, settle, wait_until

DETAIL = 'connection to server at "10.0.0.5", port 5432 failed: FATAL: role "mpp_app" denied'


def flaky(real: Callable[[], Backend], failures: int) -> Callable[[], Backend]:
    """A backend factory that finds the database away `failures` times, then reaches it."""
    left = [failures]

    def build() -> Backend:
        if left[0] > 0:
            left[0] -= 1
            raise DatabaseUnavailable(
                "err.db_unreachable", url="postgresql://mpp_app:***@10.0.0.5/mpp", reason=DETAIL
            )
        return real()

    return build


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("mode", ["kiosk", "board", "survey"])
async def test_a_public_screen_never_shows_database_detail(
    engine: Engine, queue: Hall, tmp_path: Path, mode: str, lang: str
) -> None:
    backend = make_backend(engine, queue, tmp_path, lang=lang)
    app = make_app(flaky(lambda: backend, 1_000), lang=lang, mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = " ".join(notices(app)) + screen_text(app)
        for internal in ("10.0.0.5", "mpp_app", "postgresql", "FATAL", "5432"):
            assert internal not in shown, (internal, shown)
        calm = "gangguan" if lang == "id" else "disturbed"
        assert any(calm in n for n in notices(app)), notices(app)


async def test_the_board_waits_for_the_database_and_then_shows_the_hall(
    engine: Engine, queue: Hall, tmp_path: Path
) -> None:
    """Started while the database is away, the board stays up on its waiting screen and shows
    the hall once the database answers (as it does after a later outage)."""
    backend = make_backend(engine, queue, tmp_path)
    app = make_app(flaky(lambda: backend, 2), mode="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        await wait_until(pilot, lambda: "MPP Kotim" in screen_text(app))
        assert app.return_code is None
