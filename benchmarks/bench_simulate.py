"""Benchmark a full simulated day of the large hall (60 counters, 3,000 visitors) at --speed max.

For each backend: a fresh database with MPP Besar's reference data (data/large.toml), then
`run_day(profile="large", speed=None)` with the robots as processes (timed), then the day's
invariants (`mpp_tui.db.invariants`: no ticket held by two counters, one active ticket per
counter, numbers 1..N per prefix, every ticket's event log a legal chain that replays to its
row, no ticket still held at the end). The baseline, measured in the same
run on the same database (the next day): one process issuing, calling, starting and finishing
the same number of visits straight through Hall, with no robots, no coordinator and no
waiting. Prints a Markdown table.

    uv run python benchmarks/bench_simulate.py                    # both backends
    uv run python benchmarks/bench_simulate.py --backend postgres --seed 2
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import Engine

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import load_seed
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.sim import DaySummary, read_profile, run_day
from mpp_tui.sim.crew import robot_username

PG_ADMIN = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DAY = date(2026, 11, 30)  # a Monday
BASELINE_DAY = date(2026, 12, 1)


def fresh_database(backend: str, folder: Path) -> tuple[str, str | None]:
    """A new, empty database URL (and the PostgreSQL database name to drop afterwards)."""
    if backend == "sqlite":
        return sqlite_url(folder / f"bench-{uuid.uuid4().hex[:8]}.sqlite"), None
    name = f"mpp_bench_sim_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", name


def drop(name: str | None) -> None:
    if name is not None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def baseline(engine: Engine, visits: int) -> float:
    """Seconds for one process to issue and serve `visits` tickets straight through.

    The counters were opened by the simulated day's robots and closed again; the baseline
    signs one robot in at each counter it needs (untimed) and then, for every visit, issues a
    ticket for a service and calls, starts and finishes it at a counter serving it.
    """
    tz = ZoneInfo("Asia/Jakarta")
    clock = FrozenClock(datetime.combine(BASELINE_DAY, clock_time(8, 0), tzinfo=tz))
    queue = Hall(engine, clock=clock)
    ref = queue.ref()
    officers = Hall(engine, clock=clock).officers
    for o in officers.list():
        if o.username.startswith("sim_") and not o.active:
            officers.enable(username=o.username)
    queue.ref(fresh=True)
    pairs = []
    for counter in ref.counters.values():
        for sid in sorted(counter.services):
            if ref.services[sid].code not in ("STNK_5TH", "BBN_KB", "PASPOR_BARU", "PASPOR_GANTI"):
                pairs.append((counter.code, ref.services[sid].code))
                break
    for counter, _ in pairs:
        queue.sessions.open_counter(counter=counter, officer=robot_username(counter))
    began = time.perf_counter()
    for _, (counter, service) in zip(range(visits), itertools.cycle(pairs), strict=False):
        clock.set(clock.now() + timedelta(seconds=5))
        queue.issuing.issue_ticket(service=service, source="sim", override_by="sim_spv")
        officer = robot_username(counter)
        queue.calls.call_next(counter=counter, officer=officer)
        queue.calls.start(counter=counter, officer=officer)
        queue.calls.finish(counter=counter, officer=officer)
    took = time.perf_counter() - began
    for counter, _ in pairs:
        queue.sessions.close_counter(counter=counter, officer=robot_username(counter))
    return took


def bench(backend: str, seed: int, folder: Path) -> dict[str, object]:
    url, name = fresh_database(backend, folder)
    engine = make_engine(url)
    try:
        profile = read_profile("large")
        upgrade(engine)
        load_seed(engine, profile.seed)
        began = time.perf_counter()
        summary: DaySummary = run_day(engine, profile, seed=seed, speed=None, day=DAY)
        wall = time.perf_counter() - began
        violations = find_violations(engine, days=[DAY], day_over=True)
        visits = summary.total.visitors + summary.total.transferred_in
        base = baseline(engine, visits)
        base_violations = find_violations(engine, days=[BASELINE_DAY], day_over=True)
    finally:
        engine.dispose()
        drop(name)
    t = summary.total
    return {
        "backend": backend,
        "visitors": t.visitors,
        "visits": visits,
        "served": t.served,
        "turned_away": t.turned_away,
        "expired": t.expired,
        "counters": len(summary.counters),
        "steps": summary.steps,
        "wall": wall,
        "per_visit_ms": 1000 * wall / max(visits, 1),
        "baseline": base,
        "violations": len(violations) + len(base_violations),
        "wait_avg_min": (t.wait_avg_s or 0) / 60,
        "wait_p90_min": (t.wait_p90_s or 0) / 60,
        "utilisation": t.utilisation or 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("both", "postgres", "sqlite"), default="both")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    backends = ("postgres", "sqlite") if args.backend == "both" else (args.backend,)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            print(f"{backend}: playing the day …", flush=True)
            rows.append(bench(backend, args.seed, Path(tmp)))
    print()
    print(
        "| backend | visitors (+transfers) | counters | served | over quota | expired "
        "| avg / p90 wait | utilisation | simulated day, wall | per visit "
        "| baseline: 1 process, same visits | invariant violations |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['backend']} | {r['visitors']} (+{int(r['visits']) - int(r['visitors'])}) "  # type: ignore[call-overload]
            f"| {r['counters']} | {r['served']} | {r['turned_away']} | {r['expired']} "
            f"| {r['wait_avg_min']:.1f} / {r['wait_p90_min']:.1f} min "
            f"| {r['utilisation']:.0%} | {r['wall']:.1f} s ({r['steps']} steps) "
            f"| {r['per_visit_ms']:.1f} ms | {r['baseline']:.1f} s | {r['violations']} |"
        )


if __name__ == "__main__":
    main()
