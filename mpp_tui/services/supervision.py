"""Supervisor actions on any ticket (cancel, reactivate) and the business-day close and reopen."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mpp_tui.domain.enums import EventKind
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Act, Conflict, InvalidInput, MppError, NotFound, PermissionDenied
from mpp_tui.domain.rules import TRANSITIONS
from mpp_tui.domain.views import DayPreview, DayServiceCounts, TicketView
from mpp_tui.services.audit import record
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.shared import (
    add_event,
    checked_note,
    compare_and_set,
    find_ticket,
    illegal,
    officer_with_role,
)
from mpp_tui.services.statements import DC, TICKET_COLS, TT

log = logging.getLogger(__name__)


class Supervision:
    """What only supervisors (or the system, for a past day's close) may do."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def cancel(self, *, ticket: str | int, officer: str, reason: str | None = None) -> TicketView:
        """Cancel a waiting or called ticket (supervisor)."""
        return self._supervise(
            ticket, officer, "cancel", EventKind.CANCELLED, Act("act.cancel_ticket"), reason=reason
        )

    def reactivate(self, *, ticket: str | int, officer: str) -> TicketView:
        """Put a no-show or cancelled ticket back in the queue within the grace window."""
        return self._supervise(
            ticket, officer, "reactivate", EventKind.REACTIVATED, Act("act.reactivate_ticket")
        )

    def move_ticket(
        self,
        *,
        ticket: str | int,
        officer: str,
        service: str | None = None,
        counter: str | None = None,
        note: str | None = None,
    ) -> TicketView:
        """Move a waiting ticket to another service and/or reserve it for one counter
        (supervisor). The ticket keeps its number and its place by arrival time; the move is
        recorded as a `moved` event with where it came from.

        Args:
            ticket: id or display code (today).
            officer: the supervisor.
            service: the new service's code (None keeps the service).
            counter: a counter that must call it (None: any counter of the service; "" clears a
                reservation).
            note: why, kept in the event (cleaned like every note).

        Raises:
            InvalidInput: neither a service nor a counter given; the move would change nothing;
                the counter does not serve the (new) service.
            Conflict: the ticket is not waiting.
        """
        if service is None and counter is None:
            raise InvalidInput("err.move_nothing")
        new_svc = self.ctx.service(service) if service is not None else None
        target = self.ctx.counter(counter) if counter else None
        cleaned = checked_note(note)

        def work(conn: Connection) -> TicketView:
            actor = officer_with_role(self.ctx, conn, officer, Act("act.move_ticket"))
            found = find_ticket(self.ctx, conn, ticket, prefer=S.WAITING)
            if found.status != S.WAITING:
                raise illegal(found, "move_ticket")
            service_id = new_svc.id if new_svc is not None else found.service_id
            if target is not None and service_id not in target.services:
                raise InvalidInput(
                    "err.counter_not_serving",
                    counter=target.code,
                    service=self.ctx.ref().services[service_id].label,
                )
            values: dict[str, Any] = {"service_id": service_id}
            if counter is not None:
                values["target_counter_id"] = target.id if target is not None else None
            reserved = values.get("target_counter_id", found.target_counter_id)
            if service_id == found.service_id and reserved == found.target_counter_id:
                raise InvalidInput("err.move_same", ticket=found.code)
            row = compare_and_set(conn, found, values=values)
            ref = self.ctx.ref()
            detail = {
                "from_service": ref.services[found.service_id].code,
                "to_service": ref.services[service_id].code,
                "to_counter": target.code if target is not None else None,
            }
            if cleaned:
                detail["note"] = cleaned
            add_event(self.ctx, conn, row, EventKind.MOVED, S.WAITING, None, actor.id, detail)
            return self.ctx.ticket_view(row)

        return self.ctx.write(work)

    def set_priority(self, *, ticket: str | int, officer: str, priority: str | None) -> TicketView:
        """Set or clear a waiting ticket's priority category (supervisor), with an event."""
        ref = self.ctx.ref()
        wanted = priority.strip().lower() or None if priority is not None else None
        if wanted is not None and wanted not in ref.priorities:
            raise NotFound(
                "err.priority_not_found", priority=wanted, choices=", ".join(ref.priorities)
            )

        def work(conn: Connection) -> TicketView:
            actor = officer_with_role(self.ctx, conn, officer, Act("act.set_priority"))
            found = find_ticket(self.ctx, conn, ticket, prefer=S.WAITING)
            if found.status != S.WAITING:
                raise illegal(found, "set_priority")
            row = compare_and_set(conn, found, values={"priority": wanted})
            detail = {"from": found.priority or "-", "to": wanted or "-"}
            add_event(
                self.ctx, conn, row, EventKind.PRIORITY_CHANGED, S.WAITING, None, actor.id, detail
            )
            return self.ctx.ticket_view(row)

        return self.ctx.write(work)

    def _supervise(
        self,
        ticket: str | int,
        officer: str,
        action: str,
        kind: EventKind,
        act: Act,
        *,
        reason: str | None = None,
    ) -> TicketView:
        sources, target = TRANSITIONS[action]
        clean = checked_note(reason)
        grace = self.ctx.ref().reactivate_grace_minutes

        def work(conn: Connection) -> TicketView:
            actor = officer_with_role(self.ctx, conn, officer, act)
            found = find_ticket(self.ctx, conn, ticket, prefer=None)
            if found.status not in sources:
                raise illegal(found, action)
            now = self.ctx.now()
            values: dict[str, Any] = {"status": target}
            if action == "cancel":
                values |= {"finished_at": now, "counter_id": None}
            else:
                if (
                    found.finished_at is None
                    or found.finished_at + timedelta(minutes=grace) < now
                    or found.business_date != self.ctx.today()
                ):
                    raise Conflict("err.reactivate_expired", ticket=found.code, minutes=grace)
                values |= {
                    "finished_at": None,
                    "counter_id": None,
                    "officer_id": None,
                    "call_count": 0,
                }
            row = compare_and_set(conn, found, values=values)
            add_event(
                self.ctx,
                conn,
                row,
                kind,
                S(found.status),
                found.counter_id,
                actor.id,
                {"reason": clean} if clean else None,
            )
            return self.ctx.ticket_view(row)

        return self.ctx.write(work)

    def close_day(self, *, day: date | None = None, officer: str | None = None) -> int:
        """Expire the waiting leftovers of a business day, exactly once whoever runs it.

        The day's `day_close` row is claimed with an insert that does nothing when the row
        exists, and each ticket moves with a compare-and-set from `waiting`: however many
        processes close the same day at once, every leftover gets one `expired` event. A day
        closed early (by a supervisor) may get new waiting tickets afterwards (a transfer, a
        reactivation); closing it again expires those and adds them to the day's count.

        Args:
            day: the business day; default yesterday (today's day closes tomorrow).
            officer: a supervisor for the record; None when run by the system.

        Returns:
            How many tickets this call expired (0 when nothing was left).

        Raises:
            PermissionDenied: the running day without a supervisor, or `officer` is none.
        """
        day = day or self.ctx.today() - timedelta(days=1)
        if day >= self.ctx.today() and officer is None:
            # Closing the running day expires people still waiting: a supervisor decides that.
            raise PermissionDenied("err.close_today_needs_supervisor")

        def work(conn: Connection) -> int:
            actor = (
                officer_with_role(self.ctx, conn, officer, Act("act.close_day"))
                if officer
                else None
            )
            expired = self._expire_day(conn, day, actor.id if actor else None)
            if actor is not None:  # the system's close of a past day is no admin action
                record(
                    self.ctx,
                    conn,
                    action="day.close",
                    target=day.isoformat(),
                    actor=actor,
                    after={"expired": expired},
                )
            return expired

        return self.ctx.write(work)

    def day_preview(self, *, day: date) -> DayPreview:
        """What closing or reopening business day `day` would do, for the question before it
        (read only; see DayPreview)."""
        ref = self.ctx.ref()
        states = (S.WAITING, S.CALLED, S.SERVING, S.EXPIRED)
        with self.ctx.read() as conn:
            closed_at = conn.execute(
                select(DC.c.closed_at).where(DC.c.hall_id == ref.hall_id, DC.c.business_date == day)
            ).scalar()
            rows = conn.execute(
                select(TT.c.service_id, TT.c.status, func.count())
                .where(
                    TT.c.hall_id == ref.hall_id,
                    TT.c.business_date == day,
                    TT.c.status.in_(states),
                )
                .group_by(TT.c.service_id, TT.c.status)
            ).all()
        by_service: dict[int, Counter[str]] = defaultdict(Counter)
        for service_id, status, count in rows:
            by_service[service_id][status] += count
        services = []
        for service_id, counts in by_service.items():
            svc = ref.services.get(service_id) or self.ctx.ref(fresh=True).services[service_id]
            services.append(
                DayServiceCounts(
                    service_code=svc.code,
                    service_name=svc.name,
                    service_name_en=svc.name_en or svc.name,
                    waiting=counts[S.WAITING],
                    called=counts[S.CALLED],
                    serving=counts[S.SERVING],
                    expired=counts[S.EXPIRED],
                )
            )
        services.sort(key=lambda s: s.service_code)
        return DayPreview(
            business_date=day,
            running=day == self.ctx.today(),
            closed_at=closed_at,
            waiting=sum(s.waiting for s in services),
            called=sum(s.called for s in services),
            serving=sum(s.serving for s in services),
            expired=sum(s.expired for s in services),
            services=tuple(services),
        )

    def check_reopen(self, preview: DayPreview) -> None:
        """Refuse early what `reopen_day` would refuse for the day `preview` shows.

        Raises:
            Conflict: the day is not today, or it is not closed.
        """
        refusal = self._reopen_refusal(preview.business_date, closed=preview.closed_at is not None)
        if refusal is not None:
            raise refusal

    def reopen_day(self, *, officer: str, day: date | None = None) -> tuple[TicketView, ...]:
        """Undo the close of the running business day (supervisor or admin).

        The day's `day_close` row is removed (the kiosks issue again) and every ticket its
        closes expired goes back to `waiting` with a `reopened` event. A ticket keeps its
        arrival key, so it takes its old place in the queue. Only today can be reopened: a day
        that is over stays closed. Deleting the close row is the claim: of two supervisors
        reopening at once, the second finds the day open; each ticket also moves with a
        compare-and-set from `expired`, so none is returned twice.

        Args:
            officer: the supervisor (or admin) reopening.
            day: the business day; default (and only allowed value) today.

        Returns:
            The tickets returned to the queue, in queue order.

        Raises:
            Conflict: the day is not today, or it is not closed.
            PermissionDenied: the officer is no supervisor or admin.
        """
        day = day or self.ctx.today()
        refusal = self._reopen_refusal(day, closed=True)
        if refusal is not None:
            raise refusal
        hid = self.ctx.ref().hall_id

        def work(conn: Connection) -> tuple[TicketView, ...]:
            actor = officer_with_role(self.ctx, conn, officer, Act("act.reopen_day"))
            # On PostgreSQL a second reopener waits here until the first commits, then finds
            # no row and is refused.
            claimed = conn.execute(
                delete(DC)
                .where(DC.c.hall_id == hid, DC.c.business_date == day)
                .returning(DC.c.business_date)
            ).first()
            if claimed is None:
                raise Conflict("err.day_not_closed", date=day.isoformat())
            expired = conn.execute(
                select(*TICKET_COLS)
                .where(TT.c.hall_id == hid, TT.c.business_date == day, TT.c.status == S.EXPIRED)
                .order_by(TT.c.sort_key, TT.c.id)
            ).all()
            back = []
            for found in expired:
                try:
                    row = compare_and_set(
                        conn, found, values={"status": S.WAITING, "finished_at": None}
                    )
                except Conflict:  # someone else moved it first: theirs to report
                    continue
                add_event(self.ctx, conn, row, EventKind.REOPENED, S.EXPIRED, None, actor.id)
                back.append(self.ctx.ticket_view(row))
            record(
                self.ctx,
                conn,
                action="day.reopen",
                target=day.isoformat(),
                actor=actor,
                before={"closed": True},
                after={"closed": False, "reopened": len(back)},
            )
            return tuple(back)

        return self.ctx.write(work)

    def _reopen_refusal(self, day: date, *, closed: bool) -> MppError | None:
        """Why business day `day` cannot be reopened now, or None."""
        today = self.ctx.today()
        if day != today:
            return Conflict("err.reopen_not_today", date=day.isoformat(), today=today.isoformat())
        if not closed:
            return Conflict("err.day_not_closed", date=day.isoformat())
        return None

    def ensure_past_days_closed(self) -> dict[date, int]:
        """Close every past business day of this hall that still has waiting tickets.

        Called when a screen starts (see `mpp_tui.cli.screens.tui_backend`), so the first
        kiosk, board or counter of a new day closes the days before it without anyone running
        `mpp day close`. Cheap when there is nothing to do: one indexed read.

        Returns:
            The days this call closed, with how many tickets it expired on each.
        """
        today = self.ctx.today()
        with self.ctx.read() as conn:
            days = sorted(
                conn.execute(
                    select(TT.c.business_date)
                    .where(
                        TT.c.hall_id == self.ctx.ref().hall_id,
                        TT.c.status == S.WAITING,
                        TT.c.business_date < today,
                    )
                    .distinct()
                ).scalars()
            )
        closed = {day: self.close_day(day=day) for day in days}
        for day, count in closed.items():
            if count:
                log.info("closed business day %s: %d tickets expired", day, count)
        return closed

    def _expire_day(self, conn: Connection, day: date, actor_id: int | None) -> int:
        """Claim the day's close row and expire its waiting tickets, in the caller's transaction."""
        now = self.ctx.now()
        hid = self.ctx.ref().hall_id
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        # On PostgreSQL a second closer waits here until the first commits, then finds the row.
        conn.execute(
            dialect.insert(DC)
            .values(hall_id=hid, business_date=day, closed_at=now, expired=0)
            .on_conflict_do_nothing()
        )
        rows = conn.execute(
            update(TT)
            .where(TT.c.hall_id == hid, TT.c.business_date == day, TT.c.status == S.WAITING)
            .values(status=S.EXPIRED, finished_at=now)
            .returning(*TICKET_COLS)
        ).all()
        for row in rows:
            add_event(self.ctx, conn, row, EventKind.EXPIRED, S.WAITING, None, actor_id)
        if rows:
            conn.execute(
                update(DC)
                .where(DC.c.hall_id == hid, DC.c.business_date == day)
                .values(expired=DC.c.expired + len(rows))
            )
        return len(rows)
