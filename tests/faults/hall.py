"""The busy hall the fault tests break: its counters, officers and robots' processes.

What must hold afterwards is checked by `mpp_tui.db.invariants.find_violations`.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from typing import Any

from sqlalchemy import Engine, insert, select, text

from mpp_tui.db.tables import COUNTER, COUNTER_SERVICE, SERVICE, TICKET
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.services.facade import Hall
from tests.conftest import FAST_HASHER, MONDAY_0900, OPERATOR_PIN
from tests.faults.robots import SERVICES

COUNTERS = ("L10", "L11", "L12", "L13", "L14", "L15")


def officer_of(counter: str) -> str:
    return f"petugas_{counter.lower()}"


def robot_context() -> Any:
    """Processes forked from a server that has already imported the services: a restart takes
    milliseconds instead of the second a fresh interpreter needs to import SQLAlchemy."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.faults.robots"])
    return ctx


def set_up_hall(engine: Engine, *, backlog: int = 0) -> None:
    """An operator signed in at each robot counter; every one serves both robot services;
    `backlog` visitors already waiting."""
    clock = FrozenClock(MONDAY_0900)
    officers = Hall(engine, clock=clock, hasher=FAST_HASHER).officers
    for code in COUNTERS:
        officers.add(username=officer_of(code), pin=OPERATOR_PIN)
    with engine.begin() as conn:
        counters = dict(
            conn.execute(
                select(COUNTER.c.code, COUNTER.c.id).where(COUNTER.c.code.in_(COUNTERS))
            ).all()
        )
        services = dict(
            conn.execute(
                select(SERVICE.c.code, SERVICE.c.id).where(SERVICE.c.code.in_(SERVICES))
            ).all()
        )
        linked = set(
            conn.execute(select(COUNTER_SERVICE.c.counter_id, COUNTER_SERVICE.c.service_id))
        )
        rows = [
            {"counter_id": cid, "service_id": sid}
            for cid in counters.values()
            for sid in services.values()
            if (cid, sid) not in linked
        ]
        if rows:
            conn.execute(insert(COUNTER_SERVICE), rows)
    queue = Hall(engine, clock=clock)
    for code in COUNTERS:
        queue.sessions.open_counter(counter=code, officer=officer_of(code))
    for n in range(backlog):
        queue.issuing.issue_ticket(service=SERVICES[n % len(SERVICES)], source="kiosk")


def active_ticket(engine: Engine, counter: str) -> int | None:
    """The ticket `counter` holds (called or serving), read from the table."""
    with engine.connect() as conn:
        return conn.execute(
            select(TICKET.c.id)
            .join(COUNTER, COUNTER.c.id == TICKET.c.counter_id)
            .where(COUNTER.c.code == counter, TICKET.c.status.in_((S.CALLED, S.SERVING)))
        ).scalar_one_or_none()


def wait_for_backend_end(engine: Engine, journal: list[list[str]]) -> None:
    """After a kill on PostgreSQL: wait until the dead process's backend has ended.

    A client killed right after sending COMMIT leaves the server to carry it out; until its
    backend exits, what the database shows about that counter may still change.
    """
    pids = [int(words[1]) for words in journal if words[0] == "backend"]
    if engine.dialect.name != "postgresql" or not pids:
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            alive = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pids[-1]}
            ).scalar_one()
        if not alive:
            return
        time.sleep(0.005)
    raise AssertionError(f"backend {pids[-1]} outlived its client by 30 s")
