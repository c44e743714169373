"""Benchmark the counter screen: cold start, action latency under load, resident memory.

Three figures, each against a baseline measured in the same run:

1. Cold start to the first painted frame, of `mpp counter --counter L01` (the login screen an
   officer sees first) and of a small runner that takes the same path as `mpp counter` (the whole
   CLI imported, `run_counter`) but passes `signed_in=`, straight into the counter screen. Baseline:
   a minimal Textual app (an App with one Static). Each run is a fresh interpreter started on a
   pseudo-terminal (`pty.fork`, 100×30) on a demo database (`prepare_demo`); the clock runs from
   just before the fork until the parent reads the first output containing a text of the app's
   first screen (a login label, the counter screen's "Hari ini" panel, the Static's text), so
   imports, database reads and writing the frame to the terminal all count, alike for both. The
   child's CPU time by then (/proc/<pid>/stat) is shown too: it moves less when the machine is
   shared. Runs are interleaved; a warm-up round (not counted) fills a bytecode cache first (see
   --no-bytecode-cache).
2. Action latency, p50/p95. The real app (`make_app`, signed in at L01) runs headless in this
   process (`run_test`), while 64 other counters (L02…) loop issue → call next → start → finish
   through Hall in a few processes (the issue, what a kiosk does, keeps the queue as deep
   as it started). A key (N; S; F, then the outcome "1" — the clock starts at "1") is handed to the
   app's driver as the terminal driver would; the clock stops when the CounterScreen shows the new
   state (from the action's own result, or from a reloaded desk, whichever comes first) and the
   screen has refreshed after it (`call_after_refresh`; headless, so nothing is written to a
   terminal). Baseline: the bare Hall call (same
   action, same counter, same load), timed in its own process between the app's cycles. By default
   the app and the baseline run on CPU 0 and the other counters on the other CPUs (on 2 cores,
   64 busy processes — or even 4 — sharing the app's CPU measure the scheduler, not the screen).
   The same is measured with no other counters first, for what the screen itself costs.
3. Resident memory (VmRSS, /proc/<pid>/status) of the processes of figure 1, a second after their
   first frame, and of the signed-in counter screen after a call, start and finish.

    uv run python benchmarks/bench_counter.py            # about 4 minutes
    uv run python benchmarks/bench_counter.py --quick    # about 2 minutes
    uv run python benchmarks/bench_counter.py --only latency --backend postgres --load-procs 64
    uv run python benchmarks/bench_counter.py --only start --imports
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import multiprocessing as mp
import os
import pty
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_queue import (
    FAST_HASHER,
    MONDAY_0900,
    PG_URL,
    SERVICES,
    Backend,
    PostgresBackend,
    SqliteBackend,
    _officer,
    counter_codes,
    prepare_template,
)
from sqlalchemy import func
from sqlalchemy import select as sql_select
from textual import events

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.db.tables import TICKET
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import TicketStatus
from mpp_tui.domain.errors import Conflict
from mpp_tui.domain.views import CounterDesk
from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import ChangeFeed, open_feed
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend as TuiBackend
from mpp_tui.tui.dialogs.choices import ChoiceDialog
from mpp_tui.tui.screens.counter import CounterScreen

VENV_BIN = Path(sys.executable).parent
TERM_SIZE = (100, 30)  # columns, rows of the pseudo-terminal
APP_SIZE = (120, 40)  # the headless app of the latency runs
DEMO_OFFICER = "petugas1"  # mpp_tui.services.demo.DEMO_OFFICERS
ACTION_TIMEOUT_S = 20.0
LAUNCH_TIMEOUT_S = 60.0
TARGET_START_RATIO = 1.5
TARGET_P95_MS = 100.0
TARGET_RSS_MB = 120.0

# Text each app's first screen paints (Indonesian, the default language).
MINIMAL_TEXT = "Minimal Textual app"
LOGIN_TEXT = b"Nama pengguna"  # tui.login.username
COUNTER_TEXT = b"Hari ini"  # tui.day.title, a panel title of the counter screen
DESK_TEXT = b" menunggu)"  # tui.next.title_n: only after the first desk has loaded

MINIMAL_APP = f'''
from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("{MINIMAL_TEXT}")


Minimal().run()
'''

# `mpp counter` without the login: the same imports (the whole CLI) and the same run_counter.
SIGNED_IN_RUNNER = """
import sys

import mpp_tui.cli.main  # noqa: F401  (what `mpp` imports before any command runs)
from mpp_tui.cli.context import Cli
from mpp_tui.cli.screens import run_counter
from mpp_tui.config import load_settings
from mpp_tui.logs import setup_logging

