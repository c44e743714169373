"""QueueService: the ticket state machine and counter sessions, one transaction per call."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mpp_tui.domain.enums import EventKind, QueuePosition
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Act, Conflict, InvalidInput, NotFound
from mpp_tui.domain.rules import TRANSITIONS, next_streak, prefer_priority
from mpp_tui.domain.views import TicketView
from mpp_tui.services.base import CounterRef, choice
from mpp_tui.services.core import CounterContext, checked_note, no_values, status_word
from mpp_tui.services.daylog import DayLog
from mpp_tui.services.desk import CounterDeskReads
from mpp_tui.services.hall import HallReads
from mpp_tui.services.issuing import TicketIssuing
from mpp_tui.services.overview import HallOverviewReads
from mpp_tui.services.sessions import CounterSessions
from mpp_tui.services.statements import ACT_UPDATE, CLAIM_NEXT, STREAK_UPDATE, TICKET_COLS, TT
from mpp_tui.services.supervision import Supervision


class QueueService(
    TicketIssuing,
    Supervision,
    CounterSessions,
    CounterDeskReads,
    HallReads,
    HallOverviewReads,
    DayLog,
):
    """Every change to tickets and counters goes through here (TUI, CLI, simulator, benchmarks).

    Issuing, supervision and counter sessions live in their own modules; this one holds
    calling and the actions on a counter's active ticket.
    """

    # === calling ==========================================================================

    def call_next(self, *, counter: str, officer: str) -> TicketView:
        """Call the next waiting ticket for `counter`: priority first, with anti-starvation.

        Raises:
            Conflict: the counter is closed/paused, already holds a ticket, or nobody waits.
            PermissionDenied: the officer is not signed in there (and is no supervisor).
        """
        ref = self.ref()

        def work(conn: Connection) -> Row[Any]:
            ctx = self._ctx(conn, counter, officer)
            self._require_open(ctx)
            self._require_idle(ctx)
            stmt = CLAIM_NEXT[prefer_priority(ctx.streak, ref.priority_burst)]
            params = {
                "day": self.today(),
                "sids": sorted(ctx.counter.services),
                "cid": ctx.counter.id,
                "oid": ctx.officer_id,
                "now": self.now(),
            }
            try:
                row = conn.execute(stmt, params).first()
            except IntegrityError:
                # uq_ticket_active_counter: another process of this counter won the race.
                raise Conflict("err.counter_busy", counter=ctx.counter.code, ticket="?") from None
            if row is None:
                raise Conflict("err.queue_empty", counter=ctx.counter.code)
            self._after_claim(conn, ctx, row)
            return row

        # The view is built after commit: on SQLite the write lock is held only for SQL.
        return self.ticket_view(self._write(work))

    def call_ticket(self, *, counter: str, officer: str, ticket: str | int) -> TicketView:
        """Call a chosen waiting ticket out of order (it must be one this counter serves)."""

        def work(conn: Connection) -> TicketView:
            ctx = self._ctx(conn, counter, officer)
            self._require_open(ctx)
            self._require_idle(ctx)
            target = self._find(conn, ticket, prefer=S.WAITING)
            if target.business_date != self.today():
                raise NotFound("err.ticket_not_found", ticket=target.code)
            if target.target_counter_id not in (None, ctx.counter.id):
                other = self.ref().counters[target.target_counter_id].code
                raise Conflict("err.ticket_for_other_counter", ticket=target.code, target=other)
            if target.status != S.WAITING:
                raise Conflict(
                    "err.illegal_transition",
                    ticket=target.code,
                    status=status_word(target.status),
                    action=Act("act.call"),
                )
            if target.service_id not in ctx.counter.services:
                service = self.ref().services[target.service_id]
                raise Conflict(
                    "err.service_not_at_counter", counter=ctx.counter.code, service=service.label
                )
            row = self._claim(
                conn,
                ctx,
                and_(TT.c.id == target.id, *self._callable(ctx.counter, target.business_date)),
            )
            if row is None:
                raise Conflict(
                    "err.ticket_changed",
                    ticket=target.code,
                    status=status_word(self._status(conn, target.id)),
                )
            return self.ticket_view(row)

        return self._write(work)

    def _callable(self, counter: CounterRef, day: date) -> list[Any]:
        return [
            TT.c.status == S.WAITING,
            TT.c.business_date == day,
            TT.c.service_id.in_(sorted(counter.services)),
            (TT.c.target_counter_id.is_(None)) | (TT.c.target_counter_id == counter.id),
        ]

    def _claim(self, conn: Connection, ctx: CounterContext, where: Any) -> Row[Any] | None:
        """The guarded UPDATE that gives a waiting ticket to this counter, plus its event."""
        now = self.now()
        try:
            row = conn.execute(
                update(TT)
                .where(where, TT.c.status == S.WAITING)
                .values(
                    status=S.CALLED,
                    counter_id=ctx.counter.id,
                    officer_id=ctx.officer_id,
                    called_at=now,
                    call_count=TT.c.call_count + 1,
                )
                .returning(*TICKET_COLS)
            ).first()
        except IntegrityError:
            # uq_ticket_active_counter: another process of this counter won the race.
            raise Conflict("err.counter_busy", counter=ctx.counter.code, ticket="?") from None
        if row is not None:
            self._after_claim(conn, ctx, row)
        return row

    def _after_claim(self, conn: Connection, ctx: CounterContext, row: Row[Any]) -> None:
        """The call's event and the counter's priority streak."""
        self._event(conn, row, EventKind.CALLED, S.WAITING, ctx.counter.id, ctx.officer_id)
        streak = next_streak(ctx.streak, row.priority is not None)
        if streak != ctx.streak:
            conn.execute(STREAK_UPDATE, {"counter_id": ctx.counter.id, "streak": streak})

    # === the active ticket ================================================================

    def recall(self, *, counter: str, officer: str, ticket: int | None = None) -> TicketView:
        """Announce the counter's called ticket again (counts the call)."""
        return self._act(
            counter,
            officer,
            ticket,
            "recall",
            EventKind.RECALLED,
            no_values,
        )

    def start(self, *, counter: str, officer: str, ticket: int | None = None) -> TicketView:
        """The visitor has arrived at the counter: service starts."""
        return self._act(
            counter,
            officer,
            ticket,
            "start",
            EventKind.STARTED,
            no_values,
        )

    def finish(
        self,
        *,
        counter: str,
        officer: str,
        outcome: str = "selesai",
        note: str | None = None,
        ticket: int | None = None,
    ) -> TicketView:
        """Finish the counter's ticket with an outcome (straight from `called` is allowed).

        Raises:
            NotFound: unknown outcome.
            InvalidInput: the outcome needs a note, or the note is too long.
        """
        ref = self.ref()
        code = outcome.strip().lower()
        if code not in ref.outcomes:
            raise NotFound("err.outcome_not_found", outcome=outcome)
        clean = checked_note(note)
        if ref.outcomes[code][2] and clean is None:
            raise InvalidInput("err.note_required", outcome=ref.outcomes[code][0])
        return self._act(
            counter,
            officer,
            ticket,
            "finish",
            EventKind.FINISHED,
            lambda conn, ctx: {"outcome": code, "note": clean},
            detail={"outcome": code},
        )

    def no_show(self, *, counter: str, officer: str, ticket: int | None = None) -> TicketView:
        """The visitor did not come after enough calls."""
        need = self.ref().no_show_min_calls

        def check(ctx: CounterContext) -> None:
            assert ctx.active is not None
            if ctx.active.call_count < need:
                raise Conflict("err.no_show_too_early", calls=need)

        return self._act(
            counter,
            officer,
            ticket,
            "no_show",
            EventKind.NO_SHOW,
            no_values,
            check=check,
        )

    def return_to_queue(
        self,
        *,
        counter: str,
        officer: str,
        position: QueuePosition = QueuePosition.LAST,
        ticket: int | None = None,
    ) -> TicketView:
        """Put the called ticket back in the queue, first or last among its service's waiters."""
        position = choice(QueuePosition, position, "field.position")

        def values(conn: Connection, ctx: CounterContext) -> dict[str, Any]:
            assert ctx.active is not None
            return {"sort_key": self._requeue_key(conn, ctx.active, position)}

        return self._act(
            counter,
            officer,
            ticket,
            "return",
            EventKind.RETURNED,
            values,
            detail={"position": position.value},
        )

    def _requeue_key(self, conn: Connection, active: Row[Any], position: QueuePosition) -> int:
        if position is QueuePosition.LAST:
            # Behind every ticket issued so far; later arrivals get larger ids and stay behind.
            return int(conn.execute(select(func.max(TT.c.id))).scalar_one()) + 1
        first = conn.execute(
            select(func.min(TT.c.sort_key)).where(
                TT.c.status == S.WAITING,
                TT.c.service_id == active.service_id,
                TT.c.business_date == active.business_date,
            )
        ).scalar_one()
        return int(active.sort_key) if first is None else min(int(active.sort_key), int(first) - 1)

    def transfer(
        self,
        *,
        counter: str,
        officer: str,
        service: str,
        to_counter: str | None = None,
        note: str | None = None,
        ticket: int | None = None,
    ) -> TicketView:
        """Send the visitor on to another service, keeping the display number.

        The new waiting ticket links to its parent and queues by the parent's arrival.

        Returns:
            The new (child) ticket.
        """
        svc = self.service(service)
        target = self.counter(to_counter) if to_counter else None
        if target is not None and svc.id not in target.services:
            raise Conflict("err.service_not_at_counter", counter=target.code, service=svc.label)
        clean = checked_note(note)
        child: list[Row[Any]] = []

        def check(ctx: CounterContext) -> None:
            assert ctx.active is not None
            if ctx.active.service_id == svc.id:
                raise Conflict(
                    "err.transfer_same_service", ticket=ctx.active.code, service=svc.label
                )

        def after(conn: Connection, ctx: CounterContext, parent: Row[Any], now: datetime) -> None:
            row = conn.execute(
                insert(TT)
                .values(
                    hall_id=parent.hall_id,
                    business_date=parent.business_date,
                    service_id=svc.id,
                    prefix=parent.prefix,
                    number=parent.number,
                    code=parent.code,
                    priority=parent.priority,
                    status=S.WAITING,
                    target_counter_id=target.id if target else None,
                    parent_id=parent.id,
                    sort_key=parent.sort_key,
                    issued_at=now,
                    call_count=0,
                    source="transfer",
                    note=clean,
                )
                .returning(*TICKET_COLS)
            ).one()
            self._event(
                conn,
                row,
                EventKind.TRANSFERRED_IN,
                None,
                ctx.counter.id,
                ctx.officer_id,
                {"parent": parent.id},
            )
            child.append(row)

        self._act(
            counter,
            officer,
            ticket,
            "transfer",
            EventKind.TRANSFERRED,
            no_values,
            check=check,
            after=after,
            detail={"service": svc.code, "counter": target.code if target else None},
        )
        return self.ticket_view(child[0])

    def _act(
        self,
        counter: str,
        officer: str,
        ticket: int | None,
        action: str,
        kind: EventKind,
        values: Any,
        *,
        check: Any = None,
        after: Any = None,
        detail: dict[str, Any] | None = None,
    ) -> TicketView:
        """Apply `action` to the counter's active ticket as a compare-and-set on its state."""
        sources, target = TRANSITIONS[action]

        def work(conn: Connection) -> TicketView:
            ctx = self._ctx(conn, counter, officer)
            active = ctx.active
            if active is None:
                raise Conflict("err.counter_no_active", counter=ctx.counter.code)
            if ticket is not None and active.id != ticket:
                raise Conflict("err.ticket_not_at_counter", ticket=ticket, counter=ctx.counter.code)
            if active.status not in sources:
                raise Conflict(
                    "err.illegal_transition",
                    ticket=active.code,
                    status=status_word(active.status),
                    action=Act(f"act.{action}"),
                )
            if check is not None:
                check(ctx)
            now = self.now()
            params = {"tid": active.id, "expect": active.status, "to": target, "now": now}
            row = conn.execute(ACT_UPDATE[action], params | values(conn, ctx)).first()
            if row is None:
                raise Conflict(
                    "err.ticket_changed",
                    ticket=active.code,
                    status=status_word(self._status(conn, active.id)),
                )
            self._event(conn, row, kind, S(active.status), ctx.counter.id, ctx.officer_id, detail)
            if after is not None:
                after(conn, ctx, row, now)
            return self.ticket_view(row)

        return self._write(work)
