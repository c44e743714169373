"""Snapshot tests of the counter screens (pytest-textual-snapshot), at 80×24 and 120×40.

Only SQLite: the `engine` fixture below overrides the parametrised one of tests/conftest.py, so
`officers`, `queue` and `backend` all run on a fresh copy of the SQLite template. The data is
fixed and the clock frozen, so every run draws the same screens.

Create or refresh the SVGs (in __snapshots__/test_snapshots/) after a deliberate change with
`uv run pytest tests/tui/test_snapshots.py --snapshot-update`, and look at them before
committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import Input

from mpp_tui.db.engine import make_engine
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.officers import OfficerService
from mpp_tui.services.queue import QueueService
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.counter import CounterScreen
from mpp_tui.tui.screens.daylog import DayLogScreen
from mpp_tui.tui.screens.login import LoginScreen
from tests.conftest import MONDAY_0900, fresh_sqlite_url
from tests.tui.conftest import make_backend, settle, signed_in_app

# pytest-textual-snapshot 1.0.0 names its file type in syrupy 4's `_file_extension`; syrupy 5+
# reads `file_extension`, so without this the SVGs would be saved as `.raw` files.
SVGImageExtension.file_extension = "svg"

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

# The morning's queue at L01 (KTP, KK, PINDAH), as minutes before 09:00 WIB. A-003 is the
# priority ticket, so it is the one the counter calls first.
QUEUE = [
    (55, "KTP", None),  # A-001, 08:05
    (48, "KK", None),  # A-002, 08:12
    (40, "KTP", "lansia"),  # A-003, 08:20
    (29, "PINDAH", None),  # A-004, 08:31
    (16, "KK", None),  # A-005, 08:44
]


@pytest.fixture
def engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite copy of the migrated, seeded template (overrides the sqlite/postgres one)."""
    eng = make_engine(fresh_sqlite_url(sqlite_template, tmp_path))
    yield eng
    eng.dispose()


@pytest.fixture
def waiting(queue: QueueService, clock: FrozenClock) -> list[str]:
    """Five tickets issued between 08:05 and 08:44; the clock is back at 09:00 afterwards."""
    codes = []
    for minutes_before, service, priority in QUEUE:
        clock.set(MONDAY_0900 - timedelta(minutes=minutes_before))
        codes.append(queue.issue_ticket(service=service, priority=priority).ticket.code)
    clock.set(MONDAY_0900)
    assert clock.now() == MONDAY_0900
    return codes


def counter_app(
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    tmp_path: Path,
    *,
    lang: str = "id",
) -> MppApp:
    """budi signed in at L01, in `lang`."""
    backend = make_backend(engine, queue, officers, tmp_path / "exports", lang=lang)
    return signed_in_app(backend, queue)


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Press each key, let the app settle after it (workers done, messages handled) and drop
    the toast the action left: a toast on a screen that a dialog then covers stays drawn
    under the dialog, whatever `clear_notifications` does later."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)


async def steady(pilot: Pilot[None]) -> None:
    """Settle, drop the toasts, and stop cursors blinking: the screen is the same every run."""
    await settle(pilot)
    pilot.app.clear_notifications()
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a steady, visible cursor
    await settle(pilot)


def counter_screen(pilot: Pilot[None]) -> CounterScreen:
    screen = pilot.app.screen
    assert isinstance(screen, CounterScreen)
    return screen


async def repaint(pilot: Pilot[None]) -> None:
    """Reload the desk after the clock moved, so the running times show the new time."""
    counter_screen(pilot).refresh_desk()
    await settle(pilot)


