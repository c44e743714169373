"""Benchmark how cost grows with history: call_next latency and report time at 10k, 100k, 1M.

The issue's target (item 4, "how cost grows"): with 10,000, 100,000 and 1,000,000 tickets of
history, `call_next` stays flat and a report grows at most linearly with the tickets it covers.

Method. For each backend and each size, a fresh database (an SQLite file, a new PostgreSQL
database) is migrated, seeded with data/kotim.toml, brought to 60 counters with an officer
each, and filled by `mpp_tui.sim.history` (what `mpp simulate history --hall-size large` runs)
with `--per-day` visitors a full weekday, going back from the day before the measurement day
until the size is reached. The measurement day is the next Monday after today, 09:00 WIB, on a
frozen clock, so history, "today" and the reports' month never depend on the real date.

Then, on that day:

* `issue`: `--today` tickets are issued through Hall (the kiosk's path) for services
  of the first `--counters` counters, which their officers open;
* `call_next`: `--calls` cycles of `call_next` → `finish`, round robin over those counters;
  each `call_next` is timed (p50, p95): it reads only today's waiting tickets, so it must not
  care how much history lies behind;
* `report`: `Reports.report(by=agency)` over the 30 days before the day ("month") and
  over the whole history ("all"), the median of `--repeat` runs after a warm-up, each with a
  fresh service as `mpp report` has. The month covers the same days at every size once the
  history is longer than a month; "all" covers every ticket and should grow no faster than
  the tickets (ratio ≤ ×tickets).

Ratios are against the smallest size of the same backend in the same run. Prints a Markdown
table.

    uv run python benchmarks/bench_scale.py                              # 10k and 100k, ~3 min
    uv run python benchmarks/bench_scale.py --sizes 10000,100000,1000000 # + 1M, ~25 min
    uv run python benchmarks/bench_scale.py --only postgres --sizes 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_reports as base

from mpp_tui.db.engine import make_engine
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict
from mpp_tui.domain.rules import is_open
from mpp_tui.services.facade import Hall
from mpp_tui.sim import history

WIB = ZoneInfo("Asia/Jakarta")
LABEL = base.LABEL


@dataclass
class Row:
    """The figures of one backend at one history size."""

    backend: str
    tickets: int
    build_s: float
    call_p50_ms: float
    call_p95_ms: float
    month_ms: float
    all_ms: float
    month_tickets: int


def measurement_day(today: date) -> date:
    """The next Monday after `today`."""
    return today + timedelta(days=7 - today.weekday())


def build(db: base.Database, size: int, per_day: int, seed: int, day: date) -> float:
    """Migrate, seed, 60 counters with officers, `size` visitors of history; seconds taken."""
    started = time.perf_counter()
    engine = make_engine(db.url)
    try:
        upgrade(engine)
        load_seed(engine, read_seed(default_seed_file()))
        history.add_counters(engine, history.LARGE_COUNTERS)
        history.ensure_officers(engine, history.LARGE_COUNTERS)
        rng = random.Random(seed)
        hall = history.load_hall(engine, rng)
        plan = history.plan_days(
            hall, rng, end=day - timedelta(days=1), per_day=per_day, tickets=size
        )
        history.write_history(engine, hall, plan, rng)
    finally:
        engine.dispose()
    return time.perf_counter() - started


def measure(
    db: base.Database, day: date, *, counters: int, today: int, calls: int, repeat: int
) -> tuple[list[float], float, float, int]:
    """call_next latencies (s), month and whole-history report medians (s), month tickets."""
    clock = FrozenClock(datetime.combine(day, clock_time(9), WIB).astimezone(UTC))
    engine = make_engine(db.url)
    try:
        queue = Hall(engine, clock=clock)
        ref = queue.ref(fresh=True)
        # Services the kiosk issues without limit at 09:00 (no quota, open on Mondays).
        free = {
            s.id
            for s in ref.services.values()
            if s.active
            and s.daily_quota is None
            and ref.agencies[s.agency_id].daily_quota is None
            and is_open(s.schedule, clock.now(), ref.tz)
        }
        desks = [c for c in sorted(ref.counters.values(), key=lambda c: c.id) if c.services & free]
        desks = desks[:counters]
        officers = [f"{history.OFFICER_PREFIX}{i + 1:02d}" for i in range(len(desks))]
        for desk, officer in zip(desks, officers, strict=True):
            queue.sessions.open_counter(counter=desk.code, officer=officer)
        codes = sorted(ref.services[s].code for d in desks for s in d.services & free)
        for i in range(today):
            queue.issuing.issue_ticket(service=codes[i % len(codes)])
        latencies = []
        for i in range(calls):
            desk, officer = desks[i % len(desks)], officers[i % len(desks)]
            started = time.perf_counter()
            try:
                queue.calls.call_next(counter=desk.code, officer=officer)
            except Conflict:  # this counter's services ran dry: the others go on
                continue
            latencies.append(time.perf_counter() - started)
            queue.calls.finish(counter=desk.code, officer=officer)
        month = (day - timedelta(days=30), day - timedelta(days=1))
        whole = (date(2000, 1, 1), day - timedelta(days=1))

        def report(span: tuple[date, date]) -> float:
            service = Hall(engine, clock=clock).reports
            service.report(start=span[0], end=span[1])  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                Hall(engine, clock=clock).reports.report(start=span[0], end=span[1])
                times.append(time.perf_counter() - started)
            return statistics.median(times)

        found = Hall(engine, clock=clock).reports.report(start=month[0], end=month[1]).total
        return latencies, report(month), report(whole), found.visits + found.voided
    finally:
        engine.dispose()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def table(rows: list[Row]) -> str:
    lines = [
        "| backend | history | build | call_next p50 | p95 | ×p50 | month report | × "
        "| all-history report | × | ×tickets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    first: dict[str, Row] = {}
    for r in rows:
        f = first.setdefault(r.backend, r)
        lines.append(
            f"| {LABEL[r.backend]} | {r.tickets:,} | {r.build_s:.0f} s "
            f"| {r.call_p50_ms:.2f} ms | {r.call_p95_ms:.2f} ms "
            f"| {r.call_p50_ms / f.call_p50_ms:.2f}× "
            f"| {r.month_ms:,.0f} ms ({r.month_tickets:,}) | {r.month_ms / f.month_ms:.1f}× "
            f"| {r.all_ms:,.0f} ms | {r.all_ms / f.all_ms:.1f}× | {r.tickets / f.tickets:.0f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="history sizes (visitors)")
    parser.add_argument("--per-day", type=int, default=3000, help="visitors a full weekday")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one backend only")
    parser.add_argument("--counters", type=int, default=12, help="counters calling today")
    parser.add_argument("--today", type=int, default=600, help="tickets issued today")
    parser.add_argument("--calls", type=int, default=400, help="timed call_next calls")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per report")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the databases (prints URLs)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [args.only] if args.only else ["postgres", "sqlite"]
    day = measurement_day(datetime.now(UTC).astimezone(WIB).date())
    rows: list[Row] = []
    for backend in backends:
        for size in sizes:
            db = base.Database.create(backend)
            try:
                print(f"{LABEL[backend]}: {size:,} tickets of history …", file=sys.stderr)
                seconds = build(db, size, args.per_day, args.seed, day)
                latencies, month_s, all_s, month_n = measure(
                    db,
                    day,
                    counters=args.counters,
                    today=args.today,
                    calls=args.calls,
                    repeat=args.repeat,
                )
                ticket_rows = _ticket_rows(db)
                rows.append(
                    Row(
                        backend,
                        ticket_rows,
                        seconds,
                        pct(latencies, 0.5) * 1000,
                        pct(latencies, 0.95) * 1000,
                        month_s * 1000,
                        all_s * 1000,
                        month_n,
                    )
                )
                print(f"  built in {seconds:.0f} s; {rows[-1]}", file=sys.stderr)
            finally:
                if args.keep:
                    print(f"  kept: {db.url}", file=sys.stderr)
                else:
                    db.drop()
    print(
        f"History at {args.per_day:,} visitors a full weekday, 60 counters; measured on "
        f"{day.isoformat()} 09:00 WIB with {args.today} tickets issued that day, {args.calls} "
        f"call_next on {args.counters} counters; reports by agency, median of {args.repeat}."
    )
    print()
    print(table(rows))


def _ticket_rows(db: base.Database) -> int:
    """Ticket rows of the history (transfer children included; today's excluded)."""
    engine = make_engine(db.url)
    try:
        with engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    "SELECT count(*) FROM ticket WHERE business_date < "
                    "(SELECT max(business_date) FROM ticket)"
                ).scalar_one()
            )
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
