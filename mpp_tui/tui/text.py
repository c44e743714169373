"""Formatting shared by the screens: translation from any widget, times and durations."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.message_pump import MessagePump

from mpp_tui.i18n import duration, formats, t

__all__ = ["clock_text", "duration", "hm", "lang_of", "minutes_between", "tr"]


def tr(node: MessagePump, key: str, **params: object) -> str:
    """Translate `key` into the running app's language."""
    return t(key, lang_of(node), **params)


def lang_of(node: MessagePump) -> str:
    """The running app's language."""
    return str(getattr(node.app, "lang", "id"))


def clock_text(moment: datetime, tz: tzinfo, lang: str) -> str:
    """The time with seconds in the hall's time zone: 08.05.09 / 08:05:09."""
    return formats(lang).local_clock(moment, tz, seconds=True)


def hm(moment: datetime | None, tz: tzinfo, lang: str) -> str:
    """Hours and minutes in the hall's time zone (08.05 / 08:05), or an empty string."""
    return formats(lang).local_clock(moment, tz)


def minutes_between(start: datetime | None, end: datetime) -> int:
    """Whole minutes from `start` to `end` (0 when unknown or negative)."""
    if start is None:
        return 0
    return max(int((end - start).total_seconds() // 60), 0)
