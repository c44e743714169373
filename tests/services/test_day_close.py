"""Automatic day close: a past day's leftovers are expired exactly once, whoever does it.

`Hall.ensure_past_days_closed()` runs when a screen starts; several PCs start at once
every morning, so real processes race to close the same days here, on both backends.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as stdlib_queue
import traceback
from collections import Counter as Tally
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mpp_tui.cli.context import Cli
from mpp_tui.cli.screens import tui_backend
from mpp_tui.config import Settings
from mpp_tui.db.engine import make_engine
from mpp_tui.db.tables import DAY_CLOSE
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import MONDAY_0900
from tests.services.helpers import EV, TT, last_event_id

pytestmark = pytest.mark.slow

MONDAY = date(2026, 11, 30)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY_0900 = MONDAY_0900 + timedelta(days=2)
CLOSERS = 6  # processes starting their screens at the same moment
PER_DAY = 40  # tickets issued each day; 5 of them are served, the rest are left waiting
SERVED = 5
START_TIMEOUT_S = 120.0  # spawning on 2 cores, importing SQLAlchemy in each
SERVICES = ("KTP", "KK", "NIB", "PDAM_BAYAR")


def _fill_day(queue: Hall, clock: FrozenClock, at: datetime) -> list[int]:
    """Issue PER_DAY tickets at `at`, serve SERVED of them at L01; return the waiting ids."""
    clock.set(at)
    queue.sessions.open_counter(counter="L01", officer="budi")
    ids = [
        queue.issuing.issue_ticket(service=SERVICES[n % len(SERVICES)]).ticket.id
        for n in range(PER_DAY)
    ]
    served = set()
    for _ in range(SERVED):
        served.add(queue.calls.call_next(counter="L01", officer="budi").id)
        queue.calls.finish(counter="L01", officer="budi")
    queue.sessions.close_counter(counter="L01", officer="budi")
    return [tid for tid in ids if tid not in served]


def _expired_events(engine: Engine, since: int) -> Tally[int]:
    with engine.connect() as conn:
        return Tally(
            conn.execute(
                select(EV.c.ticket_id).where(EV.c.id > since, EV.c.kind == "expired")
            ).scalars()
        )


def _statuses(engine: Engine, ids: list[int]) -> Tally[str]:
    with engine.connect() as conn:
        return Tally(conn.execute(select(TT.c.status).where(TT.c.id.in_(ids))).scalars())


def _day_close_rows(engine: Engine) -> dict[date, int]:
    with engine.connect() as conn:
        return dict(conn.execute(select(DAY_CLOSE.c.business_date, DAY_CLOSE.c.expired)).all())


# --- one process ----------------------------------------------------------------------------------


def test_past_days_are_closed_and_today_is_left_alone(
    queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Monday's and Tuesday's leftovers expire on Wednesday, with one event each and the count
    on record; Wednesday's waiting ticket stays; a second run finds nothing."""
    monday = _fill_day(queue, clock, MONDAY_0900)
    tuesday = _fill_day(queue, clock, MONDAY_0900 + timedelta(days=1))
    clock.set(WEDNESDAY_0900)
    today = queue.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)

    closed = queue.supervision.ensure_past_days_closed()

    assert closed == {MONDAY: len(monday), TUESDAY: len(tuesday)}
    assert _expired_events(engine, mark) == Tally(monday + tuesday)
    assert _statuses(engine, monday + tuesday) == {"expired": len(monday) + len(tuesday)}
    assert _statuses(engine, [today]) == {"waiting": 1}
    assert _day_close_rows(engine) == {MONDAY: len(monday), TUESDAY: len(tuesday)}

    mark = last_event_id(engine)
    assert queue.supervision.ensure_past_days_closed() == {}
    assert last_event_id(engine) == mark


