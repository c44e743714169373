"""The coordinator's loop: robot officers in processes or threads, stepped through the day.

See mpp_tui.sim.day for the whole design. The Crew starts one robot per staffed counter, then
steps them through simulated instants (a barrier per instant), issuing the kiosk's visitors
in between, and finally signs them out and expires what still waits.
"""

from __future__ import annotations

import logging
import math
import multiprocessing as mp
import threading
import time as walltime
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from multiprocessing.connection import Connection as Pipe
from multiprocessing.connection import wait as wait_for
from typing import Any, cast

from mpp_tui.db.engine import server_clock_skew
from mpp_tui.domain.clock import SystemClock
from mpp_tui.domain.errors import Conflict, ServiceClosed
from mpp_tui.domain.reference import Reference
from mpp_tui.services import simclock
from mpp_tui.sim.robot import CounterRecord, RobotSetup, StepResult, serve
from mpp_tui.sim.script import Arrival, HallInfo
from mpp_tui.sim.summary import KioskTally

log = logging.getLogger(__name__)

SUPERVISOR = "sim_spv"
"""The robot supervisor: overrides at the kiosk on an exceptional opening, closes the day."""
_SILENCE_S = 300.0  # a robot that does not answer a step for this long is stuck
_OPEN_EARLY = timedelta(minutes=5)  # officers sign in a little before the doors open
_REFRESH_S = simclock.REFRESH.total_seconds()


@dataclass(frozen=True)
class DayProgress:
    """Where a running day is, for a live display."""

    now: datetime
    issued: int
    ended: int
    busy: int
    staffed: int


def robot_username(counter: str) -> str:
    """The robot officer account that staffs `counter` in simulations."""
    return f"sim_{counter.lower()}"


