"""The hot paths use the indexes meant for them, whatever the history holds (SQLite's planner,
which cannot see through bound values into a partial index's WHERE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from mpp_tui.services.facade import Hall
from tests.conftest import fresh_sqlite_url


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite only: PostgreSQL's planner sees through bound values and has its own tests."""
    return fresh_sqlite_url(sqlite_template, tmp_path)


def _plans_of(engine: Engine, action: object) -> list[str]:
    """EXPLAIN QUERY PLAN of every statement `action` runs, joined per statement."""
    seen: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, sql: str, params: object, *rest: object) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        action()  # type: ignore[operator]
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    with engine.connect() as conn:
        for sql, params in seen:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()  # type: ignore[arg-type]
            plans.append(" | ".join(str(r[-1]) for r in rows))
    return plans


def test_counter_actions_find_the_active_ticket_through_its_partial_index(
    engine: Engine, queue: Hall
) -> None:
    """Every counter action reads the counter, the officer and the active ticket in one query;
    the active ticket must come from uq_ticket_active_counter, not from the counter's day
    index (which walks the counter's whole history: 22x slower with 1,000,000 tickets)."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    plans = _plans_of(engine, lambda: queue.calls.call_next(counter="L01", officer="budi"))
    context = [p for p in plans if "SEARCH active" in p]
    assert context, plans
    assert all("uq_ticket_active_counter" in p for p in context), context
