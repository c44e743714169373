"""A locked screen (setting `locked`, kiosk mode): no key quits it, suspends it or opens a
palette; unlocked, Ctrl+Q still quits and Ctrl+C still says how."""

from __future__ import annotations

import pytest

from mpp_tui.tui.app import LOCKED_OUT_ACTIONS, make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.board import BoardScreen
from mpp_tui.tui.screens.kiosk import KioskScreen
from tests.tui.conftest import notices, settle

pytestmark = pytest.mark.asyncio
ESCAPE_KEYS = ("ctrl+c", "ctrl+z", "ctrl+backslash", "ctrl+p", "ctrl+q")


@pytest.mark.parametrize(("mode", "screen"), [("kiosk", KioskScreen), ("board", BoardScreen)])
async def test_a_locked_screen_survives_every_escape_key(
    backend: Backend, mode: str, screen: type[object]
) -> None:
    app = make_app(backend, mode=mode, locked=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ESCAPE_KEYS:
            await pilot.press(key)
            await settle(pilot)
        assert app.is_running
        assert app.return_code is None
        assert isinstance(app.screen, screen)
        assert notices(app) == []  # no "press ctrl+q to quit" hint either
        for action in sorted(LOCKED_OUT_ACTIONS):
            assert await app.run_action(action) is False, action  # refused, never dispatched


async def test_an_unlocked_screen_still_quits_with_ctrl_q(backend: Backend) -> None:
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert any("ctrl+q" in notice for notice in notices(app))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0
