"""What happens in a simulated day, decided from the seed alone: arrivals, visits and pauses.

Pure: no database. Every random choice is drawn from a `random.Random` seeded by a string that
names what it decides (the day's arrivals; one ticket at one service; one officer's pauses), so
any process can recompute it and the outcome never depends on which process got there first.
A robot officer that calls ticket A-017 for KTP computes A-017's visit itself.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mpp_tui.domain.enums import PauseReason
from mpp_tui.domain.rules import WEEKDAYS, Schedule, Span, parse_span
from mpp_tui.sim.profile import SimulationSpec


@dataclass(frozen=True)
class ServiceInfo:
    """What the simulator needs to know about one service."""

    code: str
    agency: str
    max_minutes: int
    schedule: Schedule


@dataclass(frozen=True)
class HallInfo:
    """The hall as the day's script sees it (from the database's reference data)."""

    tz: ZoneInfo
    services: Mapping[str, ServiceInfo]
    priorities: Sequence[str]
    no_show_min_calls: int

    def open_at(self, service: str, weekday: str, at: time) -> bool:
        """Whether `service` takes visitors at local time `at` on `weekday` (mon..sun)."""
        return _inside(self.services[service].schedule.get(weekday, ()), at)

    def hall_spans(self, weekday: str) -> list[Span]:
        """The union of the services' hours on `weekday`, merged into spans."""
        spans = sorted(s for svc in self.services.values() for s in svc.schedule.get(weekday, ()))
        merged: list[Span] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


@dataclass(frozen=True)
class Arrival:
    """A visitor at the kiosk: when, for which service, with which priority category."""

    at: datetime
    service: str
    priority: str | None


@dataclass(frozen=True)
class Visit:
    """How one visit (a ticket at a service) goes once its number is called.

    Attributes:
        no_show: the visitor never comes: called `calls` times, then marked no-show.
        calls: calls before the visitor reaches the counter (recalls = calls − 1), or before
            the no-show.
        walk_s: seconds from the (last) call to the visitor at the counter.
        service_s: seconds of service.
        outcome: how the service ends (when not transferred).
        transfer_to: a service of another agency the visitor is sent on to, or None.
    """

    no_show: bool
    calls: int
    walk_s: float
    service_s: float
    outcome: str
    transfer_to: str | None


@dataclass(frozen=True)
class Pause:
    """An officer's pause: taken at the first free moment after `at`."""

    at: datetime
    minutes: float
    reason: PauseReason


def weekday_key(day: date) -> str:
    """`mon`..`sun` of a date."""
    return WEEKDAYS[day.weekday()]


def schedule_weekday(hall: HallInfo, day: date) -> tuple[str, bool]:
    """The weekday whose hours the day follows, and whether it is an exceptional opening.

    A day on which no service is open is played as an exceptional opening with the hours of
    the hall's next open weekday (the simulator then issues with a supervisor's override).
    """
    own = weekday_key(day)
    if hall.hall_spans(own):
        return own, False
    for ahead in range(1, 8):
        other = weekday_key(day + timedelta(days=ahead))
        if hall.hall_spans(other):
            return other, True
    return own, False


def day_bounds(hall: HallInfo, day: date, weekday: str) -> tuple[datetime, datetime] | None:
    """UTC opening and closing instants of the day (first service opens, last one closes)."""
    spans = hall.hall_spans(weekday)
    if not spans:
        return None
    return _at(day, spans[0][0], hall.tz), _at(day, spans[-1][1], hall.tz)


