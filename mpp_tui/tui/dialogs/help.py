"""Help: every key of the screen, including the numeric-keypad aliases."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from mpp_tui.tui.base import MppDialog
from mpp_tui.tui.text import tr

# The keypad workflow: a counter PC with only a numeric keypad can do the whole day.
KEYPAD = [
    ("+", "key.call_next"),
    ("*", "key.recall"),
    ("Enter", "tui.help.advance"),
    ("-", "key.no_show"),
    ("/", "key.transfer"),
]
LETTERS = [
    ("N", "key.call_next", "tui.help.call_next"),
    ("C", "key.call_ticket", "tui.help.call_ticket"),
    ("R", "key.recall", "tui.help.recall"),
    ("S", "key.start", "tui.help.start"),
    ("F", "key.finish", "tui.help.finish"),
    ("X", "key.no_show", "tui.help.no_show"),
    ("T", "key.transfer", "tui.help.transfer"),
    ("B", "key.return", "tui.help.return"),
    ("P", "key.pause", "tui.help.pause"),
    ("L", "key.daylog", "tui.help.daylog"),
    ("F1 / ?", "key.help", "tui.help.help"),
    ("Q", "key.logout", "tui.help.logout"),
    ("Ctrl+Q", "key.quit", "tui.help.quit"),
]


class HelpScreen(MppDialog[None]):
    """The keys of the counter screen and what each does."""

    BINDINGS = [("escape,f1,question_mark,q", "cancel", "key.close")]

    def compose(self) -> ComposeResult:
        keys = Table(box=None, padding=(0, 1), expand=True, show_header=False)
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column(no_wrap=True)
        keys.add_column(ratio=1)
        for key, name, what in LETTERS:
            keys.add_row(key, tr(self, name), tr(self, what))
        pad = Table(box=None, padding=(0, 1), show_header=False)
        pad.add_column(style="bold")
        pad.add_column()
        for key, name in KEYPAD:
            pad.add_row(key, tr(self, name))
        with Vertical(classes="dialog wide"):
            yield Label(tr(self, "tui.help.title"), classes="dialog-title")
            with VerticalScroll():
                yield Static(keys)
                yield Label(tr(self, "tui.help.keypad"), classes="panel-title")
                yield Static(pad)
            yield Label(tr(self, "tui.help.close"), classes="dialog-hint")
