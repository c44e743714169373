"""The counter screen's read: the counter, its queue and the officer's day in one transaction."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from mpp_tui.db.tables import TICKET
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.reference import CounterRef
from mpp_tui.domain.rules import estimate_wait_minutes
from mpp_tui.domain.views import CounterDesk, OfficerDay, ServiceWaiting
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.queries import (
    avg_service_minutes,
    counter_views,
    open_counters_by_service,
    waiting_rows,
)
from mpp_tui.services.shared import account_state

_T = TICKET
NEXT_SHOWN = 12  # enough for a 40-row terminal; the screen shows what fits


class Desk:
    """What a counter PC reads after every change."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def counter_desk(self, *, counter: str, officer: str | None = None) -> CounterDesk:
        """The counter's state and active ticket, the next tickets it would call, waiting
        counts and estimates for its services, and `officer`'s day at this counter and account
        (enabled, role), so the screen can sign out when the account changed.

        Raises:
            NotFound: unknown counter or officer.
        """
        ref_counter = self.ctx.counter(counter)
        with self.ctx.read() as conn:
            self.ctx.check_epoch(conn)
            view = counter_views(self.ctx, conn, only=ref_counter.id)[0]
            rows = waiting_rows(self.ctx, conn, ref_counter, NEXT_SHOWN)
            by_service = self._waiting_by_service(conn, ref_counter)
            officer_id, account = (
                account_state(self.ctx, conn, officer) if officer else (None, None)
            )
            day = self._officer_day(conn, ref_counter, officer_id)
        return CounterDesk(
            counter=view,
            next_tickets=tuple(self.ctx.ticket_view(r) for r in rows),
            waiting_total=sum(w.waiting for w in by_service),
            by_service=by_service,
            my_day=day,
            read_at=self.ctx.now(),
            officer=account,
        )

    def _waiting_by_service(
        self, conn: Connection, ref_counter: CounterRef
    ) -> tuple[ServiceWaiting, ...]:
        ref = self.ctx.ref()
        day = self.ctx.today()
        counts: dict[int, int] = {
            int(sid): int(n)
            for sid, n in conn.execute(
                select(_T.c.service_id, func.count())
                .where(
                    _T.c.status == S.WAITING,
                    _T.c.business_date == day,
                    _T.c.service_id.in_(sorted(ref_counter.services)),
                    _T.c.target_counter_id.is_(None) | (_T.c.target_counter_id == ref_counter.id),
                )
                .group_by(_T.c.service_id)
            ).all()
        }
        opened = open_counters_by_service(self.ctx, conn)
        result = []
        for sid in sorted(ref_counter.services, key=lambda s: ref.services[s].code):
            svc = ref.services[sid]
            if not svc.active:
                continue
            n = counts.get(sid, 0)
            avg = avg_service_minutes(self.ctx, conn, svc, day) if n else svc.max_minutes / 2
            result.append(
                ServiceWaiting(
                    code=svc.code,
                    name=svc.name,
                    name_en=svc.name_en or svc.name,
                    waiting=n,
                    eta_minutes=estimate_wait_minutes(n, opened.get(sid, 0), avg),
                )
            )
        return tuple(result)

    def _officer_day(
        self, conn: Connection, ref_counter: CounterRef, officer_id: int | None
    ) -> OfficerDay:
        """The day's outcomes at this counter; for one officer when given."""
        ref = self.ctx.ref()
        scope = [_T.c.counter_id == ref_counter.id, _T.c.business_date == self.ctx.today()]
        if officer_id is not None:
            scope.append(_T.c.officer_id == officer_id)
        rows = conn.execute(
            select(_T.c.status, _T.c.service_id, _T.c.started_at, _T.c.finished_at).where(
                *scope, _T.c.status.in_((S.DONE, S.NO_SHOW, S.TRANSFERRED))
            )
        ).all()
        served = [r for r in rows if r.status == S.DONE]
        durations = [
            (r.finished_at - r.started_at).total_seconds()
            for r in served
            if r.started_at is not None and r.finished_at is not None
        ]
        within = sum(
            1
            for r in served
            if r.started_at is not None
            and r.finished_at is not None
            and (r.finished_at - r.started_at).total_seconds()
            <= ref.services[r.service_id].max_minutes * 60
        )
        standards = [ref.services[r.service_id].max_minutes for r in served]
        return OfficerDay(
            served=len(served),
            no_shows=sum(1 for r in rows if r.status == S.NO_SHOW),
            transferred=sum(1 for r in rows if r.status == S.TRANSFERRED),
            avg_service_seconds=round(sum(durations) / len(durations)) if durations else None,
            within_standard=within,
            avg_standard_minutes=sum(standards) / len(standards) if standards else None,
        )
