"""Frozen views of `mpp report`: figures per group over a date range, and the monthly report.

Pure: no database, no UI. Reports fills them; the CLI and the exports read them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from mpp_tui.domain.names import Name

P90 = 0.9


class ReportGroup(StrEnum):
    """What one row of a report stands for."""

    AGENCY = "agency"
    SERVICE = "service"
    COUNTER = "counter"
    OFFICER = "officer"
    HOUR = "hour"  # hour of day of issue, in the hall's time zone
    WEEKDAY = "weekday"  # ISO weekday of the business date (1 = Monday)
    DAY = "day"  # the business date


def percentile(values: Sequence[float], p: float = P90) -> float | None:
    """The `p`-quantile of `values` by linear interpolation between closest ranks.

    The definition of spreadsheet `PERCENTILE.INC` (Excel, LibreOffice, Google Sheets), of
    PostgreSQL's `percentile_cont` and of NumPy's default: sort the n values, take the rank
    h = (n − 1)·p counted from 0, and interpolate between the values at floor(h) and ceil(h).
    With ten values 1…10 the 90th percentile is 9.1. The arithmetic is the order PostgreSQL
    uses (lo + (hi − lo)·fraction), so both backends give the same float.

    Returns:
        None for no values.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p
    low = math.floor(rank)
    high = math.ceil(rank)
    lo, hi = float(ordered[low]), float(ordered[high])
    return lo if low == high else lo + (hi - lo) * (rank - low)


