"""The counter officer's screen: the active ticket, the queue, my day, and every action."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.widgets import Footer, Label
from textual.worker import Worker, WorkerState

from mpp_tui.domain.enums import CounterState, PauseReason, QueuePosition
from mpp_tui.domain.errors import DatabaseUnavailable, MppError, PermissionDenied
from mpp_tui.domain.reference import Reference
from mpp_tui.domain.rules import PAUSE_NOTE_MAX, can, session_end
from mpp_tui.domain.views import CounterDesk, CounterView, TicketView
from mpp_tui.i18n import t
from mpp_tui.tui.backend import Desk
from mpp_tui.tui.dialogs.call_ticket import CallTicketDialog
from mpp_tui.tui.dialogs.choices import Choice, ChoiceDialog, ConfirmDialog, Picked
from mpp_tui.tui.dialogs.help import HelpScreen
from mpp_tui.tui.dialogs.transfer import TransferDialog, TransferTo, service_options
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.text import tr
from mpp_tui.tui.widgets.active import ActiveTicket
from mpp_tui.tui.widgets.panels import MyDay, NextTickets, StatusLine, WaitingByService

log = logging.getLogger(__name__)
FALLBACK_REFRESH_S = 30.0  # waiting minutes move even when nothing happens
HEARTBEAT_S = 30.0  # the supervisor shows a counter whose screen stays silent as offline

# The actions that change the queue; only one runs at a time.
QUEUE_ACTIONS = {
    "call_next",
    "call_ticket",
    "recall",
    "start",
    "finish",
    "no_show",
    "transfer",
    "return_ticket",
    "pause",
    "resume",
    "logout",
}


def deferred(method: Callable[[CounterScreen], None]) -> Callable[[CounterScreen], None]:
    """An action pressed while another runs is kept (the last one) and tried again, against
    the new state, once the first is done: "N" then "S" in quick succession calls and starts,
    while a second "N" finds a ticket already called and does nothing."""

    @functools.wraps(method)
    def run(screen: CounterScreen) -> None:
        if screen.busy:
            screen.pending = method.__name__.removeprefix("action_")
            return
        method(screen)

    return run


class CounterScreen(LiveScreen):
    """Where a petugas loket works all day; every database call runs in a worker."""

    BINDINGS = [
        Binding("n,plus", "call_next", "key.call_next", key_display="N"),
        Binding("c", "call_ticket", "key.call_ticket", key_display="C"),
        Binding("r,asterisk", "recall", "key.recall", key_display="R"),
        Binding("s,enter", "start", "key.start", key_display="S"),
        Binding("f,enter", "finish", "key.finish", key_display="F"),
        Binding("x,minus", "no_show", "key.no_show", key_display="X"),
        Binding("t,slash", "transfer", "key.transfer", key_display="T"),
        Binding("b", "return_ticket", "key.return", key_display="B"),
        Binding("p", "pause", "key.pause", key_display="P"),
        Binding("p", "resume", "key.resume", key_display="P"),
        Binding("l", "daylog", "key.daylog", key_display="L"),
        Binding("f1,question_mark", "help", "key.help", key_display="F1"),
        Binding("q", "logout", "key.logout", key_display="Q"),
    ]

    class DeskLoaded(Message):
        def __init__(self, desk: CounterDesk, ref: Reference, seq: int) -> None:
            super().__init__()
            self.desk = desk
            self.ref = ref
            self.seq = seq  # which reload this is (they are numbered as they start)

    class ActionDone(Message):
        def __init__(self, text: str, counter: CounterView | None) -> None:
            super().__init__()
            self.text = text
            self.counter = counter  # the counter right after the action, when it could be read

    class SignedOut(Message):
        """The counter session was closed."""

    def __init__(self, desk: Desk, lang: str) -> None:
        super().__init__(lang)
        self.session = desk
        self.desk: CounterDesk | None = None
        self.ref: Reference | None = None
        self.busy = False
        self.pending: str | None = None  # an action pressed while `busy`
        self._loading = False
        self._dirty = False
        self._allowed: tuple[bool | None, ...] = ()  # what the footer shows now
        self._load_seq = 0  # desk reloads started
        self._stale_upto = 0  # reloads started before the last action's result was shown
        self._ending = False  # signing out because the hall said so
        self._idle_since: datetime | None = None  # hall time of the last key seen
        self._inputs_seen = -1  # the app's input count then
        self._typed_ahead: list[events.Key] = []  # keys pressed while signing out

    def say(self, key: str, **params: object) -> str:
        """The confirmation of an action ("" when the panel shows it already); safe in worker
        threads (it does not touch the app)."""
        return "" if key in self.QUIET else t(key, self.lang, **params)

    @property
    def tz(self) -> tzinfo:
        return self.ref.tz if self.ref else UTC

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield ActiveTicket(id="active")
            with Vertical(id="my-day-box"):
                yield Label(tr(self, "tui.day.title"), classes="panel-title")
                yield MyDay(id="my-day")
        with Horizontal(id="bottom"):
            with Vertical(id="next-box"):
                yield Label(tr(self, "tui.next.title"), classes="panel-title", id="next-title")
                yield NextTickets(id="next")
            with Vertical(id="by-service-box"):
                yield Label(tr(self, "tui.by_service.title"), classes="panel-title")
                yield WaitingByService(id="by-service")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ActiveTicket).show(None, max_minutes=0, priority_label="", lang=self.lang)
        self._paint_status()
        self.set_interval(1.0, self._tick)
        self.set_interval(FALLBACK_REFRESH_S, self.refresh_desk)
        self.set_interval(HEARTBEAT_S, self.heartbeat)
        self.heartbeat()
        self.refresh_desk()
        self.start_live()

    # --- reading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="heartbeat", exit_on_error=False)
    def heartbeat(self) -> None:
        """Tell the database this screen is alive (a lost beat is only logged: the next one
        follows, and the change feed already says when the database is away)."""
        try:
            self.backend.hall.sessions.heartbeat(
                counter=self.session.counter, officer=self.session.officer.username
            )
        except PermissionDenied as exc:
            # The session is gone: it expired and someone took the counter, a supervisor
            # closed it, or the account was disabled. Say so and go back to the sign-in.
            log.info("session ended: %s", exc.message("en"))
            text, title = exc.message(self.lang), exc.title(self.lang)
            self.app.call_from_thread(self.end_session, text, title, close=False)
        except MppError as exc:
            log.info("heartbeat not sent: %s", exc)

    class SessionEnded(Message):
        """The session is over; `text` says why."""

        def __init__(self, text: str, title: str) -> None:
            super().__init__()
            self.text = text
            self.title = title

    def end_session(self, text: str, title: str, *, close: bool = True) -> None:
        """Sign out because the hall says so (the account changed, the screen sat idle, the
        session was taken or closed elsewhere): close the counter when this screen still
        holds it, then go back to the sign-in with `text` on screen."""
        if self._ending:
            return
        self._ending = True
        self.busy, self.pending = True, None  # no action starts any more
        self._stop.set()
        holds = self.desk is not None and self.desk.counter.officer == self.session.officer.username
        self._leave(text, title, close=close and holds)

    @work(thread=True, group="leave", exit_on_error=False)
    def _leave(self, text: str, title: str, close: bool) -> None:
        if close:
            counter, officer = self.session.counter, self.session.officer.username
            try:
                self.backend.hall.sessions.close_counter(counter=counter, officer=officer)
            except MppError as exc:
                # A called or serving ticket keeps the session (the visitor needs a person; a
                # disabled officer's ticket is the supervisor's to finish or return).
                active = self.desk.counter.active if self.desk else None
                if active is not None:
                    kept = t(
                        "tui.session.ticket_kept", self.lang, ticket=active.code, counter=counter
                    )
                    text = f"{text} {kept}"
                log.info("counter not closed on sign-out: %s", exc.message("en"))
        self.post_message(self.SessionEnded(text, title))

    def on_counter_screen_session_ended(self, message: SessionEnded) -> None:
        self.notify(message.text, title=message.title, severity="error", timeout=30)
        self.post_message(self.SignedOut())

    def _check_account(self, desk: CounterDesk) -> bool:
        """End the session when the officer's account changed; True when it did."""
        account = desk.officer
        if account is None:
            return False
        signed_in = self.session.officer
        reason = session_end(signed_in.role, account)
        if reason is None:
            return False
        text = tr(
            self,
            reason,
            officer=signed_in.username,
            old=signed_in.role.value,
            new=account.role.value,
        )
        self.end_session(text, tr(self, "tui.session.title"))
        return True

    def _check_idle(self, now: datetime) -> None:
        """Sign out after the hall's idle time without a key, while no ticket is active."""
        minutes = self.ref.idle_signout_minutes if self.ref else 0
        inputs = self.mpp.inputs
        quiet = self.desk is not None and self.desk.counter.active is None and not self.busy
        if self._idle_since is None or inputs != self._inputs_seen or not quiet:
            self._idle_since, self._inputs_seen = now, inputs
            return
        if minutes > 0 and now - self._idle_since >= timedelta(minutes=minutes):
            officer = self.session.officer.username
            text = tr(
                self,
                "tui.session.idle",
                minutes=minutes,
                officer=officer,
                counter=self.session.counter,
            )
            self.end_session(text, tr(self, "tui.session.title"))

    @work(thread=True, group="desk", exit_on_error=False)
    def load_desk(self, seq: int = 0) -> None:
        queue = self.backend.hall
        desk = queue.desk.counter_desk(
            counter=self.session.counter, officer=self.session.officer.username
        )
        self.post_message(self.DeskLoaded(desk, queue.ref(), seq))

    def on_counter_screen_desk_loaded(self, message: DeskLoaded) -> None:
        # Only what changed is redrawn: with a busy hall the change feed reloads the desk many
        # times a minute, and every redraw costs the screen time it needs for keys.
        if message.seq <= self._stale_upto:
            return  # read before our last action committed: older than what is shown
        previous = self.desk
        self.desk, self.ref = message.desk, message.ref
        self.set_online(True)
        desk = message.desk
        if self._ending or self._check_account(desk):
            return
        if previous is None or previous.counter != desk.counter:
            self._show_counter(desk, message.ref)
        minute = desk.read_at.replace(second=0, microsecond=0)
        if (
            previous is None
            or previous.next_tickets != desk.next_tickets
            or previous.read_at.replace(second=0, microsecond=0) != minute
        ):
            self.query_one(NextTickets).show(desk.next_tickets, desk.read_at, self.tz)
        if (
            previous is None
            or previous.by_service != desk.by_service
            or previous.waiting_total != desk.waiting_total
        ):
            self.query_one("#next-title", Label).update(
                tr(self, "tui.next.title_n", n=desk.waiting_total), layout=False
            )
            self.query_one(WaitingByService).show(desk.by_service, desk.waiting_total, self.lang)
        if previous is None or previous.my_day != desk.my_day:
            self.query_one(MyDay).show(desk.my_day)
        self._tick()  # running times against the clock now (cheap when nothing changed)
        self._refresh_keys()

    def _show_counter(self, desk: CounterDesk, ref: Reference) -> None:
        active = desk.counter.active
        svc = ref.service_by_code(active.service_code) if active else None
        self.query_one(ActiveTicket).show(
            active,
            max_minutes=svc.max_minutes if svc else 0,
            priority_label=self._priority_label(active),
            lang=self.lang,
            # The panel reads markup; a note is text ("[/]" must show, not break the screen).
            paused=escape(self.pause_text(desk.counter.pause_reason))
            if desk.counter.state is CounterState.PAUSED
            else None,
        )
        self.set_class(desk.counter.state is CounterState.PAUSED, "-paused")
        self._tick()

    def _refresh_keys(self) -> None:
        """Refresh the footer only when what may be done has changed (rebuilding it is slow)."""
        if self.busy:
            return  # the footer waits for the running action's result
        allowed = tuple(self.check_action(action, ()) for action in sorted(QUEUE_ACTIONS))
        if allowed != self._allowed:
            self._allowed = allowed
            self.refresh_bindings()

    def pause_text(self, reason: str | None) -> str:
        """A stored pause reason ("sholat", "lainnya: rapat RT") in the screen's language."""
        code, _, note = (reason or "").partition(": ")
        word = tr(self, f"pause.{code}") if code else ""
        return f"{word}: {note}" if note else word

    def _priority_label(self, ticket: TicketView | None) -> str:
        if ticket is None or ticket.priority is None or self.ref is None:
            return ""
        known = self.ref.priorities.get(ticket.priority)
        return ticket.priority if known is None else known.name.pick(self.lang)

    def _tick(self) -> None:
        now = self.backend.hall.now()
        self.query_one(ActiveTicket).tick(now, self.tz)
        self._paint_status()
        if not self._ending:
            self._check_idle(now)

    def _paint_status(self) -> None:
        officer = self.session.officer
        self.query_one(StatusLine).show(
            self.desk.counter if self.desk else None,
            self.desk,
            officer=officer.full_name or officer.username,
            pause=self.pause_text(self.desk.counter.pause_reason) if self.desk else "",
            online=self.online,
            now=self.backend.hall.now(),
            tz=self.tz,
        )

    # --- live updates -------------------------------------------------------------------------

    def reload(self) -> None:
        # In a busy hall other counters change the queue several times a second; reloading at
        # most every MIN_INTERVAL_S keeps the screen current within a second and leaves it the
        # time to answer keys.
        self.refresh_desk()

    def refresh_desk(self) -> None:
        """Reload the desk; bursts of changes coalesce into one reload after the running one."""
        if self._loading:
            self._dirty = True
            return
        self._loading, self._dirty = True, False
        self._load_seq += 1
        self.load_desk(self._load_seq)

    def connection_changed(self, online: bool) -> None:
        if online:
            self.notify(tr(self, "tui.status.back"), severity="information")
        self._paint_status()

    # --- what may be done now -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in QUEUE_ACTIONS:
            return True
        if self.desk is None:
            return None if action != "logout" else True
        if self.busy:
            return True  # judged against the new state once the running action is done
        counter = self.desk.counter
        active = counter.active
        status = active.status if active else None
        if action in ("call_next", "call_ticket"):
            return counter.state is CounterState.OPEN and active is None
        if action == "pause":
            return counter.state is CounterState.OPEN and active is None
        if action == "resume":
            return counter.state is CounterState.PAUSED
        if action == "logout":
            return active is None
        if status is None:
            return False
        if action == "no_show":
            if not can("no_show", status):
                return False
            needed = self.ref.no_show_min_calls if self.ref else 1
            return True if active is not None and active.call_count >= needed else None
        name = {"return_ticket": "return"}.get(action, action)
        return can(name, status)

    # --- actions ------------------------------------------------------------------------------

    def _run(self, fn: Callable[[], str]) -> None:
        """Run one queue action in a worker; nothing else may start until it is done."""
        if self.busy:
            return
        # The footer stays as it is (redrawing it would slow the action down); `busy` makes a
        # second press do nothing until the counter's new state is on screen.
        self.busy = True
        self._action_worker(fn)

    @work(thread=True, group="action", exit_on_error=False)
    def _action_worker(self, fn: Callable[[], str]) -> None:
        text = fn()
        try:  # the counter as the action left it, so the screen need not wait for a reload
            counter = self.backend.hall.tickets.counter_view(counter=self.session.counter)
        except MppError:
            counter = None  # committed all the same; the next reload will show it
        self.post_message(self.ActionDone(text, counter))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual also runs MppScreen's handler (handlers run for every class in the MRO).
        finished = event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if event.worker.group == "desk" and finished:
            self._loading = False
            if self._dirty:
                self.refresh_desk()
        if event.worker.group == "action" and event.state in (
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self.busy, self.pending = False, None  # after a failure, nothing runs unasked
            self._allowed = ()  # the footer may have been drawn while busy: draw it again
            self._refresh_keys()
            self.refresh_desk()

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        super().worker_failed(worker, error)
        if isinstance(error, DatabaseUnavailable):
            self.set_online(False)

    # Actions whose result the panel itself shows need no toast (a toast costs a layout pass).
    QUIET = frozenset(
        {
            "tui.done.called",
            "tui.done.recalled",
            "tui.done.started",
            "tui.done.finished",
            "tui.done.paused",
            "tui.done.resumed",
        }
    )

    def on_counter_screen_action_done(self, message: ActionDone) -> None:
        if message.counter is not None and self.desk is not None and self.ref is not None:
            self.desk = replace(self.desk, counter=message.counter)
            self._show_counter(self.desk, self.ref)
            self._stale_upto = self._load_seq  # a reload already running read the old state
        self.busy = False
        self._allowed = ()  # the footer may have been drawn while busy: draw it again
        self._refresh_keys()
        self.refresh_desk()  # the queue and the day follow
        if self.pending is not None:
            action, self.pending = self.pending, None
            self.call_later(self.run_action, action)  # checked against the new state
        if message.text:
            self.notify(message.text, timeout=3)

    def _ticket_id(self) -> int | None:
        active = self.desk.counter.active if self.desk else None
        return active.id if active else None

    @deferred
    def action_call_next(self) -> None:
        counter, officer = self.session.counter, self.session.officer.username
        queue = self.backend.hall

        def call() -> str:
            ticket = queue.calls.call_next(counter=counter, officer=officer)
            return self.say("tui.done.called", ticket=ticket.code)

        self._run(call)

    @deferred
    def action_call_ticket(self) -> None:
        waiting = self.desk.next_tickets if self.desk else ()

        def chosen(code: str | None) -> None:
            if not code:
                return
            counter, officer = self.session.counter, self.session.officer.username
            queue = self.backend.hall

            def call() -> str:
                ticket = queue.calls.call_ticket(counter=counter, officer=officer, ticket=code)
                return self.say("tui.done.called", ticket=ticket.code)

            self._run(call)

        self.app.push_screen(CallTicketDialog(self.lang, waiting), chosen)

    def _simple(self, method: Callable[..., TicketView], done_key: str) -> None:
        counter, officer, ticket = (
            self.session.counter,
            self.session.officer.username,
            self._ticket_id(),
        )

        def act() -> str:
            view = method(counter=counter, officer=officer, ticket=ticket)
            return self.say(done_key, ticket=view.code, n=view.call_count)

        self._run(act)

    @deferred
    def action_recall(self) -> None:
        self._simple(self.backend.hall.calls.recall, "tui.done.recalled")

    @deferred
    def action_start(self) -> None:
        self._simple(self.backend.hall.calls.start, "tui.done.started")

    @deferred
    def action_no_show(self) -> None:
        active = self.desk.counter.active if self.desk else None
        if active is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._simple(self.backend.hall.calls.no_show, "tui.done.no_show")

        self.app.push_screen(
            ConfirmDialog(self.lang, tr(self, "tui.confirm.no_show", ticket=active.code)),
            confirmed,
        )

    @deferred
    def action_finish(self) -> None:
        active = self.desk.counter.active if self.desk else None
        if active is None or self.ref is None:
            return
        choices = [
            Choice(o.code, o.name.pick(self.lang), o.needs_note) for o in self.ref.outcomes.values()
        ]
        ticket = active.id

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            counter, officer = self.session.counter, self.session.officer.username
            queue = self.backend.hall

            def finish() -> str:
                view = queue.calls.finish(
                    counter=counter,
                    officer=officer,
                    ticket=ticket,
                    outcome=picked.code,
                    note=picked.note,
                )
                return self.say("tui.done.finished", ticket=view.code)

            self._run(finish)

        title = tr(self, "tui.finish.title", ticket=active.code)
        self.app.push_screen(ChoiceDialog(self.lang, title, choices, with_note=True), chosen)

    @deferred
    def action_transfer(self) -> None:
        active = self.desk.counter.active if self.desk else None
        ref = self.ref
        if active is None or ref is None:
            return
        options = service_options(ref, self.lang, leave_out=active.service_code)
        ticket = active.id

        def chosen(to: TransferTo | None) -> None:
            if to is None:
                return
            counter, officer = self.session.counter, self.session.officer.username
            queue = self.backend.hall

            def transfer() -> str:
                child = queue.calls.transfer(
                    counter=counter,
                    officer=officer,
                    ticket=ticket,
                    service=to.service,
                    to_counter=to.counter,
                    note=to.note,
                )
                return self.say(
                    "tui.done.transferred", ticket=child.code, service=child.service_code
                )

            self._run(transfer)

        self.app.push_screen(TransferDialog(self.lang, active.code, options), chosen)

    @deferred
    def action_return_ticket(self) -> None:
        active = self.desk.counter.active if self.desk else None
        if active is None:
            return
        choices = [
            Choice(QueuePosition.FIRST.value, tr(self, "tui.return.first")),
            Choice(QueuePosition.LAST.value, tr(self, "tui.return.last")),
        ]
        ticket = active.id

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            counter, officer = self.session.counter, self.session.officer.username
            queue = self.backend.hall

            def back() -> str:
                view = queue.calls.return_to_queue(
                    counter=counter,
                    officer=officer,
                    ticket=ticket,
                    position=QueuePosition(picked.code),
                )
                return self.say("tui.done.returned", ticket=view.code)

            self._run(back)

        title = tr(self, "tui.return.title", ticket=active.code)
        self.app.push_screen(ChoiceDialog(self.lang, title, choices, with_note=False), chosen)

    @deferred
    def action_pause(self) -> None:
        choices = [
            Choice(r.value, tr(self, f"pause.{r.value}"), needs_note=r is PauseReason.LAINNYA)
            for r in PauseReason
        ]

        def chosen(picked: Picked | None) -> None:
            if picked is None:
                return
            counter, officer = self.session.counter, self.session.officer.username
            queue = self.backend.hall

            def pause() -> str:
                queue.sessions.pause_counter(
                    counter=counter, officer=officer, reason=picked.code, note=picked.note
                )
                return self.say("tui.done.paused")

            self._run(pause)

        title = tr(self, "tui.pause.title")
        dialog = ChoiceDialog(self.lang, title, choices, with_note=True, note_max=PAUSE_NOTE_MAX)
        self.app.push_screen(dialog, chosen)

    @deferred
    def action_resume(self) -> None:
        counter, officer = self.session.counter, self.session.officer.username
        queue = self.backend.hall

        def resume() -> str:
            queue.sessions.resume_counter(counter=counter, officer=officer)
            return self.say("tui.done.resumed")

        self._run(resume)

    @deferred
    def action_logout(self) -> None:
        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            counter, officer = self.session.counter, self.session.officer.username
            queue = self.backend.hall

            def close() -> str:
                queue.sessions.close_counter(counter=counter, officer=officer)
                self.post_message(self.SignedOut())
                return ""

            self._run(close)

        self.app.push_screen(
            ConfirmDialog(self.lang, tr(self, "tui.confirm.logout", counter=self.session.counter)),
            confirmed,
        )

    def hold_key(self, event: events.Key) -> bool:
        """While signing out, keys belong to the next sign-in (the next officer may already be
        typing): they are kept and handed on once the sign-in screen shows."""
        if not self._ending:
            return False
        self._typed_ahead.append(events.Key(event.key, event.character))
        return True

    def on_counter_screen_signed_out(self) -> None:
        self._stop.set()
        app = self.app
        self.leave()
        for key in self._typed_ahead:
            app.post_message(key)  # to the sign-in screen, which holds them until it is ready
        self._typed_ahead = []

    def action_daylog(self) -> None:
        from mpp_tui.tui.screens.daylog import DayLogScreen

        self.app.push_screen(DayLogScreen(self.session, self.lang))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.lang))
