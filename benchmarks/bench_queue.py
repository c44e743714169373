"""Benchmark the call-next hot path: Hall against the same SQL sent through the raw driver.

For each backend and process count, N processes (started together on a barrier) each loop
`call_next` → `finish` on their own counter over one shared queue for a time budget; then the same
statements, captured from Hall itself, are replayed through psycopg / sqlite3 as the
baseline. Both runs start from identical copies of one prepared database.

    uv run python benchmarks/bench_queue.py --backend both --procs 1,4,16 --seconds 5
    uv run python benchmarks/bench_queue.py --backend sqlite --procs 1 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing as mp
import os
import pstats
import queue as stdlib_queue
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from argon2 import PasswordHasher
from sqlalchemy import Engine, Table, event, insert, select, text

from mpp_tui.db.engine import SQLITE_BUSY_TIMEOUT_S, make_engine, normalise_url, sqlite_url
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.db.tables import Counter, CounterService, NumberCounter, Service, Ticket, TicketEvent
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict
from mpp_tui.domain.rules import format_code
from mpp_tui.services.facade import Hall

TT: Table = Ticket.__table__  # type: ignore[attr-defined]
EV: Table = TicketEvent.__table__  # type: ignore[attr-defined]
CT: Table = Counter.__table__  # type: ignore[attr-defined]
CS: Table = CounterService.__table__  # type: ignore[attr-defined]
SV: Table = Service.__table__  # type: ignore[attr-defined]
NC: Table = NumberCounter.__table__  # type: ignore[attr-defined]

PG_URL = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Monday 30 November 2026, 09:00 WIB: inside MPP Kotim's hours (same instant as the tests).
MONDAY_0900 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
PIN = "4821"
# Two quota-free services with their own prefixes; every benchmark counter serves both.
SERVICES = ("PDAM_BAYAR", "PLN_ADUAN")
START_TIMEOUT_S = 600.0  # 64 spawned interpreters importing SQLAlchemy on 2 cores take a while
MAX_BACKLOG = 256_000
MAX_ERRORS = 50  # per process; beyond this a worker gives up (and the row says so)


def _officer(i: int) -> str:
    return f"bench{i + 1:03d}"


# --- databases -----------------------------------------------------------------------------------


class Backend:
    """Where benchmark databases live: a template prepared once, cloned for every run."""

    name: str

    def create(self) -> str:
        raise NotImplementedError

    def clone(self, template: str) -> str:
        raise NotImplementedError

    def drop(self, url: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Remove whatever is left."""


