"""Several halls in one database (DESIGN: one PostgreSQL serving many halls)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from mpp_tui.db.seed import load_seed, read_seed
from mpp_tui.domain.errors import NotFound
from mpp_tui.services.facade import Hall

LARGE = Path(__file__).resolve().parents[2] / "data" / "large.toml"


def test_a_second_hall_loaded_later_does_not_confuse_a_running_screen(
    queue: Hall, engine: Engine
) -> None:
    """A screen started with one hall in the database keeps to it after a second hall is
    loaded; a new process must then name its hall."""
    assert queue.ref().hall_code == "KOTIM"
    load_seed(engine, read_seed(LARGE))
    assert queue.ref(fresh=True).hall_code == "KOTIM"
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-001"
    with pytest.raises(NotFound, match="KOTIM"):
        Hall(engine).ref()
    assert Hall(engine, hall="kotim").ref().hall_code == "KOTIM"