def test_a_day_closed_early_gets_its_stragglers_expired(
    queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """A supervisor closed Monday early, then a transfer put a new waiting ticket on Monday:
    Tuesday's first screen expires it, and Monday's record counts it."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    early = queue.issuing.issue_ticket(service="KTP").ticket.id
    served = queue.issuing.issue_ticket(service="KTP").ticket.id
    assert queue.calls.call_ticket(counter="L01", officer="budi", ticket=served).id == served
    assert queue.supervision.close_day(day=MONDAY, officer="spv") == 1
    moved = queue.calls.transfer(counter="L01", officer="budi", service="NIB")
    assert moved.status == "waiting"
    clock.set(MONDAY_0900 + timedelta(days=1))
    mark = last_event_id(engine)

    assert queue.supervision.ensure_past_days_closed() == {MONDAY: 1}

    assert _expired_events(engine, mark) == Tally([moved.id])
    assert _statuses(engine, [early, moved.id]) == {"expired": 2}
    assert _day_close_rows(engine) == {MONDAY: 2}


def test_a_starting_screen_closes_past_days(
    engine: Engine, db_url: str, clock: FrozenClock, officers: Officers
) -> None:
    """The screens' start (cli.screens.tui_backend, with the real clock) runs the close: a
    ticket left waiting three days ago is expired by the time the backend is ready."""
    queue = Hall(engine, clock=clock)
    clock.set(datetime.now(UTC) - timedelta(days=3))
    left = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket  # whatever the hour
    assert left.business_date < Hall(engine).today()

    backend = tui_backend(Cli(Settings(database_url=db_url)))

    assert _statuses(engine, [left.id]) == {"expired": 1}
    assert backend.hall.supervision.ensure_past_days_closed() == {}


# --- real processes racing ------------------------------------------------------------------------


def _closer(url: str, index: int, start: Any, results: Any) -> None:
    """Wait for the others, then close past days like a starting screen would; odd processes
    first close Monday by name, as `mpp day close --date` would."""
    try:
        engine = make_engine(url)
        queue = Hall(engine, clock=FrozenClock(WEDNESDAY_0900))
        queue.ref()
        start.wait(timeout=START_TIMEOUT_S)
        counts: dict[str, int] = {}
        if index % 2:
            counts["direct"] = queue.supervision.close_day(day=MONDAY)
        for day, n in queue.supervision.ensure_past_days_closed().items():
            counts[day.isoformat()] = n
        engine.dispose()
        results.put((index, counts, None))
    except BaseException:
        results.put((index, {}, traceback.format_exc()))


def _race(url: str) -> list[dict[str, int]]:
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(CLOSERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_closer, args=(url, i, start, results)) for i in range(CLOSERS)]
    for proc in procs:
        proc.start()
    reports: list[dict[str, int]] = []
    errors: list[str] = []
    try:
        for _ in procs:
            try:
                _, counts, error = results.get(timeout=START_TIMEOUT_S * 2)
            except stdlib_queue.Empty:
                errors.append("a closer did not report")
                break
            if error:
                errors.append(error)
            reports.append(counts)
        for proc in procs:
            proc.join(timeout=30)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
    errors += [f"{p.name} exited with {p.exitcode}" for p in procs if p.exitcode != 0]
    assert errors == []
    return reports


def test_processes_racing_expire_each_leftover_exactly_once(
    queue: Hall, engine: Engine, clock: FrozenClock, db_url: str
) -> None:
    """Six processes close Monday and Tuesday at the same moment: every leftover ends expired
    with exactly one `expired` event, the processes' counts add up to the leftovers, and each
    day's record counts them once."""
    monday = _fill_day(queue, clock, MONDAY_0900)
    tuesday = _fill_day(queue, clock, MONDAY_0900 + timedelta(days=1))
    mark = last_event_id(engine)

    reports = _race(db_url)

    events = _expired_events(engine, mark)
    assert events == Tally(monday + tuesday)  # every leftover once, nothing else
    assert max(events.values()) == 1
    assert _statuses(engine, monday + tuesday) == {"expired": len(monday) + len(tuesday)}
    assert sum(n for counts in reports for n in counts.values()) == len(monday) + len(tuesday)
    assert _day_close_rows(engine) == {MONDAY: len(monday), TUESDAY: len(tuesday)}
    print("expired per process:", reports)
