"""Screens watching a simulation at a live speed keep the simulated day's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from mpp_tui.cli.context import Cli
from mpp_tui.config import Settings
from mpp_tui.domain.clock import FrozenClock, ScaledClock
from mpp_tui.services import simclock
from mpp_tui.services.facade import Hall

REAL = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)  # 13:00 WIB, a Sunday afternoon
SIM = datetime(2026, 11, 30, 0, 55, tzinfo=UTC)  # Monday 07:55 WIB, before the doors open


def test_scaled_clock_runs_speed_times_faster_from_its_anchor() -> None:
    base = FrozenClock(REAL)
    clock = ScaledClock(real_anchor=REAL, sim_anchor=SIM, speed=60, base=base)
    assert clock.now() == SIM
    base.advance(seconds=30)
    assert clock.now() == SIM + timedelta(minutes=30)


def test_a_fresh_published_clock_is_followed_and_a_stale_or_withdrawn_one_is_not(
    queue: Hall, engine: Engine
) -> None:
    hall_id = queue.ref().hall_id
    base = FrozenClock(REAL)
    assert simclock.watching_clock(engine, None, base) is None
    simclock.publish(engine, hall_id, real_anchor=REAL, sim_anchor=SIM, speed=60)
    base.advance(seconds=10)
    followed = simclock.watching_clock(engine, "KOTIM", base)
    assert followed is not None
    assert followed.now() == SIM + timedelta(minutes=10)
    base.advance(seconds=25)  # 35 s after the last sign of life: the simulation has gone
    assert simclock.watching_clock(engine, None, base) is None
    simclock.refresh(engine, hall_id, at=base.now())
    assert simclock.watching_clock(engine, None, base) is not None
    simclock.withdraw(engine, hall_id)
    assert simclock.watching_clock(engine, None, base) is None


def test_the_cli_tells_the_simulated_time_while_a_simulation_plays(
    queue: Hall, engine: Engine, db_url: str
) -> None:
    """A screen started while `mpp simulate --speed 60` runs measures waits in the day's time:
    its clock is the simulation's, within a few real seconds of the publication."""
    real_now = datetime.now(UTC)
    simclock.publish(engine, queue.ref().hall_id, real_anchor=real_now, sim_anchor=SIM, speed=60)
    cli = Cli(Settings.model_construct(database_url=db_url, lang="id", hall=None))
    told = cli.hall.now()
    assert SIM <= told < SIM + timedelta(minutes=10)  # at most 10 s of real time × 60
    assert cli.hall.today() == SIM.date()
