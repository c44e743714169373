"""Sign-in at a counter: the counter (fixed or picked), username and masked PIN.

Keys typed before the form is ready (the program still starting, or the screen coming back
after a sign-out) are held by the screen and replayed into the right field once it is: the
username until Enter (or Tab), then the PIN, and a second Enter signs in. Held keys are kept in
memory only, so a PIN typed early never shows, not even for a frame.
"""

from __future__ import annotations

from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.worker import Worker

from mpp_tui.domain.errors import AuthError, MppError, PermissionDenied
from mpp_tui.domain.views import CounterView, OfficerView
from mpp_tui.tui.backend import Desk
from mpp_tui.tui.base import MppScreen
from mpp_tui.tui.text import tr


class LoginScreen(MppScreen[None]):
    """The first screen of a counter PC."""

    AUTO_FOCUS = "#username"
    # Enter is a priority binding, so it acts while the key is being routed: a fast typist's
    # PIN, already on its way, lands in the PIN field rather than behind the username. Keys
    # typed while the program is still starting reach it through the terminal's line
    # discipline, which turns Enter into ctrl+j.
    BINDINGS = [Binding("enter,ctrl+j", "enter", show=False, priority=True)]
    # Keys that move between the fields or edit them while the form is not ready yet.
    FIELD_KEYS = frozenset({"enter", "ctrl+j", "tab", "backspace"})
    USERNAME_MAX, PIN_MAX = 32, 8

    class CountersLoaded(Message):
        def __init__(self, hall: str, counters: list[CounterView]) -> None:
            super().__init__()
            self.hall = hall
            self.counters = counters

    class SignedIn(Message):
        def __init__(self, desk: Desk) -> None:
            super().__init__()
            self.desk = desk

    def __init__(
        self,
        lang: str,
        *,
        counter: str | None = None,
        signed_in: OfficerView | None = None,
        supervisor: bool = False,
    ) -> None:
        super().__init__(lang)
        self.supervisor = supervisor  # the coordinator signs in to the hall, not to a counter
        self.fixed_counter = counter.strip().upper() if counter else None
        self.signed_in = signed_in
        self.signed_out = False
        self.ready = False  # the form takes keys itself; until then the screen holds them
        self._early: list[str] = []  # held keys: a character, or one of FIELD_KEYS

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static(tr(self, "tui.login.title"), id="login-title")
            yield Label(tr(self, "tui.login.counter"), id="counter-label")
            yield Select[str]([], prompt=tr(self, "tui.login.pick_counter"), id="counter")
            yield Label(tr(self, "tui.login.username"))
            yield Input(id="username", max_length=self.USERNAME_MAX)
            yield Label(tr(self, "tui.login.pin"))
            yield Input(id="pin", password=True, max_length=self.PIN_MAX, restrict=r"[0-9]*")
            yield Button(tr(self, "tui.login.submit"), id="sign-in", variant="primary")
            yield Static("", id="login-hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.supervisor:
            self.query_one("#counter").display = False
            self.query_one("#counter-label").display = False
        # After the first paint: loading the database layer holds the interpreter for a while,
        # and the officer should see the sign-in screen meanwhile.
        self.call_after_refresh(self.load_counters)
        if self.signed_in is not None and (self.fixed_counter is not None or self.supervisor):
            self._open_counter_screen(Desk(self.fixed_counter or "", self.signed_in))

    def on_screen_resume(self) -> None:
        if self.app.screen is not self:
            return  # resumed and at once covered (signed in already): not showing yet
        if self.signed_out:
            # Back from the counter screen (signed out): ready for the next officer.
            self.signed_out = False
            self._clear_form()
        self.ready = True
        self._replay()

    def _clear_form(self) -> None:
        self.query_one("#pin", Input).value = ""
        self.query_one("#username", Input).value = ""
        self.query_one("#sign-in", Button).disabled = False
        self.query_one("#username", Input).focus()

    def hold_key(self, event: events.Key) -> bool:
        """Keep a key that arrives before the form is ready (see the module docstring)."""
        if self.ready:
            return False
        if event.key in self.FIELD_KEYS:
            self._early.append(event.key)
            return True
        if event.is_printable and event.character:
            self._early.append(event.character)
            return True
        return False

    def _replay(self) -> None:
        """Type the held keys into the fields they were meant for; sign in on the second
        Enter (what comes after it is dropped: the counter screen is not there yet)."""
        early, self._early = self._early, []
        username, pin = self.query_one("#username", Input), self.query_one("#pin", Input)
        field = pin if self.focused is pin else username
        submit = False
        for key in early:
            if key in ("enter", "ctrl+j", "tab"):
                if field is username:
                    field = pin
                elif key != "tab":
                    submit = True
                    break
            elif key == "backspace":
                field.value = field.value[:-1]
            elif field is pin:
                if key.isdigit() and len(pin.value) < self.PIN_MAX:
                    pin.value += key
            elif len(username.value) < self.USERNAME_MAX:
                username.value += key
        for box in (username, pin):
            box.cursor_position = len(box.value)
        self.set_focus(field)  # at once: the screen's auto-focus must not move it back
        if submit:
            self.submit()

    @work(thread=True, exclusive=True, group="login-load", exit_on_error=False)
    def load_counters(self) -> None:
        queue = self.backend.hall
        counters = queue.tickets.counters()
        self.post_message(self.CountersLoaded(queue.ref().hall_name, counters))

    def on_login_screen_counters_loaded(self, message: CountersLoaded) -> None:
        select = self.query_one("#counter", Select)
        options = [
            (f"{c.code} — {c.name}" + (f" ({c.officer})" if c.officer else ""), c.code)
            for c in message.counters
        ]
        select.set_options(options)
        self.query_one("#login-title", Static).update(
            tr(self, "tui.login.title_supervisor")
            if self.supervisor
            else tr(self, "tui.login.title_hall", hall=message.hall)
        )
        codes = {c.code for c in message.counters}
        if self.fixed_counter and self.fixed_counter in codes:
            select.value = self.fixed_counter
            select.disabled = True
        elif self.fixed_counter:
            self.notify(
                tr(self, "err.counter_not_found", counter=self.fixed_counter),
                title=tr(self, "err.title.not_found"),
                severity="error",
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            return self.focused in (self.query_one("#username"), self.query_one("#pin"))
        return True

    def action_enter(self) -> None:
        pin = self.query_one("#pin", Input)
        if self.focused is self.query_one("#username"):
            self.set_focus(pin)
        else:
            # Digits typed just before Enter may still wait in the PIN field's queue.
            pin.call_later(self.submit)

    @on(Button.Pressed, "#sign-in")
    def submit(self) -> None:
        # A PC's own counter is known before the list of counters has loaded.
        counter = self.fixed_counter or self.query_one("#counter", Select).value
        if self.supervisor:
            counter = ""
        username = self.query_one("#username", Input).value.strip()
        pin = self.query_one("#pin", Input).value
        if not isinstance(counter, str):
            self.notify(tr(self, "tui.login.need_counter"), severity="warning")
            self.query_one("#counter", Select).focus()
            return
        if not username:
            self.notify(tr(self, "tui.login.need_username"), severity="warning")
            self.query_one("#username", Input).focus()
            return
        if not pin:
            self.notify(tr(self, "tui.login.need_pin"), severity="warning")
            self.query_one("#pin", Input).focus()
            return
        self.query_one("#sign-in", Button).disabled = True
        self.sign_in(counter, username, pin)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def sign_in(self, counter: str, username: str, pin: str) -> None:
        officer: OfficerView = self.backend.hall.officers.authenticate(username=username, pin=pin)
        if self.supervisor:
            if not officer.role.supervises:
                raise PermissionDenied("tui.login.not_supervisor", officer=officer.username)
        else:
            self.backend.hall.sessions.open_counter(counter=counter, officer=officer.username)
        self.post_message(self.SignedIn(Desk(counter, officer)))

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        super().worker_failed(worker, error)
        if worker.group == "login":
            self.query_one("#sign-in", Button).disabled = False
            pin = self.query_one("#pin", Input)
            pin.value = ""
            if isinstance(error, AuthError | MppError):
                pin.focus()

    def on_login_screen_signed_in(self, message: SignedIn) -> None:
        self._open_counter_screen(message.desk)

    def _open_counter_screen(self, desk: Desk) -> None:
        self.signed_in = None
        self.signed_out = True  # the next resume is the return from the counter screen
        # Keys typed while coming back from it are held until this screen shows again, so the
        # next officer's PIN cannot land in a field left focused by this one.
        self.ready = False
        if self.supervisor:
            from mpp_tui.tui.screens.supervisor import SupervisorScreen

            self.app.push_screen(SupervisorScreen(desk.officer, self.lang))
            return
        from mpp_tui.tui.screens.counter import CounterScreen

        self.app.push_screen(CounterScreen(desk, self.lang))
