"""Counter sessions: open, pause (with a reason), resume and close, each with its event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from mpp_tui.domain.enums import CounterEventKind, CounterState, PauseReason
from mpp_tui.domain.errors import Act, Conflict, InvalidInput
from mpp_tui.services.base import choice
from mpp_tui.services.core import CounterContext, QueueCore, checked_note
from mpp_tui.services.statements import CE, CT


class CounterSessions(QueueCore):
    """Signing officers in and out of counters."""

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
        clean = checked_note(note)
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
                reason=checked_note(reason),
            )

        self._write(work)

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
