"""The MPP coordinator's screen (`mpp supervisor`): every counter's load and every service's
queue, live, with the actions a supervisor takes — each through Hall, each an event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Label, Static

from mpp_tui.domain.enums import CounterState, PauseReason
from mpp_tui.domain.overview_views import HallOverview, HistoryLine
from mpp_tui.domain.rules import PAUSE_NOTE_MAX, session_end
from mpp_tui.domain.views import EventView, OfficerView, TicketView
from mpp_tui.tui.dialogs.call_ticket import CallTicketDialog
from mpp_tui.tui.dialogs.choices import Choice, ChoiceDialog, ConfirmDialog, Picked
from mpp_tui.tui.dialogs.history import HistoryDialog
from mpp_tui.tui.dialogs.transfer import TransferDialog, TransferTo, service_options
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.text import hm, tr
from mpp_tui.tui.widgets.hallclock import HallClock

if TYPE_CHECKING:
    from mpp_tui.domain.reference import Reference

SPARK = "▁▂▃▄▅▆▇█"
HOURS = range(7, 18)


def _minutes(since: datetime | None, now: datetime) -> str:
    return "—" if since is None else f"{max(int((now - since).total_seconds() // 60), 0)}'"


class SupervisorScreen(LiveScreen):
    """Counters and queues; T looks up a ticket, J/K pause or close a counter, H its day."""

    MIN_INTERVAL_S = 0.5
    BINDINGS = [
        Binding("t", "ticket", "key.ticket", key_display="T"),
        Binding("j", "pause_counter", "key.pause_counter", key_display="J"),
        Binding("k", "close_counter", "key.close_counter", key_display="K"),
        Binding("h", "history", "key.history", key_display="H"),
        Binding("l", "daylog", "key.daylog", key_display="L"),
        Binding("q", "sign_out", "key.logout", key_display="Q"),
    ]

    class Loaded(Message):
        def __init__(self, view: HallOverview, ref: Reference) -> None:
            super().__init__()
            self.ref = ref  # read in the worker: the event loop never waits on the database
            self.view = view

    class TicketFound(Message):
        def __init__(self, ticket: TicketView, history: list[EventView]) -> None:
            super().__init__()
            self.ticket = ticket
            self.history = history

    class Done(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, officer: OfficerView, lang: str) -> None:
        super().__init__(lang)
        self.officer = officer
        self.view: HallOverview | None = None
        self.ref: Reference | None = None
        self._ended = False  # signed out because the account changed

    def compose(self) -> ComposeResult:
        with Horizontal(id="sup-head"):
            yield Label("", id="sup-hall")
            yield Label(f"{self.officer.full_name} ({self.officer.username})", id="sup-who")
            yield HallClock(self.lang, id="sup-clock")
        with Vertical(id="sup-body"):
            yield Label(tr(self, "title.counters"), classes="panel-title")
            yield DataTable(id="sup-counters", cursor_type="row", zebra_stripes=True)
            yield Label(tr(self, "title.services"), classes="panel-title")
            yield DataTable(id="sup-services", cursor_type="row", zebra_stripes=True)
            yield Static("", id="sup-hours")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        counters = self.query_one("#sup-counters", DataTable)
        for key in ("col.counter", "col.state", "col.officer", "col.active", "col.served"):
            counters.add_column(tr(self, key), key=key)
        counters.add_column(tr(self, "col.avg_service"), key="avg")
        counters.add_column(tr(self, "col.idle"), key="idle")
        services = self.query_one("#sup-services", DataTable)
        for key in ("col.service", "col.waiting", "col.flags", "col.longest", "col.avg_wait"):
            services.add_column(tr(self, key), key=key)
        services.add_column(tr(self, "col.eta"), key="eta")
        services.add_column(tr(self, "col.over"), key="over")
        counters.focus()
        self.reload()
        self.start_live()

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.load_overview()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def load_overview(self) -> None:
        queue = self.backend.hall
        view = queue.overview.overview(viewer=self.officer.username)
        self.post_message(self.Loaded(view, queue.ref()))

    def on_supervisor_screen_loaded(self, message: Loaded) -> None:
        if self._ended or self._account_changed(message.view):
            return
        first = self.view is None
        view = self.view = message.view
        self.ref = message.ref
        if first:
            queue = self.backend.hall
            self.query_one(HallClock).use(message.ref.tz, queue.now)
            self.query_one("#sup-hall", Label).update(Text(view.hall_name))
        self._fill_counters(view)
        self._fill_services(view)
        self.query_one("#sup-hours", Static).update(Text(self._hours(view)))

    def _account_changed(self, view: HallOverview) -> bool:
        """Sign out when the officer's account was disabled or given another role (a lock by
        wrong PINs elsewhere does not end the session: see `session_end`)."""
        account = view.viewer
        reason = session_end(self.officer.role, account) if account is not None else None
        if account is None or reason is None:
            return False
        self._ended = True
        self._stop.set()
        text = tr(
            self,
            reason,
            officer=self.officer.username,
            old=self.officer.role.value,
            new=account.role.value,
        )
        self.notify(text, title=tr(self, "tui.session.title"), severity="error", timeout=30)
        self.leave()
        return True

    def _fill_counters(self, view: HallOverview) -> None:
        table = self.query_one("#sup-counters", DataTable)
        row = table.cursor_row
        table.clear()
        for load in view.counters:
            c = load.counter
            state = tr(self, f"counter.{c.state}")
            if c.pause_reason:
                state += f" ({c.pause_reason})"
            if load.offline:
                state = f"⚠ {tr(self, 'counter.offline')} · {state}"
            active = "—"
            if c.active is not None:
                since = c.active.started_at or c.active.called_at
                active = f"{c.active.code} {_minutes(since, view.now)}"
            avg = load.avg_service_seconds
            table.add_row(
                f"{c.code}",
                Text(state),
                c.officer or "—",
                active,
                str(load.served_today),
                f"{avg // 60}:{avg % 60:02d}" if avg is not None else "—",
                _minutes(load.idle_since, view.now) if load.idle_since else "—",
                key=c.code,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _fill_services(self, view: HallOverview) -> None:
        table = self.query_one("#sup-services", DataTable)
        row = table.cursor_row
        table.clear()
        for health in view.services:
            s = health.load
            if not (s.waiting or s.issued_today):
                continue
            flags = []
            if health.crowded:
                flags.append("▲ " + tr(self, "flag.crowded"))
            if health.long_wait:
                flags.append("⏱ " + tr(self, "flag.long_wait"))
            avg = health.avg_wait_seconds
            name = f"{s.prefix} {s.code} · {s.label.pick(self.lang)}"
            table.add_row(
                Text(name if len(name) <= 30 else name[:29] + "…"),
                str(s.waiting),
                " ".join(flags),
                f"{s.longest_wait_minutes}'",
                f"{round(avg / 60)}'" if avg is not None else "—",
                f"{s.eta_minutes}'",
                str(health.over_standard) if health.over_standard else "—",
                key=s.code,
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _hours(self, view: HallOverview) -> str:
        def spark(values: tuple[int, ...]) -> str:
            shown = [values[h] for h in HOURS]
            top = max(shown, default=0)
            return "  ".join(
                " " if v <= 0 or top <= 0 else SPARK[min(7, (v * 8 - 1) // top)] for v in shown
            )

        head = "   ".join(f"{h:02d}" for h in HOURS)
        return (
            f"{'':<10}{head}\n"
            f"{tr(self, 'word.arrivals'):<10}{spark(view.arrivals_by_hour)}"
            f"   Σ {sum(view.arrivals_by_hour)}\n"
            f"{tr(self, 'word.calls'):<10}{spark(view.calls_by_hour)}"
            f"   Σ {sum(view.calls_by_hour)}"
        )

    def connection_changed(self, online: bool) -> None:
        self.notify(
            tr(self, "tui.status.back" if online else "tui.status.offline"),
            severity="information" if online else "warning",
        )

    # --- acting -------------------------------------------------------------------------------

    def _selected_counter(self) -> str | None:
        table = self.query_one("#sup-counters", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def _run(self, fn: Callable[[], str]) -> None:
        self.act(fn)

    @work(thread=True, group="action", exit_on_error=False)
    def act(self, fn: Callable[[], str]) -> None:
        self.post_message(self.Done(fn()))

    def on_supervisor_screen_done(self, message: Done) -> None:
        self.notify(message.text)
        self.reload()

    def action_pause_counter(self) -> None:
        counter = self._selected_counter()
        if counter is None:
            return
        choices = [
            Choice(r.value, tr(self, f"pause.{r.value}"), r is PauseReason.LAINNYA)
            for r in PauseReason
        ]
        queue = self.backend.hall
        me = self.officer.username

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return

            def pause() -> str:
                queue.sessions.pause_counter(
                    counter=counter, officer=me, reason=picked.code, note=picked.note
                )
                return tr(self, "sup.done.paused", counter=counter)

            self._run(pause)

        title = tr(self, "sup.pause.title", counter=counter)
        dialog = ChoiceDialog(self.lang, title, choices, with_note=True, note_max=PAUSE_NOTE_MAX)
        self.app.push_screen(dialog, chosen)

    def action_close_counter(self) -> None:
        counter = self._selected_counter()
        if counter is None or self.view is None:
            return
        load = next(c for c in self.view.counters if c.counter.code == counter)
        if load.counter.state is CounterState.CLOSED:
            self.notify(tr(self, "sup.already_closed", counter=counter), severity="warning")
            return
        queue = self.backend.hall
        me = self.officer.username
        who = load.counter.officer or "—"

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def close() -> str:
                queue.sessions.close_counter(
                    counter=counter, officer=me, reason=f"supervisor: {me}"
                )
                return tr(self, "sup.done.closed", counter=counter)

            self._run(close)

        question = tr(self, "sup.close.question", counter=counter, officer=who)
        self.app.push_screen(ConfirmDialog(self.lang, question), confirmed)

    def action_history(self) -> None:
        counter = self._selected_counter()
        if counter is not None:
            self.load_history(counter)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load_history(self, counter: str) -> None:
        queue = self.backend.hall
        lines: list[HistoryLine] = queue.overview.counter_history(counter=counter)
        tz = queue.ref().tz
        text = []
        for line in lines:
            kind = f"event.{line.kind}" if line.ticket else f"counter_event.{line.kind}"
            parts = [hm(line.at, tz, self.lang), tr(self, kind)]
            if line.ticket:
                parts.append(line.ticket)
            if line.officer:
                parts.append(f"· {line.officer}")
            if line.detail and not line.ticket:
                parts.append(f"· {line.detail}")
            text.append(" ".join(parts))
        title = tr(self, "sup.history.counter", counter=counter)
        self.app.call_from_thread(
            self.app.push_screen,
            HistoryDialog(self.lang, title, text or [tr(self, "sup.history.empty")]),
        )

    def action_ticket(self) -> None:
        def chosen(code: str | None) -> None:
            if code:
                self.find_ticket(code)

        self.app.push_screen(CallTicketDialog(self.lang, ()), chosen)

    @work(thread=True, exclusive=True, group="ticket", exit_on_error=False)
    def find_ticket(self, code: str) -> None:
        queue = self.backend.hall
        ticket = queue.tickets.ticket(code=code)
        self.post_message(self.TicketFound(ticket, queue.tickets.history(ticket_id=ticket.id)))

    def on_supervisor_screen_ticket_found(self, message: TicketFound) -> None:
        ticket = message.ticket
        queue = self.backend.hall
        tz = self.ref.tz if self.ref is not None else UTC
        lines = [
            f"{ticket.code} · {ticket.service_code} · {tr(self, f'status.{ticket.status}')}"
            + (f" · ★ {ticket.priority}" if ticket.priority else ""),
            "",
        ] + [
            f"{hm(e.at, tz, self.lang)}  {tr(self, f'event.{e.kind}')}"
            + (f" · {e.counter_code}" if e.counter_code else "")
            + (f" · {e.officer}" if e.officer else "")
            for e in message.history
        ]
        title = tr(self, "sup.ticket.title", ticket=ticket.code)
        actions = {"x": "cancel", "a": "reactivate", "m": "move", "p": "priority"}

        def picked(action: str | None) -> None:
            if action == "cancel":
                self._cancel(ticket)
            elif action == "reactivate":
                me = self.officer.username
                self._run(
                    lambda: self._done(queue.supervision.reactivate(ticket=ticket.id, officer=me))
                )
            elif action == "move":
                self._move(ticket)
            elif action == "priority":
                self._priority(ticket)

        self.app.push_screen(
            HistoryDialog(
                self.lang, title, lines, actions=actions, hint=tr(self, "sup.ticket.keys")
            ),
            picked,
        )

    def _done(self, ticket: TicketView) -> str:
        return tr(
            self, "sup.done.ticket", ticket=ticket.code, status=tr(self, f"status.{ticket.status}")
        )

    def _cancel(self, ticket: TicketView) -> None:
        queue = self.backend.hall
        me = self.officer.username

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(
                    lambda: self._done(queue.supervision.cancel(ticket=ticket.id, officer=me))
                )

        question = tr(self, "sup.cancel.question", ticket=ticket.code)
        self.app.push_screen(ConfirmDialog(self.lang, question), confirmed)

    def _move(self, ticket: TicketView) -> None:
        queue = self.backend.hall
        if self.ref is None:
            return
        options = service_options(self.ref, self.lang)
        me = self.officer.username

        def chosen(to: TransferTo | None) -> None:
            if to is None:
                return
            self._run(
                lambda: self._done(
                    queue.supervision.move_ticket(
                        ticket=ticket.id,
                        officer=me,
                        service=to.service,
                        counter=to.counter,
                        note=to.note,
                    )
                )
            )

        dialog = TransferDialog(self.lang, ticket.code, options, title_key="sup.move.title")
        self.app.push_screen(dialog, chosen)

    def _priority(self, ticket: TicketView) -> None:
        queue = self.backend.hall
        ref = self.ref
        if ref is None:
            return
        choices = [Choice("-", tr(self, "kiosk.no_priority"))] + [
            Choice(p.code, p.name.pick(self.lang)) for p in ref.priorities.values()
        ]
        me = self.officer.username

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            category = None if picked.code == "-" else picked.code
            self._run(
                lambda: self._done(
                    queue.supervision.set_priority(ticket=ticket.id, officer=me, priority=category)
                )
            )

        title = tr(self, "sup.priority.title", ticket=ticket.code)
        self.app.push_screen(ChoiceDialog(self.lang, title, choices, with_note=False), chosen)

    def action_daylog(self) -> None:
        from mpp_tui.tui.backend import Desk
        from mpp_tui.tui.screens.daylog import DayLogScreen

        self.app.push_screen(DayLogScreen(Desk("", self.officer), self.lang))

    def action_sign_out(self) -> None:
        self.app.pop_screen()
