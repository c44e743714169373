"""Read SQL shared by several services: waiting order, counter views, service load, estimates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, select, text

from mpp_tui.db.tables import COUNTER, COUNTER_SERVICE, SERVICE, TICKET, TICKET_EVENT
from mpp_tui.domain.enums import CounterState
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.reference import CounterRef, ServiceRef
from mpp_tui.domain.rules import estimate_wait_minutes, prefer_priority
from mpp_tui.domain.views import CounterView, ServiceLoad
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.sqltime import exact_seconds, whole_seconds

_T = TICKET
_E = TICKET_EVENT
_C = COUNTER
_CS = COUNTER_SERVICE
_SV = SERVICE
_COLS = tuple(_T.c)
_RECENT_SERVICES = 20
_ACTIVE_LITERAL = text("ticket.status IN ('called', 'serving')")


def waiting_rows(
    ctx: ServiceContext, conn: Connection, ref_counter: CounterRef, limit: int
) -> list[Any]:
    streak = conn.execute(
        select(_C.c.priority_streak).where(_C.c.id == ref_counter.id)
    ).scalar_one()
    regular_first = not prefer_priority(streak, ctx.ref().priority_burst)
    is_priority = _T.c.priority.is_not(None)
    return list(
        conn.execute(
            select(*_COLS)
            .where(
                _T.c.status == S.WAITING,
                _T.c.business_date == ctx.today(),
                _T.c.service_id.in_(sorted(ref_counter.services)),
                _T.c.target_counter_id.is_(None) | (_T.c.target_counter_id == ref_counter.id),
            )
            .order_by(
                case((is_priority, 1 if regular_first else 0), else_=0 if regular_first else 1),
                _T.c.sort_key,
                _T.c.id,
            )
            .limit(limit)
        ).all()
    )


def counter_views(
    ctx: ServiceContext, conn: Connection, only: int | None = None
) -> list[CounterView]:
    ref = ctx.ref()
    day = ctx.today()
    in_scope = _C.c.hall_id == ref.hall_id if only is None else _C.c.id == only
    states = {r.id: r for r in conn.execute(select(_C).where(in_scope))}
    counter_ids = list(ref.counters) if only is None else [only]
    active = {
        r.counter_id: r
        for r in conn.execute(
            # Written to match the partial index of active tickets (uq_ticket_active_counter)
            # literally, so both databases use it instead of reading the hall's history.
            select(*_COLS).where(_T.c.counter_id.in_(counter_ids), _ACTIVE_LITERAL)
        )
    }
    served_scope = _T.c.hall_id == ref.hall_id if only is None else _T.c.counter_id == only
    served: dict[int, int] = dict(
        conn.execute(
            select(_T.c.counter_id, func.count())
            .where(served_scope, _T.c.business_date == day, _T.c.status == S.DONE)
            .group_by(_T.c.counter_id)
        ).all()
    )
    views = []
    for c in ref.counters.values():
        if not c.active or c.id not in states:
            continue
        st = states[c.id]
        views.append(
            CounterView(
                code=c.code,
                name=c.name,
                agency_code=ref.agencies[c.agency_id].code if c.agency_id else None,
                zone=c.zone,
                state=CounterState(st.state),
                pause_reason=st.pause_reason,
                officer=ctx.officer_name(st.officer_id),
                state_since=st.state_since,
                services=tuple(sorted(ref.services[s].code for s in c.services)),
                active=ctx.ticket_view(active[c.id]) if c.id in active else None,
                served_today=int(served.get(c.id, 0)),
            )
        )
    return views


def service_figures(ctx: ServiceContext, conn: Connection) -> dict[int, Any]:
    """Today's figures per service in one grouped query: waiting, the oldest waiting ticket,
    tickets issued (transfers and cancellations left out), the average wait of those called
    (whole seconds) and the finished ones that took longer than the service's maximum."""
    ref = ctx.ref()
    pg = conn.dialect.name == "postgresql"
    waiting = _T.c.status == S.WAITING
    spent = whole_seconds(pg, _T.c.started_at, _T.c.finished_at)
    over = (
        (_T.c.status == S.DONE)
        & _T.c.started_at.is_not(None)
        & _T.c.finished_at.is_not(None)
        & _T.c.counter_id.is_not(None)
        & (spent > _SV.c.max_minutes * 60)
    )
    called = _T.c.called_at.is_not(None)
    rows = conn.execute(
        select(
            _T.c.service_id,
            func.count(case((waiting, 1))).label("waiting"),
            func.min(case((waiting, _T.c.issued_at))).label("oldest"),
            func.count(case((_T.c.parent_id.is_(None) & (_T.c.status != S.CANCELLED), 1))).label(
                "issued"
            ),
            func.avg(case((called, whole_seconds(pg, _T.c.issued_at, _T.c.called_at)))).label(
                "avg_wait"
            ),
            func.count(case((over, 1))).label("over"),
        )
        .join(_SV, _SV.c.id == _T.c.service_id)
        .where(_T.c.hall_id == ref.hall_id, _T.c.business_date == ctx.today())
        .group_by(_T.c.service_id)
    ).all()
    return {r.service_id: r for r in rows}


