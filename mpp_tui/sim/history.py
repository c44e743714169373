"""Past days for benchmarks: realistic tickets and events of a hall, written fast in bulk.

`mpp simulate history` and the benchmarks fill a database with months or years of business
days in minutes, so that reports and screens can be measured on a million tickets and more. The
days are generated, not played through the services (that is `mpp simulate`): each ticket gets
the life a real one has, with every event the services would have written, and the rows go in
through the raw driver (`COPY` on PostgreSQL, `executemany` on SQLite) in one transaction.

What a generated day looks like (the mix of a busy hall):

* visitors arrive over the hall's opening hours with a morning peak (:data:`ARRIVAL_SHAPE`),
  each for a service open at that minute, drawn with uneven weights (some services are five to
  eight times busier); daily quotas of services and agencies are respected;
* 8 % are priority visitors (lansia 4 %, disabilitas 1.5 %, ibu hamil 1.5 %, anak 1 %,
  korban bencana 0.1 %);
* outcomes: 80 % served (a tenth finished straight from the call, a tenth recalled once), 6 %
  no-shows (called, recalled, no-show), 4 % transferred (a child ticket at another service,
  itself served), 2 % returned to the end of the queue once and then served, 2.5 % cancelled
  while waiting, 0.5 % kiosk print failures voided at once, the rest (5 %) expired when the day
  is closed the next morning;
* waits exponential (mean 12 minutes, at most three hours); service times around 60 % of the
  service's standard time (normal, σ 30 %; about one in ten over it).

Besides tickets and events, a day gets what a real one leaves: its running numbers
(`number_counter`), its close (`day_close`, with the expired count) and the counters' open and
close (`counter_event`). Ids grow with time inside a day, as the database would assign them.
Counters are not modelled as busy: two tickets of one counter may overlap in time (no report
reads that; a simulated day through the services has real counters).
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select

from mpp_tui.db.seed import load_seed
from mpp_tui.db.tables import AGENCY, COUNTER, COUNTER_SERVICE, OFFICER, SERVICE, TICKET
from mpp_tui.domain.enums import EventKind, TicketStatus
from mpp_tui.domain.errors import Conflict, NotFound
from mpp_tui.domain.reference import ServiceRef
from mpp_tui.domain.rules import WEEKDAYS, format_code
from mpp_tui.services.context import ServiceContext

__all__ = [
    "ARRIVAL_SHAPE",
    "DEFAULT_PER_DAY",
    "HALL_SIZES",
    "DayPlan",
    "DayRows",
    "Desk",
    "HistoryGenerator",
    "HistoryHall",
    "HistoryResult",
    "add_counters",
    "ensure_officers",
    "history_end",
    "large_hall",
    "load_hall",
    "plan_days",
    "write_history",
]

HALL_SIZES: Final = ("kotim", "large")
LARGE_COUNTERS: Final = 60
DEFAULT_PER_DAY: Final = {"kotim": 300, "large": 3000}
# Relative arrivals per local hour of issue: the morning peak of a public-service hall.
ARRIVAL_SHAPE: Final[Mapping[int, float]] = {
    7: 0.5,
    8: 1.3,
    9: 1.6,
    10: 1.5,
    11: 1.2,
    12: 0.7,
    13: 0.9,
    14: 0.7,
    15: 0.4,
}
OTHER_HOURS: Final = 0.4
BUSY_WEIGHTS: Final = (1.0, 2.0, 3.0, 5.0, 8.0)
PRIORITIES: Final = (
    ("lansia", 0.04),
    ("disabilitas", 0.015),
    ("ibu_hamil", 0.015),
    ("anak", 0.01),
    ("korban_bencana", 0.001),
)
# Cumulative shares of how a visit goes; what is left after the last is expired.
FATES: Final = (
    ("done", 0.80),
    ("no_show", 0.86),
    ("transferred", 0.90),
    ("returned", 0.92),
    ("cancelled", 0.945),
    ("void", 0.95),
)
OUTCOMES: Final = ("selesai",) * 8 + ("berkas_tidak_lengkap", "informasi")
MEAN_WAIT_MIN: Final = 12.0
MAX_WAIT_MIN: Final = 180.0
SERVICE_SHARE: Final = 0.6  # mean service time as a share of the service's standard time
SERVICE_SPREAD: Final = 0.3
CLOSE_HOUR: Final = 7  # the day is closed (leftovers expired) at 07:00 the next morning
OFFICER_PREFIX: Final = "petugas"

TICKET_COLUMNS: Final = (
    "id",
    "hall_id",
    "business_date",
    "service_id",
    "prefix",
    "number",
    "code",
    "priority",
    "status",
    "counter_id",
    "officer_id",
    "target_counter_id",
    "parent_id",
    "sort_key",
    "issued_at",
    "called_at",
    "started_at",
    "finished_at",
    "call_count",
    "outcome",
    "note",
    "source",
)
EVENT_COLUMNS: Final = (
    "id",
    "hall_id",
    "ticket_id",
    "kind",
    "at",
    "status_from",
    "status_to",
    "counter_id",
    "officer_id",
    "detail",
)
COUNTER_EVENT_COLUMNS: Final = ("hall_id", "counter_id", "officer_id", "kind", "at", "reason")
NUMBER_COLUMNS: Final = ("hall_id", "prefix", "business_date", "last_number")
CLOSE_COLUMNS: Final = ("hall_id", "business_date", "closed_at", "expired")

Row = tuple[Any, ...]


# --- the hall -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Desk:
    """A counter and the officer who works it in the history."""

    counter_id: int
    officer_id: int


@dataclass(frozen=True)
class HistoryHall:
    """What the generator needs of a hall.

    Attributes:
        hall_id: the hall's id.
        tz: the hall's time zone (business dates and opening hours are local).
        services: the active services some active counter calls.
        weights: relative demand of each service (same order).
        desks: service id → the desks that call it.
        agency_quotas: agency id → its daily quota, for agencies with one.
    """

    hall_id: int
    tz: ZoneInfo
    services: tuple[ServiceRef, ...]
    weights: tuple[float, ...]
    desks: Mapping[int, tuple[Desk, ...]]
    agency_quotas: Mapping[int, int]


def add_counters(engine: Engine, total: int = LARGE_COUNTERS, *, hall: str | None = None) -> int:
    """Bring the hall to `total` active counters; each new one (`X01`, `X02`, …) serves the
    services of one agency, taking the agencies in turn. Returns how many were added."""
    hall_id = ServiceContext(engine, hall=hall).ref(fresh=True).hall_id
    with engine.begin() as conn:
        have = conn.execute(
            select(COUNTER.c.code, COUNTER.c.active).where(COUNTER.c.hall_id == hall_id)
        ).all()
        missing = total - sum(1 for r in have if r.active)
        if missing <= 0:
            return 0
        agencies = list(
            conn.execute(
                select(SERVICE.c.agency_id)
                .where(SERVICE.c.hall_id == hall_id, SERVICE.c.active)
                .distinct()
                .order_by(SERVICE.c.agency_id)
            ).scalars()
        )
        taken = {r.code for r in have}
        codes = (f"X{i:02d}" for i in itertools.count(1))
        fresh = list(itertools.islice((c for c in codes if c not in taken), missing))
        for i, code in enumerate(fresh):
            agency_id = agencies[i % len(agencies)]
            counter_id = conn.execute(
                insert(COUNTER)
                .values(
                    hall_id=hall_id,
                    code=code,
                    name=f"Loket {code}",
                    agency_id=agency_id,
                    active=True,
                    state="closed",
                    priority_streak=0,
                    sort=100 + len(have) + i,
                )
                .returning(COUNTER.c.id)
            ).scalar_one()
            services = conn.execute(
                select(SERVICE.c.id).where(
                    SERVICE.c.agency_id == agency_id, SERVICE.c.active, SERVICE.c.hall_id == hall_id
                )
            ).scalars()
            conn.execute(
                insert(COUNTER_SERVICE),
                [{"counter_id": counter_id, "service_id": sid} for sid in services],
            )
    return missing


def large_hall(engine: Engine) -> tuple[str, bool]:
    """The 60-counter hall of the `large` simulation profile (data/large.toml), loaded into
    the database when it is not there yet. Returns its code and whether it was loaded."""
    from mpp_tui.sim.profile import read_profile

    seed = read_profile("large").seed
    try:
        ServiceContext(engine, hall=seed.hall.code).ref(fresh=True)
        return seed.hall.code, False
    except NotFound as exc:
        if exc.key != "err.hall_not_found":
            raise
    load_seed(engine, seed)
    return seed.hall.code, True


def ensure_officers(engine: Engine, count: int, *, hall: str | None = None) -> int:
    """Make sure the hall has at least `count` active operators, adding `petugas01`, … as
    needed. Their PIN hash is a placeholder no PIN matches (nobody can sign in as them).
    Returns how many were added."""
    hall_id = ServiceContext(engine, hall=hall).ref(fresh=True).hall_id
    with engine.begin() as conn:
        names = set(
            conn.execute(select(OFFICER.c.username).where(OFFICER.c.hall_id == hall_id)).scalars()
        )
        active = conn.execute(
            select(func.count()).where(
                OFFICER.c.hall_id == hall_id, OFFICER.c.active, OFFICER.c.role == "operator"
            )
        ).scalar_one()
        wanted = count - int(active)
        rows: list[dict[str, Any]] = []
        for i in itertools.count(1):
            if len(rows) >= wanted:
                break
            name = f"{OFFICER_PREFIX}{i:02d}"
            if name not in names:
                rows.append(
                    {
                        "hall_id": hall_id,
                        "username": name,
                        "full_name": f"Petugas {i}",
                        "role": "operator",
                        "pin_hash": "-",
                        "active": True,
                        "failed_attempts": 0,
                    }
                )
        if rows:
            conn.execute(insert(OFFICER), rows)
    return len(rows)


def load_hall(engine: Engine, rng: random.Random, *, hall: str | None = None) -> HistoryHall:
    """Read what the generator needs of the hall; officers are spread over the counters.

    Raises:
        Conflict: no active counter calls an active service, or the hall has no operator.
    """
    ref = ServiceContext(engine, hall=hall).ref(fresh=True)
    with engine.connect() as conn:
        officers = list(
            conn.execute(
                select(OFFICER.c.id)
                .where(
                    OFFICER.c.hall_id == ref.hall_id,
                    OFFICER.c.active,
                    OFFICER.c.role == "operator",
                )
                .order_by(OFFICER.c.id)
            ).scalars()
        )
        quotas = {
            r.id: int(r.daily_quota)
            for r in conn.execute(
                select(AGENCY.c.id, AGENCY.c.daily_quota).where(AGENCY.c.hall_id == ref.hall_id)
            )
            if r.daily_quota is not None
        }
    if not officers:
        raise Conflict("sim.history.err.no_officers")
    counters = sorted((c for c in ref.counters.values() if c.active), key=lambda c: c.id)
    desks: dict[int, list[Desk]] = {}
    for i, counter in enumerate(counters):
        for sid in sorted(counter.services):
            desks.setdefault(sid, []).append(Desk(counter.id, officers[i % len(officers)]))
    services = tuple(
        s for s in sorted(ref.services.values(), key=lambda s: s.id) if s.active and s.id in desks
    )
    if not services:
        raise Conflict("sim.history.err.no_counters")
    weights = tuple(rng.choice(BUSY_WEIGHTS) for _ in services)
    return HistoryHall(
        hall_id=ref.hall_id,
        tz=ref.tz,
        services=services,
        weights=weights,
        desks={sid: tuple(found) for sid, found in desks.items()},
        agency_quotas=quotas,
    )


# --- which days -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One business day to generate and how many visitors come."""

    day: date
    visitors: int


