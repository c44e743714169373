"""The supervisor's picture of the hall: every counter's load and every service's queue health.

One call reads today's tickets of the hall once (a business day holds a few thousand at most,
found through the (hall, day) index however long the history) and derives the figures in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from mpp_tui.db.tables import COUNTER, COUNTER_EVENT, TICKET, TICKET_EVENT
from mpp_tui.domain.enums import CounterState, EventKind
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.overview_views import (
    CROWD_FACTOR,
    CROWD_MIN_WAITING,
    LONG_WAIT_MINUTES,
    OFFLINE_AFTER_S,
    CounterLoad,
    HallOverview,
    HistoryLine,
    ServiceHealth,
)
from mpp_tui.domain.views import TicketView
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.queries import counter_views, service_figures, service_loads
from mpp_tui.services.shared import account_state
from mpp_tui.services.sqltime import local_hour, whole_seconds

_T = TICKET
_E = TICKET_EVENT
_C = COUNTER
_CE = COUNTER_EVENT


def _serving_too_long(active: TicketView, now: datetime, limits: dict[str, int]) -> bool:
    """An active ticket in service for longer than its service's maximum time."""
    if active.status is not S.SERVING or active.started_at is None:
        return False
    return (now - active.started_at).total_seconds() > limits[active.service_code]