class SqliteBackend(Backend):
    name = "sqlite"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="mpp-bench-"))

    def create(self) -> str:
        return sqlite_url(self.dir / f"{uuid.uuid4().hex[:8]}.sqlite")

    def clone(self, template: str) -> str:
        source = Path(normalise_url(template).database or "")
        target = self.dir / f"{uuid.uuid4().hex[:8]}.sqlite"
        shutil.copyfile(source, target)
        wal = Path(f"{source}-wal")
        if wal.exists():  # normally checkpointed away when the template's engine closed
            shutil.copyfile(wal, f"{target}-wal")
        return sqlite_url(target)

    def drop(self, url: str) -> None:
        path = Path(normalise_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresBackend(Backend):
    name = "postgres"

    def __init__(self, admin_url: str) -> None:
        self.admin = admin_url.replace("postgresql+psycopg://", "postgresql://")
        self.created: set[str] = set()

    def _exec(self, sql: str) -> None:
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def _url(self, db: str) -> str:
        return f"{self.admin.rsplit('/', 1)[0]}/{db}"

    def create(self) -> str:
        name = f"mpp_bench_{uuid.uuid4().hex[:10]}"
        self._exec(f"CREATE DATABASE {name}")
        self.created.add(name)
        return self._url(name)

    def clone(self, template: str) -> str:
        name = f"mpp_bench_{uuid.uuid4().hex[:10]}"
        self._exec(f"CREATE DATABASE {name} TEMPLATE {template.rsplit('/', 1)[1]}")
        self.created.add(name)
        return self._url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.created.discard(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(self._url(name))


def prepare_template(backend: Backend, counters: int, backlog: int) -> str:
    """Migrate, seed, add officers and counters, open them, and bulk-insert a waiting backlog."""
    url = backend.create()
    engine = make_engine(url)
    try:
        upgrade(engine)
        load_seed(engine, read_seed(default_seed_file()))
        clock = FrozenClock(MONDAY_0900)
        officers = Hall(engine, clock=clock, hasher=FAST_HASHER).officers
        for i in range(counters):
            officers.add(username=_officer(i), pin=PIN)
        codes = _link_counters(engine, counters)
        queue = Hall(engine, clock=clock)
        for i, code in enumerate(codes):
            queue.sessions.open_counter(counter=code, officer=_officer(i))
        _insert_backlog(engine, queue, backlog)
    finally:
        engine.dispose()
    return url


def counter_codes(n: int) -> list[str]:
    """The real lokets L01..L18 first, then extra benchmark counters."""
    return [f"L{i + 1:02d}" if i < 18 else f"X{i + 1:02d}" for i in range(n)]


def _link_counters(engine: Engine, n: int) -> list[str]:
    codes = counter_codes(n)
    with engine.begin() as conn:
        hall_id = conn.execute(text("SELECT id FROM hall")).scalar_one()
        existing = dict(conn.execute(select(CT.c.code, CT.c.id)).all())
        extra = [c for c in codes if c not in existing]
        if extra:
            conn.execute(
                insert(CT),
                [
                    {
                        "hall_id": hall_id,
                        "code": c,
                        "name": f"Loket {c}",
                        "active": True,
                        "state": "closed",
                        "priority_streak": 0,
                        "sort": 100 + i,
                    }
                    for i, c in enumerate(extra)
                ],
            )
            existing = dict(conn.execute(select(CT.c.code, CT.c.id)).all())
        services = conn.execute(select(SV.c.id).where(SV.c.code.in_(SERVICES))).scalars().all()
        linked = set(conn.execute(select(CS.c.counter_id, CS.c.service_id)).all())
        rows = [
            {"counter_id": existing[c], "service_id": s}
            for c in codes
            for s in services
            if (existing[c], s) not in linked
        ]
        if rows:
            conn.execute(insert(CS), rows)
    return codes


def _insert_backlog(engine: Engine, queue: Hall, backlog: int) -> None:
    """`backlog` waiting tickets with their `issued` events, as if issued in turn by a kiosk."""
    ref = queue.ref(fresh=True)
    day = queue.today()
    services = [ref.service_by_code(code) for code in SERVICES]
    numbers = dict.fromkeys((s.prefix for s in services if s), 0)
    tickets, events = [], []
    for i in range(backlog):
        svc = services[i % len(services)]
        assert svc is not None
        numbers[svc.prefix] += 1
        tid = i + 1
        tickets.append(
            {
                "id": tid,
                "hall_id": ref.hall_id,
                "business_date": day,
                "service_id": svc.id,
                "prefix": svc.prefix,
                "number": numbers[svc.prefix],
                "code": format_code(svc.prefix, numbers[svc.prefix]),
                "status": "waiting",
                "sort_key": tid,
                "issued_at": MONDAY_0900,
                "call_count": 0,
                "source": "kiosk",
            }
        )
        events.append(
            {
                "hall_id": ref.hall_id,
                "ticket_id": tid,
                "kind": "issued",
                "at": MONDAY_0900,
                "status_to": "waiting",
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(TT), tickets)
        conn.execute(insert(EV), events)
        conn.execute(
            insert(NC),
            [
                {"hall_id": ref.hall_id, "prefix": p, "business_date": day, "last_number": n}
                for p, n in numbers.items()
            ],
        )
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('ticket', 'id'), max(id)) FROM ticket"
            )
            conn.exec_driver_sql("ANALYZE")


# --- workers --------------------------------------------------------------------------------------


@dataclass
class WorkerResult:
    cycles: int = 0
    latencies: list[float] = field(default_factory=list)  # call_next, seconds
    started: float = 0.0
    ended: float = 0.0
    locked: int = 0  # "database is locked" errors
    dry: int = 0  # the queue ran empty: the backlog was too small
    errors: list[str] = field(default_factory=list)


def _is_locked(exc: BaseException) -> bool:
    return "database is locked" in str(exc)


def service_worker(
    url: str, counter: str, officer: str, seconds: float, barrier: Any, out: Any
) -> None:
    """Loop Hall.call_next → finish on one counter for `seconds`."""
    res = WorkerResult()
    try:
        engine = make_engine(url)
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
        queue.calls.call_next(counter=counter, officer=officer)  # warm-up: connection, caches
        queue.calls.finish(counter=counter, officer=officer)
        barrier.wait(timeout=START_TIMEOUT_S)
        res.started = now = time.perf_counter()
        stop = now + seconds
        while now < stop and len(res.errors) < MAX_ERRORS:
            try:
                t0 = time.perf_counter()
                queue.calls.call_next(counter=counter, officer=officer)
                res.latencies.append(time.perf_counter() - t0)
                queue.calls.finish(counter=counter, officer=officer)
                res.cycles += 1
            except Conflict as exc:
                if exc.key != "err.queue_empty":
                    res.errors.append(f"{type(exc).__name__}: {exc}")
                res.dry += exc.key == "err.queue_empty"
            except Exception as exc:
                res.locked += _is_locked(exc)
                res.errors.append(f"{type(exc).__name__}: {exc}")
            now = time.perf_counter()
        res.ended = now
        engine.dispose()
    except BaseException:
        res.errors.append(traceback.format_exc())
    out.put(res)


@dataclass
class Captured:
    """One statement Hall sent, with its parameters and which of them hold the ticket id."""

    sql: str
    params: Any  # dict (psycopg, pyformat) or tuple (sqlite3, qmark)
    ticket_slots: list[Any]  # keys (dict) or positions (tuple) to fill with the current ticket id


@dataclass
class Script:
    """The statements of one call_next and one finish, as Hall sends them."""

    call_next: list[Captured]
    finish: list[Captured]


def capture_script(url: str, counter: str, officer: str) -> Script:
    """Run one call_next → finish through Hall and record every statement it sends.

    The ticket id is the only value that changes between cycles: it is located by parameter name
    (`ticket_id` in the event insert, `tid` in the guarded ticket update) and checked against the
    id the warm-up actually handled, so a change of SQL shape fails here instead of replaying
    something else.
    """
    engine = make_engine(url)
    seen: list[tuple[str, Any, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        compiled = getattr(context, "compiled", None)
        names = getattr(compiled, "positiontup", None) if compiled is not None else None
        seen.append((sql, params, names))

    queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
    queue.ref()
    seen.clear()
    called = queue.calls.call_next(counter=counter, officer=officer)
    first = list(seen)
    seen.clear()
    queue.calls.finish(counter=counter, officer=officer)
    second = list(seen)
    engine.dispose()

    def convert(raw: list[tuple[str, Any, Any]]) -> list[Captured]:
        out = []
        for sql, params, names in raw:
            if sql.strip().upper().startswith("BEGIN"):
                continue  # the baseline begins its own transactions
            keys = set(params) if isinstance(params, dict) else set(names or ())
            wanted: set[str] = set()
            if sql.startswith("INSERT INTO ticket_event"):
                wanted = {"ticket_id"}
            elif sql.lstrip().startswith("UPDATE ticket") and "tid" in keys:
                wanted = {"tid"}  # the action on the counter's active ticket
            if isinstance(params, dict):
                slots: list[Any] = [k for k in params if k in wanted]
            else:
                params = tuple(params)
                slots = [i for i, n in enumerate(names or ()) if n in wanted]
                if wanted and (names is None or len(names) != len(params)):
                    raise RuntimeError(f"cannot map parameters of: {sql[:80]}")
            for slot in slots:
                if params[slot] != called.id:
                    raise RuntimeError(f"{slot!r} is not the ticket id in: {sql[:80]}")
            if len(slots) != len(wanted):
                raise RuntimeError(f"ticket id not found in: {sql[:80]}")
            out.append(Captured(sql, params, slots))
        return out

    return Script(convert(first), convert(second))


def _bind(stmt: Captured, ticket_id: int | None) -> Any:
    if not stmt.ticket_slots:
        return stmt.params
    if isinstance(stmt.params, dict):
        return stmt.params | dict.fromkeys(stmt.ticket_slots, ticket_id)
    values = list(stmt.params)
    for slot in stmt.ticket_slots:
        values[slot] = ticket_id
    return tuple(values)


# The context query returns 8 counter/officer columns, then the active ticket's (id first).
_ACTIVE_ID = 8


class RawSession:
    """The captured statements replayed through the bare driver, one transaction per call."""

    def __init__(self, url: str, script: Script) -> None:
        parsed = normalise_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        self.script = script
        if self.sqlite:
            self.conn: Any = sqlite3.connect(
                parsed.database or "", timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None
            )
            for pragma in (
                f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}",
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
            ):
                self.conn.execute(pragma)
        else:
            self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))

    @contextmanager
    def _tx(self) -> Iterator[None]:
        if self.sqlite:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        else:
            try:
                yield  # psycopg opens the transaction with the first statement
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.commit()

    def call_next(self) -> int:
        """Claim the next ticket; the claim's RETURNING row gives its id."""
        ticket_id = None
        with self._tx():
            for stmt in self.script.call_next:
                cur = self.conn.execute(stmt.sql, _bind(stmt, ticket_id))
                if stmt.sql.startswith("UPDATE ticket"):
                    row = cur.fetchone()
                    if row is None:
                        raise Conflict("err.queue_empty", counter="?")
                    ticket_id = row[0]
                elif stmt.sql.startswith("SELECT counter.state"):
                    row = cur.fetchone()
                    if row is None or row[_ACTIVE_ID] is not None:
                        raise RuntimeError("counter not idle")
                else:
                    cur.fetchall()
        assert ticket_id is not None
        return int(ticket_id)

    def finish(self) -> None:
        """Finish the counter's active ticket (found by the context query, as the service does)."""
        ticket_id = None
        with self._tx():
            for stmt in self.script.finish:
                cur = self.conn.execute(stmt.sql, _bind(stmt, ticket_id))
                if stmt.sql.startswith("SELECT counter.state"):
                    ticket_id = cur.fetchone()[_ACTIVE_ID]
                elif stmt.sql.startswith("UPDATE ticket") and cur.fetchone() is None:
                    raise RuntimeError("ticket changed")
                else:
                    cur.fetchall()

    def close(self) -> None:
        self.conn.close()


