"""The demo hall: MPP Kotim's data, demo officers and a morning of tickets, through the services."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine, func, select, update

from mpp_tui.db.engine import write_tx
from mpp_tui.db.migrate import upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.db.tables import AGENCY, HALL, SERVICE, TICKET
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import Conflict, MppError
from mpp_tui.domain.rules import WEEKDAYS
from mpp_tui.services.facade import Hall

log = logging.getLogger(__name__)


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
    open_round_the_clock(engine)
    clock = FrozenClock(now - timedelta(minutes=150))
    # Never start on yesterday's business day (a demo run just after midnight).
    tz = Hall(engine, clock=clock).ref().tz
    midnight = datetime.combine(now.astimezone(tz).date(), time(0, 1), tzinfo=tz)
    clock.set(max(clock.now(), midnight))
    officers = Hall(engine, clock=clock, hasher=PasswordHasher()).officers
    existing = {o.username for o in officers.list()}
    for o in DEMO_OFFICERS:
        if o.username not in existing:
            officers.add(username=o.username, pin=o.pin, role=o.role, full_name=o.full_name)
    queue = Hall(engine, clock=clock)
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


def open_round_the_clock(engine: Engine) -> None:
    """Open the demo hall, its agencies and services every day, all day.

    MPP Kotim's real hours (Mon–Thu 08–15, Fri 08–11) would show every kiosk button closed to
    someone trying the demo on an evening or a weekend. Quotas and everything else stay as
    data/kotim.toml has them; `mpp init --seed data/kotim.toml` gives a hall its real hours.
    """
    every_day = {day: ["00:00-24:00"] for day in WEEKDAYS}
    with write_tx(engine) as conn:
        conn.execute(update(HALL).values(hours=every_day))
        conn.execute(update(AGENCY).values(hours=None))
        conn.execute(update(SERVICE).values(hours=None))


def _play_morning(queue: Hall, clock: FrozenClock, until: datetime, rng: random.Random) -> None:
    """Visitors arrive every minute or two; two robot counters serve; the rest still wait."""
    start_day = queue.today()
    for counter, officer in _MORNING_COUNTERS:
        queue.sessions.open_counter(counter=counter, officer=officer)
    busy: dict[str, datetime] = {}
    while clock.now() < until and queue.today() == start_day:
        for _ in range(rng.choice((1, 1, 2))):
            priority = "lansia" if rng.random() < 0.1 else None
            queue.issuing.issue_ticket(
                service=rng.choice(_POPULAR), priority=priority, source="demo", override_by="admin"
            )
        for counter, officer in _MORNING_COUNTERS:
            free_at = busy.get(counter)
            if free_at is not None and clock.now() < free_at:
                continue
            if free_at is not None:
                queue.calls.finish(counter=counter, officer=officer)
                busy.pop(counter)
            try:
                queue.calls.call_next(counter=counter, officer=officer)
            except Conflict:
                continue
            queue.calls.start(counter=counter, officer=officer)
            busy[counter] = clock.now() + timedelta(minutes=rng.randint(4, 12))
        clock.advance(minutes=rng.choice((1, 2, 2, 3)))
    for counter, officer in _MORNING_COUNTERS:
        if counter in busy:
            queue.calls.finish(counter=counter, officer=officer)
        queue.sessions.close_counter(counter=counter, officer=officer)


class DemoActivity:
    """Keeps the demo hall moving while someone tries a screen: new visitors arrive every few
    seconds and a robot officer at L02 calls, serves and finishes, all through Hall.

    Args:
        engine: the demo database.
        seed: random seed for arrivals and service times.
        arrival_s: mean seconds between arrivals.
    """

    ROBOT = ("L02", "petugas2")
    _FOR_L01 = ("KTP", "KK", "PINDAH")

    def __init__(self, engine: Engine, *, seed: int = 11, arrival_s: float = 12.0) -> None:
        self.hall = Hall(engine)
        self.rng = random.Random(seed)
        self.arrival_s = arrival_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run in a daemon thread until `stop`."""
        self._thread = threading.Thread(target=self._run, name="mpp-demo", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._robot_leaves()

    def step(self) -> None:
        """One beat of the hall: maybe a visitor, maybe the robot moves on."""
        rng = self.rng
        if rng.random() < 0.8:
            services = self._FOR_L01 if rng.random() < 0.6 else _POPULAR
            priority = "lansia" if rng.random() < 0.1 else None
            self.hall.issuing.issue_ticket(
                service=rng.choice(services), priority=priority, source="demo", override_by="admin"
            )
        counter, officer = self.ROBOT
        view = self.hall.tickets.counter_view(counter=counter)
        if view.officer is None:
            self.hall.sessions.open_counter(counter=counter, officer=officer)
        active = view.active
        if active is None:
            with contextlib.suppress(Conflict):
                self.hall.calls.call_next(counter=counter, officer=officer)
        elif active.started_at is None:
            self.hall.calls.start(counter=counter, officer=officer, ticket=active.id)
        elif rng.random() < 0.3:
            self.hall.calls.finish(counter=counter, officer=officer, ticket=active.id)

    def _run(self) -> None:
        while not self._stop.wait(self.rng.expovariate(1 / self.arrival_s)):
            try:
                self.step()
            except MppError:
                log.info("demo activity skipped a beat", exc_info=True)

    def _robot_leaves(self) -> None:
        counter, officer = self.ROBOT
        with contextlib.suppress(MppError):
            active = self.hall.tickets.counter_view(counter=counter).active
            if active is not None:
                self.hall.calls.finish(counter=counter, officer=officer, ticket=active.id)
            self.hall.sessions.close_counter(counter=counter, officer=officer)
