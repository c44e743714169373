"""Transfer: pick the service the visitor goes on to (search by code or name), and optionally
the counter that must call them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from mpp_tui.domain.rules import NOTE_MAX
from mpp_tui.tui.base import MppDialog
from mpp_tui.tui.text import tr

if TYPE_CHECKING:
    from mpp_tui.domain.reference import Reference


@dataclass(frozen=True)
class ServiceOption:
    """A service a ticket can be transferred to, and the counters that serve it."""

    code: str
    name: str
    agency: str
    counters: tuple[str, ...]


@dataclass(frozen=True)
class TransferTo:
    """Where the visitor goes next."""

    service: str
    counter: str | None
    note: str | None


def service_options(
    ref: Reference, lang: str, *, leave_out: str | None = None
) -> list[ServiceOption]:
    """Every active service (but `leave_out`) with the counters that call it, by code."""
    options = []
    for svc in sorted(ref.services.values(), key=lambda s: s.code):
        if not svc.active or svc.code == leave_out:
            continue
        counters = tuple(
            sorted(c.code for c in ref.counters.values() if c.active and svc.id in c.services)
        )
        name = svc.label.pick(lang)
        options.append(
            ServiceOption(svc.code, name, ref.agencies[svc.agency_id].short_name, counters)
        )
    return options


def match_rank(svc: ServiceOption, words: list[str]) -> int | None:
    """How well `svc` matches the typed words (lower is better); None when it does not.

    The service code typed in full wins, then a code that starts with it, then names with a
    word starting with each typed word, then any substring: typing "ktp" must offer KTP before
    "Pindah FKTP".
    """
    if not words:
        return 3
    haystack = f"{svc.code} {svc.name} {svc.agency}".lower()
    if not all(word in haystack for word in words):
        return None
    code = svc.code.lower()
    query = "_".join(words)
    if code == query or code == " ".join(words):
        return 0
    if code.startswith(words[0]):
        return 1
    tokens = haystack.replace("_", " ").replace("(", " ").split()
    if all(any(token.startswith(word) for token in tokens) for word in words):
        return 2
    return 3


class TransferDialog(MppDialog[TransferTo | None]):
    """Type to filter services, arrows + Enter to pick; then optionally a counter and a note."""

    # Enter in the search or note field acts while the key is routed (a priority binding), so
    # keys typed right after it reach the field it moved to.
    BINDINGS = [
        ("escape", "cancel", "key.cancel"),
        Binding("enter", "enter", show=False, priority=True),
    ]

    def __init__(
        self,
        lang: str,
        ticket_code: str,
        services: list[ServiceOption],
        *,
        title_key: str = "tui.transfer.title",
    ) -> None:
        super().__init__(lang)
        self.ticket_code = ticket_code
        self.title_key = title_key
        self.services = services
        self.chosen: ServiceOption | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(tr(self, self.title_key, ticket=self.ticket_code), classes="dialog-title")
            yield Input(id="search", placeholder=tr(self, "tui.transfer.search"), compact=True)
            yield OptionList(id="services")
            yield Label(tr(self, "tui.transfer.counter"))
            yield Select[str](
                [], id="to-counter", prompt=tr(self, "tui.transfer.any_counter"), compact=True
            )
            yield Label(tr(self, "tui.dialog.note"))
            yield Input(
                id="note", max_length=NOTE_MAX, placeholder=tr(self, "tui.note_hint"), compact=True
            )
            yield Label(tr(self, "tui.transfer.keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        words = text.strip().lower().split()
        ranked = sorted(
            (rank, svc.code, svc)
            for svc in self.services
            if (rank := match_rank(svc, words)) is not None
        )
        options = self.query_one("#services", OptionList)
        options.clear_options()
        for _, _, svc in ranked:
            options.add_option(Option(f"{svc.code:<14} {svc.name} · {svc.agency}", id=svc.code))
        if options.option_count:
            options.highlighted = 0
        else:
            options.add_option(Option(tr(self, "tui.transfer.no_match"), disabled=True))

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enter":
            return self.focused in (self.query_one("#search"), self.query_one("#note"))
        return True

    def action_enter(self) -> None:
        # Keys typed just before Enter may still wait in the field's queue (and its Changed
        # messages in ours), so the work runs after them; focus moves at once.
        note = self.query_one("#note", Input)
        if self.focused is note:
            note.call_later(self._done)
            return
        self.set_focus(note)
        self.query_one("#search").call_later(self.call_later, self._pick_highlighted)

    def _pick_highlighted(self) -> None:
        options = self.query_one("#services", OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted).id)

    def on_key(self, event: Key) -> None:
        # Arrow keys in the search box move through the filtered services.
        key = event.key
        if self.focused is self.query_one("#search") and key in ("down", "up"):
            options = self.query_one("#services", OptionList)
            if key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()

    @on(OptionList.OptionSelected, "#services")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, code: str | None) -> None:
        svc = next((s for s in self.services if s.code == code), None)
        if svc is None:
            return
        self.chosen = svc
        self.query_one("#search", Input).value = f"{svc.code} {svc.name}"
        select = self.query_one("#to-counter", Select)
        select.set_options([(c, c) for c in svc.counters])
        self.set_focus(self.query_one("#note", Input))

    def _done(self) -> None:
        if self.chosen is None:
            self.notify(tr(self, "tui.transfer.need_service"), severity="warning")
            self.query_one("#search", Input).focus()
            return
        counter = self.query_one("#to-counter", Select).value
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(
            TransferTo(self.chosen.code, counter if isinstance(counter, str) else None, note)
        )
