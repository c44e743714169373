"""Numbers, clock times, dates and durations as each language writes them, in one place.

Indonesian writes ``1.234,5`` and ``08.05`` (PUEBI), English ``1,234.5`` and ``08:05``; both use a
24-hour clock, and a duration reads ``m:ss`` in both. Each language is one small module
(:mod:`.id`, :mod:`.en`) filling :class:`Formats`.

Babel is not used: it would bring some 30 MB of CLDR data to every kiosk and counter PC for two
languages, its English defaults (12-hour ``8:05 AM``, ``en_US`` dates) are not what a hall in
Indonesia shows, so every pattern would be overridden anyway, and its output for a locale changes
with CLDR releases, which would churn the screen snapshots and printer goldens. What mpp needs is
a few separators, day and month names and one plural rule: less code than configuring Babel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Protocol, runtime_checkable

_CANONICAL_CLOCK = re.compile(r"\b(\d{2}):(\d{2})\b")


@dataclass(frozen=True, slots=True)
class Formats:
    """How one language writes numbers, times, dates and plurals.

    Args:
        thousands: the digit-group separator ("." or ",").
        decimal_mark: the decimal separator ("," or ".").
        time_mark: between hours and minutes ("." or ":").
        days: weekday names, Monday first.
        months: month names, January first.
        is_one: whether a count takes the singular form (Indonesian: never).
    """

    thousands: str
    decimal_mark: str
    time_mark: str
    days: Sequence[str]
    months: Sequence[str]
    is_one: Callable[[float], bool]

    def integer(self, n: int) -> str:
        """A whole number with digit groups: 1.234 / 1,234."""
        return f"{n:,}".replace(",", self.thousands)

    def rupiah(self, amount: int) -> str:
        """A fee: Rp30.000 / Rp30,000."""
        return "Rp" + self.integer(amount)

    def decimal(self, value: float, digits: int = 1) -> str:
        """A number with `digits` decimals: 1.234,5 / 1,234.5."""
        text = f"{value:,.{digits}f}"
        return text.translate({ord(","): self.thousands, ord("."): self.decimal_mark})

    def percent(self, share: float, digits: int = 0) -> str:
        """A share (0..1) as a percentage: 87,5% / 87.5%."""
        return self.decimal(share * 100, digits) + "%"

    def clock(self, moment: time | datetime, *, seconds: bool = False) -> str:
        """A 24-hour clock time: 08.05 / 08:05 (with seconds: 08.05.09 / 08:05:09)."""
        mark = self.time_mark
        text = f"{moment.hour:02d}{mark}{moment.minute:02d}"
        return f"{text}{mark}{moment.second:02d}" if seconds else text

    def local_clock(self, moment: datetime | None, tz: tzinfo, *, seconds: bool = False) -> str:
        """`moment` as a clock time in the hall's time zone; empty for None."""
        return "" if moment is None else self.clock(moment.astimezone(tz), seconds=seconds)

    def clocks_in(self, text: str) -> str:
        """`text` with every canonical HH:MM in it written this language's way.

        Views carry opening hours as canonical text ("08:00–15:00") because the service that
        builds them does not know who will read them; the screen converts them here.
        """
        return _CANONICAL_CLOCK.sub(rf"\1{self.time_mark}\2", text)

    def long_date(self, day: date) -> str:
        """ "Senin, 30 November 2026" / "Monday, 30 November 2026"."""
        return f"{self.days[day.weekday()]}, {day.day} {self.months[day.month - 1]} {day.year}"

    def plural(self, n: float, one: str, other: str) -> str:
        """`one` or `other` for the count `n`, with "#" replaced by the formatted count."""
        form = one if self.is_one(n) else other
        shown = self.integer(n) if isinstance(n, int) else self.decimal(n)
        return form.replace("#", shown)


def duration(seconds: float | None) -> str:
    """A stopwatch duration, the same in both languages: 0:42, 12:05, 72:05; empty for None.

    Minutes are not folded into hours so that a column headed m:ss always holds m:ss.
    """
    if seconds is None:
        return ""
    minutes, secs = divmod(max(int(seconds), 0), 60)
    return f"{minutes}:{secs:02d}"


def formats(lang: str) -> Formats:
    """The formats of `lang` ("en", or Indonesian for anything else)."""
    from mpp_tui.i18n.formats import en as english
    from mpp_tui.i18n.formats import id as indonesian

    return english.FORMATS if lang.strip().lower()[:2] == "en" else indonesian.FORMATS


@runtime_checkable
class Localised(Protocol):
    """A message parameter that renders itself in the reader's language (see domain.errors)."""

    def render(self, lang: str) -> str:
        """The value in `lang`."""
        ...


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A local clock time given to a message, written in the reader's language (08.05 / 08:05)."""

    at: time

    def render(self, lang: str) -> str:
        """The time in `lang`."""
        return formats(lang).clock(self.at)

    def __str__(self) -> str:
        return self.render("id")


@dataclass(frozen=True, slots=True)
class ClockText:
    """Text holding canonical HH:MM times (opening hours), written in the reader's language."""

    text: str

    def render(self, lang: str) -> str:
        """The text with its times in `lang`."""
        return formats(lang).clocks_in(self.text)

    def __str__(self) -> str:
        return self.render("id")
