"""The hall board (`mpp board`): the ticket just called in big letters, the last calls, who is
being served at each counter, how many wait per agency, the date, the clock and a running text.

It reads the append-only call events: a recall shows (and is announced) again, and a board that
restarts shows the last calls without announcing them again.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import Label, Static

from mpp_tui.domain.calls import CallCursor
from mpp_tui.domain.enums import CounterState
from mpp_tui.domain.views import BoardState, CallView, CounterView
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.text import hm, tr
from mpp_tui.tui.widgets.bigtext import BigText
from mpp_tui.tui.widgets.hallclock import HallClock

if TYPE_CHECKING:
    from mpp_tui.domain.reference import Reference

FLASH_TOGGLES = 8  # a new call blinks the hero panel this many times...
FLASH_STEP_S = 0.4  # ...this far apart
MARQUEE_STEP_S = 0.2  # the running text moves one character this often
FALLBACK_REFRESH_S = 15.0  # waiting counts and the served list, even when the feed is quiet
CELL = 12  # width of one counter in the "now serving" grid ("L01 AB-001" and a space)
SERVING_SHARE = 0.45  # the "now serving" grid takes at most this share of the screen's height


class BoardScreen(LiveScreen):
    """The hall's TV."""

    PUBLIC = True  # visitors read it: no database detail on it

    MIN_INTERVAL_S = 0.2  # a call shows within the feed's delay plus this

    class Loaded(Message):
        def __init__(self, state: BoardState, fresh: list[CallView], ref: Reference) -> None:
            super().__init__()
            self.ref = ref  # read in the worker: the event loop never waits on the database
            self.state = state
            self.fresh = fresh

    def __init__(self, lang: str, *, zone: str | None = None, agency: str | None = None) -> None:
        super().__init__(lang)
        self.zone = zone
        self.agency = agency
        self.cursor = CallCursor()
        self.state: BoardState | None = None
        self.hero: CallView | None = None
        self.tz: tzinfo = UTC  # the hall's, from the first load
        self._loading = False
        self._dirty = False
        self._flash_left = 0
        self._marquee = 0
        self._voice_told = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="board-head"):
            yield Label("", id="board-hall")
            yield Label("", id="board-online")
            yield HallClock(self.lang, id="board-clock")
        with Horizontal(id="board-top"):
            with Vertical(id="board-hero"):
                yield Label(tr(self, "board.now_calling"), id="board-hero-title")
                with Center():
                    yield BigText("---", id="board-code")
                with Center():
                    yield BigText("", id="board-counter")
                yield Label("", id="board-service")
            with Vertical(id="board-recent-box"):
                yield Label(tr(self, "board.recent"), classes="panel-title")
                yield Static("", id="board-recent")
        with Vertical(id="board-serving-box"):
            yield Label(tr(self, "board.serving"), classes="panel-title")
            yield Static("", id="board-serving")
        yield Static("", id="board-waiting")
        yield Static("", id="board-marquee")

    def on_mount(self) -> None:
        self.set_interval(MARQUEE_STEP_S, self._scroll_marquee)
        self.set_interval(FALLBACK_REFRESH_S, self.reload)
        self.reload()
        self.start_live()

    def _tell_voice_problem(self) -> None:
        """Once, after the first load (the backend exists only once the database answered)."""
        announcer = self.backend.announcer
        if announcer is not None and not announcer.available and not self._voice_told:
            self._voice_told = True
            self.notify(announcer.problem or "", severity="warning", timeout=15)

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the board; bursts of changes coalesce into one more load after the running one."""
        if self._loading:
            self._dirty = True
            return
        self._loading, self._dirty = True, False
        self.load_board()

    @work(thread=True, group="board", exit_on_error=False)
    def load_board(self) -> None:
        try:
            queue = self.backend.hall
            state = queue.public.board(
                zone=self.zone,
                agency=self.agency,
                recent=max(4, self.size.height // 2 - 1),  # as many as the box shows
                **self.cursor.query(),
            )
            fresh = self.cursor.take(state)
            self.post_message(self.Loaded(state, fresh, queue.ref()))
        finally:
            self._loading = False
            if self._dirty:
                self.app.call_from_thread(self.reload)

    def on_board_screen_loaded(self, message: Loaded) -> None:
        first = self.state is None
        state = self.state = message.state
        self.tz = message.ref.tz
        if first:
            queue = self.backend.hall
            self.query_one(HallClock).use(message.ref.tz, queue.now)
            self.query_one("#board-hall", Label).update(Text(state.hall_name))
            self._tell_voice_problem()
        if message.fresh:
            self.hero = message.fresh[-1]
            self._announce(message.fresh)
            self._flash()
        elif self.hero is None and state.recent:
            self.hero = state.recent[0]
        self._paint_hero()
        self._paint_recent(state)
        self._paint_serving(state.counters)
        self._paint_waiting(state)
        if first:
            self._scroll_marquee()

    def connection_changed(self, online: bool) -> None:
        self.query_one("#board-online", Label).update("" if online else tr(self, "board.offline"))

    # --- painting -----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._paint_hero()

    def _paint_hero(self) -> None:
        code = self.query_one("#board-code", BigText)
        counter = self.query_one("#board-counter", BigText)
        service = self.query_one("#board-service", Label)
        width, height = self.size.width, self.size.height
        if height >= 45 and width >= 140:
            code.scale, counter.scale = 5, 3
        elif height >= 36 and width >= 100:
            code.scale, counter.scale = 3, 2
        else:
            code.scale, counter.scale = 2, 1
        if self.hero is None:
            code.text, counter.text = "---", ""
            service.update(tr(self, "board.no_calls"))
            return
        call = self.hero
        code.text = call.code
        counter.text = counter_word(call, self.lang)
        name = call.service_label.pick(self.lang)
        service.update(Text(f"{name} · {call.counter_name}"))

    def _paint_recent(self, state: BoardState) -> None:
        tz = self.tz
        lines = []
        for call in state.recent:
            again = f" {tr(self, 'board.again')}" if call.recall else ""
            at = hm(call.at, tz, self.lang)
            lines.append(f"{call.code:<6}→ {call.counter_name:<8} {at}{again}")
        text = "\n".join(lines) if lines else tr(self, "board.no_calls")
        self.query_one("#board-recent", Static).update(Text(text))

    def _paint_serving(self, counters: tuple[CounterView, ...]) -> None:
        box = self.query_one("#board-serving", Static)
        per_row = max((self.size.width - 4) // CELL, 1)
        cells = []
        for c in counters:
            if c.active is not None:
                what = c.active.code
            elif c.state is CounterState.PAUSED:
                what = tr(self, "board.paused")
            elif c.state is CounterState.CLOSED:
                what = "—"
            else:
                what = tr(self, "board.free")
            cells.append(f"{c.code:<3} {what}"[: CELL - 1].ljust(CELL - 1))
        rows = [" ".join(cells[i : i + per_row]) for i in range(0, len(cells), per_row)]
        fits = max(int(self.size.height * SERVING_SHARE) - 3, 1)  # less the border and title
        if len(rows) > fits:  # never cut counters off silently
            hidden = len(cells) - (fits - 1) * per_row
            rows = [*rows[: fits - 1], tr(self, "board.more_counters", n=hidden)]
        box.update(Text("\n".join(rows)))

    def _paint_waiting(self, state: BoardState) -> None:
        parts = [f"{w.short_name} {w.waiting}" for w in state.waiting if w.waiting]
        if not parts:
            parts = [tr(self, "board.nobody_waiting")]
        # Wrapped by hand so that a name never ends a line without its count.
        width = max(self.size.width - 2, 20)
        lines = [tr(self, "board.waiting") + " " + parts[0]]
        for part in parts[1:]:
            if len(lines[-1]) + 3 + len(part) > width:
                lines.append(part)
            else:
                lines[-1] += " · " + part
        self.query_one("#board-waiting", Static).update(Text("\n".join(lines)))

    def _scroll_marquee(self) -> None:
        text = self._running_text()
        if not text:
            return
        width = max(self.size.width - 2, 10)
        loop = text + "   •   "
        self._marquee %= len(loop)
        shown = (loop[self._marquee :] + loop * (width // len(loop) + 2))[:width]
        self._marquee += 1
        self.query_one("#board-marquee", Static).update(Text(shown))

    def _running_text(self) -> str:
        custom = self.backend.board_text if self.state is not None else None
        return custom or (self.state.running_text if self.state else "")

    # --- a new call ---------------------------------------------------------------------------

    def _flash(self) -> None:
        self._flash_left = FLASH_TOGGLES
        self.query_one("#board-hero-title", Label).update(tr(self, "board.new_call"))
        self._flash_step()

    def _flash_step(self) -> None:
        hero = self.query_one("#board-hero")
        if self._flash_left <= 0:
            hero.remove_class("-flash")
            self.query_one("#board-hero-title", Label).update(tr(self, "board.now_calling"))
            return
        hero.toggle_class("-flash")
        self._flash_left -= 1
        self.set_timer(FLASH_STEP_S, self._flash_step)

    def _announce(self, calls: list[CallView]) -> None:
        announcer = self.backend.announcer
        if announcer is None:
            return
        for call in calls:
            announcer.say(call.code, call.counter_code, call.counter_name)


def counter_word(call: CallView, lang: str) -> str:
    """ "LOKET 3" from counter L03 (the digits of its code), else the counter's name."""
    digits = "".join(ch for ch in call.counter_code if ch.isdigit())
    word = "COUNTER" if lang == "en" else "LOKET"
    return f"{word} {int(digits)}" if digits else call.counter_name.upper()
