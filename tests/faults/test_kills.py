"""kill -9, two hundred times, in a busy hour: nothing is lost and every counter carries on.

Six counter robots call, start and finish; two kiosk robots issue; a board robot reads the
board. A killer picks one of them at random every few tens of milliseconds, SIGKILLs it
wherever it is (inside a transaction or between two), notes what that counter held according
to the database, and starts a new process in its place. Afterwards (both backends):

- every ticket's event log replays to its final state, numbers have no holes or repeats, and
  no counter holds two tickets, no ticket is held by two counters (``find_violations``);
- every restarted counter robot found and carried on exactly the ticket its predecessor held;
- every ticket a kiosk was told it issued exists; nobody was ever shown a database error;
- once stopped, every robot finished what it held: no ticket is left called or serving.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.tables import TICKET
from mpp_tui.domain.enums import TicketStatus as S
from tests.faults.hall import (
    COUNTERS,
    active_ticket,
    officer_of,
    robot_context,
    set_up_hall,
    wait_for_backend_end,
)
from tests.faults.robots import board_robot, counter_robot, kiosk_robot, read_journal
from tests.figures import record

pytestmark = pytest.mark.slow

KILLS = 200
KIOSKS = ("kiosk1", "kiosk2")
BOARD = "board"
# Counters are the processes whose death matters most; they are picked most often.
VICTIMS = [*COUNTERS, *COUNTERS, *KIOSKS, BOARD]
STOP_TIMEOUT_S = 60.0
# Visitors already waiting when the killing starts, so counters are busy (holding tickets)
# rather than waiting for the kiosks.
BACKLOG = 400


def test_two_hundred_kills_lose_nothing(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    set_up_hall(engine, backlog=BACKLOG)
    folder = tmp_path / "journals"
    folder.mkdir()
    ctx = robot_context()

    def launch(name: str, incarnation: int) -> Any:
        if name in COUNTERS:
            target: Any = counter_robot
            args: tuple[Any, ...] = (db_url, str(folder), name, officer_of(name), incarnation)
        elif name in KIOSKS:
            target, args = kiosk_robot, (db_url, str(folder), name, incarnation, 0.03)
        else:
            target, args = board_robot, (db_url, str(folder), name)
        proc = ctx.Process(target=target, args=args, name=f"{name}-{incarnation}", daemon=True)
        proc.start()
        return proc

    names = [*COUNTERS, *KIOSKS, BOARD]
    incarnations = dict.fromkeys(names, 0)
    procs = {name: launch(name, 0) for name in names}
    held_at_kill: dict[tuple[str, int], int | None] = {}  # (counter, next incarnation) -> ticket
    kills: Counter[str] = Counter()
    rng = random.Random(7)
    try:
        _wait_for_work(engine)
        while sum(kills.values()) < KILLS:
            time.sleep(rng.uniform(0.0, 0.06))
            name = rng.choice(VICTIMS)
            proc = procs[name]
            os.kill(proc.pid, signal.SIGKILL)
            proc.join(timeout=10)
            assert proc.exitcode == -signal.SIGKILL, f"{name} was not running when killed"
            wait_for_backend_end(engine, read_journal(folder, name))
            kills["counter" if name in COUNTERS else name.rstrip("12")] += 1
            incarnations[name] += 1
            if name in COUNTERS:
                held_at_kill[(name, incarnations[name])] = active_ticket(engine, name)
            procs[name] = launch(name, incarnations[name])
    finally:
        (folder / "STOP").touch()
        for proc in procs.values():
            proc.join(timeout=STOP_TIMEOUT_S)
        for proc in procs.values():
            if proc.is_alive():
                proc.kill()
    assert all(proc.exitcode == 0 for proc in procs.values()), "a robot did not stop cleanly"
    assert find_violations(engine) == []
    resumed = _check_resumes(folder, held_at_kill)
    backend = db_url.split(":", 1)[0].split("+", 1)[0]
    record(
        f"faults/{backend}: {sum(kills.values())} kill -9 survived ({_spelled(kills)}); "
        f"{resumed} restarted counters resumed the ticket they held"
    )
    assert resumed >= 20, f"only {resumed} kills hit a counter holding a ticket"

    with engine.connect() as conn:
        tickets = {r.id: r.status for r in conn.execute(select(TICKET.c.id, TICKET.c.status))}
        issued_total = conn.execute(select(func.count()).select_from(TICKET)).scalar_one()
    for kiosk in KIOSKS:
        told_issued = [
            int(words[1]) for words in read_journal(folder, kiosk) if words[0] == "issued"
        ]
        assert told_issued, f"{kiosk} never issued"
        assert set(told_issued) <= set(tickets), f"{kiosk} was told of tickets that do not exist"
    assert not [t for t, status in tickets.items() if status in (S.CALLED, S.SERVING)]
    for name in names:
        told = [words for words in read_journal(folder, name) if words[0] == "told"]
        assert told == [], f"{name} was shown errors: {told[:3]}"
    assert any(words[0] == "looked" for words in read_journal(folder, BOARD))
    assert issued_total > 0
    engine.dispose()


def _spelled(kills: Counter[str]) -> str:
    return ", ".join(f"{n} {name}" for name, n in sorted(kills.items()))


def _wait_for_work(engine: Any) -> None:
    """Kill only once the hall is busy: tickets issued and counters holding some."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sum(active_ticket(engine, c) is not None for c in COUNTERS) >= len(COUNTERS) // 2:
            return
        time.sleep(0.05)
    pytest.fail("the robots never got busy")


def _check_resumes(folder: Path, held_at_kill: dict[tuple[str, int], int | None]) -> int:
    """Each restarted counter robot's first line names the ticket its counter held when its
    predecessor was killed; returns how many restarts resumed a ticket."""
    resumed = 0
    for counter in COUNTERS:
        starts = [words for words in read_journal(folder, counter) if words[0] == "start"]
        by_incarnation = {int(words[1]): words[2] for words in starts}
        for (name, incarnation), held in held_at_kill.items():
            if name != counter or incarnation not in by_incarnation:
                continue  # killed again before it could say anything (it did nothing either)
            found = by_incarnation[incarnation]
            assert found == (str(held) if held is not None else "-"), (
                f"{counter} #{incarnation} resumed {found}, but the counter held {held}"
            )
            resumed += held is not None
    return resumed
