"""Snapshot tests (pytest-textual-snapshot): the counter screens at 80×24 and 120×40; the kiosk,
the greeter and the hall board at 80×24 and 160×45.

Only SQLite: the `engine` fixture below overrides the parametrised one of tests/conftest.py, so
`officers`, `queue` and `backend` all run on a fresh copy of the SQLite template. The data is
fixed and the clock frozen, so every run draws the same screens. The kiosk, greeter and board
follow the change feed: their tests wait until the feed listens (its first catch-up reload done)
before pressing keys, so a late reload cannot redraw a step. The board's running text and the
flash of a new call move with wall time: the running text is stopped and stepped once by hand,
and the calls are made before the board starts (the first look never flashes).

Create or refresh the SVGs (in __snapshots__/test_snapshots/) after a deliberate change with
`uv run pytest tests/tui/test_snapshots.py --snapshot-update`, and look at them before
committing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input

from mpp_tui.db.engine import make_engine
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import ChangeFeed
from mpp_tui.services.officers import Officers
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens import board as board_module
from mpp_tui.tui.screens.board import BoardScreen
from mpp_tui.tui.screens.counter import CounterScreen
from mpp_tui.tui.screens.daylog import DayLogScreen
from mpp_tui.tui.screens.greeter import GreeterScreen
from mpp_tui.tui.screens.kiosk import KioskScreen
from mpp_tui.tui.screens.login import LoginScreen
from tests.conftest import MONDAY_0900, fresh_sqlite_url
from tests.tui.conftest import make_backend, settle, signed_in_app

# pytest-textual-snapshot 1.0.0 names its file type in syrupy 4's `_file_extension`; syrupy 5+
# reads `file_extension`, so without this the SVGs would be saved as `.raw` files.
SVGImageExtension.file_extension = "svg"

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# The kiosk and the board: a small terminal and a TV-sized one (the board's biggest letters).
HALL_SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]

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
def waiting(queue: Hall, clock: FrozenClock) -> list[str]:
    """Five tickets issued between 08:05 and 08:44; the clock is back at 09:00 afterwards."""
    codes = []
    for minutes_before, service, priority in QUEUE:
        clock.set(MONDAY_0900 - timedelta(minutes=minutes_before))
        codes.append(queue.issuing.issue_ticket(service=service, priority=priority).ticket.code)
    clock.set(MONDAY_0900)
    assert clock.now() == MONDAY_0900
    return codes


def counter_app(
    engine: Engine,
    queue: Hall,
    officers: Officers,
    tmp_path: Path,
    *,
    lang: str = "id",
) -> MppApp:
    """budi signed in at L01, in `lang`."""
    backend = make_backend(engine, queue, tmp_path / "exports", lang=lang)
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
    queue: Hall,
    officers: Officers,
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
    queue: Hall,
    officers: Officers,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """N calls A-003 (priority) at 09:00; the screen is shown 45 s later (call 1)."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(keys("n"), advance(clock, seconds=45), repaint)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
    assert queue.tickets.ticket(code="A-003").call_count == 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_counter_serving(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: Hall,
    officers: Officers,
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
    queue: Hall,
    officers: Officers,
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
    queue: Hall,
    officers: Officers,
    tmp_path: Path,
) -> None:
    """P, then 2: paused for prayer (sholat); the queue still shows."""
    app = counter_app(engine, queue, officers, tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=steps(keys("p", "2")))
    assert queue.tickets.counter_view(counter="L01").pause_reason == "sholat"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("waiting")
