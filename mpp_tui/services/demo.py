"""The demo hall: MPP Kotim's data, demo officers and a morning of tickets, through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select

from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.db.tables import TICKET
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import Conflict
from mpp_tui.services.officers import OfficerService
from mpp_tui.services.queue import QueueService


@dataclass(frozen=True)
class DemoOfficer:
    username: str
    pin: str
    role: Role
    full_name: str


DEMO_OFFICERS = (
    DemoOfficer("petugas1", "4821", Role.OPERATOR, "Petugas Satu"),
    DemoOfficer("petugas2", "5938", Role.OPERATOR, "Petugas Dua"),
    DemoOfficer("spv", "7305", Role.SUPERVISOR, "Koordinator MPP"),
    DemoOfficer("admin", "9164", Role.ADMIN, "Admin TI"),
)
# Counters the morning's robot officers work at, and the services visitors ask for most.
_MORNING_COUNTERS = (("L01", "petugas1"), ("L10", "petugas2"))
_POPULAR = ("KTP", "KK", "AKTA_LAHIR", "JKN_DAFTAR", "JKN_UBAH", "PKB_TAHUNAN", "NIB", "SKCK_BARU")


def prepare_demo(engine: Engine, *, now: datetime, seed: int = 7) -> int:
    """Migrate, load Kotim, add demo officers and, once per day, a morning of tickets.

    Args:
        engine: the demo database.
        now: the real current time (UTC-aware); the morning is played up to it.
        seed: random seed, so the demo looks the same every time.

    Returns:
        The number of tickets issued today in the demo database.
    """
    upgrade(engine)
    load_seed(engine, read_seed(default_seed_file()))
    clock = FrozenClock(now - timedelta(minutes=150))
    # Never start on yesterday's business day (a demo run just after midnight).
    tz = QueueService(engine, clock=clock).ref().tz
    midnight = datetime.combine(now.astimezone(tz).date(), time(0, 1), tzinfo=tz)
    clock.set(max(clock.now(), midnight))
    officers = OfficerService(engine, clock=clock, hasher=PasswordHasher())
    existing = {o.username for o in officers.list()}
    for o in DEMO_OFFICERS:
        if o.username not in existing:
            officers.add(username=o.username, pin=o.pin, role=o.role, full_name=o.full_name)
    queue = QueueService(engine, clock=clock)
    today = queue.today()
    with engine.connect() as conn:
        issued = conn.execute(
            select(func.count()).where(TICKET.c.business_date == today)
        ).scalar_one()
    if issued == 0:
        _play_morning(queue, clock, now, random.Random(seed))
    with engine.connect() as conn:
        return int(
            conn.execute(select(func.count()).where(TICKET.c.business_date == today)).scalar_one()
        )


def _play_morning(
    queue: QueueService, clock: FrozenClock, until: datetime, rng: random.Random
) -> None:
    """Visitors arrive every minute or two; two robot counters serve; the rest still wait."""
    start_day = queue.today()
    for counter, officer in _MORNING_COUNTERS:
        queue.open_counter(counter=counter, officer=officer)
    busy: dict[str, datetime] = {}
    while clock.now() < until and queue.today() == start_day:
        for _ in range(rng.choice((1, 1, 2))):
            priority = "lansia" if rng.random() < 0.1 else None
            queue.issue_ticket(
                service=rng.choice(_POPULAR), priority=priority, source="demo", override_by="admin"
            )
        for counter, officer in _MORNING_COUNTERS:
            free_at = busy.get(counter)
            if free_at is not None and clock.now() < free_at:
                continue
            if free_at is not None:
                queue.finish(counter=counter, officer=officer)
                busy.pop(counter)
            try:
                queue.call_next(counter=counter, officer=officer)
            except Conflict:
                continue
            queue.start(counter=counter, officer=officer)
            busy[counter] = clock.now() + timedelta(minutes=rng.randint(4, 12))
        clock.advance(minutes=rng.choice((1, 2, 2, 3)))
    for counter, officer in _MORNING_COUNTERS:
        if counter in busy:
            queue.finish(counter=counter, officer=officer)
        queue.close_counter(counter=counter, officer=officer)
