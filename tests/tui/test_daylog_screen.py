"""The daily log screen: today's tickets of this counter or officer, filters, CSV export."""

from __future__ import annotations

import csv

import pytest
from textual.widgets import DataTable, Select

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.counter import CounterScreen
from mpp_tui.tui.screens.daylog import DayLogScreen
from tests.tui.conftest import notices, screen_text, settle, signed_in_app

pytestmark = pytest.mark.asyncio


def _serve(queue: Hall, clock: FrozenClock, outcome: str, note: str | None = None) -> str:
    ticket = queue.calls.call_next(counter="L01", officer="budi")
    clock.advance(minutes=1)
    queue.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=6)
    queue.calls.finish(counter="L01", officer="budi", outcome=outcome, note=note)
    return ticket.code


def _rows(app: object) -> list[str]:
    table = app.screen.query_one("#log-table", DataTable)  # type: ignore[attr-defined]
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_log_lists_filters_searches_and_exports(
    backend: Backend, queue: Hall, clock: FrozenClock
) -> None:
    for service in ("KTP", "KK", "KTP"):
        queue.issuing.issue_ticket(service=service)
    queue.sessions.open_counter(counter="L01", officer="budi")
    done = _serve(queue, clock, "selesai")
    incomplete = _serve(queue, clock, "berkas_tidak_lengkap", note="KK belum dibawa")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, DayLogScreen)
        assert _rows(app) == [done, incomplete]
        text = screen_text(app)
        assert "KK belum dibawa" in text
        assert "6:00" in text  # service time of both
        assert "2 tiket · 2 dilayani" in text

        app.screen.query_one("#outcome", Select).value = "berkas_tidak_lengkap"
        await settle(pilot)
        assert _rows(app) == [incomplete]
        app.screen.query_one("#outcome", Select).clear()
        await settle(pilot)
        await pilot.press("slash", *done.replace("-", ""))
        await settle(pilot)
        assert _rows(app) == [done]

        app.screen.query_one("#log-table").focus()
        await pilot.press("e")
        await settle(pilot)
        files = list(backend.export_dir.glob("log-L01-2026-11-30.csv"))
        assert len(files) == 1
        assert str(files[0]) in notices(app)[-1]
        with files[0].open(newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert len(rows) == 2  # the header and the filtered ticket
        assert done in rows[1]

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_scope_switches_between_counter_and_officer(
    backend: Backend, queue: Hall, clock: FrozenClock
) -> None:
    queue.issuing.issue_ticket(service="KTP")
    queue.issuing.issue_ticket(service="KTP")
    queue.sessions.open_counter(counter="L01", officer="sari")
    by_sari = _serve_as(queue, clock, "sari")
    queue.sessions.close_counter(counter="L01", officer="sari")
    queue.sessions.open_counter(counter="L01", officer="budi")
    by_budi = _serve_as(queue, clock, "budi")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert _rows(app) == [by_sari, by_budi]
        await pilot.press("m")
        await settle(pilot)
        assert _rows(app) == [by_budi]
        assert "petugas budi" in screen_text(app)


def _serve_as(queue: Hall, clock: FrozenClock, officer: str) -> str:
    ticket = queue.calls.call_next(counter="L01", officer=officer)
    queue.calls.start(counter="L01", officer=officer)
    clock.advance(minutes=3)
    queue.calls.finish(counter="L01", officer=officer)
    return ticket.code


async def test_export_to_an_unwritable_folder_says_so(
    backend: Backend, queue: Hall, tmp_path: object
) -> None:
    from dataclasses import replace
    from pathlib import Path

    blocker = Path(str(tmp_path)) / "not-a-folder"
    blocker.write_text("x")
    app = signed_in_app(replace(backend, export_dir=blocker / "sub"), queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#log-table").focus()
        await pilot.press("e")
        await settle(pilot)
        assert len(notices(app)) == 1
        assert "not-a-folder" in notices(app)[0]
        assert isinstance(app.screen, DayLogScreen)


async def test_a_busy_day_shows_a_screenful_first_then_every_row_in_order(
    backend: Backend, queue: Hall
) -> None:
    """More tickets than the first batch: the screen shows the first rows at once, then the
    whole day (the first rows again, in issue order, none twice), and only the whole day goes
    into the summary."""
    from mpp_tui.tui.backend import Desk
    from mpp_tui.tui.screens.daylog import BATCH_ROWS, FIRST_ROWS

    total = FIRST_ROWS + BATCH_ROWS + 7  # three batches after the first rows
    codes = [
        queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket.code
        for _ in range(total)
    ]
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        supervisor = next(o for o in backend.hall.officers.list() if o.username == "spv")
        await app.push_screen(DayLogScreen(Desk("", supervisor), "id"))
        await settle(pilot)
        assert _rows(app) == codes
        assert f"{total} tiket" in screen_text(app)
