"""SQL and checks every ticket service shares, as plain functions of (context, connection)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, case, select, update

from mpp_tui.domain.enums import CounterState, EventKind, Role
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Act, Conflict, InvalidInput, NotFound, PermissionDenied
from mpp_tui.domain.reference import CounterRef
from mpp_tui.domain.rules import NOTE_MAX, clean_note, parse_code
from mpp_tui.domain.views import AccountState
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.statements import CTX_SELECT, EVENT_INSERT, OF, TICKET_COLS, TT


@dataclass(frozen=True, slots=True)
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


def counter_context(
    ctx: ServiceContext,
    conn: Connection,
    counter: str,
    officer: str,
    *,
    require_holder: bool = True,
    leaving: bool = False,
) -> CounterContext:
    """Read counter, officer and active ticket in one query, and check the officer may act.

    Args:
        leaving: the officer is signing out of a counter: a disabled account may still close
            the session it holds when that holds no ticket (giving something up needs no
            rights); a ticket in hand is the supervisor's to finish or return.

    Raises:
        NotFound: unknown counter or officer.
        PermissionDenied: the account is disabled, or (with `require_holder`) the officer does
            not hold the counter and is no supervisor.
    """
    ref_counter = ctx.counter(counter)
    row = conn.execute(
        CTX_SELECT,
        {
            "hall_id": ctx.ref().hall_id,
            "username": officer.strip().lower(),
            "counter_id": ref_counter.id,
        },
    ).first()
    if row is None:
        raise NotFound("err.officer_not_found", officer=officer)
    role = Role(row.role)
    own = row.holder_id == row.officer_id
    if not row.officer_active and not (leaving and own and row.a_id is None):
        raise PermissionDenied("err.account_disabled", officer=row.username)
    if require_holder and row.holder_id != row.officer_id and not role.supervises:
        raise PermissionDenied("err.denied_counter", officer=row.username, counter=ref_counter.code)
    active_row = None
    if row.a_id is not None:
        mapping = row._mapping
        active_row = SimpleNamespace(**{c.key: mapping[f"a_{c.key}"] for c in TT.c})
    return CounterContext(
        counter=ref_counter,
        state=CounterState(row.state),
        holder_id=row.holder_id,
        pause_reason=row.pause_reason,
        streak=row.priority_streak,
        officer_id=row.officer_id,
        officer=row.username,
        role=role,
        active=active_row,
    )


def require_open(cc: CounterContext) -> None:
    """Conflict unless the counter is open (not closed, not paused)."""
    if cc.state is CounterState.CLOSED:
        raise Conflict("err.counter_closed", counter=cc.counter.code)
    if cc.state is CounterState.PAUSED:
        raise Conflict("err.counter_paused", counter=cc.counter.code, reason=cc.pause_reason)


def require_idle(cc: CounterContext) -> None:
    """Conflict when the counter already holds a called or serving ticket."""
    if cc.active is not None:
        raise Conflict("err.counter_busy", counter=cc.counter.code, ticket=cc.active.code)


def officer_with_role(ctx: ServiceContext, conn: Connection, username: str, act: Act) -> Any:
    """This hall's officer `username`, who must be active and a supervisor (or admin)."""
    row = conn.execute(
        select(OF.c.id, OF.c.username, OF.c.role, OF.c.active).where(
            OF.c.hall_id == ctx.ref().hall_id, OF.c.username == username.strip().lower()
        )
    ).first()
    if row is None:
        raise NotFound("err.officer_not_found", officer=username)
    if not row.active:
        raise PermissionDenied("err.account_disabled", officer=row.username)
    if not Role(row.role).supervises:
        raise PermissionDenied("err.denied_role", officer=row.username, role=row.role, action=act)
    return row


def account_state(ctx: ServiceContext, conn: Connection, username: str) -> tuple[int, AccountState]:
    """The id and account state (role, enabled) of this hall's officer `username`, read in the
    caller's transaction, so a screen's reload learns of a changed account without a query of
    its own.

    Raises:
        NotFound: no such officer in this hall.
    """
    row = conn.execute(
        select(OF.c.id, OF.c.username, OF.c.role, OF.c.active).where(
            OF.c.hall_id == ctx.ref().hall_id, OF.c.username == username.strip().lower()[:64]
        )
    ).first()
    if row is None:
        raise NotFound("err.officer_not_found", officer=username[:40])
    return row.id, AccountState(username=row.username, role=Role(row.role), active=row.active)


