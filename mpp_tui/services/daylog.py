"""The daily log: every ticket of a business day with its measured times, in one query.

Read by the counter officer's log screen, the supervisor and `mpp log`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from mpp_tui.db.tables import OUTCOME, SERVICE, TICKET, TICKET_EVENT
from mpp_tui.domain.enums import EventKind, TicketStatus
from mpp_tui.domain.errors import InvalidInput, NotFound
from mpp_tui.domain.reference import ServiceRef
from mpp_tui.domain.rules import parse_code
from mpp_tui.domain.views import LogEntry
from mpp_tui.services.context import ServiceContext

_T = TICKET
_E = TICKET_EVENT
_PARENT = TICKET.alias("parent")
_CHILD = TICKET.alias("child")
_SIBLING = TICKET.alias("sibling")  # the day's tickets, as seen by the aggregates
_CALL_KINDS = (EventKind.CALLED.value, EventKind.RECALLED.value)


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    """Whole seconds from `start` to `end` (truncated), None when either end is missing."""
    if start is None or end is None:
        return None
    return int((end - start).total_seconds())


class DayLog:
    """The daily log read (one read transaction, no query per ticket)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def day_log(
        self,
        *,
        day: date | None = None,
        counter: str | None = None,
        officer: str | None = None,
        service: str | None = None,
        agency: str | None = None,
        outcome: str | None = None,
        search: str | None = None,
        limit: int | None = None,
    ) -> list[LogEntry]:
        """Every ticket of the hall issued on business day `day`, oldest first (issue time, id).

        Filters combine with AND:

        - `counter`, `service`, `agency`: codes (any case); `counter` is the counter that last
          held the ticket, `agency` the agency of the ticket's service.
        - `officer`: a username; the tickets that officer handled (the ticket's officer).
        - `outcome`: an outcome code (`selesai`, `ditolak`, …); only finished tickets have one.
        - `search`: a ticket code. When it reads as a code (`A-001`, `a001`, `A 1`), it matches
          that code exactly (prefix and number, so a transfer chain's tickets all match);
          otherwise it matches as a case-insensitive substring of the display code (`01` finds
          `A-001`, `B-010`, …). Blank means no search.

        Times: `wait_seconds` is issue → first call (from the event log, so a ticket returned to
        the queue keeps its first wait), `walk_seconds` is (last) call → start, `service_seconds`
        start → finish, `total_seconds` issue → finish. `call_count` counts every call and
        recall of the ticket that day (it survives a return to the queue).

        Raises:
            NotFound: unknown counter, service, agency, officer or outcome.
            InvalidInput: `limit` is zero or negative.
        """
        if limit is not None and limit < 1:
            raise InvalidInput("log.err.limit_invalid", limit=limit)
        ref = self.ctx.ref()
        day = day or self.ctx.today()
        where: list[Any] = [_T.c.hall_id == ref.hall_id, _T.c.business_date == day]
        if counter is not None:
            where.append(_T.c.counter_id == self.ctx.counter(counter).id)
        if service is not None:
            where.append(_T.c.service_id == self.ctx.service(service).id)
        if agency is not None:
            agency_id = self.ctx.agency(agency).id
            where.append(
                _T.c.service_id.in_(select(SERVICE.c.id).where(SERVICE.c.agency_id == agency_id))
            )
        if officer is not None:
            where.append(_T.c.officer_id == self.ctx.officer_id(officer))
        if search is not None and search.strip():
            where.append(self._search_clause(search))
        if outcome is not None:
            where.append(_T.c.outcome == outcome.strip().lower())

        with self.ctx.read() as conn:
            if outcome is not None:
                self._check_outcome(conn, outcome)
            query = (
                self._log_query(ref.hall_id, day).where(*where).order_by(_T.c.issued_at, _T.c.id)
            )
            if limit is not None:
                query = query.limit(limit)
            rows = conn.execute(query).all()
        return [self._log_entry(r) for r in rows]

    # --- lookups ------------------------------------------------------------------------------

    def _check_outcome(self, conn: Connection, given: str) -> None:
        """An outcome filter must name an outcome of the hall (a retired one still counts)."""
        code = given.strip().lower()
        if code in self.ctx.ref().outcomes:
            return
        known = conn.execute(
            select(OUTCOME.c.code).where(
                OUTCOME.c.hall_id == self.ctx.ref().hall_id, OUTCOME.c.code == code
            )
        ).first()
        if known is None:
            raise NotFound("err.outcome_not_found", outcome=given)

    @staticmethod
    def _search_clause(search: str) -> Any:
        parsed = parse_code(search)
        if parsed is not None:
            return (_T.c.prefix == parsed[0]) & (_T.c.number == parsed[1])
        return _T.c.code.contains(search.strip().upper(), autoescape=True)

    # --- the query ----------------------------------------------------------------------------

    @staticmethod
    def _log_query(hall_id: int, day: date) -> Any:
        """Tickets joined to their parent, their newest child and their call aggregates."""
        of_day = select(_SIBLING.c.id).where(
            _SIBLING.c.hall_id == hall_id, _SIBLING.c.business_date == day
        )
        calls = (
            select(
                _E.c.ticket_id,
                func.min(case((_E.c.kind == EventKind.CALLED.value, _E.c.at))).label(
                    "first_called"
                ),
                func.count().label("calls"),
            )
            .where(_E.c.kind.in_(_CALL_KINDS), _E.c.ticket_id.in_(of_day))
            .group_by(_E.c.ticket_id)
            .subquery("calls")
        )
        # A transferred ticket is final, so it has one child; max() keeps this safe regardless.
        kids = (
            select(_SIBLING.c.parent_id, func.max(_SIBLING.c.id).label("child_id"))
            .where(
                _SIBLING.c.hall_id == hall_id,
                _SIBLING.c.business_date == day,
                _SIBLING.c.parent_id.is_not(None),
            )
            .group_by(_SIBLING.c.parent_id)
            .subquery("kids")
        )
        return select(
            _T.c.id,
            _T.c.code,
            _T.c.business_date,
            _T.c.status,
            _T.c.service_id,
            _T.c.priority,
            _T.c.counter_id,
            _T.c.officer_id,
            _T.c.issued_at,
            _T.c.called_at,
            _T.c.started_at,
            _T.c.finished_at,
            _T.c.call_count,
            _T.c.outcome,
            _T.c.note,
            _PARENT.c.service_id.label("parent_service_id"),
            _CHILD.c.service_id.label("child_service_id"),
            calls.c.first_called,
            calls.c.calls,
        ).select_from(
            _T.outerjoin(_PARENT, _PARENT.c.id == _T.c.parent_id)
            .outerjoin(kids, kids.c.parent_id == _T.c.id)
            .outerjoin(_CHILD, _CHILD.c.id == kids.c.child_id)
            .outerjoin(calls, calls.c.ticket_id == _T.c.id)
        )

    def _service_ref(self, service_id: int) -> ServiceRef:
        return (
            self.ctx.ref().services.get(service_id) or self.ctx.ref(fresh=True).services[service_id]
        )

    def _log_entry(self, row: Any) -> LogEntry:
        ref = self.ctx.ref()
        svc = self._service_ref(row.service_id)
        counter = ref.counters.get(row.counter_id) if row.counter_id is not None else None
        first_called = row.first_called or row.called_at
        return LogEntry(
            id=row.id,
            code=row.code,
            business_date=row.business_date,
            status=TicketStatus(row.status),
            service_code=svc.code,
            service_name=svc.name,
            service_name_en=svc.name_en or svc.name,
            agency_code=ref.agencies[svc.agency_id].code,
            priority=row.priority,
            counter_code=counter.code if counter else None,
            officer=self.ctx.officer_name(row.officer_id),
            issued_at=row.issued_at,
            called_at=row.called_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            wait_seconds=_seconds(row.issued_at, first_called),
            walk_seconds=_seconds(row.called_at, row.started_at),
            service_seconds=_seconds(row.started_at, row.finished_at),
            total_seconds=_seconds(row.issued_at, row.finished_at),
            call_count=max(int(row.calls or 0), int(row.call_count)),
            outcome=row.outcome,
            note=row.note,
            transferred_from=self._service_ref(row.parent_service_id).code
            if row.parent_service_id is not None
            else None,
            transferred_to=self._service_ref(row.child_service_id).code
            if row.child_service_id is not None
            else None,
        )
