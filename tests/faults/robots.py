"""The processes of a busy hour that the fault tests kill, restart and cut off.

Each robot works through the real services exactly as a screen does and writes what it did to
its own journal file, one line per fact, flushed at once: a process killed with SIGKILL loses at
most a half-written last line (which readers skip), and never holds a lock another process needs
(a multiprocessing queue would: its writer lock dies with the process).

Journal lines:
    start <n> <ticket id | ->  counter robot incarnation n began; the ticket its counter held
    told <action> <key>        an action failed and the robot was told (what a screen shows)
    backend <pid>              the PostgreSQL backend serving this process (written before any
                               work: a killer waits for it to end, so no commit is in flight)
    issued <ticket id>         a kiosk robot's ticket was committed
    looked <n>                 a board robot read the board (n calls on it)
    stopped                    the robot left cleanly after the stop file appeared
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from mpp_tui.db.engine import make_engine
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict, DatabaseUnavailable
from mpp_tui.services.facade import Hall
from tests.conftest import MONDAY_0900

SERVICES = ("PDAM_BAYAR", "PLN_ADUAN")
BACKOFF_S = 0.02  # what a person does after a message: try again a moment later


def journal(folder: Path, name: str) -> IO[str]:
    """Open `name`'s journal for appending (a restarted robot adds to its predecessor's)."""
    return (folder / f"{name}.log").open("a", encoding="utf-8", buffering=1)


def read_journal(folder: Path, name: str) -> list[list[str]]:
    """The complete lines of a journal, split into words (a torn last line is left out)."""
    path = folder / f"{name}.log"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    complete = lines[:-1]  # whatever follows the last newline was cut by a kill
    return [line.split() for line in complete if line]


def _engine(url: str, out: IO[str]) -> Engine:
    """The robot's engine, one pooled connection reused throughout; on PostgreSQL its backend
    pid goes to the journal first."""
    engine = make_engine(url, pool_size=1)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            out.write(f"backend {conn.exec_driver_sql('SELECT pg_backend_pid()').scalar_one()}\n")
    return engine


def _stopping(folder: Path) -> bool:
    return (folder / "STOP").exists()


def counter_robot(url: str, folder: str, counter: str, officer: str, incarnation: int) -> None:
    """Serve tickets at `counter`: resume what it holds, else call, start, finish; until STOP.

    The first thing a (re)started robot does is what a restarted counter screen does: read the
    counter and carry on with the ticket it holds.
    """
    where = Path(folder)
    out = journal(where, counter)
    rng = random.Random(incarnation)
    queue = Hall(_engine(url, out), clock=FrozenClock(MONDAY_0900))
    active = _read_active(queue, counter, out)
    out.write(f"start {incarnation} {active if active is not None else '-'}\n")
    while True:
        try:
            view = queue.tickets.counter_view(counter=counter)
            held = view.active
            if held is None:
                if _stopping(where):
                    break
                queue.calls.call_next(counter=counter, officer=officer)
            elif held.started_at is None:
                queue.calls.start(counter=counter, officer=officer, ticket=held.id)
            else:
                queue.calls.finish(counter=counter, officer=officer, ticket=held.id)
        except Conflict as exc:
            if exc.key != "err.queue_empty":
                out.write(f"told act {exc.key}\n")
            time.sleep(BACKOFF_S * rng.random())
        except DatabaseUnavailable as exc:
            out.write(f"told db {exc.key}\n")
            time.sleep(BACKOFF_S)
    out.write("stopped\n")
    os._exit(0)  # no interpreter teardown: the parent only needs the journal


def _read_active(queue: Hall, counter: str, out: IO[str]) -> int | None:
    while True:
        try:
            view = queue.tickets.counter_view(counter=counter)
            return view.active.id if view.active is not None else None
        except DatabaseUnavailable as exc:
            out.write(f"told db {exc.key}\n")
            time.sleep(BACKOFF_S)


def kiosk_robot(url: str, folder: str, name: str, seed: int, pause_s: float) -> None:
    """Issue tickets for the robot counters' services until STOP."""
    where = Path(folder)
    out = journal(where, name)
    rng = random.Random(seed)
    queue = Hall(_engine(url, out), clock=FrozenClock(MONDAY_0900))
    while not _stopping(where):
        try:
            issued = queue.issuing.issue_ticket(service=rng.choice(SERVICES), source="kiosk")
            out.write(f"issued {issued.ticket.id}\n")
        except DatabaseUnavailable as exc:
            out.write(f"told db {exc.key}\n")
        time.sleep(pause_s * rng.random())
    out.write("stopped\n")
    os._exit(0)


def board_robot(url: str, folder: str, name: str) -> None:
    """Read the hall board over and over, as `mpp board` does on every change."""
    where = Path(folder)
    out = journal(where, name)
    hall = Hall(_engine(url, out), clock=FrozenClock(MONDAY_0900))
    while not _stopping(where):
        try:
            board = hall.public.board()
            out.write(f"looked {len(board.recent)}\n")
        except DatabaseUnavailable as exc:
            out.write(f"told db {exc.key}\n")
        time.sleep(0.01)
    out.write("stopped\n")
    os._exit(0)
