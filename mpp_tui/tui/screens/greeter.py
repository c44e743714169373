"""The greeter's desk (`mpp kiosk --greeter`): a receptionist types part of a service's name,
picks it with Enter, answers the priority question with one key, and the ticket is issued."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from mpp_tui.domain.views import KioskMenu, KioskService
from mpp_tui.tui.dialogs.choices import Choice, ChoiceDialog, Picked
from mpp_tui.tui.dialogs.transfer import ServiceOption, match_rank
from mpp_tui.tui.issuing import Issued, issue_and_print
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.screens.kiosk import ellipsis, hours_of
from mpp_tui.tui.text import tr
from mpp_tui.tui.widgets.hallclock import HallClock

if TYPE_CHECKING:
    from mpp_tui.domain.reference import Reference

HISTORY = 12  # tickets issued at this desk, listed newest first


class GreeterScreen(LiveScreen):
    """Search-as-you-type issuing for a receptionist."""

    MIN_INTERVAL_S = 2.0
    BINDINGS = [Binding("escape", "clear", "key.clear", show=False)]

    class MenuLoaded(Message):
        def __init__(self, menu: KioskMenu, ref: Reference) -> None:
            super().__init__()
            self.ref = ref  # read in the worker: the event loop never waits on the database
            self.menu = menu

    class TicketDone(Message):
        def __init__(self, result: Issued, service: KioskService) -> None:
            super().__init__()
            self.result = result
            self.service = service

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.menu: KioskMenu | None = None
        self.services: list[KioskService] = []
        self.history: list[str] = []
        self._busy = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="kiosk-head"):
            yield Label("", id="kiosk-hall")
            yield HallClock(self.lang, id="kiosk-clock")
        with Horizontal(id="greeter-body"):
            with Vertical(id="greeter-left"):
                yield Input(placeholder=tr(self, "greeter.search"), id="greeter-search")
                yield OptionList(id="greeter-results")
            with Vertical(id="greeter-right"):
                yield Label(tr(self, "greeter.issued"), classes="panel-title")
                yield Static("", id="greeter-history")
        yield Label(tr(self, "greeter.hint"), id="kiosk-hint")

    def on_mount(self) -> None:
        self.query_one("#greeter-search", Input).focus()
        self.reload()
        self.start_live()

    def reload(self) -> None:
        self.load_menu()

    @work(thread=True, exclusive=True, group="menu", exit_on_error=False)
    def load_menu(self) -> None:
        queue = self.backend.hall
        self.post_message(self.MenuLoaded(queue.public.kiosk_menu(), queue.ref()))

    def on_greeter_screen_menu_loaded(self, message: MenuLoaded) -> None:
        self.menu = message.menu
        self.query_one("#kiosk-hall", Label).update(Text(message.menu.hall_name))
        queue = self.backend.hall
        self.query_one(HallClock).use(message.ref.tz, queue.now)
        self._fill(self.query_one("#greeter-search", Input).value)

    # --- search -------------------------------------------------------------------------------

    @on(Input.Changed, "#greeter-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        if self.menu is None:
            return
        words = text.lower().split()
        ranked: list[tuple[int, int, KioskService]] = []
        names = {a.code: a.short_name for a in self.menu.agencies}
        order = 0
        for agency in self.menu.agencies:
            for svc in agency.services:
                name = svc.label.pick(self.lang)
                option = ServiceOption(svc.code, name, names[svc.agency_code], ())
                rank = match_rank(option, words)
                if rank is not None:
                    ranked.append((rank, order, svc))
                order += 1
        ranked.sort(key=lambda r: (r[0], r[1]))
        self.services = [svc for _, _, svc in ranked]
        results = self.query_one("#greeter-results", OptionList)
        old = results.highlighted
        # One line per service, cut to the list's width: a receptionist scans, not reads.
        width = max((results.size.width or self.size.width * 2 // 3) - 3, 20)
        results.set_options(
            Option(Text(ellipsis(self._row(svc, names[svc.agency_code]), width)), id=svc.code)
            for svc in self.services
        )
        if self.services:
            results.highlighted = old if old is not None and old < len(self.services) else 0

    def _row(self, svc: KioskService, agency: str) -> str:
        name = svc.label.pick(self.lang)
        state = (
            tr(self, "kiosk.waiting_n", n=svc.waiting)
            if svc.closed is None
            else tr(self, "kiosk.closed_mark")
        )
        return f"{svc.prefix:<2} {svc.code:<13} {state:<12} {name} · {agency}"

    def on_key(self, event: Key) -> None:
        # The arrows move through the results while the cursor stays in the search field.
        if event.key in ("up", "down"):
            results = self.query_one("#greeter-results", OptionList)
            if results.option_count:
                event.stop()
                event.prevent_default()
                results.action_cursor_up() if event.key == "up" else results.action_cursor_down()

    @on(Input.Submitted, "#greeter-search")
    def _submitted(self) -> None:
        results = self.query_one("#greeter-results", OptionList)
        if results.highlighted is not None and self.services:
            self._pick(self.services[results.highlighted])

    @on(OptionList.OptionSelected, "#greeter-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        svc = next((s for s in self.services if s.code == event.option.id), None)
        if svc is not None:
            self._pick(svc)

    def action_clear(self) -> None:
        search = self.query_one("#greeter-search", Input)
        search.value = ""
        search.focus()

    # --- issuing ------------------------------------------------------------------------------

    def _pick(self, svc: KioskService) -> None:
        if self._busy or self.menu is None:
            return
        name = svc.label.pick(self.lang)
        if svc.closed is not None:
            self.notify(
                tr(self, svc.closed + ".long", service=name, hours=hours_of(svc, self.lang)),
                severity="warning",
            )
            return
        choices = [Choice("-", tr(self, "kiosk.no_priority"))] + [
            Choice(p.code, p.name.pick(self.lang)) for p in self.menu.priorities
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is not None:
                self._busy = True
                self.issue(svc, None if picked.code == "-" else picked.code)

        self.app.push_screen(
            ChoiceDialog(
                self.lang, tr(self, "greeter.priority", service=name), choices, with_note=False
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="issue", exit_on_error=False)
    def issue(self, svc: KioskService, priority: str | None) -> None:
        assert self.menu is not None
        result = issue_and_print(
            self.backend,
            self.menu,
            svc,
            priority,
            source="greeter",
            lang=self.lang,
        )
        self.post_message(self.TicketDone(result, svc))

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        super().worker_failed(worker, error)
        self._busy = False

    def on_greeter_screen_ticket_done(self, message: TicketDone) -> None:
        self._busy = False
        result = message.result
        if result.problem:
            self.notify(result.problem, severity="error", timeout=10)
        if result.ticket is not None:
            issued = result.ticket
            line = tr(
                self,
                "greeter.issued_line",
                code=issued.ticket.code,
                service=message.service.code,
                n=issued.ahead,
                minutes=issued.eta_minutes,
            )
            if issued.ticket.priority:
                line += " ★"
            self.history = [line, *self.history][:HISTORY]
            self.query_one("#greeter-history", Static).update(Text("\n".join(self.history)))
            self.notify(line, title=tr(self, "greeter.done"))
        self.action_clear()
        self.reload()
