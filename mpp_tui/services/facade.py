"""`Hall`: one hall's services by name, so a call site says which room it goes to."""

from __future__ import annotations

from datetime import date, datetime

from argon2 import PasswordHasher
from sqlalchemy import Engine

from mpp_tui.domain.clock import Clock
from mpp_tui.domain.reference import Reference
from mpp_tui.services.audit import Audit
from mpp_tui.services.calls import Calls
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.daylog import DayLog
from mpp_tui.services.desk import Desk
from mpp_tui.services.issuing import Issuing
from mpp_tui.services.officers import Officers
from mpp_tui.services.overview import Overview
from mpp_tui.services.public import PublicReads
from mpp_tui.services.reports import Reports
from mpp_tui.services.sessions import CounterSessions
from mpp_tui.services.supervision import Supervision
from mpp_tui.services.survey import SURVEY_WINDOW_MINUTES, Survey
from mpp_tui.services.tickets import Tickets


class Hall:
    """Every service of one hall, built on one shared context.

    `hall.calls.call_next(...)` is in services/calls.py, `hall.issuing.issue_ticket(...)` in
    services/issuing.py, and so on: each attribute is one class with one job (see
    docs/ARCHITECTURE.md). The TUI, the CLI, the simulator and the benchmarks all go through
    here.

    Args:
        engine: the process's engine.
        hall: the hall code; None picks the only hall in the database.
        clock: where time comes from (tests freeze it).
        hasher: argon2 parameters for PINs (tests pass cheaper ones).
        survey_window_minutes: how long after a finished service its survey may start.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        hall: str | None = None,
        clock: Clock | None = None,
        hasher: PasswordHasher | None = None,
        survey_window_minutes: int = SURVEY_WINDOW_MINUTES,
    ) -> None:
        self.ctx = ServiceContext(engine, hall=hall, clock=clock)
        self.issuing = Issuing(self.ctx)
        self.calls = Calls(self.ctx)
        self.sessions = CounterSessions(self.ctx)
        self.supervision = Supervision(self.ctx)
        self.desk = Desk(self.ctx)
        self.tickets = Tickets(self.ctx)
        self.public = PublicReads(self.ctx)
        self.overview = Overview(self.ctx)
        self.daylog = DayLog(self.ctx)
        self.officers = Officers(self.ctx, hasher=hasher)
        self.audit = Audit(self.ctx)
        self.reports = Reports(self.ctx)
        self.survey = Survey(self.ctx, window_minutes=survey_window_minutes)

    @property
    def engine(self) -> Engine:
        """The engine every service of this hall uses."""
        return self.ctx.engine

    @property
    def clock(self) -> Clock:
        """Where this hall's services take the time from."""
        return self.ctx.clock

    def ref(self, *, fresh: bool = False) -> Reference:
        """The hall's reference data (see ServiceContext.ref)."""
        return self.ctx.ref(fresh=fresh)

    def now(self) -> datetime:
        """The current UTC time of this hall's clock."""
        return self.ctx.now()

    def today(self) -> date:
        """The business date now, in the hall's time zone."""
        return self.ctx.today()
