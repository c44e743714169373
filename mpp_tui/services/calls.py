"""Calling and the actions on a counter's active ticket: the ticket state machine's hot path."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select
from sqlalchemy.exc import IntegrityError

from mpp_tui.domain.enums import EventKind, QueuePosition
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, InvalidInput, NotFound
from mpp_tui.domain.reference import CounterRef
from mpp_tui.domain.rules import TRANSITIONS, next_streak, prefer_priority
from mpp_tui.domain.views import TicketView
from mpp_tui.services.context import ServiceContext, choice
from mpp_tui.services.shared import (
    CounterContext,
    add_event,
    checked_note,
    compare_and_set,
    counter_context,
    find_ticket,
    illegal,
    require_idle,
    require_open,
)
from mpp_tui.services.statements import ACT_UPDATE, CLAIM_NEXT, STREAK_UPDATE, TICKET_COLS, TT


class Calls:
    """Calling tickets and acting on a counter's active ticket (the counter officer's keys).

    Every action is one write transaction: a compare-and-set on the ticket's expected state
    plus its event.
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # === calling ==========================================================================

    def call_next(self, *, counter: str, officer: str) -> TicketView:
        """Call the next waiting ticket for `counter`: priority first, with anti-starvation.

        Raises:
            Conflict: the counter is closed/paused, already holds a ticket, or nobody waits.
            PermissionDenied: the officer is not signed in there (and is no supervisor).
        """
        ref = self.ctx.ref()

        def work(conn: Connection) -> Row[Any]:
            cc = counter_context(self.ctx, conn, counter, officer)
            require_open(cc)
            require_idle(cc)
            stmt = CLAIM_NEXT[prefer_priority(cc.streak, ref.priority_burst)]
            params = {
                "day": self.ctx.today(),
                "sids": sorted(cc.counter.services),
                "cid": cc.counter.id,
                "oid": cc.officer_id,
                "now": self.ctx.now(),
            }
            try:
                row = conn.execute(stmt, params).first()
            except IntegrityError:
                # uq_ticket_active_counter: another process of this counter won the race.
                raise Conflict("err.counter_busy", counter=cc.counter.code, ticket="?") from None
            if row is None:
                raise Conflict("err.queue_empty", counter=cc.counter.code)
            self._after_claim(conn, cc, row)
            return row

        # The view is built after commit: on SQLite the write lock is held only for SQL.
        return self.ctx.ticket_view(self.ctx.write(work))

    def call_ticket(self, *, counter: str, officer: str, ticket: str | int) -> TicketView:
        """Call a chosen waiting ticket out of order (it must be one this counter serves)."""

        def work(conn: Connection) -> TicketView:
            cc = counter_context(self.ctx, conn, counter, officer)
            require_open(cc)
            require_idle(cc)
            target = find_ticket(self.ctx, conn, ticket, prefer=S.WAITING)
            if target.business_date != self.ctx.today():
                raise NotFound("err.ticket_not_found", ticket=target.code)
            if target.target_counter_id not in (None, cc.counter.id):
                other = self.ctx.ref().counters[target.target_counter_id].code
                raise Conflict("err.ticket_for_other_counter", ticket=target.code, target=other)
            if target.status != S.WAITING:
                raise illegal(target, "call")
            if target.service_id not in cc.counter.services:
                service = self.ctx.ref().services[target.service_id]
                raise Conflict(
                    "err.service_not_at_counter", counter=cc.counter.code, service=service.label
                )
            try:
                row = compare_and_set(
                    conn,
                    target,
                    where=tuple(_callable(cc.counter, target.business_date)),
                    values={
                        "status": S.CALLED,
                        "counter_id": cc.counter.id,
                        "officer_id": cc.officer_id,
                        "called_at": self.ctx.now(),
                        "call_count": TT.c.call_count + 1,
                    },
                )
            except IntegrityError:
                # uq_ticket_active_counter: another process of this counter won the race.
                raise Conflict("err.counter_busy", counter=cc.counter.code, ticket="?") from None
            self._after_claim(conn, cc, row)
            return self.ctx.ticket_view(row)

        return self.ctx.write(work)

    def _after_claim(self, conn: Connection, cc: CounterContext, row: Row[Any]) -> None:
        """The call's event and the counter's priority streak."""
        add_event(self.ctx, conn, row, EventKind.CALLED, S.WAITING, cc.counter.id, cc.officer_id)
        streak = next_streak(cc.streak, row.priority is not None)
        if streak != cc.streak:
            conn.execute(STREAK_UPDATE, {"counter_id": cc.counter.id, "streak": streak})

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
        ref = self.ctx.ref()
        code = outcome.strip().lower()
        if code not in ref.outcomes:
            raise NotFound("err.outcome_not_found", outcome=outcome)
        clean = checked_note(note)
        if ref.outcomes[code].needs_note and clean is None:
            raise InvalidInput("err.note_required", outcome=ref.outcomes[code].name.id)
        return self._act(
            counter,
            officer,
            ticket,
            "finish",
            EventKind.FINISHED,
            lambda conn, cc: {"outcome": code, "note": clean},
            detail={"outcome": code},
        )

    def no_show(self, *, counter: str, officer: str, ticket: int | None = None) -> TicketView:
        """The visitor did not come after enough calls."""
        need = self.ctx.ref().no_show_min_calls

        def check(cc: CounterContext) -> None:
            assert cc.active is not None
            if cc.active.call_count < need:
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

        def values(conn: Connection, cc: CounterContext) -> dict[str, Any]:
            assert cc.active is not None
            return {"sort_key": self._requeue_key(conn, cc.active, position)}

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
        svc = self.ctx.service(service)
        target = self.ctx.counter(to_counter) if to_counter else None
        if target is not None and svc.id not in target.services:
            raise Conflict("err.service_not_at_counter", counter=target.code, service=svc.label)
        clean = checked_note(note)
        child: list[Row[Any]] = []

        def check(cc: CounterContext) -> None:
            assert cc.active is not None
            if cc.active.service_id == svc.id:
                raise Conflict(
                    "err.transfer_same_service", ticket=cc.active.code, service=svc.label
                )

        def after(conn: Connection, cc: CounterContext, parent: Row[Any], now: datetime) -> None:
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
            add_event(
                self.ctx,
                conn,
                row,
                EventKind.TRANSFERRED_IN,
                None,
                cc.counter.id,
                cc.officer_id,
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
        return self.ctx.ticket_view(child[0])

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
            cc = counter_context(self.ctx, conn, counter, officer)
            active = cc.active
            if active is None:
                raise Conflict("err.counter_no_active", counter=cc.counter.code)
            if ticket is not None and active.id != ticket:
                raise Conflict("err.ticket_not_at_counter", ticket=ticket, counter=cc.counter.code)
            if active.status not in sources:
                raise illegal(active, action)
            if check is not None:
                check(cc)
            now = self.ctx.now()
            params = {"to": target, "now": now} | values(conn, cc)
            row = compare_and_set(conn, active, statement=ACT_UPDATE[action], params=params)
            add_event(
                self.ctx, conn, row, kind, S(active.status), cc.counter.id, cc.officer_id, detail
            )
            if after is not None:
                after(conn, cc, row, now)
            return self.ctx.ticket_view(row)

        return self.ctx.write(work)


def _callable(counter: CounterRef, day: date) -> list[Any]:
    """What makes a ticket one `counter` may call on business day `day`."""
    return [
        TT.c.status == S.WAITING,
        TT.c.business_date == day,
        TT.c.service_id.in_(sorted(counter.services)),
        (TT.c.target_counter_id.is_(None)) | (TT.c.target_counter_id == counter.id),
    ]


def no_values(conn: Connection, cc: CounterContext) -> dict[str, Any]:
    """Actions whose statement needs only the common parameters."""
    return {}
