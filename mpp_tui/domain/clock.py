"""Injectable clocks: all time in mpp-tui is UTC-aware and comes from one of these."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Something that tells the current UTC time."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The machine's clock, optionally corrected by an offset (e.g. to the database server)."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        """The current UTC time plus the offset."""
        return datetime.now(UTC) + self.offset


class FrozenClock:
    """A clock that only moves when told to; for tests, the demo and the simulator."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        """The frozen time."""
        return self._at

    def set(self, at: datetime) -> None:
        """Jump to `at` (timezone-aware)."""
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta given as keywords (minutes=5)."""
        self._at += timedelta(**delta)
        return self._at


class ScaledClock:
    """Simulated time running `speed` times faster than `base`, from a shared anchor: the
    clock of a simulation at a live speed, for the screens that watch it."""

    def __init__(
        self, *, real_anchor: datetime, sim_anchor: datetime, speed: float, base: Clock
    ) -> None:
        self.real_anchor = real_anchor
        self.sim_anchor = sim_anchor
        self.speed = speed
        self.base = base

    def now(self) -> datetime:
        """The simulated time that corresponds to the base clock's now."""
        return self.sim_anchor + (self.base.now() - self.real_anchor) * self.speed


def business_date(at: datetime, tz: str | ZoneInfo) -> date:
    """The MPP's local calendar date at instant `at`."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return at.astimezone(zone).date()
