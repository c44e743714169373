"""The shared clock of a simulation playing at a live speed.

`mpp simulate --speed N` stamps its tickets with the simulated time of the day it plays. The
screens watching it (board, supervisor, counter, status) must tell time the same way, or every
wait would be measured against the real clock (a 09:05 ticket "waiting 240 minutes" at 13:05).
So the simulator publishes its clock in the database, and a screen that starts while that
clock is fresh runs on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from mpp_tui.db.engine import read_tx, write_tx
from mpp_tui.db.tables import SIM_CLOCK
from mpp_tui.domain.clock import Clock, ScaledClock
from mpp_tui.services.context import resolve_hall

FRESH = timedelta(seconds=30)
"""A published clock not refreshed for this long belongs to a simulation that has ended."""
REFRESH = timedelta(seconds=5)
"""How often a running simulation says it is still running."""


def publish(
    engine: Engine, hall_id: int, *, real_anchor: datetime, sim_anchor: datetime, speed: float
) -> None:
    """Start publishing a simulation's clock for `hall_id` (replacing an older one)."""
    with write_tx(engine) as conn:
        conn.execute(delete(SIM_CLOCK).where(SIM_CLOCK.c.hall_id == hall_id))
        conn.execute(
            insert(SIM_CLOCK).values(
                hall_id=hall_id,
                real_anchor=real_anchor,
                sim_anchor=sim_anchor,
                speed=speed,
                seen_at=real_anchor,
            )
        )


def refresh(engine: Engine, hall_id: int, *, at: datetime) -> None:
    """The simulation is still running at real time `at`."""
    with write_tx(engine) as conn:
        conn.execute(update(SIM_CLOCK).where(SIM_CLOCK.c.hall_id == hall_id).values(seen_at=at))


def withdraw(engine: Engine, hall_id: int) -> None:
    """The simulation has ended: screens started from now on keep the real time."""
    with write_tx(engine) as conn:
        conn.execute(delete(SIM_CLOCK).where(SIM_CLOCK.c.hall_id == hall_id))


def watching_clock(engine: Engine, hall: str | None, base: Clock) -> Clock | None:
    """The clock of a simulation running now in `hall` (None: the only hall), or None."""
    with read_tx(engine) as conn:
        hall_id = resolve_hall(conn, hall).id
        row = conn.execute(select(SIM_CLOCK).where(SIM_CLOCK.c.hall_id == hall_id)).first()
    if row is None or base.now() - row.seen_at > FRESH:
        return None
    return ScaledClock(
        real_anchor=row.real_anchor, sim_anchor=row.sim_anchor, speed=row.speed, base=base
    )
