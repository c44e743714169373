"""SQL of the queue's hot paths, built once at import (building costs more than running it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, func, insert, select, update

from mpp_tui.db.tables import (
    AGENCY,
    COUNTER,
    COUNTER_EVENT,
    DAY_CLOSE,
    NUMBER_COUNTER,
    OFFICER,
    TICKET,
    TICKET_EVENT,
)
from mpp_tui.domain.enums import TicketStatus as S

TT = TICKET
EV = TICKET_EVENT
CT = COUNTER
OF = OFFICER
CE = COUNTER_EVENT
NC = NUMBER_COUNTER
DC = DAY_CLOSE
AG = AGENCY
ACTIVE = (S.CALLED.value, S.SERVING.value)
TICKET_COLS = tuple(TT.c)
ACTIVE_T = TT.alias("active")


def is_active(status: Any) -> Any:
    """`status` is called or serving, with the statuses written into the SQL (not bound):
    SQLite uses the partial index of active tickets only when it can see that the query
    matches the index's WHERE; with bound values it read the counter's whole history on every
    action (22x slower with 1,000,000 tickets)."""
    return status.in_(bindparam("active_statuses", ACTIVE, literal_execute=True))


STARTED = func.coalesce(TT.c.started_at, TT.c.called_at)

# --- hot-path statements, built once (building SQL per call costs more than running it) -----

# Counter, acting officer and the counter's active ticket, in one round trip.
CTX_SELECT = (
    select(
        CT.c.state,
        CT.c.officer_id.label("holder_id"),
        CT.c.pause_reason,
        CT.c.priority_streak,
        OF.c.id.label("officer_id"),
        OF.c.role,
        OF.c.active.label("officer_active"),
        OF.c.username,
        *(col.label(f"a_{col.key}") for col in ACTIVE_T.c),
    )
    .select_from(
        CT.join(
            OF, and_(OF.c.hall_id == bindparam("hall_id"), OF.c.username == bindparam("username"))
        ).outerjoin(
            ACTIVE_T,
            and_(ACTIVE_T.c.counter_id == CT.c.id, is_active(ACTIVE_T.c.status)),
        )
    )
    .where(CT.c.id == bindparam("counter_id"))
)


def _candidate(*, priority: bool) -> Any:
    """The first waiting ticket of one class (priority or regular) this counter may call."""
    klass = TT.c.priority.is_not(None) if priority else TT.c.priority.is_(None)
    return (
        select(TT.c.id)
        .where(
            TT.c.status == S.WAITING,
            TT.c.business_date == bindparam("day"),
            TT.c.service_id.in_(bindparam("sids", expanding=True)),
            TT.c.target_counter_id.is_(None) | (TT.c.target_counter_id == bindparam("cid")),
            klass,
        )
        .order_by(TT.c.sort_key, TT.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )


def _claim_next(*, priority_first: bool) -> Any:
    """The guarded UPDATE … RETURNING of call_next: the preferred class, else the other one."""
    first, second = _candidate(priority=priority_first), _candidate(priority=not priority_first)
    return (
        update(TT)
        # The choice is its own scalar subquery, so the outer condition is `id = $param`: under
        # row-level security (PostgreSQL, migration 0006) a COALESCE beside the column counts
        # as leaky and would turn the primary-key lookup into a scan of the day's tickets.
        .where(
            TT.c.id == select(func.coalesce(first, second)).scalar_subquery(),
            TT.c.status == S.WAITING,
        )
        .values(
            status=S.CALLED,
            counter_id=bindparam("cid"),
            officer_id=bindparam("oid"),
            called_at=bindparam("now"),
            call_count=TT.c.call_count + 1,
        )
        .returning(*TICKET_COLS)
    )


CLAIM_NEXT = {True: _claim_next(priority_first=True), False: _claim_next(priority_first=False)}
EVENT_INSERT = insert(EV)
STREAK_UPDATE = (
    update(CT).where(CT.c.id == bindparam("counter_id")).values(priority_streak=bindparam("streak"))
)
# What each action on a counter's active ticket sets besides its new status; bound names are
# filled per call.
ACT_SETS: dict[str, dict[str, Any]] = {
    "recall": {"call_count": TT.c.call_count + 1},
    "start": {"started_at": bindparam("now")},
    "finish": {
        "finished_at": bindparam("now"),
        "outcome": bindparam("outcome"),
        "note": bindparam("note"),
        "started_at": STARTED,
    },
    "no_show": {"finished_at": bindparam("now")},
    "transfer": {"finished_at": bindparam("now"), "started_at": STARTED},
    # Calls count anew for the new wait (no-show needs fresh recalls).
    "return": {
        "counter_id": None,
        "officer_id": None,
        "sort_key": bindparam("sort_key"),
        "call_count": 0,
    },
}
ACT_UPDATE = {
    action: update(TT)
    .where(TT.c.id == bindparam("tid"), TT.c.status == bindparam("expect"))
    .values(status=bindparam("to"), **sets)
    .returning(*TICKET_COLS)
    for action, sets in ACT_SETS.items()
}
