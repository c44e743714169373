"""Durations and local hours computed by the database, the same way on both backends.

Turning every timestamp of a busy day into a Python object costs more than the query that
reads it, so reports and the supervisor's snapshot let the database do the arithmetic.
SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' text (see mpp_tui.db.types).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, cast, extract, func

_US = 1_000_000


def _sqlite_micros(stamp: Any) -> Any:
    # Whole seconds come from strftime on the text without its fraction (strftime rounds to
    # milliseconds, which would turn .9996 into the next second), microseconds from the text:
    # exact, unlike julianday.
    seconds = cast(func.strftime("%s", func.substr(stamp, 1, 19)), Integer)
    return seconds * _US + cast(func.substr(stamp, 21, 6), Integer)


def whole_seconds(pg: bool, start: Any, end: Any) -> Any:
    """Whole seconds from `start` to `end`, truncated like int()."""
    if pg:
        return cast(func.trunc(extract("epoch", end - start)), Integer)
    return (_sqlite_micros(end) - _sqlite_micros(start)) // _US


def exact_seconds(pg: bool, start: Any, end: Any) -> Any:
    """Seconds from `start` to `end` with their fraction (to the microsecond)."""
    if pg:
        return cast(extract("epoch", end - start), Float)
    return cast(_sqlite_micros(end) - _sqlite_micros(start), Float) / _US


def local_hour(pg: bool, stamp: Any, tz: ZoneInfo, day: date) -> Any:
    """The hour of `stamp` in the hall's zone. SQLite has no zones: the day's offset (taken at
    local noon) shifts it, which is exact for Indonesia's zones (no daylight saving)."""
    if pg:
        return cast(extract("hour", func.timezone(tz.key, stamp)), Integer)
    offset = datetime.combine(day, time(12), tzinfo=tz).utcoffset() or timedelta(0)
    return cast(
        func.strftime("%H", stamp, f"{int(offset.total_seconds() // 60):+d} minutes"), Integer
    )
