"""Playing a whole business day at a hall: the coordinator, its kiosk and its robot officers.

The coordinator owns simulated time. It steps through a grid of instants (`step_seconds`
apart, skipping quiet stretches); at each instant its kiosk issues the visitors who arrived
since the last one (through the issuing service, in arrival order), then it hands the instant
to every robot that has something due or may find a new ticket, and waits until each has
answered (a barrier). Robots run in their own processes (or threads) and act on the database
concurrently within an instant, exactly as counter PCs do; nothing a robot does depends on
another's timing except which counter gets which ticket. With `speed` set, each instant is
also held back until its real-time moment, so screens can watch the day live.
"""

from __future__ import annotations

import logging
import math
import secrets
import time as walltime
from collections import Counter as Tally
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.seed import CounterSpec, SeedSpec, load_seed
from mpp_tui.db.tables import DAY_CLOSE
from mpp_tui.domain.clock import FrozenClock, SystemClock, business_date
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import Conflict, InvalidInput, NotFound
from mpp_tui.domain.reference import Reference
from mpp_tui.domain.rules import pin_ok
from mpp_tui.services.facade import Hall
from mpp_tui.sim.crew import SUPERVISOR, Crew, DayProgress, robot_username
from mpp_tui.sim.profile import Profile, read_profile
from mpp_tui.sim.script import HallInfo, ServiceInfo, day_bounds, plan_arrivals, schedule_weekday
from mpp_tui.sim.summary import DaySummary, summarise

log = logging.getLogger(__name__)

COUNTERS_AS = ("processes", "threads")
# Robot accounts never sign in with their PIN (a random one nobody knows), so a cheap hash.
_ROBOT_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def run_day(
    url_or_engine: str | Engine,
    profile: Profile | str | Path | None = None,
    *,
    seed: int = 1,
    speed: float | None = None,
    counters_as: str = "processes",
    counters_per_agency: dict[str, int] | None = None,
    day: date | None = None,
    progress: Callable[[DayProgress], None] | None = None,
) -> DaySummary:
    """Play one business day at the profile's hall through the real services and database.

    Visitors arrive at the kiosk (the issuing service) as the profile's script says; one robot
    officer per staffed counter signs in, calls, recalls, starts, finishes with an outcome,
    marks no-shows, transfers, pauses and resumes through Hall, and signs out when the
    queue is empty. Every timestamp is a simulated time of `day`, so the day lands in the
    database like a real one (`mpp log`, `mpp report`). Waiting tickets left when the
    officers stop (only when the overtime runs out or an agency is unstaffed) are expired by
    closing the day.

    The same seed on the same date of a database without tickets that day gives the same
    day: the same visitors, numbers, priorities and, for every ticket, the same fate (served
    with which outcome, no-show, transferred where). Which counter serves which ticket, and
    so the waits, depend on the robots' timing and may differ slightly between runs.

    Args:
        url_or_engine: the database (migrated; robots in processes connect by its URL).
        profile: a Profile, a built-in profile name (`kotim`, `large`) or a profile file;
            None for MPP Kotim. The hall is loaded from the profile's reference data when the
            database does not have it yet.
        seed: the random seed.
        speed: real time × speed (60: a minute of the day per real second); None: as fast
            as possible.
        counters_as: robots as `processes` (like counter PCs) or `threads`.
        counters_per_agency: staff exactly this many counters for these agencies (agency
            code → count; other agencies as the hall has them). Counters belong to their
            agency, or a shared counter to the agency of most of its services. When an
            agency needs more counters than the hall has, extra counters serving all its
            services are added to the hall's reference data for the day and made inactive
            again afterwards: use a scratch database for such what-if runs.
        day: the business date; default today in the hall's time zone. A day on which the
            hall is closed is played as an exceptional opening with the hours of its next
            open weekday, the kiosk issuing with a supervisor's override.
        progress: called after every simulated instant (for a live display).

    Returns:
        The simulator's own summary of the day.

    Raises:
        InvalidInput: bad speed, counters_as or counters_per_agency.
        Conflict: the day is already closed, or a robot failed (details in the log).
        ReferenceDataError: a bad profile.
    """
    if not isinstance(profile, Profile):
        profile = read_profile(profile)
    _check_options(speed, counters_as, counters_per_agency)
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        return _Day(engine, profile, seed, speed, counters_as, counters_per_agency or {}).run(
            day, progress
        )
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def _check_options(
    speed: float | None, counters_as: str, counters_per_agency: dict[str, int] | None
) -> None:
    if speed is not None and not (math.isfinite(speed) and 0 < speed <= 100_000):
        raise InvalidInput("sim.err.speed_invalid", value=str(speed)[:20])
    if counters_as not in COUNTERS_AS:
        raise InvalidInput(
            "sim.err.counters_as_invalid", value=counters_as[:20], choices=", ".join(COUNTERS_AS)
        )
    for agency, count in (counters_per_agency or {}).items():
        if not isinstance(count, int) or not 0 <= count <= 500:
            raise InvalidInput("sim.err.counters_invalid", agency=agency, value=str(count)[:10])


