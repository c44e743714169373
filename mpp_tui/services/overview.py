"""The supervisor's picture of the hall: every counter's load and every service's queue health.

One call reads today's tickets of the hall once (a business day holds a few thousand at most,
found through the (hall, day) index however long the history) and derives the figures in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

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
from mpp_tui.services.reads import QueueReads

_T = TICKET
_E = TICKET_EVENT
_C = COUNTER
_CE = COUNTER_EVENT


class HallOverviewReads(QueueReads):
    """What `mpp supervisor` and `mpp status` show."""

    def overview(self) -> HallOverview:
        """Counters (state, offline, served, average service, idle), services (waiting, longest
        and average wait, estimate, over standard, crowded, long wait) and today's arrivals and
        calls per hour."""
        ref = self.ref()
        day = self.today()
        now = self.now()
        loads = self.service_loads()
        since = datetime.combine(day, time(0), tzinfo=ref.tz).astimezone(UTC)
        with self._read() as conn:
            views = self._counter_views(conn)
            seen = {
                r.id: r.last_seen_at
                for r in conn.execute(
                    select(_C.c.id, _C.c.last_seen_at).where(_C.c.hall_id == ref.hall_id)
                )
            }
            rows = conn.execute(
                select(
                    _T.c.service_id,
                    _T.c.counter_id,
                    _T.c.status,
                    _T.c.issued_at,
                    _T.c.called_at,
                    _T.c.started_at,
                    _T.c.finished_at,
                    _T.c.parent_id,
                ).where(_T.c.hall_id == ref.hall_id, _T.c.business_date == day)
            ).all()
            calls = conn.execute(
                select(_E.c.at).where(
                    _E.c.hall_id == ref.hall_id,
                    _E.c.at >= since,
                    _E.c.kind == EventKind.CALLED.value,
                )
            ).all()
        served: dict[int, int] = defaultdict(int)
        service_secs: dict[int, list[float]] = defaultdict(list)
        last_finish: dict[int, datetime] = {}
        waits: dict[int, list[float]] = defaultdict(list)
        over: dict[int, int] = defaultdict(int)
        arrivals = [0] * 24
        for r in rows:
            svc = ref.services.get(r.service_id)
            if r.parent_id is None:
                arrivals[r.issued_at.astimezone(ref.tz).hour] += 1
            if r.called_at is not None:
                waits[r.service_id].append((r.called_at - r.issued_at).total_seconds())
            if r.counter_id is not None and r.finished_at is not None:
                prev = last_finish.get(r.counter_id)
                last_finish[r.counter_id] = max(prev, r.finished_at) if prev else r.finished_at
            limit = timedelta(minutes=svc.max_minutes) if svc else None
            if r.status == S.DONE and r.counter_id is not None:
                served[r.counter_id] += 1
                start = r.started_at or r.called_at
                if start is not None and r.finished_at is not None:
                    spent = r.finished_at - start
                    service_secs[r.counter_id].append(spent.total_seconds())
                    if limit is not None and spent > limit:
                        over[r.service_id] += 1
            elif (
                r.status == S.SERVING
                and r.started_at is not None
                and limit is not None
                and now - r.started_at > limit
            ):
                over[r.service_id] += 1
        calls_by_hour = [0] * 24
        for (at,) in calls:
            calls_by_hour[at.astimezone(ref.tz).hour] += 1
        counter_ids = {c.code: c.id for c in ref.counters.values()}
        counters = []
        for view in views:
            cid = counter_ids[view.code]
            last = seen.get(cid)
            opened = view.state in (CounterState.OPEN, CounterState.PAUSED)
            offline = opened and last is not None and (now - last).total_seconds() > OFFLINE_AFTER_S
            idle_since = None
            if view.state is CounterState.OPEN and view.active is None:
                candidates = [t for t in (view.state_since, last_finish.get(cid)) if t]
                idle_since = max(candidates) if candidates else None
            secs = service_secs.get(cid)
            counters.append(
                CounterLoad(
                    counter=view,
                    offline=offline,
                    served_today=served.get(cid, 0),
                    avg_service_seconds=round(sum(secs) / len(secs)) if secs else None,
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
            sid = by_code[load.code]
            svc_waits = waits.get(sid)
            services.append(
                ServiceHealth(
                    load=load,
                    avg_wait_seconds=round(sum(svc_waits) / len(svc_waits)) if svc_waits else None,
                    over_standard=over.get(sid, 0),
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
            arrivals_by_hour=tuple(arrivals),
            calls_by_hour=tuple(calls_by_hour),
        )

    def counter_history(self, *, counter: str) -> list[HistoryLine]:
        """A counter's business day: its session events and every ticket event at it, in order."""
        ref = self.ref()
        cid = self.counter(counter).id
        since = datetime.combine(self.today(), time(0), tzinfo=ref.tz).astimezone(UTC)
        with self._read() as conn:
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
            HistoryLine(r.at, r.kind, None, self.officer_name(r.officer_id), r.reason)
            for r in sessions
        ] + [
            HistoryLine(r.at, r.kind, r.code, self.officer_name(r.officer_id), r.detail)
            for r in tickets
        ]
        return sorted(lines, key=lambda line: line.at)

    def heartbeat(self, *, counter: str) -> None:
        """The counter screen is alive (sent every 30 s; the supervisor shows silence)."""
        cid = self.counter(counter).id
        now = self.now()

        def work(conn: Any) -> None:
            conn.execute(_C.update().where(_C.c.id == cid).values(last_seen_at=now))

        self._write(work)