class Overview:
    """What `mpp supervisor` and `mpp status` show."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def overview(self, *, viewer: str | None = None) -> HallOverview:
        """Counters (state, offline, served, average service, idle), services (waiting, longest
        and average wait, estimate, over standard, crowded, long wait) and today's arrivals and
        calls per hour.

        Args:
            viewer: the officer signed in to the screen asking; their account (enabled, role)
                comes with the picture, so the screen signs out when it changed.

        Raises:
            NotFound: `viewer` is no officer of this hall.
        """
        ref = self.ctx.ref()
        day = self.ctx.today()
        now = self.ctx.now()
        with self.ctx.read() as conn:
            self.ctx.check_epoch(conn)
            pg = conn.dialect.name == "postgresql"
            figures = service_figures(self.ctx, conn)
            loads = service_loads(self.ctx, conn, figures)
            views = counter_views(self.ctx, conn)
            desks = {r.id: r for r in conn.execute(self._counter_figures(pg, ref.hall_id, day))}
            arrivals = self._per_hour(conn, self._arrivals(pg, ref.tz, ref.hall_id, day))
            calls = self._per_hour(conn, self._calls(pg, ref.tz, ref.hall_id, day))
            account = account_state(self.ctx, conn, viewer)[1] if viewer else None
        counter_ids = {c.code: c.id for c in ref.counters.values()}
        limits = {s.code: s.max_minutes * 60 for s in ref.services.values()}
        over: dict[str, int] = defaultdict(int)
        counters = []
        for view in views:
            desk = desks[counter_ids[view.code]]
            last = desk.last_seen_at
            opened = view.state in (CounterState.OPEN, CounterState.PAUSED)
            offline = opened and last is not None and (now - last).total_seconds() > OFFLINE_AFTER_S
            idle_since = None
            if view.state is CounterState.OPEN and view.active is None:
                candidates = [t for t in (view.state_since, desk.last_finish) if t]
                idle_since = max(candidates) if candidates else None
            if view.active is not None and _serving_too_long(view.active, now, limits):
                over[view.active.service_code] += 1
            spent = desk.avg_spent
            counters.append(
                CounterLoad(
                    counter=view,
                    offline=offline,
                    served_today=view.served_today,
                    avg_service_seconds=round(spent) if spent is not None else None,
                    idle_since=idle_since,
                    last_seen_at=last,
                )
            )
        waiting_services = [load for load in loads if load.waiting]
        average = (
            sum(load.waiting for load in waiting_services) / len(waiting_services)
            if waiting_services
            else 0.0
        )
        by_code = {s.code: s.id for s in ref.services.values()}
        services = []
        for load in loads:
            row = figures.get(by_code[load.code])
            services.append(
                ServiceHealth(
                    load=load,
                    avg_wait_seconds=(
                        round(row.avg_wait) if row and row.avg_wait is not None else None
                    ),
                    over_standard=(int(row.over) if row else 0) + over[load.code],
                    crowded=load.waiting >= CROWD_MIN_WAITING
                    and load.waiting > CROWD_FACTOR * average,
                    long_wait=load.longest_wait_minutes > LONG_WAIT_MINUTES,
                )
            )
        return HallOverview(
            hall_name=ref.hall_name,
            now=now,
            counters=tuple(counters),
            services=tuple(services),
            arrivals_by_hour=arrivals,
            calls_by_hour=calls,
            viewer=account,
        )

    @staticmethod
    def _counter_figures(pg: bool, hall_id: int, day: date) -> Any:
        """Every counter of the hall with its heartbeat and, from today's tickets, the average
        service time of its finished tickets (whole seconds) and its last finish."""
        begun = func.coalesce(_T.c.started_at, _T.c.called_at)
        done = (_T.c.status == S.DONE) & begun.is_not(None) & _T.c.finished_at.is_not(None)
        today = (
            select(
                _T.c.counter_id,
                func.avg(case((done, whole_seconds(pg, begun, _T.c.finished_at)))).label("spent"),
                func.max(_T.c.finished_at).label("last_finish"),
            )
            .where(
                _T.c.hall_id == hall_id,
                _T.c.business_date == day,
                _T.c.counter_id.is_not(None),
            )
            .group_by(_T.c.counter_id)
            .subquery()
        )
        return (
            select(
                _C.c.id,
                _C.c.last_seen_at,
                today.c.spent.label("avg_spent"),
                today.c.last_finish,
            )
            .outerjoin(today, today.c.counter_id == _C.c.id)
            .where(_C.c.hall_id == hall_id)
        )

    @staticmethod
    def _arrivals(pg: bool, tz: ZoneInfo, hall_id: int, day: date) -> Any:
        """Today's visitors (transfer children left out) per local hour of issue."""
        hour = local_hour(pg, _T.c.issued_at, tz, day)
        return (
            select(hour, func.count())
            .where(_T.c.hall_id == hall_id, _T.c.business_date == day, _T.c.parent_id.is_(None))
            .group_by(hour)
        )

    @staticmethod
    def _calls(pg: bool, tz: ZoneInfo, hall_id: int, day: date) -> Any:
        """Today's first calls and recalls alike, per local hour."""
        since = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
        hour = local_hour(pg, _E.c.at, tz, day)
        return (
            select(hour, func.count())
            .where(
                _E.c.hall_id == hall_id,
                _E.c.kind == EventKind.CALLED.value,
                _E.c.at >= since,
            )
            .group_by(hour)
        )

    @staticmethod
    def _per_hour(conn: Any, query: Any) -> tuple[int, ...]:
        counts = [0] * 24
        for hour, n in conn.execute(query):
            if hour is not None:
                counts[int(hour) % 24] += int(n)
        return tuple(counts)

    def counter_history(self, *, counter: str) -> list[HistoryLine]:
        """A counter's business day: its session events and every ticket event at it, in order."""
        ref = self.ctx.ref()
        cid = self.ctx.counter(counter).id
        since = datetime.combine(self.ctx.today(), time(0), tzinfo=ref.tz).astimezone(UTC)
        with self.ctx.read() as conn:
            sessions = conn.execute(
                select(_CE.c.at, _CE.c.kind, _CE.c.officer_id, _CE.c.reason).where(
                    _CE.c.counter_id == cid, _CE.c.at >= since
                )
            ).all()
            tickets = conn.execute(
                select(_E.c.at, _E.c.kind, _E.c.officer_id, _E.c.detail, _T.c.code)
                .join(_T, _T.c.id == _E.c.ticket_id)
                .where(_E.c.hall_id == ref.hall_id, _E.c.at >= since, _E.c.counter_id == cid)
            ).all()
        lines = [
            HistoryLine(r.at, r.kind, None, self.ctx.officer_name(r.officer_id), r.reason)
            for r in sessions
        ] + [
            HistoryLine(r.at, r.kind, r.code, self.ctx.officer_name(r.officer_id), r.detail)
            for r in tickets
        ]
        return sorted(lines, key=lambda line: line.at)