class _Day:
    """One run of `run_day` (see there)."""

    def __init__(
        self,
        engine: Engine,
        profile: Profile,
        seed: int,
        speed: float | None,
        counters_as: str,
        staffing: dict[str, int],
    ) -> None:
        self.engine = engine
        self.profile = profile
        self.spec = profile.spec
        self.seed = seed
        self.speed = speed
        self.counters_as = counters_as
        self.staffing = {k.strip().upper(): v for k, v in staffing.items()}
        self.hall = profile.hall_code
        self.clock = FrozenClock(SystemClock().now())
        self.kiosk = Hall(engine, hall=self.hall, clock=self.clock)

    # --- the run -----------------------------------------------------------------------------

    def run(self, day: date | None, progress: Callable[[DayProgress], None] | None) -> DaySummary:
        began = walltime.perf_counter()
        ref = self._reference()
        info = hall_info(ref)
        day = day or business_date(SystemClock().now(), ref.tz)
        weekday, exceptional = schedule_weekday(info, day)
        bounds = day_bounds(info, day, weekday)
        if bounds is None:
            raise Conflict("sim.err.no_hours", hall=self.hall)
        opened_at, closed_at = bounds
        self._refuse_closed_day(ref, day)
        added = self._add_counters(ref)
        try:
            ref = self.kiosk.ref(fresh=True)
            staffed = self._staffed(ref, info, weekday)
            self._accounts(staffed, supervisor=True)
            arrivals = plan_arrivals(self.spec, info, day, self.seed, weekday)
            crew = Crew(self, ref, info, staffed, day, weekday, closed_at)
            try:
                kiosk, records, ended_at, steps = crew.play(
                    arrivals, opened_at, closed_at, exceptional, progress
                )
            finally:
                crew.stop()
            self._accounts([], supervisor=False, disable=staffed)
        finally:
            if added:
                load_seed(self.engine, self.profile.seed)
        owner = {c: _owner(ref, ref.counter_by_code(c)) for c in staffed}
        rows, counters, total = summarise(
            agencies=_agency_order(ref),
            counter_agency=owner,
            kiosk=kiosk,
            records=records,
            ended_at=ended_at,
        )
        return DaySummary(
            hall=self.hall,
            timezone=str(ref.tz),
            day=day,
            seed=self.seed,
            exceptional=exceptional,
            weekday=weekday,
            opened_at=opened_at,
            closed_at=closed_at,
            ended_at=ended_at,
            agencies=rows,
            counters=counters,
            total=total,
            wall_s=walltime.perf_counter() - began,
            steps=steps,
        )

    # --- setting up --------------------------------------------------------------------------

    def _reference(self) -> Reference:
        """The hall's reference data; loaded from the profile's file when it is missing."""
        try:
            return self.kiosk.ref(fresh=True)
        except NotFound as exc:
            if exc.key != "err.hall_not_found":
                raise
        load_seed(self.engine, self.profile.seed)
        return self.kiosk.ref(fresh=True)

    def _refuse_closed_day(self, ref: Reference, day: date) -> None:
        with self.engine.connect() as conn:
            closed = conn.execute(
                select(DAY_CLOSE.c.closed_at).where(
                    DAY_CLOSE.c.hall_id == ref.hall_id, DAY_CLOSE.c.business_date == day
                )
            ).first()
        if closed is not None:
            raise Conflict("sim.err.day_closed", date=day.isoformat())

    def _staffed(self, ref: Reference, info: HallInfo, weekday: str) -> list[str]:
        """The counters robots staff, in the hall's order: those with a service open today."""
        unknown = sorted(set(self.staffing) - {a.code for a in ref.agencies.values()})
        if unknown:
            raise NotFound("sim.err.agency_not_found", agency=unknown[0])
        open_today = {s.code for s in info.services.values() if s.schedule.get(weekday)}
        counters = [
            c
            for c in ref.counters.values()
            if c.active and any(ref.services[s].code in open_today for s in c.services)
        ]
        picked: list[str] = []
        seen: Tally[str] = Tally()
        for c in counters:
            owner = _owner(ref, c)
            seen[owner] += 1
            if owner not in self.staffing or seen[owner] <= self.staffing[owner]:
                picked.append(c.code)
        return picked

    def _add_counters(self, ref: Reference) -> bool:
        """Add counters for agencies that need more than the hall has; True when it did."""
        have = Tally(_owner(ref, c) for c in ref.counters.values() if c.active)
        extra: list[CounterSpec] = []
        for agency in sorted(self.staffing):
            spec = next((a for a in self.profile.seed.agencies if a.code == agency), None)
            if spec is None:
                continue  # unknown agencies are refused by _staffed
            for n in range(have[agency] + 1, self.staffing[agency] + 1):
                extra.append(
                    CounterSpec(
                        code=f"X{agency[:11]}{n:02d}",
                        name=f"Loket Tambahan {spec.short_name[:40]} {n}",
                        agency=agency,
                        services=[s.code for s in spec.services],
                    )
                )
        if not extra:
            return False
        seed = self.profile.seed
        load_seed(
            self.engine,
            SeedSpec.model_validate(
                seed.model_dump() | {"counters": [*seed.model_dump()["counters"], *extra]}
            ),
        )
        return True

    def _accounts(
        self, counters: Sequence[str], *, supervisor: bool, disable: Sequence[str] = ()
    ) -> None:
        """Make sure every robot has an enabled account (or disable them after the day)."""
        officers = Hall(self.engine, hall=self.hall, hasher=_ROBOT_HASHER).officers
        existing = {o.username: o for o in officers.list()}
        wanted = [(robot_username(c), Role.OPERATOR) for c in counters]
        if supervisor:
            wanted.append((SUPERVISOR, Role.SUPERVISOR))
        for name, role in wanted:
            if name not in existing:
                officers.add(
                    username=name, pin=_random_pin(), role=role, full_name="Robot simulasi"
                )
            elif not existing[name].active:
                officers.enable(username=name)
        for name in [robot_username(c) for c in disable] + ([SUPERVISOR] if disable else []):
            officers.disable(username=name)


