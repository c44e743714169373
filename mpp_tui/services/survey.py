"""The SKM survey: who may answer (a ticket just served), one answer per ticket, the index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Row, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite

from mpp_tui.db.tables import SERVICE, SURVEY_RESPONSE, TICKET
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Act, Conflict, InvalidInput, NotFound
from mpp_tui.domain.rules import parse_code
from mpp_tui.domain.skm import ELEMENT_COUNT, SkmResult, check_answers, ikm_from_totals
from mpp_tui.domain.views import TicketView
from mpp_tui.services.context import ServiceContext

SURVEY_WINDOW_MINUTES = 30
"""How long after finishing a visitor may start the survey for their ticket."""
ANSWER_GRACE_MINUTES = 10
"""Extra time to finish answering: a visitor who started in time is not turned away at Q9."""
RECENT_MAX = 20
"""The most just-finished tickets `latest_finished` lists."""

_T = TICKET
_R = SURVEY_RESPONSE
_ANSWER_COLUMNS = tuple(f"u{n}" for n in range(1, ELEMENT_COUNT + 1))
_ANSWERED = exists().where(_R.c.ticket_id == _T.c.id)


class Survey:
    """Records SKM answers (PermenPANRB 14/2017) and computes the index over a period.

    Args:
        ctx: the hall's service context.
        window_minutes: how long after a ticket is finished its survey may be started.
    """

    def __init__(self, ctx: ServiceContext, *, window_minutes: int = SURVEY_WINDOW_MINUTES) -> None:
        if window_minutes < 1:
            raise ValueError("the survey window must be at least one minute")
        self.ctx = ctx
        self.window_minutes = window_minutes

    # --- answering --------------------------------------------------------------------------

    def surveyable(self, *, code_or_id: str | int) -> TicketView:
        """The ticket a visitor may answer the survey for now.

        A display code means today's ticket with that code (the last of a transfer chain:
        the one that was finished).

        Raises:
            InvalidInput: `code_or_id` is no ticket code.
            NotFound: no such ticket today.
            Conflict: the ticket is not done, its survey is answered, or it was finished more
                than `window_minutes` ago.
        """
        with self.ctx.read() as conn:
            row = self._ticket(conn, code_or_id)
            self._check(conn, row, self.window_minutes)
        return self.ctx.ticket_view(row)

    def record(self, *, ticket: int | str, answers: Sequence[int]) -> None:
        """Save one visitor's nine answers (U1…U9, each 1–4) for a finished ticket.

        Service, counter, officer and business day are copied from the ticket. One response per
        ticket: the table's UNIQUE(ticket_id) decides between two visitors answering at once.

        Raises:
            InvalidInput: not exactly nine answers, or one outside 1–4 (naming its element);
                a malformed ticket code.
            NotFound: no such ticket today.
            Conflict: the ticket is not done, already answered, or finished too long ago.
        """
        values = check_answers(answers)  # nothing touches the database before this passes

        def work(conn: Connection) -> None:
            row = self._ticket(conn, ticket)
            self._check(conn, row, self.window_minutes + ANSWER_GRACE_MINUTES)
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            saved = conn.execute(
                dialect.insert(_R)
                .values(
                    hall_id=row.hall_id,
                    ticket_id=row.id,
                    service_id=row.service_id,
                    counter_id=row.counter_id,
                    officer_id=row.officer_id,
                    business_date=row.business_date,
                    at=self.ctx.now(),
                    **dict(zip(_ANSWER_COLUMNS, values, strict=True)),
                )
                .on_conflict_do_nothing(index_elements=[_R.c.ticket_id])
                .returning(_R.c.id)
            ).first()
            if saved is None:  # another visitor's answers for this ticket won the race
                raise Conflict("skm.err.already_answered", ticket=row.code)

        self.ctx.write(work)

    def latest_finished(self, *, counter: str | None = None, limit: int = 5) -> list[TicketView]:
        """Tickets finished in the last `window_minutes` whose survey is not answered, newest
        first: what a survey screen beside a counter offers its visitor.

        Args:
            counter: only tickets finished at this counter (a code); None: the whole hall.
            limit: at most this many (1–RECENT_MAX).

        Raises:
            NotFound: unknown counter.
            InvalidInput: `limit` out of range.
        """
        if not 1 <= limit <= RECENT_MAX:
            raise InvalidInput("skm.err.limit", max=RECENT_MAX)
        where: list[Any] = [
            _T.c.hall_id == self.ctx.ref().hall_id,
            _T.c.business_date == self.ctx.today(),
            _T.c.status == S.DONE,
            _T.c.finished_at >= self.ctx.now() - timedelta(minutes=self.window_minutes),
            ~_ANSWERED,
        ]
        if counter is not None:
            where.append(_T.c.counter_id == self.ctx.counter(counter).id)
        query = select(*_T.c).where(*where).order_by(_T.c.finished_at.desc(), _T.c.id.desc())
        with self.ctx.read() as conn:
            rows = conn.execute(query.limit(limit)).all()
        return [self.ctx.ticket_view(r) for r in rows]

    def _ticket(self, conn: Connection, ticket: int | str) -> Row[Any]:
        hall_id = self.ctx.ref().hall_id
        if isinstance(ticket, int):
            row = conn.execute(
                select(*_T.c).where(_T.c.id == ticket, _T.c.hall_id == hall_id)
            ).first()
        else:
            parsed = parse_code(ticket)
            if parsed is None:
                raise InvalidInput("err.ticket_code_invalid", ticket=ticket[:20])
            row = conn.execute(
                select(*_T.c)
                .where(
                    _T.c.hall_id == hall_id,
                    _T.c.business_date == self.ctx.today(),
                    _T.c.prefix == parsed[0],
                    _T.c.number == parsed[1],
                )
                .order_by(_T.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            raise NotFound("err.ticket_not_found", ticket=ticket)
        return row

    def _check(self, conn: Connection, row: Row[Any], minutes: int) -> None:
        """Refuse a ticket that may not be answered now (not done, answered, too old)."""
        if row.status != S.DONE:
            raise Conflict("skm.err.not_done", ticket=row.code, status=Act(f"status.{row.status}"))
        answered = conn.execute(select(_R.c.id).where(_R.c.ticket_id == row.id)).first()
        if answered is not None:
            raise Conflict("skm.err.already_answered", ticket=row.code)
        late = (
            row.finished_at is None or row.finished_at + timedelta(minutes=minutes) < self.ctx.now()
        )
        if late or row.business_date != self.ctx.today():
            raise Conflict("skm.err.too_late", ticket=row.code, minutes=self.window_minutes)

    # --- the index ----------------------------------------------------------------------------

    def skm(
        self,
        *,
        start: date,
        end: date,
        agency: str | None = None,
        service: str | None = None,
    ) -> SkmResult:
        """The SKM index of the responses of business days `start`…`end` (both included).

        Args:
            start, end: the period (business dates in the hall's time zone).
            agency: only the services of this agency (a code).
            service: only this service (a code). With `agency` too, both must match.

        Raises:
            InvalidInput: `start` is after `end`.
            NotFound: unknown agency or service, or no responses in the period.
        """
        if start > end:
            raise InvalidInput("skm.err.range", start=start.isoformat(), end=end.isoformat())
        where: list[Any] = [
            _R.c.hall_id == self.ctx.ref().hall_id,
            _R.c.business_date >= start,
            _R.c.business_date <= end,
        ]
        if service is not None:
            where.append(_R.c.service_id == self.ctx.service(service).id)
        if agency is not None:
            agency_id = self.ctx.agency(agency).id
            where.append(
                _R.c.service_id.in_(select(SERVICE.c.id).where(SERVICE.c.agency_id == agency_id))
            )
        sums = [func.coalesce(func.sum(_R.c[name]), 0) for name in _ANSWER_COLUMNS]
        with self.ctx.read() as conn:
            row = conn.execute(select(func.count(), *sums).where(*where)).one()
        respondents, *totals = (int(v) for v in row)
        if respondents == 0:
            raise NotFound("skm.err.no_responses", start=start.isoformat(), end=end.isoformat())
        return ikm_from_totals(respondents, totals)
