"""Every table of mpp-tui, in one module (the schema Alembic migrates)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from mpp_tui.db.types import UTCDateTime

# SQLite only aliases rowid for INTEGER PRIMARY KEY; PostgreSQL gets 64-bit keys.
BigId = BigInteger().with_variant(Integer(), "sqlite")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING


def _ts(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


class Hall(SQLModel, table=True):
    """An MPP: every other row belongs to one."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=80)
    address: str = Field(default="", max_length=300)
    timezone: str = Field(max_length=64)
    hours: dict[str, list[str]] = Field(default_factory=dict, sa_type=JSON)
    priority_burst: int = 3
    reactivate_grace_minutes: int = 30
    no_show_min_calls: int = 2
    running_text: str = Field(default="", max_length=500)
    # The sign-in lockout: the hall's policy, so no PC can give itself more guesses.
    pin_attempts: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    pin_lock_minutes: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    # A counter screen left without a key this long (no ticket active) signs out; 0 = never.
    idle_signout_minutes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Agency(SQLModel, table=True):
    """A tenant of the hall (Disdukcapil, Samsat, BPJS…)."""

    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    code: str = Field(max_length=16)
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=80)
    name_en: str = Field(default="", max_length=200)
    daily_quota: int | None = None
    hours: dict[str, list[str]] | None = Field(default=None, sa_type=JSON)
    active: bool = True
    sort: int = 0


class Service(SQLModel, table=True):
    """A service with its published standard (UU 25/2009 Pasal 21)."""

    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    agency_id: int = Field(foreign_key="agency.id")
    code: str = Field(max_length=16)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    prefix: str = Field(max_length=2)
    max_minutes: int = 15
    daily_quota: int | None = None
    fee: int = 0
    hours: dict[str, list[str]] | None = Field(default=None, sa_type=JSON)
    requirements: list[str] = Field(default_factory=list, sa_type=JSON)
    procedure: str = Field(default="", sa_type=Text)
    output: str = Field(default="", sa_type=Text)
    complaint: str = Field(default="", sa_type=Text)
    active: bool = True
    sort: int = 0


