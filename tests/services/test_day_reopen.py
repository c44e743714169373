"""Reopening the running business day (Supervision.reopen_day), on both backends: every ticket
its close expired waits again in its old place, once, whoever reopens; a day that is over
stays closed; the preview counts what a close or reopen concerns.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as stdlib_queue
import traceback
from collections import Counter as Tally
from typing import Any

import pytest
from sqlalchemy import Engine, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.tables import DAY_CLOSE
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import QueuePosition
from mpp_tui.domain.errors import Conflict, PermissionDenied, ServiceClosed
from mpp_tui.services.facade import Hall
from tests.conftest import MONDAY_0900
from tests.services.helpers import EV, last_event_id

MONDAY = MONDAY_0900.date()
REOPENERS = 4
START_TIMEOUT_S = 120.0  # spawning on 2 cores, importing SQLAlchemy in each


def _waiting(queue: Hall) -> list[str]:
    return [t.code for t in queue.tickets.waiting_all()]


def _fill(queue: Hall) -> list[str]:
    """A-001..A-004 and B-001 issued; A-001 returned to the queue first (a new place), A-002
    in service at L01. Returns the waiting codes in queue order."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    for service in ("KTP", "KTP", "KK", "KTP", "NIB"):
        queue.issuing.issue_ticket(service=service)
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.return_to_queue(counter="L01", officer="budi", position=QueuePosition.LAST)
    queue.calls.call_next(counter="L01", officer="budi")
    return _waiting(queue)


def test_preview_then_close_then_reopen(queue: Hall, engine: Engine, clock: FrozenClock) -> None:
    before = _fill(queue)
    assert before == ["A-003", "A-004", "B-001", "A-001"]  # A-001 went back last
    preview = queue.supervision.day_preview(day=MONDAY)
    assert (preview.running, preview.closed_at) == (True, None)
    assert (preview.waiting, preview.called, preview.serving, preview.expired) == (4, 1, 0, 0)
    assert [(s.service_code, s.waiting, s.called) for s in preview.services] == [
        ("KK", 1, 0),
        ("KTP", 2, 1),
        ("NIB", 1, 0),
    ]
    assert queue.supervision.close_day(day=MONDAY, officer="spv") == 4
    closed = queue.supervision.day_preview(day=MONDAY)
    assert (closed.waiting, closed.expired, closed.closed_at) == (0, 4, clock.now())
    with pytest.raises(ServiceClosed):
        queue.issuing.issue_ticket(service="KTP")

    mark = last_event_id(engine)
    clock.advance(minutes=5)
    back = queue.supervision.reopen_day(officer="spv")
    assert [t.code for t in back] == before
    assert {t.status for t in back} == {"waiting"}
    assert {t.finished_at for t in back} == {None}
    assert _waiting(queue) == before
    with engine.connect() as conn:
        events = conn.execute(select(EV).where(EV.c.id > mark).order_by(EV.c.id)).all()
        assert conn.execute(select(DAY_CLOSE)).all() == []
    assert [(e.kind, e.status_from, e.status_to) for e in events] == [
        ("reopened", "expired", "waiting")
    ] * 4
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-005"
    assert find_violations(engine) == []
    # A second reopen finds the day open.
    with pytest.raises(Conflict, match="tidak sedang ditutup"):
        queue.supervision.reopen_day(officer="spv")


def test_reopen_needs_a_supervisor_and_the_running_day(queue: Hall, clock: FrozenClock) -> None:
    _fill(queue)
    queue.supervision.close_day(day=MONDAY, officer="spv")
    with pytest.raises(PermissionDenied):
        queue.supervision.reopen_day(officer="budi")
    assert queue.supervision.reopen_day(officer="admin")  # an admin may
    queue.supervision.close_day(day=MONDAY, officer="spv")
    clock.advance(days=1)  # Tuesday: Monday is over
    with pytest.raises(Conflict, match="Hanya hari layanan yang sedang berjalan"):
        queue.supervision.reopen_day(officer="spv", day=MONDAY)
    with pytest.raises(Conflict):
        queue.supervision.check_reopen(queue.supervision.day_preview(day=MONDAY))
    assert queue.supervision.day_preview(day=MONDAY).expired == 4


# --- real processes racing ------------------------------------------------------------------------


def _reopener(url: str, start: Any, results: Any) -> None:
    """Wait for the others, then reopen Monday as its supervisor would."""
    try:
        engine = make_engine(url)
        hall = Hall(engine, clock=FrozenClock(MONDAY_0900))
        hall.ref()
        start.wait(timeout=START_TIMEOUT_S)
        try:
            codes = [t.code for t in hall.supervision.reopen_day(officer="spv")]
        except Conflict as exc:
            codes = [f"refused: {exc.key}"]
        engine.dispose()
        results.put((codes, None))
    except BaseException:
        results.put(([], traceback.format_exc()))


@pytest.mark.slow
def test_reopeners_racing_return_each_ticket_once(queue: Hall, engine: Engine, db_url: str) -> None:
    """Several processes reopen the same closed day at once: one returns every ticket, the
    others are told the day is open; each ticket has one `reopened` event."""
    for n in range(30):
        queue.issuing.issue_ticket(service=("KTP", "KK", "NIB")[n % 3])
    queue.supervision.close_day(day=MONDAY, officer="spv")
    mark = last_event_id(engine)

    ctx = mp.get_context("spawn")
    start = ctx.Barrier(REOPENERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_reopener, args=(db_url, start, results)) for _ in range(REOPENERS)]
    for proc in procs:
        proc.start()
    reports: list[list[str]] = []
    errors: list[str] = []
    try:
        for _ in procs:
            try:
                codes, error = results.get(timeout=START_TIMEOUT_S * 2)
            except stdlib_queue.Empty:
                errors.append("a reopener did not report")
                break
            if error:
                errors.append(error)
            reports.append(codes)
        for proc in procs:
            proc.join(timeout=30)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
    assert errors == []

    refused = [r for r in reports if r == ["refused: err.day_not_closed"]]
    [winner] = [r for r in reports if r not in refused]
    assert len(winner) == 30
    assert len(refused) == REOPENERS - 1
    with engine.connect() as conn:
        kinds = Tally(
            conn.execute(select(EV.c.ticket_id).where(EV.c.id > mark, EV.c.kind == "reopened"))
            .scalars()
            .all()
        )
    assert len(kinds) == 30
    assert set(kinds.values()) == {1}
    assert len(_waiting(queue)) == 30
    assert find_violations(engine) == []
