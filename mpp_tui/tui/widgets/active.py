"""The ticket the counter holds now: big number, what it is for, and ticking times."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from mpp_tui.domain.enums import TicketStatus
from mpp_tui.domain.views import TicketView
from mpp_tui.tui.text import duration, minutes_between, tr
from mpp_tui.tui.widgets.bigtext import BigText


class ActiveTicket(Vertical):
    """Shows one ticket (or that there is none); `tick` updates the running times."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ticket: TicketView | None = None
        self.max_minutes = 0
        self.priority_label = ""
        self._times = ""

    def compose(self) -> ComposeResult:
        yield Label("", id="active-state")
        with Horizontal(id="active-row"):
            yield BigText("", id="active-code")
            with Vertical(id="active-detail"):
                yield Label("", id="active-service")
                yield Label("", id="active-agency")
        yield Label("", id="active-times")

    def show(
        self,
        ticket: TicketView | None,
        *,
        max_minutes: int,
        priority_label: str,
        lang: str,
        paused: str | None = None,
    ) -> None:
        """Display `ticket` (None: the counter holds nothing; `paused`: why it is paused)."""
        self.ticket = ticket
        self.max_minutes = max_minutes
        self.priority_label = priority_label
        state = self.query_one("#active-state", Label)
        self.set_class(ticket is None, "-idle")
        self.set_class(ticket is not None and ticket.status is TicketStatus.CALLED, "-called")
        self.set_class(ticket is not None and ticket.status is TicketStatus.SERVING, "-serving")
        self._times = ""
        if ticket is None:
            state.update(tr(self, "tui.active.none"))
            self.query_one("#active-code", BigText).text = "---"
            hint = (
                tr(self, "tui.active.paused", reason=paused)
                if paused is not None
                else tr(self, "tui.active.hint")
            )
            self.query_one("#active-service", Label).update(hint)
            self.query_one("#active-agency", Label).update("")
            self.query_one("#active-times", Label).update("")
            return
        if ticket.status is TicketStatus.CALLED:
            state.update(tr(self, "tui.active.called", n=ticket.call_count))
        else:
            state.update(tr(self, "tui.active.serving"))
        self.query_one("#active-code", BigText).text = ticket.code
        name = ticket.service_label.pick(lang)
        self.query_one("#active-service", Label).update(f"{ticket.service_code} · {name}")
        agency = ticket.agency_name
        if priority_label:
            agency += f" · ★ {priority_label}"
        self.query_one("#active-agency", Label).update(agency)

    def tick(self, now: datetime, tz: tzinfo) -> None:
        """Refresh the running times against `now`."""
        ticket = self.ticket
        if ticket is None:
            return
        end_wait = ticket.called_at or now
        waited = minutes_between(ticket.issued_at, end_wait)
        parts = [tr(self, "tui.active.waited", minutes=waited)]
        if ticket.status is TicketStatus.CALLED and ticket.called_at:
            parts.append(
                tr(
                    self,
                    "tui.active.since_call",
                    time=duration((now - ticket.called_at).total_seconds()),
                )
            )
        elif ticket.started_at:
            served = (now - ticket.started_at).total_seconds()
            parts.append(
                tr(
                    self,
                    "tui.active.serving_for",
                    time=duration(served),
                    max=self.max_minutes,
                )
            )
            over = served > self.max_minutes * 60
            if over:
                parts.append(tr(self, "tui.active.over"))
            self.set_class(over, "-over")
        text = " · ".join(parts)
        if text != self._times:  # the panel's size is fixed: no layout pass needed
            self._times = text
            self.query_one("#active-times", Label).update(text, layout=False)