class Officer(SQLModel, table=True):
    """A person who signs in at a counter (petugas), supervisor or admin."""

    # A username is unique per hall, not per database: halls sharing one database are run by
    # different regencies and each PC's config names its hall, so two halls may each have a
    # "budi". Every lookup by username is therefore scoped to a hall.
    __table_args__ = (UniqueConstraint("hall_id", "username"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    username: str = Field(max_length=32)
    full_name: str = Field(default="", max_length=120)
    role: str = Field(max_length=16)
    pin_hash: str = Field(max_length=200)
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = _ts()
    created_at: datetime | None = _ts()


class Counter(SQLModel, table=True):
    """A loket and its live session state."""

    __table_args__ = (
        UniqueConstraint("hall_id", "code"),
        # An officer is signed in at one counter at a time.
        Index(
            "uq_counter_officer_id",
            "officer_id",
            unique=True,
            postgresql_where=text("officer_id IS NOT NULL"),
            sqlite_where=text("officer_id IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    code: str = Field(max_length=16)
    name: str = Field(max_length=80)
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    zone: str | None = Field(default=None, max_length=16)
    active: bool = True
    state: str = Field(default="closed", max_length=16)
    pause_reason: str | None = Field(default=None, max_length=200)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    state_since: datetime | None = _ts()
    priority_streak: int = 0
    sort: int = 0
    last_seen_at: datetime | None = _ts()  # the counter screen's heartbeat (offline detection)


class CounterService(SQLModel, table=True):
    """Which services a counter calls."""

    __tablename__ = "counter_service"
    counter_id: int = Field(foreign_key="counter.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)


class Outcome(SQLModel, table=True):
    """A way a service can end (reference data)."""

    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    code: str = Field(max_length=32)
    name: str = Field(max_length=80)
    name_en: str = Field(default="", max_length=80)
    needs_note: bool = False
    active: bool = True
    sort: int = 0


class PriorityCategory(SQLModel, table=True):
    """A priority group of UU 25/2009 Pasal 29 (reference data)."""

    __tablename__ = "priority_category"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")
    code: str = Field(max_length=32)
    name: str = Field(max_length=80)
    name_en: str = Field(default="", max_length=80)
    active: bool = True
    sort: int = 0


class NumberCounter(SQLModel, table=True):
    """The running number of one prefix on one business day, bumped atomically."""

    __tablename__ = "number_counter"
    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    prefix: str = Field(max_length=2, primary_key=True)
    business_date: date = Field(primary_key=True)
    last_number: int = 0


class Ticket(SQLModel, table=True):
    """A visitor's ticket for one service; a transfer makes a child with the same number."""

    __table_args__ = (
        # The safety net under numbering: a number is issued once per prefix and day
        # (transfer children reuse their parent's number on purpose).
        Index(
            "uq_ticket_number",
            "hall_id",
            "prefix",
            "business_date",
            "number",
            unique=True,
            postgresql_where=text("parent_id IS NULL"),
            sqlite_where=text("parent_id IS NULL"),
        ),
        # A counter holds at most one called/serving ticket.
        Index(
            "uq_ticket_active_counter",
            "counter_id",
            unique=True,
            postgresql_where=text("status IN ('called', 'serving')"),
            sqlite_where=text("status IN ('called', 'serving')"),
        ),
        # The call-next hot path: only waiting tickets, in queue order.
        Index(
            "ix_ticket_waiting",
            "service_id",
            "business_date",
            "sort_key",
            "id",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
        # call_next walks waiting tickets in arrival order and stops at the first it may call.
        Index(
            "ix_ticket_waiting_order",
            "business_date",
            "sort_key",
            "id",
            postgresql_where=text("status = 'waiting'"),
            sqlite_where=text("status = 'waiting'"),
        ),
        Index("ix_ticket_day", "hall_id", "business_date", "code"),
        Index("ix_ticket_counter_day", "counter_id", "business_date"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True))
    hall_id: int = Field(foreign_key="hall.id")
    business_date: date
    service_id: int = Field(foreign_key="service.id")
    prefix: str = Field(max_length=2)
    number: int
    code: str = Field(max_length=8)
    priority: str | None = Field(default=None, max_length=32)
    status: str = Field(max_length=16)
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    target_counter_id: int | None = Field(default=None, foreign_key="counter.id")
    parent_id: int | None = Field(default=None, sa_type=BigId, foreign_key="ticket.id")
    # Queue position: the database-assigned arrival key (the ticket id, or the parent's key for
    # a transfer); never a PC's clock.
    sort_key: int = Field(sa_type=BigId)
    issued_at: datetime = _ts(nullable=False)
    called_at: datetime | None = _ts()
    started_at: datetime | None = _ts()
    finished_at: datetime | None = _ts()
    call_count: int = 0
    outcome: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, sa_type=Text)
    source: str = Field(default="kiosk", max_length=16)


class TicketEvent(SQLModel, table=True):
    """Append-only history of every ticket transition."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        Index("ix_ticket_event_ticket_id", "ticket_id"),
        Index("ix_ticket_event_hall_at", "hall_id", "at"),
        Index("ix_ticket_event_hall_kind_at", "hall_id", "kind", "at"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True))
    hall_id: int = Field(foreign_key="hall.id")
    ticket_id: int = Field(sa_type=BigId, foreign_key="ticket.id")
    kind: str = Field(max_length=24)
    at: datetime = _ts(nullable=False)
    status_from: str | None = Field(default=None, max_length=16)
    status_to: str = Field(max_length=16)
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    detail: str | None = Field(default=None, sa_type=Text)


class CounterEvent(SQLModel, table=True):
    """Append-only history of counter sessions: open, pause, resume, close."""

    __tablename__ = "counter_event"
    __table_args__ = (Index("ix_counter_event_counter_at", "counter_id", "at"),)
    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True))
    hall_id: int = Field(foreign_key="hall.id")
    counter_id: int = Field(foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    kind: str = Field(max_length=16)
    at: datetime = _ts(nullable=False)
    reason: str | None = Field(default=None, max_length=200)


class SurveyResponse(SQLModel, table=True):
    """One visitor's SKM answers (PermenPANRB 14/2017) for one finished ticket: U1–U9, 1–4."""

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("ticket_id"),
        Index("ix_survey_response_hall_day", "hall_id", "business_date"),
        *(CheckConstraint(f"u{n} BETWEEN 1 AND 4", name=f"u{n}_range") for n in range(1, 10)),
    )
    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True))
    hall_id: int = Field(foreign_key="hall.id")
    ticket_id: int = Field(sa_type=BigId, foreign_key="ticket.id")
    service_id: int = Field(foreign_key="service.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    business_date: date
    at: datetime = _ts(nullable=False)
    u1: int
    u2: int
    u3: int
    u4: int
    u5: int
    u6: int
    u7: int
    u8: int
    u9: int


class DayClose(SQLModel, table=True):
    """Marks a business day closed, so leftovers are expired exactly once."""

    __tablename__ = "day_close"
    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    business_date: date = Field(primary_key=True)
    closed_at: datetime = _ts(nullable=False)
    expired: int = 0


class SimClock(SQLModel, table=True):
    """The clock of a simulation playing at a live speed, so screens watching it keep its time.

    `mpp simulate --speed N` writes it when it starts and keeps `seen_at` fresh; a screen that
    starts while it is fresh runs on the simulated time (sim_anchor + (now - real_anchor) x
    speed). The row is removed at the end of the simulation.
    """

    __tablename__ = "sim_clock"
    hall_id: int = Field(foreign_key="hall.id", primary_key=True)
    real_anchor: datetime = _ts(nullable=False)
    sim_anchor: datetime = _ts(nullable=False)
    speed: float
    seen_at: datetime = _ts(nullable=False)


class AuditLog(SQLModel, table=True):
    """An admin action: who, what, when, from where, and the values before and after.

    Append-only (triggers on both backends). On PostgreSQL `db_user` and `client_addr` are
    stamped by a trigger from the session, whatever the client sent. Never holds a PIN or hash.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_hall_at", "hall_id", "at"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=BigId)
    hall_id: int | None = Field(default=None, foreign_key="hall.id")
    at: datetime = _ts(nullable=False)
    actor_id: int | None = Field(default=None, foreign_key="officer.id")
    actor: str = Field(max_length=32)
    action: str = Field(max_length=40)
    target: str = Field(max_length=120)
    host: str = Field(max_length=120)
    db_user: str = Field(max_length=63)
    client_addr: str = Field(max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class HallRole(SQLModel, table=True):
    """PostgreSQL: which hall a daily database role works for (`mpp grant ROLE --hall CODE`).

    Row-level security (migration 0006) shows such a role its own hall's rows only. Unused on
    SQLite, which has no roles.
    """

    __tablename__ = "hall_role"
    role_name: str = Field(max_length=63, primary_key=True)
    hall_id: int = Field(foreign_key="hall.id")


def _core(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


# Core handles for SQL expressions (typed columns; the services use Core, not ORM objects).
HALL = _core(Hall)
AGENCY = _core(Agency)
SERVICE = _core(Service)
OFFICER = _core(Officer)
COUNTER = _core(Counter)
COUNTER_SERVICE = _core(CounterService)
OUTCOME = _core(Outcome)
PRIORITY_CATEGORY = _core(PriorityCategory)
NUMBER_COUNTER = _core(NumberCounter)
TICKET = _core(Ticket)
TICKET_EVENT = _core(TicketEvent)
COUNTER_EVENT = _core(CounterEvent)
DAY_CLOSE = _core(DayClose)
SURVEY_RESPONSE = _core(SurveyResponse)
SIM_CLOCK = _core(SimClock)
AUDIT_LOG = _core(AuditLog)
HALL_ROLE = _core(HallRole)
