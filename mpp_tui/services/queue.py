"""QueueService: the ticket state machine and counter sessions, one transaction per call."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from mpp_tui.db.tables import (
    AGENCY,
    COUNTER,
    COUNTER_EVENT,
    DAY_CLOSE,
    NUMBER_COUNTER,
    OFFICER,
    TICKET,
    TICKET_EVENT,
)
from mpp_tui.domain.enums import (
    CounterEventKind,
    CounterState,
    EventKind,
    PauseReason,
    QueuePosition,
    Role,
)
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import (
    Act,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceClosed,
)
from mpp_tui.domain.rules import (
    NOTE_MAX,
    TRANSITIONS,
    clean_note,
    format_code,
    hours_text,
    is_open,
    next_streak,
    parse_code,
    prefer_priority,
)
from mpp_tui.domain.views import IssuedTicket, TicketView
from mpp_tui.services.base import CounterRef, ServiceBase, ServiceRef, choice
from mpp_tui.services.reads import QueueReads

TT = TICKET
EV = TICKET_EVENT
CT = COUNTER
OF = OFFICER
CE = COUNTER_EVENT
NC = NUMBER_COUNTER
DC = DAY_CLOSE
AG = AGENCY
ACTIVE = (S.CALLED.value, S.SERVING.value)
TICKET_COLS = tuple(TT.c)
_ACTIVE_T = TT.alias("active")
_STARTED = func.coalesce(TT.c.started_at, TT.c.called_at)

# --- hot-path statements, built once (building SQL per call costs more than running it) -----

# Counter, acting officer and the counter's active ticket, in one round trip.
_CTX_SELECT = (
    select(
        CT.c.state,
        CT.c.officer_id.label("holder_id"),
        CT.c.pause_reason,
        CT.c.priority_streak,
        OF.c.id.label("officer_id"),
        OF.c.role,
        OF.c.active.label("officer_active"),
        OF.c.username,
        *(col.label(f"a_{col.key}") for col in _ACTIVE_T.c),
    )
    .select_from(
        CT.join(
            OF, and_(OF.c.hall_id == bindparam("hall_id"), OF.c.username == bindparam("username"))
        ).outerjoin(
            _ACTIVE_T, and_(_ACTIVE_T.c.counter_id == CT.c.id, _ACTIVE_T.c.status.in_(ACTIVE))
        )
    )
    .where(CT.c.id == bindparam("counter_id"))
)


def _candidate(*, priority: bool) -> Any:
    """The first waiting ticket of one class (priority or regular) this counter may call."""
    klass = TT.c.priority.is_not(None) if priority else TT.c.priority.is_(None)
    return (
        select(TT.c.id)
        .where(
            TT.c.status == S.WAITING,
            TT.c.business_date == bindparam("day"),
            TT.c.service_id.in_(bindparam("sids", expanding=True)),
            TT.c.target_counter_id.is_(None) | (TT.c.target_counter_id == bindparam("cid")),
            klass,
        )
        .order_by(TT.c.sort_key, TT.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )


def _claim_next(*, priority_first: bool) -> Any:
    """The guarded UPDATE … RETURNING of call_next: the preferred class, else the other one."""
    first, second = _candidate(priority=priority_first), _candidate(priority=not priority_first)
    return (
        update(TT)
        .where(TT.c.id == func.coalesce(first, second), TT.c.status == S.WAITING)
        .values(
            status=S.CALLED,
            counter_id=bindparam("cid"),
            officer_id=bindparam("oid"),
            called_at=bindparam("now"),
            call_count=TT.c.call_count + 1,
        )
        .returning(*TICKET_COLS)
    )


_CLAIM_NEXT = {True: _claim_next(priority_first=True), False: _claim_next(priority_first=False)}
_EVENT_INSERT = insert(EV)
_STREAK_UPDATE = (
    update(CT).where(CT.c.id == bindparam("counter_id")).values(priority_streak=bindparam("streak"))
)
# What each action on a counter's active ticket sets besides its new status; bound names are
# filled per call.
_ACT_SETS: dict[str, dict[str, Any]] = {
    "recall": {"call_count": TT.c.call_count + 1},
    "start": {"started_at": bindparam("now")},
    "finish": {
        "finished_at": bindparam("now"),
        "outcome": bindparam("outcome"),
        "note": bindparam("note"),
        "started_at": _STARTED,
    },
    "no_show": {"finished_at": bindparam("now")},
    "transfer": {"finished_at": bindparam("now"), "started_at": _STARTED},
    # Calls count anew for the new wait (no-show needs fresh recalls).
    "return": {
        "counter_id": None,
        "officer_id": None,
        "sort_key": bindparam("sort_key"),
        "call_count": 0,
    },
}
_ACT_UPDATE = {
    action: update(TT)
    .where(TT.c.id == bindparam("tid"), TT.c.status == bindparam("expect"))
    .values(status=bindparam("to"), **sets)
    .returning(*TICKET_COLS)
    for action, sets in _ACT_SETS.items()
}


@dataclass(frozen=True)
class _Ctx:
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


class QueueService(QueueReads, ServiceBase):
    """Every change to tickets and counters goes through here (TUI, CLI, simulator, benchmarks)."""

    # === issuing ==========================================================================

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
        svc = self.service(service)
        ref = self.ref()
        if not svc.active:
            raise NotFound("err.service_inactive", service=svc.code)
        if priority is not None:
            priority = priority.strip().lower() or None
        if priority is not None and priority not in ref.priorities:
            raise NotFound(
                "err.priority_not_found", priority=priority, choices=", ".join(ref.priorities)
            )
        now = self.now()
        if override_by is None and not is_open(svc.schedule, now, ref.tz):
            raise ServiceClosed(
                "err.outside_hours",
                service=svc.label,
                hours=hours_text(svc.schedule, now, ref.tz, "") or Act("err.closed_today"),
            )

        def work(conn: Connection) -> IssuedTicket:
            override_id = None
            if override_by is not None:
                override_id = self._officer_with_role(conn, override_by, Act("act.override")).id
            day = self.today()
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
            self._event(conn, row, EventKind.ISSUED, None, None, override_id, detail)
            ahead, eta = self._estimate(
                conn, svc, row.sort_key, row.id, day, priority=row.priority is not None
            )
            return IssuedTicket(ticket=self.ticket_view(row), ahead=ahead, eta_minutes=eta)

        return self._write(work)

    def _next_number(self, conn: Connection, prefix: str, day: date) -> int:
        """Bump the (hall, prefix, day) counter row atomically; it also serialises issuing."""
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(NC).values(
            hall_id=self.ref().hall_id, prefix=prefix, business_date=day, last_number=1
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[NC.c.hall_id, NC.c.prefix, NC.c.business_date],
            set_={"last_number": NC.c.last_number + 1},
        ).returning(NC.c.last_number)
        return int(conn.execute(stmt).scalar_one())

    def _check_quota(self, conn: Connection, svc: ServiceRef, day: date) -> None:
        agency = self.ref().agencies[svc.agency_id]
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
            ids = [s.id for s in self.ref().services.values() if s.agency_id == agency.id]
            issued = conn.execute(
                select(func.count()).where(counted, TT.c.service_id.in_(ids))
            ).scalar_one()
            if issued >= agency.daily_quota:
                raise ServiceClosed(
                    "err.quota_reached", what=agency.short_name, quota=agency.daily_quota
                )

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
            stmt = _CLAIM_NEXT[prefer_priority(ctx.streak, ref.priority_burst)]
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
                    status=_st(target.status),
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
                    status=_st(self._status(conn, target.id)),
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

    def _claim(self, conn: Connection, ctx: _Ctx, where: Any) -> Row[Any] | None:
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

    def _after_claim(self, conn: Connection, ctx: _Ctx, row: Row[Any]) -> None:
        """The call's event and the counter's priority streak."""
        self._event(conn, row, EventKind.CALLED, S.WAITING, ctx.counter.id, ctx.officer_id)
        streak = next_streak(ctx.streak, row.priority is not None)
        if streak != ctx.streak:
            conn.execute(_STREAK_UPDATE, {"counter_id": ctx.counter.id, "streak": streak})

    # === the active ticket ================================================================

    def recall(self, *, counter: str, officer: str, ticket: int | None = None) -> TicketView:
        """Announce the counter's called ticket again (counts the call)."""
        return self._act(
            counter,
            officer,
            ticket,
            "recall",
            EventKind.RECALLED,
            _no_values,
        )

    def start(self, *, counter: str, officer: str, ticket: int | None = None) -> TicketView:
        """The visitor has arrived at the counter: service starts."""
        return self._act(
            counter,
            officer,
            ticket,
            "start",
            EventKind.STARTED,
            _no_values,
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
        clean = _note(note)
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

        def check(ctx: _Ctx) -> None:
            assert ctx.active is not None
            if ctx.active.call_count < need:
                raise Conflict("err.no_show_too_early", calls=need)

        return self._act(
            counter,
            officer,
            ticket,
            "no_show",
            EventKind.NO_SHOW,
            _no_values,
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

        def values(conn: Connection, ctx: _Ctx) -> dict[str, Any]:
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
        clean = _note(note)
        child: list[Row[Any]] = []

        def check(ctx: _Ctx) -> None:
            assert ctx.active is not None
            if ctx.active.service_id == svc.id:
                raise Conflict(
                    "err.transfer_same_service", ticket=ctx.active.code, service=svc.label
                )

        def after(conn: Connection, ctx: _Ctx, parent: Row[Any], now: datetime) -> None:
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
            _no_values,
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
                    status=_st(active.status),
                    action=Act(f"act.{action}"),
                )
            if check is not None:
                check(ctx)
            now = self.now()
            params = {"tid": active.id, "expect": active.status, "to": target, "now": now}
            row = conn.execute(_ACT_UPDATE[action], params | values(conn, ctx)).first()
            if row is None:
                raise Conflict(
                    "err.ticket_changed",
                    ticket=active.code,
                    status=_st(self._status(conn, active.id)),
                )
            self._event(conn, row, kind, S(active.status), ctx.counter.id, ctx.officer_id, detail)
            if after is not None:
                after(conn, ctx, row, now)
            return self.ticket_view(row)

        return self._write(work)

    # === supervisor actions on any ticket =================================================

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
        clean = _note(reason)
        grace = self.ref().reactivate_grace_minutes

        def work(conn: Connection) -> TicketView:
            actor = self._officer_with_role(conn, officer, act)
            found = self._find(conn, ticket, prefer=None)
            if found.status not in sources:
                raise Conflict(
                    "err.illegal_transition",
                    ticket=found.code,
                    status=_st(found.status),
                    action=Act(f"act.{action}"),
                )
            now = self.now()
            values: dict[str, Any] = {"status": target}
            if action == "cancel":
                values |= {"finished_at": now, "counter_id": None}
            else:
                if (
                    found.finished_at is None
                    or found.finished_at + timedelta(minutes=grace) < now
                    or found.business_date != self.today()
                ):
                    raise Conflict("err.reactivate_expired", ticket=found.code, minutes=grace)
                values |= {
                    "finished_at": None,
                    "counter_id": None,
                    "officer_id": None,
                    "call_count": 0,
                }
            row = conn.execute(
                update(TT)
                .where(TT.c.id == found.id, TT.c.status == found.status)
                .values(**values)
                .returning(*TICKET_COLS)
            ).first()
            if row is None:
                raise Conflict(
                    "err.ticket_changed",
                    ticket=found.code,
                    status=_st(self._status(conn, found.id)),
                )
            self._event(
                conn,
                row,
                kind,
                S(found.status),
                found.counter_id,
                actor.id,
                {"reason": clean} if clean else None,
            )
            return self.ticket_view(row)

        return self._write(work)

    def close_day(self, *, day: date | None = None, officer: str | None = None) -> int:
        """Expire the waiting leftovers of a business day, exactly once whoever runs it.

        Args:
            day: the business day; default yesterday (today's day closes tomorrow).
            officer: a supervisor for the record; None when run by the system.

        Returns:
            How many tickets were expired (0 when the day was already closed).
        """
        day = day or self.today() - timedelta(days=1)
        if day >= self.today() and officer is None:
            # Closing the running day expires people still waiting: a supervisor decides that.
            raise PermissionDenied("err.close_today_needs_supervisor")

        def work(conn: Connection) -> int:
            actor = (
                self._officer_with_role(conn, officer, Act("act.close_day")) if officer else None
            )
            now = self.now()
            hid = self.ref().hall_id
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            claimed = conn.execute(
                dialect.insert(DC)
                .values(hall_id=hid, business_date=day, closed_at=now, expired=0)
                .on_conflict_do_nothing()
                .returning(DC.c.hall_id)
            ).first()
            if claimed is None:
                return 0
            rows = conn.execute(
                update(TT)
                .where(TT.c.hall_id == hid, TT.c.business_date == day, TT.c.status == S.WAITING)
                .values(status=S.EXPIRED, finished_at=now)
                .returning(*TICKET_COLS)
            ).all()
            for row in rows:
                self._event(
                    conn, row, EventKind.EXPIRED, S.WAITING, None, actor.id if actor else None
                )
            conn.execute(
                update(DC)
                .where(DC.c.hall_id == hid, DC.c.business_date == day)
                .values(expired=len(rows))
            )
            return len(rows)

        return self._write(work)

    # === counter sessions =================================================================

    def open_counter(self, *, counter: str, officer: str) -> None:
        """Sign `officer` in at `counter` (idempotent for the same officer)."""

        def work(conn: Connection) -> None:
            ctx = self._ctx(conn, counter, officer, require_holder=False)
            if ctx.holder_id == ctx.officer_id and ctx.state is not CounterState.CLOSED:
                return
            if ctx.holder_id is not None:
                raise Conflict(
                    "err.counter_taken",
                    counter=ctx.counter.code,
                    officer=self.officer_name(ctx.holder_id),
                )
            elsewhere = conn.execute(
                select(CT.c.code).where(CT.c.officer_id == ctx.officer_id)
            ).scalar_one_or_none()
            if elsewhere is not None:
                raise Conflict("err.officer_elsewhere", officer=ctx.officer, counter=elsewhere)
            self._counter_change(
                conn,
                ctx,
                CounterState.OPEN,
                CounterEventKind.OPENED,
                officer_id=ctx.officer_id,
                expect=ctx.state,
                priority_streak=0,
            )

        self._write(work)

    def pause_counter(
        self, *, counter: str, officer: str, reason: PauseReason | str, note: str | None = None
    ) -> None:
        """Pause an open counter with a reason (istirahat, sholat, rapat, lainnya + note)."""
        why = choice(PauseReason, reason, "field.pause_reason")
        clean = _note(note)
        if why is PauseReason.LAINNYA and clean is None:
            raise InvalidInput("err.note_required", outcome=Act("pause.lainnya"))
        text = why.value if why is not PauseReason.LAINNYA else f"{why.value}: {clean}"

        def work(conn: Connection) -> None:
            ctx = self._ctx(conn, counter, officer)
            if ctx.state is not CounterState.OPEN:
                raise Conflict("err.counter_not_open", counter=ctx.counter.code)
            self._counter_change(
                conn,
                ctx,
                CounterState.PAUSED,
                CounterEventKind.PAUSED,
                expect=ctx.state,
                pause_reason=text,
            )

        self._write(work)

    def resume_counter(self, *, counter: str, officer: str) -> None:
        """End a pause."""

        def work(conn: Connection) -> None:
            ctx = self._ctx(conn, counter, officer)
            if ctx.state is not CounterState.PAUSED:
                raise Conflict("err.counter_not_paused", counter=ctx.counter.code)
            self._counter_change(
                conn,
                ctx,
                CounterState.OPEN,
                CounterEventKind.RESUMED,
                expect=ctx.state,
                pause_reason=None,
            )

        self._write(work)

    def close_counter(self, *, counter: str, officer: str, reason: str | None = None) -> None:
        """Sign out of a counter; a supervisor may close any counter (force logout)."""

        def work(conn: Connection) -> None:
            ctx = self._ctx(conn, counter, officer)
            if ctx.state is CounterState.CLOSED:
                return
            if ctx.active is not None:
                raise Conflict(
                    "err.counter_has_ticket", counter=ctx.counter.code, ticket=ctx.active.code
                )
            self._counter_change(
                conn,
                ctx,
                CounterState.CLOSED,
                CounterEventKind.CLOSED,
                expect=ctx.state,
                officer_id=None,
                pause_reason=None,
                reason=_note(reason),
            )

        self._write(work)

    def _counter_change(
        self,
        conn: Connection,
        ctx: _Ctx,
        state: CounterState,
        kind: CounterEventKind,
        *,
        expect: CounterState,
        reason: str | None = None,
        **values: Any,
    ) -> None:
        now = self.now()
        changed = conn.execute(
            update(CT)
            .where(
                CT.c.id == ctx.counter.id,
                CT.c.state == expect,
                CT.c.officer_id.is_(None)
                if ctx.holder_id is None
                else CT.c.officer_id == ctx.holder_id,
            )
            .values(state=state, state_since=now, **values)
        ).rowcount
        if changed != 1:
            raise Conflict("err.counter_taken", counter=ctx.counter.code, officer="?")
        conn.execute(
            insert(CE).values(
                hall_id=self.ref().hall_id,
                counter_id=ctx.counter.id,
                officer_id=ctx.officer_id,
                kind=kind,
                at=now,
                reason=values.get("pause_reason") or reason,
            )
        )

    # === shared pieces ====================================================================

    def _ctx(
        self, conn: Connection, counter: str, officer: str, *, require_holder: bool = True
    ) -> _Ctx:
        """Read counter, officer and active ticket in one query, and check the officer may act."""
        ref_counter = self.counter(counter)
        row = conn.execute(
            _CTX_SELECT,
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
        return _Ctx(
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

    def _require_open(self, ctx: _Ctx) -> None:
        if ctx.state is CounterState.CLOSED:
            raise Conflict("err.counter_closed", counter=ctx.counter.code)
        if ctx.state is CounterState.PAUSED:
            raise Conflict("err.counter_paused", counter=ctx.counter.code, reason=ctx.pause_reason)

    def _require_idle(self, ctx: _Ctx) -> None:
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
            _EVENT_INSERT,
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


def _no_values(conn: Connection, ctx: _Ctx) -> dict[str, Any]:
    """Actions whose statement needs only the common parameters."""
    return {}


def _st(status: str) -> Act:
    return Act(f"status.{status}")


def _note(note: str | None) -> str | None:
    clean = clean_note(note)
    if clean is not None and len(clean) > NOTE_MAX:
        raise InvalidInput("err.note_too_long", max=NOTE_MAX)
    return clean
