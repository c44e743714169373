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
from mpp_tui.domain.errors import Act, AuthError, Conflict, InvalidInput, PermissionDenied
from mpp_tui.domain.rules import PAUSE_NOTE_MAX, REASON_MAX, session_expired
from mpp_tui.i18n import ClockTime
from mpp_tui.services.context import ServiceContext, choice
from mpp_tui.services.shared import CounterContext, checked_note, counter_context
from mpp_tui.services.statements import CE, CT, OF, TT, is_active

EXPIRED_REASON = "session expired"


class CounterSessions:
    """Signing officers in and out of counters, and the counter screen's heartbeat."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def open_counter(self, *, counter: str, officer: str) -> None:
        """Sign `officer` in at `counter` (idempotent for the same officer)."""

        def work(conn: Connection) -> None:
            cc = counter_context(self.ctx, conn, counter, officer, require_holder=False)
            if cc.holder_id == cc.officer_id and cc.state is not CounterState.CLOSED:
                return
            self._require_unlocked(conn, cc)
            if cc.holder_id is not None:
                if not self._release_if_expired(conn, cc.counter.id):
                    raise Conflict(
                        "err.counter_taken",
                        counter=cc.counter.code,
                        officer=self.ctx.officer_name(cc.holder_id),
                    )
                cc = counter_context(self.ctx, conn, counter, officer, require_holder=False)
            elsewhere = conn.execute(
                select(CT.c.id, CT.c.code).where(CT.c.officer_id == cc.officer_id)
            ).first()
            if elsewhere is not None and not self._release_if_expired(conn, elsewhere.id):
                raise Conflict("err.officer_elsewhere", officer=cc.officer, counter=elsewhere.code)
            self._counter_change(
                conn,
                cc,
                CounterState.OPEN,
                CounterEventKind.OPENED,
                officer_id=cc.officer_id,
                expect=cc.state,
                priority_streak=0,
            )

        self.ctx.write(work)

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
            cc = counter_context(self.ctx, conn, counter, officer)
            if cc.state is not CounterState.OPEN:
                raise Conflict("err.counter_not_open", counter=cc.counter.code)
            self._counter_change(
                conn,
                cc,
                CounterState.PAUSED,
                CounterEventKind.PAUSED,
                expect=cc.state,
                pause_reason=text,
            )

        self.ctx.write(work)

    def resume_counter(self, *, counter: str, officer: str) -> None:
        """End a pause."""

        def work(conn: Connection) -> None:
            cc = counter_context(self.ctx, conn, counter, officer)
            if cc.state is not CounterState.PAUSED:
                raise Conflict("err.counter_not_paused", counter=cc.counter.code)
            self._counter_change(
                conn,
                cc,
                CounterState.OPEN,
                CounterEventKind.RESUMED,
                expect=cc.state,
                pause_reason=None,
            )

        self.ctx.write(work)

    def close_counter(self, *, counter: str, officer: str, reason: str | None = None) -> None:
        """Sign out of a counter; a supervisor may close any counter (force logout), and an
        officer whose account was disabled may still close the session they hold while it
        holds no ticket."""

        def work(conn: Connection) -> None:
            cc = counter_context(self.ctx, conn, counter, officer, leaving=True)
            if cc.state is CounterState.CLOSED:
                return
            if cc.active is not None:
                raise Conflict(
                    "err.counter_has_ticket", counter=cc.counter.code, ticket=cc.active.code
                )
            self._counter_change(
                conn,
                cc,
                CounterState.CLOSED,
                CounterEventKind.CLOSED,
                expect=cc.state,
                officer_id=None,
                pause_reason=None,
                reason=checked_note(reason, REASON_MAX),
            )

        self.ctx.write(work)

    def release_expired_sessions(self) -> list[str]:
        """Close every expired, idle counter session of the hall (see the module's docstring).

        Returns:
            The codes of the counters released, in counter order.
        """

        def work(conn: Connection) -> list[str]:
            held = conn.execute(
                select(CT.c.id, CT.c.code)
                .where(CT.c.hall_id == self.ctx.ref().hall_id, CT.c.officer_id.is_not(None))
                .order_by(CT.c.sort)
            ).all()
            return [r.code for r in held if self._release_if_expired(conn, r.id)]

        return self.ctx.write(work)

    def heartbeat(self, *, counter: str, officer: str | None = None) -> None:
        """The counter screen is alive (sent every 30 s; the supervisor shows silence, and a
        session silent for long expires: see the module's docstring).

        Args:
            counter: the counter code.
            officer: the officer the screen is signed in as; when given, the beat keeps only
                that officer's session alive.

        Raises:
            PermissionDenied: `officer` no longer holds the counter (the session expired and
                was taken over, or a supervisor closed it) or the account is disabled: the
                screen should sign out.
        """
        cid, code = self.ctx.counter(counter).id, self.ctx.counter(counter).code
        now = self.ctx.now()
        hall_id = self.ctx.ref().hall_id

        def work(conn: Any) -> None:
            beat = CT.update().where(CT.c.id == cid).values(last_seen_at=now)
            if officer is None:
                conn.execute(beat)
                return
            me = conn.execute(
                select(OF.c.id, OF.c.username, OF.c.active).where(
                    OF.c.hall_id == hall_id,
                    OF.c.username == officer.strip().lower(),
                )
            ).first()
            if me is not None and not me.active:
                raise PermissionDenied("err.account_disabled", officer=me.username)
            held = me is not None and conn.execute(beat.where(CT.c.officer_id == me.id)).rowcount
            if not held:
                raise PermissionDenied("err.session_ended", officer=officer[:32], counter=code)

        self.ctx.write(work)

    def _require_unlocked(self, conn: Connection, cc: CounterContext) -> None:
        """A locked account starts no new session (a session it already holds goes on)."""
        until = conn.execute(select(OF.c.locked_until).where(OF.c.id == cc.officer_id)).scalar_one()
        if until is not None and until > self.ctx.now():
            shown = ClockTime(until.astimezone(self.ctx.ref().tz).time())
            raise AuthError("err.account_locked", officer=cc.officer, until=shown)

    def _release_if_expired(self, conn: Connection, counter_id: int) -> bool:
        """Close the counter's session if it has expired and holds no active ticket."""
        row = conn.execute(
            select(CT.c.officer_id, CT.c.state, CT.c.last_seen_at, CT.c.state_since).where(
                CT.c.id == counter_id
            )
        ).one()
        if row.officer_id is None or not session_expired(
            row.last_seen_at, row.state_since, self.ctx.now()
        ):
            return False
        busy = conn.execute(
            select(TT.c.id).where(TT.c.counter_id == counter_id, is_active(TT.c.status))
        ).first()
        if busy is not None:
            return False
        now = self.ctx.now()
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
                hall_id=self.ctx.ref().hall_id,
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
        cc: CounterContext,
        state: CounterState,
        kind: CounterEventKind,
        *,
        expect: CounterState,
        reason: str | None = None,
        **values: Any,
    ) -> None:
        now = self.ctx.now()
        changed = conn.execute(
            update(CT)
            .where(
                CT.c.id == cc.counter.id,
                CT.c.state == expect,
                CT.c.officer_id.is_(None)
                if cc.holder_id is None
                else CT.c.officer_id == cc.holder_id,
            )
            .values(state=state, state_since=now, **values)
        ).rowcount
        if changed != 1:
            raise Conflict("err.counter_taken", counter=cc.counter.code, officer="?")
        conn.execute(
            insert(CE).values(
                hall_id=self.ctx.ref().hall_id,
                counter_id=cc.counter.id,
                officer_id=cc.officer_id,
                kind=kind,
                at=now,
                reason=values.get("pause_reason") or reason,
            )
        )
