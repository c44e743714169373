"""Real processes racing on one hall: no ticket served twice, no number issued twice, no event lost.

Eight counter processes loop `call_next` → `finish` over one shared queue while four kiosk
processes keep issuing on the same prefixes; afterwards the database and the processes' own
records must agree exactly (DESIGN §4: "proven by multi-process tests on both backends").
"""

from __future__ import annotations

import multiprocessing as mp
import queue as stdlib_queue
import time
import traceback
from collections import Counter as Tally
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import Engine, Table, func, insert, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.tables import Counter, CounterService, NumberCounter, Service, Ticket, TicketEvent
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict
from mpp_tui.services.facade import Hall
from tests.conftest import FAST_HASHER, MONDAY_0900, OPERATOR_PIN

pytestmark = pytest.mark.slow

TT: Table = Ticket.__table__  # type: ignore[attr-defined]
EV: Table = TicketEvent.__table__  # type: ignore[attr-defined]
CT: Table = Counter.__table__  # type: ignore[attr-defined]
CS: Table = CounterService.__table__  # type: ignore[attr-defined]
SV: Table = Service.__table__  # type: ignore[attr-defined]
NC: Table = NumberCounter.__table__  # type: ignore[attr-defined]

# Two quota-free services with their own prefixes (N: Perumda Air Minum, O: PLN), open on
# Monday 09:00 by the hall's hours. In kotim.toml only L16 serves them; the test links seven more
# lokets so that eight counters compete for the same two queues.
SERVICES = ("PDAM_BAYAR", "PLN_ADUAN")
COUNTERS = ("L10", "L11", "L12", "L13", "L14", "L15", "L16", "L17")
PRE_ISSUED = 2_000  # issued by the kiosk processes before the race starts
KIOSKS = 4
PER_KIOSK = 250
EVERY_NTH_PRIORITY = 7  # some priority tickets, so the anti-starvation streak is written too
DEADLINE_S = 240.0  # for the race itself; 40-110 s per backend on a busy 2-core machine
EMPTY_BACKOFF_S = 0.005
START_TIMEOUT_S = 300.0  # 12 spawns importing SQLAlchemy on 2 cores, then the backlog issued


def _clock() -> FrozenClock:
    return FrozenClock(MONDAY_0900)


def _officer(i: int) -> str:
    return f"loket{i + 1:02d}"


def _ticket_args(n: int) -> dict[str, Any]:
    return {
        "service": SERVICES[n % len(SERVICES)],
        "priority": "lansia" if n % EVERY_NTH_PRIORITY == 0 else None,
    }


def _set_up_hall(engine: Engine) -> Hall:
    """Eight operators, each signed in at a loket that serves both services."""
    officers = Hall(engine, clock=_clock(), hasher=FAST_HASHER).officers
    for i in range(len(COUNTERS)):
        officers.add(username=_officer(i), pin=OPERATOR_PIN)
    with engine.begin() as conn:
        counter_ids = dict(
            conn.execute(select(CT.c.code, CT.c.id).where(CT.c.code.in_(COUNTERS))).all()
        )
        service_ids = dict(
            conn.execute(select(SV.c.code, SV.c.id).where(SV.c.code.in_(SERVICES))).all()
        )
        linked = set(conn.execute(select(CS.c.counter_id, CS.c.service_id)).all())
        rows = [
            {"counter_id": cid, "service_id": sid}
            for cid in counter_ids.values()
            for sid in service_ids.values()
            if (cid, sid) not in linked
        ]
        conn.execute(insert(CS), rows)
    queue = Hall(engine, clock=_clock())
    for i, code in enumerate(COUNTERS):
        queue.sessions.open_counter(counter=code, officer=_officer(i))
    return queue


# --- the processes (module level: the "spawn" context pickles them by name) -----------------------


