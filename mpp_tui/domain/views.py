"""Frozen views the services return; the UI and CLI only ever see these."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from mpp_tui.domain.enums import CounterState, Role, TicketStatus
from mpp_tui.domain.names import Name
from mpp_tui.domain.reference import PriorityRef


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class _View:
    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (ISO 8601 timestamps)."""
        return {k: _jsonable(v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class TicketView(_View):
    """One ticket as the screens see it."""

    id: int
    code: str
    business_date: date
    status: TicketStatus
    service_code: str
    service_name: str
    service_name_en: str
    agency_code: str
    agency_name: str
    priority: str | None
    counter_code: str | None
    officer: str | None
    target_counter_code: str | None
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    call_count: int
    outcome: str | None
    note: str | None
    parent_id: int | None

    @property
    def service_label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.service_name, self.service_name_en)


@dataclass(frozen=True, slots=True)
class IssuedTicket(_View):
    """A new ticket and what the visitor needs to know."""

    ticket: TicketView
    ahead: int
    eta_minutes: int


@dataclass(frozen=True, slots=True)
class CounterView(_View):
    """A counter's state for the screens."""

    code: str
    name: str
    agency_code: str | None
    zone: str | None
    state: CounterState
    pause_reason: str | None
    officer: str | None
    state_since: datetime | None
    services: tuple[str, ...]
    active: TicketView | None
    served_today: int


@dataclass(frozen=True, slots=True)
class ServiceWaiting(_View):
    """How many wait for one of a counter's services, and the estimate for a newcomer."""

    code: str
    name: str
    name_en: str
    waiting: int
    eta_minutes: int

    @property
    def label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class OfficerDay(_View):
    """An officer's day at one counter, for the "my day" panel."""

    served: int
    no_shows: int
    transferred: int
    avg_service_seconds: int | None
    within_standard: int  # served within the service's maximum time
    avg_standard_minutes: float | None  # mean maximum time of the services served


@dataclass(frozen=True, slots=True)
class CounterDesk(_View):
    """Everything the counter screen shows, read in one transaction."""

    counter: CounterView
    next_tickets: tuple[TicketView, ...]
    waiting_total: int
    by_service: tuple[ServiceWaiting, ...]
    my_day: OfficerDay
    read_at: datetime
    officer: AccountState | None = None  # the signed-in officer's account, when one was given


@dataclass(frozen=True, slots=True)
class ServiceLoad(_View):
    """Waiting figures for one service."""

    code: str
    name: str
    name_en: str
    agency_code: str
    prefix: str
    waiting: int
    longest_wait_minutes: int
    open_counters: int
    eta_minutes: int
    issued_today: int
    daily_quota: int | None

    @property
    def label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class ServiceInfo(_View):
    """A service's published standard and who serves it (for `mpp services` and the kiosk)."""

    code: str
    name: str
    name_en: str
    prefix: str
    agency_code: str
    agency_name: str
    max_minutes: int
    daily_quota: int | None
    fee: int
    hours_today: str
    counters: tuple[str, ...]

    @property
    def label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class OfficerView(_View):
    """An officer account, without secrets."""

    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    counter_code: str | None


@dataclass(frozen=True, slots=True)
class AccountState(_View):
    """What a signed-in screen checks about its officer on every reload (sessions follow the
    account: disabled or given another role, the screen signs out)."""

    username: str
    role: Role
    active: bool


@dataclass(frozen=True, slots=True)
class EventView(_View):
    """One row of a ticket's history."""

    id: int
    kind: str
    at: datetime
    ticket_id: int
    status_from: str | None
    status_to: str
    counter_code: str | None
    officer: str | None
    detail: str | None


@dataclass(frozen=True, slots=True)
class LogEntry(_View):
    """One ticket of a day's log, with its measured times (whole seconds).

    `wait_seconds` runs from issue to the first call, `walk_seconds` from the (last) call to the
    start of service, `service_seconds` from start to finish and `total_seconds` from issue to
    finish; each is None while one of its ends is missing. A transfer child names its parent's
    service in `transferred_from`; a transferred ticket names its child's in `transferred_to`.
    """

    id: int
    code: str
    business_date: date
    status: TicketStatus
    service_code: str
    service_name: str
    service_name_en: str
    agency_code: str
    priority: str | None
    counter_code: str | None
    officer: str | None
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    wait_seconds: int | None
    walk_seconds: int | None
    service_seconds: int | None
    total_seconds: int | None
    call_count: int
    outcome: str | None
    note: str | None
    transferred_from: str | None
    transferred_to: str | None

    @property
    def service_label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.service_name, self.service_name_en)


