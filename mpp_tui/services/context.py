"""The one context every service is handed: engine, clock, reference data, transactions."""

from __future__ import annotations

import difflib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Row, select
from sqlalchemy.exc import DBAPIError, OperationalError

from mpp_tui.db.engine import read_tx, safe_url, write_tx
from mpp_tui.db.tables import (
    AGENCY,
    COUNTER,
    COUNTER_SERVICE,
    HALL,
    OFFICER,
    OUTCOME,
    PRIORITY_CATEGORY,
    SERVICE,
)
from mpp_tui.domain.clock import Clock, SystemClock, business_date
from mpp_tui.domain.enums import TicketStatus
from mpp_tui.domain.errors import (
    Act,
    DatabaseReplaced,
    DatabaseUnavailable,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from mpp_tui.domain.names import Name
from mpp_tui.domain.reference import (
    AgencyRef,
    CounterRef,
    OutcomeRef,
    PriorityRef,
    Reference,
    ServiceRef,
)
from mpp_tui.domain.rules import parse_schedule
from mpp_tui.domain.views import TicketView

log = logging.getLogger(__name__)
T = TypeVar("T")
REFERENCE_TTL_S = 30.0
_RETRYABLE_PG = {"40001", "40P01"}  # serialization failure, deadlock detected


def resolve_hall(conn: Connection, hall: str | None) -> Row[Any]:
    """The hall row named `hall`, or the only hall when `hall` is None."""
    if hall is not None:
        row = conn.execute(select(HALL).where(HALL.c.code == hall.strip().upper())).first()
        if row is None:
            raise NotFound("err.hall_not_found", hall=hall)
        return row
    rows = conn.execute(select(HALL).order_by(HALL.c.code)).all()
    if not rows:
        raise NotFound("err.no_hall")
    if len(rows) > 1:
        raise NotFound("err.hall_ambiguous", halls=", ".join(r.code for r in rows))
    return rows[0]


class ServiceContext:
    """What every service of one hall shares; built once per process (see `Hall`).

    Services are handed this object instead of inheriting from a base class: each service
    holds `self.ctx` and asks it for time, reference data and transactions.

    Args:
        engine: the process's engine.
        hall: the hall code; None picks the only hall in the database.
        clock: where time comes from (tests freeze it).
    """

    def __init__(
        self, engine: Engine, *, hall: str | None = None, clock: Clock | None = None
    ) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self._hall_code = hall
        self._ref: Reference | None = None
        self._epoch: int | None = None

    # --- time -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current UTC time from the injected clock."""
        return self.clock.now()

    def today(self) -> date:
        """The business date now, in the hall's time zone."""
        return business_date(self.now(), self.ref().tz)

    # --- reference data -------------------------------------------------------------------

    def ref(self, *, fresh: bool = False) -> Reference:
        """The hall's reference data, reloaded when older than REFERENCE_TTL_S or on demand."""
        ref = self._ref
        if fresh or ref is None or time.monotonic() - ref.loaded_at > REFERENCE_TTL_S:
            with self.read() as conn:
                ref = self._load_reference(conn)
            self._ref = ref
        return ref

    def reference_changed(self) -> None:
        """Drop the cached reference data: the next `ref()` reads it anew, whole."""
        self._ref = None

    def check_epoch(self, conn: Connection) -> None:
        """Raise DatabaseReplaced once when the database was restored since this process last
        looked (SQLite: `mpp restore` writes a new random `PRAGMA user_version`, the restore
        epoch). The screens' reload reads call it; it costs one PRAGMA. On PostgreSQL a restore
        is a database swap that the server refuses while screens are connected
        (docs/deployment.md §8), so there is nothing to check."""
        if conn.dialect.name != "sqlite":
            return
        epoch = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
        if self._epoch is None:
            self._epoch = epoch
        elif epoch != self._epoch:
            self._epoch = epoch
            self.reference_changed()
            raise DatabaseReplaced()

    def _load_reference(self, conn: Connection) -> Reference:
        hall = resolve_hall(conn, self._hall_code)
        # Keep to this hall from now on: a second hall loaded into the database later must not
        # make a running screen's next reload ambiguous.
        self._hall_code = hall.code
        hid = hall.id
        hall_hours = parse_schedule(hall.hours or {})
        agencies_rows = conn.execute(select(AGENCY).where(AGENCY.c.hall_id == hid)).all()
        agency_hours = {a.id: a.hours for a in agencies_rows}
        links: dict[int, set[int]] = {}
        for cid, sid in conn.execute(
            select(COUNTER_SERVICE.c.counter_id, COUNTER_SERVICE.c.service_id)
            .join(COUNTER, COUNTER.c.id == COUNTER_SERVICE.c.counter_id)
            .where(COUNTER.c.hall_id == hid)
        ):
            links.setdefault(cid, set()).add(sid)
        services = {}
        for s in conn.execute(select(SERVICE).where(SERVICE.c.hall_id == hid)).all():
            raw = s.hours if s.hours is not None else agency_hours.get(s.agency_id)
            schedule = parse_schedule(raw) if raw is not None else hall_hours
            services[s.id] = ServiceRef(
                id=s.id,
                code=s.code,
                name=s.name,
                name_en=s.name_en or s.name,
                agency_id=s.agency_id,
                prefix=s.prefix,
                max_minutes=s.max_minutes,
                daily_quota=s.daily_quota,
                schedule=schedule,
                active=s.active,
            )
        return Reference(
            hall_id=hid,
            hall_code=hall.code,
            hall_name=hall.short_name,
            tz=ZoneInfo(hall.timezone),
            priority_burst=hall.priority_burst,
            reactivate_grace_minutes=hall.reactivate_grace_minutes,
            no_show_min_calls=hall.no_show_min_calls,
            running_text=hall.running_text,
            idle_signout_minutes=hall.idle_signout_minutes,
            services=services,
            agencies={
                a.id: AgencyRef(
                    id=a.id,
                    code=a.code,
                    name=a.name,
                    short_name=a.short_name,
                    daily_quota=a.daily_quota,
                )
                for a in agencies_rows
            },
            counters={
                c.id: CounterRef(
                    id=c.id,
                    code=c.code,
                    name=c.name,
                    agency_id=c.agency_id,
                    zone=c.zone,
                    services=frozenset(links.get(c.id, ())),
                    active=c.active,
                )
                for c in conn.execute(
                    select(COUNTER).where(COUNTER.c.hall_id == hid).order_by(COUNTER.c.sort)
                ).all()
            },
            outcomes={
                o.code: OutcomeRef(o.code, Name(o.name, o.name_en), o.needs_note)
                for o in conn.execute(
                    select(OUTCOME)
                    .where(OUTCOME.c.hall_id == hid, OUTCOME.c.active)
                    .order_by(OUTCOME.c.sort)
                ).all()
            },
            priorities={
                p.code: PriorityRef(p.code, Name(p.name, p.name_en))
                for p in conn.execute(
                    select(PRIORITY_CATEGORY)
                    .where(PRIORITY_CATEGORY.c.hall_id == hid, PRIORITY_CATEGORY.c.active)
                    .order_by(PRIORITY_CATEGORY.c.sort)
                ).all()
            },
            officers=dict(
                conn.execute(
                    select(OFFICER.c.id, OFFICER.c.username).where(OFFICER.c.hall_id == hid)
                ).all()
            ),
            loaded_at=time.monotonic(),
        )

    def service(self, code: str) -> ServiceRef:
        """The service with `code`; refreshes the cache once before giving up."""
        found = self.ref().service_by_code(code) or self.ref(fresh=True).service_by_code(code)
        if found is None:
            codes = [s.code for s in self.ref().services.values() if s.active]
            wanted = code.strip().upper()
            close = [c for c in codes if wanted and wanted in c][:3] or difflib.get_close_matches(
                wanted, codes, n=3, cutoff=0.7
            )
            if close:
                raise NotFound("err.service_not_found_hint", service=code, hint=", ".join(close))
            raise NotFound("err.service_not_found", service=code)
        return found

    def counter(self, code: str) -> CounterRef:
        """The counter with `code`; refreshes the cache once before giving up."""
        found = self.ref().counter_by_code(code) or self.ref(fresh=True).counter_by_code(code)
        if found is None or not found.active:
            raise NotFound("err.counter_not_found", counter=code)
        return found

    def agency(self, code: str) -> AgencyRef:
        """The agency with `code`; refreshes the cache once before giving up."""
        found = self.ref().agency_by_code(code) or self.ref(fresh=True).agency_by_code(code)
        if found is None:
            raise NotFound("log.err.agency_not_found", agency=code)
        return found

    def officer_id(self, username: str) -> int:
        """The id of this hall's officer `username` (cached); NotFound when unknown."""
        found = self.ref().officer_id(username)
        if found is None:
            found = self.ref(fresh=True).officer_id(username)
        if found is None:
            raise NotFound("err.officer_not_found", officer=username)
        return found

    def officer_name(self, officer_id: int | None) -> str | None:
        """Username of an officer id (cached)."""
        if officer_id is None:
            return None
        name = self.ref().officers.get(officer_id)
        if name is None:
            name = self.ref(fresh=True).officers.get(officer_id)
        return name

    # --- views ----------------------------------------------------------------------------

    def ticket_view(self, row: Any) -> TicketView:
        """Build a TicketView from a ticket row (ORM-free, any object with the columns)."""
        ref = self.ref()
        service = ref.services.get(row.service_id) or self.ref(fresh=True).services[row.service_id]
        agency = ref.agencies[service.agency_id]
        counter = ref.counters.get(row.counter_id) if row.counter_id else None
        target = ref.counters.get(row.target_counter_id) if row.target_counter_id else None
        return TicketView(
            id=row.id,
            code=row.code,
            business_date=row.business_date,
            status=TicketStatus(row.status),
            service_code=service.code,
            service_name=service.name,
            service_name_en=service.name_en or service.name,
            agency_code=agency.code,
            agency_name=agency.short_name,
            priority=row.priority,
            counter_code=counter.code if counter else None,
            officer=self.officer_name(row.officer_id),
            target_counter_code=target.code if target else None,
            issued_at=row.issued_at,
            called_at=row.called_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            call_count=row.call_count,
            outcome=row.outcome,
            note=row.note,
            parent_id=row.parent_id,
        )

    # --- transactions ---------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._guard(), read_tx(self.engine) as conn:
            yield conn

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction; retry deadlocks and serialization failures."""
        for attempt in range(5):
            try:
                with self._guard(), write_tx(self.engine) as conn:
                    return work(conn)
            except DatabaseUnavailable as exc:
                cause = exc.__cause__
                code = getattr(getattr(cause, "orig", None), "sqlstate", None)
                if code in _RETRYABLE_PG and attempt < 4:
                    log.info("retrying after %s (attempt %d)", code, attempt + 1)
                    continue
                raise
        raise AssertionError("unreachable")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn driver failures into a readable DatabaseUnavailable (never a traceback)."""
        try:
            yield
        except OperationalError as exc:
            log.warning("database error: %s", exc)
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(
                "err.db_unreachable", url=safe_url(self.engine.url), reason=reason
            ) from exc
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code == "42501":  # insufficient_privilege: the daily role may not (security.md)
                log.info("refused by the database: %s", exc.orig)
                raise PermissionDenied("err.db_role_denied") from exc
            if code in _RETRYABLE_PG:
                reason = str(exc.orig).strip().splitlines()[0]
                raise DatabaseUnavailable(
                    "err.db_unreachable", url=safe_url(self.engine.url), reason=reason
                ) from exc
            raise


E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: object, field_key: str) -> E:
    """Coerce `value` into `enum`, or raise InvalidInput listing the choices."""
    try:
        return enum(str(value))
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise InvalidInput(
            "err.choice_invalid", field=Act(field_key), value=str(value)[:32], choices=choices
        ) from None