def service_loads(
    ctx: ServiceContext, conn: Connection, figures: dict[int, Any]
) -> list[ServiceLoad]:
    ref = ctx.ref()
    now = ctx.now()
    open_by_service = open_counters_by_service(ctx, conn)
    # Only a queue needs an estimate: with nobody waiting it is 0 whatever the average.
    averages = recent_service_minutes(
        ctx, conn, [sid for sid, row in figures.items() if row.waiting]
    )
    loads = []
    for svc in ref.services.values():
        if not svc.active:
            continue
        row = figures.get(svc.id)
        n = int(row.waiting) if row else 0
        oldest = row.oldest if row else None
        longest = int((now - oldest).total_seconds() // 60) if oldest else 0
        opened = open_by_service.get(svc.id, 0)
        avg = averages.get(svc.id, svc.max_minutes / 2)
        loads.append(
            ServiceLoad(
                code=svc.code,
                name=svc.name,
                name_en=svc.name_en or svc.name,
                agency_code=ref.agencies[svc.agency_id].code,
                prefix=svc.prefix,
                waiting=n,
                longest_wait_minutes=max(longest, 0),
                open_counters=opened,
                eta_minutes=estimate_wait_minutes(n, opened, avg),
                issued_today=int(row.issued) if row else 0,
                daily_quota=svc.daily_quota,
            )
        )
    return loads


def recent_service_minutes(
    ctx: ServiceContext, conn: Connection, services: list[int]
) -> dict[int, float]:
    """What :meth:`_avg_service_minutes` gives, for each of `services` with a finished
    ticket today, in one query (a window over each service's latest finished tickets)."""
    if not services:
        return {}
    pg = conn.dialect.name == "postgresql"
    rank = func.row_number().over(partition_by=_T.c.service_id, order_by=_T.c.id.desc())
    recent = (
        select(
            _T.c.service_id,
            exact_seconds(pg, _T.c.started_at, _T.c.finished_at).label("secs"),
            rank.label("rank"),
        )
        .where(
            _T.c.hall_id == ctx.ref().hall_id,
            _T.c.business_date == ctx.today(),
            _T.c.service_id.in_(sorted(services)),
            _T.c.status == S.DONE,
            _T.c.started_at.is_not(None),
        )
        .subquery()
    )
    rows = conn.execute(
        select(recent.c.service_id, func.avg(recent.c.secs))
        .where(recent.c.rank <= _RECENT_SERVICES)
        .group_by(recent.c.service_id)
    ).all()
    return {int(sid): max(float(secs) / 60, 0.5) for sid, secs in rows}


def open_counters_by_service(ctx: ServiceContext, conn: Connection) -> dict[int, int]:
    rows = conn.execute(
        select(_CS.c.service_id, func.count())
        .join(_C, _C.c.id == _CS.c.counter_id)
        .where(_C.c.hall_id == ctx.ref().hall_id, _C.c.state == CounterState.OPEN, _C.c.active)
        .group_by(_CS.c.service_id)
    ).all()
    return {int(sid): int(n) for sid, n in rows}


def avg_service_minutes(ctx: ServiceContext, conn: Connection, svc: ServiceRef, day: date) -> float:
    """Mean service time of the service's last finished tickets today; half the standard
    maximum when there are none yet."""
    rows = conn.execute(
        select(_T.c.started_at, _T.c.finished_at)
        .where(
            # hall and day first: the (hall, day) index keeps this to today's tickets
            # however many years of history the table holds
            _T.c.hall_id == ctx.ref().hall_id,
            _T.c.service_id == svc.id,
            _T.c.business_date == day,
            _T.c.status == S.DONE,
            _T.c.started_at.is_not(None),
        )
        .order_by(_T.c.id.desc())
        .limit(_RECENT_SERVICES)
    ).all()
    if not rows:
        return svc.max_minutes / 2
    total = float(sum((r.finished_at - r.started_at).total_seconds() for r in rows))
    return max(total / len(rows) / 60, 0.5)


def estimate(
    ctx: ServiceContext,
    conn: Connection,
    svc: ServiceRef,
    sort_key: int,
    ticket_id: int,
    day: date,
    *,
    priority: bool = False,
) -> tuple[int, int]:
    """People called before a ticket in its service, and the estimated wait in minutes.

    A priority ticket has only earlier priority tickets ahead; a regular one has every
    waiting priority ticket and the earlier regular ones (the anti-starvation rule only
    makes a regular ticket's wait shorter, so this errs on the cautious side).
    """
    earlier = (_T.c.sort_key < sort_key) | ((_T.c.sort_key == sort_key) & (_T.c.id < ticket_id))
    is_priority = _T.c.priority.is_not(None)
    ahead_rule = (earlier & is_priority) if priority else (earlier | is_priority)
    ahead = conn.execute(
        select(func.count()).where(
            _T.c.service_id == svc.id,
            _T.c.business_date == day,
            _T.c.status == S.WAITING,
            _T.c.id != ticket_id,
            ahead_rule,
        )
    ).scalar_one()
    opened = open_counters_by_service(ctx, conn).get(svc.id, 0)
    avg = avg_service_minutes(ctx, conn, svc, day)
    return int(ahead), estimate_wait_minutes(int(ahead), opened, avg)
