"""The date and time in the hall's time zone, ticking every second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from textual.widgets import Label

from mpp_tui.domain.dates import long_date
from mpp_tui.i18n import formats


class HallClock(Label):
    """ "Senin, 30 November 2026  09:00:12".

    The screen calls `use` once the hall is loaded: its time zone, and the services' clock (so
    a test's frozen clock freezes the screen too).
    """

    def __init__(self, lang: str, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.lang = lang
        self.tz: tzinfo | None = None
        self._now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def use(self, tz: tzinfo, now: Callable[[], datetime]) -> None:
        """Show time in `tz`, read from `now`."""
        self.tz, self._now = tz, now
        self.tick()

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """Redraw with the current time."""
        now = self._now().astimezone(self.tz) if self.tz else self._now().astimezone()
        clock = formats(self.lang).clock(now, seconds=True)
        self.update(f"{long_date(now.date(), self.lang)}  {clock}")
