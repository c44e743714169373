"""Alembic migrations (mpp_tui.db.migrate) on empty SQLite and PostgreSQL databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import mpp_tui.db.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from mpp_tui.db.engine import make_engine, sqlite_url, write_tx
from mpp_tui.db.migrate import alembic_config, current_revision, head_revision, upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from tests.conftest import MONDAY_0900, PG_REQUIRED, PG_URL, pg_available, pg_exec, pg_url_for

TABLES = {t.name for t in SQLModel.metadata.sorted_tables}


@contextmanager
def new_pg_database() -> Iterator[str]:
    """Create an empty PostgreSQL database for one test and drop it afterwards."""
    if not pg_available():
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL required but not reachable at {PG_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    name = f"mpp_mig_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name}")
    try:
        yield pg_url_for(name)
    finally:
        pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a brand-new, empty database (not the shared template), dropped afterwards."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "empty.sqlite")
        return
    with new_pg_database() as url:
        yield url


@pytest.fixture
def empty_engine(empty_url: str) -> Iterator[Engine]:
    eng = make_engine(empty_url)
    yield eng
    eng.dispose()


def schema_diff(engine: Engine) -> list[object]:
    """Alembic's autogenerate comparison of the live schema against the models."""
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), SQLModel.metadata))


def test_upgrade_builds_exactly_the_models(empty_engine: Engine) -> None:
    """On an empty database, upgrade() reaches head and the schema equals SQLModel.metadata
    (no table, column, type, index or constraint differences)."""
    assert inspect(empty_engine).get_table_names() == []
    assert current_revision(empty_engine) is None

    assert upgrade(empty_engine) == head_revision()

    assert current_revision(empty_engine) == head_revision()
    assert set(inspect(empty_engine).get_table_names()) == TABLES | {"alembic_version"}
    assert schema_diff(empty_engine) == []


def test_partial_unique_indexes_exist(empty_engine: Engine) -> None:
    """The safety-net indexes of DESIGN §3–§4 are created unique (the diff alone may not see
    their WHERE clauses)."""
    upgrade(empty_engine)
    insp = inspect(empty_engine)
    ticket = {ix["name"]: ix for ix in insp.get_indexes("ticket")}
    counter = {ix["name"]: ix for ix in insp.get_indexes("counter")}
    assert ticket["uq_ticket_number"]["unique"]
    assert ticket["uq_ticket_active_counter"]["unique"]
    assert counter["uq_counter_officer_id"]["unique"]
    assert ticket["uq_ticket_number"]["column_names"] == [
        "hall_id",
        "prefix",
        "business_date",
        "number",
    ]


def test_upgrade_twice_is_a_no_op(empty_engine: Engine) -> None:
    """A second upgrade() raises nothing, stays at the same revision and changes no schema."""
    first = upgrade(empty_engine)
    tables = sorted(inspect(empty_engine).get_table_names())
    second = upgrade(empty_engine)
    assert second == first == head_revision()
    assert sorted(inspect(empty_engine).get_table_names()) == tables
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            head_revision()
        ]
    assert schema_diff(empty_engine) == []


def test_downgrade_to_base_and_back(empty_engine: Engine) -> None:
    """The migration is reversible: base leaves only alembic_version, head rebuilds everything."""
    upgrade(empty_engine)
    cfg = alembic_config()
    with write_tx(empty_engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    assert current_revision(empty_engine) is None
    assert upgrade(empty_engine) == head_revision()
    assert schema_diff(empty_engine) == []


# --- PostgreSQL change feed -------------------------------------------------------------------


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """An empty PostgreSQL database of its own."""
    with new_pg_database() as url:
        yield url


@pytest.mark.postgres
def test_notify_triggers_exist(pg_empty_url: str) -> None:
    """On PostgreSQL, upgrade() installs AFTER INSERT triggers on both event tables, and an
    AFTER UPDATE trigger on officer (an account change signs its screens out, migration 0007)."""
    engine = make_engine(pg_empty_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT tgrelid::regclass::text, tgname, p.proname FROM pg_trigger t "
                    "JOIN pg_proc p ON p.oid = t.tgfoid "
                    "WHERE NOT t.tgisinternal AND p.proname = 'mpp_notify_event' ORDER BY 1"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("counter_event", "counter_event_notify", "mpp_notify_event"),
        ("officer", "officer_notify", "mpp_notify_event"),
        ("ticket_event", "ticket_event_notify", "mpp_notify_event"),
    ]


@pytest.mark.postgres
def test_issuing_a_ticket_notifies_listeners(pg_empty_url: str) -> None:
    """A LISTEN mpp_events connection gets exactly one notification, naming the new event row,
    when Hall issues a ticket, and nothing before or after it."""
    engine = make_engine(pg_empty_url)
    try:
        upgrade(engine)
        load_seed(engine, read_seed(default_seed_file()))
        queue = Hall(engine, clock=FrozenClock(MONDAY_0900))
        libpq_url = pg_empty_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(libpq_url, autocommit=True) as listener:
            listener.execute("LISTEN mpp_events")
            assert list(listener.notifies(timeout=0.2)) == []

            issued = queue.issuing.issue_ticket(service="KTP").ticket

            got = list(listener.notifies(timeout=2.0, stop_after=1))
            got += list(listener.notifies(timeout=0.3))  # nothing else should follow
        with engine.connect() as conn:
            event_id = conn.execute(
                text("SELECT id FROM ticket_event WHERE ticket_id = :t AND kind = 'issued'"),
                {"t": issued.id},
            ).scalar_one()
            hall_id = conn.execute(text("SELECT id FROM hall WHERE code = 'KOTIM'")).scalar_one()
    finally:
        engine.dispose()
    assert [(n.channel, n.payload) for n in got] == [
        ("mpp_events", f"ticket_event:{hall_id}:{event_id}")
    ]


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    """Everyday commands compare against SCHEMA_HEAD; it must name the newest migration."""
    from mpp_tui.db.migrate import SCHEMA_HEAD, head_revision

    assert head_revision() == SCHEMA_HEAD