def find_ticket(
    ctx: ServiceContext, conn: Connection, ticket: str | int, *, prefer: S | None
) -> Row[Any]:
    """A ticket of this hall by id, or of today by display code (the newest of its chain;
    with `prefer`, one in that status first)."""
    hall_id = ctx.ref().hall_id
    if isinstance(ticket, int):
        row = conn.execute(
            select(*TICKET_COLS).where(TT.c.id == ticket, TT.c.hall_id == hall_id)
        ).first()
    else:
        parsed = parse_code(ticket)
        if parsed is None:
            raise InvalidInput("err.ticket_code_invalid", ticket=ticket[:20])
        query = select(*TICKET_COLS).where(
            TT.c.hall_id == hall_id,
            TT.c.business_date == ctx.today(),
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


def ticket_status(conn: Connection, ticket_id: int) -> str:
    """The ticket's status as the database holds it now."""
    return str(conn.execute(select(TT.c.status).where(TT.c.id == ticket_id)).scalar_one())


def compare_and_set(
    conn: Connection,
    current: Any,
    *,
    values: dict[str, Any] | None = None,
    where: tuple[Any, ...] = (),
    statement: Any = None,
    params: dict[str, Any] | None = None,
) -> Row[Any]:
    """Move one ticket on, only if it is still in the status it was read in.

    Every ticket transition goes through here (DESIGN §3): an `UPDATE … WHERE id = :id AND
    status = :expected … RETURNING`; when no row comes back another process moved the ticket
    first, and the caller gets a Conflict naming the status it found.

    Args:
        conn: the caller's write transaction.
        current: the ticket as read (needs `id`, `code`, `status`).
        values: columns to set (the statement is built from them), or
        where: extra conditions the ticket must still meet (with `values`).
        statement: a prebuilt statement of the hot path, bound with `tid` and `expect`;
        params: its other bound values.

    Returns:
        The ticket's row after the change.

    Raises:
        Conflict: `err.ticket_changed` when the ticket is no longer in `current.status`.
    """
    if statement is None:
        statement = (
            update(TT)
            .where(TT.c.id == current.id, TT.c.status == current.status, *where)
            .values(**(values or {}))
            .returning(*TICKET_COLS)
        )
        row = conn.execute(statement).first()
    else:
        bound = {"tid": current.id, "expect": current.status} | (params or {})
        row = conn.execute(statement, bound).first()
    if row is None:
        raise Conflict(
            "err.ticket_changed",
            ticket=current.code,
            status=status_word(ticket_status(conn, current.id)),
        )
    return row


def add_event(
    ctx: ServiceContext,
    conn: Connection,
    row: Any,
    kind: EventKind,
    status_from: S | None,
    counter_id: int | None,
    officer_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append the ticket's event (the log every report and screen reads) in the caller's
    transaction; None values are left out of `detail`."""
    conn.execute(
        EVENT_INSERT,
        {
            "hall_id": row.hall_id,
            "ticket_id": row.id,
            "kind": kind,
            "at": ctx.now(),
            "status_from": status_from,
            "status_to": row.status,
            "counter_id": counter_id,
            "officer_id": officer_id,
            "detail": json.dumps({k: v for k, v in detail.items() if v is not None})
            if detail
            else None,
        },
    )


def illegal(ticket: Any, action: str) -> Conflict:
    """The error for `action` on a ticket whose status does not allow it."""
    return Conflict(
        "err.illegal_transition",
        ticket=ticket.code,
        status=status_word(ticket.status),
        action=Act(f"act.{action}"),
    )


def status_word(status: str) -> Act:
    """A ticket status as a word of the user's language."""
    return Act(f"status.{status}")


def checked_note(note: str | None, limit: int = NOTE_MAX) -> str | None:
    """`note` cleaned (see clean_note); InvalidInput when longer than `limit` characters."""
    clean = clean_note(note)
    if clean is not None and len(clean) > limit:
        raise InvalidInput("err.note_too_long", max=limit)
    return clean
