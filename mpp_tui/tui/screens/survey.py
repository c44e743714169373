"""The SKM survey (PermenPANRB 14/2017): a visitor rates the service they just had.

Kiosk-style and usable with a numeric keypad: the visitor types their ticket number and Enter
(or, on a screen beside a counter, presses the number in front of their ticket among the ones
just finished there), then answers nine questions, one per screen, with the keys 1–4. Minus
(or Backspace) goes back one question, Escape abandons without saving anything. A thank-you
screen follows and the screen returns to the start. It never shows another visitor's answers;
beside a counter it lists only the ticket numbers just finished there (as the board does).
"""

from __future__ import annotations

import time
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from mpp_tui.domain.errors import DatabaseUnavailable, MppError
from mpp_tui.domain.skm import ANSWERS, ELEMENTS
from mpp_tui.domain.views import TicketView
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.text import hm, tr
from mpp_tui.tui.widgets.bigtext import BigText
from mpp_tui.tui.widgets.hallclock import HallClock

if TYPE_CHECKING:  # the services load in a worker, after the first paint
    from mpp_tui.services.survey import Survey

IDLE_RESET_S = 60.0  # a visitor who walks away mid-way: back to the start, nothing saved
RECENT_REFRESH_S = 30.0  # beside a counter: tickets leave the list when their window closes
RECENT_LIMIT = 5


