"""The supervisor's picture of the hall: every counter's load and every service's queue health.

One call reads today's tickets of the hall once (a business day holds a few thousand at most,
found through the (hall, day) index however long the history) and derives the figures in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, case, cast, extract, func, select

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
from mpp_tui.services.reports import _pg_seconds, _sqlite_seconds

_T = TICKET
_E = TICKET_EVENT
_C = COUNTER
_CE = COUNTER_EVENT


def _local_hour(pg: bool, stamp: Any, tz: ZoneInfo, day: date) -> Any:
    """The hour of `stamp` in the hall's zone. SQLite has no zones: the day's offset (taken at
    local noon) shifts it, which is exact for Indonesia's zones (no daylight saving)."""
    if pg:
        return cast(extract("hour", func.timezone(tz.key, stamp)), Integer)
    offset = datetime.combine(day, time(12), tzinfo=tz).utcoffset() or timedelta(0)
    return cast(
        func.strftime("%H", stamp, f"{int(offset.total_seconds() // 60):+d} minutes"), Integer
    )


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
            pg = conn.dialect.name == "postgresql"
            seconds = _pg_seconds if pg else _sqlite_seconds
            begun = func.coalesce(_T.c.started_at, _T.c.called_at)
            done = (_T.c.status == S.DONE) & begun.is_not(None) & _T.c.finished_at.is_not(None)
            # Durations and hours come computed from the database: turning every timestamp of
            # a busy day into a Python object cost more than the rest of the snapshot.
            rows = conn.execute(
                select(
                    _T.c.service_id,
                    _T.c.counter_id,
                    _T.c.status,
                    _T.c.parent_id,
                    case(
                        (_T.c.called_at.is_not(None), seconds(_T.c.issued_at, _T.c.called_at))
                    ).label("wait"),
                    case((done, seconds(begun, _T.c.finished_at))).label("spent"),
                    case((_T.c.status == S.SERVING, _T.c.started_at)).label("serving_since"),
                    _local_hour(pg, _T.c.issued_at, ref.tz, day).label("hour"),
                ).where(_T.c.hall_id == ref.hall_id, _T.c.business_date == day)
            ).all()
            last_finish: dict[int, datetime] = dict(
                conn.execute(
                    select(_T.c.counter_id, func.max(_T.c.finished_at))
                    .where(
                        _T.c.hall_id == ref.hall_id,
                        _T.c.business_date == day,
                        _T.c.counter_id.is_not(None),
                        _T.c.finished_at.is_not(None),
                    )
                    .group_by(_T.c.counter_id)
                ).all()
            )
            call_hour = _local_hour(pg, _E.c.at, ref.tz, day)
            calls = conn.execute(
                select(call_hour, func.count())
                .where(
                    _E.c.hall_id == ref.hall_id,
                    _E.c.at >= since,
                    _E.c.kind == EventKind.CALLED.value,
                )
                .group_by(call_hour)
            ).all()
        served: dict[int, int] = defaultdict(int)
        service_secs: dict[int, list[float]] = defaultdict(list)
        waits: dict[int, list[float]] = defaultdict(list)
        over: dict[int, int] = defaultdict(int)
        arrivals = [0] * 24
        limits = {s.id: s.max_minutes * 60 for s in ref.services.values()}
        for r in rows:
            if r.parent_id is None and r.hour is not None:
                arrivals[int(r.hour) % 24] += 1
            if r.wait is not None:
                waits[r.service_id].append(r.wait)
            limit = limits.get(r.service_id)
            if r.spent is not None and r.counter_id is not None:
                served[r.counter_id] += 1
                service_secs[r.counter_id].append(r.spent)
                if limit is not None and r.spent > limit:
                    over[r.service_id] += 1
            elif r.status == S.DONE and r.counter_id is not None:
                served[r.counter_id] += 1
            elif (
                r.serving_since is not None
                and limit is not None
                and (now - r.serving_since).total_seconds() > limit
            ):
                over[r.service_id] += 1
        calls_by_hour = [0] * 24
        for hour, n in calls:
            if hour is not None:
                calls_by_hour[int(hour) % 24] += int(n)
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
