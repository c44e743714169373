"""One hall's reference data as frozen values: loaded whole, replaced whole, never edited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from mpp_tui.domain.names import Name
from mpp_tui.domain.rules import Schedule


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """A service of the hall, with the hours that apply to it (its own, its agency's or the
    hall's)."""

    id: int
    code: str
    name: str
    name_en: str
    agency_id: int
    prefix: str
    max_minutes: int
    daily_quota: int | None
    schedule: Schedule
    active: bool

    @property
    def label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class AgencyRef:
    """An agency (instansi) of the hall."""

    id: int
    code: str
    name: str
    short_name: str
    daily_quota: int | None


@dataclass(frozen=True, slots=True)
class CounterRef:
    """A counter (loket) and the services it calls."""

    id: int
    code: str
    name: str
    agency_id: int | None
    zone: str | None
    services: frozenset[int]
    active: bool


@dataclass(frozen=True, slots=True)
class OutcomeRef:
    """How a finished service ended (`selesai`, `berkas_tidak_lengkap`, …)."""

    code: str
    name: Name
    needs_note: bool


@dataclass(frozen=True, slots=True)
class PriorityRef:
    """A priority category (UU 25/2009 Pasal 29: `lansia`, `disabilitas`, …)."""

    code: str
    name: Name


@dataclass(frozen=True, slots=True)
class Reference:
    """A snapshot of one hall's reference data.

    The mappings are read-only views: a change to reference data builds a new Reference, so a
    screen holding one never sees it change half-way.
    """

    hall_id: int
    hall_code: str
    hall_name: str
    tz: ZoneInfo
    priority_burst: int
    reactivate_grace_minutes: int
    no_show_min_calls: int
    running_text: str
    services: Mapping[int, ServiceRef]
    agencies: Mapping[int, AgencyRef]
    counters: Mapping[int, CounterRef]
    outcomes: Mapping[str, OutcomeRef]
    priorities: Mapping[str, PriorityRef]
    officers: Mapping[int, str] = field(default_factory=dict)
    loaded_at: float = 0.0
    idle_signout_minutes: int = 0  # a counter screen signs out after so long without a key

    def service_by_code(self, code: str) -> ServiceRef | None:
        """The service with `code` (any case), or None."""
        wanted = code.strip().upper()
        return next((s for s in self.services.values() if s.code == wanted), None)

    def counter_by_code(self, code: str) -> CounterRef | None:
        """The counter with `code` (any case), or None."""
        wanted = code.strip().upper()
        return next((c for c in self.counters.values() if c.code == wanted), None)

    def agency_by_code(self, code: str) -> AgencyRef | None:
        """The agency with `code` (any case), or None."""
        wanted = code.strip().upper()
        return next((a for a in self.agencies.values() if a.code == wanted), None)

    def officer_id(self, username: str) -> int | None:
        """The id of this hall's officer `username`, or None."""
        wanted = username.strip().lower()
        return next((oid for oid, name in self.officers.items() if name == wanted), None)
