"""One-backend databases for the fault tests (each test breaks its backend in its own way)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fresh_sqlite_url, pg_exec, pg_url_for


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh migrated, seeded SQLite file."""
    return fresh_sqlite_url(sqlite_template, tmp_path)


@pytest.fixture
def postgres_db(pg_template: str) -> Iterator[str]:
    """A fresh migrated, seeded PostgreSQL database, dropped afterwards."""
    name = f"mpp_f_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield pg_url_for(name)
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
