"""The Textual app: a thin shell of modes; each screen lives in its own module."""

from __future__ import annotations

import logging

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from mpp_tui.domain.errors import DatabaseUnavailable, MppError
from mpp_tui.domain.views import OfficerView
from mpp_tui.i18n import t
from mpp_tui.tui.backend import Backend

log = logging.getLogger(__name__)


class MppApp(App[None]):
    """mpp-tui's screens. Build it with `make_app`."""

    CSS_PATH = "mpp.tcss"
    TITLE = "mpp-tui"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "key.quit", show=False, priority=True)]

    def __init__(
        self,
        backend: Backend,
        *,
        mode: str = "counter",
        counter: str | None = None,
        signed_in: OfficerView | None = None,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.lang = backend.lang
        self._start_mode = mode
        self._counter = counter
        self._signed_in = signed_in
        self.add_mode("counter", self._counter_entry)

    def _counter_entry(self) -> Screen[None]:
        from mpp_tui.tui.screens.login import LoginScreen

        return LoginScreen(self.lang, counter=self._counter, signed_in=self._signed_in)

    def on_mount(self) -> None:
        self.switch_mode(self._start_mode)

    def report(self, error: BaseException) -> None:
        """Show an error as a notification; unexpected ones go to the log file in full."""
        if isinstance(error, MppError):
            self.notify(
                error.message(self.lang),
                title=error.title(self.lang),
                severity="warning" if isinstance(error, DatabaseUnavailable) else "error",
            )
            return
        log.error("unexpected error in the TUI", exc_info=error)
        self.notify(t("err.unexpected_tui", self.lang), title="mpp", severity="error")


def make_app(
    backend: Backend,
    *,
    mode: str = "counter",
    counter: str | None = None,
    signed_in: OfficerView | None = None,
) -> MppApp:
    """The one factory used by the CLI, the tests and the snapshot tests.

    Args:
        backend: services, change feed and language.
        mode: which screen family to open ("counter").
        counter: the counter this PC is at (None: the login screen offers a picker).
        signed_in: skip the login (the demo, tests) — the officer must already hold `counter`.
    """
    return MppApp(backend, mode=mode, counter=counter, signed_in=signed_in)
