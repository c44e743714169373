"""Who may do what: every acting service operation × every kind of account, on both backends.

The expected outcome of each cell is the table below. Every cell runs against a real database
set up for its operation; a refused cell must raise the named error AND leave every table
exactly as it was (no row changed, no event written); an allowed cell must succeed and write
what the operation writes.

The accounts (columns):
    op_here     budi, operator signed in at L01, the counter acted on
    op_other    sari, operator signed in at L02
    supervisor  spv (signed in nowhere)
    admin       admin (signed in nowhere)
    disabled    dina, an admin whose account is disabled: disabling beats every role
    locked      budi again, signed in at L01 and then locked by five wrong PINs (someone
                guessing at another PC). A lock stops new sign-ins (authenticate, opening a
                counter); it does not stop the session budi already holds, so a guesser
                cannot halt a counter by typing wrong PINs.

Outcomes (cells):
    ok          allowed
    counter     PermissionDenied err.denied_counter (not signed in at that counter)
    role        PermissionDenied err.denied_role (the role may not)
    disabled    PermissionDenied err.account_disabled
    auth-off    AuthError err.account_disabled (sign-in of a disabled account)
    locked      AuthError err.account_locked
    ended       PermissionDenied err.session_ended (a heartbeat from someone not holding it)
    elsewhere   Conflict err.officer_elsewhere (already signed in at another counter)

Not in the table because they take no account: issuing at the kiosk, voiding an unprinted
ticket (a ten-minute window keeps it honest), the SKM survey (a visitor answers), and the
reads (desk, board, overview, day log, reports): anyone holding the database URL may read
the hall (DESIGN §7). `mpp user …` without an acting officer (`by=None`) is that database
owner too; the officer_* rows give an acting officer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from mpp_tui.db.engine import make_engine
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import AuthError, Conflict, MppError, PermissionDenied
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import (
    ADMIN_PIN,
    FAST_HASHER,
    MONDAY_0900,
    OPERATOR_PIN,
    SUPERVISOR_PIN,
    fresh_sqlite_url,
    pg_exec,
    pg_url_for,
)

MATRIX = """
operation         op_here  op_other   supervisor  admin  disabled  locked
call_next         ok       counter    ok          ok     disabled  ok
call_ticket       ok       counter    ok          ok     disabled  ok
recall            ok       counter    ok          ok     disabled  ok
start             ok       counter    ok          ok     disabled  ok
finish            ok       counter    ok          ok     disabled  ok
no_show           ok       counter    ok          ok     disabled  ok
return_to_queue   ok       counter    ok          ok     disabled  ok
transfer          ok       counter    ok          ok     disabled  ok
pause_counter     ok       counter    ok          ok     disabled  ok
resume_counter    ok       counter    ok          ok     disabled  ok
close_counter     ok       counter    ok          ok     disabled  ok
open_counter      ok       elsewhere  ok          ok     disabled  locked
heartbeat         ok       ended      ended       ended  disabled  ok
authenticate      ok       ok         ok          ok     auth-off  locked
cancel            role     role       ok          ok     disabled  role
reactivate        role     role       ok          ok     disabled  role
move_ticket       role     role       ok          ok     disabled  role
set_priority      role     role       ok          ok     disabled  role
issue_override    role     role       ok          ok     disabled  role
close_day         role     role       ok          ok     disabled  role
officer_add       role     role       role        ok     disabled  role
officer_set_pin   role     role       ok          ok     disabled  role
officer_unlock    role     role       ok          ok     disabled  role
officer_disable   role     role       role        ok     disabled  role
officer_enable    role     role       role        ok     disabled  role
"""

OUTCOMES: dict[str, tuple[type[MppError], str] | None] = {
    "ok": None,
    "counter": (PermissionDenied, "err.denied_counter"),
    "role": (PermissionDenied, "err.denied_role"),
    "disabled": (PermissionDenied, "err.account_disabled"),
    "auth-off": (AuthError, "err.account_disabled"),
    "locked": (AuthError, "err.account_locked"),
    "ended": (PermissionDenied, "err.session_ended"),
    "elsewhere": (Conflict, "err.officer_elsewhere"),
}
ACTORS = {
    "op_here": "budi",
    "op_other": "sari",
    "supervisor": "spv",
    "admin": "admin",
    "disabled": "dina",
    "locked": "budi",
}
PINS = {"budi": OPERATOR_PIN, "sari": OPERATOR_PIN, "spv": SUPERVISOR_PIN, "admin": ADMIN_PIN}
PINS["dina"] = ADMIN_PIN
WRONG_PIN = "5093"


def parse_matrix(text: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The table as (columns, {operation: {column: outcome}})."""
    header, *lines = [line.split() for line in text.strip().splitlines()]
    columns = header[1:]
    table = {}
    for cells in lines:
        assert len(cells) == len(header), cells
        assert all(c in OUTCOMES for c in cells[1:]), cells
        table[cells[0]] = dict(zip(columns, cells[1:], strict=True))
    return columns, table