def raw_worker(
    url: str, counter: str, officer: str, seconds: float, barrier: Any, out: Any
) -> None:
    """Loop the captured call_next → finish statements through the bare driver for `seconds`."""
    res = WorkerResult()
    try:
        script = capture_script(url, counter, officer)  # also the warm-up cycle
        raw = RawSession(url, script)
        raw.call_next()  # warm the connection (and psycopg's prepared statements) like the service
        raw.finish()
        barrier.wait(timeout=START_TIMEOUT_S)
        res.started = now = time.perf_counter()
        stop = now + seconds
        while now < stop and len(res.errors) < MAX_ERRORS:
            try:
                t0 = time.perf_counter()
                raw.call_next()
                res.latencies.append(time.perf_counter() - t0)
                raw.finish()
                res.cycles += 1
            except Conflict:
                res.dry += 1
            except Exception as exc:
                res.locked += _is_locked(exc)
                res.errors.append(f"{type(exc).__name__}: {exc}")
            now = time.perf_counter()
        res.ended = now
        raw.close()
    except BaseException:
        res.errors.append(traceback.format_exc())
    out.put(res)


# --- runs -----------------------------------------------------------------------------------------


@dataclass
class RunResult:
    claims: int
    claims_per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float  # the worst call: SQLite's sleep-and-retry lock wait can starve a process
    locked: int
    dry: int
    errors: list[str]


