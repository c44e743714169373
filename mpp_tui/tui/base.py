"""What every mpp screen and dialog shares: translated key hints and one error handler."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from mpp_tui.domain.errors import DatabaseReplaced
from mpp_tui.i18n import t

if TYPE_CHECKING:
    from mpp_tui.tui.app import MppApp
    from mpp_tui.tui.backend import Backend

R = TypeVar("R")


def localise_bindings(screen: Screen[Any], lang: str) -> None:
    """Swap catalog keys in BINDINGS descriptions for text in `lang`.

    Bindings are declared once with catalog keys ("key.call_next"); Textual keeps a per-instance
    copy of them, which is what the footer and the help screen read.
    """
    bindings = screen._bindings.key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=t(b.description, lang)) if b.description else b for b in items
        ]


class MppScreen(Screen[R]):
    """A full screen whose workers report errors as notifications.

    A PUBLIC screen (kiosk, board, survey: visitors read it) never shows a database error's
    detail (host, user, driver text): it says the service is disturbed and logs the detail.
    """

    PUBLIC: ClassVar[bool] = False

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        localise_bindings(self, lang)

    @property
    def mpp(self) -> MppApp:
        """The running app, typed (every mpp screen runs inside an MppApp)."""
        return cast("MppApp", self.app)

    @property
    def backend(self) -> Backend:
        """The services, change feed and devices this app was started with."""
        return self.mpp.backend

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.worker_failed(event.worker, event.worker.error)

    def worker_failed(self, worker: Worker[Any], error: BaseException) -> None:
        """A worker raised: tell the user (screens may add their own reaction)."""
        self.mpp.report(error, public=self.PUBLIC)
        if isinstance(error, DatabaseReplaced):
            self.mpp.database_replaced()

    def hold_key(self, event: events.Key) -> bool:
        """Keep `event` because the screen is not ready for keys yet (True: the app routes it
        no further); a screen that buffers early keys overrides this."""
        return False

    def leave(self) -> None:
        """Close this screen, and any dialog open over it (unanswered): a sign-out the hall
        decided (idle, account changed) may come while the officer looks at a dialog."""
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()
        if self.app.screen is self:
            self.app.pop_screen()


class MppDialog(ModalScreen[R]):
    """A modal dialog returning a value with `dismiss`; escape cancels with None."""

    BINDINGS = [("escape", "cancel", "key.cancel")]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        localise_bindings(self, lang)

    def action_cancel(self) -> None:
        self.dismiss(None)
