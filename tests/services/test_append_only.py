"""The event logs are append-only in the database itself (migration 0004), on both backends.

Whoever holds a connection, SQLAlchemy refuses nothing by itself: the database's triggers do.
Each refusal must change nothing; inserting events (what every service does) keeps working;
and downgrading to 0003 removes the triggers again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from sqlalchemy import Engine, Table, delete, inspect, make_url, select, text, update
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from mpp_tui.cli.main import app as cli_app
from mpp_tui.db.engine import make_engine, write_tx
from mpp_tui.db.migrate import alembic_config, current_revision, head_revision, upgrade
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import AuthError, PermissionDenied
from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import open_feed
from tests.conftest import (
    ADMIN_PIN,
    FAST_HASHER,
    MONDAY_0900,
    OPERATOR_PIN,
    PG_REQUIRED,
    SUPERVISOR_PIN,
    pg_admin_url,
    pg_available,
    pg_exec,
    pg_url_for,
)
from tests.services.helpers import CE, EV, counter_events, last_event_id

TABLES = {"ticket_event": EV, "counter_event": CE}


def _rows(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).order_by(table.c.id)).all()]


def _history(queue: Hall) -> None:
    """A ticket issued, called and finished at L01, so both logs hold rows."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.finish(counter="L01", officer="budi")


def _refused(engine: Engine, statement: Any) -> str:
    """Run `statement` in a write transaction; return the database's refusal message."""
    with pytest.raises(DBAPIError) as err, write_tx(engine) as conn:
        conn.execute(statement)
    return str(err.value.orig)


def _trigger_names(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        return {name for (name,) in conn.execute(text(query))}


def _append_only_triggers(engine: Engine) -> set[str]:
    return {n for n in _trigger_names(engine) if "_no_" in n or n.endswith("_append_only")}


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: update(t).values(kind="tampered"), id="update-all"),
        pytest.param(lambda t: update(t).where(t.c.id == 1).values(at=None), id="update-one"),
        pytest.param(lambda t: delete(t), id="delete-all"),
        pytest.param(lambda t: delete(t).where(t.c.id == 1), id="delete-one"),
    ],
)
def test_update_and_delete_are_refused_and_change_nothing(
    queue: Hall, engine: Engine, name: str, change: Callable[[Table], Any]
) -> None:
    """UPDATE and DELETE through SQLAlchemy fail with a message naming the table and the verb,
    and every row stays exactly as it was."""
    _history(queue)
    table = TABLES[name]
    before = _rows(engine, table)
    assert before

    message = _refused(engine, change(table))

    verb = "UPDATE" if "update" in str(change(table)).lower() else "DELETE"
    assert f"{name} is append-only: {verb} refused" in message
    assert _rows(engine, table) == before


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_truncate_is_refused(queue: Hall, engine: Engine, name: str) -> None:
    """PostgreSQL's TRUNCATE skips row triggers; a statement trigger refuses it too. (SQLite
    has no TRUNCATE: its `DELETE FROM t` fast path is off when the table has triggers.)"""
    assert engine.dialect.name == "postgresql"
    _history(queue)
    before = _rows(engine, TABLES[name])

    message = _refused(engine, text(f"TRUNCATE {name} CASCADE"))

    assert f"{name} is append-only: TRUNCATE refused" in message
    assert _rows(engine, TABLES[name]) == before


def test_inserts_still_work(queue: Hall, engine: Engine) -> None:
    """The services keep writing events: each action adds its rows, older rows untouched."""
    _history(queue)
    mark = last_event_id(engine)
    old = _rows(engine, EV)
    counter_rows = len(counter_events(engine))

    queue.issuing.issue_ticket(service="KK")
    queue.sessions.pause_counter(counter="L01", officer="budi", reason="istirahat")

    rows = _rows(engine, EV)
    assert rows[: len(old)] == old
    assert [r[3] for r in rows if r[0] > mark] == ["issued"]
    assert len(counter_events(engine)) == counter_rows + 1


def test_triggers_exist_at_head(engine: Engine) -> None:
    """A later migration rebuilding an event table must not lose its triggers (the audit log,
    migration 0006, is append-only the same way)."""
    logs = (*TABLES, "audit_log")
    expected = (
        {f"{t}_append_only" for t in logs} | {f"{t}_no_truncate" for t in logs}
        if engine.dialect.name == "postgresql"
        else {f"{t}_no_{v}" for t in logs for v in ("update", "delete")}
    )
    assert current_revision(engine) == head_revision()
    assert _append_only_triggers(engine) == expected