@dataclass(frozen=True, slots=True)
class KioskService(_View):
    """A service as the kiosk offers it: its published standard and whether it issues now."""

    code: str
    name: str
    name_en: str
    prefix: str
    agency_code: str
    requirements: tuple[str, ...]
    fee: int
    max_minutes: int
    hours_today: str
    closed: str | None  # None when it issues now; else a catalog key saying why not
    quota_left: int | None
    waiting: int
    eta_minutes: int

    @property
    def label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.name, self.name_en)


@dataclass(frozen=True, slots=True)
class KioskAgency(_View):
    """An agency and the services it offers at the kiosk."""

    code: str
    name: str
    short_name: str
    services: tuple[KioskService, ...]

    @property
    def open(self) -> bool:
        """Whether any of its services issues tickets now."""
        return any(s.closed is None for s in self.services)


@dataclass(frozen=True, slots=True)
class KioskMenu(_View):
    """Everything the kiosk shows before a ticket is issued."""

    hall_name: str
    agencies: tuple[KioskAgency, ...]
    priorities: tuple[PriorityRef, ...]


@dataclass(frozen=True, slots=True)
class CallView(_View):
    """One call (or recall) of a ticket to a counter, read from the append-only event log."""

    event_id: int
    code: str
    counter_code: str
    counter_name: str
    at: datetime
    recall: bool
    service_name: str
    service_name_en: str
    agency_code: str

    @property
    def service_label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.service_name, self.service_name_en)


@dataclass(frozen=True, slots=True)
class AgencyWaiting(_View):
    """How many wait for one agency's services."""

    code: str
    short_name: str
    waiting: int


@dataclass(frozen=True, slots=True)
class BoardState(_View):
    """What the hall board shows; `fresh` holds the calls to announce since the last look."""

    hall_name: str
    running_text: str
    recent: tuple[CallView, ...]  # newest first
    fresh: tuple[CallView, ...]  # oldest first, after the caller's cursor
    cursor: int
    counters: tuple[CounterView, ...]
    waiting: tuple[AgencyWaiting, ...]


@dataclass(frozen=True, slots=True)
class AuditEntry(_View):
    """One admin action from the audit log (never a PIN or a hash).

    Attributes:
        actor: the signed-in officer who did it; "" for the database owner acting without one
            (seeding, the first admin, tests).
        action: what was done, a dotted name (`officer.add`, `day.close`, `reference.load`…).
        target: what it was done to (a username, a date, a hall code).
        host: the PC's host name as it told it; `client_addr` and `db_user` come from the
            database server itself on PostgreSQL.
        before: the values before (None for a creation); after: the values after.
    """

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    host: str
    db_user: str
    client_addr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class DayServiceCounts(_View):
    """One service's tickets of a business day, by the states a close or reopen concerns."""

    service_code: str
    service_name: str
    service_name_en: str
    waiting: int
    called: int
    serving: int
    expired: int

    @property
    def service_label(self) -> Name:
        """The service's name in both languages."""
        return Name(self.service_name, self.service_name_en)


@dataclass(frozen=True, slots=True)
class DayPreview(_View):
    """What closing or reopening a business day would do, read before asking.

    A close expires the `waiting` tickets and leaves `called` and `serving` ones to their
    counters; a reopen returns the `expired` ones to the queue. `running` is True when the
    day is today in the hall's time zone (only then can a close be undone); `closed_at` is
    when the day was (last) closed, None while it is open. `services` lists only services
    with a ticket in one of those states, by service code.
    """

    business_date: date
    running: bool
    closed_at: datetime | None
    waiting: int
    called: int
    serving: int
    expired: int
    services: tuple[DayServiceCounts, ...]
