"""A list of lines to read (a ticket's or a counter's history), with optional action keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.events import Key
from textual.widgets import Label, Static

from mpp_tui.tui.base import MppDialog
from mpp_tui.tui.text import tr


class HistoryDialog(MppDialog[str | None]):
    """Shows `lines`; a key of `actions` closes it returning that action, Escape returns None."""

    def __init__(
        self,
        lang: str,
        title: str,
        lines: list[str],
        *,
        actions: dict[str, str] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(lang)
        self.title_text = title
        self.lines = lines
        self.actions = actions or {}
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(id="history-lines"):
                yield Static(Text("\n".join(self.lines)))
            yield Label(self.hint or tr(self, "sup.history.keys"), classes="dialog-hint")

    def on_key(self, event: Key) -> None:
        action = self.actions.get(event.key)
        if action is not None:
            event.stop()
            self.dismiss(action)
