"""The simulator's own account of its day: per agency and per counter, from what robots saw.

Pure: built from the robots' visit records and the kiosk's tally, never from the database, so a
report read from the database can be checked against it. Counts and waits follow the
definitions of `mpp report` (:class:`~mpp_tui.domain.report_views.Figures`): a visit is one
ticket at one service, a transfer child counts as a visit that came by transfer, waits are
issue → first call in whole seconds, the 90th percentile is `PERCENTILE.INC`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mpp_tui.domain.report_views import percentile
from mpp_tui.sim.robot import CounterRecord, VisitRecord


@dataclass(frozen=True)
class AgencyDay:
    """One agency's simulated day.

    Attributes:
        visitors: new tickets issued at the kiosk (transfer children excluded).
        transferred_in: visits that came by transfer.
        turned_away: visitors the kiosk refused (daily quota reached).
        served: visits finished (done).
        no_shows: visitors who never came when called.
        transferred: visits sent on to another agency's service.
        expired: visits still waiting when the day was closed.
        wait_avg_s: mean wait, issue → call, whole seconds.
        wait_p90_s: 90th percentile of the wait.
        longest_queue: the most tickets waiting at once for the agency's services.
        counters: counters staffed that belong to the agency.
        utilisation: busy share of those counters' staffed time (0–1), None without counters.
    """

    agency: str
    visitors: int
    transferred_in: int
    turned_away: int
    served: int
    no_shows: int
    transferred: int
    expired: int
    wait_avg_s: float | None
    wait_p90_s: float | None
    longest_queue: int
    counters: int
    utilisation: float | None


@dataclass(frozen=True)
class CounterDay:
    """One counter's simulated day."""

    counter: str
    agency: str
    officer: str
    visits: int
    served: int
    staffed_s: float
    paused_s: float
    busy_s: float

    @property
    def utilisation(self) -> float | None:
        """Busy share of the staffed (open, not paused) time."""
        working = self.staffed_s - self.paused_s
        return self.busy_s / working if working > 0 else None


@dataclass(frozen=True)
class DaySummary:
    """A simulated day, as `run_day` returns it and `mpp simulate` prints it.

    Attributes:
        hall: the hall code.
        timezone: the hall's time zone (IANA name).
        day: the simulated business date.
        seed: the random seed.
        exceptional: the hall is closed that weekday; it was played as an exceptional opening
            with the hours of `weekday` and supervisor overrides at the kiosk.
        weekday: the weekday whose hours the day followed (mon..sun).
        opened_at / closed_at: the hall's hours that day (UTC).
        ended_at: when the last counter signed out (UTC).
        agencies: per agency, in the hall's order.
        counters: per staffed counter, in the hall's order.
        total: the whole hall (longest_queue is the hall's longest at once).
        wall_s: real seconds the day took to play.
        steps: simulated instants the coordinator stepped through.
    """

    hall: str
    timezone: str
    day: date
    seed: int
    exceptional: bool
    weekday: str
    opened_at: datetime
    closed_at: datetime
    ended_at: datetime
    agencies: tuple[AgencyDay, ...]
    counters: tuple[CounterDay, ...]
    total: AgencyDay
    wall_s: float
    steps: int

    def agency(self, code: str) -> AgencyDay:
        """The figures of one agency."""
        return next(a for a in self.agencies if a.agency == code)


@dataclass(frozen=True)
class KioskTally:
    """What the coordinator's kiosk did: tickets issued and visitors turned away."""

    issued: Mapping[int, tuple[str, datetime]]  # ticket id → (agency, issued_at)
    turned_away: Mapping[str, int]  # agency → visitors refused
    expired: Mapping[int, str]  # ticket id → agency, expired at day close


def summarise(
    *,
    agencies: Sequence[str],
    counter_agency: Mapping[str, str],
    kiosk: KioskTally,
    records: Iterable[CounterRecord],
    ended_at: datetime,
) -> tuple[tuple[AgencyDay, ...], tuple[CounterDay, ...], AgencyDay]:
    """Figures per agency, per counter and for the hall from the robots' and kiosk's records.

    Only visits of tickets this simulation issued (and their transfer children) count, so a
    day that already held tickets is summarised for the simulated visitors alone.
    """
    counters = list(records)
    visits = _own_visits(kiosk, [v for c in counters for v in c.visits])
    per_agency: dict[str, list[VisitRecord]] = defaultdict(list)
    for v in visits:
        per_agency[v.agency].append(v)
    counter_days = tuple(_counter_day(c, counter_agency, ended_at) for c in counters)
    rows = tuple(
        _agency_day(code, per_agency[code], kiosk, counter_days, [code]) for code in agencies
    )
    total = _agency_day("*", visits, kiosk, counter_days, list(agencies))
    return rows, counter_days, total


def _own_visits(kiosk: KioskTally, visits: list[VisitRecord]) -> list[VisitRecord]:
    """The visits whose first ticket this simulation issued (transfers follow their parent)."""
    parents = {v.ticket_id: v.parent_id for v in visits}

    def root(ticket_id: int) -> int:
        parent = parents.get(ticket_id)
        while parent is not None:
            ticket_id, parent = parent, parents.get(parent)
        return ticket_id

    return sorted(
        (v for v in visits if root(v.ticket_id) in kiosk.issued), key=lambda v: v.ticket_id
    )


def _agency_day(
    code: str,
    visits: list[VisitRecord],
    kiosk: KioskTally,
    counters: tuple[CounterDay, ...],
    scope: list[str],
) -> AgencyDay:
    waits = [float(int((v.called_at - v.issued_at).total_seconds())) for v in visits]
    own = [c for c in counters if c.agency in scope]
    working = sum(c.staffed_s - c.paused_s for c in own)
    busy = sum(c.busy_s for c in own)
    issued = [(at, a) for a, at in kiosk.issued.values() if a in scope]
    expired = [tid for tid, a in kiosk.expired.items() if a in scope]
    return AgencyDay(
        agency=code,
        visitors=len(issued),
        transferred_in=sum(1 for v in visits if v.parent_id is not None),
        turned_away=sum(n for a, n in kiosk.turned_away.items() if a in scope),
        served=sum(1 for v in visits if v.status == "done"),
        no_shows=sum(1 for v in visits if v.status == "no_show"),
        transferred=sum(1 for v in visits if v.status == "transferred"),
        expired=len(expired),
        wait_avg_s=sum(waits) / len(waits) if waits else None,
        wait_p90_s=percentile(waits),
        longest_queue=_longest_queue(visits),
        counters=len(own),
        utilisation=busy / working if working > 0 else None,
    )


def _longest_queue(visits: list[VisitRecord]) -> int:
    """The most visits waiting at the same moment (issue → call)."""
    edges = sorted(
        [(v.issued_at, 1) for v in visits] + [(v.called_at, -1) for v in visits],
        key=lambda e: (e[0], e[1]),
    )
    waiting = longest = 0
    for _, change in edges:
        waiting += change
        longest = max(longest, waiting)
    return longest


def _counter_day(
    record: CounterRecord, counter_agency: Mapping[str, str], ended_at: datetime
) -> CounterDay:
    opened = record.opened_at or ended_at
    closed = record.closed_at or ended_at
    return CounterDay(
        counter=record.counter,
        agency=counter_agency.get(record.counter, "-"),
        officer=record.officer,
        visits=len(record.visits),
        served=sum(1 for v in record.visits if v.status == "done"),
        staffed_s=(closed - opened).total_seconds(),
        paused_s=record.paused_s,
        busy_s=record.busy_s,
    )
