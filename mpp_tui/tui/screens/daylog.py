"""My daily log: today's tickets at this counter (or of this officer), filtered, exportable."""

from __future__ import annotations

from datetime import UTC, tzinfo
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Select
from textual.worker import get_current_worker

from mpp_tui.domain.enums import TicketStatus
from mpp_tui.domain.errors import MppError
from mpp_tui.domain.export import log_csv
from mpp_tui.domain.reference import Reference
from mpp_tui.domain.views import LogEntry
from mpp_tui.tui.backend import Desk
from mpp_tui.tui.base import MppScreen
from mpp_tui.tui.text import duration, hm, tr

ALL = "*"


# The first rows go in at once (more than a screenful), the rest in batches between paints.
FIRST_ROWS = 60
BATCH_ROWS = 300


class DayLogScreen(MppScreen[None]):
    """A table of the day's tickets with filters by outcome and service and a number search."""

    BINDINGS = [
        Binding("escape,l", "back", "key.back", key_display="Esc"),
        Binding("m", "scope", "key.scope", key_display="M"),
        Binding("e", "export", "key.export", key_display="E"),
        Binding("slash", "search", "key.search", key_display="/"),
    ]

    class Loaded(Message):
        def __init__(self, entries: list[LogEntry], ref: Reference, *, first: bool = False) -> None:
            super().__init__()
            self.entries = entries
            self.ref = ref
            self.first = first  # only the first FIRST_ROWS; the whole day follows

    class Exported(Message):
        def __init__(self, path: Path, rows: int) -> None:
            super().__init__()
            self.path = path
            self.rows = rows

    def __init__(self, desk: Desk, lang: str) -> None:
        super().__init__(lang)
        self.session = desk
        self.mine_only = False  # False: every ticket of this counter; True: this officer's
        self.entries: list[LogEntry] = []
        self.ref: Reference | None = None
        self._filling = 0  # which load the table is being filled from

    @property
    def tz(self) -> tzinfo:
        return self.ref.tz if self.ref else UTC

    def compose(self) -> ComposeResult:
        yield Label("", id="log-title", classes="panel-title")
        with Horizontal(id="log-filters"):
            yield Select[str]([], prompt=tr(self, "tui.log.all_outcomes"), id="outcome")
            yield Select[str]([], prompt=tr(self, "tui.log.all_services"), id="service")
            yield Input(id="search", placeholder=tr(self, "tui.log.search"), max_length=12)
        yield DataTable[str | Text](
            id="log-table", zebra_stripes=True, cursor_type="row", cell_padding=0
        )
        yield Label("", id="log-summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#log-table", DataTable)
        # Widths include one blank column of separation (cell padding is off to fit 80 columns).
        for key, width in (
            ("tui.col.number", 7),
            ("tui.col.service", 11),
            ("tui.col.status", 12),
            ("tui.col.issued", 6),
            ("tui.col.called", 6),
            ("tui.col.started", 6),
            ("tui.col.finished", 6),
            ("tui.col.wait", 11),
            ("tui.col.duration", 11),
            ("tui.col.note", 40),
        ):
            table.add_column(tr(self, key), width=width)
        self._title()
        self.load()

    def _title(self) -> None:
        if not self.session.counter:  # the supervisor: the whole hall
            scope = tr(self, "tui.log.hall")
        elif self.mine_only:
            scope = tr(self, "tui.log.mine", officer=self.session.officer.username)
        else:
            scope = tr(self, "tui.log.counter", counter=self.session.counter)
        self.query_one("#log-title", Label).update(tr(self, "tui.log.title", scope=scope))

    def _filters(self) -> tuple[str | None, str | None, str | None]:
        outcome = self.query_one("#outcome", Select).value
        service = self.query_one("#service", Select).value
        search = self.query_one("#search", Input).value.strip() or None
        return (
            outcome if isinstance(outcome, str) else None,
            service if isinstance(service, str) else None,
            search,
        )

    @work(thread=True, exclusive=True, group="log", exit_on_error=False)
    def load(
        self, outcome: str | None = None, service: str | None = None, search: str | None = None
    ) -> None:
        queue = self.backend.hall

        def day_log(limit: int | None = None) -> list[LogEntry]:
            return queue.daylog.day_log(
                counter=None if self.mine_only else self.session.counter or None,
                officer=self.session.officer.username if self.mine_only else None,
                outcome=outcome,
                service=service,
                search=search,
                limit=limit,
            )

        # A screenful first (a busy day's 3,000 rows take a while to read and to lay out),
        # then the whole day.
        first = day_log(FIRST_ROWS)
        if len(first) < FIRST_ROWS:
            self.post_message(self.Loaded(first, queue.ref()))
            return
        self.post_message(self.Loaded(first, queue.ref(), first=True))
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(day_log(), queue.ref()))

    def _reload(self) -> None:
        self.load(*self._filters())

    def on_day_log_screen_loaded(self, message: Loaded) -> None:
        if self.ref is None:
            self._fill_filters(message.ref)
        self.ref = message.ref
        if not message.first:
            self.entries = message.entries  # what an export writes: the whole day
        table = self.query_one("#log-table", DataTable)
        table.clear()
        self._filling += 1  # a fill still running for an older load stops
        self._add_rows(message.entries, 0, FIRST_ROWS, self._filling)
        if message.first:
            return  # the summary (and the export) wait for the whole day
        served = [
            e
            for e in message.entries
            if e.status is TicketStatus.DONE and e.service_seconds is not None
        ]
        avg = sum(e.service_seconds or 0 for e in served) / len(served) if served else None
        self.query_one("#log-summary", Label).update(
            tr(
                self,
                "tui.log.summary",
                n=len(message.entries),
                served=len(served),
                avg=duration(avg) if avg is not None else "–",
            )
        )

    def _add_rows(self, entries: list[LogEntry], start: int, count: int, filling: int) -> None:
        """Add rows start..start+count of the table, then the next batch after the screen has
        painted: a busy day's 3,000 rows would hold the screen for most of a second (the table
        measures every cell), while the first screenful shows at once this way."""
        if filling != self._filling or self.ref is None:
            return
        table = self.query_one("#log-table", DataTable)
        outcomes = self.ref.outcomes
        for e in entries[start : start + count]:
            status = tr(self, f"status.{e.status.value}")
            known = outcomes.get(e.outcome or "")
            if known is not None:
                status = known.name.pick(self.lang)
            table.add_row(
                e.code,
                e.service_code,
                Text(status),  # reference data and notes are text, never markup
                hm(e.issued_at, self.tz, self.lang),
                hm(e.called_at, self.tz, self.lang),
                hm(e.started_at, self.tz, self.lang),
                hm(e.finished_at, self.tz, self.lang),
                duration(e.wait_seconds),
                duration(e.service_seconds),
                Text(_note_text(e)),
                key=str(e.id),
            )
        if start + count < len(entries):
            self.call_after_refresh(self._add_rows, entries, start + count, BATCH_ROWS, filling)

    def _fill_filters(self, ref: Reference) -> None:
        self.query_one("#outcome", Select).set_options(
            [(o.name.pick(self.lang), o.code) for o in ref.outcomes.values()]
        )
        counter = ref.counter_by_code(self.session.counter) if self.session.counter else None
        services = counter.services if counter else ref.services.keys()
        codes = sorted(ref.services[s].code for s in services)
        self.query_one("#service", Select).set_options([(c, c) for c in codes])

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self._reload()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scope(self) -> None:
        if not self.session.counter:  # the whole hall has no "mine"
            return
        self.mine_only = not self.mine_only
        self._title()
        self._reload()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_export(self) -> None:
        if self.ref is None:
            return
        day = self.backend.hall.today() if self.entries == [] else self.entries[0].business_date
        name = f"log-{self.session.counter or 'mpp'}-{day.isoformat()}.csv"
        self.export(self.backend.export_dir / name, list(self.entries), self.tz)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, path: Path, entries: list[LogEntry], tz: tzinfo) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as out:
                rows = log_csv(entries, out, tz=tz, lang=self.lang)
        except OSError as exc:
            raise MppError("err.export_failed", path=str(path), reason=exc.strerror) from exc
        self.post_message(self.Exported(path, rows))

    def on_day_log_screen_exported(self, message: Exported) -> None:
        self.notify(tr(self, "tui.log.exported", rows=message.rows, path=str(message.path)))


def _note_text(entry: LogEntry) -> str:
    parts = []
    if entry.transferred_to:
        parts.append(f"→ {entry.transferred_to}")
    if entry.transferred_from:
        parts.append(f"← {entry.transferred_from}")
    if entry.note:
        parts.append(entry.note)
    return " ".join(parts)
