"""Benchmark the hall board: how fast a call reaches `mpp board`, against a minimal watcher.

The issue's requirement: the board reflects a call within 0.5 s on PostgreSQL and 1 s on SQLite.

Method. For each backend (an SQLite file, a PostgreSQL database) a fresh database is migrated,
seeded with data/kotim.toml, given an officer per counter and a supervisor, every counter is
opened and tickets wait (issued through Hall with the supervisor's override, so the
benchmark runs outside the hall's hours too; the board reads today's business day by the real
clock, and so do the tickets). PostgreSQL is then ANALYZEd, as autovacuum keeps a hall's
database; without statistics its planner reads every event of the hall for the board's calls.
With --history N the database first gets N finished tickets of past days (2,000 a day, three
events each), as a hall that has been open a while. Then two processes start, each on its own
pseudo-terminal (`pty.fork`, 100×30):

* the real board, `mpp --db URL board`, unchanged;
* the baseline: a minimal watcher, no Textual and no mpp-tui code, that does only what the change
  feed (mpp_tui/services/feed.py) must do and then one query — PostgreSQL: a raw psycopg
  connection that LISTENs on `mpp_events` and waits on notifications; SQLite: a raw sqlite3
  connection that polls `PRAGMA data_version` every 50 ms. On each change it runs one raw SQL
  query, the newest `called` event of the measured counter joined to its ticket, and prints the
  ticket's code when it changed.

Once the board has painted its first loaded frame, a caller process (our officer) calls the
next ticket at counter L13 (Imigrasi, whose services no other counter serves, so each called code
is new and only ever ours) through Hall; the clock starts just before the driver's commit
of that call (the engine's commit is wrapped for this: `call_next` returns a few ms after the
commit, after one more read, while a PostgreSQL listener hears of it within a millisecond, so
timing from its return would put that baseline at zero or below). This process reads both
terminals until the code appears in each (the board shows it in its "last calls" list and in
the "now serving" grid, as plain text between escape sequences, which are stripped before
searching), keeping the time of each read. Latency = appearance − commit, for the board and the
watcher from the same call, so the two are paired and see exactly the same load. The ticket is
finished 300 ms after it showed and the next call comes 300–400 ms after the finish: the board
reloads at most once per 0.2 s after a change, and a change within 0.2 s of the previous reload
waits for the rest, so idle every call is one in a quiet hall (under load that wait is part of
the figure). Both terminals are read all the while, so neither process ever blocks on a full
terminal. A couple of calls first warm up both processes and are not counted.

The same is measured idle and under load: 4 extra processes run the other 17 counters flat out
(issue a ticket with the supervisor's override → call next → finish, in a loop), so the change
feed fires all the time and the board reloads as often as it may (far more than a real hall:
the load's rate is printed). By default the board, the watcher, the caller and this process run
on CPU 0 and the load processes on the other CPUs (the board is a separate PC in the hall; see
--no-pin). The database server is not pinned.

Ratio = board / watcher (p50 and p95). The verdict compares the board's p95 with the target.
With --trace, one more pass per figure runs the board through a small runner that logs, on the
same monotonic clock, when its feed woke, when its reload started and its query ran, when the
new state was handed to the screen, painted, and refreshed, for a breakdown of where the time
goes (that runner is the same CLI and app with those methods wrapped; it is not the one measured
in the table).

    uv run python benchmarks/bench_board.py                 # about 2½ minutes (--trace: 5)
    uv run python benchmarks/bench_board.py --quick         # about 1 minute
    uv run python benchmarks/bench_board.py --only sqlite --no-load --history 200000
    uv run python benchmarks/bench_board.py --no-idle --no-load --sim-load   # ~3 minutes

With --sim-load one more figure per backend runs under a simulated day of the 60-counter,
3,000-visitor hall (`mpp simulate --profile large --speed max`, data/large.toml loaded as a
second hall of the same database), three days one after the other so the load outlasts the
calls; the figure fails if the simulation stopped before the last call.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import fcntl
import multiprocessing as mp
import os
import pty
import queue as queue_module
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import traceback
import types
import uuid
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import psycopg
from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, event, insert

from mpp_tui.db.engine import make_engine, normalise_url, sqlite_url
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.db.tables import TICKET, TICKET_EVENT
from mpp_tui.domain.errors import Conflict
from mpp_tui.domain.rules import format_code
from mpp_tui.services.facade import Hall

PG_URL = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
VENV_BIN = Path(sys.executable).parent
TERM_SIZE = (100, 30)  # columns, rows of both pseudo-terminals

OUR_COUNTER = "L13"  # Imigrasi: its services (prefix H) are served at no other counter
HALL = "KOTIM"  # named everywhere: --sim-load adds a second hall to the database
SIM_HALL = "BESAR"  # the 60-counter hall of data/large.toml that --sim-load plays a day in
SIM_WARMUP_S = 5.0  # the simulated day's robots are all at work before the first call
SIM_DAYS = 3
OUR_SERVICES = ("PASPOR_BARU", "PASPOR_GANTI")
SUPERVISOR = "benchspv"  # issues with an override, so the hall's hours do not matter
SUPERVISOR_PIN, OFFICER_PIN = "7305", "4821"
WAITING_PER_ROBOT_COUNTER = 10  # tickets waiting at the start, besides ours
HISTORY_PER_DAY = 2000  # tickets a past day had, with --history

# The board reloads at most every 0.2 s after a change (BoardScreen.MIN_INTERVAL_S); a change
# within 0.2 s of the previous reload waits for the rest. Idle, every call and every finish
# comes at least this long after the previous change, so the idle figure is that of a call in a
# quiet hall (under load the wait is what it is).
FINISH_AFTER_S = 0.3  # from the code shown on both terminals to the finish
SPACING_S = 0.3  # from the finish to the next call...
JITTER_S = 0.1  # ...plus up to this much, so calls do not lock into the 50 ms polling phase
SAMPLE_TIMEOUT_S = 10.0  # a code not shown by then counts as missed
START_TIMEOUT_S = 60.0
WARMUP_CALLS = 2
TARGET_P95_MS = {"sqlite": 1000.0, "postgres": 500.0}
LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

BOARD_READY = re.compile(r"L18\s")  # the "now serving" grid: the board has loaded the hall
ANSI = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    rb"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC
    rb"|\x1b[()][0-9A-Za-z]"  # character sets
    rb"|\x1b[@-Z\\-_=>]"  # the rest of the two-byte escapes
)

# The baseline. Only the standard library and psycopg: what the change feed must do, one query,
# one line printed. Arguments: sqlite|postgres, the file or libpq URL, the counter's id.
WATCHER = """
import sys
import time

