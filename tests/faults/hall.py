"""The busy hall the fault tests break: counters, officers and the checks run afterwards."""

from __future__ import annotations

import itertools
import multiprocessing as mp
import time
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, insert, select, text

from mpp_tui.db.tables import COUNTER, COUNTER_SERVICE, SERVICE, TICKET, TICKET_EVENT
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


def broken_invariants(engine: Engine) -> list[str]:
    """What must hold after any amount of killing, read straight from the tables.

    - every ticket's events form one chain: the first is `issued` into `waiting`, each starts
      from the status the one before ended in, and the last ends in the ticket's status (so
      replaying the log gives the final state);
    - display numbers per prefix are 1..N: none twice, none skipped (a killed issue leaves no
      hole, because the number and the ticket commit together);
    - no counter holds two tickets, no ticket is held by a counter that is not its own.
    """
    with engine.connect() as conn:
        tickets = {r.id: r for r in conn.execute(select(TICKET))}
        events = conn.execute(select(TICKET_EVENT).order_by(TICKET_EVENT.c.id)).all()
    problems: list[str] = []
    chains: dict[int, list[Any]] = defaultdict(list)
    for event in events:
        chains[event.ticket_id].append(event)
    for tid, ticket in tickets.items():
        problems += _chain_problems(ticket, chains.get(tid, []))
    numbers: dict[str, list[int]] = defaultdict(list)
    held: dict[int, list[str]] = defaultdict(list)
    for ticket in tickets.values():
        if ticket.parent_id is None:
            numbers[ticket.prefix].append(ticket.number)
        if ticket.status in (S.CALLED, S.SERVING):
            held[ticket.counter_id].append(ticket.code)
    for prefix, got in numbers.items():
        if sorted(got) != list(range(1, len(got) + 1)):
            problems.append(f"prefix {prefix}: numbers are not 1..{len(got)} exactly once")
    problems += [f"counter #{c} holds {codes}" for c, codes in held.items() if len(codes) > 1]
    return problems


def _chain_problems(ticket: Any, chain: list[Any]) -> list[str]:
    where = f"{ticket.code} (#{ticket.id})"
    if not chain:
        return [f"{where} has no events"]
    problems = []
    first = chain[0]
    if (first.kind, first.status_from, first.status_to) != ("issued", None, S.WAITING):
        problems.append(f"{where} does not begin with its issue")
    for before, after in itertools.pairwise(chain):
        if after.status_from != before.status_to:
            problems.append(f"{where}: {after.kind} starts from {after.status_from}")
    if chain[-1].status_to != ticket.status:
        problems.append(f"{where} is {ticket.status} but its log ends in {chain[-1].status_to}")
    return problems