def test_finish_dialog(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: Hall,
    officers: Officers,
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
    queue: Hall,
    officers: Officers,
    clock: FrozenClock,
    tmp_path: Path,
) -> None:
    """T while serving A-003: every other service of the hall, the counter and the note."""
    app = counter_app(engine, queue, officers, tmp_path)
    run_before = steps(keys("n", "s"), advance(clock, minutes=3), repaint, keys("t"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.fixture
def morning(waiting: list[str], queue: Hall, clock: FrozenClock) -> None:
    """budi's morning at L01 until 09:40, done through the services (fast, and fixed):
    three finished tickets (one with a note), a no-show and a transfer; nothing active."""
    at = {"counter": "L01", "officer": "budi"}
    queue.sessions.open_counter(**at)
    queue.calls.call_next(**at)  # A-003 (lansia): 09:00 called, 09:01 started, 09:07 done
    clock.advance(minutes=1)
    queue.calls.start(**at)
    clock.advance(minutes=6)
    queue.calls.finish(**at, outcome="selesai")
    clock.advance(minutes=1)
    queue.calls.call_next(**at)  # 09:08 called, 09:09 started, 09:21 incomplete documents
    clock.advance(minutes=1)
    queue.calls.start(**at)
    clock.advance(minutes=12)
    queue.calls.finish(**at, outcome="berkas_tidak_lengkap")
    queue.calls.call_next(**at)  # called twice, then a no-show at 09:25
    clock.advance(minutes=2)
    queue.calls.recall(**at)
    clock.advance(minutes=2)
    queue.calls.no_show(**at)
    clock.advance(minutes=1)
    queue.calls.call_next(**at)  # 09:26 to 09:35, "lainnya" with a note
    queue.calls.start(**at)
    clock.advance(minutes=9)
    queue.calls.finish(**at, outcome="lainnya", note="ganti alamat")
    queue.calls.call_next(**at)  # A-005 (KK): served 09:35 to 09:40, sent on to AKTA_LAHIR
    queue.calls.start(**at)
    clock.advance(minutes=5)
    queue.calls.transfer(**at, service="AKTA_LAHIR", note="bawa KK asli")
    assert queue.tickets.counter_view(counter="L01").active is None


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("morning")
def test_daily_log(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    engine: Engine,
    queue: Hall,
    officers: Officers,
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
    queue: Hall,
    officers: Officers,
    tmp_path: Path,
) -> None:
    """The sign-in screen of a PC fixed at counter L01."""
    backend: Backend = make_backend(engine, queue, tmp_path / "exports")
    app = make_app(backend, counter="L01")
    assert snap_compare(app, terminal_size=size, run_before=steps(expect(LoginScreen)))


# --- kiosk, greeter and hall board ---------------------------------------------------------------

# Disdukcapil is the kiosk's agency 1, KTP its service 4; priority 2 is lansia.
DUKCAPIL, KTP, LANSIA = "1", "4", "2"


class WatchedFeed:
    """A change feed that says when its screen's feed loop first waits on it: by then the loop
    has posted its catch-up change, so settling afterwards finishes that reload."""

    def __init__(self, feed: ChangeFeed, listening: threading.Event) -> None:
        self.feed = feed
        self.listening = listening

    def wait(self, timeout: float) -> bool:
        self.listening.set()
        return self.feed.wait(timeout)

    def close(self) -> None:
        self.feed.close()


def hall_app(backend: Backend, mode: str) -> tuple[MppApp, RunBefore]:
    """An app in `mode` whose feed is watched, and the first step of its run_before: wait until
    the feed listens, then settle."""
    listening = threading.Event()

    def open_feed() -> ChangeFeed:
        return WatchedFeed(backend.open_feed(), listening)  # type: ignore[return-value]

    app = make_app(dataclasses.replace(backend, open_feed=open_feed), mode=mode)

    async def feed_listening(pilot: Pilot[None]) -> None:
        for _ in range(1000):
            if listening.is_set():
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the change feed never started")
        await pilot.pause()
        await settle(pilot)

    return app, feed_listening


def kiosk_backend(backend: Backend) -> Backend:
    """The ticket or message stays up for an hour instead of returning to the start."""
    return dataclasses.replace(backend, kiosk_reset_s=3600)


def kiosk_step(step: str, switch: str = "kiosk-choose") -> Callable[[Pilot[None]], Awaitable[None]]:
    async def act(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, KioskScreen), type(screen)
        assert screen.step == step
        assert screen.query_one("#kiosk-switch", ContentSwitcher).current == switch

    return act


@pytest.mark.parametrize("size", HALL_SIZES)
@pytest.mark.usefixtures("waiting")
def test_kiosk_agencies(snap_compare: SnapCompare, size: tuple[int, int], backend: Backend) -> None:
    """The first step: the agencies with their waiting counts; Disdukcapil's services beside."""
    app, listening = hall_app(kiosk_backend(backend), "kiosk")
    run_before = steps(listening, kiosk_step("agency"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", HALL_SIZES)
@pytest.mark.usefixtures("waiting")
def test_kiosk_service_ktp(
    snap_compare: SnapCompare, size: tuple[int, int], backend: Backend
) -> None:
    """Disdukcapil's services, KTP highlighted: its fee, time, queue, quota and requirements."""
    app, listening = hall_app(kiosk_backend(backend), "kiosk")
    run_before = steps(listening, keys(DUKCAPIL, "enter", KTP), kiosk_step("service"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", HALL_SIZES)
@pytest.mark.usefixtures("waiting")
def test_kiosk_ticket_lansia(
    snap_compare: SnapCompare, size: tuple[int, int], backend: Backend, queue: Hall
) -> None:
    """KTP for a lansia at 09:00, after the five tickets of the morning: A-006 in big letters."""
    app, listening = hall_app(kiosk_backend(backend), "kiosk")
    run_before = steps(
        listening,
        keys(DUKCAPIL, "enter", KTP, "enter", LANSIA, "enter"),
        kiosk_step("priority", "kiosk-ticket"),
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)
    ticket = queue.tickets.ticket(code="A-006")
    assert (ticket.service_code, ticket.priority) == ("KTP", "lansia")


@pytest.mark.parametrize("size", HALL_SIZES)
def test_kiosk_quota_reached(
    snap_compare: SnapCompare, size: tuple[int, int], backend: Backend, queue: Hall
) -> None:
    """KTP's 30 numbers of the day are gone: a message, and no ticket."""
    for _ in range(30):
        queue.issuing.issue_ticket(service="KTP")
    app, listening = hall_app(kiosk_backend(backend), "kiosk")
    run_before = steps(
        listening,
        keys(DUKCAPIL, "enter", KTP, "enter"),
        kiosk_step("service", "kiosk-message"),
    )
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", HALL_SIZES)
@pytest.mark.usefixtures("waiting")
def test_greeter_search(snap_compare: SnapCompare, size: tuple[int, int], backend: Backend) -> None:
    """The greeter typed "akta": the matching services of every agency, the first highlighted."""
    app, listening = hall_app(backend, "greeter")
    run_before = steps(listening, keys(*"akta"), expect(GreeterScreen))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


# Tickets waiting in the hall at 09:00, as (minutes before 09:00, service, priority).
HALL_QUEUE = [
    (50, "KTP", None),
    (47, "NIB", None),  # B-001
    (44, "KK", "lansia"),
    (41, "PKB_TAHUNAN", None),  # C-001
    (38, "NIB", None),  # B-002
    (35, "JKN_DAFTAR", None),  # F-001
    (32, "PINDAH", None),
    (29, "NPWP", None),  # J-001
    (26, "KTP", None),
    (23, "SIM_C", None),  # D-001
]


@pytest.fixture
def hall_calls(queue: Hall, clock: FrozenClock) -> None:
    """Ten tickets from 08:10; L01 (budi) and L03 (sari) open; L01 calls A-002 (lansia first)
    at 08:52, L03 calls B-001 at 08:56 and L01 calls A-002 again at 09:00."""
    for minutes_before, service, priority in HALL_QUEUE:
        clock.set(MONDAY_0900 - timedelta(minutes=minutes_before))
        queue.issuing.issue_ticket(service=service, priority=priority)
    clock.set(MONDAY_0900 - timedelta(minutes=10))
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L03", officer="sari")
    clock.set(MONDAY_0900 - timedelta(minutes=8))
    assert queue.calls.call_next(counter="L01", officer="budi").code == "A-002"
    clock.set(MONDAY_0900 - timedelta(minutes=4))
    assert queue.calls.call_next(counter="L03", officer="sari").code == "B-001"
    clock.set(MONDAY_0900)
    queue.calls.recall(counter="L01", officer="budi")


async def marquee_once(pilot: Pilot[None]) -> None:
    """Draw the running text at its first step (its timer is stopped in these tests)."""
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen), type(screen)
    screen._scroll_marquee()
    await settle(pilot)


@pytest.mark.parametrize("size", HALL_SIZES)
@pytest.mark.usefixtures("hall_calls")
def test_board(
    snap_compare: SnapCompare,
    size: tuple[int, int],
    backend: Backend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hall board at 09:00: A-002 recalled to Loket 1 in big letters, the three calls,
    L01 and L03 serving, and the waiting count of each agency."""
    monkeypatch.setattr(board_module, "MARQUEE_STEP_S", 3600.0)
    app, listening = hall_app(backend, "board")
    run_before = steps(listening, marquee_once)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