COLUMNS, TABLE = parse_matrix(MATRIX)


# --- the world of one cell ------------------------------------------------------------------


@dataclass
class World:
    """One fresh database with the services a cell acts through."""

    engine: Engine
    clock: FrozenClock
    hall: Hall

    @property
    def officers(self) -> Officers:
        return self.hall.officers


def open_world(url: str) -> World:
    """Services on the database at `url`, frozen at Monday 09:00 WIB."""
    engine = make_engine(url)
    clock = FrozenClock(MONDAY_0900)
    return World(engine, clock, Hall(engine, clock=clock, hasher=FAST_HASHER))


def build_world(url: str) -> None:
    """Accounts, budi at L01 and sari at L02, three waiting KTP tickets (A-001…A-003)."""
    world = open_world(url)
    officers, queue = world.officers, world.hall
    for name, role in (
        ("budi", "operator"),
        ("sari", "operator"),
        ("rina", "operator"),
        ("spv", "supervisor"),
        ("admin", "admin"),
        ("dina", "admin"),
    ):
        officers.add(username=name, pin=PINS.get(name, OPERATOR_PIN), role=role)
    officers.disable(username="dina")
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    for _ in range(3):
        queue.issuing.issue_ticket(service="KTP")
    world.engine.dispose()


def lock(world: World, username: str) -> None:
    """Five wrong PINs, as a guesser at another PC would type them."""
    for _ in range(world.officers.policy().attempts):
        with pytest.raises(AuthError):
            world.officers.authenticate(username=username, pin=WRONG_PIN)


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the schema, in primary-key order."""
    with engine.connect() as conn:
        return {
            table.name: [
                tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


# --- the operations: what each row prepares, does, and must write when allowed --------------

Prepare = Callable[[World], None]
Act = Callable[[World, str], object]


@dataclass(frozen=True)
class Operation:
    prepare: Prepare
    act: Act
    writes: str | None  # the table an allowed cell must change (None: nothing)


def nothing(world: World) -> None:
    """The base world is enough."""


def called(world: World) -> None:
    """L01 holds A-001, called."""
    world.hall.calls.call_next(counter="L01", officer="budi")


def called_twice(world: World) -> None:
    """L01 holds A-001, called and recalled (a no-show needs two calls)."""
    called(world)
    world.hall.calls.recall(counter="L01", officer="budi")


def paused(world: World) -> None:
    world.hall.sessions.pause_counter(counter="L01", officer="budi", reason="istirahat")


def l01_closed(world: World) -> None:
    world.hall.sessions.close_counter(counter="L01", officer="budi")


def cancelled(world: World) -> None:
    world.hall.supervision.cancel(ticket="A-003", officer="spv")


def rina_locked(world: World) -> None:
    lock(world, "rina")


def rina_disabled(world: World) -> None:
    world.officers.disable(username="rina")


def heartbeat(world: World, who: str) -> None:
    world.clock.advance(seconds=30)  # so an allowed beat changes last_seen_at
    world.hall.sessions.heartbeat(counter="L01", officer=who)


OPERATIONS: dict[str, Operation] = {
    "call_next": Operation(
        nothing, lambda w, a: w.hall.calls.call_next(counter="L01", officer=a), "ticket_event"
    ),
    "call_ticket": Operation(
        nothing,
        lambda w, a: w.hall.calls.call_ticket(counter="L01", officer=a, ticket="A-002"),
        "ticket_event",
    ),
    "recall": Operation(
        called, lambda w, a: w.hall.calls.recall(counter="L01", officer=a), "ticket_event"
    ),
    "start": Operation(
        called, lambda w, a: w.hall.calls.start(counter="L01", officer=a), "ticket_event"
    ),
    "finish": Operation(
        called, lambda w, a: w.hall.calls.finish(counter="L01", officer=a), "ticket_event"
    ),
    "no_show": Operation(
        called_twice, lambda w, a: w.hall.calls.no_show(counter="L01", officer=a), "ticket_event"
    ),
    "return_to_queue": Operation(
        called, lambda w, a: w.hall.calls.return_to_queue(counter="L01", officer=a), "ticket_event"
    ),
    "transfer": Operation(
        called,
        lambda w, a: w.hall.calls.transfer(counter="L01", officer=a, service="KK"),
        "ticket_event",
    ),
    "pause_counter": Operation(
        nothing,
        lambda w, a: w.hall.sessions.pause_counter(counter="L01", officer=a, reason="sholat"),
        "counter_event",
    ),
    "resume_counter": Operation(
        paused,
        lambda w, a: w.hall.sessions.resume_counter(counter="L01", officer=a),
        "counter_event",
    ),
    "close_counter": Operation(
        nothing,
        lambda w, a: w.hall.sessions.close_counter(counter="L01", officer=a, reason=f"by {a}"),
        "counter_event",
    ),
    "open_counter": Operation(
        l01_closed,
        lambda w, a: w.hall.sessions.open_counter(counter="L01", officer=a),
        "counter_event",
    ),
    "heartbeat": Operation(nothing, heartbeat, "counter"),
    "authenticate": Operation(
        nothing, lambda w, a: w.officers.authenticate(username=a, pin=PINS[a]), None
    ),
    "cancel": Operation(
        nothing, lambda w, a: w.hall.supervision.cancel(ticket="A-002", officer=a), "ticket_event"
    ),
    "reactivate": Operation(
        cancelled,
        lambda w, a: w.hall.supervision.reactivate(ticket="A-003", officer=a),
        "ticket_event",
    ),
    "move_ticket": Operation(
        nothing,
        lambda w, a: w.hall.supervision.move_ticket(ticket="A-002", officer=a, service="KK"),
        "ticket_event",
    ),
    "set_priority": Operation(
        nothing,
        lambda w, a: w.hall.supervision.set_priority(ticket="A-002", officer=a, priority="lansia"),
        "ticket_event",
    ),
    "issue_override": Operation(
        nothing,
        lambda w, a: w.hall.issuing.issue_ticket(service="KTP", override_by=a, source="cli"),
        "ticket_event",
    ),
    "close_day": Operation(
        nothing,
        lambda w, a: w.hall.supervision.close_day(day=w.hall.today(), officer=a),
        "ticket_event",
    ),
    "officer_add": Operation(
        nothing,
        lambda w, a: w.officers.add(username="tono", pin="3719", by=a),
        "officer",
    ),
    "officer_set_pin": Operation(
        nothing, lambda w, a: w.officers.set_pin(username="rina", pin="3719", by=a), "officer"
    ),
    "officer_unlock": Operation(
        rina_locked, lambda w, a: w.officers.unlock(username="rina", by=a), "officer"
    ),
    "officer_disable": Operation(
        nothing, lambda w, a: w.officers.disable(username="rina", by=a), "officer"
    ),
    "officer_enable": Operation(
        rina_disabled, lambda w, a: w.officers.enable(username="rina", by=a), "officer"
    ),
}


def test_the_table_covers_every_operation_and_column() -> None:
    """The written table and the operations tested are the same set; every column is a kind
    of account the issue names."""
    assert set(TABLE) == set(OPERATIONS)
    assert COLUMNS == ["op_here", "op_other", "supervisor", "admin", "disabled", "locked"]


# --- databases ------------------------------------------------------------------------------


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world_template(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(backend, template): the base world built once per backend, copied for every cell."""
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("matrix")
        url = fresh_sqlite_url(request.getfixturevalue("sqlite_template"), folder)
        build_world(url)
        yield "sqlite", url.removeprefix("sqlite:///")
        return
    name = f"mpp_mt_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name} TEMPLATE {request.getfixturevalue('pg_template')}")
    build_world(pg_url_for(name))
    yield "postgres", name
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def new_db(world_template: tuple[str, str], tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of fresh copies of the base world on one backend; dropped afterwards."""
    backend, template = world_template
    created: list[str] = []

    def copy() -> str:
        if backend == "sqlite":
            return fresh_sqlite_url(Path(template), tmp_path)
        name = f"mpp_m_{uuid.uuid4().hex[:10]}"
        pg_exec(f"CREATE DATABASE {name} TEMPLATE {template}")
        created.append(name)
        return pg_url_for(name)

    yield copy
    for name in created:
        pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the matrix -----------------------------------------------------------------------------


def run_cell(world: World, operation: Operation, column: str, outcome: str) -> list[str]:
    """Run one cell; return what went wrong (empty when the cell behaves as the table says)."""
    actor = ACTORS[column]
    before = dump(world.engine)
    expected = OUTCOMES[outcome]
    try:
        operation.act(world, actor)
    except MppError as exc:
        after = dump(world.engine)
        changed = sorted(name for name in before if before[name] != after[name])
        if expected is None:
            return [f"refused with {type(exc).__name__} {exc.key}: {exc.message('en')}"]
        problems = []
        if not isinstance(exc, expected[0]) or exc.key != expected[1]:
            problems.append(
                f"{type(exc).__name__} {exc.key}, not {expected[0].__name__} {expected[1]}"
            )
        if "{" in exc.message("en") or exc.message("id") == exc.message("en"):
            problems.append(f"unreadable message {exc.message('en')!r}")
        if changed:
            problems.append(f"refused but changed {changed}")
        return problems
    after = dump(world.engine)
    if expected is not None:
        return [f"allowed, expected {expected[0].__name__} {expected[1]}"]
    if operation.writes is not None and before[operation.writes] == after[operation.writes]:
        return [f"allowed but wrote nothing to {operation.writes}"]
    return []


@pytest.mark.parametrize("name", list(TABLE))
def test_access_matrix(name: str, new_db: Callable[[], str]) -> None:
    """Each cell of the operation's row behaves as the table says: refused cells raise the
    named error and change no row at all; allowed cells succeed and write.

    Refused cells share one database (they change nothing, which each checks); every allowed
    cell, and the locked column (whose lock is part of its setup), gets a fresh one.
    """
    operation = OPERATIONS[name]
    row = TABLE[name]
    order = sorted(COLUMNS, key=lambda c: (c == "locked", row[c] == "ok"))
    problems: dict[str, list[str]] = {}
    world: World | None = None
    dirty = True
    for column in order:
        if dirty or column == "locked":
            if world is not None:
                world.engine.dispose()
            world = open_world(new_db())
            operation.prepare(world)
            if column == "locked":
                lock(world, "budi")
            dirty = False
        assert world is not None
        found = run_cell(world, operation, column, row[column])
        if found:
            problems[column] = found
        dirty = row[column] == "ok"
    if world is not None:
        world.engine.dispose()
    assert problems == {}, f"{name}: " + "; ".join(f"{c}: {p}" for c, p in problems.items())