@dataclass(frozen=True, slots=True)
class PriorityName:
    """A priority category as reports name it."""

    code: str
    name: str
    name_en: str

    @property
    def label(self) -> Name:
        """The category's name in both languages."""
        return Name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one group (or of the whole range) of a report.

    A visit is one ticket at one service. A transfer makes a second visit (the child ticket)
    for the same visitor, so a transferred visitor counts once per service: at the first as
    `transferred`, at the second as `transferred_in` and then by how that visit ended.
    Per group, `visitors + transferred_in` equals the sum of the outcomes
    (`served + no_shows + cancelled + transferred + expired + open`), and every count adds up
    over groups to the total.

    Attributes:
        visitors: new visitors: tickets issued for a visitor (kiosk, greeter, CLI); transfer
            children and kiosk print failures are not visitors.
        transferred_in: visits that came by transfer from another service.
        served: visits finished (`done`, whatever the outcome).
        no_shows: visitors who did not come when called.
        cancelled: tickets cancelled by a supervisor or the kiosk (print failures excluded).
        transferred: visits sent on to another service.
        expired: tickets still waiting when the business day was closed.
        open: still waiting, called or being served when the report was read.
        voided: kiosk print failures voided at once (the visitor never held the number and
            usually takes another ticket, so they are neither visitors nor cancellations).
        waited: visits with a wait (called at least once).
        wait_avg_seconds: mean wait, issue → first call.
        wait_p90_seconds: 90th percentile of the wait (see :func:`percentile`).
        timed: served visits with a service time.
        service_avg_seconds: mean service time of served visits, start → finish.
        service_p90_seconds: 90th percentile of the service time.
        within_standard: served visits whose service time was within the service's maximum.
        priority_total: new visitors with a priority category.
        priority: new visitors per priority category code, in the hall's category order.
    """

    visitors: int = 0
    transferred_in: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    transferred: int = 0
    expired: int = 0
    open: int = 0
    voided: int = 0
    waited: int = 0
    wait_avg_seconds: float | None = None
    wait_p90_seconds: float | None = None
    timed: int = 0
    service_avg_seconds: float | None = None
    service_p90_seconds: float | None = None
    within_standard: int = 0
    priority_total: int = 0
    priority: tuple[tuple[str, int], ...] = ()

    @property
    def visits(self) -> int:
        """Visits at this group's services: new visitors plus transfers in."""
        return self.visitors + self.transferred_in

    @property
    def within_standard_share(self) -> float | None:
        """Share (0–1) of served visits within the service's maximum time; None if none."""
        return self.within_standard / self.timed if self.timed else None

    def priority_count(self, code: str) -> int:
        """New visitors of one priority category."""
        return dict(self.priority).get(code, 0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: counts, durations in seconds, the share as a fraction."""
        return {
            "visitors": self.visitors,
            "transferred_in": self.transferred_in,
            "visits": self.visits,
            "served": self.served,
            "no_shows": self.no_shows,
            "cancelled": self.cancelled,
            "transferred": self.transferred,
            "expired": self.expired,
            "open": self.open,
            "voided": self.voided,
            "waited": self.waited,
            "wait_avg_seconds": self.wait_avg_seconds,
            "wait_p90_seconds": self.wait_p90_seconds,
            "timed": self.timed,
            "service_avg_seconds": self.service_avg_seconds,
            "service_p90_seconds": self.service_p90_seconds,
            "within_standard": self.within_standard,
            "within_standard_share": self.within_standard_share,
            "priority_total": self.priority_total,
            "priority": dict(self.priority),
        }


@dataclass
class Tally:
    """Additive sums of a group, for rolling groups up (the service layer fills it).

    Everything but the percentiles adds up; percentiles are set from the values themselves.
    """

    visitors: int = 0
    transferred_in: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    transferred: int = 0
    expired: int = 0
    open: int = 0
    voided: int = 0
    waited: int = 0
    wait_sum: float = 0.0
    timed: int = 0
    service_sum: float = 0.0
    within_standard: int = 0
    priority: dict[str, int] = field(default_factory=dict)
    wait_p90: float | None = None
    service_p90: float | None = None

    _COUNTS = (
        "visitors",
        "transferred_in",
        "served",
        "no_shows",
        "cancelled",
        "transferred",
        "expired",
        "open",
        "voided",
        "waited",
        "wait_sum",
        "timed",
        "service_sum",
        "within_standard",
    )

    def add(self, other: Tally) -> None:
        """Add another group's sums (percentiles are not additive and are left alone)."""
        for name in self._COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for code, n in other.priority.items():
            self.priority[code] = self.priority.get(code, 0) + n

    @classmethod
    def of(cls, tallies: Iterable[Tally]) -> Tally:
        """The sum of several tallies."""
        total = cls()
        for one in tallies:
            total.add(one)
        return total

    def figures(self, categories: Sequence[str]) -> Figures:
        """Frozen figures, with priority counts in `categories` order (then any others)."""
        codes = list(categories) + sorted(c for c in self.priority if c not in categories)
        return Figures(
            visitors=self.visitors,
            transferred_in=self.transferred_in,
            served=self.served,
            no_shows=self.no_shows,
            cancelled=self.cancelled,
            transferred=self.transferred,
            expired=self.expired,
            open=self.open,
            voided=self.voided,
            waited=self.waited,
            wait_avg_seconds=self.wait_sum / self.waited if self.waited else None,
            wait_p90_seconds=self.wait_p90,
            timed=self.timed,
            service_avg_seconds=self.service_sum / self.timed if self.timed else None,
            service_p90_seconds=self.service_p90,
            within_standard=self.within_standard,
            priority_total=sum(self.priority.values()),
            priority=tuple((code, self.priority.get(code, 0)) for code in codes),
        )


def _iso(value: date | datetime) -> str:
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One group of a report.

    Attributes:
        key: the group: an agency, service or counter code, an officer's username, the hour
            (0–23), the ISO weekday (1–7) or the business date; None for tickets no counter
            (or officer) ever held.
        label: the group's name in Indonesian; `label_en` in English.
    """

    key: str | int | date | None
    label: str
    label_en: str
    figures: Figures

    @property
    def name(self) -> Name:
        """The group's name in both languages."""
        return Name(self.label, self.label_en)

    def to_json(self) -> dict[str, Any]:
        """The key (dates in ISO 8601), the labels and the figures, flat."""
        key = _iso(self.key) if isinstance(self.key, date) else self.key
        return {"key": key, "label": self.label, "label_en": self.label_en} | (
            self.figures.to_json()
        )


@dataclass(frozen=True, slots=True)
class Report:
    """Figures per group over business dates `start`..`end` (inclusive), and their total."""

    hall_code: str
    hall_name: str
    start: date
    end: date
    by: ReportGroup
    agency: str | None
    service: str | None
    priority_categories: tuple[PriorityName, ...]
    rows: tuple[ReportRow, ...]
    total: Figures
    generated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (ISO 8601 dates)."""
        return {
            "hall": self.hall_code,
            "hall_name": self.hall_name,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "by": self.by.value,
            "agency": self.agency,
            "service": self.service,
            "priority_categories": [
                {"code": p.code, "name": p.name, "name_en": p.name_en}
                for p in self.priority_categories
            ],
            "rows": [row.to_json() for row in self.rows],
            "total": self.total.to_json(),
            "generated_at": _iso(self.generated_at),
        }


@dataclass(frozen=True, slots=True)
class MonthlyService:
    """One service's line of the monthly report.

    Attributes:
        days: business days with at least one visit at this service.
    """

    code: str
    name: str
    name_en: str
    max_minutes: int
    days: int
    figures: Figures

    @property
    def label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.name, self.name_en)

    def to_json(self) -> dict[str, Any]:
        """Code, names, standard, days and the figures, flat."""
        return {
            "code": self.code,
            "name": self.name,
            "name_en": self.name_en,
            "max_minutes": self.max_minutes,
            "days": self.days,
        } | self.figures.to_json()


@dataclass(frozen=True, slots=True)
class MonthlyAgency:
    """One agency of the monthly report: its subtotal and its services.

    Attributes:
        days: business days with at least one visit at this agency.
    """

    code: str
    name: str
    short_name: str
    days: int
    figures: Figures
    services: tuple[MonthlyService, ...]

    def to_json(self) -> dict[str, Any]:
        """Code, names, days, the subtotal's figures and the service lines."""
        return (
            {"code": self.code, "name": self.name, "short_name": self.short_name}
            | {"days": self.days}
            | self.figures.to_json()
            | {"services": [s.to_json() for s in self.services]}
        )


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    """What an MPP sends upward for one month: per agency and service, and the hall's total.

    Attributes:
        days_open: business days of the month on which the hall issued tickets.
    """

    hall_code: str
    hall_name: str
    year: int
    month: int
    start: date
    end: date
    agency: str | None
    days_open: int
    priority_categories: tuple[PriorityName, ...]
    agencies: tuple[MonthlyAgency, ...]
    total: Figures
    generated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (ISO 8601 dates)."""
        return {
            "hall": self.hall_code,
            "hall_name": self.hall_name,
            "month": f"{self.year:04d}-{self.month:02d}",
            "start": _iso(self.start),
            "end": _iso(self.end),
            "agency": self.agency,
            "days_open": self.days_open,
            "priority_categories": [
                {"code": p.code, "name": p.name, "name_en": p.name_en}
                for p in self.priority_categories
            ],
            "agencies": [a.to_json() for a in self.agencies],
            "total": self.total.to_json(),
            "generated_at": _iso(self.generated_at),
        }
