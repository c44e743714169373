"""What must hold after any day, simulated or real: read straight from the tables.

Used by the simulator's tests and benchmark. Each check returns readable violations; an empty
list means the day is sound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from mpp_tui.db.tables import COUNTER, TICKET, TICKET_EVENT
from mpp_tui.domain.enums import EventKind
from mpp_tui.domain.enums import TicketStatus as S

_ACTIVE = (S.CALLED.value, S.SERVING.value)


def day_violations(engine: Engine, day: date) -> list[str]:
    """Every broken invariant of business day `day` (all halls of the database).

    - no ticket was held by two counters (a call by a second counter without a return to the
      queue or a reactivation in between);
    - no display number was issued twice per (hall, prefix, day) (transfer children share
      their parent's number by design and are left out);
    - every ticket's status is the status its last event moved it to;
    - at the end of the day no counter holds a ticket and no ticket is called or serving.
    """
    with engine.connect() as conn:
        tickets = {
            r.id: r
            for r in conn.execute(
                select(TICKET.c.id, TICKET.c.code, TICKET.c.status).where(
                    TICKET.c.business_date == day
                )
            )
        }
        events = conn.execute(
            select(
                TICKET_EVENT.c.ticket_id,
                TICKET_EVENT.c.kind,
                TICKET_EVENT.c.status_to,
                TICKET_EVENT.c.counter_id,
            )
            .where(
                TICKET_EVENT.c.ticket_id.in_(
                    select(TICKET.c.id).where(TICKET.c.business_date == day)
                )
            )
            .order_by(TICKET_EVENT.c.id)
        ).all()
        duplicates = conn.execute(
            select(TICKET.c.hall_id, TICKET.c.prefix, TICKET.c.number)
            .where(TICKET.c.business_date == day, TICKET.c.parent_id.is_(None))
            .group_by(TICKET.c.hall_id, TICKET.c.prefix, TICKET.c.number)
            .having(func.count() > 1)
        ).all()
        holding = conn.execute(
            select(COUNTER.c.code, TICKET.c.code)
            .join(TICKET, TICKET.c.counter_id == COUNTER.c.id)
            .where(TICKET.c.business_date == day, TICKET.c.status.in_(_ACTIVE))
        ).all()
    problems = [f"number {p}-{n:03d} issued twice (hall {h})" for h, p, n in duplicates]
    problems += [f"counter {c} still holds {t} at the end of the day" for c, t in holding]
    problems += _event_problems(tickets, events)
    return problems


def _event_problems(tickets: dict[int, Any], events: Sequence[Any]) -> list[str]:
    by_ticket: dict[int, list[Any]] = defaultdict(list)
    for event in events:
        by_ticket[event.ticket_id].append(event)
    problems: list[str] = []
    for tid, ticket in tickets.items():
        log = by_ticket.get(tid, [])
        if not log:
            problems.append(f"{ticket.code} (#{tid}) has no events")
            continue
        if log[-1].status_to != ticket.status:
            problems.append(
                f"{ticket.code} (#{tid}) is {ticket.status} but its last event says "
                f"{log[-1].status_to}"
            )
        holder = None
        for event in log:
            if event.kind == EventKind.CALLED:
                if holder is not None and event.counter_id != holder:
                    problems.append(f"{ticket.code} (#{tid}) was held by two counters")
                holder = event.counter_id
            elif event.status_to not in _ACTIVE:
                holder = None
    return problems
