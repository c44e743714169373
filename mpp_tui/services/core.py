"""What every queue operation shares: the counter context read, checks, lookups and events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, case, select

from mpp_tui.domain.enums import CounterState, EventKind, Role
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Act, Conflict, InvalidInput, NotFound, PermissionDenied
from mpp_tui.domain.rules import NOTE_MAX, clean_note, parse_code
from mpp_tui.services.base import CounterRef, ServiceBase
from mpp_tui.services.reads import QueueReads
from mpp_tui.services.statements import CTX_SELECT, EVENT_INSERT, OF, TICKET_COLS, TT


@dataclass(frozen=True)
class CounterContext:
    """The counter, the acting officer and the counter's active ticket, read in one query."""

    counter: CounterRef
    state: CounterState
    holder_id: int | None
    pause_reason: str | None
    streak: int
    officer_id: int
    officer: str
    role: Role
    active: Any  # the active ticket's columns (attribute access), or None


class QueueCore(QueueReads, ServiceBase):
    """Shared pieces of QueueService: one context query, role checks, ticket lookup, events."""

    def _ctx(
        self, conn: Connection, counter: str, officer: str, *, require_holder: bool = True
    ) -> CounterContext:
        """Read counter, officer and active ticket in one query, and check the officer may act."""
        ref_counter = self.counter(counter)
        row = conn.execute(
            CTX_SELECT,
            {
                "hall_id": self.ref().hall_id,
                "username": officer.strip().lower(),
                "counter_id": ref_counter.id,
            },
        ).first()
        if row is None:
            raise NotFound("err.officer_not_found", officer=officer)
        role = Role(row.role)
        if not row.officer_active:
            raise PermissionDenied("err.account_disabled", officer=row.username)
        if require_holder and row.holder_id != row.officer_id and not role.supervises:
            raise PermissionDenied(
                "err.denied_counter", officer=row.username, counter=ref_counter.code
            )
        active_row = None
        if row.a_id is not None:
            mapping = row._mapping
            active_row = SimpleNamespace(**{c.key: mapping[f"a_{c.key}"] for c in TT.c})
        return CounterContext(
            ref_counter,
            CounterState(row.state),
            row.holder_id,
            row.pause_reason,
            row.priority_streak,
            row.officer_id,
            row.username,
            role,
            active_row,
        )

    def _require_open(self, ctx: CounterContext) -> None:
        if ctx.state is CounterState.CLOSED:
            raise Conflict("err.counter_closed", counter=ctx.counter.code)
        if ctx.state is CounterState.PAUSED:
            raise Conflict("err.counter_paused", counter=ctx.counter.code, reason=ctx.pause_reason)

    def _require_idle(self, ctx: CounterContext) -> None:
        if ctx.active is not None:
            raise Conflict("err.counter_busy", counter=ctx.counter.code, ticket=ctx.active.code)

    def _officer_with_role(self, conn: Connection, username: str, act: Act) -> Any:
        row = conn.execute(
            select(OF.c.id, OF.c.username, OF.c.role, OF.c.active).where(
                OF.c.hall_id == self.ref().hall_id, OF.c.username == username.strip().lower()
            )
        ).first()
        if row is None:
            raise NotFound("err.officer_not_found", officer=username)
        if not row.active:
            raise PermissionDenied("err.account_disabled", officer=row.username)
        if not Role(row.role).supervises:
            raise PermissionDenied(
                "err.denied_role", officer=row.username, role=row.role, action=act
            )
        return row

    def _find(self, conn: Connection, ticket: str | int, *, prefer: S | None) -> Row[Any]:
        """A ticket of today by id or display code; for a code, the newest of its chain."""
        if isinstance(ticket, int):
            row = conn.execute(
                select(*TICKET_COLS).where(TT.c.id == ticket, TT.c.hall_id == self.ref().hall_id)
            ).first()
        else:
            parsed = parse_code(ticket)
            if parsed is None:
                raise InvalidInput("err.ticket_code_invalid", ticket=ticket[:20])
            query = select(*TICKET_COLS).where(
                TT.c.hall_id == self.ref().hall_id,
                TT.c.business_date == self.today(),
                TT.c.prefix == parsed[0],
                TT.c.number == parsed[1],
            )
            order: list[Any] = [TT.c.id.desc()]
            if prefer is not None:
                order.insert(0, case((TT.c.status == prefer, 0), else_=1))
            row = conn.execute(query.order_by(*order).limit(1)).first()
        if row is None:
            raise NotFound("err.ticket_not_found", ticket=ticket)
        return row

    @staticmethod
    def _status(conn: Connection, ticket_id: int) -> str:
        return str(conn.execute(select(TT.c.status).where(TT.c.id == ticket_id)).scalar_one())

    def _event(
        self,
        conn: Connection,
        row: Row[Any],
        kind: EventKind,
        status_from: S | None,
        counter_id: int | None,
        officer_id: int | None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        conn.execute(
            EVENT_INSERT,
            {
                "hall_id": row.hall_id,
                "ticket_id": row.id,
                "kind": kind,
                "at": self.now(),
                "status_from": status_from,
                "status_to": row.status,
                "counter_id": counter_id,
                "officer_id": officer_id,
                "detail": json.dumps({k: v for k, v in detail.items() if v is not None})
                if detail
                else None,
            },
        )


def no_values(conn: Connection, ctx: CounterContext) -> dict[str, Any]:
    """Actions whose statement needs only the common parameters."""
    return {}


def status_word(status: str) -> Act:
    return Act(f"status.{status}")


def checked_note(note: str | None, limit: int = NOTE_MAX) -> str | None:
    """`note` cleaned (see clean_note); InvalidInput when longer than `limit` characters."""
    clean = clean_note(note)
    if clean is not None and len(clean) > limit:
        raise InvalidInput("err.note_too_long", max=limit)
    return clean