url, counter, username = sys.argv[1:4]
settings = load_settings(None, database_url=url)
setup_logging(settings.resolved_log_file())
cli = Cli(settings)
officer = next(o for o in cli.officers.list() if o.username == username)
cli.hall.sessions.open_counter(counter=counter, officer=username)
run_counter(cli, counter, signed_in=officer)
"""


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


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ms(value: float) -> str:
    if value != value:  # nan
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


# --- 1 and 3: cold start and memory under a pseudo-terminal ---------------------------------------


@dataclass
class Launch:
    """One started process: when each text first arrived (ms after spawn) and its memory."""

    seen_ms: dict[bytes, float] = field(default_factory=dict)
    cpu_ms: dict[bytes, float] = field(default_factory=dict)  # the child's CPU time by then
    rss_mb: float = float("nan")  # a second after the first frame
    rss_after_mb: float = float("nan")  # after the keys were pressed
    error: str = ""


def _cpu_ms(pid: int) -> float:
    """User + system CPU time of `pid` so far (clock-tick resolution, usually 10 ms)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Pty:
    """A child process on a pseudo-terminal whose output is read (and kept) as it arrives."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        cols, rows = TERM_SIZE
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the app can ask, then become the app
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.out = bytearray()
        self.eof = False

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.t0) * 1000

    def read(self, timeout: float) -> None:
        if self.eof:
            time.sleep(timeout)
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                data = b""
            if data:
                self.out += data
            else:
                self.eof = True

    def wait_for(self, text: bytes, timeout: float) -> float | None:
        """Read until `text` has arrived; the ms since spawn when it did, None on timeout."""
        deadline = time.perf_counter() + timeout
        start = 0
        while True:
            if self.out.find(text, start) >= 0:
                return self.elapsed_ms()
            start = max(0, len(self.out) - len(text))
            if self.eof or time.perf_counter() >= deadline:
                return None
            self.read(0.01)

    def drain(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            self.read(min(0.05, max(0.0, deadline - time.perf_counter())))

    def write(self, data: bytes) -> None:
        os.write(self.fd, data)

    def close(self) -> None:
        """Kill the child (how it quits is not measured) and reap it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        finally:
            os.close(self.fd)

    def tail(self) -> str:
        return bytes(self.out[-400:]).decode("utf-8", "replace")


def launch(
    argv: list[str],
    env: dict[str, str],
    texts: list[bytes],
    *,
    settle_s: float = 1.0,
    keys: tuple[tuple[bytes, bytes], ...] = (),
) -> Launch:
    """Start `argv` on a pty, time each of `texts` in turn, read the RSS, press `keys`, quit.

    Each key is sent once the text the previous key waits for has arrived (after that key).
    """
    res = Launch()
    child = Pty(argv, env)
    try:
        for text in texts:
            at = child.wait_for(text, LAUNCH_TIMEOUT_S)
            if at is None:
                res.error = f"{text!r} never appeared; output ends: {child.tail()!r}"
                return res
            res.seen_ms[text] = at
            res.cpu_ms[text] = _cpu_ms(child.pid)
        child.drain(settle_s)
        res.rss_mb = _rss_mb(child.pid)
        if keys:
            for key, wait in keys:
                mark = len(child.out)
                child.write(key)
                deadline = time.perf_counter() + 15
                while child.out.find(wait, mark) < 0:
                    if time.perf_counter() > deadline:
                        res.error = f"after {key!r}: {wait!r} never appeared"
                        break
                    child.read(0.02)
                child.drain(0.2)
            child.drain(settle_s)
            res.rss_after_mb = _rss_mb(child.pid)
    finally:
        child.close()
    return res


def prepare_demo_db(folder: Path) -> str:
    """The demo hall (Kotim, demo officers, a morning of tickets) in a fresh SQLite file."""
    from mpp_tui.services.demo import prepare_demo

    url = sqlite_url(folder / "demo.sqlite")
    engine = make_engine(url)
    try:
        prepare_demo(engine, now=datetime.now(UTC))
    finally:
        engine.dispose()
    return url


@dataclass
class StartResult:
    minimal: list[Launch]
    login: list[Launch]
    signed_in: list[Launch]
    actions: Launch | None
    bytecode_cache: bool


