"""The supervisor's screen: sign-in refused to operators, the live picture, and each action
recorded through Hall (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from mpp_tui.domain.enums import CounterState, TicketStatus
from mpp_tui.services.facade import Hall
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.supervisor import SupervisorScreen
from tests.services.helpers import counter_events, ticket_events
from tests.tui.conftest import notices, screen_text, settle, wait_until

pytestmark = pytest.mark.asyncio


def _app(backend: Backend) -> MppApp:
    spv = next(o for o in backend.hall.officers.list() if o.username == "spv")
    return make_app(backend, mode="supervisor", signed_in=spv)


async def keys(pilot: Pilot[None], *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


async def test_an_operator_cannot_sign_in(backend: Backend) -> None:
    app = make_app(backend, mode="supervisor")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"budi", "enter")
        await pilot.press(*"4821", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, SupervisorScreen)
        assert any("bukan supervisor" in n for n in notices(app))


async def test_a_supervisor_signs_in_and_sees_the_hall(backend: Backend) -> None:
    app = make_app(backend, mode="supervisor")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"spv", "enter")
        await pilot.press(*"7305", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        assert "Antrean per layanan" in screen_text(app)


async def test_live_queue_and_counter_actions(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    app = _app(backend)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        Hall(queue.engine, clock=queue.clock).issuing.issue_ticket(service="KTP")
        await wait_until(pilot, lambda: "KTP · Perekaman" in screen_text(app))
        # L01 is the first row: pause it for a meeting (3), then close it (forced sign-out).
        await keys(pilot, "j", "3")
        assert queue.tickets.counter_view(counter="L01").state is CounterState.PAUSED
        await keys(pilot, "k", "y")
        assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED
        kinds = [(e.kind, e.reason) for e in counter_events(engine)]
        assert kinds[-2:] == [("paused", "rapat"), ("closed", "supervisor: spv")]
        await keys(pilot, "h")
        assert "loket dijeda" in screen_text(app)


async def test_ticket_actions(backend: Backend, queue: Hall, engine: Engine) -> None:
    first = queue.issuing.issue_ticket(service="KTP").ticket
    app = _app(backend)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await keys(pilot, "t")
        await pilot.press(*first.code)
        await keys(pilot, "enter")
        assert "diambil" in screen_text(app)  # its history
        await keys(pilot, "p", "2")  # priority: lansia
        assert queue.tickets.ticket(code=first.code).priority == "lansia"
        await keys(pilot, "t")
        await pilot.press(*first.code)
        await keys(pilot, "enter", "x", "y")  # cancel, confirmed
        assert queue.tickets.ticket(code=first.code).status is TicketStatus.CANCELLED
        await keys(pilot, "t")
        await pilot.press(*first.code)
        await keys(pilot, "enter", "a")  # reactivate
        assert queue.tickets.ticket(code=first.code).status is TicketStatus.WAITING
    kinds = [e.kind for e in ticket_events(engine, first.id)]
    assert kinds == ["issued", "priority_changed", "cancelled", "reactivated"]


async def test_an_unknown_ticket_is_a_notification(backend: Backend) -> None:
    app = _app(backend)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await keys(pilot, "t")
        await pilot.press(*"Z-999")
        await keys(pilot, "enter")
        assert any("Z-999" in n for n in notices(app))
        assert isinstance(app.screen, SupervisorScreen)


async def test_the_daily_log_of_the_whole_hall(backend: Backend, queue: Hall) -> None:
    queue.issuing.issue_ticket(service="KTP")
    queue.issuing.issue_ticket(service="NIB")
    app = _app(backend)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await keys(pilot, "l")
        text = screen_text(app)
        assert "semua loket" in text
        assert "A-001" in text
        assert "B-001" in text