def test_downgrade_removes_the_triggers(queue: Hall, engine: Engine) -> None:
    """Downgrading to 0003 drops the triggers (and the function); an UPDATE then works;
    upgrading again restores the refusal."""
    _history(queue)
    cfg = alembic_config()
    with write_tx(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert current_revision(engine) == "0003"
    assert _append_only_triggers(engine) == set()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            assert (
                conn.execute(
                    text("SELECT count(*) FROM pg_proc WHERE proname = 'mpp_refuse_event_change'")
                ).scalar_one()
                == 0
            )
    with write_tx(engine) as conn:
        changed = conn.execute(update(EV).where(EV.c.id == 1).values(detail="x")).rowcount
    assert changed == 1

    upgrade(engine)

    assert "ticket_event is append-only" in _refused(engine, delete(EV))
    assert set(inspect(engine).get_table_names()) >= set(TABLES)


# --- the guide's PostgreSQL roles (docs/deployment.md §4.2) -------------------------------------

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
MONDAY = MONDAY_0900.date()


def guide_sql(name: str) -> str:
    """The SQL block the guide marks `<!-- tested: NAME -->`."""
    found = re.search(rf"<!-- tested: {name} -->\n```sql\n(.*?)```", GUIDE.read_text(), re.S)
    assert found is not None, f"docs/deployment.md lost its '{name}' block"
    return found.group(1)


@dataclass(frozen=True)
class Deployment:
    """A database and its two roles made by the guide's SQL under names of their own."""

    database: str
    owner: str
    app: str

    def localise(self, sql: str) -> str:
        """The guide's SQL with this deployment's names (roles are global to the server)."""
        sql = sql.replace("mpp_owner", self.owner).replace("mpp_app", self.app)
        return re.sub(r"\bmpp\b", self.database, sql)

    def url(self, role: str) -> str:
        return make_url(pg_url_for(self.database)).set(username=role).render_as_string(False)

    def run(self, sql: str, *, database: str, role: str = "postgres") -> None:
        """Run a psql-style block (`\\connect DB` switches database) statement by statement."""
        base = make_url(pg_admin_url()).set(username=role)
        for chunk in re.split(r"^\\connect (\w+)\n", self.localise(sql), flags=re.M):
            if re.fullmatch(r"\w+", chunk.strip()) and chunk.strip() == self.database:
                database = chunk.strip()
                continue
            url = base.set(database=database).render_as_string(False)
            with psycopg.connect(url, autocommit=True) as conn:
                for statement in filter(str.strip, chunk.split(";")):
                    conn.execute(statement)  # type: ignore[call-overload]


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    """The guide's roles and database, dropped afterwards (PostgreSQL only)."""
    if not pg_available():
        if PG_REQUIRED:
            pytest.fail("PostgreSQL required but not reachable")
        pytest.skip("PostgreSQL not reachable")
    tag = uuid.uuid4().hex[:8]
    dep = Deployment(f"mpp_{tag}", f"mpp_owner_{tag}", f"mpp_app_{tag}")
    try:
        dep.run(guide_sql("roles"), database="postgres")
        yield dep
    finally:
        pg_exec(f"DROP DATABASE IF EXISTS {dep.database} WITH (FORCE)")
        pg_exec(f"DROP ROLE IF EXISTS {dep.app}")
        pg_exec(f"DROP ROLE IF EXISTS {dep.owner}")


def add_staff(owner_url: str) -> None:
    """Officers are made with the owner's credential (the daily role may not write `officer`)."""
    engine = make_engine(owner_url)
    try:
        officers = Hall(engine, hasher=FAST_HASHER).officers
        officers.add(username="budi", pin=OPERATOR_PIN)
        officers.add(username="spv", pin=SUPERVISOR_PIN, role="supervisor")
    finally:
        engine.dispose()


def _daily_work(url: str, owner_url: str) -> None:
    """What the screens and the everyday commands do, as the daily role (and the day's close,
    an admin action, with the owner's credential)."""
    engine = make_engine(url)
    try:
        clock = FrozenClock(MONDAY_0900 - timedelta(days=3))  # Friday 09:00 WIB
        officers = Hall(engine, clock=clock, hasher=FAST_HASHER).officers
        queue = Hall(engine, clock=clock)
        left = queue.issuing.issue_ticket(service="KTP").ticket  # Friday's leftover
        clock.set(MONDAY_0900)
        feed = open_feed(engine, hall_id=queue.ref().hall_id)
        with pytest.raises(AuthError):
            officers.authenticate(username="budi", pin="0000")  # a failure is recorded
        officers.authenticate(username="budi", pin=OPERATOR_PIN)
        queue.sessions.open_counter(counter="L01", officer="budi")
        queue.sessions.heartbeat(counter="L01", officer="budi")
        first = queue.issuing.issue_ticket(service="KTP", priority="lansia").ticket
        second = queue.issuing.issue_ticket(service="KK").ticket
        third = queue.issuing.issue_ticket(service="KTP").ticket
        assert feed.wait(10.0)
        feed.close()
        assert queue.calls.call_next(counter="L01", officer="budi").id == first.id
        queue.calls.recall(counter="L01", officer="budi")
        queue.calls.start(counter="L01", officer="budi")
        queue.calls.finish(counter="L01", officer="budi")
        Hall(engine, clock=clock).survey.record(ticket=first.id, answers=[4] * 9)
        queue.calls.call_ticket(counter="L01", officer="budi", ticket=second.id)
        queue.calls.transfer(counter="L01", officer="budi", service="NIB")
        queue.supervision.set_priority(ticket=third.id, officer="spv", priority="lansia")
        queue.supervision.move_ticket(ticket=third.id, officer="spv", counter="L01")
        queue.supervision.cancel(ticket=third.id, officer="spv", reason="double")
        queue.supervision.reactivate(ticket=third.id, officer="spv")
        queue.sessions.pause_counter(counter="L01", officer="budi", reason="sholat")
        queue.sessions.resume_counter(counter="L01", officer="budi")
        queue.sessions.close_counter(counter="L01", officer="budi")
    finally:
        engine.dispose()
    engine, owner_engine = make_engine(url), make_engine(owner_url)
    try:
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
        assert queue.supervision.ensure_past_days_closed() == {left.business_date: 1}
        # Closing or reopening the running day is an admin action (audited): not with the
        # daily credential, and the refusal changes nothing.
        with pytest.raises(PermissionDenied) as refused:
            queue.supervision.close_day(day=MONDAY, officer="spv")
        assert refused.value.key == "err.db_role_denied"
        assert queue.tickets.waiting_all()
        admin = Hall(owner_engine, clock=queue.clock)
        assert admin.supervision.close_day(day=MONDAY, officer="spv") >= 1
        assert admin.supervision.reopen_day(officer="spv")  # removes the day_close row
        assert admin.supervision.close_day(day=MONDAY, officer="spv") >= 1
        queue.overview.overview()
        queue.public.board()
        queue.desk.counter_desk(counter="L01", officer="budi")
        assert queue.daylog.day_log(day=MONDAY)
        report = Hall(engine, clock=queue.clock).reports.report(start=MONDAY, end=MONDAY)
        assert report.total.visitors == 3
    finally:
        engine.dispose()
        owner_engine.dispose()


def grant(deployment: Deployment) -> None:
    """The guide's `mpp grant` step, as the owner."""
    owner = deployment.url(deployment.owner)
    done = CliRunner().invoke(
        cli_app,
        ["--db", owner, "grant", deployment.app, "--by", "admin"],
        env={"MPP_BY_PIN": ADMIN_PIN},
    )
    assert done.exit_code == 0, done.output


REFUSED_TO_THE_DAILY_ROLE = [
    "UPDATE ticket_event SET kind = 'x'",
    "DELETE FROM ticket_event",
    "TRUNCATE ticket_event",
    "UPDATE counter_event SET kind = 'x'",
    "DELETE FROM counter_event",
    "ALTER TABLE ticket_event DISABLE TRIGGER ticket_event_append_only",
    "DROP TRIGGER ticket_event_append_only ON ticket_event",
    "DELETE FROM ticket",
    "UPDATE service SET name = 'x'",
    "UPDATE alembic_version SET version_num = '9999'",
    "CREATE TABLE intruder (id int)",
    "UPDATE officer SET role = 'admin'",
    "INSERT INTO officer (hall_id, username, role, pin_hash) VALUES (1, 'evil', 'admin', 'x')",
    "SELECT pin_hash FROM officer",
    "UPDATE officer SET failed_attempts = 0, locked_until = NULL",
    "SELECT * FROM audit_log",
    "DELETE FROM day_close",
]


@pytest.mark.postgres
def test_the_guides_daily_role_does_the_daily_work_and_nothing_more(
    deployment: Deployment,
) -> None:
    """With the guide's roles and grants: `mpp init` works as the owner and is refused (one
    line, nothing changed) to the daily role; the daily role does everything the screens and
    everyday commands do; it is refused changing events, the schema and the reference data."""
    owner, app = deployment.url(deployment.owner), deployment.url(deployment.app)
    done = CliRunner().invoke(
        cli_app, ["--db", owner, "init", "--admin", "admin"], env={"MPP_PIN": ADMIN_PIN}
    )
    assert done.exit_code == 0, done.output
    grant(deployment)
    add_staff(owner)

    refused = CliRunner().invoke(
        cli_app,
        ["--db", app, "--lang", "en", "init", "--by", "admin"],
        env={"MPP_BY_PIN": ADMIN_PIN},
    )
    assert refused.exit_code == 1
    assert f"The database role '{deployment.app}' may not change the schema" in refused.stderr

    _daily_work(app, owner)
    status = CliRunner().invoke(cli_app, ["--db", app, "status", "--json"])
    assert status.exit_code == 0, status.output

    engine = make_engine(app)
    try:
        before = {name: _rows(engine, table) for name, table in TABLES.items()}
        for statement in REFUSED_TO_THE_DAILY_ROLE:
            with pytest.raises(DBAPIError) as err, write_tx(engine) as conn:
                conn.execute(text(statement))
            assert getattr(err.value.orig, "sqlstate", None) == "42501", statement
        assert {name: _rows(engine, table) for name, table in TABLES.items()} == before
    finally:
        engine.dispose()
    owner_engine = make_engine(owner)
    try:  # even the owner cannot rewrite the log
        assert "append-only" in _refused(owner_engine, delete(EV))
    finally:
        owner_engine.dispose()
