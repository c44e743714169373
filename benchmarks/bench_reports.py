"""Benchmark `mpp report`: ReportService.report over a month and a year of generated history.

The issue's targets: with 1,000,000 tickets of history (a 60-counter hall), a one-month report
≤ 1 s and a one-year report ≤ 5 s on PostgreSQL, and within 2× of those on SQLite.

Method. For each backend a fresh database (an SQLite file, a new PostgreSQL database) is migrated
and seeded with data/kotim.toml; 42 benchmark counters are added to MPP Kotim's 18 (each serving
the services of one agency, round robin) and an officer is given to each of the 60. History is
then written through the raw driver in bulk (sqlite3 `executemany`, psycopg `COPY`):
`--per-day` visitors a weekday (±20 %; Fridays 45 %, the hall's Friday-prayer hours), going back
from yesterday until `--tickets` visitors' tickets exist (transfer children come on top), each
with every event its life wrote (about four a ticket). The mix is a hall's:

* 8 % priority visitors (lansia 4 %, disabilitas 1.5 %, ibu hamil 1.5 %, anak 1 %, korban
  bencana 0.1 %), issue times uniform over the opening hours (08:00–15:00, Fridays –11:00 WIB),
  services drawn with uneven weights (some are five to eight times busier);
* outcomes: 80 % served (a tenth finished straight from the call, a tenth recalled once), 6 %
  no-shows (called, recalled, no-show), 4 % transferred (a child ticket for another service, itself
  served), 2 % returned to the queue once and then served, 2.5 % cancelled while waiting, 0.5 %
  kiosk print failures voided at once, the rest (5 %) expired at the day's close next morning;
* waits exponential (mean 12 minutes), service times around 60 % of the service's standard
  (normal, σ 30 %; about one in ten over it).

PostgreSQL is then VACUUM ANALYZEd (what autovacuum keeps a hall's database at); SQLite is left
as the app leaves it (mpp never runs ANALYZE), unless --analyze.

Measured: `ReportService.report(start, end, by=...)` over the 30 days ("month") and the 365
days ("year") before today, per grouping (`--by`, default agency, the default of `mpp report`):
the median of `--repeat` runs after one warm-up run, each with a fresh service (so the
reference data is read inside the measured time, as one `mpp report` does). Baseline, in the
same run over the same rows: one raw `SELECT service_id, count(*), avg(finish - start) FROM
ticket WHERE hall AND business_date range GROUP BY service_id` through the raw driver (psycopg /
sqlite3), the cheapest query that reads every ticket of the range. Ratio = report / baseline.
Then the index this benchmark proposes for item 6, `ticket_event (hall_id, kind, at)`, is
created and everything is measured again (`--no-index` skips that).

With fewer tickets than a year holds, the "year" covers the whole history. Prints a Markdown
table.

    uv run python benchmarks/bench_reports.py                      # 100,000 tickets, < 1 minute
    uv run python benchmarks/bench_reports.py --tickets 200000 --by agency,service,hour
    uv run python benchmarks/bench_reports.py --tickets 1000000 --by agency,hour   # ~12 minutes
    uv run python benchmarks/bench_reports.py --only sqlite --keep
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Engine, insert, select, text

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.db.tables import COUNTER, COUNTER_SERVICE, OFFICER, SERVICE
from mpp_tui.domain.report_views import Report
from mpp_tui.domain.rules import format_code
from mpp_tui.services.base import ServiceRef
from mpp_tui.services.reports import ReportService

PG_URL = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
WIB = ZoneInfo("Asia/Jakarta")
COUNTERS = 60
TARGET_S = {"month": 1.0, "year": 5.0}
SQLITE_FACTOR = 2.0  # SQLite may take twice as long
LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
PRIORITIES: tuple[tuple[str, float], ...] = (
    ("lansia", 0.04),
    ("disabilitas", 0.015),
    ("ibu_hamil", 0.015),
    ("anak", 0.01),
    ("korban_bencana", 0.001),
)
# Cumulative outcome shares; what is left after the last is expired.
OUTCOMES = (
    ("done", 0.80),
    ("no_show", 0.86),
    ("transferred", 0.90),
    ("returned", 0.92),
    ("cancelled", 0.945),
    ("void", 0.95),
)
TICKET_COLUMNS = (
    "id",
    "hall_id",
    "business_date",
    "service_id",
    "prefix",
    "number",
    "code",
    "priority",
    "status",
    "counter_id",
    "officer_id",
    "target_counter_id",
    "parent_id",
    "sort_key",
    "issued_at",
    "called_at",
    "started_at",
    "finished_at",
    "call_count",
    "outcome",
    "note",
    "source",
)
EVENT_COLUMNS = (
    "id",
    "hall_id",
    "ticket_id",
    "kind",
    "at",
    "status_from",
    "status_to",
    "counter_id",
    "officer_id",
    "detail",
)


# --- the hall -------------------------------------------------------------------------------------


@dataclass
class Hall:
    """What the generator needs of the prepared hall."""

    hall_id: int
    services: list[ServiceRef]
    weights: list[float]
    desks: dict[int, list[tuple[int, int]]]  # service id -> [(counter id, officer id)]


def add_counters(engine: Engine) -> None:
    """Bring the hall to 60 counters (each new one serves one agency's services) and give every
    counter an officer (no PIN is ever checked here, so the hash is a placeholder)."""
    with engine.begin() as conn:
        hall_id = conn.execute(text("SELECT id FROM hall")).scalar_one()
        agencies = [
            r.agency_id
            for r in conn.execute(
                select(SERVICE.c.agency_id).distinct().order_by(SERVICE.c.agency_id)
            )
        ]
        have = conn.execute(select(COUNTER.c.id)).all()
        extra = [
            {
                "hall_id": hall_id,
                "code": f"X{i + 1:02d}",
                "name": f"Loket X{i + 1:02d}",
                "agency_id": agencies[i % len(agencies)],
                "active": True,
                "state": "closed",
                "priority_streak": 0,
                "sort": 100 + i,
            }
            for i in range(len(have), COUNTERS)
        ]
        conn.execute(insert(COUNTER), extra)
        services = conn.execute(select(SERVICE.c.id, SERVICE.c.agency_id)).all()
        new = conn.execute(select(COUNTER.c.id, COUNTER.c.agency_id).where(COUNTER.c.sort >= 100))
        conn.execute(
            insert(COUNTER_SERVICE),
            [
                {"counter_id": c.id, "service_id": s.id}
                for c in new
                for s in services
                if s.agency_id == c.agency_id
            ],
        )
        conn.execute(
            insert(OFFICER),
            [
                {
                    "hall_id": hall_id,
                    "username": f"petugas{i + 1:02d}",
                    "full_name": f"Petugas {i + 1}",
                    "role": "operator",
                    "pin_hash": "-",
                    "active": True,
                    "failed_attempts": 0,
                }
                for i in range(COUNTERS)
            ],
        )


def load_hall(engine: Engine, rng: random.Random) -> Hall:
    service = ReportService(engine)
    ref = service.ref(fresh=True)
    with engine.connect() as conn:
        officers = [r.id for r in conn.execute(select(OFFICER.c.id).order_by(OFFICER.c.id))]
    counters = sorted(ref.counters.values(), key=lambda c: c.id)
    officer_of = {c.id: officers[i % len(officers)] for i, c in enumerate(counters)}
    desks: dict[int, list[tuple[int, int]]] = {}
    for c in counters:
        for sid in c.services:
            desks.setdefault(sid, []).append((c.id, officer_of[c.id]))
    services = [s for s in ref.services.values() if s.id in desks]
    weights = [float(rng.choice((1, 2, 3, 5, 8))) for _ in services]  # some services are busy
    return Hall(ref.hall_id, services, weights, desks)


# --- history --------------------------------------------------------------------------------------


class History:
    """Generates tickets and events in id order, day by day going back from yesterday."""

    def __init__(self, hall: Hall, rng: random.Random) -> None:
        self.hall = hall
        self.rng = rng
        self.ticket_id = 0
        self.event_id = 0

    def days(self, today: date, total: int, per_day: int) -> Iterator[tuple[date, int]]:
        """(business date, tickets) for past weekdays until `total` tickets are planned."""
        planned = 0
        day = today
        while planned < total:
            day -= timedelta(days=1)
            if day.weekday() >= 5:
                continue
            n = round(per_day * self.rng.uniform(0.8, 1.2) * (0.45 if day.weekday() == 4 else 1))
            n = min(n, total - planned)
            planned += n
            yield day, n

    def day(self, day: date, n: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """One business day's tickets (root tickets and transfer children) and events."""
        rng = self.rng
        opens = datetime(day.year, day.month, day.day, 8, tzinfo=WIB)
        hours = 3 if day.weekday() == 4 else 7
        issue_times = sorted(rng.uniform(0, hours * 3600) for _ in range(n))
        numbers: dict[str, int] = {}
        tickets: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        next_morning = opens + timedelta(days=1, hours=-1)
        for offset in issue_times:
            svc = rng.choices(self.hall.services, self.hall.weights)[0]
            numbers[svc.prefix] = numbers.get(svc.prefix, 0) + 1
            priority = None
            draw = rng.random()
            for code, share in PRIORITIES:
                if draw < share:
                    priority = code
                    break
                draw -= share
            draw = rng.random()
            kind = next((k for k, share in OUTCOMES if draw < share), "expired")
            issued = opens + timedelta(seconds=offset)
            self._ticket(
                tickets,
                events,
                day=day,
                svc=svc,
                number=numbers[svc.prefix],
                priority=priority,
                kind=kind,
                issued=issued,
                expire_at=next_morning,
                parent=None,
            )
        return tickets, events

    def _ticket(
        self,
        tickets: list[tuple[Any, ...]],
        events: list[tuple[Any, ...]],
        *,
        day: date,
        svc: ServiceRef,
        number: int,
        priority: str | None,
        kind: str,
        issued: datetime,
        expire_at: datetime,
        parent: tuple[int, int] | None,  # (parent id, sort key)
    ) -> None:
        rng = self.rng
        self.ticket_id += 1
        tid = self.ticket_id
        sort_key = parent[1] if parent else tid
        hid = self.hall.hall_id
        counter_id, officer_id = rng.choice(self.hall.desks[svc.id])
        ev: list[tuple[str, datetime, str | None, str, int | None]] = []

        def event(kind: str, at: datetime, frm: str | None, to: str, desk: bool = True) -> None:
            ev.append((kind, at, frm, to, counter_id if desk else None))

        event("transferred_in" if parent else "issued", issued, None, "waiting", bool(parent))
        status, called, started, finished, calls, outcome = "waiting", None, None, None, 0, None
        served_by: tuple[int | None, int | None] = (None, None)
        if kind in ("done", "no_show", "transferred", "returned"):
            called = issued + timedelta(minutes=min(rng.expovariate(1 / 12), 180))
            calls = 1
            served_by = (counter_id, officer_id)
            event("called", called, "waiting", "called")
            if kind == "returned":
                back = called + timedelta(minutes=rng.uniform(1, 3))
                event("returned", back, "called", "waiting")
                called = back + timedelta(minutes=rng.uniform(1, 20))
                event("called", called, "waiting", "called")
            if kind == "no_show":
                event("recalled", called + timedelta(minutes=2), "called", "called")
                finished = called + timedelta(minutes=4)
                event("no_show", finished, "called", "no_show")
                status, calls = "no_show", 2
            else:
                if rng.random() < 0.1:
                    event("recalled", called + timedelta(minutes=1), "called", "called")
                    calls += 1
                straight = rng.random() < 0.1
                started = called if straight else called + timedelta(minutes=rng.uniform(0.2, 2))
                if not straight:
                    event("started", started, "called", "serving")
                minutes = max(rng.gauss(0.6, 0.3), 0.05) * svc.max_minutes
                finished = started + timedelta(minutes=minutes)
                if kind == "transferred":
                    event(
                        "transferred", finished, "called" if straight else "serving", "transferred"
                    )
                    status = "transferred"
                else:
                    outcome = rng.choice(("selesai",) * 8 + ("berkas_tidak_lengkap", "informasi"))
                    event("finished", finished, "called" if straight else "serving", "done")
                    status = "done"
        elif kind == "cancelled":
            finished = issued + timedelta(minutes=rng.uniform(1, 30))
            event("cancelled", finished, "waiting", "cancelled", False)
            status = "cancelled"
        elif kind == "void":
            finished = issued + timedelta(seconds=20)
            event("print_failed", finished, "waiting", "cancelled", False)
            status = "cancelled"
        else:
            finished = expire_at
            event("expired", finished, "waiting", "expired", False)
            status = "expired"
        tickets.append(
            (
                tid,
                hid,
                day,
                svc.id,
                svc.prefix,
                number,
                format_code(svc.prefix, number),
                priority,
                status,
                served_by[0],
                served_by[1],
                None,
                parent[0] if parent else None,
                sort_key,
                issued,
                called,
                started,
                finished,
                calls,
                outcome,
                None,
                "transfer" if parent else "kiosk",
            )
        )
        for kind_, at, frm, to, counter in ev:
            self.event_id += 1
            events.append(
                (
                    self.event_id,
                    hid,
                    tid,
                    kind_,
                    at,
                    frm,
                    to,
                    counter,
                    officer_id if counter else None,
                    None,
                )
            )
        if status == "transferred":
            assert finished is not None
            others = [s for s in self.hall.services if s.id != svc.id]
            self._ticket(
                tickets,
                events,
                day=day,
                svc=rng.choice(others),
                number=number,
                priority=priority,
                kind="done",
                issued=finished,
                expire_at=expire_at,
                parent=(tid, sort_key),
            )


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy would store on SQLite: naive UTC text for timestamps, ISO dates."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_history(url: str, hall: Hall, tickets: int, per_day: int, seed: int) -> int:
    """Bulk-write `tickets` visitors' tickets of past days (transfer children come on top)
    with their events, through the raw driver; returns the number of ticket rows."""
    history = History(hall, random.Random(seed))
    today = datetime.now(UTC).astimezone(WIB).date()
    days = ((day, *history.day(day, n)) for day, n in history.days(today, tickets, per_day))
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        marks = {cols: ", ".join("?" * len(cols)) for cols in (TICKET_COLUMNS, EVENT_COLUMNS)}
        t_sql = f"INSERT INTO ticket ({', '.join(TICKET_COLUMNS)}) VALUES ({marks[TICKET_COLUMNS]})"
        e_sql = (
            f"INSERT INTO ticket_event ({', '.join(EVENT_COLUMNS)}) VALUES ({marks[EVENT_COLUMNS]})"
        )
        conn.execute("BEGIN")
        for _, rows, events in days:
            conn.executemany(t_sql, [tuple(map(_sqlite_value, r)) for r in rows])
            conn.executemany(e_sql, [tuple(map(_sqlite_value, e)) for e in events])
        conn.execute("COMMIT")
        conn.close()
        return history.ticket_id
    t_copy = f"COPY ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN"
    e_copy = f"COPY ticket_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    with psycopg.connect(_libpq(url)) as pg, pg.cursor() as cur:
        for _, rows, events in days:
            with cur.copy(t_copy) as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy(e_copy) as copy:
                for row in events:
                    copy.write_row(row)
        for table in ("ticket", "ticket_event"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    return history.ticket_id


# --- databases ------------------------------------------------------------------------------------


@dataclass
class Database:
    """A fresh database of one backend, dropped (or deleted) at the end unless kept."""

    backend: str
    url: str
    name: str
    folder: Path | None = None

    @classmethod
    def create(cls, backend: str) -> Database:
        name = f"mpp_bench_reports_{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="mpp-bench-reports-"))
            return cls(backend, sqlite_url(folder / f"{name}.sqlite"), name, folder)
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return cls(backend, PG_URL.rsplit("/", 1)[0] + f"/{name}", name)

    def drop(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        with psycopg.connect(_libpq(PG_URL), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def prepare(db: Database, tickets: int, per_day: int, seed: int, analyze: bool) -> float:
    """Migrate, seed, bring the hall to 60 counters and write the history; returns seconds."""
    started = time.perf_counter()
    engine = make_engine(db.url)
    try:
        upgrade(engine)
        load_seed(engine, read_seed(default_seed_file()))
        add_counters(engine)
        hall = load_hall(engine, random.Random(seed))
    finally:
        engine.dispose()
    write_history(db.url, hall, tickets, per_day, seed)
    if db.backend == "postgres":
        with psycopg.connect(_libpq(db.url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    elif analyze:
        with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")
    return time.perf_counter() - started


PROPOSED_INDEX = "CREATE INDEX ix_ticket_event_hall_kind_at ON ticket_event (hall_id, kind, at)"


def add_proposed_index(db: Database) -> None:
    """The index this benchmark argues for (issue item 6): unusual events by kind and time."""
    if db.backend == "postgres":
        with psycopg.connect(_libpq(db.url), autocommit=True) as conn:
            conn.execute(PROPOSED_INDEX)
            conn.execute("ANALYZE ticket_event")
    else:
        with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
            conn.execute(PROPOSED_INDEX)


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Figure:
    backend: str
    period: str
    by: str
    index: bool
    tickets: int
    report_s: float
    baseline_s: float

    @property
    def target_s(self) -> float:
        factor = SQLITE_FACTOR if self.backend == "sqlite" else 1.0
        return TARGET_S[self.period] * factor


BASELINE = {
    "sqlite": (
        "SELECT service_id, count(*), avg(julianday(finished_at) - julianday(started_at)) "
        "FROM ticket WHERE hall_id = ? AND business_date BETWEEN ? AND ? GROUP BY service_id"
    ),
    "postgres": (
        "SELECT service_id, count(*), avg(finished_at - started_at) "
        "FROM ticket WHERE hall_id = %s AND business_date BETWEEN %s AND %s GROUP BY service_id"
    ),
}


def median_of(runs: int, work: Callable[[], object]) -> float:
    """Median wall time of `runs` calls of `work`, after one warm-up call."""
    work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def periods(today: date) -> dict[str, tuple[date, date]]:
    """The 30 and the 365 days before today (a month's and a year's business days)."""
    return {
        "month": (today - timedelta(days=30), today - timedelta(days=1)),
        "year": (today - timedelta(days=365), today - timedelta(days=1)),
    }


def measure(db: Database, groupings: list[str], repeat: int, index: bool) -> list[Figure]:
    engine = make_engine(db.url)
    figures = []
    try:
        hall_id = ReportService(engine).ref().hall_id
        today = ReportService(engine).today()
        raw: Any = (
            sqlite3.connect(db.url.removeprefix("sqlite:///"))
            if db.backend == "sqlite"
            else psycopg.connect(_libpq(db.url), autocommit=True)
        )
        try:
            for period, (start, end) in periods(today).items():
                params = (hall_id, start.isoformat(), end.isoformat())

                def baseline(params: tuple[Any, ...] = params) -> object:
                    return raw.execute(BASELINE[db.backend], params).fetchall()

                baseline_s = median_of(repeat, baseline)
                for by in groupings:

                    def report(start: date = start, end: date = end, by: str = by) -> Report:
                        return ReportService(engine).report(start=start, end=end, by=by)

                    total = report().total
                    tickets = total.visits + total.voided
                    figures.append(
                        Figure(
                            db.backend,
                            period,
                            by,
                            index,
                            tickets,
                            median_of(repeat, report),
                            baseline_s,
                        )
                    )
                    print(f"  {figures[-1].period:5} by {by:8} {figures[-1].report_s:7.3f} s")
        finally:
            raw.close()
    finally:
        engine.dispose()
    return figures


def table(figures: list[Figure]) -> str:
    lines = [
        "| backend | period | by | event index | tickets | report | baseline | ratio | target | |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for f in figures:
        verdict = "ok" if f.report_s <= f.target_s else "**over**"
        lines.append(
            f"| {LABEL[f.backend]} | {f.period} | {f.by} | {'proposed' if f.index else 'as is'} "
            f"| {f.tickets:,} | {f.report_s * 1000:,.0f} ms | {f.baseline_s * 1000:,.0f} ms "
            f"| {f.report_s / f.baseline_s:,.1f}× | ≤ {f.target_s:g} s | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="history size (tickets)")
    parser.add_argument("--per-day", type=int, default=3000, help="tickets a full weekday")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one backend only")
    parser.add_argument("--by", default="agency", help="groupings, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--analyze", action="store_true", help="ANALYZE the SQLite file too")
    parser.add_argument(
        "--no-index", action="store_true", help="skip the runs with the proposed event index"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases (prints URLs)")
    args = parser.parse_args()
    groupings = [g.strip() for g in args.by.split(",") if g.strip()]
    backends = [args.only] if args.only else ["sqlite", "postgres"]
    figures: list[Figure] = []
    for backend in backends:
        db = Database.create(backend)
        try:
            print(f"{LABEL[backend]}: writing {args.tickets:,} tickets of history …", flush=True)
            seconds = prepare(db, args.tickets, args.per_day, args.seed, args.analyze)
            print(f"  prepared in {seconds:.0f} s; measuring", flush=True)
            figures += measure(db, groupings, args.repeat, index=False)
            if not args.no_index:
                add_proposed_index(db)
                print("  with the proposed index", flush=True)
                figures += measure(db, groupings, args.repeat, index=True)
        finally:
            if args.keep:
                print(f"  kept: {db.url}")
            else:
                db.drop()
    print()
    print(
        f"History: {args.tickets:,} tickets, {args.per_day:,} a full weekday, 60 counters; "
        f"median of {args.repeat} runs after a warm-up."
    )
    print()
    print(table(figures))


if __name__ == "__main__":
    main()