kind, target, counter_id = sys.argv[1], sys.argv[2], int(sys.argv[3])
QUERY = (
    "SELECT t.code FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id "
    "WHERE e.kind = 'called' AND e.counter_id = {p} ORDER BY e.id DESC LIMIT 1"
)
shown = None


def show(row):
    global shown
    if row is not None and row[0] != shown:
        shown = row[0]
        print(shown, flush=True)


if kind == "sqlite":
    import sqlite3

    conn = sqlite3.connect(target, isolation_level=None, timeout=1.0)
    query = QUERY.format(p="?")
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    show(conn.execute(query, (counter_id,)).fetchone())
    print("watching", flush=True)
    while True:
        now = conn.execute("PRAGMA data_version").fetchone()[0]
        if now != version:
            version = now
            show(conn.execute(query, (counter_id,)).fetchone())
        time.sleep(0.05)
else:
    import psycopg

    conn = psycopg.connect(target, autocommit=True)
    query = QUERY.format(p="%s")
    conn.execute("LISTEN mpp_events")
    show(conn.execute(query, (counter_id,)).fetchone())
    print("watching", flush=True)
    while True:
        # Blocks until a notification; also hands back, at once, all those that arrived while
        # the previous query ran (psycopg keeps them), so a burst costs one query.
        if any(True for _ in conn.notifies(timeout=1.0, stop_after=1)):
            show(conn.execute(query, (counter_id,)).fetchone())
"""

# --trace: the same CLI and board, with a time mark (perf_counter, CLOCK_MONOTONIC, comparable
# across processes) at each step between the feed waking and the screen having refreshed.
TRACE_RUNNER = """
import sys
import time

import mpp_tui.cli.main as cli_main
from mpp_tui.services.feed import ChangeFeed
from mpp_tui.services.facade import Hall
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.screens.board import BoardScreen

log = open(sys.argv[1], "a", buffering=1)


def mark(what):
    log.write(f"{time.perf_counter():.6f} {what}\\n")


feed_wait = ChangeFeed.wait
board = Hall.board
feed_changed = LiveScreen.on_live_screen_feed_changed
reload = BoardScreen.reload
loaded = BoardScreen.on_board_screen_loaded


def wait(self, timeout):
    changed = feed_wait(self, timeout)
    if changed:
        mark("woke")
    return changed


def timed_board(self, **kwargs):
    mark("query")
    try:
        return board(self, **kwargs)
    finally:
        mark("queried")


def on_feed_changed(self):
    mark("message")
    feed_changed(self)


def timed_reload(self):
    mark("coalesced" if self._loading else "reload")  # a running load: one more after it
    reload(self)


def on_loaded(self, message):
    mark("loaded")
    loaded(self, message)
    mark("painted")
    self.call_after_refresh(mark, "refreshed")


