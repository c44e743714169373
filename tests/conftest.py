"""Shared fixtures: real SQLite files and a real PostgreSQL, migrated and seeded once per run.

PostgreSQL tests run when the server answers (MPP_TEST_POSTGRES_URL, default
postgresql://postgres@127.0.0.1:5432/test). With MPP_TEST_POSTGRES=1 (as .ci/run sets) an
unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers

PG_URL = os.environ.get("MPP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_REQUIRED = os.environ.get("MPP_TEST_POSTGRES", "") == "1"
# Monday 30 November 2026, 09:00 WIB: inside MPP Kotim's hours.
MONDAY_0900 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
OPERATOR_PIN, SUPERVISOR_PIN, ADMIN_PIN = "4821", "7305", "9164"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads the developer's own config or database."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in list(os.environ):
        if var.startswith("MPP_") and not var.startswith("MPP_TEST_"):
            monkeypatch.delenv(var)


def pg_admin_url() -> str:
    """libpq URL of the maintenance database."""
    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


def pg_available() -> bool:
    try:
        with psycopg.connect(pg_admin_url(), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def pg_url_for(db: str) -> str:
    base = pg_admin_url().rsplit("/", 1)[0]
    return f"{base}/{db}"


def pg_exec(sql: str) -> None:
    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _prepare(engine: Engine) -> None:
    upgrade(engine)
    load_seed(engine, read_seed(default_seed_file()))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.sqlite"
    engine = make_engine(sqlite_url(path))
    _prepare(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    if not pg_available():
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL required (MPP_TEST_POSTGRES=1) but not reachable at {PG_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    name = f"mpp_tpl_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name}")
    engine = make_engine(pg_url_for(name))
    _prepare(engine)
    engine.dispose()
    yield name
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def fresh_sqlite_url(template: Path, tmp: Path) -> str:
    """A copy of the migrated, seeded template database."""
    target = tmp / f"mpp-{uuid.uuid4().hex[:8]}.sqlite"
    shutil.copyfile(template, target)
    target.chmod(0o600)  # as mpp creates its files (docs/security.md)
    return sqlite_url(target)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated database holding MPP Kotim's reference data (both backends)."""
    if request.param == "sqlite":
        yield fresh_sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path)
        return
    template = request.getfixturevalue("pg_template")
    name = f"mpp_t_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield pg_url_for(name)
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_0900)


@pytest.fixture
def queue(engine: Engine, clock: FrozenClock) -> Hall:
    """The hall's services on a fresh database, frozen at Monday 09:00 WIB, with accounts:
    budi and sari (operators), spv (supervisor), admin."""
    hall = Hall(engine, clock=clock, hasher=FAST_HASHER)
    accounts = hall.officers
    accounts.add(username="budi", pin=OPERATOR_PIN, full_name="Budi Santoso")
    accounts.add(username="sari", pin=OPERATOR_PIN, full_name="Sari Dewi")
    accounts.add(username="spv", pin=SUPERVISOR_PIN, role="supervisor", full_name="Supervisor")
    if "admin" not in {v.username for v in accounts.list()}:  # the CLI tests' hall has it already
        accounts.add(username="admin", pin=ADMIN_PIN, role="admin", full_name="Admin")
    return hall


@pytest.fixture
def officers(queue: Hall) -> Officers:
    """The officer accounts of `queue`'s hall (see there)."""
    return queue.officers