def steps(*actions: Callable[[Pilot[None]], Awaitable[None]]) -> RunBefore:
    """A run_before that does `actions` in order, then steadies the screen."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for action in actions:
            await action(pilot)
        await steady(pilot)

    return run_before


def keys(*names: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def act(pilot: Pilot[None]) -> None:
        await press(pilot, *names)

    return act


def advance(clock: FrozenClock, **delta: float) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def act(pilot: Pilot[None]) -> None:
        clock.advance(**delta)

    return act


def expect(screen_type: type[Any]) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def act(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app.screen, screen_type), type(pilot.app.screen)

    return act


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_counter_idle_with_queue(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    tmp_path: Path,
) -> None:
    """Open, nothing active; five tickets wait, A-003 (lansia) first."""
    app = counter_app(engine, queue, officers, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=steps(expect(CounterScreen)))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_counter_ticket_called(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """N calls A-003 (priority) at 09:00; the screen is shown 45 s later (call 1)."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(keys("n"), advance(clock, seconds=45), repaint)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
    assert queue.ticket(code="A-003").call_count == 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_counter_serving(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """A-003 called at 09:00, started at 09:01, three minutes into its service."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(
        keys("n"), advance(clock, minutes=1), keys("s"), advance(clock, minutes=3), repaint
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_counter_serving_english(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """The serving state of test_counter_serving, in English."""
    app = counter_app(engine, queue, officers, tmp_path, lang="en")
    run_before = steps(
        keys("n"), advance(clock, minutes=1), keys("s"), advance(clock, minutes=3), repaint
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_counter_paused(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    tmp_path: Path,
) -> None:
    """P, then 2: paused for prayer (sholat); the queue still shows."""
    app = counter_app(engine, queue, officers, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=steps(keys("p", "2")))
    assert queue.counter_view(counter="L01").pause_reason == "sholat"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_finish_dialog(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """F while serving A-003: the outcomes, numbered, and the optional note."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(keys("n", "s"), advance(clock, minutes=3), repaint, keys("f"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_transfer_dialog(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """T while serving A-003: every other service of the hall, the counter and the note."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(keys("n", "s"), advance(clock, minutes=3), repaint, keys("t"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.fixture
def morning(waiting: list[str], queue: QueueService, clock: FrozenClock) -> None:
    """budi's morning at L01 until 09:40, done through the services (fast, and fixed):
    three finished tickets (one with a note), a no-show and a transfer; nothing active."""
    at = {"counter": "L01", "officer": "budi"}
    queue.open_counter(**at)
    queue.call_next(**at)  # A-003 (lansia): 09:00 called, 09:01 started, 09:07 done
    clock.advance(minutes=1)
    queue.start(**at)
    clock.advance(minutes=6)
    queue.finish(**at, outcome="selesai")
    clock.advance(minutes=1)
    queue.call_next(**at)  # 09:08 called, 09:09 started, 09:21 incomplete documents
    clock.advance(minutes=1)
    queue.start(**at)
    clock.advance(minutes=12)
    queue.finish(**at, outcome="berkas_tidak_lengkap")
    queue.call_next(**at)  # called twice, then a no-show at 09:25
    clock.advance(minutes=2)
    queue.recall(**at)
    clock.advance(minutes=2)
    queue.no_show(**at)
    clock.advance(minutes=1)
    queue.call_next(**at)  # 09:26 to 09:35, "lainnya" with a note
    queue.start(**at)
    clock.advance(minutes=9)
    queue.finish(**at, outcome="lainnya", note="ganti alamat")
    queue.call_next(**at)  # A-005 (KK): served 09:35 to 09:40, sent on to AKTA_LAHIR
    queue.start(**at)
    clock.advance(minutes=5)
    queue.transfer(**at, service="AKTA_LAHIR", note="bawa KK asli")
    assert queue.counter_view(counter="L01").active is None


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("morning")
def test_daily_log(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    tmp_path: Path,
) -> None:
    """L at 09:40 after the morning's work: the day's tickets of L01, times and outcomes."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(keys("l"), expect(DayLogScreen))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_login(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: QueueService,
    officers: OfficerService,
    tmp_path: Path,
) -> None:
    """The sign-in screen of a PC fixed at counter L01."""
    backend: Backend = make_backend(engine, queue, officers, tmp_path / "exports")
    app = make_app(backend, counter="L01")
    assert snap_compare(app, terminal_size=size, run_before=steps(expect(LoginScreen)))