def measure_start(runs: int, bytecode_cache: bool) -> StartResult:
    """Interleave minimal / login / signed-in launches; one warm-up round first."""
    work = Path(tempfile.mkdtemp(prefix="mpp-bench-start-"))
    try:
        _log("start: preparing the demo database")
        url = prepare_demo_db(work)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("MPP_") and k not in ("PYTHONDONTWRITEBYTECODE", "TEXTUAL")
        }
        env |= {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": str(work / "config"),  # no config file of this machine's user
            "XDG_DATA_HOME": str(work / "data"),
            "MPP_LOG_FILE": str(work / "mpp.log"),
        }
        if bytecode_cache:
            # The sandbox sets PYTHONDONTWRITEBYTECODE and uv installs without .pyc files, so every
            # start would compile every module; an installed app has its bytecode cached. Keep the
            # cache in our own folder (the shared .venv stays untouched).
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["PYTHONPYCACHEPREFIX"] = str(work / "pycache-empty")
        minimal_py = work / "minimal_app.py"
        minimal_py.write_text(MINIMAL_APP)
        runner_py = work / "signed_in.py"
        runner_py.write_text(SIGNED_IN_RUNNER)
        python = str(VENV_BIN / "python")
        variants: dict[str, tuple[list[str], list[bytes]]] = {
            "minimal": ([python, str(minimal_py)], [MINIMAL_TEXT.encode()]),
            "login": (
                [str(VENV_BIN / "mpp"), "--db", url, "counter", "--counter", "L01"],
                [LOGIN_TEXT],
            ),
            "signed_in": (
                [python, str(runner_py), url, "L01", DEMO_OFFICER],
                [COUNTER_TEXT, DESK_TEXT],
            ),
        }
        results: dict[str, list[Launch]] = {name: [] for name in variants}
        for round_ in range(runs + 1):
            for name, (argv, texts) in variants.items():
                res = launch(argv, env, texts)
                tag = "warm-up" if round_ == 0 else f"run {round_}"
                seen = " ".join(f"{k.decode()!r}={v:.0f}ms" for k, v in res.seen_ms.items())
                cpu = " ".join(f"{v:.0f}" for v in res.cpu_ms.values())
                _log(
                    f"start {name:<9} {tag:<7} {seen} cpu={cpu}ms rss={res.rss_mb:.1f}MB "
                    f"{res.error}"
                )
                if round_:
                    results[name].append(res)
        argv, texts = variants["signed_in"]
        # Call the next ticket, start, finish with outcome 1 — then read the memory again.
        keys = (
            (b"n", b"DIPANGGIL"),
            (b"s", b"DILAYANI"),
            (b"f", b"1. "),
            (b"1", b"Tidak ada tiket aktif"),
        )
        actions = launch(argv, env, texts, keys=keys)
        _log(f"start signed_in+actions rss={actions.rss_after_mb:.1f}MB {actions.error}")
        return StartResult(
            results["minimal"], results["login"], results["signed_in"], actions, bytecode_cache
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def import_profile(top: int) -> str:
    """`python -X importtime` of what `mpp counter` imports (bytecode cached), the time summed
    by top-level package: each module's own time, so a package is not charged for what it pulls
    in from others."""
    code = "import mpp_tui.cli.main, mpp_tui.cli.screens, mpp_tui.tui.app"
    work = Path(tempfile.mkdtemp(prefix="mpp-bench-imports-"))
    try:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work)
        cmd = [str(VENV_BIN / "python"), "-X", "importtime", "-c", code]
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # fill the cache
        err = subprocess.run(cmd, env=env, capture_output=True, check=True, text=True).stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by_package: dict[str, int] = {}
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        package = parts[2].strip().split(".")[0]
        by_package[package] = by_package.get(package, 0) + int(parts[0])
    total = sum(by_package.values())
    lines = [f"imports of `mpp counter`: {total / 1000:.0f} ms in all; by package (own time):"]
    for package, us in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {package:<24} {us / 1000:7.1f} ms")
    return "\n".join(lines)


# --- 2: action latency under load -----------------------------------------------------------------


@dataclass
class LoadReport:
    actions: int = 0  # call_next, start and finish by the other counters
    issued: int = 0  # tickets issued to keep the queue as deep as it started
    seconds: float = 0.0
    dry: int = 0
    errors: list[str] = field(default_factory=list)


