"""Views of the supervisor's picture of the hall (the screen, `mpp status`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mpp_tui.domain.views import AccountState, CounterView, ServiceLoad, _View

OFFLINE_AFTER_S = 90
"""A counter whose screen has not been heard from for this long is shown offline (the screen
sends a heartbeat every 30 s)."""
LONG_WAIT_MINUTES = 45
"""Waits longer than this are highlighted."""
CROWD_MIN_WAITING = 3
CROWD_FACTOR = 1.5
"""A service is crowded when at least CROWD_MIN_WAITING wait and more than CROWD_FACTOR times
the average of the services people wait for."""


@dataclass(frozen=True, slots=True)
class CounterLoad(_View):
    """A counter's state and its day, for the supervisor."""

    counter: CounterView
    offline: bool  # open (or paused) but its screen has gone quiet
    served_today: int
    avg_service_seconds: int | None
    idle_since: datetime | None  # open, holding no ticket, since this moment
    last_seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class ServiceHealth(_View):
    """A service's queue today, with the flags a supervisor acts on."""

    load: ServiceLoad
    avg_wait_seconds: int | None  # issue → call, of the tickets called today
    over_standard: int  # finished today, or serving now, past the service's maximum time
    crowded: bool
    long_wait: bool


@dataclass(frozen=True, slots=True)
class HallOverview(_View):
    """Everything `mpp supervisor` and `mpp status` show, read in one go."""

    hall_name: str
    now: datetime
    counters: tuple[CounterLoad, ...]
    services: tuple[ServiceHealth, ...]
    arrivals_by_hour: tuple[int, ...]  # 24 values, local hours
    calls_by_hour: tuple[int, ...]
    viewer: AccountState | None = None  # the asking screen's officer, when named


@dataclass(frozen=True, slots=True)
class HistoryLine(_View):
    """One line of a counter's day: a session change or something done with a ticket."""

    at: datetime
    kind: str  # a counter event (opened, paused…) or a ticket event (called, finished…)
    ticket: str | None
    officer: str | None
    detail: str | None
