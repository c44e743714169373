"""The visitor's kiosk: agency → service (with its standard) → priority → ticket.

Usable with a numeric keypad alone: type an option's number (or move with the arrows), Enter
chooses, minus (or Backspace, Escape) goes back. No login. With a printer the ticket is issued
and printed as two phases: a ticket whose print failed is voided at once, so no one waits for
a number they do not hold.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.message import Message
from textual.widgets import ContentSwitcher, Label, OptionList, Static
from textual.widgets.option_list import Option

from mpp_tui.domain.dates import long_date
from mpp_tui.domain.views import KioskAgency, KioskMenu, KioskService
from mpp_tui.i18n import formats, t
from mpp_tui.tui.issuing import Issued, issue_and_print, rupiah
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.text import tr
from mpp_tui.tui.widgets.bigtext import BigText
from mpp_tui.tui.widgets.hallclock import HallClock

if TYPE_CHECKING:
    from mpp_tui.domain.reference import Reference

IDLE_RESET_S = 60.0  # a visitor who walks away mid-way: back to the start
TYPED_DIGITS_S = 1.5  # digits typed within this time make one number ("1", "2" → 12)


def hours_of(svc: KioskService, lang: str) -> str:
    """Today's hours as visitors read them ("08:00–15:00", or "tutup hari ini")."""
    if not svc.hours_today.strip("- "):
        return t("kiosk.closed_today", lang)
    return formats(lang).clocks_in(svc.hours_today)