def hall_info(ref: Reference) -> HallInfo:
    """The hall as the day's script needs it, from the reference data."""
    return HallInfo(
        tz=ref.tz,
        services={
            s.code: ServiceInfo(s.code, ref.agencies[s.agency_id].code, s.max_minutes, s.schedule)
            for s in ref.services.values()
            if s.active
        },
        priorities=tuple(ref.priorities),
        no_show_min_calls=ref.no_show_min_calls,
    )


def _owner(ref: Reference, counter: Any) -> str:
    """The agency a counter belongs to: its own, or that of most of its services."""
    if counter.agency_id is not None:
        return str(ref.agencies[counter.agency_id].code)
    tally = Tally(ref.services[s].agency_id for s in counter.services if s in ref.services)
    prefix = {a: min(s.prefix for s in ref.services.values() if s.agency_id == a) for a in tally}
    best = min(tally, key=lambda a: (-tally[a], prefix[a]))
    return ref.agencies[best].code


def _agency_order(ref: Reference) -> list[str]:
    """Agencies by their first prefix letter (the kiosk's and the board's order)."""
    first = {
        a.code: min((s.prefix for s in ref.services.values() if s.agency_id == a.id), default="~")
        for a in ref.agencies.values()
    }
    return sorted(first, key=lambda code: (first[code], code))


def _random_pin() -> str:
    while True:
        pin = f"{secrets.randbelow(10**8):08d}"
        if pin_ok(pin):
            return pin