def open_minutes(hall: HistoryHall, weekday: int) -> int:
    """Minutes of the day (0 = Monday) during which at least one service is open."""
    return len(_minutes_open(hall, weekday))


def plan_days(
    hall: HistoryHall,
    rng: random.Random,
    *,
    end: date,
    per_day: int,
    start: date | None = None,
    tickets: int | None = None,
) -> list[DayPlan]:
    """The business days from `end` going back, until `start` or until `tickets` visitors.

    A business day is a weekday on which some service is open; a full day brings `per_day`
    visitors ±20 %, a shorter one (Friday) in proportion to its opening minutes.

    Returns:
        The days, oldest first.
    """
    if start is None and tickets is None:
        raise ValueError("give start or tickets")
    longest = max(open_minutes(hall, wd) for wd in range(7))
    days: list[DayPlan] = []
    planned = 0
    day = end
    while longest and (start is None or day >= start) and (tickets is None or planned < tickets):
        share = open_minutes(hall, day.weekday()) / longest
        if share > 0:
            n = round(per_day * rng.uniform(0.8, 1.2) * share)
            if tickets is not None:
                n = min(n, tickets - planned)
            planned += n
            days.append(DayPlan(day, n))
        day -= timedelta(days=1)
    return days[::-1]


def _minutes_open(hall: HistoryHall, weekday: int) -> list[tuple[int, tuple[int, ...]]]:
    """(minute of the day, indexes of the services open then) for every open minute."""
    key = WEEKDAYS[weekday]
    spans = [s.schedule.get(key, ()) for s in hall.services]
    out = []
    for minute in range(24 * 60):
        at = time(minute // 60, minute % 60)
        open_now = tuple(i for i, ss in enumerate(spans) if any(a <= at < b for a, b in ss))
        if open_now:
            out.append((minute, open_now))
    return out


# --- generating -----------------------------------------------------------------------------------


@dataclass
class DayRows:
    """One generated business day, as rows in the column orders of the `*_COLUMNS` tuples."""

    day: date
    tickets: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    counter_events: list[Row] = field(default_factory=list)
    numbers: list[Row] = field(default_factory=list)
    close: list[Row] = field(default_factory=list)


@dataclass
class _Event:
    kind: str
    at: datetime
    status_from: str | None
    status_to: str
    desk: Desk | None
    detail: dict[str, Any] | None = None


@dataclass
class _Ticket:
    """A ticket being generated; ids are given once the whole day is known."""

    service: ServiceRef
    prefix: str  # the service's, or the parent's for a transfer (the visitor keeps the number)
    number: int
    priority: str | None
    issued: datetime
    parent: _Ticket | None = None
    status: str = TicketStatus.WAITING.value
    desk: Desk | None = None
    called: datetime | None = None
    started: datetime | None = None
    finished: datetime | None = None
    calls: int = 0
    outcome: str | None = None
    requeued: datetime | None = None  # returned to the end of the queue at this time
    events: list[_Event] = field(default_factory=list)
    id: int = 0
    sort_key: int = 0


@dataclass
class _Issued:
    """Tickets issued so far today per service and per agency (for the daily quotas)."""

    services: dict[int, int] = field(default_factory=dict)
    agencies: dict[int, int] = field(default_factory=dict)

    def add(self, svc: ServiceRef) -> None:
        self.services[svc.id] = self.services.get(svc.id, 0) + 1
        self.agencies[svc.agency_id] = self.agencies.get(svc.agency_id, 0) + 1

    def has_room(self, svc: ServiceRef, agency_quotas: Mapping[int, int]) -> bool:
        if svc.daily_quota is not None and self.services.get(svc.id, 0) >= svc.daily_quota:
            return False
        quota = agency_quotas.get(svc.agency_id)
        return quota is None or self.agencies.get(svc.agency_id, 0) < quota


@dataclass(frozen=True)
class _OpenSet:
    indexes: tuple[int, ...]
    cum_weights: tuple[float, ...]


@dataclass(frozen=True)
class _Weekday:
    minutes: tuple[int, ...]
    cum_weights: tuple[float, ...]
    open_sets: tuple[_OpenSet, ...]  # per minute


class HistoryGenerator:
    """Generates business days of one hall from one random stream (same seed, same days).

    Args:
        hall: the hall (see :func:`load_hall`).
        rng: the random stream.
        first_ticket_id: the id of the first ticket written (ids then grow by one).
        first_event_id: the id of the first event written.
    """

    def __init__(
        self,
        hall: HistoryHall,
        rng: random.Random,
        *,
        first_ticket_id: int = 1,
        first_event_id: int = 1,
    ) -> None:
        self.hall = hall
        self.rng = rng
        self.next_ticket_id = first_ticket_id
        self.next_event_id = first_event_id
        self._weekdays: dict[int, _Weekday] = {}

    def day(self, plan: DayPlan) -> DayRows:
        """Every row of one business day with `plan.visitors` visitors (fewer when quotas or
        closed services turn some away). A day on which the hall is closed is played with
        the hours of its next open weekday, as an exceptional opening."""
        week = self._open_weekday(plan.day.weekday())
        if week is None:  # a hall that never opens
            return DayRows(plan.day)
        midnight = datetime.combine(plan.day, time(0), self.hall.tz).astimezone(UTC)
        slots = self.rng.choices(
            range(len(week.minutes)), cum_weights=week.cum_weights, k=plan.visitors
        )
        # (second of the day, minute slot), in time order
        picks = sorted((week.minutes[m] * 60 + self.rng.uniform(0, 60), m) for m in slots)
        close_at = midnight + timedelta(days=1, hours=CLOSE_HOUR)
        issued = _Issued()
        numbers: dict[str, int] = {}
        tickets: list[_Ticket] = []
        for second, m in picks:
            at = midnight + timedelta(seconds=second)
            svc = self._service(week.open_sets[m], issued)
            if svc is None:
                continue  # every open service is full: the visitor is turned away
            issued.add(svc)
            numbers[svc.prefix] = numbers.get(svc.prefix, 0) + 1
            root = _Ticket(svc, svc.prefix, numbers[svc.prefix], self._priority(), at)
            tickets.append(root)
            self._live(root, self._fate(), close_at, tickets, week)
        return self._rows(plan.day, tickets, numbers, close_at)

    # --- one ticket's life ------------------------------------------------------------------

    def _live(
        self, t: _Ticket, fate: str, close_at: datetime, out: list[_Ticket], week: _Weekday
    ) -> None:
        rng = self.rng
        desk = rng.choice(self.hall.desks[t.service.id])
        w, c = TicketStatus.WAITING.value, TicketStatus.CALLED.value
        if t.parent is None:
            t.events.append(_Event(EventKind.ISSUED, t.issued, None, w, None))
        else:
            parent_desk = t.parent.desk
            t.events.append(_Event(EventKind.TRANSFERRED_IN, t.issued, None, w, parent_desk))
        if fate == "transferred" and len(self.hall.services) < 2:
            fate = "done"  # nowhere to send the visitor
        if fate == "cancelled":
            self._end(t, t.issued + timedelta(minutes=rng.uniform(1, 30)), EventKind.CANCELLED)
            return
        if fate == "void":
            self._end(t, t.issued + timedelta(seconds=20), EventKind.PRINT_FAILED)
            return
        if fate == "expired":
            self._end(t, close_at, EventKind.EXPIRED)
            return
        t.desk = desk
        wait = min(rng.expovariate(1 / MEAN_WAIT_MIN), MAX_WAIT_MIN)
        called = t.issued + timedelta(minutes=wait)
        t.called, t.calls = called, 1
        t.events.append(_Event(EventKind.CALLED, called, w, c, desk))
        if fate == "returned":
            back = called + timedelta(minutes=rng.uniform(1, 3))
            t.events.append(_Event(EventKind.RETURNED, back, c, w, desk, {"position": "last"}))
            t.requeued = back
            called = back + timedelta(minutes=rng.uniform(1, 20))
            t.called, t.calls = called, 2
            t.events.append(_Event(EventKind.CALLED, called, w, c, desk))
        if fate == "no_show":
            t.events.append(_Event(EventKind.RECALLED, called + timedelta(minutes=2), c, c, desk))
            t.calls += 1
            t.finished, t.status = called + timedelta(minutes=4), TicketStatus.NO_SHOW.value
            t.events.append(_Event(EventKind.NO_SHOW, t.finished, c, t.status, desk))
            return
        self._serve(t, fate, desk)
        if fate == "transferred":
            self._transfer(t, close_at, out, week)

    def _serve(self, t: _Ticket, fate: str, desk: Desk) -> None:
        rng = self.rng
        assert t.called is not None
        c = TicketStatus.CALLED.value
        last_call = t.called
        if rng.random() < 0.1:
            last_call = t.called + timedelta(minutes=1)
            t.events.append(_Event(EventKind.RECALLED, last_call, c, c, desk))
            t.calls += 1
        straight = rng.random() < 0.1
        # A recalled visitor arrives after the recall: starting before it would put `started`
        # ahead of `recalled` in the log (serving, then a recall from called).
        t.started = t.called if straight else last_call + timedelta(minutes=rng.uniform(0.2, 2))
        held = c if straight else TicketStatus.SERVING.value
        if not straight:
            t.events.append(_Event(EventKind.STARTED, t.started, c, held, desk))
        share = max(rng.gauss(SERVICE_SHARE, SERVICE_SPREAD), 0.05)
        # Served straight from the call, the service still ends after the last call.
        t.finished = max(t.started, last_call) + timedelta(minutes=share * t.service.max_minutes)
        if fate == "transferred":
            t.status = TicketStatus.TRANSFERRED.value
            detail: dict[str, Any] = {"service": ""}  # filled by _transfer
            t.events.append(_Event(EventKind.TRANSFERRED, t.finished, held, t.status, desk, detail))
        else:
            t.status, t.outcome = TicketStatus.DONE.value, rng.choice(OUTCOMES)
            t.events.append(
                _Event(EventKind.FINISHED, t.finished, held, t.status, desk, {"outcome": t.outcome})
            )

    def _transfer(self, t: _Ticket, close_at: datetime, out: list[_Ticket], week: _Weekday) -> None:
        assert t.finished is not None
        local = t.finished.astimezone(self.hall.tz)
        minute = local.hour * 60 + local.minute
        at = bisect.bisect_left(week.minutes, minute)
        open_now = week.open_sets[at].indexes if at < len(week.minutes) else ()
        others = [self.hall.services[i] for i in open_now if self.hall.services[i] != t.service]
        if not others:
            others = [s for s in self.hall.services if s != t.service]
        target = self.rng.choice(others)
        assert t.events[-1].detail is not None
        t.events[-1].detail["service"] = target.code
        child = _Ticket(target, t.prefix, t.number, t.priority, t.finished, parent=t)
        out.append(child)
        self._live(child, "done", close_at, out, week)

    def _end(self, t: _Ticket, at: datetime, kind: EventKind) -> None:
        t.finished = at
        t.status = (
            TicketStatus.EXPIRED.value
            if kind is EventKind.EXPIRED
            else TicketStatus.CANCELLED.value
        )
        t.events.append(_Event(kind, at, TicketStatus.WAITING.value, t.status, None))

    # --- draws ------------------------------------------------------------------------------

    def _service(self, open_set: _OpenSet, issued: _Issued) -> ServiceRef | None:
        """A service open now, by weight, among those whose quotas are not used up."""
        services = self.hall.services
        pick = services[self.rng.choices(open_set.indexes, cum_weights=open_set.cum_weights)[0]]
        if issued.has_room(pick, self.hall.agency_quotas):
            return pick
        room = [
            i for i in open_set.indexes if issued.has_room(services[i], self.hall.agency_quotas)
        ]
        if not room:
            return None
        return services[self.rng.choices(room, [self.hall.weights[i] for i in room])[0]]

    def _priority(self) -> str | None:
        draw = self.rng.random()
        for code, share in PRIORITIES:
            if draw < share:
                return code
            draw -= share
        return None

    def _fate(self) -> str:
        draw = self.rng.random()
        return next((kind for kind, share in FATES if draw < share), "expired")

    def _open_weekday(self, weekday: int) -> _Weekday | None:
        for ahead in range(7):
            week = self._weekday((weekday + ahead) % 7)
            if week.minutes:
                return week
        return None

    def _weekday(self, weekday: int) -> _Weekday:
        found = self._weekdays.get(weekday)
        if found is None:
            found = self._weekdays[weekday] = self._build_weekday(weekday)
        return found

    def _build_weekday(self, weekday: int) -> _Weekday:
        open_minutes_ = _minutes_open(self.hall, weekday)
        sets: dict[tuple[int, ...], _OpenSet] = {}
        for _, indexes in open_minutes_:
            if indexes not in sets:
                cum = itertools.accumulate(self.hall.weights[i] for i in indexes)
                sets[indexes] = _OpenSet(indexes, tuple(cum))
        shape = (ARRIVAL_SHAPE.get(m // 60, OTHER_HOURS) for m, _ in open_minutes_)
        return _Weekday(
            minutes=tuple(m for m, _ in open_minutes_),
            cum_weights=tuple(itertools.accumulate(shape)),
            open_sets=tuple(sets[indexes] for _, indexes in open_minutes_),
        )

    # --- rows -------------------------------------------------------------------------------

    def _rows(
        self, day: date, tickets: list[_Ticket], numbers: Mapping[str, int], close_at: datetime
    ) -> DayRows:
        """Give ids in issue order (as the database would), then lay out the rows."""
        hid = self.hall.hall_id
        tickets.sort(key=lambda t: t.issued)  # stable: a transfer child follows its parent
        first = self.next_ticket_id
        issued_at = [t.issued for t in tickets]
        for offset, t in enumerate(tickets):
            t.id = first + offset
        for t in tickets:  # parents come first, so their keys are known
            if t.parent is not None:
                t.sort_key = t.parent.sort_key
            elif t.requeued is not None:  # behind every ticket issued before the return
                t.sort_key = first + bisect.bisect_right(issued_at, t.requeued)
            else:
                t.sort_key = t.id
        self.next_ticket_id += len(tickets)
        rows = DayRows(day)
        rows.tickets = [self._ticket_row(day, t) for t in tickets]
        events = sorted(((e, t) for t in tickets for e in t.events), key=lambda et: et[0].at)
        for e, t in events:
            rows.events.append(self._event_row(e, t))
        rows.counter_events = self._sessions(tickets)
        rows.numbers = [(hid, prefix, day, last) for prefix, last in sorted(numbers.items())]
        expired = sum(1 for t in tickets if t.status == TicketStatus.EXPIRED.value)
        rows.close = [(hid, day, close_at, expired)]
        return rows

    def _ticket_row(self, day: date, t: _Ticket) -> Row:
        svc = t.service
        return (
            t.id,
            self.hall.hall_id,
            day,
            svc.id,
            t.prefix,
            t.number,
            format_code(t.prefix, t.number),
            t.priority,
            t.status,
            t.desk.counter_id if t.desk else None,
            t.desk.officer_id if t.desk else None,
            None,
            t.parent.id if t.parent else None,
            t.sort_key,
            t.issued,
            t.called,
            t.started,
            t.finished,
            t.calls,
            t.outcome,
            None,
            "transfer" if t.parent else "kiosk",
        )

    def _event_row(self, e: _Event, t: _Ticket) -> Row:
        detail = e.detail
        if e.kind == EventKind.TRANSFERRED_IN and t.parent is not None:
            detail = {"parent": t.parent.id}
        self.next_event_id += 1
        return (
            self.next_event_id - 1,
            self.hall.hall_id,
            t.id,
            str(e.kind),
            e.at,
            e.status_from,
            e.status_to,
            e.desk.counter_id if e.desk else None,
            e.desk.officer_id if e.desk else None,
            json.dumps(detail) if detail else None,
        )

    def _sessions(self, tickets: Iterable[_Ticket]) -> list[Row]:
        """Each counter that called someone opened before its first call and closed after its
        last ticket ended."""
        spans: dict[Desk, tuple[datetime, datetime]] = {}
        for t in tickets:
            for e in t.events:
                if e.desk is None:
                    continue
                lo, hi = spans.get(e.desk, (e.at, e.at))
                spans[e.desk] = (min(lo, e.at), max(hi, e.at))
        rows: list[Row] = []
        for desk, (lo, hi) in sorted(spans.items(), key=lambda kv: kv[1][0]):
            opened = lo - timedelta(minutes=self.rng.uniform(1, 10))
            closed = hi + timedelta(minutes=self.rng.uniform(1, 10))
            hid = self.hall.hall_id
            rows.append((hid, desk.counter_id, desk.officer_id, "opened", opened, None))
            rows.append((hid, desk.counter_id, desk.officer_id, "closed", closed, None))
        return rows


# --- writing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryResult:
    """What :func:`write_history` wrote."""

    days: int
    first: date | None
    last: date | None
    tickets: int  # ticket rows, transfer children included
    events: int


def history_end(engine: Engine, *, today: date, hall: str | None = None) -> date:
    """The last day history may fill: the day before the hall's earliest ticket, and never
    today or later. History always goes *before* what the database holds, so it never
    touches a day that has tickets, and a second run extends it further back."""
    ref = ServiceContext(engine, hall=hall).ref(fresh=True)
    with engine.connect() as conn:
        earliest = conn.execute(
            select(func.min(TICKET.c.business_date)).where(TICKET.c.hall_id == ref.hall_id)
        ).scalar_one()
    end = today - timedelta(days=1)
    if earliest is not None:
        end = min(end, _as_date(earliest) - timedelta(days=1))
    return end


def write_history(
    engine: Engine,
    hall: HistoryHall,
    plan: Sequence[DayPlan],
    rng: random.Random,
    *,
    on_day: Callable[[DayRows], None] | None = None,
) -> HistoryResult:
    """Generate the planned days and write them in one transaction through the raw driver.

    The tables are locked for the duration (SQLite `BEGIN IMMEDIATE`, PostgreSQL
    `LOCK TABLE … SHARE ROW EXCLUSIVE`), so run it on a database that is not serving a hall.

    Args:
        engine: the database.
        hall: the hall (see :func:`load_hall`).
        plan: the days (see :func:`plan_days`), written oldest first.
        rng: the random stream (the one :func:`plan_days` used, for one seed → one history).
        on_day: called after each day is written (progress).

    Raises:
        Conflict: a planned day already has tickets, running numbers or a close (nothing is
            written).
    """
    days = sorted(plan, key=lambda p: p.day)
    raw = engine.raw_connection()
    sink: _Sink = (
        _PostgresSink(raw.driver_connection)
        if engine.dialect.name == "postgresql"
        else _SqliteSink(raw.driver_connection)
    )
    try:
        sink.begin()
        if days:
            taken = sink.taken_days(hall.hall_id, days[0].day, days[-1].day)
            clash = sorted(taken & {p.day for p in days})
            if clash:
                raise Conflict(
                    "sim.history.err.days_taken",
                    first=clash[0].isoformat(),
                    last=clash[-1].isoformat(),
                    count=len(clash),
                )
        first_ticket, first_event = sink.next_ids()
        generator = HistoryGenerator(
            hall, rng, first_ticket_id=first_ticket, first_event_id=first_event
        )
        for p in days:
            rows = generator.day(p)
            sink.write(rows)
            if on_day is not None:
                on_day(rows)
        sink.finish()
    except BaseException:
        sink.rollback()
        raise
    finally:
        raw.close()
    return HistoryResult(
        days=len(days),
        first=days[0].day if days else None,
        last=days[-1].day if days else None,
        tickets=generator.next_ticket_id - first_ticket,
        events=generator.next_event_id - first_event,
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


_TABLES: Final = (
    ("ticket", TICKET_COLUMNS),
    ("ticket_event", EVENT_COLUMNS),
    ("counter_event", COUNTER_EVENT_COLUMNS),
    ("number_counter", NUMBER_COLUMNS),
    ("day_close", CLOSE_COLUMNS),
)
# The three tables whose rows name a business day, to find days already taken.
_DAY_TABLES: Final = ("ticket", "number_counter", "day_close")


def _day_rows(rows: DayRows) -> tuple[list[Row], ...]:
    return rows.tickets, rows.events, rows.counter_events, rows.numbers, rows.close


class _Sink:
    """Bulk writing through one raw driver connection."""

    mark = "?"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def begin(self) -> None:
        raise NotImplementedError

    def write(self, rows: DayRows) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def taken_days(self, hall_id: int, first: date, last: date) -> set[date]:
        found: set[date] = set()
        m = self.mark
        for table in _DAY_TABLES:
            cur = self.conn.execute(
                f"SELECT DISTINCT business_date FROM {table} "
                f"WHERE hall_id = {m} AND business_date BETWEEN {m} AND {m}",
                (hall_id, self.value(first), self.value(last)),
            )
            found |= {_as_date(r[0]) for r in cur.fetchall()}
        return found

    def next_ids(self) -> tuple[int, int]:
        ids = []
        for table in ("ticket", "ticket_event"):
            top = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            ids.append(int(top or 0) + 1)
        return ids[0], ids[1]

    def value(self, value: Any) -> Any:
        return value


class _SqliteSink(_Sink):
    """sqlite3: `executemany` inside `BEGIN IMMEDIATE`; values stored as SQLAlchemy stores them
    (naive UTC text for timestamps, ISO dates)."""

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def finish(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def write(self, rows: DayRows) -> None:
        for (table, columns), batch in zip(_TABLES, _day_rows(rows), strict=True):
            if batch:
                marks = ", ".join("?" * len(columns))
                self.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    [tuple(map(self.value, r)) for r in batch],
                )

    def value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, date):
            return value.isoformat()
        return value


class _PostgresSink(_Sink):
    """psycopg: `COPY … FROM STDIN` in one transaction; sequences moved past the ids used."""

    mark = "%s"

    def begin(self) -> None:
        tables = ", ".join(table for table, _ in _TABLES)
        self.conn.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")

    def write(self, rows: DayRows) -> None:
        with self.conn.cursor() as cur:
            for (table, columns), batch in zip(_TABLES, _day_rows(rows), strict=True):
                if not batch:
                    continue
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)

    def finish(self) -> None:
        for table in ("ticket", "ticket_event"):
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} "
                "HAVING max(id) IS NOT NULL"
            )
        self.conn.execute("ANALYZE ticket, ticket_event")  # what autovacuum would soon do
        self.conn.commit()
