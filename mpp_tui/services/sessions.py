"""Counter sessions: open, pause (with a reason), resume and close, each with its event.

A session is an officer holding a counter (`counter.officer_id`), kept alive by the counter
screen's heartbeat (`counter.last_seen_at`). A session silent for SESSION_EXPIRE_MINUTES has
expired: it is released (closed, reason `session expired`) when its officer signs in at
another counter, when another officer signs in at its counter, or by
`release_expired_sessions`. A session holding a called or serving ticket never expires on its
own: the visitor's ticket needs a person (the officer resumes it, or a supervisor acts).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from mpp_tui.domain.enums import CounterEventKind, CounterState, PauseReason
from mpp_tui.domain.errors import Act, AuthError, Conflict, InvalidInput
from mpp_tui.domain.rules import PAUSE_NOTE_MAX, REASON_MAX, session_expired
from mpp_tui.services.base import choice
from mpp_tui.services.core import CounterContext, QueueCore, checked_note
from mpp_tui.services.statements import CE, CT, OF, TT, is_active

EXPIRED_REASON = "session expired"


class CounterSessions(QueueCore):
    """Signing officers in and out of counters."""

    def open_counter(self, *, counter: str, officer: str) -> None:
        """Sign `officer` in at `counter` (idempotent for the same officer)."""

        def work(conn: Connection) -> None:
            ctx = self._ctx(conn, counter, officer, require_holder=False)
            if ctx.holder_id == ctx.officer_id and ctx.state is not CounterState.CLOSED:
                return
            self._require_unlocked(conn, ctx)
            if ctx.holder_id is not None:
                if not self._release_if_expired(conn, ctx.counter.id):
                    raise Conflict(
                        "err.counter_taken",
                        counter=ctx.counter.code,
                        officer=self.officer_name(ctx.holder_id),
                    )
                ctx = self._ctx(conn, counter, officer, require_holder=False)
            elsewhere = conn.execute(
                select(CT.c.id, CT.c.code).where(CT.c.officer_id == ctx.officer_id)
            ).first()
            if elsewhere is not None and not self._release_if_expired(conn, elsewhere.id):
                raise Conflict("err.officer_elsewhere", officer=ctx.officer, counter=elsewhere.code)
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
        clean = checked_note(note, PAUSE_NOTE_MAX)
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
                reason=checked_note(reason, REASON_MAX),
            )

        self._write(work)

    def release_expired_sessions(self) -> list[str]:
        """Close every expired, idle counter session of the hall (see the module's docstring).

        Returns:
            The codes of the counters released, in counter order.
        """

        def work(conn: Connection) -> list[str]:
            held = conn.execute(
                select(CT.c.id, CT.c.code)
                .where(CT.c.hall_id == self.ref().hall_id, CT.c.officer_id.is_not(None))
                .order_by(CT.c.sort)
            ).all()
            return [r.code for r in held if self._release_if_expired(conn, r.id)]

        return self._write(work)

    def _require_unlocked(self, conn: Connection, ctx: CounterContext) -> None:
        """A locked account starts no new session (a session it already holds goes on)."""
        until = conn.execute(
            select(OF.c.locked_until).where(OF.c.id == ctx.officer_id)
        ).scalar_one()
        if until is not None and until > self.now():
            shown = until.astimezone(self.ref().tz).strftime("%H:%M")
            raise AuthError("err.account_locked", officer=ctx.officer, until=shown)

    def _release_if_expired(self, conn: Connection, counter_id: int) -> bool:
        """Close the counter's session if it has expired and holds no active ticket."""
        row = conn.execute(
            select(CT.c.officer_id, CT.c.state, CT.c.last_seen_at, CT.c.state_since).where(
                CT.c.id == counter_id
            )
        ).one()
        if row.officer_id is None or not session_expired(
            row.last_seen_at, row.state_since, self.now()
        ):
            return False
        busy = conn.execute(
            select(TT.c.id).where(TT.c.counter_id == counter_id, is_active(TT.c.status))
        ).first()
        if busy is not None:
            return False
        now = self.now()
        changed = conn.execute(
            update(CT)
            .where(
                CT.c.id == counter_id,
                CT.c.officer_id == row.officer_id,
                CT.c.state == row.state,
            )
            .values(state=CounterState.CLOSED, officer_id=None, pause_reason=None, state_since=now)
        ).rowcount
        if changed != 1:
            return False
        conn.execute(
            insert(CE).values(
                hall_id=self.ref().hall_id,
                counter_id=counter_id,
                officer_id=row.officer_id,
                kind=CounterEventKind.CLOSED,
                at=now,
                reason=EXPIRED_REASON,
            )
        )
        return True

    def _counter_change(
        self,
        conn: Connection,
        ctx: CounterContext,
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
