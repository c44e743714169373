"""Capacity planning: how many counters each agency needs for a target wait, hour by hour.

Pure planning over a simulation profile (no database): the profile's visitors, agency shares
and hourly arrival weights give each agency's arrival rate per hour of one weekday, the
services' standard times give how long a visit holds a counter, and Erlang C (M/M/c, see
:mod:`mpp_tui.sim.erlang`) gives the fewest counters that meet the target in that hour. The
model follows the simulator's script (:mod:`mpp_tui.sim.script`) so that the two can be set side
by side (:func:`simulate_plan`):

* an agency gets `visitors × share / Σshare` visitors over a full day, spread over the hours by
  the weights (the agency's own or the profile's); a visitor coming while none of the agency's
  services is open does not come; daily quotas of services and agencies turn the rest away;
* a visit holds its counter for the walk from the call (and a recall for late visitors) plus
  the service time (the profile's `service_minutes`, else `service_time_ratio` × the
  service's standard time); a no-show holds it for the calls before it may be marked;
* transferred visits come back as visits at another agency's services (spread evenly).

Each hour is treated as a steady state of its own: a queue left at the end of a busy hour is
not carried into the next, which is why the simulation check matters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from mpp_tui.domain.errors import NotFound
from mpp_tui.domain.rules import WEEKDAYS, Span, parse_schedule
from mpp_tui.sim.erlang import (
    erlang_c,
    mean_wait,
    min_servers,
    min_servers_for_level,
    service_level,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from mpp_tui.db.seed import SeedSpec
    from mpp_tui.sim.profile import Profile, SimulationSpec
    from mpp_tui.sim.summary import DaySummary

__all__ = [
    "AgencyPlan",
    "CapacityPlan",
    "HourPlan",
    "Target",
    "counters_now",
    "plan_capacity",
    "simulate_plan",
]

MINUTES = 60


@dataclass(frozen=True)
class Target:
    """What a plan aims for.

    Attributes:
        wait_minutes: the target wait.
        level: None: the average wait is at most `wait_minutes`; a share (e.g. 0.8): at least
            that share of visitors wait at most `wait_minutes`.
    """

    wait_minutes: float
    level: float | None = None

    def counters(self, arrivals_per_min: float, service_rate: float) -> int:
        """The fewest counters meeting the target for this load."""
        if self.level is None:
            return min_servers(arrivals_per_min, service_rate, self.wait_minutes)
        return min_servers_for_level(arrivals_per_min, service_rate, self.wait_minutes, self.level)


@dataclass(frozen=True)
class HourPlan:
    """One agency in one hour of the day.

    Attributes:
        hour: the local hour (8 = 08:00–09:00).
        arrivals: visits expected in the hour (new visitors and transfers in).
        holding_minutes: mean minutes a visit holds a counter.
        counters: the fewest counters meeting the target (0 without arrivals).
        p_wait: Erlang C: the probability a visitor waits at all, with `counters`.
        mean_wait_minutes: the predicted average wait, with `counters`.
        within_target: the predicted share waiting at most the target, with `counters`.
    """

    hour: int
    arrivals: float
    holding_minutes: float
    counters: int
    p_wait: float
    mean_wait_minutes: float
    within_target: float


@dataclass(frozen=True)
class AgencyPlan:
    """One agency's plan over the day.

    Attributes:
        code: the agency code.
        name: its short name.
        counters_now: counters the hall's reference data gives it (a shared counter counts
            for the agency of most of its services).
        visits: visits expected over the day (new visitors and transfers in).
        turned_away: visitors expected to find the daily quota used up.
        hours: the hours with arrivals, in order.
    """

    code: str
    name: str
    counters_now: int
    visits: float
    turned_away: float
    hours: tuple[HourPlan, ...]

    @property
    def peak(self) -> HourPlan | None:
        """The hour needing the most counters (the busier one on a tie)."""
        return max(self.hours, key=lambda h: (h.counters, h.arrivals), default=None)

    @property
    def counters(self) -> int:
        """Counters to staff: what the peak hour needs."""
        peak = self.peak
        return peak.counters if peak else 0


@dataclass(frozen=True)
class CapacityPlan:
    """Counters per agency and hour for one weekday of a profile."""

    profile: str
    hall: str
    visitors: int
    weekday: str
    target: Target
    agencies: tuple[AgencyPlan, ...]

    def counters_per_agency(self) -> dict[str, int]:
        """Agency code → counters to staff (at least one for an agency with visits)."""
        return {a.code: max(a.counters, 1 if a.visits > 0 else 0) for a in self.agencies}

    @property
    def total(self) -> int:
        """Counters over all agencies (each at its own peak)."""
        return sum(self.counters_per_agency().values())

    def agency(self, code: str) -> AgencyPlan:
        """The plan of one agency."""
        return next(a for a in self.agencies if a.code == code)


# --- planning -------------------------------------------------------------------------------------


def plan_capacity(
    profile: Profile,
    *,
    target: Target,
    visitors: int | None = None,
    weekday: str | None = None,
    agency: str | None = None,
) -> CapacityPlan:
    """Plan counters per agency and hour for the profile's hall.

    Args:
        profile: the simulation profile (its hall's reference data included).
        target: the target wait (average, or a share within it).
        visitors: new visitors over a full day; default the profile's.
        weekday: `mon`..`sun`; default the weekday with the most visits.
        agency: only this agency (code); default every agency of the profile.

    Raises:
        NotFound: `agency` is not in the profile.
        ValueError: `weekday` is not a weekday key.
    """
    spec = (
        profile.spec if visitors is None else profile.spec.model_copy(update={"visitors": visitors})
    )
    seed = profile.seed
    known = [a.code for a in spec.agencies]
    if agency is not None and agency.strip().upper() not in known:
        raise NotFound(
            "plan.err.agency",
            agency=agency,
            profile=spec.name,
            known=", ".join(known),
        )
    days = [weekday] if weekday is not None else [d for d in WEEKDAYS if _hall_open(seed, d)]
    if weekday is not None and weekday not in WEEKDAYS:
        raise ValueError(f"'{weekday}' is not a weekday key ({', '.join(WEEKDAYS)})")
    loads = {d: _hourly_loads(profile, spec.visitors, d) for d in days or ["mon"]}
    chosen = max(
        loads, key=lambda d: sum(v for a in loads[d].values() for v in a.arrivals.values())
    )
    names = {a.code: a.short_name for a in seed.agencies}
    now = counters_now(seed)
    wanted = agency.strip().upper() if agency is not None else None
    plans = []
    for code, load in loads[chosen].items():
        if wanted is not None and code != wanted:
            continue
        hours = tuple(
            _hour_plan(h, load.arrivals[h], load.holding[h], target) for h in sorted(load.arrivals)
        )
        plans.append(
            AgencyPlan(
                code=code,
                name=names.get(code, code),
                counters_now=now.get(code, 0),
                visits=sum(load.arrivals.values()),
                turned_away=load.turned_away,
                hours=tuple(h for h in hours if h.arrivals > 0),
            )
        )
    return CapacityPlan(
        profile=spec.name,
        hall=seed.hall.code,
        visitors=spec.visitors,
        weekday=chosen,
        target=target,
        agencies=tuple(plans),
    )


def counters_now(seed: SeedSpec) -> dict[str, int]:
    """Agency code → counters of the reference data; a counter without an agency counts for
    the agency of most of its services (as the simulator staffs it)."""
    owner = {s.code: a.code for a in seed.agencies for s in a.services}
    out: dict[str, int] = {}
    for counter in seed.counters:
        code = counter.agency
        if code is None:
            served = [owner[s] for s in counter.services if s in owner]
            code = max(sorted(set(served)), key=served.count) if served else None
        if code is not None:
            out[code] = out.get(code, 0) + 1
    return out


def _hour_plan(hour: int, arrivals: float, holding: float, target: Target) -> HourPlan:
    if arrivals <= 0:
        return HourPlan(hour, 0.0, holding, 0, 0.0, 0.0, 1.0)
    lam = arrivals / MINUTES
    mu = 1.0 / holding
    c = target.counters(lam, mu)
    return HourPlan(
        hour=hour,
        arrivals=arrivals,
        holding_minutes=holding,
        counters=c,
        p_wait=erlang_c(c, lam / mu),
        mean_wait_minutes=mean_wait(c, lam, mu),
        within_target=service_level(c, lam, mu, target.wait_minutes),
    )


# --- the load of one weekday ----------------------------------------------------------------------


@dataclass
class _Load:
    """One agency's visits per hour and their mean holding time (minutes)."""

    arrivals: dict[int, float]
    holding: dict[int, float]
    turned_away: float = 0.0

    def add(self, hour: int, visits: float, holding: float) -> None:
        if visits <= 0:
            return
        before = self.arrivals.get(hour, 0.0)
        total = before + visits
        self.holding[hour] = (self.holding.get(hour, 0.0) * before + holding * visits) / total
        self.arrivals[hour] = total


@dataclass(frozen=True)
class _Service:
    code: str
    agency: str
    spans: Sequence[Span]
    quota: int | None
    holding: float  # minutes a visit that comes holds the counter
    holding_root: float  # the same for a new visitor (who may be a no-show)


def _hourly_loads(profile: Profile, visitors: int, weekday: str) -> dict[str, _Load]:
    """Per agency of the profile: visits per hour on `weekday`, quotas applied."""
    spec, seed = profile.spec, profile.seed
    services = _services(profile, weekday)
    by_agency: dict[str, list[_Service]] = {}
    for svc in services.values():
        by_agency.setdefault(svc.agency, []).append(svc)
    total_share = sum(a.share for a in spec.agencies)
    quotas = {a.code: a.daily_quota for a in seed.agencies}
    loads = {a.code: _Load({}, {}) for a in spec.agencies}
    transfers_out: dict[int, dict[str, float]] = {}  # hour → agency → visits transferred on
    for load in spec.agencies:
        own = by_agency.get(load.code, [])
        weights = {s.code: load.services.get(s.code, 0.0 if load.services else 1.0) for s in own}
        hours = load.arrivals_by_hour or spec.arrivals_by_hour
        hour_total = sum(hours.values())
        daily = visitors * load.share / total_share
        used: dict[str, float] = {}
        agency_used = 0.0
        agency_quota = quotas.get(load.code)
        for hour_key in sorted(hours):
            hour = int(hour_key)
            per_minute = daily * hours[hour_key] / hour_total / MINUTES
            came = _minute_split(own, weights, hour, per_minute)
            rooms = {
                s.code: _room(came.get(s.code, 0.0), s.quota, used.get(s.code, 0.0)) for s in own
            }
            # The agency's quota cuts every service of the hour alike (the mix is kept).
            wanted = sum(rooms.values())
            scale = 1.0
            if agency_quota is not None and wanted > 0:
                scale = max(0.0, min(wanted, agency_quota - agency_used)) / wanted
            for svc in own:
                room = rooms[svc.code] * scale
                loads[load.code].turned_away += came.get(svc.code, 0.0) - room
                used[svc.code] = used.get(svc.code, 0.0) + room
                agency_used += room
                loads[load.code].add(hour, room, svc.holding_root)
                gone = room * (1 - spec.no_show_rate) * spec.transfer_rate
                if gone:
                    out = transfers_out.setdefault(hour, {})
                    out[load.code] = out.get(load.code, 0.0) + gone
    _add_transfers(loads, services, transfers_out)
    return loads


def _room(wanted: float, quota: int | None, used: float) -> float:
    """What a service's daily quota still lets in."""
    return wanted if quota is None else max(0.0, min(wanted, quota - used))


def _add_transfers(
    loads: Mapping[str, _Load],
    services: Mapping[str, _Service],
    transfers_out: Mapping[int, Mapping[str, float]],
) -> None:
    """A transferred visit goes to any service of another agency, all equally likely."""
    for hour, sent in transfers_out.items():
        for source, visits in sent.items():
            others = [s for s in services.values() if s.agency != source]
            for svc in others:
                if svc.agency in loads:
                    loads[svc.agency].add(hour, visits / len(others), svc.holding)


def _minute_split(
    services: Sequence[_Service], weights: Mapping[str, float], hour: int, per_minute: float
) -> dict[str, float]:
    """Visitors per service over one hour: each minute's arrivals go, by weight, to the
    agency's services open at that minute (none open: they do not come)."""
    out: dict[str, float] = {}
    for minute in range(MINUTES):
        at = time(hour, minute)
        open_now = [s for s in services if weights.get(s.code, 0) > 0 and _inside(s.spans, at)]
        total = sum(weights[s.code] for s in open_now)
        for s in open_now:
            out[s.code] = out.get(s.code, 0.0) + per_minute * weights[s.code] / total
    return out


def _services(profile: Profile, weekday: str) -> dict[str, _Service]:
    """Every service of the hall with its hours on `weekday` and its holding times."""
    spec, seed = profile.spec, profile.seed
    hall_hours = parse_schedule(seed.hall.hours)
    walk = sum(spec.walk_seconds) / 2 / 60 + spec.late_share * spec.recall_seconds / 60
    no_show_hold = max(1, seed.hall.no_show_min_calls) * spec.recall_seconds / 60
    out: dict[str, _Service] = {}
    for agency in seed.agencies:
        for s in agency.services:
            raw = s.hours if s.hours is not None else agency.hours
            schedule = parse_schedule(raw) if raw is not None else hall_hours
            service = spec.service_minutes.get(s.code, spec.service_time_ratio * s.max_minutes)
            holding = walk + service
            root = (1 - spec.no_show_rate) * holding + spec.no_show_rate * no_show_hold
            out[s.code] = _Service(
                s.code, agency.code, schedule.get(weekday, []), s.daily_quota, holding, root
            )
    return out


def _hall_open(seed: SeedSpec, weekday: str) -> bool:
    return bool(parse_schedule(seed.hall.hours).get(weekday))


def _inside(spans: Sequence[Span], at: time) -> bool:
    return any(start <= at < end for start, end in spans)


# --- the simulation check -------------------------------------------------------------------------


def simulate_plan(
    plan: CapacityPlan,
    profile: Profile,
    engine: Engine,
    *,
    seed: int = 1,
    today: date,
) -> DaySummary:
    """Play one day of the planned weekday with the recommended counters (a plan for one
    agency changes that agency only) and return the simulator's summary.

    `engine` must be a scratch database (migrated, ideally empty): the simulator adds the
    counters it needs and writes a whole day of tickets.
    """
    from mpp_tui.sim.day import run_day

    spec = profile.spec.model_copy(update={"visitors": plan.visitors})
    played = replace_profile(profile, spec)
    day = today + timedelta(days=1)
    while WEEKDAYS[day.weekday()] != plan.weekday:
        day += timedelta(days=1)
    return run_day(
        engine,
        played,
        seed=seed,
        counters_as="threads",
        counters_per_agency=plan.counters_per_agency(),
        day=day,
    )


def replace_profile(profile: Profile, spec: SimulationSpec) -> Profile:
    """The same profile with another `[simulation]` table."""
    return type(profile)(profile.path, spec, profile.seed, profile.seed_path)
