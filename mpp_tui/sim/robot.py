"""A robot officer: one counter PC driven through Hall in simulated time.

The robot signs in at its counter, calls the next ticket, recalls a visitor who is slow to come,
starts the service when the visitor arrives, finishes it with an outcome, marks a visitor who
never comes as a no-show, transfers a visitor to another agency's service, pauses and resumes,
and signs out: every step is a Hall call, as the counter screen makes it. The robot
does nothing on its own: the coordinator hands it each simulated instant (`step`) and it does
what is due by then, stamping each call with the simulated time through its FrozenClock.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from multiprocessing.connection import Connection as Pipe
from typing import Any

from sqlalchemy import Engine

from mpp_tui.db.engine import make_engine
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict
from mpp_tui.domain.views import TicketView
from mpp_tui.services.facade import Hall
from mpp_tui.sim.profile import SimulationSpec
from mpp_tui.sim.script import HallInfo, Pause, Visit, plan_pauses, plan_visit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RobotSetup:
    """Everything a robot needs, picklable for another process."""

    url: str
    hall: str
    counter: str
    officer: str
    spec: SimulationSpec
    info: HallInfo
    seed: int
    day: date
    weekday: str  # whose hours the day follows
    close_at: datetime  # no pause starts after the hall closes


@dataclass(frozen=True)
class VisitRecord:
    """One visit as the robot that ended it saw it (the simulator's own tally)."""

    ticket_id: int
    code: str
    service: str
    agency: str
    parent_id: int | None
    priority: str | None
    issued_at: datetime
    called_at: datetime
    ended_at: datetime
    status: str  # done, no_show or transferred
    outcome: str | None
    counter: str
    child_id: int | None = None
    transfer_to: str | None = None


@dataclass
class CounterRecord:
    """One counter's day: when it was staffed, paused and busy."""

    counter: str
    officer: str
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    paused_s: float = 0.0
    busy_s: float = 0.0
    visits: list[VisitRecord] = field(default_factory=list)


@dataclass(frozen=True)
class StepResult:
    """What the coordinator learns after a step: when the robot is next due, what it sent on."""

    next_due: datetime | None
    idle: bool
    ended: int
    transfers: tuple[str, ...] = ()


class Robot:
    """One robot officer at one counter (see the module docstring)."""

    def __init__(self, setup: RobotSetup, engine: Engine | None = None) -> None:
        self.setup = setup
        self.own_engine = engine is None
        self.engine = engine if engine is not None else make_engine(setup.url)
        self.clock = FrozenClock(setup.close_at)
        self.hall = Hall(self.engine, hall=setup.hall, clock=self.clock)
        self.hall.ref()
        self.ticket: TicketView | None = None
        self.visit: Visit | None = None
        self.todo: list[tuple[datetime, str]] = []
        self.paused_at: datetime | None = None
        self.resume_at: datetime | None = None
        self.pauses: list[Pause] = [
            p
            for p in plan_pauses(
                setup.spec, setup.info, seed=setup.seed, day=setup.day, counter=setup.counter
            )
            if p.at < setup.close_at
        ]
        self.record = CounterRecord(setup.counter, setup.officer)

    # --- the coordinator's commands ------------------------------------------------------

    def open(self, at: datetime) -> None:
        """Sign in at the counter."""
        self._at(at)
        self.hall.sessions.open_counter(counter=self.setup.counter, officer=self.setup.officer)
        self.record.opened_at = at

    def step(self, now: datetime, *, may_call: bool) -> StepResult:
        """Do everything due by `now`; then, if free, pause or call the next ticket."""
        transfers: list[str] = []
        while self.todo and self.todo[0][0] <= now:
            at, action = self.todo.pop(0)
            child = self._do(at, action)
            if child is not None:
                transfers.append(child)
        if self.resume_at is not None and self.resume_at <= now:
            self._resume(self.resume_at)
        if self.ticket is None and self.resume_at is None:
            if self.pauses and self.pauses[0].at <= now:
                self._pause(now, self.pauses.pop(0))
            elif may_call:
                self._call(now)
        return StepResult(
            self.next_due(), self.ticket is None, len(self.record.visits), tuple(transfers)
        )

    def close(self, at: datetime) -> CounterRecord:
        """Sign out (ending a pause first) and hand over the day's record."""
        if self.resume_at is not None:
            self._resume(at)
        self._at(at)
        self.hall.sessions.close_counter(counter=self.setup.counter, officer=self.setup.officer)
        self.record.closed_at = at
        if self.own_engine:
            self.engine.dispose()
        return self.record

    def next_due(self) -> datetime | None:
        """When the robot next has something to do on its own."""
        times = [t for t, _ in self.todo[:1]]
        if self.resume_at is not None:
            times.append(self.resume_at)
        elif self.ticket is None and self.pauses:
            times.append(self.pauses[0].at)
        return min(times) if times else None

    # --- the counter's actions -----------------------------------------------------------

    def _at(self, at: datetime) -> None:
        self.clock.set(at)

    def _call(self, now: datetime) -> None:
        self._at(now)
        try:
            ticket = self.hall.calls.call_next(
                counter=self.setup.counter, officer=self.setup.officer
            )
        except Conflict as exc:
            if exc.key != "err.queue_empty":
                raise
            return
        visit = plan_visit(
            self.setup.spec,
            self.setup.info,
            seed=self.setup.seed,
            day=self.setup.day,
            code=ticket.code,
            service=ticket.service_code,
            transferred=ticket.parent_id is not None,
            weekday=self.setup.weekday,
        )
        self.ticket, self.visit = ticket, visit
        gap = timedelta(seconds=self.setup.spec.recall_seconds)
        self.todo = [(now + gap * n, "recall") for n in range(1, visit.calls)]
        if visit.no_show:
            self.todo.append((now + gap * visit.calls, "no_show"))
            return
        arrive = now + timedelta(seconds=visit.walk_s)
        end = arrive + timedelta(seconds=visit.service_s)
        self.todo += [(arrive, "start"), (end, "transfer" if visit.transfer_to else "finish")]
        self.todo.sort()

    def _do(self, at: datetime, action: str) -> str | None:
        """One due action on the counter's ticket; returns a transfer's new service."""
        assert self.ticket is not None
        assert self.visit is not None
        self._at(at)
        who = {"counter": self.setup.counter, "officer": self.setup.officer}
        tid = self.ticket.id
        if action == "recall":
            self.hall.calls.recall(**who, ticket=tid)
            return None
        if action == "start":
            self.hall.calls.start(**who, ticket=tid)
            return None
        child: TicketView | None = None
        if action == "finish":
            self.hall.calls.finish(**who, outcome=self.visit.outcome, ticket=tid)
            status, outcome = "done", self.visit.outcome
        elif action == "no_show":
            self.hall.calls.no_show(**who, ticket=tid)
            status, outcome = "no_show", None
        else:
            assert self.visit.transfer_to is not None
            child = self.hall.calls.transfer(**who, service=self.visit.transfer_to, ticket=tid)
            status, outcome = "transferred", None
        self._record(at, status, outcome, child)
        return child.service_code if child is not None else None

    def _record(self, at: datetime, status: str, outcome: str | None, child: Any) -> None:
        ticket = self.ticket
        assert ticket is not None
        assert ticket.called_at is not None
        self.record.visits.append(
            VisitRecord(
                ticket_id=ticket.id,
                code=ticket.code,
                service=ticket.service_code,
                agency=ticket.agency_code,
                parent_id=ticket.parent_id,
                priority=ticket.priority,
                issued_at=ticket.issued_at,
                called_at=ticket.called_at,
                ended_at=at,
                status=status,
                outcome=outcome,
                counter=self.setup.counter,
                child_id=child.id if child is not None else None,
                transfer_to=child.service_code if child is not None else None,
            )
        )
        self.record.busy_s += (at - ticket.called_at).total_seconds()
        self.ticket, self.visit, self.todo = None, None, []

    def _pause(self, now: datetime, pause: Pause) -> None:
        self._at(now)
        self.hall.sessions.pause_counter(
            counter=self.setup.counter, officer=self.setup.officer, reason=pause.reason
        )
        self.paused_at = now
        self.resume_at = now + timedelta(minutes=pause.minutes)

    def _resume(self, at: datetime) -> None:
        assert self.paused_at is not None
        self._at(at)
        self.hall.sessions.resume_counter(counter=self.setup.counter, officer=self.setup.officer)
        self.record.paused_s += (at - self.paused_at).total_seconds()
        self.paused_at = self.resume_at = None


def serve(pipe: Pipe, setup: RobotSetup) -> None:
    """A robot's life in its own process or thread: obey the coordinator's commands.

    Commands are `("open", at)`, `("step", now, may_call)` and `("close", at)`; each gets one
    answer, `("ok", result)` or `("error", text)` after which the robot stops.
    """
    try:
        robot = Robot(setup)
    except Exception:
        log.exception("robot %s could not start", setup.counter)
        pipe.send(("error", f"{setup.counter}: {traceback.format_exc()}"))
        return
    pipe.send(("ok", None))
    while True:
        try:
            command = pipe.recv()
        except EOFError:  # the coordinator is gone
            return
        try:
            if command[0] == "open":
                robot.open(command[1])
                pipe.send(("ok", robot.next_due()))
            elif command[0] == "step":
                pipe.send(("ok", robot.step(command[1], may_call=command[2])))
            else:
                pipe.send(("ok", robot.close(command[1])))
                return
        except Exception:
            log.exception("robot %s failed", setup.counter)
            pipe.send(("error", f"{setup.counter}: {traceback.format_exc()}"))
            return
