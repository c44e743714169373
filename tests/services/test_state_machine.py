"""Stateful property test: Hall against a small in-memory model of DESIGN §3.

Hypothesis drives random sequences of issue / open / close / call_next / recall / start /
finish / no_show / return_to_queue / transfer / cancel / reactivate / wait on counters L01 and
L02 (which share the service KK) and checks, after every step, that the database agrees with
the model: statuses, counter holdings, queue order, numbering and the ticket_event log.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.tables import Counter, Ticket, TicketEvent
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import QueuePosition
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, InvalidInput, MppError, PermissionDenied, ServiceClosed
from mpp_tui.domain.rules import TRANSITIONS, format_code, is_open, next_streak, prefer_priority
from mpp_tui.services.facade import Hall
from tests.conftest import FAST_HASHER, MONDAY_0900, OPERATOR_PIN, SUPERVISOR_PIN, fresh_sqlite_url

TT = Ticket.__table__  # type: ignore[attr-defined]
EV = TicketEvent.__table__  # type: ignore[attr-defined]
CT = Counter.__table__  # type: ignore[attr-defined]

# Three Disdukcapil services (one prefix, "A"): KTP only at L01, AKTA_LAHIR only at L02, KK at both.
SERVICES = ("KTP", "KK", "AKTA_LAHIR")
COUNTERS = ("L01", "L02")
OFFICER = {"L01": "budi", "L02": "sari"}
SUPERVISOR = "spv"
PRIORITIES = (None, None, "lansia", "ibu_hamil")
OUTCOMES = ("selesai", "ditolak", "lainnya")
LIVE = (S.WAITING, S.CALLED, S.SERVING)


@dataclass
class MTicket:
    """The model of one ticket."""

    id: int
    number: int
    service: str
    priority: str | None
    parent: int | None
    sort_key: int
    target: str | None = None
    status: S = S.WAITING
    counter: str | None = None
    call_count: int = 0
    finished_at: datetime | None = None
    kinds: list[str] = field(default_factory=list)


@dataclass
class MCounter:
    """The model of one counter session."""

    open: bool = False
    active: int | None = None
    streak: int = 0


def build_machine(template: Path, tmp: Path) -> type[RuleBasedStateMachine]:
    """The state machine class, bound to the SQLite template and a temp folder."""

    class QueueMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.engine = make_engine(fresh_sqlite_url(template, tmp))
            self.clock = FrozenClock(MONDAY_0900)
            accounts = Hall(self.engine, clock=self.clock, hasher=FAST_HASHER).officers
            for name in OFFICER.values():
                accounts.add(username=name, pin=OPERATOR_PIN)
            accounts.add(username=SUPERVISOR, pin=SUPERVISOR_PIN, role="supervisor")
            self.hall = Hall(self.engine, clock=self.clock)
            ref = self.hall.ref()
            self.tz = ref.tz
            self.burst = ref.priority_burst
            self.grace = timedelta(minutes=ref.reactivate_grace_minutes)
            self.min_calls = ref.no_show_min_calls
            self.serves = {
                c: frozenset(ref.services[s].code for s in self.hall.ctx.counter(c).services)
                for c in COUNTERS
            }
            assert "KK" in self.serves["L01"] & self.serves["L02"]
            assert "KTP" in self.serves["L01"] - self.serves["L02"]
            assert "AKTA_LAHIR" in self.serves["L02"] - self.serves["L01"]
            self.prefix = {self.hall.ctx.service(s).prefix for s in SERVICES}.pop()
            self.counter_code = {c.id: c.code for c in ref.counters.values()}
            self.service_code = {s.id: s.code for s in ref.services.values()}
            self.tickets: dict[int, MTicket] = {}
            self.counters = {c: MCounter() for c in COUNTERS}
            self.next_number = 1

        def teardown(self) -> None:
            self.engine.dispose()

        # --- helpers ---------------------------------------------------------------------

        def tick(self) -> datetime:
            return self.clock.advance(seconds=20)

        def last_event_id(self) -> int:
            with self.engine.connect() as conn:
                return int(conn.execute(select(func.coalesce(func.max(EV.c.id), 0))).scalar_one())

        def refused(
            self, errors: dict[type[MppError], set[str]], action: Callable[[], object]
        ) -> None:
            """`action` raises one of `errors` (class -> allowed keys) and writes no event."""
            mark = self.last_event_id()
            with pytest.raises(tuple(errors)) as caught:
                action()
            allowed = next(keys for cls, keys in errors.items() if isinstance(caught.value, cls))
            assert caught.value.key in allowed, caught.value.key
            assert self.last_event_id() == mark
            event(f"refused: {caught.value.key}")

        def closed_refusal(self) -> dict[type[MppError], set[str]]:
            # An operator acting at a counter that is not open (hence not theirs).
            return {PermissionDenied: {"err.denied_counter"}, Conflict: {"err.counter_closed"}}

        def queue_order(self, counter: str) -> list[MTicket]:
            """Waiting tickets `counter` may call, in the order it must call them."""
            prefer = prefer_priority(self.counters[counter].streak, self.burst)
            candidates = [
                t
                for t in self.tickets.values()
                if t.status is S.WAITING
                and t.service in self.serves[counter]
                and t.target in (None, counter)
            ]
            return sorted(
                candidates,
                key=lambda t: (0 if (t.priority is not None) == prefer else 1, t.sort_key, t.id),
            )

        def active(self, counter: str) -> MTicket | None:
            tid = self.counters[counter].active
            return None if tid is None else self.tickets[tid]

        def release(self, t: MTicket, status: S, kind: str) -> None:
            """The counter lets go of its active ticket `t`.

            A ticket that ends at the counter (done, no-show, transferred) keeps the counter for
            history; one that goes back to the queue or is cancelled is detached from it.
            """
            assert t.counter is not None
            self.counters[t.counter].active = None
            if status in (S.WAITING, S.CANCELLED):
                t.counter = None
            t.status = status
            t.kinds.append(kind)

        def choose(self, data: st.DataObject, wanted: Callable[[str], bool]) -> str:
            """A counter: mostly one where the action makes sense, sometimes any (refusals)."""
            good = [c for c in COUNTERS if wanted(c)]
            if good and data.draw(st.integers(0, 9), label="sensible") < 8:
                return data.draw(st.sampled_from(good), label="counter")
            return data.draw(st.sampled_from(COUNTERS), label="counter")

        def pick(
            self, data: st.DataObject, wanted: tuple[S, ...]
        ) -> tuple[MTicket, str | int] | None:
            """A ticket (mostly one in `wanted` states) and how to name it: by id, or by display
            code, which means the newest ticket of its transfer chain."""
            if not self.tickets:
                return None
            good = sorted(t.id for t in self.tickets.values() if t.status in wanted)
            if good and data.draw(st.integers(0, 9), label="sensible") < 8:
                chosen = self.tickets[data.draw(st.sampled_from(good), label="ticket")]
            else:
                chosen = self.tickets[data.draw(st.sampled_from(sorted(self.tickets)))]
            if not data.draw(st.booleans(), label="by code"):
                return chosen, chosen.id
            newest = max(t.id for t in self.tickets.values() if t.number == chosen.number)
            code = format_code(self.prefix, chosen.number).lower().replace("-", " ")
            return self.tickets[newest], code

        def idle(self, counter: str) -> bool:
            return self.counters[counter].open and self.counters[counter].active is None

        def holds(self, counter: str, *statuses: S) -> bool:
            t = self.active(counter)
            return t is not None and (not statuses or t.status in statuses)

        # --- rules -----------------------------------------------------------------------

        @initialize(
            arrivals=st.lists(
                st.tuples(st.sampled_from(SERVICES), st.sampled_from(PRIORITIES)), max_size=6
            ),
            opened=st.sampled_from([COUNTERS, COUNTERS, COUNTERS[:1], COUNTERS[1:], ()]),
            first_calls=st.booleans(),
        )
        def morning(
            self,
            arrivals: list[tuple[str, str | None]],
            opened: tuple[str, ...],
            first_calls: bool,
        ) -> None:
            """Start from a hall where some visitors wait, some counters are open and may have
            called their first visitor."""
            for service, priority in arrivals:
                self.issue(service, priority)
            for counter in opened:
                self._open(counter)
                if first_calls:
                    self._call(counter)

        @rule(service=st.sampled_from(SERVICES), priority=st.sampled_from(PRIORITIES))
        def issue(self, service: str, priority: str | None) -> None:
            now = self.tick()
            svc = self.hall.ctx.service(service)
            if not is_open(svc.schedule, now, self.tz):
                self.refused(
                    {ServiceClosed: {"err.outside_hours"}},
                    lambda: self.hall.issuing.issue_ticket(service=service, priority=priority),
                )
                return
            counted = [t for t in self.tickets.values() if t.parent is None]
            counted = [t for t in counted if t.status is not S.CANCELLED]
            if svc.daily_quota is not None and (
                sum(t.service == service for t in counted) >= svc.daily_quota
            ):
                self.refused(
                    {ServiceClosed: {"err.quota_reached"}},
                    lambda: self.hall.issuing.issue_ticket(service=service, priority=priority),
                )
                return
            issued = self.hall.issuing.issue_ticket(service=service, priority=priority)
            view = issued.ticket
            assert view.id > max(self.tickets, default=0)
            assert view.code == format_code(self.prefix, self.next_number)
            assert (view.status, view.service_code, view.priority) == (
                S.WAITING,
                service,
                priority,
            )
            assert view.issued_at == now
            assert view.parent_id is None
            new = MTicket(view.id, self.next_number, service, priority, None, view.id)
            new.kinds.append("issued")
            # Called before it: for a priority ticket, earlier priority tickets; for a regular
            # one, every waiting priority ticket and the earlier regular ones.
            ahead = sum(
                1
                for t in self.tickets.values()
                if t.status is S.WAITING
                and t.service == service
                and (
                    (t.priority is not None and (t.sort_key, t.id) < (new.sort_key, new.id))
                    if priority is not None
                    else (t.priority is not None or (t.sort_key, t.id) < (new.sort_key, new.id))
                )
            )
            assert issued.ahead == ahead
            assert (issued.eta_minutes == 0) is (ahead == 0)
            self.tickets[new.id] = new
            self.next_number += 1
            event("issued priority" if priority else "issued regular")

        @rule(data=st.data())
        def open_counter(self, data: st.DataObject) -> None:
            self._open(self.choose(data, lambda c: not self.counters[c].open))

        def _open(self, counter: str) -> None:
            self.tick()
            self.hall.sessions.open_counter(counter=counter, officer=OFFICER[counter])
            model = self.counters[counter]
            if not model.open:
                model.open, model.streak = True, 0

        @precondition(lambda self: any(m.open for m in self.counters.values()))
        @rule(data=st.data())
        def close_counter(self, data: st.DataObject) -> None:
            counter = self.choose(data, self.idle)
            self.tick()
            model = self.counters[counter]

            def act() -> None:
                self.hall.sessions.close_counter(counter=counter, officer=OFFICER[counter])

            if not model.open:
                self.refused(self.closed_refusal(), act)
            elif model.active is not None:
                self.refused({Conflict: {"err.counter_has_ticket"}}, act)
            else:
                act()
                model.open = False

        @precondition(lambda self: any(m.open for m in self.counters.values()))
        @rule(data=st.data())
        def call_next(self, data: st.DataObject) -> None:
            self._call(self.choose(data, lambda c: self.idle(c) and bool(self.queue_order(c))))

        def _call(self, counter: str) -> None:
            now = self.tick()
            model = self.counters[counter]
            act = lambda: self.hall.calls.call_next(counter=counter, officer=OFFICER[counter])  # noqa: E731
            order = self.queue_order(counter)
            if not model.open:
                self.refused(self.closed_refusal(), act)
                return
            if model.active is not None:
                self.refused({Conflict: {"err.counter_busy"}}, act)
                return
            if not order:
                self.refused({Conflict: {"err.queue_empty"}}, act)
                return
            view = act()
            expected = order[0]
            assert view.id == expected.id, (view.code, [t.id for t in order])
            assert (view.status, view.counter_code, view.officer) == (
                S.CALLED,
                counter,
                OFFICER[counter],
            )
            assert view.called_at == now
            expected.status, expected.counter = S.CALLED, counter
            expected.call_count += 1
            expected.kinds.append("called")
            model.active = expected.id
            model.streak = next_streak(model.streak, expected.priority is not None)
            event(f"called with streak {model.streak}")

        def _active_action(
            self,
            counter: str,
            action: str,
            act: Callable[[], Any],
            extra: Callable[[MTicket], dict[type[MppError], set[str]] | None] | None = None,
        ) -> tuple[MTicket, Any] | None:
            """Shared refusals of an action on the counter's active ticket; runs it otherwise."""
            t = self.active(counter)
            if not self.counters[counter].open:
                self.refused(self.closed_refusal(), act)
                return None
            if t is None:
                self.refused({Conflict: {"err.counter_no_active"}}, act)
                return None
            if t.status not in TRANSITIONS[action][0]:
                self.refused({Conflict: {"err.illegal_transition"}}, act)
                return None
            refusal = extra(t) if extra else None
            if refusal:
                self.refused(refusal, act)
                return None
            event(f"{action} from {t.status.value}")
            return t, act()

        @precondition(lambda self: any(self.holds(c) for c in COUNTERS))
        @rule(data=st.data())
        def recall(self, data: st.DataObject) -> None:
            counter = self.choose(data, lambda c: self.holds(c, S.CALLED))
            self.tick()
            done = self._active_action(
                counter,
                "recall",
                lambda: self.hall.calls.recall(counter=counter, officer=OFFICER[counter]),
            )
            if done:
                t, view = done
                t.call_count += 1
                t.kinds.append("recalled")
                assert (view.status, view.call_count) == (S.CALLED, t.call_count)

        @precondition(lambda self: any(self.holds(c) for c in COUNTERS))
        @rule(data=st.data())
        def start(self, data: st.DataObject) -> None:
            counter = self.choose(data, lambda c: self.holds(c, S.CALLED))
            now = self.tick()
            done = self._active_action(
                counter,
                "start",
                lambda: self.hall.calls.start(counter=counter, officer=OFFICER[counter]),
            )
            if done:
                t, view = done
                t.status = S.SERVING
                t.kinds.append("started")
                assert (view.status, view.started_at) == (S.SERVING, now)

        @precondition(lambda self: any(self.holds(c) for c in COUNTERS))
        @rule(
            data=st.data(),
            outcome=st.sampled_from(OUTCOMES),
            note=st.sampled_from([None, "berkas \x1b[2Jdibawa besok"]),
        )
        def finish(self, data: st.DataObject, outcome: str, note: str | None) -> None:
            counter = self.choose(data, self.holds)
            now = self.tick()

            def act() -> Any:
                return self.hall.calls.finish(
                    counter=counter, officer=OFFICER[counter], outcome=outcome, note=note
                )

            if outcome == "lainnya" and note is None:  # checked before the counter is read
                self.refused({InvalidInput: {"err.note_required"}}, act)
                return
            was = self.active(counter)
            from_called = was is not None and was.status is S.CALLED
            done = self._active_action(counter, "finish", act)
            if done:
                t, view = done
                self.release(t, S.DONE, "finished")
                t.finished_at = now
                assert (view.status, view.outcome, view.finished_at) == (S.DONE, outcome, now)
                assert view.counter_code == counter
                if from_called:
                    assert view.started_at == view.called_at
                if note is not None:
                    assert view.note is not None
                    assert "\x1b" not in view.note

        @precondition(lambda self: any(self.holds(c) for c in COUNTERS))
        @rule(data=st.data())
        def no_show(self, data: st.DataObject) -> None:
            counter = self.choose(data, lambda c: self.holds(c, S.CALLED))
            now = self.tick()

            def too_early(t: MTicket) -> dict[type[MppError], set[str]] | None:
                if t.call_count < self.min_calls:
                    return {Conflict: {"err.no_show_too_early"}}
                return None

            done = self._active_action(
                counter,
                "no_show",
                lambda: self.hall.calls.no_show(counter=counter, officer=OFFICER[counter]),
                too_early,
            )
            if done:
                t, view = done
                self.release(t, S.NO_SHOW, "no_show")
                t.finished_at = now
                assert (view.status, view.finished_at) == (S.NO_SHOW, now)

        @precondition(lambda self: any(self.holds(c) for c in COUNTERS))
        @rule(data=st.data(), position=st.sampled_from(list(QueuePosition)))
        def return_to_queue(self, data: st.DataObject, position: QueuePosition) -> None:
            counter = self.choose(data, lambda c: self.holds(c, S.CALLED))
            self.tick()
            t = self.active(counter)
            key = 0
            if t is not None and t.status is S.CALLED:
                if position is QueuePosition.LAST:
                    key = max(self.tickets) + 1
                else:
                    rivals = [
                        w.sort_key
                        for w in self.tickets.values()
                        if w.status is S.WAITING and w.service == t.service
                    ]
                    key = min(t.sort_key, min(rivals) - 1) if rivals else t.sort_key
            done = self._active_action(
                counter,
                "return",
                lambda: self.hall.calls.return_to_queue(
                    counter=counter, officer=OFFICER[counter], position=position
                ),
            )
            if done:
                t, view = done
                self.release(t, S.WAITING, "returned")
                t.sort_key = key
                t.call_count = 0  # calls count anew for the new wait
                assert (view.status, view.counter_code) == (S.WAITING, None)

        @precondition(lambda self: any(self.holds(c) for c in COUNTERS))
        @rule(
            data=st.data(),
            service=st.sampled_from(SERVICES),
            to_counter=st.sampled_from([None, *COUNTERS]),
        )
        def transfer(self, data: st.DataObject, service: str, to_counter: str | None) -> None:
            counter = self.choose(data, self.holds)
            now = self.tick()

            def act() -> Any:
                return self.hall.calls.transfer(
                    counter=counter,
                    officer=OFFICER[counter],
                    service=service,
                    to_counter=to_counter,
                )

            if to_counter is not None and service not in self.serves[to_counter]:
                self.refused({Conflict: {"err.service_not_at_counter"}}, act)
                return

            def same(t: MTicket) -> dict[type[MppError], set[str]] | None:
                return {Conflict: {"err.transfer_same_service"}} if t.service == service else None

            done = self._active_action(counter, "transfer", act, same)
            if done:
                parent, child = done
                self.release(parent, S.TRANSFERRED, "transferred")
                parent.finished_at = now
                assert child.id > max(self.tickets)
                assert (child.code, child.parent_id, child.status) == (
                    format_code(self.prefix, parent.number),
                    parent.id,
                    S.WAITING,
                )
                assert (child.service_code, child.priority, child.target_counter_code) == (
                    service,
                    parent.priority,
                    to_counter,
                )
                new = MTicket(
                    child.id,
                    parent.number,
                    service,
                    parent.priority,
                    parent.id,
                    parent.sort_key,
                    target=to_counter,
                )
                new.kinds.append("transferred_in")
                self.tickets[new.id] = new

        @precondition(lambda self: bool(self.tickets))
        @rule(data=st.data())
        def cancel(self, data: st.DataObject) -> None:
            now = self.tick()
            picked = self.pick(data, TRANSITIONS["cancel"][0])
            if picked is None:
                return
            t, name = picked

            def act() -> Any:
                return self.hall.supervision.cancel(
                    ticket=name, officer=SUPERVISOR, reason="salah layanan"
                )

            if t.status not in TRANSITIONS["cancel"][0]:
                self.refused({Conflict: {"err.illegal_transition"}}, act)
                return
            view = act()
            event(f"cancel from {t.status.value}")
            assert view.id == t.id
            if t.status is S.CALLED:
                self.release(t, S.CANCELLED, "cancelled")
            else:
                t.status = S.CANCELLED
                t.kinds.append("cancelled")
            t.finished_at = now
            assert (view.status, view.counter_code) == (S.CANCELLED, None)

        @precondition(lambda self: any(t.status.is_final for t in self.tickets.values()))
        @rule(data=st.data())
        def reactivate(self, data: st.DataObject) -> None:
            now = self.tick()
            picked = self.pick(data, TRANSITIONS["reactivate"][0])
            if picked is None:
                return
            t, name = picked

            def act() -> Any:
                return self.hall.supervision.reactivate(ticket=name, officer=SUPERVISOR)

            if t.status not in TRANSITIONS["reactivate"][0]:
                self.refused({Conflict: {"err.illegal_transition"}}, act)
                return
            assert t.finished_at is not None
            if t.finished_at + self.grace < now:
                self.refused({Conflict: {"err.reactivate_expired"}}, act)
                return
            view = act()
            event(f"reactivate from {t.status.value}")
            assert view.id == t.id
            t.status, t.finished_at, t.counter = S.WAITING, None, None
            t.call_count = 0  # calls count anew for the new wait
            t.kinds.append("reactivated")
            assert (view.status, view.counter_code, view.finished_at) == (S.WAITING, None, None)

        @rule(minutes=st.integers(1, 15))
        def wait(self, minutes: int) -> None:
            self.clock.advance(minutes=minutes)

        # --- invariants ------------------------------------------------------------------

        @invariant()
        def tickets_match_the_model(self) -> None:
            with self.engine.connect() as conn:
                rows = {r.id: r for r in conn.execute(select(TT))}
            assert set(rows) == set(self.tickets)
            for tid, t in self.tickets.items():
                r = rows[tid]
                actual = (
                    r.status,
                    self.counter_code.get(r.counter_id),
                    r.call_count,
                    r.sort_key,
                    r.parent_id,
                    self.counter_code.get(r.target_counter_id),
                    r.priority,
                    r.prefix,
                    r.number,
                    self.service_code[r.service_id],
                )
                expected = (
                    t.status.value,
                    t.counter,
                    t.call_count,
                    t.sort_key,
                    t.parent,
                    t.target,
                    t.priority,
                    self.prefix,
                    t.number,
                    t.service,
                )
                assert actual == expected, (tid, actual, expected)
                assert (r.finished_at is not None) is (S(r.status).is_final)

        @invariant()
        def each_counter_holds_at_most_one_ticket(self) -> None:
            with self.engine.connect() as conn:
                held = conn.execute(
                    select(TT.c.counter_id, TT.c.id).where(TT.c.status.in_(("called", "serving")))
                ).all()
                counters = {
                    r.code: r
                    for r in conn.execute(
                        select(CT.c.code, CT.c.state, CT.c.priority_streak).where(
                            CT.c.code.in_(COUNTERS)
                        )
                    )
                }
            by_counter: dict[str | None, list[int]] = {}
            for counter_id, tid in held:
                by_counter.setdefault(self.counter_code.get(counter_id), []).append(tid)
            assert None not in by_counter  # an active ticket always has its counter
            for code in COUNTERS:
                model = self.counters[code]
                assert by_counter.get(code, []) == ([] if model.active is None else [model.active])
                assert counters[code].state == ("open" if model.open else "closed")
                assert counters[code].priority_streak == model.streak

        @invariant()
        def live_numbers_are_unique(self) -> None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(TT.c.id, TT.c.prefix, TT.c.number, TT.c.parent_id, TT.c.status)
                ).all()
            parent = {r.id: r.parent_id for r in rows}

            def root(tid: int) -> int:
                while parent[tid] is not None:
                    tid = parent[tid]
                return tid

            roots = [(r.prefix, r.number) for r in rows if r.parent_id is None]
            assert len(roots) == len(set(roots))
            live: dict[tuple[str, int], list[int]] = {}
            for r in rows:
                if r.status in LIVE:
                    live.setdefault((r.prefix, r.number), []).append(r.id)
            for ids in live.values():
                # Sharing a number is only allowed inside one transfer chain…
                assert len({root(i) for i in ids}) == 1, ids
                # …and a chain has one live ticket at a time (the parent is `transferred`).
                assert len(ids) == 1, ids

        @invariant()
        def event_log_replays_to_current_status(self) -> None:
            with self.engine.connect() as conn:
                events = conn.execute(select(EV).order_by(EV.c.id)).all()
            by_ticket: dict[int, list[Any]] = {}
            for e in events:
                by_ticket.setdefault(e.ticket_id, []).append(e)
            assert set(by_ticket) == set(self.tickets)
            assert [e.at for e in events] == sorted(e.at for e in events)
            for tid, t in self.tickets.items():
                assert [e.kind for e in by_ticket[tid]] == t.kinds, tid
            # Each log is a legal chain (from `issued`/`transferred_in` into waiting, each event
            # starting where the last ended, every move one TRANSITIONS allows) that replays to
            # the ticket's status and holder; numbers run 1..N; one holder per ticket and one
            # ticket per counter.
            assert find_violations(self.engine) == []

        @invariant()
        def waiting_lists_follow_the_call_order(self) -> None:
            for code in COUNTERS:
                shown = [v.id for v in self.hall.tickets.waiting_list(counter=code)]
                assert shown == [t.id for t in self.queue_order(code)]

    return QueueMachine


def test_queue_service_follows_the_model(sqlite_template: Path, tmp_path: Path) -> None:
    """Random sequences of counter, kiosk and supervisor actions keep Hall equal to the
    model after every step: ≤ 1 active ticket per counter, call order (priority with
    anti-starvation, arrival, returns, transfers), unique live numbers, statuses, and an event
    log whose last status_to per ticket is its status."""
    run_state_machine_as_test(
        build_machine(sqlite_template, tmp_path),
        settings=settings(
            max_examples=int(os.environ.get("MPP_STATEFUL_EXAMPLES", "25")),
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