def _counter_worker(
    url: str,
    counter: str,
    officer: str,
    start: Any,
    kiosks_done: Any,
    results: Any,
    errors: Any,
) -> None:
    """Call and finish tickets until the kiosks are done and the queue is empty."""
    claimed: list[int] = []
    empty = 0
    try:
        engine = make_engine(url)
        service = Hall(engine, clock=_clock())
        service.ref()  # load reference data before the race starts
        start.wait(timeout=START_TIMEOUT_S)
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            # Read before calling: an empty queue only ends the loop when every kiosk had
            # committed its last ticket before this call's transaction began.
            final = kiosks_done.is_set()
            try:
                ticket = service.calls.call_next(counter=counter, officer=officer)
            except Conflict as exc:
                if exc.key != "err.queue_empty":
                    raise
                empty += 1
                if final:
                    break
                time.sleep(EMPTY_BACKOFF_S)
                continue
            claimed.append(ticket.id)
            done = service.calls.finish(counter=counter, officer=officer)
            if done.id != ticket.id:
                errors.put(f"{counter}: called {ticket.id} but finished {done.id}")
        else:
            errors.put(f"{counter}: still serving after {DEADLINE_S:.0f}s")
        engine.dispose()
    except BaseException:
        errors.put(f"{counter}:\n{traceback.format_exc()}")
    finally:
        results.put(("counter", counter, claimed, empty))


def _kiosk_worker(url: str, kiosk: int, start: Any, results: Any, errors: Any) -> None:
    """Issue this kiosk's share of the backlog, then PER_KIOSK more while the counters call."""
    issued: list[int] = []
    try:
        engine = make_engine(url)
        service = Hall(engine, clock=_clock())
        # The backlog comes from the four kiosks too (one process would take ~10 s on PostgreSQL);
        # the counters wait on the barrier until all of it is in.
        share = PRE_ISSUED // KIOSKS
        for n in range(share):
            service.issuing.issue_ticket(**_ticket_args(kiosk * share + n), source="cli")
        start.wait(timeout=START_TIMEOUT_S)
        for n in range(PER_KIOSK):
            issued.append(
                service.issuing.issue_ticket(**_ticket_args(kiosk + n * KIOSKS)).ticket.id
            )
        engine.dispose()
    except BaseException:
        errors.put(f"kiosk {kiosk}:\n{traceback.format_exc()}")
    finally:
        results.put(("kiosk", kiosk, issued, 0))