def plan_arrivals(
    spec: SimulationSpec, hall: HallInfo, day: date, seed: int, weekday: str
) -> list[Arrival]:
    """The day's visitors at the kiosk, in arrival order.

    Each agency gets `visitors × share / Σshare` expected visitors over the whole day, spread
    over the local hours by the hour weights (the agency's own or the profile's); the weights
    are shares of a full day, so a short day (a Friday) gets only its hours' part. Arrivals in
    an hour form a Poisson stream; each picks, by weight, one of the agency's services open at
    that moment (none open: the visitor does not come).
    """
    rng = random.Random(f"arrivals:{seed}:{day.isoformat()}")
    total_share = sum(a.share for a in spec.agencies)
    by_agency = _services_by_agency(hall)
    arrivals: list[Arrival] = []
    for load in spec.agencies:
        services = by_agency.get(load.code, [])
        weights = {s: load.services.get(s, 1.0 if not load.services else 0.0) for s in services}
        hours = load.arrivals_by_hour or spec.arrivals_by_hour
        hour_total = sum(hours.values())
        daily = spec.visitors * load.share / total_share
        for hour_key, weight in sorted(hours.items()):
            expected = daily * weight / hour_total
            at = 0.0
            while expected > 0:
                at += rng.expovariate(expected)
                if at >= 1.0:
                    break
                local = time(int(hour_key), int(at * 60), int(at * 3600) % 60)
                open_now = [
                    s for s, w in weights.items() if w > 0 and hall.open_at(s, weekday, local)
                ]
                if not open_now:
                    continue
                service = rng.choices(open_now, [weights[s] for s in open_now])[0]
                priority = None
                if rng.random() < spec.priority_share:
                    codes = [c for c in spec.priority if c in hall.priorities]
                    if codes:
                        priority = rng.choices(codes, [spec.priority[c] for c in codes])[0]
                stamp = _at(day, local, hall.tz) + timedelta(microseconds=int(at * 3.6e9) % 10**6)
                arrivals.append(Arrival(stamp, service, priority))
    arrivals.sort(key=lambda a: (a.at, a.service))
    return arrivals


def plan_visit(
    spec: SimulationSpec,
    hall: HallInfo,
    *,
    seed: int,
    day: date,
    code: str,
    service: str,
    transferred: bool,
    weekday: str,
) -> Visit:
    """How the visit of ticket `code` at `service` goes, from the seed alone.

    A visit that came by transfer is never a no-show and is not transferred again; a transfer
    goes to a service of another agency that is open on `weekday`.
    """
    rng = random.Random(f"visit:{seed}:{day.isoformat()}:{code}:{service}")
    svc = hall.services[service]
    need = max(1, hall.no_show_min_calls)
    no_show = not transferred and rng.random() < spec.no_show_rate
    late = rng.random() < spec.late_share
    low, high = spec.walk_seconds
    walk = rng.uniform(low, high)
    if late:  # still on the way when the recall comes
        walk += spec.recall_seconds
    calls = need if no_show else 1 + int(walk // spec.recall_seconds)
    mean = spec.service_minutes.get(service, spec.service_time_ratio * svc.max_minutes) * 60
    service_s = _lognormal(rng, mean, spec.service_time_cv)
    outcome_codes = sorted(spec.outcomes)
    outcome = rng.choices(outcome_codes, [spec.outcomes[c] for c in outcome_codes])[0]
    transfer_to = None
    if not transferred and not no_show and rng.random() < spec.transfer_rate:
        others = sorted(
            s.code
            for s in hall.services.values()
            if s.agency != svc.agency and s.schedule.get(weekday)
        )
        transfer_to = rng.choice(others) if others else None
    return Visit(no_show, calls, walk, service_s, outcome, transfer_to)


def plan_pauses(
    spec: SimulationSpec, hall: HallInfo, *, seed: int, day: date, counter: str
) -> list[Pause]:
    """An officer's pauses of the day, in order, inside the profile's pause window."""
    rng = random.Random(f"pauses:{seed}:{day.isoformat()}:{counter}")
    start, end = parse_span(spec.pauses.window)
    lo, hi = _at(day, start, hall.tz), _at(day, end, hall.tz)
    span_s = (hi - lo).total_seconds()
    low, high = spec.pauses.minutes
    pauses = [
        Pause(
            lo + timedelta(seconds=rng.uniform(0, span_s)),
            rng.uniform(low, high),
            rng.choice(spec.pauses.reasons),
        )
        for _ in range(spec.pauses.per_officer)
    ]
    return sorted(pauses, key=lambda p: p.at)


def _lognormal(rng: random.Random, mean: float, cv: float) -> float:
    """A positive duration with the given mean and coefficient of variation."""
    if cv <= 0:
        return mean
    sigma2 = math.log(1 + cv * cv)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


def _services_by_agency(hall: HallInfo) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for svc in sorted(hall.services.values(), key=lambda s: s.code):
        out.setdefault(svc.agency, []).append(svc.code)
    return out


def _inside(spans: Sequence[Span], at: time) -> bool:
    return any(start <= at < end for start, end in spans)


def _at(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
