"""What halls isolated by row-level security cost on the claim path (PostgreSQL, issue 15).

One deployment as docs/deployment.md makes it (owner role, a daily role bound to KOTIM by `mpp
grant`), with a second hall's backlog beside KOTIM's so the policy has rows to hide. One process
loops `call_next` → `finish` at L01 for a time budget, alternately as the owner (the tables'
owner: no row-level security applies) and as the daily role (every statement filtered by the
hall policy), in interleaved rounds so that the machine's noise hits both alike. The figure is
the daily role's claims per second ÷ the owner's, in the same run.

    uv run python benchmarks/bench_rls.py --rounds 4 --seconds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import insert, make_url
from typer.testing import CliRunner

from mpp_tui.cli.main import app as cli_app
from mpp_tui.db.engine import make_engine, write_tx
from mpp_tui.db.tables import TICKET
from mpp_tui.domain.rules import format_code
from mpp_tui.services.facade import Hall

PG_URL = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
ADMIN_PIN, PIN = "9164", "4821"
BACKLOG = 20_000  # per hall: enough that no round runs dry


def _admin(sql: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _url(db: str, role: str) -> str:
    return make_url(PG_URL).set(database=db, username=role).render_as_string(False)


def _backlog(url: str, hall: str, service: str) -> None:
    engine = make_engine(url)
    try:
        h = Hall(engine, hall=hall)
        ref, svc = h.ref(), h.ctx.service(service)
        now, day = h.now(), h.today()
        rows = [
            {
                "hall_id": ref.hall_id,
                "business_date": day,
                "service_id": svc.id,
                "prefix": svc.prefix,
                "number": n,
                "code": format_code(svc.prefix, n),
                "status": "waiting",
                "issued_at": now,
                "sort_key": n,
                "call_count": 0,
                "source": "kiosk",
            }
            for n in range(1, BACKLOG + 1)
        ]
        with write_tx(engine) as conn:
            conn.execute(insert(TICKET), rows)
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def _round(url: str, seconds: float) -> float:
    engine = make_engine(url)
    try:
        hall = Hall(engine, hall="KOTIM")
        hall.ref()
        done, end = 0, time.perf_counter() + seconds
        start = time.perf_counter()
        while time.perf_counter() < end:
            hall.calls.call_next(counter="L01", officer="budi")
            hall.calls.finish(counter="L01", officer="budi")
            done += 1
        return done / (time.perf_counter() - start)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    tag = uuid.uuid4().hex[:8]
    db, owner, daily = f"mpp_rls_{tag}", f"mpp_owner_{tag}", f"mpp_app_{tag}"
    _admin(f"CREATE ROLE {owner} LOGIN")
    _admin(f"CREATE ROLE {daily} LOGIN")
    _admin(f"CREATE DATABASE {db} OWNER {owner}")
    try:
        with psycopg.connect(_url(db, "postgres"), autocommit=True) as conn:
            conn.execute(f"ALTER SCHEMA public OWNER TO {owner}")  # type: ignore[arg-type]
            conn.execute(f"GRANT USAGE ON SCHEMA public TO {daily}")  # type: ignore[arg-type]
        runner = CliRunner()
        seed = Path(__file__).with_name("rls_second_hall.toml")
        steps = [
            ["--db", _url(db, owner), "init", "--admin", "admin"],
            ["--db", _url(db, owner), "init", "--seed", str(seed), "--admin", "admin"],
            ["--db", _url(db, owner), "--hall", "KOTIM", "grant", daily, "--by", "admin"],
        ]
        for step in steps:
            done = runner.invoke(cli_app, step, env={"MPP_PIN": ADMIN_PIN, "MPP_BY_PIN": ADMIN_PIN})
            if done.exit_code != 0:
                print(done.output, file=sys.stderr)
                return 1
        engine = make_engine(_url(db, owner))
        Hall(engine, hall="KOTIM").officers.add(username="budi", pin=PIN)
        Hall(engine, hall="KOTIM").sessions.open_counter(counter="L01", officer="budi")
        engine.dispose()
        _backlog(_url(db, owner), "KOTIM", "KTP")
        _backlog(_url(db, owner), "UJI", "BUKA")
        owner_rates, daily_rates = [], []
        for _ in range(args.rounds):
            owner_rates.append(_round(_url(db, owner), args.seconds))
            daily_rates.append(_round(_url(db, daily), args.seconds))
        o, d = statistics.median(owner_rates), statistics.median(daily_rates)
        print(f"{'role':<28} {'claims/s (median)':>18}   rounds")
        for label, median, rates in (
            ("owner (no row security)", o, owner_rates),
            ("daily role (row security)", d, daily_rates),
        ):
            print(f"{label:<28} {median:>18.1f}   {' '.join(f'{r:.0f}' for r in rates)}")
        print(f"ratio daily ÷ owner: {d / o:.3f}")
    finally:
        _admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        _admin(f"DROP ROLE IF EXISTS {daily}")
        _admin(f"DROP ROLE IF EXISTS {owner}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
