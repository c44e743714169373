"""The counter screen's side panels: next tickets, waiting per service, my day, status line."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.table import Table
from rich.text import Text
from textual.widgets import DataTable, Static

from mpp_tui.domain.views import CounterDesk, CounterView, OfficerDay, ServiceWaiting, TicketView
from mpp_tui.tui.text import clock_text, duration, hm, lang_of, minutes_between, tr


class NextTickets(DataTable[str]):
    """The tickets this counter would call, in call order."""

    def on_mount(self) -> None:
        self.cursor_type = "none"
        self.can_focus = False
        self.zebra_stripes = True
        self.add_column(tr(self, "tui.col.number"), key="code", width=7)
        self.add_column(tr(self, "tui.col.service"), key="service", width=8)
        self.add_column(tr(self, "tui.col.priority"), key="priority", width=4)
        self.add_column(tr(self, "tui.col.waited"), key="waited", width=8)
        self.add_column(tr(self, "tui.col.issued"), key="issued", width=6)

    def show(self, tickets: tuple[TicketView, ...], now: datetime, tz: tzinfo) -> None:
        self.clear()
        for ticket in tickets:
            self.add_row(
                ticket.code,
                ticket.service_code,
                "★" if ticket.priority else "",
                tr(self, "word.minutes", n=minutes_between(ticket.issued_at, now)),
                hm(ticket.issued_at, tz, lang_of(self)),
                key=str(ticket.id),
            )


class WaitingByService(Static):
    """How many wait for each service of this counter, and the estimate for a newcomer."""

    def show(self, rows: tuple[ServiceWaiting, ...], total: int, lang: str) -> None:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(ratio=1, no_wrap=True)
        table.add_column(justify="right")
        table.add_column(justify="right", style="dim")
        for row in rows:
            table.add_row(
                row.code,
                str(row.waiting),
                f"~{tr(self, 'word.minutes', n=row.eta_minutes)}" if row.waiting else "",
            )
        table.add_row(Text(tr(self, "tui.total"), style="bold"), Text(str(total), style="bold"))
        self.update(table)


class MyDay(Static):
    """The officer's day at this counter."""

    def show(self, day: OfficerDay) -> None:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(ratio=1, no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_row(tr(self, "tui.day.served"), str(day.served))
        table.add_row(tr(self, "tui.day.no_shows"), str(day.no_shows))
        table.add_row(tr(self, "tui.day.transferred"), str(day.transferred))
        avg = duration(day.avg_service_seconds) if day.avg_service_seconds is not None else "–"
        table.add_row(tr(self, "tui.day.average"), avg)
        if day.avg_standard_minutes is not None:
            table.add_row(
                tr(self, "tui.day.standard"),
                tr(self, "word.minutes", n=round(day.avg_standard_minutes)),
            )
            table.add_row(tr(self, "tui.day.within"), f"{day.within_standard}/{day.served}")
        self.update(table)


class StatusLine(Static):
    """Counter state, who is signed in, database connection and the clock."""

    def show(
        self,
        counter: CounterView | None,
        desk: CounterDesk | None,
        *,
        officer: str,
        pause: str,
        online: bool,
        now: datetime,
        tz: tzinfo,
    ) -> None:
        parts: list[Text] = []
        if counter is not None:
            state = tr(self, f"counter.{counter.state.value}").upper()
            if pause:
                state += f" ({pause})"
            parts.append(Text(f"{counter.code} {counter.name}", style="bold"))
            parts.append(Text(f"● {state}"))
        parts.append(Text(officer))
        if online:
            parts.append(Text(tr(self, "tui.status.online")))
        else:
            parts.append(Text(f"⚠ {tr(self, 'tui.status.offline')}", style="bold reverse"))
        parts.append(Text(clock_text(now, tz, lang_of(self))))
        self.update(Text(" │ ").join(parts), layout=False)  # one fixed row