class Crew:
    """The robots of one day and the coordinator's loop that steps them."""

    def __init__(
        self,
        day_run: Any,
        ref: Reference,
        info: HallInfo,
        staffed: list[str],
        day: date,
        weekday: str,
        closed_at: datetime,
    ) -> None:
        self.run = day_run
        self.ref = ref
        self._real: SystemClock | None = None  # the real clock, while the day's is published
        self._refreshed = 0.0
        self.info = info
        self.day = day
        url = day_run.engine.url.render_as_string(hide_password=False)
        self.pipes: dict[str, Pipe] = {}
        self.workers: list[Any] = []
        self.services = {
            code: frozenset(ref.services[s].code for s in ref.counter_by_code(code).services)  # type: ignore[union-attr]
            for code in staffed
        }
        ctx = _context() if day_run.counters_as == "processes" else None
        for code in staffed:
            setup = RobotSetup(
                url=url,
                hall=day_run.hall,
                counter=code,
                officer=robot_username(code),
                spec=day_run.spec,
                info=info,
                seed=day_run.seed,
                day=day,
                weekday=weekday,
                close_at=closed_at,
            )
            ours, theirs = mp.Pipe()
            if ctx is not None:
                worker: Any = ctx.Process(target=serve, args=(theirs, setup), name=f"sim-{code}")
            else:
                worker = threading.Thread(target=serve, args=(theirs, setup), name=f"sim-{code}")
            worker.daemon = True
            worker.start()
            self.pipes[code] = ours
            self.workers.append(worker)
        self._gather(list(self.pipes))  # every robot is up (engine made, reference loaded)

    def play(
        self,
        arrivals: list[Arrival],
        opened_at: datetime,
        closed_at: datetime,
        exceptional: bool,
        progress: Callable[[DayProgress], None] | None,
    ) -> tuple[KioskTally, list[CounterRecord], datetime, int]:
        """Step through the day; returns the kiosk's tally, the robots' records, the end."""
        spec = self.run.spec
        dt = timedelta(seconds=spec.step_seconds)
        stop_calling = closed_at + timedelta(minutes=spec.overtime_minutes)
        start = opened_at - _OPEN_EARLY
        real_start = walltime.monotonic()
        self._publish_clock(start)
        due: dict[str, datetime | None] = dict.fromkeys(self.pipes)
        awake = set(self.pipes)
        for code, result in self._send(dict.fromkeys(self.pipes, ("open", start))).items():
            due[code] = result
        issued: dict[int, tuple[str, datetime]] = {}
        turned_away: Tally[str] = Tally()
        busy: set[str] = set()
        ended: dict[str, int] = {}
        pending = list(reversed(arrivals))  # popped from the end: earliest first
        wake: set[str] = set()
        now, steps = opened_at, 0
        override = SUPERVISOR if exceptional else None
        while True:
            self._pace(start, real_start, now)
            while pending and pending[-1].at <= now:
                arrival = pending.pop()
                ticket = self._issue(arrival, override, turned_away)
                if ticket is not None:
                    issued[ticket] = (self.info.services[arrival.service].agency, arrival.at)
                    wake.add(arrival.service)
            may_call = now < stop_calling
            chosen = [
                c
                for c in self.pipes
                if (due[c] is not None and due[c] <= now)  # type: ignore[operator]
                or c in awake
                or (may_call and wake & self.services[c])
            ]
            wake, awake = set(), set()
            results: dict[str, StepResult] = self._send(
                dict.fromkeys(chosen, ("step", now, may_call))
            )
            steps += 1
            for code, result in results.items():
                due[code] = result.next_due
                ended[code] = result.ended
                if result.idle:
                    busy.discard(code)
                else:
                    busy.add(code)
                wake.update(result.transfers)
            if progress is not None:
                total = sum(ended.values())
                progress(DayProgress(now, len(issued), total, len(busy), len(self.pipes)))
            times = [t for t in due.values() if t is not None]
            if pending:
                times.append(pending[-1].at)
            if wake and may_call:
                times.append(now + dt)
            if not times:
                break
            now = max(now + dt, _grid(min(times), opened_at, dt))
        end = max(now, closed_at)
        closed = self._send(dict.fromkeys(self.pipes, ("close", end)))
        records: list[CounterRecord] = [closed[c] for c in self.pipes]
        expired = self._close_leftovers(end, issued, records)
        return KioskTally(issued, dict(turned_away), expired), records, end, steps

    def stop(self) -> None:
        """Make sure no robot outlives the run (and screens stop following its clock)."""
        if self._real is not None:
            simclock.withdraw(self.run.engine, self.ref.hall_id)
            self._real = None
        for pipe in self.pipes.values():
            pipe.close()
        for worker in self.workers:
            worker.join(timeout=10)
            if worker.is_alive() and hasattr(worker, "terminate"):
                worker.terminate()
                worker.join(5)

    # --- pieces -----------------------------------------------------------------------------

    def _publish_clock(self, start: datetime) -> None:
        """At a live speed, publish the day's clock so screens started now keep its time."""
        if self.run.speed is None:
            return
        with self.run.engine.connect() as conn:
            skew = server_clock_skew(conn)
        self._real = SystemClock(timedelta(seconds=-(skew or 0.0)))
        simclock.publish(
            self.run.engine,
            self.ref.hall_id,
            real_anchor=self._real.now(),
            sim_anchor=start,
            speed=self.run.speed,
        )
        self._refreshed = walltime.monotonic()

    def _pace(self, start: datetime, real_start: float, now: datetime) -> None:
        """Hold an instant back until its real-time moment (live speeds only)."""
        if self.run.speed is None:
            return
        if self._real is not None and walltime.monotonic() - self._refreshed >= _REFRESH_S:
            simclock.refresh(self.run.engine, self.ref.hall_id, at=self._real.now())
            self._refreshed = walltime.monotonic()
        target = real_start + (now - start).total_seconds() / self.run.speed
        delay = target - walltime.monotonic()
        if delay > 0:
            walltime.sleep(delay)

    def _issue(self, arrival: Arrival, override: str | None, refused: Tally[str]) -> int | None:
        """A visitor takes a ticket at the kiosk; a full quota sends them home."""
        self.run.clock.set(arrival.at)
        try:
            issued = self.run.kiosk.issuing.issue_ticket(
                service=arrival.service,
                priority=arrival.priority,
                source="sim",
                override_by=override,
            )
        except ServiceClosed:
            refused[self.info.services[arrival.service].agency] += 1
            return None
        return int(issued.ticket.id)

    def _close_leftovers(
        self, end: datetime, issued: dict[int, tuple[str, datetime]], records: list[CounterRecord]
    ) -> dict[int, str]:
        """Expire what still waits (unstaffed agencies, overtime used up) by closing the day."""
        visits = [v for r in records for v in r.visits]
        seen = {v.ticket_id for v in visits}
        waiting = {tid: agency for tid, (agency, _) in issued.items() if tid not in seen}
        waiting |= {
            v.child_id: self.info.services[v.transfer_to].agency
            for v in visits
            if v.child_id is not None and v.transfer_to and v.child_id not in seen
        }
        self.run.clock.set(end)
        if sum(load.waiting for load in self.run.kiosk.tickets.service_loads()):
            self.run.kiosk.supervision.close_day(day=self.day, officer=SUPERVISOR)
        return waiting

    def _send(self, commands: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
        """Send each robot its command and wait for every answer (the barrier)."""
        for code, command in commands.items():
            self.pipes[code].send(command)
        return self._gather(list(commands))

    def _gather(self, codes: list[str]) -> dict[str, Any]:
        """Every answer of the robots `codes`; a robot that failed or fell silent stops the day."""
        by_pipe: dict[Any, str] = {self.pipes[c]: c for c in codes}
        answers: dict[str, Any] = {}
        while by_pipe:
            ready = wait_for(list(by_pipe), timeout=_SILENCE_S)
            if not ready:
                code = next(iter(by_pipe.values()))
                raise Conflict("sim.err.robot_failed", counter=code, reason="no answer")
            for pipe in ready:
                code = by_pipe.pop(pipe)
                try:
                    status, payload = cast(Pipe, pipe).recv()
                except EOFError:
                    status, payload = "error", f"{code}: the robot stopped"
                if status == "error":
                    log.error("robot failed: %s", payload)
                    reason = str(payload).strip().splitlines()[-1][:200]
                    raise Conflict("sim.err.robot_failed", counter=code, reason=reason)
                answers[code] = payload
        return answers


def _grid(at: datetime, origin: datetime, dt: timedelta) -> datetime:
    """The first grid instant at or after `at`."""
    steps = math.ceil((at - origin) / dt)
    return origin + dt * max(steps, 0)


def _context() -> Any:
    """Robots as processes: forked from a small server that has the simulator imported."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["mpp_tui.sim.robot"])
        return ctx
    return mp.get_context("spawn")
