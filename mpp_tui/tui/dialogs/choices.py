"""Dialogs that pick one thing: an outcome, a pause reason, a queue position, yes or no."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from mpp_tui.domain.rules import NOTE_MAX
from mpp_tui.tui.base import MppDialog
from mpp_tui.tui.text import tr


@dataclass(frozen=True)
class Choice:
    """An option: its code, its label, whether it needs a note."""

    code: str
    label: str
    needs_note: bool = False


@dataclass(frozen=True)
class Picked:
    """What the officer chose, with the note they typed (None when empty)."""

    code: str
    note: str | None


class ChoiceDialog(MppDialog[Picked | None]):
    """Pick one option (arrows + Enter, or its number); an optional or required note.

    Args:
        title: the question.
        choices: the options, numbered 1.. on screen.
        with_note: show a note field (required for choices that need it).
        note_max: the longest note the field takes.
    """

    BINDINGS = [
        ("escape", "cancel", "key.cancel"),
        *[(str(n), f"pick({n})", "") for n in range(1, 10)],
    ]

    def __init__(
        self,
        lang: str,
        title: str,
        choices: list[Choice],
        *,
        with_note: bool,
        note_max: int = NOTE_MAX,
    ) -> None:
        super().__init__(lang)
        self.title_text = title
        self.choices = choices
        self.with_note = with_note
        self.note_max = note_max

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(
                *[
                    Option(f"{n}. {c.label}" + (" ✎" if c.needs_note else ""), id=c.code)
                    for n, c in enumerate(self.choices, start=1)
                ],
                id="choices",
            )
            if self.with_note:
                yield Label(tr(self, "tui.dialog.note"))
                yield Input(
                    id="note",
                    max_length=self.note_max,
                    placeholder=tr(self, "tui.note_hint"),
                    compact=True,
                )
            yield Label(tr(self, "tui.dialog.keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def action_pick(self, n: int) -> None:
        if self.focused is not None and isinstance(self.focused, Input):
            return
        if 1 <= n <= len(self.choices):
            self.query_one(OptionList).highlighted = n - 1
            self._choose(self.choices[n - 1])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Digits typed into the note are text, not shortcuts.
        return not (action == "pick" and isinstance(self.focused, Input))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        choice = next(c for c in self.choices if c.code == event.option.id)
        self._choose(choice)

    @on(Input.Submitted, "#note")
    def _note_done(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self._choose(self.choices[index], from_note=True)

    def _choose(self, choice: Choice, *, from_note: bool = False) -> None:
        note = self.query_one("#note", Input).value.strip() if self.with_note else ""
        if self.with_note and choice.needs_note and not note:
            self.notify(tr(self, "tui.dialog.note_needed", choice=choice.label), severity="warning")
            self.query_one("#note", Input).focus()
            return
        if self.with_note and not from_note and not note and not choice.needs_note:
            # One key press finishes the common case; the note stays optional.
            self.dismiss(Picked(choice.code, None))
            return
        self.dismiss(Picked(choice.code, note or None))


class ConfirmDialog(MppDialog[bool | None]):
    """A yes/no question; Y/Enter confirms, N/Escape declines."""

    BINDINGS = [
        ("escape,n", "cancel", "key.cancel"),
        ("y", "confirm", "key.confirm"),
    ]

    def __init__(self, lang: str, question: str) -> None:
        super().__init__(lang)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(tr(self, "tui.yes"), id="yes", variant="primary")
                yield Button(tr(self, "tui.no"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)