ChangeFeed.wait = wait
Hall.board = timed_board
LiveScreen.on_live_screen_feed_changed = on_feed_changed
BoardScreen.reload = timed_reload
BoardScreen.on_board_screen_loaded = on_loaded
sys.argv = ["mpp", *sys.argv[2:]]
sys.exit(cli_main.main())
"""
TRACE_STEPS = ("woke", "message", "reload", "query", "queried", "loaded", "painted", "refreshed")

T0 = time.perf_counter()


def _log(message: str) -> None:
    """Progress on stderr, with the seconds since the benchmark started."""
    print(f"[{time.perf_counter() - T0:6.1f}s] {message}", file=sys.stderr, flush=True)


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def _ms(value: float) -> str:
    if value != value:  # nan
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _officer(counter: str) -> str:
    return f"bench_{counter.lower()}"


# --- databases ------------------------------------------------------------------------------------


class Databases:
    """Creates this run's databases and removes every one of them in `close` (idempotent)."""

    def __init__(self, admin_url: str) -> None:
        self.admin = admin_url.replace("postgresql+psycopg://", "postgresql://")
        self.dir = Path(tempfile.mkdtemp(prefix="mpp-bench-board-"))
        self.pg_names: list[str] = []
        self.count = 0

    def create(self, backend: str) -> str:
        self.count += 1
        if backend == "sqlite":
            return sqlite_url(self.dir / f"board-{self.count}.sqlite")
        name = f"mpp_bench_board_{os.getpid()}_{self.count}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        self.pg_names.append(name)
        return f"{self.admin.rsplit('/', 1)[0]}/{name}"

    def drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            path = Path(normalise_url(url).database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        name = url.rsplit("/", 1)[1]
        if name in self.pg_names:
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self.pg_names.remove(name)

    def close(self) -> None:
        for name in list(self.pg_names):
            try:
                self.drop(f"{self.admin.rsplit('/', 1)[0]}/{name}")
            except psycopg.Error as exc:
                _log(f"could not drop {name}: {exc}")
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass(frozen=True)
class Robot:
    """A counter the load works: its officer and the service it issues tickets for."""

    counter: str
    officer: str
    service: str


def add_history(engine: Engine, queue: Hall, tickets: int) -> None:
    """Past business days: `tickets` finished tickets, HISTORY_PER_DAY a day back from
    yesterday, each with its issued, called and finished events (as a hall that has been open
    a while), spread over the counters and their services."""
    ref = queue.ref()
    pairs = [
        (c.id, ref.services[s])
        for c in sorted(ref.counters.values(), key=lambda c: c.code)
        for s in sorted(c.services)
    ]
    today = queue.today()
    ticket_id = event_id = 0
    with engine.begin() as conn:
        for first in range(0, tickets, 5000):
            rows, events = [], []
            for i in range(first, min(first + 5000, tickets)):
                ticket_id += 1
                day = today - timedelta(days=1 + i // HISTORY_PER_DAY)
                counter_id, svc = pairs[i % len(pairs)]
                number = i % HISTORY_PER_DAY + 1  # unique per prefix and day
                at = datetime.combine(day, dtime(1, 0), tzinfo=UTC) + timedelta(
                    seconds=(i % HISTORY_PER_DAY) * 10
                )
                rows.append(
                    {
                        "id": ticket_id,
                        "hall_id": ref.hall_id,
                        "business_date": day,
                        "service_id": svc.id,
                        "prefix": svc.prefix,
                        "number": number,
                        "code": format_code(svc.prefix, number),
                        "status": "finished",
                        "counter_id": counter_id,
                        "sort_key": ticket_id,
                        "issued_at": at,
                        "called_at": at + timedelta(minutes=5),
                        "finished_at": at + timedelta(minutes=12),
                        "call_count": 1,
                        "outcome": "selesai",
                        "source": "kiosk",
                    }
                )
                for kind, status_from, status_to, minutes, counter in (
                    ("issued", None, "waiting", 0, None),
                    ("called", "waiting", "called", 5, counter_id),
                    ("finished", "called", "finished", 12, counter_id),
                ):
                    event_id += 1
                    events.append(
                        {
                            "id": event_id,
                            "hall_id": ref.hall_id,
                            "ticket_id": ticket_id,
                            "kind": kind,
                            "at": at + timedelta(minutes=minutes),
                            "status_from": status_from,
                            "status_to": status_to,
                            "counter_id": counter,
                        }
                    )
            conn.execute(insert(TICKET), rows)
            conn.execute(insert(TICKET_EVENT), events)
        if conn.dialect.name == "postgresql":
            for table in ("ticket", "ticket_event"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )


def prepare(url: str, waiting: int, history: int = 0) -> tuple[int, list[Robot]]:
    """Migrate and seed, add past days, officers, open every counter, issue waiting tickets.

    Returns the measured counter's id and the other counters (for the load).
    """
    engine = make_engine(url)
    try:
        upgrade(engine)
        load_seed(engine, read_seed(default_seed_file()))
        officers = Hall(engine, hasher=FAST_HASHER).officers
        queue = Hall(engine)
        ref = queue.ref(fresh=True)
        if history:
            add_history(engine, queue, history)
        officers.add(username=SUPERVISOR, pin=SUPERVISOR_PIN, role="supervisor")
        robots = []
        for counter in sorted(ref.counters.values(), key=lambda c: c.code):
            if not counter.active:
                continue
            officers.add(username=_officer(counter.code), pin=OFFICER_PIN)
            queue.sessions.open_counter(counter=counter.code, officer=_officer(counter.code))
            if counter.code != OUR_COUNTER:
                first = min(ref.services[s].code for s in counter.services)
                robots.append(Robot(counter.code, _officer(counter.code), first))
        for robot in robots:
            for _ in range(WAITING_PER_ROBOT_COUNTER):
                queue.issuing.issue_ticket(service=robot.service, override_by=SUPERVISOR)
        for i in range(waiting):
            queue.issuing.issue_ticket(
                service=OUR_SERVICES[i % len(OUR_SERVICES)], override_by=SUPERVISOR
            )
        if engine.dialect.name == "postgresql":
            # A hall's database has statistics (autovacuum); a brand-new one has none until
            # autovacuum's first pass, and the planner then guesses (see the report's notes).
            with engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        ours = ref.counter_by_code(OUR_COUNTER)
        assert ours is not None
        return ours.id, robots
    finally:
        engine.dispose()


# --- the load -------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    actions: int = 0  # call_next and finish at the other counters
    issued: int = 0
    seconds: float = 0.0
    dry: int = 0  # another counter took the ticket first (shared services)
    errors: list[str] = field(default_factory=list)


def robot_worker(
    url: str, robots: list[Robot], cpus: set[int] | None, ready: Any, stop: Any, out: Any
) -> None:
    """Loop issue → call next → finish on each of `robots` in turn, flat out, until `stop`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us (Ctrl+C reaches us too)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if cpus:
        os.sched_setaffinity(0, cpus)
    rep = LoadReport()
    try:
        engine = make_engine(url)
        queue = Hall(engine)

        def cycle(robot: Robot) -> None:
            queue.issuing.issue_ticket(service=robot.service, override_by=SUPERVISOR)
            rep.issued += 1
            queue.calls.call_next(counter=robot.counter, officer=robot.officer)
            queue.calls.finish(counter=robot.counter, officer=robot.officer)
            rep.actions += 2

        for robot in robots:  # warm-up: connection, caches
            cycle(robot)
        rep = LoadReport()
        ready.release()
        t0 = time.perf_counter()
        while not stop.is_set() and len(rep.errors) < 20:
            for robot in robots:
                try:
                    cycle(robot)
                except Conflict as exc:
                    if exc.key == "err.queue_empty":
                        rep.dry += 1
                    else:
                        rep.errors.append(f"{robot.counter}: {type(exc).__name__}: {exc}")
                except Exception as exc:
                    rep.errors.append(f"{robot.counter}: {type(exc).__name__}: {exc}")
        rep.seconds = time.perf_counter() - t0
        engine.dispose()
    except BaseException:
        rep.errors.append(traceback.format_exc())
        ready.release()
    out.put(rep)


class Load:
    """`procs` forked processes working the other counters round-robin."""

    def __init__(self, url: str, robots: list[Robot], procs: int, cpus: set[int] | None) -> None:
        ctx = mp.get_context("fork")
        self.ready = ctx.Semaphore(0)
        self.stop = ctx.Event()
        self.out: Any = ctx.Queue()
        groups = [robots[i::procs] for i in range(procs)]
        self.procs = [
            ctx.Process(
                target=robot_worker,
                args=(url, g, cpus, self.ready, self.stop, self.out),
                daemon=True,
            )
            for g in groups
            if g
        ]
        self.report: LoadReport | None = None

    def start(self) -> None:
        for p in self.procs:
            p.start()
        for _ in self.procs:
            if not self.ready.acquire(timeout=START_TIMEOUT_S):
                raise RuntimeError("the load processes did not start")

    def finish(self) -> LoadReport:
        """Stop and reap every process (idempotent); the summed report of those that sent one."""
        if self.report is not None:
            return self.report
        self.stop.set()
        total = self.report = LoadReport()
        reports: list[LoadReport] = []
        deadline = time.perf_counter() + 30
        try:
            while len(reports) < len(self.procs) and time.perf_counter() < deadline:
                try:
                    reports.append(self.out.get(timeout=0.2))
                except queue_module.Empty:
                    if not any(p.is_alive() for p in self.procs) and self.out.empty():
                        break  # killed (a signal to the whole process group): nothing will come
        finally:
            for p in self.procs:
                p.join(timeout=5)
                if p.is_alive():
                    p.kill()
                    p.join()
        for rep in reports:
            total.actions += rep.actions
            total.issued += rep.issued
            total.seconds = max(total.seconds, rep.seconds)
            total.dry += rep.dry
            total.errors += rep.errors
        if len(reports) < len(self.procs):
            total.errors.append(f"only {len(reports)} of {len(self.procs)} load processes reported")
        return total


class SimLoad:
    """`mpp simulate --profile large --speed max` on the same database, in its own process
    group: 60 robot officers and the kiosk of a second hall, at full speed. Every event it
    writes wakes our board's change feed too (one database, one channel), so the board reloads
    as often as it may while the database serves the simulated hall's writes."""

    def __init__(self, url: str, work: Path, cpus: set[int] | None) -> None:
        self.url, self.work, self.cpus = url, work, cpus
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        engine = make_engine(self.url)
        try:
            load_seed(engine, read_seed(default_seed_file().parent / "large.toml"))
        finally:
            engine.dispose()
        # Three days one after the other, so the load outlasts the calls on either backend (a
        # day takes 30-45 s at full speed on this machine).
        today = datetime.now(UTC).date()
        days = " ".join(str(today + timedelta(days=n)) for n in range(SIM_DAYS))
        mpp = f"{VENV_BIN / 'mpp'} --db '{self.url}' --hall {SIM_HALL}"
        script = (
            f"for day in {days}; do {mpp} simulate --profile large --speed max --seed 1 "
            f'--date "$day" || exit 1; done'
        )
        argv = ["/bin/sh", "-c", script]
        cpus = self.cpus

        def pin() -> None:
            if cpus:
                os.sched_setaffinity(0, cpus)

        self.log = (self.work / "simulate.out").open("wb")
        self.proc = subprocess.Popen(
            argv,
            env=child_env(self.work),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=pin,
        )
        time.sleep(SIM_WARMUP_S)  # the robots start and take their counters
        if not self.running():
            raise RuntimeError(f"the simulation stopped: {self.output()[-400:]!r}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def output(self) -> str:
        return (self.work / "simulate.out").read_text(errors="replace")

    def finish(self) -> list[str]:
        """Stop the simulation (its whole process group); what went wrong, if anything."""
        if self.proc is None:
            return []
        errors = []
        if self.proc.poll() is not None and self.proc.returncode != 0:
            errors.append(f"simulate exited {self.proc.returncode}: {self.output()[-300:]}")
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        self.proc = None
        return errors


# --- processes on pseudo-terminals ----------------------------------------------------------------


class Pty:
    """A child process on its own pseudo-terminal; its output is kept with the time of each read."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], cpus: set[int] | None
    ) -> None:
        cols, rows = TERM_SIZE
        self.name = name
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal and pin the CPUs, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cpus:
                    os.sched_setaffinity(0, cpus)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.out = bytearray()
        self.ends: list[int] = []  # the length of `out` after each read...
        self.times: list[float] = []  # ...and its perf_counter
        self.eof = False
        self.closed = False

    def read(self) -> None:
        """Read what is there (call when select says so)."""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            data = b""
        if data:
            self.out += data
            self.ends.append(len(self.out))
            self.times.append(time.perf_counter())
        else:
            self.eof = True

    def text(self, start: int, end: int | None = None) -> str:
        """The output from byte `start` to `end`, without escape sequences."""
        chunk = bytes(self.out[max(0, start) : end])
        return ANSI.sub(b"", chunk).decode("utf-8", "replace")

    def tail(self) -> str:
        return self.text(len(self.out) - 3000)[-600:]

    def close(self) -> None:
        """Kill the child (how it quits is not measured) and reap it; idempotent."""
        if self.closed:
            return
        self.closed = True
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        finally:
            os.close(self.fd)


class Search:
    """Finds when a text first appeared in a child's output after byte `mark`: the time of the
    read that completed it (escape sequences stripped; they may split the text between reads)."""

    OVERLAP = 512  # bytes of the previous reads searched again with each new one

    def __init__(self, child: Pty, pattern: re.Pattern[str], mark: int) -> None:
        self.child, self.pattern, self.mark = child, pattern, mark
        self.next = bisect.bisect_right(child.ends, mark)  # the first read after the mark
        self.found: float | None = None

    def poll(self) -> float | None:
        child = self.child
        while self.found is None and self.next < len(child.ends):
            end = child.ends[self.next]
            before = child.ends[self.next - 1] if self.next else 0
            start = max(self.mark, before - self.OVERLAP) - 64  # 64: a cut escape sequence
            if self.pattern.search(child.text(start, end)):
                self.found = child.times[self.next]
            self.next += 1
        return self.found


def pump(children: list[Pty], timeout: float, extra: tuple[int, ...] = ()) -> set[int]:
    """Wait up to `timeout` for output of any child and read it; which of `extra` are ready."""
    live = [c.fd for c in children if not c.eof]
    if not live and not extra:
        time.sleep(timeout)
        return set()
    ready, _, _ = select.select([*live, *extra], [], [], max(0.0, timeout))
    for c in children:
        if c.fd in ready:
            c.read()
    return set(ready) & set(extra)


def pump_for(children: list[Pty], seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        pump(children, min(left, 0.05))


def wait_text(children: list[Pty], child: Pty, pattern: re.Pattern[str], timeout: float) -> bool:
    """Read (all children) until `pattern` shows in `child`'s output."""
    deadline = time.perf_counter() + timeout
    while not pattern.search(child.text(0)):
        if child.eof or time.perf_counter() > deadline:
            return False
        pump(children, 0.05)
    return True


# --- the caller -----------------------------------------------------------------------------------


class CommitClock:
    """When the engine's write transactions committed: perf_counter just before the driver's
    commit was sent (`asked`) and right after it returned (`done`).

    Latencies count from `asked`: the commit's own round trip is part of a call reaching the
    board, and a listener hears of the commit about when the caller does, so counting from `done`
    (or from `call_next` returning, a few ms later: it reads its answer after the commit) would
    put the PostgreSQL baseline at zero or below, depending on which process runs first.
    """

    def __init__(self, engine: Engine) -> None:
        self.asked: list[float] = []
        self.done: list[float] = []
        self._write = False
        do_commit = engine.dialect.do_commit

        def on_commit(conn: Connection) -> None:  # just before the driver's commit
            self._write = bool(conn.get_execution_options().get("mpp_write", False))

        def timed_commit(dbapi_connection: Any) -> None:
            write, self._write = self._write, False
            if write:
                self.asked.append(time.perf_counter())
            do_commit(dbapi_connection)
            if write:
                self.done.append(time.perf_counter())

        event.listen(engine, "commit", on_commit)
        engine.dialect.do_commit = timed_commit  # type: ignore[method-assign]

    def clear(self) -> None:
        self.asked.clear()
        self.done.clear()


def caller_worker(url: str, cpus: set[int] | None, conn: Any) -> None:
    """Our counter's officer, in a process of its own so that the reading of the terminals never
    waits for it. "call" answers (code, commit asked, ms the commit took, ms call_next took);
    "finish" answers the ms one Hall.board() took right after (what one board reload
    queries)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if cpus:
        os.sched_setaffinity(0, cpus)
    engine = make_engine(url)
    clock = CommitClock(engine)
    queue = Hall(engine, hall=HALL)
    officer = _officer(OUR_COUNTER)
    try:
        while (command := conn.recv()) is not None:
            try:
                if command == "call":
                    clock.clear()
                    t0 = time.perf_counter()
                    code = queue.calls.call_next(counter=OUR_COUNTER, officer=officer).code
                    took = time.perf_counter() - t0
                    asked, done = clock.asked[0], clock.done[0]  # its one write transaction
                    conn.send((code, asked, (done - asked) * 1000, took * 1000))
                else:
                    queue.calls.finish(counter=OUR_COUNTER, officer=officer)
                    t0 = time.perf_counter()
                    queue.public.board()
                    conn.send((time.perf_counter() - t0) * 1000)
            except Exception:
                conn.send(RuntimeError(traceback.format_exc()))
    finally:
        engine.dispose()


class Caller:
    def __init__(self, url: str, cpus: set[int] | None) -> None:
        ctx = mp.get_context("fork")
        self.conn, child_conn = ctx.Pipe()
        self.proc = ctx.Process(target=caller_worker, args=(url, cpus, child_conn), daemon=True)
        self.proc.start()

    def ask(self, children: list[Pty], command: str, timeout: float = SAMPLE_TIMEOUT_S) -> Any:
        """Send `command` and read the terminals until the answer comes."""
        self.conn.send(command)
        deadline = time.perf_counter() + timeout
        while not pump(children, 0.02, (self.conn.fileno(),)):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{command}: no answer")
        return self.answer()

    def answer(self) -> Any:
        got = self.conn.recv()
        if isinstance(got, BaseException):
            raise got
        return got

    def close(self) -> None:
        if self.proc.is_alive():
            with suppress(OSError):
                self.conn.send(None)
            self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Result:
    board_ms: list[float] = field(default_factory=list)
    watcher_ms: list[float] = field(default_factory=list)
    commits: list[float] = field(default_factory=list)  # perf_counter of each timed commit
    seen: list[float] = field(default_factory=list)  # perf_counter when the board showed it
    call_ms: list[float] = field(default_factory=list)  # call_next itself, in the caller
    commit_ms: list[float] = field(default_factory=list)  # its commit
    query_ms: list[float] = field(default_factory=list)  # Hall.board(), in the caller
    missed: int = 0
    load: LoadReport | None = None
    trace: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Phase:
    backend: str
    loaded: bool
    samples: int
    load_procs: int
    pin: bool
    history: int = 0  # finished tickets of past days in the database
    trace: bool = False
    sim: bool = False  # the load is a simulated day of the 60-counter hall, not the robots

    def describe(self) -> str:
        if self.sim:
            what = "under a simulated day of a 60-counter, 3,000-visitor hall at full speed"
        elif self.loaded:
            what = f"under load ({self.load_procs} processes working the other counters flat out)"
        else:
            what = "idle"
        if self.history:
            what += f", {self.history:,} past tickets"
        return what

    def cpus(self) -> tuple[set[int], set[int]] | None:
        """(board, watcher, caller and this process; the load) or None when not pinned."""
        available = sorted(os.sched_getaffinity(0))
        if not self.pin or len(available) < 2:
            return None
        return {available[0]}, set(available[1:])


def child_env(work: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MPP_") and k not in ("PYTHONDONTWRITEBYTECODE", "TEXTUAL")
    }
    return env | {
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(work / "config"),  # no config file of this machine's user
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_STATE_HOME": str(work / "state"),
        "MPP_LOG_FILE": str(work / "mpp.log"),
        "PYTHONPYCACHEPREFIX": str(work / "pycache"),  # bytecode cached outside the shared venv
    }


@dataclass
class Call:
    code: str
    call_ms: float  # call_next itself, in the caller
    commit: float  # perf_counter when its transaction was about to commit
    commit_ms: float  # how long the commit took
    seen: dict[str, float]  # perf_counter when each child's output first showed the code


def time_call(children: list[Pty], caller: Caller) -> Call:
    """Have the caller call the next ticket at our counter; read every child until it shows
    the code (what arrives while the caller works is kept, with the time it was read)."""
    marks = {c.name: len(c.out) for c in children}
    code, commit, commit_ms, call_ms = caller.ask(children, "call")
    pattern = re.compile(rf"(?<![\w-]){re.escape(code)}(?!\d)")  # H-001, not H-0012
    searches = [Search(c, pattern, marks[c.name]) for c in children]
    deadline = commit + SAMPLE_TIMEOUT_S
    while True:
        seen = {s.child.name: at for s in searches if (at := s.poll()) is not None}
        if len(seen) == len(children) or time.perf_counter() > deadline:
            return Call(code, call_ms, commit, commit_ms, seen)
        if any(c.eof for c in children):
            raise RuntimeError(f"a process ended: {[c.tail() for c in children]!r}")
        pump(children, 0.02)


def measure(phase: Phase, dbs: Databases, waiting: int) -> Result:
    """One backend, idle or loaded: prepare, start load, board and watcher, time the calls.

    A failure keeps what was measured (in `errors`); everything started is stopped and the
    database dropped on the way out, Ctrl+C included.
    """
    res = Result()
    name = f"{LABEL[phase.backend]}, {phase.describe()}{', traced' if phase.trace else ''}"
    cpus = phase.cpus()
    mine = cpus[0] if cpus else None
    affinity = os.sched_getaffinity(0)
    trace_log = dbs.dir / f"trace-{uuid.uuid4().hex[:8]}.log"
    with ExitStack() as stack:
        try:
            _log(f"{name}: preparing the database")
            url = dbs.create(phase.backend)
            stack.callback(dbs.drop, url)
            counter_id, robots = prepare(url, waiting, phase.history)
            # Forked before this process has any thread; it never opens a connection itself.
            if phase.sim:
                sim = SimLoad(url, dbs.dir, cpus[1] if cpus else None)
                stack.callback(lambda: res.errors.extend(sim.finish()))
                sim.start()
                _log(f"{name}: a simulated day of hall {SIM_HALL} is playing")
            elif phase.loaded:
                load = Load(url, robots, phase.load_procs, cpus[1] if cpus else None)
                stack.callback(lambda: setattr(res, "load", load.finish()))
                load.start()
                _log(f"{name}: load running on {len(robots)} counters")
            caller = Caller(url, mine)
            stack.callback(caller.close)
            if mine:
                os.sched_setaffinity(0, mine)
                stack.callback(os.sched_setaffinity, 0, affinity)

            env = child_env(dbs.dir)
            python = str(VENV_BIN / "python")
            board_argv = [str(VENV_BIN / "mpp"), "--db", url, "--hall", HALL, "board"]
            if phase.trace:
                runner = dbs.dir / "trace_board.py"
                runner.write_text(TRACE_RUNNER)
                board_argv = [
                    python,
                    str(runner),
                    str(trace_log),
                    "--db",
                    url,
                    "--hall",
                    HALL,
                    "board",
                ]
            watcher_py = dbs.dir / "watcher.py"
            watcher_py.write_text(WATCHER)
            sqlite_file = normalise_url(url).database or ""
            target = sqlite_file if phase.backend == "sqlite" else url
            watcher_argv = [python, str(watcher_py), phase.backend, target, str(counter_id)]
            board = Pty("board", board_argv, env, mine)
            stack.callback(board.close)
            watcher = Pty("watcher", watcher_argv, env, mine)
            stack.callback(watcher.close)
            children = [board, watcher]
            if not wait_text(children, board, BOARD_READY, START_TIMEOUT_S):
                raise RuntimeError(f"the board never showed the hall; its screen: {board.tail()!r}")
            if not wait_text(children, watcher, re.compile("watching"), START_TIMEOUT_S):
                raise RuntimeError(f"the watcher never started: {watcher.tail()!r}")
            pump_for(children, 1.0)  # the first frame settles
            _log(f"{name}: board and watcher up; {phase.samples} calls")

            rng = random.Random(7)
            for i in range(WARMUP_CALLS + phase.samples):
                keep = i >= WARMUP_CALLS
                call = time_call(children, caller)
                missing = [c.name for c in children if c.name not in call.seen]
                if missing:
                    res.missed += keep
                    _log(f"  {call.code}: not shown by {missing} within {SAMPLE_TIMEOUT_S:.0f} s")
                elif keep:
                    res.board_ms.append((call.seen["board"] - call.commit) * 1000)
                    res.watcher_ms.append((call.seen["watcher"] - call.commit) * 1000)
                    res.call_ms.append(call.call_ms)
                    res.commit_ms.append(call.commit_ms)
                    res.commits.append(call.commit)
                    res.seen.append(call.seen["board"])
                    if len(res.board_ms) % 10 == 0 or phase.samples <= 10:
                        _log(
                            f"  {call.code}: board {res.board_ms[-1]:.0f} ms, watcher "
                            f"{res.watcher_ms[-1]:.0f} ms"
                        )
                pump_for(children, FINISH_AFTER_S)
                query_ms = caller.ask(children, "finish")
                if keep:
                    res.query_ms.append(query_ms)
                # The next call 300–400 ms after the finish committed (the query came after it).
                pump_for(children, SPACING_S + rng.uniform(0, JITTER_S) - query_ms / 1000)
            if phase.sim and not sim.running():
                res.errors.append("the simulated day ended before the last call")
            if phase.trace:
                res.trace = trace_breakdown(trace_log, res.commits, res.seen)
        except Exception as exc:
            _log(traceback.format_exc())
            res.errors.append(f"{type(exc).__name__}: {exc}")
    return res


def trace_breakdown(log: Path, commits: list[float], seen: list[float]) -> dict[str, list[float]]:
    """Per call, ms from the commit to each step of the board's way to showing it.

    The feed's wake-up and its message are the first after the commit; the reload, query and
    hand-over are those of the last load handed to the screen before the code was read (under
    load they may have started before the commit: a load reads several tables one statement
    at a time); painted and refreshed follow that hand-over.
    """
    marks: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        stamp, _, step = line.partition(" ")
        marks.setdefault(step, []).append(float(stamp))
    for stamps in marks.values():
        stamps.sort()

    def first_after(step: str, t: float) -> float | None:
        stamps = marks.get(step, [])
        i = bisect.bisect_left(stamps, t)
        return stamps[i] if i < len(stamps) else None

    def last_before(step: str, t: float) -> float | None:
        stamps = marks.get(step, [])
        i = bisect.bisect_right(stamps, t)
        return stamps[i - 1] if i else None

    out: dict[str, list[float]] = {step: [] for step in (*TRACE_STEPS, "read")}
    for commit, shown in zip(commits, seen, strict=True):
        at: dict[str, float | None] = {
            "woke": first_after("woke", commit),
            "message": first_after("message", commit),
            "loaded": last_before("loaded", shown),
        }
        at["queried"] = last_before("queried", at["loaded"] or 0.0)
        at["query"] = last_before("query", at["queried"] or 0.0)
        at["reload"] = last_before("reload", at["query"] or 0.0)
        at["painted"] = first_after("painted", at["loaded"] or 0.0)
        at["refreshed"] = first_after("refreshed", at["loaded"] or 0.0)
        found = [at[step] for step in TRACE_STEPS]
        if any(t is None for t in found) or (at["loaded"] or 0.0) < commit:
            continue
        for step, t in zip(TRACE_STEPS, found, strict=True):
            out[step].append(((t or 0.0) - commit) * 1000)
        out["read"].append((shown - commit) * 1000)
    return out


# --- report ---------------------------------------------------------------------------------------


def table_row(phase: Phase, res: Result) -> list[str]:
    b50, b95 = _pct(res.board_ms, 50), _pct(res.board_ms, 95)
    w50, w95 = _pct(res.watcher_ms, 50), _pct(res.watcher_ms, 95)
    target = TARGET_P95_MS[phase.backend]
    ok = bool(res.board_ms) and b95 <= target and not res.missed and not res.errors
    missed = f", {res.missed} missed" if res.missed else ""
    return [
        f"Call → shown on the board, {LABEL[phase.backend]}, {phase.describe()} "
        f"(n={len(res.board_ms)}{missed})",
        f"p50 {_ms(b50)} / p95 {_ms(b95)} ms",
        f"p50 {_ms(w50)} / p95 {_ms(w95)} ms",
        (
            f"{_ratio(b50, w50)} / {_ratio(b95, w95)} (+{_ms(b50 - w50)} / +{_ms(b95 - w95)} ms)"
            if res.watcher_ms
            else "–"
        ),
        f"p95 ≤ {target:.0f} ms",
        "met" if ok else "**not met**",
    ]


def _ratio(value: float, base: float) -> str:
    if base <= 0:
        return "–"
    ratio = value / base
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def notes(phase: Phase, res: Result) -> list[str]:
    name = f"{LABEL[phase.backend]}, {phase.describe()}{' (traced board)' if phase.trace else ''}"
    lines = [
        f"{name}: call_next took p50 {_ms(_pct(res.call_ms, 50))} ms (its commit "
        f"{_ms(_pct(res.commit_ms, 50))} ms); one Hall.board() in the caller's process "
        f"(what a reload queries) p50 {_ms(_pct(res.query_ms, 50))} / "
        f"p95 {_ms(_pct(res.query_ms, 95))} ms; board max {_ms(max(res.board_ms, default=0))} ms"
    ]
    if res.load is not None and res.load.seconds:
        secs = res.load.seconds
        lines.append(
            f"{name}: the other counters did {res.load.actions / secs:.0f} calls+finishes/s "
            f"({res.load.issued / secs:.0f} tickets issued/s); ticket taken by another counter "
            f"{res.load.dry}×"
        )
    if res.trace and res.trace["read"]:
        steps = " → ".join(f"{s} {_ms(statistics.median(res.trace[s]))}" for s in res.trace)
        lines.append(f"{name}, n={len(res.trace['read'])}: median ms after the commit: {steps}")
    errors = res.errors + (res.load.errors if res.load else [])
    lines += [f"{name}: {e.strip()[:400]}" for e in errors[:4]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 calls per figure (~1 min)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one backend only")
    parser.add_argument("--samples", type=int, help="timed calls per figure (default 40; quick 8)")
    parser.add_argument("--no-idle", action="store_true", help="skip the figures without load")
    parser.add_argument("--no-load", action="store_true", help="skip the figures under load")
    parser.add_argument("--load-procs", type=int, default=4, help="processes of the load")
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="let every process share every CPU (default: board, watcher and caller on CPU 0)",
    )
    parser.add_argument(
        "--trace", action="store_true", help="also run a traced board: where the time goes"
    )
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help=f"finished tickets of past days in the database ({HISTORY_PER_DAY} a day, 3 events "
        "each; default 0: a hall's first day)",
    )
    parser.add_argument(
        "--sim-load",
        action="store_true",
        help="also measure under a simulated day of the 60-counter hall at full speed",
    )
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL maintenance database URL")
    args = parser.parse_args(argv)
    samples = args.samples or (8 if args.quick else 40)
    backends = [args.only] if args.only else ["sqlite", "postgres"]
    # Our counter calls ~samples tickets, plus warm-ups and a margin.
    waiting = samples + WARMUP_CALLS + 20

    phases: list[Phase] = []
    for backend in backends:
        for loaded in (False, True):
            if (loaded and args.no_load) or (not loaded and args.no_idle):
                continue
            phase = Phase(backend, loaded, samples, args.load_procs, not args.no_pin, args.history)
            phases.append(phase)
            if args.trace:
                phases.append(dataclasses.replace(phase, trace=True))
        if args.sim_load:
            phases.append(Phase(backend, True, samples, 0, not args.no_pin, args.history, sim=True))

    def stop(signum: int, frame: types.FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    dbs = Databases(args.pg_url)
    rows: list[list[str]] = []
    lines: list[str] = []
    failed = False
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        for phase in phases:
            res = measure(phase, dbs, waiting)
            if not phase.trace:
                rows.append(table_row(phase, res))
            lines += notes(phase, res)
            failed = failed or bool(res.errors or res.missed or (res.load and res.load.errors))
    except KeyboardInterrupt:
        _log("interrupted: cleaning up")
        return 130
    finally:
        dbs.close()

    header = [
        "figure",
        "mpp-tui (`mpp board`)",
        "baseline (raw watcher)",
        "ratio p50 / p95",
        "target",
        "verdict",
    ]
    print(f"| {' | '.join(header)} |")
    print(f"|{'---|' * len(header)}")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    print()
    cpus = phases[0].cpus() if phases else None
    where = (
        f"board, watcher and caller on CPU {min(cpus[0])}, the load on the rest"
        if cpus
        else "every process on every CPU"
    )
    print(
        f"Latency from the commit of `call_next` at {OUR_COUNTER} (just before the driver's "
        f"commit) to its ticket code read from the board's terminal (100×30). Baseline: a "
        f"minimal watcher of the same database (PostgreSQL LISTEN / SQLite PRAGMA data_version "
        f"every 50 ms, then one query), timed from the same calls. Each call "
        f"{SPACING_S * 1000:.0f}–{(SPACING_S + JITTER_S) * 1000:.0f} ms after the previous "
        f"finish, each finish {FINISH_AFTER_S * 1000:.0f} ms after the call showed; {where}. "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after; {time.perf_counter() - started:.0f} s."
    )
    if lines:
        print("\n" + "\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
