"""Call a chosen ticket: type its number, or pick one of the waiting tickets."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from mpp_tui.domain.views import TicketView
from mpp_tui.tui.base import MppDialog
from mpp_tui.tui.text import tr


class CallTicketDialog(MppDialog[str | None]):
    """Returns the ticket code to call."""

    def __init__(self, lang: str, waiting: tuple[TicketView, ...]) -> None:
        super().__init__(lang)
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(tr(self, "tui.call.title"), classes="dialog-title")
            yield Input(id="code", max_length=12, placeholder=tr(self, "tui.call.placeholder"))
            yield OptionList(
                *[
                    Option(
                        f"{t.code:<7} {t.service_code:<8}" + (" ★" if t.priority else ""),
                        id=t.code,
                    )
                    for t in self.waiting
                ],
                id="waiting",
            )
            yield Label(tr(self, "tui.call.keys"), classes="dialog-hint")

    def on_key(self, event: Key) -> None:
        if self.focused is self.query_one("#code") and event.key in ("down", "up"):
            self.query_one("#waiting", OptionList).focus()
            event.stop()

    @on(Input.Submitted, "#code")
    def _typed(self, event: Input.Submitted) -> None:
        code = event.value.strip()
        if code:
            self.dismiss(code)

    @on(OptionList.OptionSelected, "#waiting")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
