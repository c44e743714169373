"""The Textual app: a thin shell of modes; each screen lives in its own module."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from mpp_tui.domain.errors import DatabaseUnavailable, MppError
from mpp_tui.domain.views import OfficerView
from mpp_tui.i18n import t
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.base import MppScreen

log = logging.getLogger(__name__)
REPEAT_QUIET_S = 10.0
LOCKED_OUT_ACTIONS = frozenset({"quit", "help_quit", "suspend_process", "command_palette"})
"""What a locked screen refuses: quitting (Ctrl+Q), the "press Ctrl+Q to quit" hint (Ctrl+C),
suspending to a shell (Ctrl+Z) and Textual's command palette."""


class MppApp(App[None]):
    """mpp-tui's screens. Build it with `make_app`."""

    CSS_PATH = "mpp.tcss"
    TITLE = "mpp-tui"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "key.quit", show=False, priority=True)]

    def __init__(
        self,
        backend: Backend | Callable[[], Backend],
        *,
        lang: str | None = None,
        mode: str = "counter",
        counter: str | None = None,
        signed_in: OfficerView | None = None,
        zone: str | None = None,
        agency: str | None = None,
        locked: bool = False,
    ) -> None:
        super().__init__()
        self.locked = locked
        if locked:
            # Set, it makes Textual leave the terminal's signal keys on: Ctrl+C and Ctrl+\
            # would interrupt the screen and Ctrl+Z stop it, frozen, with nobody to resume it.
            os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
        self._zone = zone
        self._agency = agency
        self._backend = backend if isinstance(backend, Backend) else None
        self._make_backend = None if isinstance(backend, Backend) else backend
        self._backend_lock = threading.Lock()
        self.lang = lang or (backend.lang if isinstance(backend, Backend) else "id")
        self._start_mode = mode
        self._counter = counter
        self._signed_in = signed_in
        self._last_report: tuple[str, float] | None = None
        # Keys and clicks so far; a counter screen that sees no new ones for the hall's idle
        # time signs out (screens compare counts, on the hall's clock).
        self.inputs = 0
        self.add_mode("counter", self._counter_entry)
        self.add_mode("kiosk", self._kiosk_entry)
        self.add_mode("greeter", self._greeter_entry)
        self.add_mode("board", self._board_entry)
        self.add_mode("supervisor", self._supervisor_entry)
        self.add_mode("survey", self._survey_entry)

    @property
    def backend(self) -> Backend:
        """The services; built on first use when the app was given a factory.

        Screens ask for it in their workers, so the slow part (importing the database layer,
        connecting, loading the hall) happens while the first screen is already painted. A
        failure is raised to the worker (and shown); the next use tries again.
        """
        if self._backend is None:
            with self._backend_lock:
                if self._backend is None:
                    assert self._make_backend is not None
                    self._backend = self._make_backend()
        return self._backend

    def _counter_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.login import LoginScreen

        return LoginScreen(self.lang, counter=self._counter, signed_in=self._signed_in)

    def _kiosk_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.kiosk import KioskScreen

        return KioskScreen(self.lang)

    def _greeter_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.greeter import GreeterScreen

        return GreeterScreen(self.lang)

    def _supervisor_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.login import LoginScreen

        return LoginScreen(self.lang, signed_in=self._signed_in, supervisor=True)

    def _board_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.board import BoardScreen

        return BoardScreen(self.lang, zone=self._zone, agency=self._agency)

    def _survey_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.survey import SurveyScreen

        return SurveyScreen(self.lang, counter=self._counter)

    def on_mount(self) -> None:
        self.switch_mode(self._start_mode)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown) and not event.is_forwarded:
            self.inputs += 1
            # Keys that arrive before a screen is ready are buffered by it, not misrouted to
            # whatever had focus (DESIGN: keys are a person's hands).
            screen = self.screen_stack[-1] if self.screen_stack else None
            if isinstance(event, events.Key) and self._held(screen, event):
                return
        await super().on_event(event)

    @staticmethod
    def _held(screen: Screen[object] | None, event: events.Key) -> bool:
        return isinstance(screen, MppScreen) and screen.hold_key(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A locked screen (setting `locked`) cannot be quit, suspended or given a palette."""
        if self.locked and action in LOCKED_OUT_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def _fatal_error(self) -> None:
        # Textual would print a traceback with locals into the officer's terminal; the
        # traceback goes to the log file instead and the terminal gets one readable line.
        log.error("the screen stopped on an unexpected error", exc_info=self._exception)
        self.bell()
        self._exit_renderables.append(t("err.tui_stopped", self.lang))
        self._close_messages_no_wait()

    def database_replaced(self) -> None:
        """A restore replaced the database under this screen: a signed-in screen (counter,
        supervisor, its dialogs and the daily log) returns to sign-in; a public screen simply
        goes on with the new data (its next reload reads it)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def report(self, error: BaseException, *, public: bool = False) -> None:
        """Show an error as a notification; unexpected ones go to the log file in full.

        The same message within REPEAT_QUIET_S is shown once: a failing refresh retried by
        every change in the hall must not bury the screen in identical toasts. On a `public`
        screen a database error or an unexpected one reads as a calm public message.
        """
        if public and not (
            isinstance(error, MppError) and not isinstance(error, DatabaseUnavailable)
        ):
            log.warning("public screen: %s", error, exc_info=not isinstance(error, MppError))
            title, text = t("err.title.public", self.lang), t("err.public_unavailable", self.lang)
            severity: SeverityLevel = "warning"
        elif isinstance(error, MppError):
            title, text = error.title(self.lang), error.message(self.lang)
            severity = "warning" if isinstance(error, DatabaseUnavailable) else "error"
        else:
            log.error("unexpected error in the TUI", exc_info=error)
            title, text, severity = "mpp", t("err.unexpected_tui", self.lang), "error"
        now = time.monotonic()
        if self._last_report is not None:
            last_text, at = self._last_report
            if last_text == text and now - at < REPEAT_QUIET_S:
                return
        self._last_report = (text, now)
        self.notify(text, title=title, severity=severity)


def make_app(
    backend: Backend | Callable[[], Backend],
    *,
    lang: str | None = None,
    mode: str = "counter",
    counter: str | None = None,
    signed_in: OfficerView | None = None,
    zone: str | None = None,
    agency: str | None = None,
    locked: bool = False,
) -> MppApp:
    """The one factory used by the CLI, the tests and the snapshot tests.

    Args:
        backend: services, change feed and language; or a function building them, called in
            the first worker that needs them (the CLI: the first screen paints sooner).
        lang: the language (default: the backend's).
        mode: which screen family to open ("counter", "kiosk", "greeter", "board").
        counter: the counter this PC is at (None: the login screen offers a picker).
        signed_in: skip the login (the demo, tests) — the officer must already hold `counter`.
        zone: the board shows only this zone's counters.
        agency: the board shows only this agency's counters and calls.
        locked: a kiosk-mode screen: no key quits it, suspends it or opens a palette.
    """
    return MppApp(
        backend,
        lang=lang,
        mode=mode,
        counter=counter,
        signed_in=signed_in,
        zone=zone,
        agency=agency,
        locked=locked,
    )
