"""Formatting shared by the screens: translation from any widget, times and durations."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.message_pump import MessagePump

from mpp_tui.i18n import t


def tr(node: MessagePump, key: str, **params: object) -> str:
    """Translate `key` into the running app's language."""
    return t(key, getattr(node.app, "lang", "id"), **params)


def clock_text(moment: datetime, tz: tzinfo) -> str:
    """HH:MM:SS in the hall's time zone."""
    return moment.astimezone(tz).strftime("%H:%M:%S")


def hm(moment: datetime | None, tz: tzinfo) -> str:
    """HH:MM in the hall's time zone, or an empty string."""
    return moment.astimezone(tz).strftime("%H:%M") if moment else ""


def duration(seconds: float | None) -> str:
    """A compact duration: 0:42, 12:05, 1:02:05; empty for None."""
    if seconds is None:
        return ""
    total = max(int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes_between(start: datetime | None, end: datetime) -> int:
    """Whole minutes from `start` to `end` (0 when unknown or negative)."""
    if start is None:
        return 0
    return max(int((end - start).total_seconds() // 60), 0)