def _race(url: str) -> tuple[dict[str, list[int]], list[int], list[str], dict[str, int]]:
    """Run the counters and kiosks; return claims per counter, issued ids, errors, empty polls."""
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(len(COUNTERS) + KIOSKS)
    kiosks_done = ctx.Event()
    results = ctx.Queue()
    errors = ctx.Queue()
    counters = [
        ctx.Process(
            target=_counter_worker,
            args=(url, code, _officer(i), start, kiosks_done, results, errors),
            name=f"counter-{code}",
        )
        for i, code in enumerate(COUNTERS)
    ]
    kiosks = [
        ctx.Process(target=_kiosk_worker, args=(url, k, start, results, errors), name=f"kiosk-{k}")
        for k in range(KIOSKS)
    ]
    procs = counters + kiosks
    for proc in procs:
        proc.start()
    claims: dict[str, list[int]] = {}
    empties: dict[str, int] = {}
    issued: list[int] = []
    kiosks_reported = 0
    deadline = time.monotonic() + START_TIMEOUT_S + DEADLINE_S
    failures: list[str] = []
    try:
        for _ in procs:
            # Results are drained before joining: a child blocks on exit until its puts are read.
            try:
                kind, who, ids, empty = results.get(timeout=max(1.0, deadline - time.monotonic()))
            except stdlib_queue.Empty:
                failures.append("some processes did not report before the deadline")
                break
            if kind == "kiosk":
                # A kiosk reports after its last ticket committed.
                issued.extend(ids)
                kiosks_reported += 1
                if kiosks_reported == KIOSKS:
                    kiosks_done.set()
            else:
                claims[who] = ids
                empties[who] = empty
        for proc in procs:
            proc.join(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
    while True:
        try:
            failures.append(errors.get(timeout=0.5))
        except stdlib_queue.Empty:
            break
    failures += [f"{p.name} exited with {p.exitcode}" for p in procs if p.exitcode != 0]
    return claims, issued, failures, empties


# --- the test -------------------------------------------------------------------------------------


def test_counters_and_kiosks_race_without_losing_or_doubling_anything(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        _set_up_hall(engine)
        began = time.perf_counter()
        claims, issued, failures, empties = _race(db_url)
        took = time.perf_counter() - began

        # No process saw anything but "queue empty".
        assert failures == []
        assert sorted(claims) == sorted(COUNTERS)
        assert len(issued) == len(set(issued)) == KIOSKS * PER_KIOSK

        with engine.connect() as conn:
            tickets = conn.execute(
                select(TT.c.id, TT.c.prefix, TT.c.number, TT.c.status, TT.c.counter_id)
            ).all()
            events = conn.execute(
                select(
                    EV.c.ticket_id, EV.c.kind, EV.c.status_from, EV.c.status_to, EV.c.counter_id
                ).order_by(EV.c.id)
            ).all()
            last_numbers = dict(conn.execute(select(NC.c.prefix, NC.c.last_number)).all())
            counter_ids = dict(
                conn.execute(select(CT.c.code, CT.c.id).where(CT.c.code.in_(COUNTERS))).all()
            )
            number_clashes = conn.execute(
                select(TT.c.hall_id, TT.c.prefix, TT.c.business_date, TT.c.number)
                .where(TT.c.parent_id.is_(None))
                .group_by(TT.c.hall_id, TT.c.prefix, TT.c.business_date, TT.c.number)
                .having(func.count() > 1)
            ).all()
    finally:
        engine.dispose()

    total = PRE_ISSUED + KIOSKS * PER_KIOSK
    by_id = {t.id: t for t in tickets}
    assert len(by_id) == total
    assert set(issued) <= set(by_id)

    # No ticket was claimed by two counters, and every ticket was claimed by exactly one.
    claimed = Tally(tid for ids in claims.values() for tid in ids)
    assert [tid for tid, n in claimed.items() if n > 1] == []
    assert set(claimed) == set(by_id)
    for code, ids in claims.items():
        assert {by_id[tid].counter_id for tid in ids} <= {counter_ids[code]}, code

    # Every ticket ended in exactly one final state: done.
    assert Tally(t.status for t in tickets) == {"done": total}

    # Numbers: no (hall, prefix, day, number) twice, and each prefix runs 1..N without a gap.
    assert number_clashes == []
    numbers: dict[str, list[int]] = defaultdict(list)
    for t in tickets:
        numbers[t.prefix].append(t.number)
    assert sorted(numbers) == ["N", "O"]
    for prefix, seen in numbers.items():
        assert sorted(seen) == list(range(1, len(seen) + 1)), prefix
        assert last_numbers[prefix] == len(seen), prefix

    # Each ticket's log is issued → called → finished, and replays to the ticket's status.
    logs: dict[int, list[Any]] = defaultdict(list)
    for ev in events:
        logs[ev.ticket_id].append(ev)
    assert set(logs) == set(by_id)
    for tid, log in logs.items():
        assert [e.kind for e in log] == ["issued", "called", "finished"], tid
        assert [(e.status_from, e.status_to) for e in log] == [
            (None, "waiting"),
            ("waiting", "called"),
            ("called", "done"),
        ], tid
        assert log[-1].status_to == by_id[tid].status, tid
        assert log[1].counter_id == log[2].counter_id == by_id[tid].counter_id, tid

    # It really was a race: every counter served, and kiosks issued while counters called.
    assert all(claims[code] for code in COUNTERS), {c: len(ids) for c, ids in claims.items()}
    called_at = [i for i, e in enumerate(events) if e.kind == "called"]
    kiosk_ids = set(issued)
    kiosk_issued = [
        i for i, e in enumerate(events) if e.kind == "issued" and e.ticket_id in kiosk_ids
    ]
    assert any(called_at[0] < i < called_at[-1] for i in kiosk_issued)
    print(
        f"processes, backlog and race: {took:.1f}s; claims per counter:",
        {c: len(ids) for c, ids in sorted(claims.items())},
        "empty polls:",
        sum(empties.values()),
    )
