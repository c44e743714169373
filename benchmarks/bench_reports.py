"""Benchmark `mpp report`: Reports.report over a month and a year of generated history.

The issue's targets: with 1,000,000 tickets of history (a 60-counter hall), a one-month report
≤ 1 s and a one-year report ≤ 5 s on PostgreSQL, and within 2× of those on SQLite.

Method. For each backend a fresh database (an SQLite file, a new PostgreSQL database) is migrated
and seeded with data/kotim.toml; 42 benchmark counters are added to MPP Kotim's 18 (each serving
the services of one agency, round robin) and an officer is given to each of the 60. History is
then written by `mpp_tui.sim.history` (what `mpp simulate history` runs): `--per-day` visitors a
full weekday (±20 %; Fridays in proportion to their shorter hours), going back from yesterday
until `--tickets` visitors' tickets exist (transfer children come on top), each with every event
its life wrote (about four a ticket), bulk-written through the raw driver (sqlite3
`executemany`, psycopg `COPY`). The mix of a day is described in that module: a morning peak,
8 % priority visitors, 80 % served, 6 % no-shows, 4 % transferred, 2 % returned to the queue,
2.5 % cancelled, 0.5 % print failures, 5 % expired; waits exponential (mean 12 minutes), service
times around 60 % of the service's standard.

PostgreSQL is then VACUUM ANALYZEd (what autovacuum keeps a hall's database at); SQLite is left
as the app leaves it (mpp never runs ANALYZE), unless --analyze.

Measured: `Reports.report(start, end, by=...)` over the 30 days ("month") and the 365
days ("year") before today, per grouping (`--by`, default agency, the default of `mpp report`):
the median of `--repeat` runs after one warm-up run, each with a fresh service (so the
reference data is read inside the measured time, as one `mpp report` does). Baseline, in the
same run over the same rows: one raw `SELECT service_id, count(*), avg(finish - start) FROM
ticket WHERE hall AND business_date range GROUP BY service_id` through the raw driver (psycopg /
sqlite3), the cheapest query that reads every ticket of the range. Ratio = report / baseline.
The index this benchmark proposed for item 6, `ticket_event (hall_id, kind, at)` (now created
by migration 0003), is dropped for the first pass and created again for a second one
(`--no-index` skips the second pass).

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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.domain.report_views import Report
from mpp_tui.services.facade import Hall
from mpp_tui.sim import history

PG_URL = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
COUNTERS = history.LARGE_COUNTERS
TARGET_S = {"month": 1.0, "year": 5.0}
SQLITE_FACTOR = 2.0  # SQLite may take twice as long
LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


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


def prepare(
    db: Database, tickets: int, per_day: int, seed: int, analyze: bool, today: int = 0
) -> float:
    """Migrate, seed, bring the hall to 60 counters and write the history (plus `today`
    tickets on today's business date when asked); returns seconds."""
    started = time.perf_counter()
    engine = make_engine(db.url)
    try:
        upgrade(engine)
        load_seed(engine, read_seed(default_seed_file()))
        history.add_counters(engine, COUNTERS)
        history.ensure_officers(engine, COUNTERS)
        rng = random.Random(seed)
        hall = history.load_hall(engine, rng)
        day = Hall(engine).today()
        plan = history.plan_days(
            hall, rng, end=day - timedelta(days=1), per_day=per_day, tickets=tickets
        )
        if today:
            plan.append(history.DayPlan(day, today))
        history.write_history(engine, hall, plan, rng)
    finally:
        engine.dispose()
    if db.backend == "postgres":
        with psycopg.connect(_libpq(db.url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    elif analyze:
        with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")
    return time.perf_counter() - started


INDEX = "ix_ticket_event_hall_kind_at"
PROPOSED_INDEX = f"CREATE INDEX {INDEX} ON ticket_event (hall_id, kind, at)"


def drop_proposed_index(db: Database) -> None:
    """Measure without the event index this benchmark argued for (migration 0003 has it)."""
    _execute(db, f"DROP INDEX IF EXISTS {INDEX}")


def add_proposed_index(db: Database) -> None:
    """The index this benchmark argues for (issue item 6): unusual events by kind and time."""
    _execute(db, PROPOSED_INDEX, "ANALYZE ticket_event")


def _execute(db: Database, *statements: str) -> None:
    if db.backend == "postgres":
        with psycopg.connect(_libpq(db.url), autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)
    else:
        with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
            for sql in statements[:1]:  # mpp never runs ANALYZE on SQLite
                conn.execute(sql)


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
        hall_id = Hall(engine).ref().hall_id
        today = Hall(engine).today()
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
                        return Hall(engine).reports.report(start=start, end=end, by=by)

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
            f"| {LABEL[f.backend]} | {f.period} | {f.by} | {'with' if f.index else 'without'} "
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
            drop_proposed_index(db)
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