class SurveyScreen(LiveScreen):
    """The survey's one screen, moving through its steps: start, questions, thanks."""

    PUBLIC = True  # visitors read it: no database detail on it

    MIN_INTERVAL_S = 1.0
    BINDINGS = [
        Binding("minus,backspace", "back", "key.back"),
        Binding("escape", "abandon", "survey.key.abandon"),
    ]

    class Booted(Message):
        """The hall is loaded (its name and time zone)."""

        def __init__(self, hall_name: str, tz: tzinfo) -> None:
            super().__init__()
            self.hall_name = hall_name
            self.tz = tz

    class RecentLoaded(Message):
        """The tickets just finished at this screen's counter."""

        def __init__(self, tickets: list[TicketView]) -> None:
            super().__init__()
            self.tickets = tickets

    class TicketReady(Message):
        """The visitor's ticket may be answered: the questions start."""

        def __init__(self, ticket: TicketView) -> None:
            super().__init__()
            self.ticket = ticket

    class Saved(Message):
        """The answers are in the database."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    class Refused(Message):
        """The survey cannot go on (unknown ticket, already answered, too late…)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, lang: str, *, counter: str | None = None) -> None:
        super().__init__(lang)
        self.counter = counter
        self.step = "start"  # start | question | thanks | message
        self.ticket: TicketView | None = None
        self.index = 0  # the question on screen (0–8)
        self.answers: list[int | None] = [None] * len(ELEMENTS)
        self.recent: list[TicketView] = []
        self.busy = False
        self._tz: tzinfo | None = None
        self._survey: Survey | None = None
        self._last_key = time.monotonic()
        self._reset_timer: Any = None
        self._note: str | None = None  # a hint that stays on the start screen (abandoned)

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="survey-head"):
            yield Label(tr(self, "survey.title"), id="survey-hall")
            yield HallClock(self.lang, id="survey-clock")
        yield Label("", id="survey-step")
        with ContentSwitcher(initial="survey-start", id="survey-switch"):
            with Vertical(id="survey-start"):
                yield Static("", id="survey-intro")
                with Center():
                    if self.counter is None:
                        yield Input(
                            placeholder=tr(self, "survey.code_placeholder"),
                            restrict=r"[A-Za-z0-9 \-]*",
                            max_length=8,
                            id="survey-code",
                        )
                    else:
                        yield OptionList(id="survey-recent")
            with Vertical(id="survey-question"):
                with Horizontal(id="survey-ticket-bar"):
                    yield Label("", id="survey-ticket")
                    yield Label("", id="survey-progress")
                yield Static("", id="survey-ask")
                with Horizontal(id="survey-answers"):
                    for value in ANSWERS:
                        with Vertical(id=f"survey-a{value}", classes="survey-answer"):
                            with Center():
                                yield BigText(str(value))
                            yield Static("", classes="survey-answer-label")
            with Vertical(id="survey-thanks"):
                with Center():
                    yield BigText(tr(self, "survey.thanks"), id="survey-thanks-big")
                yield Static("", id="survey-thanks-text")
            with Vertical(id="survey-message"):
                yield Static("", id="survey-message-text")
        yield Label("", id="survey-hint")

    def on_mount(self) -> None:
        self.set_interval(5.0, self._check_idle)
        self._show_start()
        self.boot()
        if self.counter is not None:
            self.set_interval(RECENT_REFRESH_S, self.reload)
            self.start_live()

    # --- loading ------------------------------------------------------------------------------

    def _service(self) -> Survey:
        """The survey service, built on first use from the app's queue service (in a worker)."""
        if self._survey is None:
            from mpp_tui.services.facade import Hall

            queue = self.backend.hall
            self._survey = Hall(queue.engine, hall=queue.ref().hall_code, clock=queue.clock).survey
        return self._survey

    @work(thread=True, exclusive=True, group="survey-boot", exit_on_error=False)
    def boot(self) -> None:
        ref = self._service().ctx.ref()
        self.post_message(self.Booted(ref.hall_name, ref.tz))
        if self.counter is not None:
            self._post_recent()

    def reload(self) -> None:
        if self.counter is not None:
            self.load_recent()

    @work(thread=True, exclusive=True, group="survey-recent", exit_on_error=False)
    def load_recent(self) -> None:
        self._post_recent()

    def _post_recent(self) -> None:
        tickets = self._service().latest_finished(counter=self.counter, limit=RECENT_LIMIT)
        self.post_message(self.RecentLoaded(tickets))

    def on_survey_screen_booted(self, message: Booted) -> None:
        self._tz = message.tz
        title = tr(self, "survey.title")
        self.query_one("#survey-hall", Label).update(Text(f"{message.hall_name} · {title}"))
        self.query_one(HallClock).use(message.tz, self._service().ctx.now)

    def on_survey_screen_recent_loaded(self, message: RecentLoaded) -> None:
        self.recent = message.tickets
        if self.step == "start":
            self._show_recent()

    def connection_changed(self, online: bool) -> None:
        if not online:
            self.notify(tr(self, "err.public_unavailable"), severity="warning")

    # --- the start ----------------------------------------------------------------------------

    def _show_start(self) -> None:
        self.step, self.ticket, self.index = "start", None, 0
        self.answers = [None] * len(ELEMENTS)
        self.query_one("#survey-ticket", Label).update("")  # nothing of the last visitor stays
        self.query_one("#survey-switch", ContentSwitcher).current = "survey-start"
        step = self.query_one("#survey-step", Label)
        intro = self.query_one("#survey-intro", Static)
        if self.counter is None:
            step.update(tr(self, "survey.step.code"))
            intro.update(tr(self, "survey.intro.code"))
            code = self.query_one("#survey-code", Input)
            code.value = ""
            code.focus()
            self._hint("survey.hint.code")
        else:
            step.update(tr(self, "survey.step.pick", counter=self.counter))
            self._show_recent()
            self.query_one("#survey-recent", OptionList).focus()

    def _show_recent(self) -> None:
        options = self.query_one("#survey-recent", OptionList)
        intro = self.query_one("#survey-intro", Static)
        rows = [
            Option(Text(f" {n}   {tk.code:<7} {self._finished(tk)}"), id=str(tk.id))
            for n, tk in enumerate(self.recent, start=1)
        ]
        options.set_options(rows)
        options.display = bool(rows)
        if rows:
            options.highlighted = 0
            intro.update(tr(self, "survey.intro.pick"))
            self._hint("survey.hint.pick")
        else:
            intro.update(tr(self, "survey.none_recent", counter=self.counter))
            self._hint("survey.hint.wait")

    def _finished(self, ticket: TicketView) -> str:
        if self._tz is None or ticket.finished_at is None:
            return ""
        return tr(self, "survey.finished_at", time=hm(ticket.finished_at, self._tz, self.lang))

    @on(Input.Submitted, "#survey-code")
    def _code_entered(self, event: Input.Submitted) -> None:
        event.stop()
        code = event.value.strip()
        if code and not self.busy:
            self._check(code)

    @on(OptionList.OptionSelected, "#survey-recent")
    def _recent_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None and not self.busy:
            self._check(int(event.option.id))

    def _check(self, ticket: str | int) -> None:
        self.busy = True
        self._note = None
        self._hint("survey.checking")
        self.check_ticket(ticket)

    @work(thread=True, exclusive=True, group="survey-check", exit_on_error=False)
    def check_ticket(self, ticket: str | int) -> None:
        try:
            view = self._service().surveyable(code_or_id=ticket)
        except DatabaseUnavailable:
            raise
        except MppError as exc:
            self.post_message(self.Refused(exc.message(self.lang)))
            return
        self.post_message(self.TicketReady(view))

    def on_survey_screen_ticket_ready(self, message: TicketReady) -> None:
        self.busy = False
        self._note = None
        self.ticket = message.ticket
        self.step, self.index = "question", 0
        self.answers = [None] * len(ELEMENTS)
        self.query_one("#survey-switch", ContentSwitcher).current = "survey-question"
        self.set_focus(None)  # keys 1–4 answer; nothing may type them into the hidden input
        tk = message.ticket
        service = tk.service_label.pick(self.lang)
        self.query_one("#survey-ticket", Label).update(
            Text(tr(self, "survey.ticket", ticket=tk.code, service=service))
        )
        self._show_question()

    # --- the questions ------------------------------------------------------------------------

    def _show_question(self) -> None:
        element = ELEMENTS[self.index]
        total = len(ELEMENTS)
        self.query_one("#survey-step", Label).update(
            Text(tr(self, "survey.step.question", n=self.index + 1, total=total))
        )
        done = self.index
        self.query_one("#survey-progress", Label).update(
            f"{'●' * done}{'○' * (total - done)} {self.index + 1}/{total}"
        )
        self.query_one("#survey-ask", Static).update(
            f"[b]{escape(element.label(self.lang))}[/b]\n{escape(element.ask(self.lang))}"
        )
        chosen = self.answers[self.index]
        for value in ANSWERS:
            box = self.query_one(f"#survey-a{value}", Vertical)
            box.set_class(value == chosen, "-chosen")
            mark = "✓ " if value == chosen else ""
            box.query_one(".survey-answer-label", Static).update(
                Text(mark + element.answer(value, self.lang))
            )
        self._hint("survey.hint.question" if self.index else "survey.hint.first_question")

    def answer(self, value: int) -> None:
        """Record `value` for the question on screen and move on (saving after the last)."""
        if self.step != "question" or self.busy or self.ticket is None:
            return
        self.answers[self.index] = value
        if self.index + 1 < len(ELEMENTS):
            self.index += 1
            self._show_question()
            return
        self.busy = True
        self._show_question()  # the last answer shows as chosen while it is saved
        self._hint("survey.saving")
        answers = [a for a in self.answers if a is not None]
        self.save(self.ticket.id, self.ticket.code, answers)

    @work(thread=True, exclusive=True, group="survey-save", exit_on_error=False)
    def save(self, ticket_id: int, code: str, answers: list[int]) -> None:
        try:
            self._service().record(ticket=ticket_id, answers=answers)
        except DatabaseUnavailable:
            raise
        except MppError as exc:
            self.post_message(self.Refused(exc.message(self.lang)))
            return
        self.post_message(self.Saved(code))

    def on_survey_screen_saved(self, message: Saved) -> None:
        self.busy = False
        self.step = "thanks"
        self.ticket, self.answers = None, [None] * len(ELEMENTS)  # nothing of theirs stays
        self.query_one("#survey-switch", ContentSwitcher).current = "survey-thanks"
        self.set_focus(None)
        self.query_one("#survey-step", Label).update("")
        self.query_one("#survey-thanks-text", Static).update(
            Text(tr(self, "survey.thanks.detail", ticket=message.code))
        )
        self._schedule_reset()
        self.reload()

    def on_survey_screen_refused(self, message: Refused) -> None:
        self.busy = False
        self._show_message(message.text)

    def worker_failed(self, worker: Any, error: BaseException) -> None:
        super().worker_failed(worker, error)
        if worker.group in ("survey-check", "survey-save"):
            self.busy = False
            self._show_message(tr(self, "survey.try_again"))

    def _show_message(self, text: str) -> None:
        self.step = "message"
        self.ticket, self.answers = None, [None] * len(ELEMENTS)
        self.query_one("#survey-switch", ContentSwitcher).current = "survey-message"
        self.set_focus(None)
        self.query_one("#survey-step", Label).update(tr(self, "survey.sorry"))
        self.query_one("#survey-message-text", Static).update(Text(text))
        self._schedule_reset()

    # --- keys ---------------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        self._last_key = time.monotonic()
        if self.step in ("thanks", "message"):
            if not self.busy:  # any key: back to the start
                event.stop()
                event.prevent_default()
                self.restart()
            return
        digit = event.character if event.character and event.character.isdigit() else None
        if digit is None:
            return
        if self.step == "question":
            event.stop()
            event.prevent_default()
            if int(digit) in ANSWERS:
                self.answer(int(digit))
        elif self.step == "start" and self.counter is not None:
            event.stop()
            event.prevent_default()
            n = int(digit)
            if 1 <= n <= len(self.recent) and not self.busy:
                self._check(self.recent[n - 1].id)

    def action_back(self) -> None:
        """One question back; from the first question, back to the start (nothing saved)."""
        if self.busy:
            return
        if self.step == "question":
            if self.index > 0:
                self.index -= 1
                self._show_question()
            else:
                self.restart()
        elif self.step in ("thanks", "message"):
            self.restart()

    def action_abandon(self) -> None:
        """Leave the survey without saving anything."""
        if self.busy:
            return
        self._note = "survey.abandoned" if self.step == "question" else None
        self.restart()

    def restart(self) -> None:
        """Back to the start; whatever was answered is forgotten."""
        if self._reset_timer is not None:
            self._reset_timer.stop()
            self._reset_timer = None
        self._show_start()
        self.reload()

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_key
        if idle < IDLE_RESET_S or self.busy:
            return
        typed = self.counter is None and bool(self.query_one("#survey-code", Input).value)
        if self.step == "question" or typed:
            self.restart()

    def _schedule_reset(self) -> None:
        seconds = self.backend.kiosk_reset_s
        self.query_one("#survey-hint", Label).update(tr(self, "survey.hint.reset", s=int(seconds)))
        if self._reset_timer is not None:
            self._reset_timer.stop()
        self._reset_timer = self.set_timer(seconds, self.restart)

    def _hint(self, key: str) -> None:
        shown = self._note if self._note is not None and self.step == "start" else key
        self.query_one("#survey-hint", Label).update(tr(self, shown))