def _pinned(cpus: set[int] | None, target: Callable[..., None], *args: Any) -> None:
    """Run `target` in this (forked) process on `cpus` only."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    target(*args)


def load_worker(
    url: str, counters: list[tuple[str, str]], pause: float, ready: Any, stop: Any, out: Any
) -> None:
    """Loop call_next → start → finish on each of `counters` in turn until `stop` is set.

    Before each call the worker issues a ticket (what the kiosk does as visitors arrive), so the
    queue stays as deep as it started however fast the counters work. `pause`: seconds to sleep
    after each action (0: flat out).
    """
    rep = LoadReport()
    try:
        engine = make_engine(url)
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))

        def call_next(counter: str, officer: str) -> None:
            queue.issuing.issue_ticket(service=SERVICES[rep.issued % len(SERVICES)])
            rep.issued += 1
            queue.calls.call_next(counter=counter, officer=officer)

        steps: list[Callable[..., object]] = [call_next, queue.calls.start, queue.calls.finish]
        state = dict.fromkeys((code for code, _ in counters), 0)
        for code, officer in counters:  # warm-up: connection and caches
            call_next(code, officer)
            queue.calls.finish(counter=code, officer=officer)
        ready.release()
        t0 = time.perf_counter()
        while not stop.is_set() and len(rep.errors) < 20:
            for code, officer in counters:
                try:
                    steps[state[code]](counter=code, officer=officer)
                    state[code] = (state[code] + 1) % 3
                    rep.actions += 1
                    if pause:
                        stop.wait(pause)
                except Conflict as exc:
                    rep.dry += exc.key == "err.queue_empty"
                    if exc.key != "err.queue_empty":
                        rep.errors.append(f"{code}: {type(exc).__name__}: {exc}")
                except Exception as exc:
                    rep.errors.append(f"{code}: {type(exc).__name__}: {exc}")
        rep.seconds = time.perf_counter() - t0
        engine.dispose()
    except BaseException:
        rep.errors.append(traceback.format_exc())
        ready.release()
    out.put(rep)


def kiosk_worker(url: str, level: int, ready: Any, stop: Any, out: Any) -> None:
    """Issue tickets whenever fewer than `level` wait (L01, app and baseline, calls without
    issuing), so the queue neither runs dry nor grows: the counter screen reads every waiting
    ticket of its services, so its cost depends on the depth."""
    rep = LoadReport()
    try:
        engine = make_engine(url)
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
        ref = queue.ref()
        day = queue.today()
        ids = [svc.id for code in SERVICES if (svc := ref.service_by_code(code)) is not None]
        count = (
            sql_select(func.count())
            .select_from(TICKET)
            .where(
                TICKET.c.status == TicketStatus.WAITING.value,
                TICKET.c.business_date == day,
                TICKET.c.service_id.in_(ids),
            )
        )
        ready.release()
        t0 = time.perf_counter()
        while not stop.is_set() and len(rep.errors) < 20:
            with engine.connect() as conn:
                missing = level - conn.execute(count).scalar_one()
            if missing <= 0:
                stop.wait(0.1)
                continue
            for _ in range(min(missing, 50)):
                try:
                    queue.issuing.issue_ticket(service=SERVICES[rep.issued % len(SERVICES)])
                    rep.issued += 1
                except Exception as exc:
                    rep.errors.append(f"kiosk: {type(exc).__name__}: {exc}")
        rep.seconds = time.perf_counter() - t0
        engine.dispose()
    except BaseException:
        rep.errors.append(traceback.format_exc())
        ready.release()
    out.put(rep)


def bare_worker(url: str, counter: str, officer: str, conn: Any) -> None:
    """The baseline: the same Hall calls the app makes, timed in their own process (so
    the app's rendering does not hold their GIL). Answers (seconds, ticket id, served today)."""
    engine = make_engine(url)
    queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
    queue.ref()
    calls = {
        "call_next": queue.calls.call_next,
        "start": queue.calls.start,
        "finish": queue.calls.finish,
    }
    while (name := conn.recv()) is not None:
        try:
            t0 = time.perf_counter()
            view = calls[name](counter=counter, officer=officer)
            took = time.perf_counter() - t0
            served = queue.tickets.counter_view(counter=counter).served_today
            conn.send((took, view.id, served))
        except Exception as exc:
            conn.send(exc)
    engine.dispose()


class Load:
    """Other counters worked by `procs` processes, a kiosk, and the baseline's process; all
    forked before the app starts (no threads or connections exist yet in this process)."""

    def __init__(
        self,
        url: str,
        codes: list[tuple[str, str]],
        procs: int,
        pause: float,
        level: int,
        me: tuple[str, str],
        cpus: tuple[set[int], set[int]] | None,
    ) -> None:
        ctx = mp.get_context("fork")
        app_cpus, hall_cpus = cpus if cpus else (None, None)
        self.ready = ctx.Semaphore(0)
        self.stop = ctx.Event()
        self.out: Any = ctx.Queue()
        groups = [codes[i::procs] for i in range(procs)] if codes else []
        self.procs = [
            ctx.Process(
                target=_pinned,
                args=(hall_cpus, load_worker, url, g, pause, self.ready, self.stop, self.out),
            )
            for g in groups
            if g
        ]
        self.procs.append(
            ctx.Process(
                target=_pinned,
                args=(hall_cpus, kiosk_worker, url, level, self.ready, self.stop, self.out),
            )
        )
        self.bare_conn, child_conn = ctx.Pipe()
        self.bare = ctx.Process(target=_pinned, args=(app_cpus, bare_worker, url, *me, child_conn))

    def start(self) -> None:
        self.bare.start()
        for p in self.procs:
            p.start()
        for _ in self.procs:
            if not self.ready.acquire(timeout=300):
                raise RuntimeError("load processes did not start")

    def bare_call(self, name: str) -> tuple[float, int, int]:
        """Run one bare Hall action in the baseline process (blocking)."""
        self.bare_conn.send(name)
        answer = self.bare_conn.recv()
        if isinstance(answer, BaseException):
            raise answer
        return answer  # type: ignore[no-any-return]

    def finish(self) -> LoadReport:
        self.stop.set()
        total = LoadReport()
        try:
            for _ in self.procs:
                rep: LoadReport = self.out.get(timeout=120)
                total.actions += rep.actions
                total.issued += rep.issued
                total.seconds = max(total.seconds, rep.seconds)
                total.dry += rep.dry
                total.errors += rep.errors
        finally:
            if self.bare.is_alive():
                self.bare_conn.send(None)
            for p in [*self.procs, self.bare]:
                p.join(timeout=30)
                if p.is_alive():
                    p.terminate()
                    p.join()
        return total


@dataclass
class Timing:
    """One timed action through the app: key sent → action done → desk applied → painted."""

    done: float
    applied: float
    painted: float


class Probe:
    """Watches the CounterScreen: every desk it applies, and when the one we wait for is painted.

    The screen's handlers are wrapped on the class (for this process only); the app is the real
    one, unchanged.
    """

    def __init__(self) -> None:
        self.want: Callable[[CounterDesk], bool] | None = None
        self.result: asyncio.Future[tuple[float, float, CounterDesk]] | None = None
        self.done_at = 0.0
        self.applied = 0

    @contextmanager
    def installed(self) -> Iterator[None]:
        desk_loaded = CounterScreen.on_counter_screen_desk_loaded
        action_done = CounterScreen.on_counter_screen_action_done
        probe = self

        def shown(screen: CounterScreen, desk: CounterDesk | None) -> None:
            """The screen now shows `desk`: if it is the one awaited, time its paint."""
            want, fut = probe.want, probe.result
            if desk is not None and want is not None and fut is not None and want(desk):
                probe.want = None
                applied = time.perf_counter()

                def painted() -> None:
                    if not fut.done():
                        fut.set_result((applied, time.perf_counter(), desk))

                screen.call_after_refresh(painted)

        def on_desk_loaded(screen: CounterScreen, message: CounterScreen.DeskLoaded) -> None:
            desk_loaded(screen, message)
            probe.applied += 1
            shown(screen, message.desk)

        def on_action_done(screen: CounterScreen, message: CounterScreen.ActionDone) -> None:
            # The screen shows the counter's new state straight from the action's result.
            probe.done_at = time.perf_counter()
            action_done(screen, message)
            shown(screen, screen.desk)

        setattr(CounterScreen, "on_counter_screen_desk_loaded", on_desk_loaded)  # noqa: B010
        setattr(CounterScreen, "on_counter_screen_action_done", on_action_done)  # noqa: B010
        try:
            yield
        finally:
            setattr(CounterScreen, "on_counter_screen_desk_loaded", desk_loaded)  # noqa: B010
            setattr(CounterScreen, "on_counter_screen_action_done", action_done)  # noqa: B010

    def expect(
        self, want: Callable[[CounterDesk], bool]
    ) -> asyncio.Future[tuple[float, float, CounterDesk]]:
        self.result = asyncio.get_running_loop().create_future()
        self.want = want
        self.done_at = 0.0
        return self.result


def _press(app: MppApp, key: str) -> None:
    """What the terminal driver does with a key read from the terminal (Pilot.press also waits
    for the whole process to go idle, at least 20 ms a key, which would be timed too)."""
    event = events.Key(key, key)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def _until(condition: Callable[[], bool], timeout: float = ACTION_TIMEOUT_S) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen never got there")
        await asyncio.sleep(0.005)


def _active(desk: CounterDesk) -> Any:
    return desk.counter.active


@dataclass
class LatencyResult:
    ui: dict[str, list[Timing]] = field(default_factory=dict)  # seconds from the key
    bare: dict[str, list[float]] = field(default_factory=dict)  # seconds
    load: LoadReport = field(default_factory=LoadReport)
    desk_loads_per_s: float = 0.0
    errors: list[str] = field(default_factory=list)


ACTIONS = ("call_next", "start", "finish")


@dataclass(frozen=True)
class Budget:
    """How long to measure one backend: `seconds` of timed cycles, within [least, most]."""

    seconds: float
    least: int
    most: int
    warmup: int = 1


async def drive(app: MppApp, probe: Probe, load: Load, budget: Budget, res: LatencyResult) -> None:
    """Alternate a call → start → finish through the app with the same three bare calls; the
    timings go into `res` as they come (a failure keeps what was measured)."""
    res.ui, res.bare = {a: [] for a in ACTIONS}, {a: [] for a in ACTIONS}
    async with app.run_test(size=APP_SIZE):
        await _until(lambda: isinstance(app.screen, CounterScreen) and app.screen.desk is not None)
        screen = app.screen
        assert isinstance(screen, CounterScreen)

        async def timed_key(
            action: str, key: str, want: Callable[[CounterDesk], bool], keep: bool
        ) -> CounterDesk:
            fut = probe.expect(want)
            t0 = time.perf_counter()
            _press(app, key)
            try:
                applied, painted, desk = await asyncio.wait_for(fut, ACTION_TIMEOUT_S)
            except TimeoutError:
                shown = screen.desk.counter if screen.desk else None
                notes = [n.message for n in app._notifications]
                raise TimeoutError(
                    f"{action}: the screen never showed it (screen {app.screen!r}, "
                    f"busy {screen.busy}, counter {shown}, notifications {notes})"
                ) from None
            if keep:
                res.ui[action].append(Timing(probe.done_at - t0, applied - t0, painted - t0))
            return desk

        seen: set[int] = set()  # every ticket called at L01 so far
        served = 0
        loads_at, t_start = 0, 0.0
        warmup, cycle = budget.warmup, 0
        while True:
            if cycle == warmup:
                loads_at, t_start = probe.applied, time.perf_counter()
            timed = cycle - warmup
            elapsed = time.perf_counter() - t_start if t_start else 0.0
            if (
                timed >= budget.most
                or (timed >= budget.least and elapsed > budget.seconds)
                or (timed >= 2 and elapsed > 2 * budget.seconds)
            ):
                break
            keep = cycle >= warmup
            cycle += 1

            # call next: a desk showing a called ticket that was not called before. Press only once
            # the screen shows a desk read after the previous bare finish (a desk read before it,
            # still on its way, would disable the key when it lands).
            await _until(
                lambda: (
                    screen.desk is not None
                    and screen.desk.counter.served_today >= served  # noqa: B023
                    and screen.check_action("call_next", ()) is True
                )
            )
            desk = await timed_key(
                "call_next",
                "n",
                lambda d: (
                    (a := _active(d)) is not None
                    and a.status is TicketStatus.CALLED
                    and a.id not in seen
                ),
                keep,
            )
            ticket = _active(desk).id
            seen.add(ticket)

            # start: the same ticket, now being served
            await _until(lambda: screen.check_action("start", ()) is True)
            await timed_key(
                "start",
                "s",
                lambda d: (
                    (a := _active(d)) is not None
                    and a.id == ticket  # noqa: B023
                    and a.status is TicketStatus.SERVING
                ),
                keep,
            )

            # finish: F opens the outcome dialog (not timed); the clock runs from picking "1"
            await _until(lambda: screen.check_action("finish", ()) is True)
            _press(app, "f")
            await _until(lambda: isinstance(app.screen, ChoiceDialog))
            await asyncio.sleep(0.05)  # mounted and focused
            await timed_key("finish", "1", lambda d: _active(d) is None, keep)

            # the same three actions, bare, on the same counter
            for name in ACTIONS:
                took, ticket, served = await asyncio.to_thread(load.bare_call, name)
                seen.add(ticket)
                if keep:
                    res.bare[name].append(took)
            screen.refresh_desk()
            ui = " ".join(
                f"{a}={t.done * 1000:.0f}/{t.applied * 1000:.0f}/{t.painted * 1000:.0f}"
                for a in ACTIONS
                if keep and (t := res.ui[a][-1])
            )
            bare_ms = " ".join(f"{a}={res.bare[a][-1] * 1000:.0f}" for a in ACTIONS if keep)
            _log(f"  cycle {cycle}: app {ui} | bare {bare_ms} ms")
        elapsed = time.perf_counter() - t_start
        res.desk_loads_per_s = (probe.applied - loads_at) / elapsed if elapsed else 0.0


@dataclass(frozen=True)
class LoadSpec:
    counters: int  # other counters at work
    procs: int  # processes driving them, round-robin
    pause: float  # seconds a process sleeps after each action
    pin: bool  # the app (and the baseline) on CPU 0, the other counters on the rest

    def cpus(self) -> tuple[set[int], set[int]] | None:
        available = sorted(os.sched_getaffinity(0))
        if not self.pin or len(available) < 2:
            return None
        return {available[0]}, set(available[1:])

    def describe(self) -> str:
        if not self.counters:
            return "no other counters"
        procs = min(self.procs, self.counters)
        pace = "flat out" if not self.pause else f"{self.pause:g} s pause per action"
        return f"{self.counters} other counters ({procs} processes, {pace})"


def measure_latency(
    backend: Backend, spec: LoadSpec, budget: Budget, waiting: int
) -> LatencyResult:
    _log(f"latency {backend.name}, {spec.describe()}: preparing the database")
    url = prepare_template(backend, spec.counters + 1, waiting)
    codes = counter_codes(spec.counters + 1)
    me = (codes[0], _officer(0))
    others = [(codes[i], _officer(i)) for i in range(1, spec.counters + 1)]
    cpus = spec.cpus()
    load = Load(url, others, spec.procs, spec.pause, waiting, me, cpus)
    probe = Probe()
    engine = None
    res = LatencyResult()
    affinity = os.sched_getaffinity(0)
    try:
        load.start()
        _log(f"latency {backend.name}: load running, app starting (CPUs {cpus or 'shared'})")
        if cpus:
            os.sched_setaffinity(0, cpus[0])
        clock = FrozenClock(MONDAY_0900)
        engine = make_engine(url)
        queue = Hall(engine, clock=clock)
        officers = Hall(engine, clock=clock, hasher=FAST_HASHER).officers
        hall_id = queue.ref().hall_id

        def feed() -> ChangeFeed:
            return open_feed(engine, hall_id=hall_id)

        tui = TuiBackend(
            queue=queue, officers=officers, open_feed=feed, db_label="bench", export_dir=Path()
        )
        view = next(o for o in officers.list() if o.username == me[1])
        app = make_app(tui, counter=me[0], signed_in=view)
        with probe.installed():
            asyncio.run(drive(app, probe, load, budget, res))
    except Exception as exc:
        _log(traceback.format_exc())
        res.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        os.sched_setaffinity(0, affinity)
        try:
            res.load = load.finish()
        except Exception as exc:
            res.errors.append(f"load: {exc}")
        if engine is not None:
            engine.dispose()
        backend.drop(url)
    return res


# --- report ---------------------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**not met**")


def start_rows(res: StartResult, runs: int) -> list[list[str]]:
    def medians(launches: list[Launch], text: bytes) -> tuple[float, float]:
        wall = _median([r.seen_ms[text] for r in launches if text in r.seen_ms])
        return wall, _median([r.cpu_ms[text] for r in launches if text in r.cpu_ms])

    minimal, minimal_cpu = medians(res.minimal, MINIMAL_TEXT.encode())
    rows = []
    cache = "" if res.bytecode_cache else ", no bytecode cache"
    for label, launches, text in (
        ("first frame, login screen (`mpp counter --counter L01`)", res.login, LOGIN_TEXT),
        ("first frame, signed in (counter screen)", res.signed_in, COUNTER_TEXT),
        ("signed in, the desk's queue shown", res.signed_in, DESK_TEXT),
    ):
        value, cpu = medians(launches, text)
        ratio = value / minimal
        rows.append(
            [
                f"Cold start → {label}; median of {runs}{cache}",
                f"{_ms(value)} ms (CPU {_ms(cpu)} ms)",
                f"{_ms(minimal)} ms (CPU {_ms(minimal_cpu)} ms)",
                f"{ratio:.2f}× (CPU {cpu / minimal_cpu:.2f}×)",
                f"≤ {TARGET_START_RATIO}×",
                _verdict(ratio <= TARGET_START_RATIO),
            ]
        )
    rss_minimal = _median([r.rss_mb for r in res.minimal])
    for label, value in (
        ("login screen", _median([r.rss_mb for r in res.login])),
        ("signed in, counter screen", _median([r.rss_mb for r in res.signed_in])),
        (
            "counter screen after call/start/finish",
            res.actions.rss_after_mb if res.actions else float("nan"),
        ),
    ):
        rows.append(
            [
                f"Resident memory (VmRSS): {label}",
                f"{value:.1f} MB",
                f"{rss_minimal:.1f} MB",
                f"{value / rss_minimal:.2f}×",
                f"< {TARGET_RSS_MB:.0f} MB",
                _verdict(value < TARGET_RSS_MB),
            ]
        )
    return rows


def latency_rows(name: str, res: LatencyResult, load_desc: str) -> list[list[str]]:
    rows = []
    for action in ACTIONS:
        ui = [t.painted * 1000 for t in res.ui.get(action, [])]
        bare = [t * 1000 for t in res.bare.get(action, [])]
        if not ui or not bare:
            continue
        p50, p95 = _pct(ui, 50), _pct(ui, 95)
        b50, b95 = _pct(bare, 50), _pct(bare, 95)
        rows.append(
            [
                f"{action.replace('_', ' ')} → shown, {name}, {load_desc} (n={len(ui)})",
                f"p50 {_ms(p50)} / p95 {_ms(p95)} ms",
                f"p50 {_ms(b50)} / p95 {_ms(b95)} ms",
                f"{p50 / b50:.1f}× / {p95 / b95:.1f}×",
                f"p95 ≤ {TARGET_P95_MS:.0f} ms",
                _verdict(p95 <= TARGET_P95_MS),
            ]
        )
    return rows


def breakdown(name: str, res: LatencyResult) -> list[str]:
    lines = []
    for action in ACTIONS:
        timings = res.ui.get(action, [])
        if not timings:
            continue
        done = _median([t.done * 1000 for t in timings])
        applied = _median([t.applied * 1000 for t in timings])
        painted = _median([t.painted * 1000 for t in timings])
        lines.append(
            f"{name} {action}: median key → action done {done:.1f} ms, → desk applied "
            f"{applied:.1f} ms, → painted {painted:.1f} ms"
        )
    secs = res.load.seconds
    rate = res.load.actions / secs if secs else 0.0
    issued = res.load.issued / secs if secs else 0.0
    lines.append(
        f"{name}: the other counters did {rate:.0f} actions/s (+{issued:.0f} tickets issued/s); "
        f"the screen reloaded its desk {res.desk_loads_per_s:.1f}×/s; queue ran dry "
        f"{res.load.dry}×"
    )
    lines += [f"{name}: {e.strip()[:400]}" for e in (res.errors + res.load.errors)[:4]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and cycles (~2 min)")
    parser.add_argument("--only", choices=("start", "latency"), help="one part only")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, help="cold starts per app (default 7; quick 3)")
    parser.add_argument(
        "--seconds",
        type=float,
        help="time for the timed call/start/finish cycles per backend (default 40; quick 10)",
    )
    parser.add_argument(
        "--no-idle", action="store_true", help="skip the latency runs without other counters"
    )
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="let the app share every CPU with the other counters (default: app on CPU 0)",
    )
    parser.add_argument("--load-counters", type=int, default=64, help="other working counters")
    parser.add_argument(
        "--load-procs",
        type=int,
        default=4,
        help="processes driving them round-robin (64 starve the app of CPU on 2 cores)",
    )
    parser.add_argument(
        "--load-pause",
        type=float,
        default=0.0,
        help="seconds each load process sleeps after an action (default 0: flat out)",
    )
    parser.add_argument(
        "--waiting", type=int, default=300, help="waiting tickets the kiosk keeps in the queue"
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="start every app without cached bytecode (as in a fresh uv venv here)",
    )
    parser.add_argument("--imports", action="store_true", help="also show the slowest imports")
    parser.add_argument("--pg-url", default=PG_URL, help="PostgreSQL maintenance database URL")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 7)
    seconds = args.seconds or (10.0 if args.quick else 40.0)
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    spec = LoadSpec(args.load_counters, args.load_procs, args.load_pause, not args.no_pin)
    runs_of: list[tuple[LoadSpec, Budget]] = [
        (spec, Budget(seconds, least=2 if args.quick else 6, most=100))
    ]
    if not args.no_idle:  # the same without the other counters: what the screen itself costs
        idle = LoadSpec(0, 0, 0.0, not args.no_pin)
        runs_of.insert(0, (idle, Budget(seconds / 4, least=2 if args.quick else 6, most=100)))

    rows: list[list[str]] = []
    notes: list[str] = []
    failed = False
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    if args.only in (None, "start"):
        start = measure_start(runs, not args.no_bytecode_cache)
        rows += start_rows(start, runs)
        for name, launches in (
            ("minimal", start.minimal),
            ("login", start.login),
            ("signed in", start.signed_in),
        ):
            notes += [f"start {name}: {r.error[:300]}" for r in launches if r.error]
            failed = failed or any(r.error for r in launches)
        if start.actions is not None and start.actions.error:
            notes.append(f"start signed in + actions: {start.actions.error[:300]}")
    if args.only in (None, "latency"):
        for name in names:
            label = "SQLite" if name == "sqlite" else "PostgreSQL"
            for load, budget in runs_of:
                backend: Backend = (
                    SqliteBackend() if name == "sqlite" else PostgresBackend(args.pg_url)
                )
                try:
                    res = measure_latency(backend, load, budget, args.waiting)
                finally:
                    backend.close()
                rows += latency_rows(label, res, load.describe())
                notes += breakdown(f"{label}, {load.describe()}", res)
                failed = failed or bool(res.errors or res.load.errors)

    header = ["figure", "mpp-tui", "baseline", "ratio", "target", "verdict"]
    print(f"| {' | '.join(header)} |")
    print(f"|{'---|' * len(header)}")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    print()
    cpus = spec.cpus()
    where = (
        f"the app and the baseline on CPU {min(cpus[0])}, the other counters on the rest"
        if cpus
        else "every process on every CPU"
    )
    print(
        f"Baselines: a minimal Textual app (one Static) for start and memory; the bare "
        f"Hall call for latency, in its own process. Load: {spec.describe()}, each "
        f"looping issue → call next → start → finish, {args.waiting} tickets waiting; {where}. "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after; {time.perf_counter() - started:.0f} s."
    )
    if notes:
        print("\n" + "\n".join(notes))
    if args.imports:
        print("\n" + import_profile(15))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