def run(url: str, procs: int, seconds: float, worker: Callable[..., None]) -> RunResult:
    """Start `procs` workers on counters 1..procs, together on a barrier; merge their results."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(procs)
    out = ctx.Queue()
    codes = counter_codes(procs)
    workers = [
        ctx.Process(target=worker, args=(url, codes[i], _officer(i), seconds, barrier, out))
        for i in range(procs)
    ]
    for w in workers:
        w.start()
    results: list[WorkerResult] = []
    errors: list[str] = []
    try:
        for _ in workers:
            results.append(out.get(timeout=START_TIMEOUT_S + seconds + 60))
    except stdlib_queue.Empty:
        errors.append(f"only {len(results)} of {procs} workers reported")
    finally:
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.terminate()
                w.join()
    lat = sorted(x for r in results for x in r.latencies)
    wall = max((r.ended for r in results), default=0) - min((r.started for r in results), default=0)
    cycles = sum(r.cycles for r in results)
    return RunResult(
        claims=cycles,
        claims_per_s=cycles / wall if wall > 0 else 0.0,
        p50_ms=_pct(lat, 50) * 1000,
        p99_ms=_pct(lat, 99) * 1000,
        max_ms=(lat[-1] if lat else float("nan")) * 1000,
        locked=sum(r.locked for r in results),
        dry=sum(r.dry for r in results),
        errors=errors + [e for r in results for e in r.errors],
    )


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def profile_service(url: str, seconds: float) -> str:
    """cProfile one process's call_next → finish loop (in this process) and return the report."""
    engine = make_engine(url)
    code, officer = counter_codes(1)[0], _officer(0)
    queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
    queue.calls.call_next(counter=code, officer=officer)
    queue.calls.finish(counter=code, officer=officer)
    profiler = cProfile.Profile()
    cycles = 0
    stop = time.perf_counter() + seconds
    profiler.enable()
    while time.perf_counter() < stop:
        queue.calls.call_next(counter=code, officer=officer)
        queue.calls.finish(counter=code, officer=officer)
        cycles += 1
    profiler.disable()
    engine.dispose()
    buf = io.StringIO()
    buf.write(f"{cycles} cycles in {seconds:.1f}s\n")
    stats = pstats.Stats(profiler, stream=buf)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--procs", default="1,4,16,64", help="comma-separated process counts")
    parser.add_argument("--seconds", type=float, default=5.0, help="time budget per run")
    parser.add_argument(
        "--backlog",
        type=int,
        default=4_000,
        help="waiting tickets at the start of a run; doubled until the baseline uses under half",
    )
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL maintenance database URL")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile one service process per backend"
    )
    args = parser.parse_args(argv)
    procs = [int(p) for p in args.procs.split(",") if p.strip()]
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]

    header = (
        f"{'backend':<9} {'procs':>5} {'claims/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'raw/s':>8} {'raw p50':>8} {'raw p99':>8} {'ratio':>6} {'max ms':>8} "
        f"{'raw max':>8} {'locked':>6} {'backlog':>7} {'load1':>5}"
    )
    lines = [header, "-" * len(header)]
    notes: list[str] = []
    locked = 0
    profiles: list[str] = []
    for name in names:
        backend: Backend = SqliteBackend() if name == "sqlite" else PostgresBackend(args.pg_url)
        templates: dict[int, str] = {}

        def template(
            size: int, backend: Backend = backend, templates: dict[int, str] = templates
        ) -> str:
            if size not in templates:
                templates[size] = prepare_template(backend, max(procs), size)
            return templates[size]

        def measure(
            n: int, size: int, worker: Callable[..., None], backend: Backend = backend
        ) -> RunResult:
            url = backend.clone(template(size))
            try:
                return run(url, n, args.seconds, worker)
            finally:
                backend.drop(url)

        try:
            backlog = args.backlog
            for n in procs:
                load1 = os.getloadavg()[0]
                # The baseline runs first: it is the faster one, so it sizes the backlog. The pick
                # sorts every waiting ticket of the counter's services, so a run should neither
                # run dry nor start from a needlessly deep queue.
                while True:
                    raw = measure(n, backlog, raw_worker)
                    if (raw.claims <= backlog // 2 and not raw.dry) or backlog >= MAX_BACKLOG:
                        break
                    backlog *= 2
                svc = measure(n, backlog, service_worker)
                for mode, res in (("raw", raw), ("service", svc)):
                    print(f"{name} {n} {mode} backlog={backlog}: {res}", file=sys.stderr)
                ratio = svc.claims_per_s / raw.claims_per_s if raw.claims_per_s else float("nan")
                lines.append(
                    f"{name:<9} {n:>5} {svc.claims_per_s:>9.0f} {svc.p50_ms:>7.2f} "
                    f"{svc.p99_ms:>7.2f} {raw.claims_per_s:>8.0f} {raw.p50_ms:>8.2f} "
                    f"{raw.p99_ms:>8.2f} {ratio:>6.2f} {svc.max_ms:>8.1f} {raw.max_ms:>8.1f} "
                    f"{svc.locked + raw.locked:>6} {backlog:>7} {load1:>5.1f}"
                )
                locked += svc.locked + raw.locked
                for mode, res in (("service", svc), ("raw", raw)):
                    if res.dry:
                        notes.append(f"{name} {n} {mode}: the queue ran dry {res.dry} times")
                    notes += [f"{name} {n} {mode}: {e.strip()[:300]}" for e in res.errors[:3]]
            if args.profile:
                url = backend.clone(template(args.backlog))
                try:
                    report = profile_service(url, args.seconds)
                    profiles.append(f"== {name}, 1 process, backlog {args.backlog} ==\n{report}")
                finally:
                    backend.drop(url)
        finally:
            for url in templates.values():
                backend.drop(url)
            backend.close()
    print("\n".join(lines))
    if notes:
        print("\nnotes:\n" + "\n".join(notes))
    for report in profiles:
        print("\n" + report)
    return 1 if locked else 0


if __name__ == "__main__":
    sys.exit(main())
