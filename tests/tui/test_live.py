"""Live updates between screens, resuming after a crash, and surviving a database outage."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import TicketStatus
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from mpp_tui.tui.app import make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.counter import CounterScreen
from tests.tui.conftest import (
    cut_database,
    database_of,
    make_backend,
    notices,
    restore_database,
    screen_text,
    settle,
    signed_in_app,
    wait_until,
)

pytestmark = pytest.mark.asyncio


def _desk_codes(app: object) -> list[str]:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, CounterScreen)
    return [t.code for t in screen.desk.next_tickets] if screen.desk else []


async def test_a_kiosk_ticket_appears_without_a_key(backend: Backend, queue: Hall) -> None:
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert _desk_codes(app) == []
        # Another process's connection would do the same: a separate service, same database.
        kiosk = Hall(queue.engine, clock=queue.clock)
        code = kiosk.issuing.issue_ticket(service="KTP").ticket.code
        await wait_until(pilot, lambda: _desk_codes(app) == [code])
        assert code in screen_text(app)


async def test_two_counters_one_database(
    engine: Engine, clock: FrozenClock, officers: Officers, tmp_path: Path
) -> None:
    """A call at L02 takes the ticket off L01's queue on L01's screen, and vice versa."""
    queue_a = Hall(engine, clock=clock)
    queue_b = Hall(engine, clock=clock)
    kk = [queue_a.issuing.issue_ticket(service="KK").ticket.code for _ in range(3)]
    app_a = signed_in_app(make_backend(engine, queue_a, tmp_path), queue_a)
    app_b = signed_in_app(
        make_backend(engine, queue_b, tmp_path), queue_b, counter="L02", officer="sari"
    )
    async with app_a.run_test(size=(100, 30)) as pilot_a, app_b.run_test(size=(100, 30)) as pilot_b:
        await settle(pilot_a)
        await settle(pilot_b)
        assert _desk_codes(app_a) == kk
        assert _desk_codes(app_b) == kk
        await pilot_b.press("n")
        await settle(pilot_b)
        await wait_until(pilot_a, lambda: _desk_codes(app_a) == kk[1:])
        await pilot_a.press("n")
        await settle(pilot_a)
        await wait_until(pilot_b, lambda: _desk_codes(app_b) == kk[2:])
    assert queue_a.tickets.ticket(code=kk[0]).counter_code == "L02"
    assert queue_a.tickets.ticket(code=kk[1]).counter_code == "L01"


async def test_restart_puts_the_officer_back_on_the_active_ticket(
    backend: Backend, queue: Hall
) -> None:
    issued = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", "s")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
    # The process is gone without signing out; the officer signs in again.
    again = make_app(backend, counter="L01")
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"budi", "enter")
        await pilot.press(*"4821", "enter")
        await settle(pilot)
        assert isinstance(again.screen, CounterScreen)
        text = screen_text(again)
        assert "SEDANG DILAYANI" in text
        assert "KTP · Perekaman" in text
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    assert queue.tickets.ticket(code=issued.code).status is TicketStatus.DONE


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_postgres_outage_is_shown_actions_refused_then_carries_on(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    first = queue.issuing.issue_ticket(service="KTP").ticket
    second = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    db = database_of(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        try:
            cut_database(db)
            await wait_until(pilot, lambda: not screen.online)
            assert "DB terputus" in screen_text(app)
            await pilot.press("n")
            await settle(pilot)
            assert any("Basis data" in n for n in notices(app))
            assert isinstance(app.screen, CounterScreen)  # no crash, still working
        finally:
            restore_database(db)
        await wait_until(pilot, lambda: screen.online)
        assert "DB terhubung" in screen_text(app)
        # Nothing was applied while the database was away.
        assert queue.tickets.ticket(code=first.code).status is TicketStatus.WAITING
        await pilot.press("n")
        await settle(pilot)
    assert queue.tickets.ticket(code=first.code).status is TicketStatus.CALLED
    assert queue.tickets.ticket(code=second.code).status is TicketStatus.WAITING


async def test_the_counter_screen_sends_a_heartbeat(backend: Backend, queue: Hall) -> None:
    """The supervisor tells a silent counter screen from a working one by its heartbeat."""
    app = signed_in_app(backend, queue)
    before = next(c for c in queue.overview.overview().counters if c.counter.code == "L01")
    assert before.last_seen_at is None
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        load = next(c for c in queue.overview.overview().counters if c.counter.code == "L01")
        assert load.last_seen_at == queue.now()
        assert load.offline is False