def ellipsis(text: str, width: int) -> str:
    """`text` cut to `width` characters, with "…" when it was longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


class KioskScreen(LiveScreen):
    """The kiosk's one screen, moving through its steps."""

    PUBLIC = True  # visitors read it: no database detail on it

    MIN_INTERVAL_S = 2.0  # waiting counts and quotas: fresh enough every two seconds
    BINDINGS = [
        Binding("minus,backspace,escape", "back", "key.back"),
        Binding("enter", "choose", "key.choose", show=False),
        Binding("pageup", "scroll_info(-1)", show=False),
        Binding("pagedown", "scroll_info(1)", show=False),
    ]

    class MenuLoaded(Message):
        def __init__(self, menu: KioskMenu, ref: Reference) -> None:
            super().__init__()
            self.ref = ref  # read in the worker: the event loop never waits on the database
            self.menu = menu

    class TicketDone(Message):
        def __init__(self, result: Issued) -> None:
            super().__init__()
            self.result = result

    def __init__(self, lang: str, *, greeter: bool = False) -> None:
        super().__init__(lang)
        self.greeter = greeter
        self.menu: KioskMenu | None = None
        self.tz: tzinfo = UTC  # the hall's, from the first load
        self.step = "agency"
        self.agency: KioskAgency | None = None
        self.service: KioskService | None = None
        self._typed = ""
        self._typed_at = 0.0
        self._last_key = time.monotonic()
        self._reset_timer: Any = None
        self._busy = False

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="kiosk-head"):
            yield Label("", id="kiosk-hall")
            yield HallClock(self.lang, id="kiosk-clock")
        yield Label("", id="kiosk-step")
        with ContentSwitcher(initial="kiosk-choose", id="kiosk-switch"):
            with Horizontal(id="kiosk-choose"):
                yield OptionList(id="kiosk-options")
                with VerticalScroll(id="kiosk-info"):
                    yield Static("", id="kiosk-standard")
            with Vertical(id="kiosk-ticket"):
                with Center():
                    yield BigText("", id="kiosk-code")
                yield Static("", id="kiosk-ticket-detail")
            with Vertical(id="kiosk-message"):
                yield Static("", id="kiosk-message-text")
        yield Label("", id="kiosk-hint")

    def on_mount(self) -> None:
        self.query_one("#kiosk-step", Label).update(tr(self, "kiosk.loading"))
        self.set_interval(5.0, self._check_idle)
        self.reload()
        self.start_live()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.load_menu()

    @work(thread=True, exclusive=True, group="menu", exit_on_error=False)
    def load_menu(self) -> None:
        queue = self.backend.hall
        self.post_message(self.MenuLoaded(queue.public.kiosk_menu(), queue.ref()))

    def on_kiosk_screen_menu_loaded(self, message: MenuLoaded) -> None:
        first = self.menu is None
        self.menu = message.menu
        self.query_one("#kiosk-hall", Label).update(Text(message.menu.hall_name))
        queue = self.backend.hall
        self.tz = message.ref.tz
        self.query_one(HallClock).use(message.ref.tz, queue.now)
        if self.agency is not None:
            self.agency = next(
                (a for a in message.menu.agencies if a.code == self.agency.code), None
            )
        if self.service is not None and self.agency is not None:
            self.service = next(
                (s for s in self.agency.services if s.code == self.service.code), None
            )
        choosing = self.query_one("#kiosk-switch", ContentSwitcher).current == "kiosk-choose"
        # A ticket or a message on screen stays until its timer or a key, whatever reloads.
        if first or (choosing and self.step in ("agency", "service")):
            self._show_step(keep_highlight=not first)

    def connection_changed(self, online: bool) -> None:
        if not online:
            self.notify(tr(self, "err.public_unavailable"), severity="warning")

    # --- steps --------------------------------------------------------------------------------

    def _show_step(self, *, keep_highlight: bool = False) -> None:
        if self.menu is None:
            return
        options = self.query_one("#kiosk-options", OptionList)
        old = options.highlighted if keep_highlight else None
        if not keep_highlight:
            self._typed = ""  # a number typed on the last step does not run into this one
        step_label = self.query_one("#kiosk-step", Label)
        self.set_class(self.step == "agency", "-agencies")
        self.query_one("#kiosk-switch", ContentSwitcher).current = "kiosk-choose"
        rows: list[Option] = []
        if self.step == "agency":
            step_label.update(tr(self, "kiosk.step.agency"))
            for n, agency in enumerate(self.menu.agencies, start=1):
                waiting = sum(s.waiting for s in agency.services)
                state = (
                    tr(self, "kiosk.waiting_n", n=waiting)
                    if agency.open
                    else tr(self, "kiosk.closed_mark")
                )
                name = ellipsis(agency.short_name, 24)
                rows.append(Option(Text(f"{n:>2}  {name:<24} {state}"), id=agency.code))
        elif self.step == "service" and self.agency is not None:
            step_label.update(Text(tr(self, "kiosk.step.service", agency=self.agency.short_name)))
            for n, svc in enumerate(self.agency.services, start=1):
                mark = "" if svc.closed is None else "  " + tr(self, "kiosk.closed_mark")
                rows.append(Option(Text(f"{n:>2}  {self._svc_name(svc)}{mark}"), id=svc.code))
        elif self.step == "priority":
            step_label.update(tr(self, "kiosk.step.priority"))
            rows.append(Option(Text(f" 1  {tr(self, 'kiosk.no_priority')}"), id="-"))
            for n, category in enumerate(self.menu.priorities, start=2):
                label = category.name.pick(self.lang)
                rows.append(Option(Text(f"{n:>2}  {label}"), id=category.code))
        options.set_options(rows)
        options.highlighted = old if old is not None and old < len(rows) else 0
        options.focus()
        self._show_info()
        hint = {"agency": "kiosk.hint.first", "service": "kiosk.hint.service"}
        self.query_one("#kiosk-hint", Label).update(tr(self, hint.get(self.step, "kiosk.hint")))

    def _svc_name(self, svc: KioskService) -> str:
        return svc.label.pick(self.lang)

    @on(OptionList.OptionHighlighted, "#kiosk-options")
    def _highlighted(self) -> None:
        self._show_info()

    def _show_info(self) -> None:
        info = self.query_one("#kiosk-standard", Static)
        option = self._highlighted_option()
        if option is None or self.menu is None:
            info.update("")
            return
        if self.step == "agency":
            agency = next((a for a in self.menu.agencies if a.code == option.id), None)
            if agency is not None:
                lines = [f"[b]{escape(agency.name)}[/b]", ""]
                for svc in agency.services:
                    mark = "" if svc.closed is None else f" ({tr(self, 'kiosk.closed_mark')})"
                    lines.append(f"• {escape(self._svc_name(svc))}{mark}")
                info.update("\n".join(lines))
        elif self.step == "service" and self.agency is not None:
            shown = next((s for s in self.agency.services if s.code == option.id), None)
            if shown is not None:
                info.update(self._standard(shown))
        else:
            info.update(tr(self, "kiosk.priority_info"))

    def _standard(self, svc: KioskService) -> str:
        lines = [f"[b]{escape(self._svc_name(svc))}[/b]"]
        if svc.closed is not None:
            lines.append(f"[b]⚠ {tr(self, svc.closed, hours=hours_of(svc, self.lang))}[/b]")
        lines += [
            "",
            tr(self, "kiosk.fee", fee=rupiah(svc.fee, self.lang)),
            tr(self, "kiosk.max_time", minutes=svc.max_minutes),
            tr(self, "kiosk.hours", hours=hours_of(svc, self.lang)),
            tr(self, "kiosk.queue_now", n=svc.waiting, minutes=svc.eta_minutes),
        ]
        if svc.quota_left is not None:
            lines.append(tr(self, "kiosk.quota_left", n=svc.quota_left))
        if svc.requirements:
            lines += ["", f"[b]{tr(self, 'kiosk.requirements')}[/b]"]
            lines += [f"{i}. {escape(r)}" for i, r in enumerate(svc.requirements, start=1)]
        return "\n".join(lines)

    def _highlighted_option(self) -> Option | None:
        options = self.query_one("#kiosk-options", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return options.get_option_at_index(options.highlighted)

    # --- keys ---------------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        self._last_key = time.monotonic()
        switch = self.query_one("#kiosk-switch", ContentSwitcher)
        if switch.current != "kiosk-choose":
            if not self._busy:  # the ticket or message: any key starts over
                event.stop()
                event.prevent_default()
                self._restart()
            return
        if event.character is not None and event.character.isdigit():
            event.stop()
            now = time.monotonic()
            typed = self._typed + event.character if now - self._typed_at < TYPED_DIGITS_S else ""
            typed = typed or event.character
            options = self.query_one("#kiosk-options", OptionList)
            if not 1 <= int(typed) <= options.option_count:
                typed = event.character
            self._typed, self._typed_at = typed, now
            if 1 <= int(typed) <= options.option_count:
                options.highlighted = int(typed) - 1

    @on(OptionList.OptionSelected, "#kiosk-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option)

    def action_choose(self) -> None:
        option = self._highlighted_option()
        if option is not None:
            self._choose(option)

    def _choose(self, option: Option) -> None:
        if self.menu is None or self._busy:
            return
        if self.step == "agency":
            agency = next((a for a in self.menu.agencies if a.code == option.id), None)
            if agency is None:
                return
            self.agency, self.step = agency, "service"
            self._show_step()
        elif self.step == "service" and self.agency is not None:
            svc = next((s for s in self.agency.services if s.code == option.id), None)
            if svc is None:
                return
            if svc.closed is not None:
                self._show_message(
                    tr(
                        self,
                        svc.closed + ".long",
                        service=self._svc_name(svc),
                        hours=hours_of(svc, self.lang),
                    )
                )
                return
            self.service, self.step = svc, "priority"
            self._show_step()
        elif self.step == "priority" and self.service is not None:
            self._busy = True
            self.query_one("#kiosk-hint", Label).update(tr(self, "kiosk.issuing"))
            self.issue(self.service, None if option.id == "-" else option.id)

    def action_scroll_info(self, direction: int) -> None:
        """Page through a long list of requirements without leaving the options."""
        info = self.query_one("#kiosk-info", VerticalScroll)
        info.scroll_page_down() if direction > 0 else info.scroll_page_up()

    def action_back(self) -> None:
        if self._busy:
            return
        switch = self.query_one("#kiosk-switch", ContentSwitcher)
        if switch.current != "kiosk-choose":
            self._restart()
        elif self.step == "priority":
            self.step = "service"
            self._show_step()
        elif self.step == "service":
            self.step, self.agency = "agency", None
            self._show_step()

    def _restart(self) -> None:
        if self._reset_timer is not None:
            self._reset_timer.stop()
            self._reset_timer = None
        self.step, self.agency, self.service = "agency", None, None
        self._show_step()
        self.reload()

    def _check_idle(self) -> None:
        idle = time.monotonic() - self._last_key
        if idle >= IDLE_RESET_S and self.step != "agency" and not self._busy:
            self._restart()

    # --- issuing ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="issue", exit_on_error=False)
    def issue(self, svc: KioskService, priority: str | None) -> None:
        assert self.menu is not None
        result = issue_and_print(
            self.backend,
            self.menu,
            svc,
            priority,
            source="greeter" if self.greeter else "kiosk",
            lang=self.lang,
        )
        self.post_message(self.TicketDone(result))

    def worker_failed(self, worker: Any, error: BaseException) -> None:
        super().worker_failed(worker, error)
        if worker.group == "issue":
            self._busy = False
            self._show_message(tr(self, "kiosk.try_again"))

    def on_kiosk_screen_ticket_done(self, message: TicketDone) -> None:
        self._busy = False
        result = message.result
        if result.ticket is None or result.problem:
            self._show_message(result.problem or tr(self, "kiosk.try_again"))
            if result.ticket is None:
                return
        if result.ticket is not None and not result.problem:
            self._show_ticket(result)
        self.reload()

    def _show_ticket(self, result: Issued) -> None:
        assert result.ticket is not None
        ticket = result.ticket.ticket
        tz = self.tz
        self.query_one("#kiosk-switch", ContentSwitcher).current = "kiosk-ticket"
        self.query_one("#kiosk-step", Label).update(tr(self, "kiosk.step.ticket"))
        big = self.query_one("#kiosk-code", BigText)
        big.text = ticket.code
        big.scale = 3 if self.size.height >= 40 else 2 if self.size.height >= 24 else 1
        local: datetime = ticket.issued_at.astimezone(tz)
        service = ticket.service_label.pick(self.lang)
        lines = [
            f"[b]{escape(service)}[/b]",
            escape(self.agency.name if self.agency else ticket.agency_name),
            f"{long_date(local.date(), self.lang)} · {formats(self.lang).clock(local)}",
            "",
            tr(self, "kiosk.ahead", n=result.ticket.ahead, minutes=result.ticket.eta_minutes),
        ]
        if ticket.priority:
            lines.append(tr(self, "kiosk.priority_set"))
        lines += [
            "",
            tr(self, "kiosk.take_ticket" if result.printed else "kiosk.note_number"),
        ]
        self.query_one("#kiosk-ticket-detail", Static).update("\n".join(lines))
        self._schedule_reset()

    def _show_message(self, text: str) -> None:
        self.query_one("#kiosk-switch", ContentSwitcher).current = "kiosk-message"
        self.query_one("#kiosk-step", Label).update(tr(self, "kiosk.step.sorry"))
        self.query_one("#kiosk-message-text", Static).update(Text(text))
        self._schedule_reset()

    def _schedule_reset(self) -> None:
        seconds = self.backend.kiosk_reset_s
        self.query_one("#kiosk-hint", Label).update(tr(self, "kiosk.hint.reset", s=int(seconds)))
        if self._reset_timer is not None:
            self._reset_timer.stop()
        self._reset_timer = self.set_timer(seconds, self._restart)
