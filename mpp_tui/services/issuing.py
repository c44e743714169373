"""Issuing tickets: service hours, daily quotas, atomic numbering, the wait estimate."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, and_, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from mpp_tui.domain.enums import EventKind
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Act, Conflict, NotFound, ServiceClosed
from mpp_tui.domain.reference import ServiceRef
from mpp_tui.domain.rules import format_code, hours_text, is_open
from mpp_tui.domain.views import IssuedTicket, TicketView
from mpp_tui.i18n import ClockText
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.queries import estimate
from mpp_tui.services.shared import (
    add_event,
    checked_note,
    compare_and_set,
    find_ticket,
    illegal,
    officer_with_role,
)
from mpp_tui.services.statements import AG, DC, NC, TICKET_COLS, TT

VOID_WINDOW_MINUTES = 10
"""How long after issuing a kiosk may void a ticket it failed to print."""


class Issuing:
    """What the kiosk (and a greeter, or `mpp ticket issue`) does."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def issue_ticket(
        self,
        *,
        service: str,
        priority: str | None = None,
        source: str = "kiosk",
        override_by: str | None = None,
    ) -> IssuedTicket:
        """Issue a ticket for `service`.

        Args:
            service: service code.
            priority: a priority category code (only the kiosk's explicit choice or staff).
            source: where it was issued (`kiosk`, `greeter`, `cli`, `sim`).
            override_by: a supervisor's username to issue outside hours or past the quota.

        Raises:
            NotFound: unknown service or priority category.
            ServiceClosed: outside hours or quota reached (unless overridden).
        """
        svc = self.ctx.service(service)
        ref = self.ctx.ref()
        if not svc.active:
            raise NotFound("err.service_inactive", service=svc.code)
        if priority is not None:
            priority = priority.strip().lower() or None
        if priority is not None and priority not in ref.priorities:
            raise NotFound(
                "err.priority_not_found", priority=priority, choices=", ".join(ref.priorities)
            )
        now = self.ctx.now()
        if override_by is None and not is_open(svc.schedule, now, ref.tz):
            hours = hours_text(svc.schedule, now, ref.tz, "")
            raise ServiceClosed(
                "err.outside_hours",
                service=svc.label,
                hours=ClockText(hours) if hours else Act("err.closed_today"),
            )

        def work(conn: Connection) -> IssuedTicket:
            override_id = None
            if override_by is not None:
                override_id = officer_with_role(self.ctx, conn, override_by, Act("act.override")).id
            day = self.ctx.today()
            closed = conn.execute(
                select(DC.c.closed_at).where(DC.c.hall_id == ref.hall_id, DC.c.business_date == day)
            ).first()
            if closed is not None:
                raise ServiceClosed("err.day_closed", date=day.isoformat())
            number = self._next_number(conn, svc.prefix, day)
            if override_id is None:
                self._check_quota(conn, svc, day)
            tid = conn.execute(
                insert(TT)
                .values(
                    hall_id=ref.hall_id,
                    business_date=day,
                    service_id=svc.id,
                    prefix=svc.prefix,
                    number=number,
                    code=format_code(svc.prefix, number),
                    priority=priority,
                    status=S.WAITING,
                    sort_key=0,
                    issued_at=now,
                    call_count=0,
                    source=source,
                )
                .returning(TT.c.id)
            ).scalar_one()
            row = conn.execute(
                update(TT).where(TT.c.id == tid).values(sort_key=tid).returning(*TICKET_COLS)
            ).one()
            detail = {"override_by": override_by} if override_by else None
            add_event(self.ctx, conn, row, EventKind.ISSUED, None, None, override_id, detail)
            ahead, eta = estimate(
                self.ctx, conn, svc, row.sort_key, row.id, day, priority=row.priority is not None
            )
            return IssuedTicket(ticket=self.ctx.ticket_view(row), ahead=ahead, eta_minutes=eta)

        return self.ctx.write(work)

    def void_unprinted(self, *, ticket_id: int, reason: str) -> TicketView:
        """Cancel a ticket whose print failed, so no one waits for a number they do not hold.

        The second phase of issuing at a kiosk with a printer. Only a ticket that is still
        waiting, has never been called and was issued in the last few minutes can be voided
        this way (no login is needed at a kiosk, so the window is what keeps it honest).

        Raises:
            NotFound: no such ticket.
            Conflict: the ticket has moved on (called, cancelled) or is too old.
        """
        note = checked_note(reason)

        def work(conn: Connection) -> TicketView:
            found = find_ticket(self.ctx, conn, ticket_id, prefer=None)
            if found.status != S.WAITING or found.call_count or found.parent_id is not None:
                raise illegal(found, "void_unprinted")
            if self.ctx.now() - found.issued_at > timedelta(minutes=VOID_WINDOW_MINUTES):
                raise Conflict("err.void_too_late", ticket=found.code)
            row = compare_and_set(
                conn, found, values={"status": S.CANCELLED, "finished_at": self.ctx.now()}
            )
            detail = {"reason": note} if note else None
            add_event(self.ctx, conn, row, EventKind.PRINT_FAILED, S.WAITING, None, None, detail)
            return self.ctx.ticket_view(row)

        return self.ctx.write(work)

    def _next_number(self, conn: Connection, prefix: str, day: date) -> int:
        """Bump the (hall, prefix, day) counter row atomically; it also serialises issuing."""
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(NC).values(
            hall_id=self.ctx.ref().hall_id, prefix=prefix, business_date=day, last_number=1
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[NC.c.hall_id, NC.c.prefix, NC.c.business_date],
            set_={"last_number": NC.c.last_number + 1},
        ).returning(NC.c.last_number)
        return int(conn.execute(stmt).scalar_one())

    def _check_quota(self, conn: Connection, svc: ServiceRef, day: date) -> None:
        agency = self.ctx.ref().agencies[svc.agency_id]
        counted = and_(
            TT.c.business_date == day, TT.c.parent_id.is_(None), TT.c.status != S.CANCELLED
        )
        if svc.daily_quota is not None:
            issued = conn.execute(
                select(func.count()).where(counted, TT.c.service_id == svc.id)
            ).scalar_one()
            if issued >= svc.daily_quota:
                raise ServiceClosed("err.quota_reached", what=svc.label, quota=svc.daily_quota)
        if agency.daily_quota is not None:
            if conn.dialect.name == "postgresql":
                # Services of one agency may use different prefixes: lock the agency row.
                conn.execute(select(AG.c.id).where(AG.c.id == agency.id).with_for_update())
            ids = [s.id for s in self.ctx.ref().services.values() if s.agency_id == agency.id]
            issued = conn.execute(
                select(func.count()).where(counted, TT.c.service_id.in_(ids))
            ).scalar_one()
            if issued >= agency.daily_quota:
                raise ServiceClosed(
                    "err.quota_reached", what=agency.short_name, quota=agency.daily_quota
                )
