"""Reports: visitors, outcomes, waits and service times over business dates, per group.

What an MPP and its agencies report upward (DOMAIN.md, "What MPPs report"): one aggregate query
per report over the tickets of the range (the `ix_ticket_day` index), grouped in SQL. The
event log is read only for the few tickets whose row alone cannot tell their story (a return to
the queue, a reactivation, a kiosk print failure); see :meth:`Reports._visits`.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Integer, and_, case, cast, extract, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from mpp_tui.db.tables import OFFICER, PRIORITY_CATEGORY, SERVICE, TICKET, TICKET_EVENT
from mpp_tui.domain.dates import long_date
from mpp_tui.domain.enums import EventKind
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import InvalidInput
from mpp_tui.domain.reference import Reference
from mpp_tui.domain.report_views import (
    P90,
    MonthlyAgency,
    MonthlyReport,
    MonthlyService,
    PriorityName,
    Report,
    ReportGroup,
    ReportRow,
    Tally,
    percentile,
)
from mpp_tui.i18n import t
from mpp_tui.services.context import ServiceContext, choice
from mpp_tui.services.sqltime import whole_seconds

_T = TICKET
_E = TICKET_EVENT
_FIRST_CALL = TICKET_EVENT.alias("first_call")
_SV = SERVICE

# A ticket whose events are only these went through the queue once, so its row holds the whole
# story: `called_at` is its first call. Any other kind (a return to the queue, a reactivation, a
# print failure, and whatever kind comes later) sends the report to the event log for it.
_PLAIN_KINDS = frozenset(
    {
        EventKind.ISSUED,
        EventKind.CALLED,
        EventKind.RECALLED,
        EventKind.STARTED,
        EventKind.FINISHED,
        EventKind.NO_SHOW,
        EventKind.TRANSFERRED,
        EventKind.TRANSFERRED_IN,
        EventKind.CANCELLED,
        EventKind.EXPIRED,
    }
)
_UNUSUAL_KINDS = tuple(sorted(k.value for k in EventKind if k not in _PLAIN_KINDS))
# How far outside the range's local days the events of its tickets are looked for: calls and
# returns happen on the ticket's business day, so this only absorbs PC clocks that are off.
_EVENT_MARGIN = timedelta(days=1)
_OPEN = (S.WAITING.value, S.CALLED.value, S.SERVING.value)


@dataclass(frozen=True)
class _Scope:
    """The tickets a report covers."""

    start: date
    end: date
    service_ids: tuple[int, ...] | None  # None: every service of the hall
    agency: str | None
    service: str | None


Key = tuple[str | int | date | None, str, str]  # a row's key, label and English label


@dataclass(frozen=True)
class _Group:
    """How a grouping reads in SQL and how its keys become row keys and labels."""

    key: ColumnElement[Any]
    row: Callable[[Any], Key]
    order: Callable[[Any], Any]


class Reports:
    """Reports over any date range, and the monthly report per agency (read only)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def report(
        self,
        *,
        start: date,
        end: date,
        by: str = ReportGroup.AGENCY,
        agency: str | None = None,
        service: str | None = None,
    ) -> Report:
        """Figures of the tickets issued on business dates `start`..`end`, per group and in total.

        A ticket belongs to its business date (the hall's local date when it was issued), so
        a visitor at 06:30 WIB counts on that local day although it is still the previous
        day in UTC. The figures are defined in :class:`~mpp_tui.domain.report_views.Figures`;
        in short:

        - Counts are of visits (one ticket at one service). A transfer child is not a new
          visitor but a visit that came by transfer (`transferred_in`) at the second service,
          so a transferred visitor counts once per service. Kiosk print failures (the ticket
          voided at once because its paper never came out) are counted apart as `voided`,
          neither visitors nor cancellations: the visitor never held that number and takes
          another.
        - Wait is issue → first call (from the event log, as the daily log measures it: a
          ticket returned to the queue keeps its first wait); visits never called have none.
          Service time is start → finish of served visits (finished straight from the call:
          call → finish). Durations are whole seconds, truncated, exactly as the daily log
          exports them, so a report can be re-checked against `mpp log` files.
        - Averages are arithmetic means. The 90th percentile is linear interpolation between
          closest ranks (spreadsheet `PERCENTILE.INC`, PostgreSQL `percentile_cont`), see
          :func:`~mpp_tui.domain.report_views.percentile`.
        - Within standard: served visits whose service time is at most the service's
          `max_minutes` (its published maximum time, as it stands now).
        - Priority visitors: new visitors per priority category.

        Groups: `agency` and `service` of the ticket's service; `counter` and `officer` that
        last held the ticket (None for tickets never called); `hour` of issue (0–23) and
        `weekday` (ISO, 1 = Monday) in the hall's time zone; `day`, the business date. Only
        groups with tickets are listed, in a stable order (the kiosk's agency order, service
        prefix, counter order, username, then the key), with tickets of no counter last.

        Args:
            start: first business date (inclusive).
            end: last business date (inclusive).
            by: the grouping (see :class:`~mpp_tui.domain.report_views.ReportGroup`).
            agency: only this agency's services (code).
            service: only this service (code).

        Raises:
            InvalidInput: `start` is after `end`, unknown grouping, or a service of another
                agency than `agency`.
            NotFound: unknown agency or service.
        """
        group = choice(ReportGroup, by, "report.field.by")
        scope = self._scope(start, end, agency, service)
        ref = self.ctx.ref()
        with self.ctx.read() as conn:
            self._tune(conn)
            categories = self._categories(conn)
            officers = self._officers(conn) if group is ReportGroup.OFFICER else {}
            spec = self._group(group, scope, ref, officers)
            tallies, total = self._tallies(conn, scope, spec.key, [c.code for c in categories])
        codes = [c.code for c in categories]
        rows = [
            ReportRow(*spec.row(key), figures=tally.figures(codes))
            for key, tally in sorted(tallies.items(), key=lambda kv: spec.order(kv[0]))
        ]
        return Report(
            hall_code=ref.hall_code,
            hall_name=ref.hall_name,
            start=start,
            end=end,
            by=group,
            agency=scope.agency,
            service=scope.service,
            priority_categories=tuple(categories),
            rows=tuple(rows),
            total=total.figures(codes),
            generated_at=self.ctx.now(),
        )

    def monthly(self, *, year: int, month: int, agency: str | None = None) -> MonthlyReport:
        """The monthly report an MPP sends upward: per agency and service, and the hall's total.

        Every active service of the hall (or of `agency`) has a line, with zeros when it had
        no visitors, and so does a retired service that still had visits that month. The
        figures are those of :meth:`report` (visitors, transfers in, served, average wait and
        service time, share within the standard, priority visitors); an agency's line adds up
        its services. `days` count business days with visits; `days_open` the days on which
        the hall issued tickets at all (whatever `agency` is).

        Raises:
            InvalidInput: `month` is not 1–12 or `year` is out of range.
            NotFound: unknown agency.
        """
        if not 1 <= month <= 12 or not 2000 <= year <= 9999:
            raise InvalidInput("report.err.month_invalid", value=f"{year:04d}-{month:02d}")
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        scope = self._scope(start, end, agency, None)
        ref = self.ctx.ref()
        with self.ctx.read() as conn:
            self._tune(conn)
            categories = self._categories(conn)
            codes = [c.code for c in categories]
            tallies, total = self._tallies(conn, scope, _T.c.service_id, codes, percentiles=False)
            days = self._days(conn, scope)
        agency_ids = {ref.services[s].agency_id for s in tallies} | {
            s.agency_id
            for s in ref.services.values()
            if s.active and (scope.service_ids is None or s.id in scope.service_ids)
        }
        agencies = []
        for agency_id in sorted(agency_ids, key=lambda a: _agency_order(ref, a)):
            services = sorted(
                (
                    s
                    for s in ref.services.values()
                    if s.agency_id == agency_id and (s.active or s.id in tallies)
                ),
                key=lambda s: (s.prefix, s.code),
            )
            lines = tuple(
                MonthlyService(
                    code=s.code,
                    name=s.name,
                    name_en=s.name_en or s.name,
                    max_minutes=s.max_minutes,
                    days=len(days.get(("service", s.id), ())),
                    figures=tallies.get(s.id, Tally()).figures(codes),
                )
                for s in services
            )
            known = ref.agencies[agency_id]
            agencies.append(
                MonthlyAgency(
                    code=known.code,
                    name=known.name,
                    short_name=known.short_name,
                    days=len(days.get(("agency", agency_id), ())),
                    figures=Tally.of(tallies.get(s.id, Tally()) for s in services).figures(codes),
                    services=lines,
                )
            )
        return MonthlyReport(
            hall_code=ref.hall_code,
            hall_name=ref.hall_name,
            year=year,
            month=month,
            start=start,
            end=end,
            agency=scope.agency,
            days_open=len(days.get(("hall", 0), ())),
            priority_categories=tuple(categories),
            agencies=tuple(agencies),
            total=total.figures(codes),
            generated_at=self.ctx.now(),
        )

    # --- scope and lookups --------------------------------------------------------------------

    def _scope(self, start: date, end: date, agency: str | None, service: str | None) -> _Scope:
        if start > end:
            raise InvalidInput(
                "report.err.range_invalid", start=start.isoformat(), end=end.isoformat()
            )
        found_agency = self.ctx.agency(agency) if agency is not None else None
        ids: tuple[int, ...] | None = None
        if found_agency is not None:
            ids = tuple(
                s.id for s in self.ctx.ref().services.values() if s.agency_id == found_agency.id
            )
        found_service = self.ctx.service(service) if service is not None else None
        if found_service is not None:
            if found_agency is not None and found_service.agency_id != found_agency.id:
                raise InvalidInput(
                    "report.err.service_not_in_agency",
                    service=found_service.code,
                    agency=found_agency.code,
                )
            ids = (found_service.id,)
        return _Scope(
            start,
            end,
            ids,
            found_agency.code if found_agency else None,
            found_service.code if found_service else None,
        )

    def _categories(self, conn: Connection) -> list[PriorityName]:
        """Every priority category of the hall, retired ones too (old tickets carry them)."""
        rows = conn.execute(
            select(PRIORITY_CATEGORY.c.code, PRIORITY_CATEGORY.c.name, PRIORITY_CATEGORY.c.name_en)
            .where(PRIORITY_CATEGORY.c.hall_id == self.ctx.ref().hall_id)
            .order_by(PRIORITY_CATEGORY.c.sort, PRIORITY_CATEGORY.c.code)
        ).all()
        return [PriorityName(r.code, r.name, r.name_en or r.name) for r in rows]

    def _officers(self, conn: Connection) -> dict[int, tuple[str, str]]:
        """id → (username, full name) of every officer of the hall, disabled ones too."""
        rows = conn.execute(
            select(OFFICER.c.id, OFFICER.c.username, OFFICER.c.full_name).where(
                OFFICER.c.hall_id == self.ctx.ref().hall_id
            )
        ).all()
        return {r.id: (r.username, r.full_name or r.username) for r in rows}

    def _tune(self, conn: Connection) -> None:
        """PostgreSQL: enough memory to sort a year in RAM, and no JIT (compiling the report's
        expressions costs more than running them)."""
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
            conn.exec_driver_sql("SET LOCAL jit = off")

    # --- the query ----------------------------------------------------------------------------

    def _visits(self, conn: Connection, scope: _Scope, key: ColumnElement[Any]) -> Any:
        """One row per ticket of the scope: group key, status, flags and durations (seconds).

        `called_at` is a ticket's first call unless it went back to the queue (a return or a
        reactivation). Those tickets, and kiosk print failures, leave an unusual event; the
        query finds them among the events of the range's days (the `(hall_id, at)` index),
        and only for them reads the first `called` event of the ticket (by `ticket_id`).
        """
        ref = self.ctx.ref()
        lo, hi = _window(scope, ref.tz)
        unusual = (
            select(
                _E.c.ticket_id,
                func.max(case((_E.c.kind == EventKind.PRINT_FAILED.value, 1), else_=0)).label(
                    "print_failed"
                ),
                func.max(case((_E.c.kind == EventKind.REACTIVATED.value, 1), else_=0)).label(
                    "reactivated"
                ),
                func.max(case((_E.c.kind != EventKind.PRINT_FAILED.value, 1), else_=0)).label(
                    "requeued"
                ),
            )
            .where(
                _E.c.hall_id == ref.hall_id,
                _E.c.at >= lo,
                _E.c.at < hi,
                _E.c.kind.in_(_UNUSUAL_KINDS),
            )
            .group_by(_E.c.ticket_id)
            .subquery("unusual")
        )
        first_called = (
            select(func.min(_FIRST_CALL.c.at))
            .where(
                _FIRST_CALL.c.ticket_id == _T.c.id,
                _FIRST_CALL.c.kind == EventKind.CALLED.value,
            )
            .scalar_subquery()
        )
        first_call = case(
            (unusual.c.requeued == 1, func.coalesce(first_called, _T.c.called_at)),
            else_=_T.c.called_at,
        )
        seconds = partial(whole_seconds, conn.dialect.name == "postgresql")
        service_s = case((_T.c.status == S.DONE.value, seconds(_T.c.started_at, _T.c.finished_at)))
        voided = and_(
            _T.c.status == S.CANCELLED.value,
            unusual.c.print_failed == 1,
            unusual.c.reactivated == 0,
        )
        where: list[Any] = [
            _T.c.hall_id == ref.hall_id,
            _T.c.business_date >= scope.start,
            _T.c.business_date <= scope.end,
        ]
        if scope.service_ids is not None:
            where.append(_T.c.service_id.in_(scope.service_ids))
        return (
            select(
                key.label("g"),
                _T.c.status,
                case((_T.c.parent_id.is_(None), 1), else_=0).label("root"),
                case((voided, 1), else_=0).label("voided"),
                _T.c.priority,
                seconds(_T.c.issued_at, first_call).label("wait_s"),
                service_s.label("service_s"),
                (_SV.c.max_minutes * 60).label("max_s"),
            )
            .select_from(
                _T.join(_SV, _SV.c.id == _T.c.service_id).outerjoin(
                    unusual, unusual.c.ticket_id == _T.c.id
                )
            )
            .where(*where)
            # SQLite would flatten this subquery into the aggregate and evaluate each duration
            # once per use; OFFSET 0 keeps it a subquery whose columns are computed once a row.
            .offset(0 if conn.dialect.name == "sqlite" else None)
            .subquery("v")
        )

    def _tallies(
        self,
        conn: Connection,
        scope: _Scope,
        key: ColumnElement[Any],
        categories: list[str],
        *,
        percentiles: bool = True,
    ) -> tuple[dict[Any, Tally], Tally]:
        """The sums of every group and of the whole scope, in one aggregate query.

        PostgreSQL computes the percentiles in the same query (`percentile_cont`, and a
        `ROLLUP` row for the total). SQLite has neither: a Python aggregate registered on the
        connection gives each group's percentiles and keeps the values for the total's, and
        the other totals are the groups' sums.
        """
        v = self._visits(conn, scope, key)
        new_visitor = and_(v.c.root == 1, v.c.voided == 0)

        def count(cond: Any) -> Any:
            return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

        columns: list[Any] = [
            count(new_visitor).label("visitors"),
            count(v.c.root == 0).label("transferred_in"),
            count(v.c.status == S.DONE.value).label("served"),
            count(v.c.status == S.NO_SHOW.value).label("no_shows"),
            count(and_(v.c.status == S.CANCELLED.value, v.c.voided == 0)).label("cancelled"),
            count(v.c.status == S.TRANSFERRED.value).label("transferred"),
            count(v.c.status == S.EXPIRED.value).label("expired"),
            count(v.c.status.in_(_OPEN)).label("open"),
            count(v.c.voided == 1).label("voided"),
            func.count(v.c.wait_s).label("waited"),
            func.coalesce(func.sum(v.c.wait_s), 0).label("wait_sum"),
            func.count(v.c.service_s).label("timed"),
            func.coalesce(func.sum(v.c.service_s), 0).label("service_sum"),
            count(v.c.service_s <= v.c.max_s).label("within"),
            *(
                count(and_(new_visitor, v.c.priority == code)).label(f"p{i}")
                for i, code in enumerate(categories)
            ),
        ]
        postgres = conn.dialect.name == "postgresql"
        sinks: tuple[list[int], list[int]] = ([], [])
        if percentiles and postgres:
            columns += [
                func.percentile_cont(P90).within_group(v.c.wait_s).label("wait_p90"),
                func.percentile_cont(P90).within_group(v.c.service_s).label("service_p90"),
            ]
        elif percentiles:
            sinks = (_sqlite_p90(conn, "mpp_p90_wait"), _sqlite_p90(conn, "mpp_p90_service"))
            columns += [
                func.mpp_p90_wait(v.c.wait_s).label("wait_p90"),
                func.mpp_p90_service(v.c.service_s).label("service_p90"),
            ]
        if postgres:  # the total in the same pass; SQLite has no ROLLUP
            query = select(v.c.g, func.grouping(v.c.g).label("is_total"), *columns).group_by(
                func.rollup(v.c.g)
            )
        else:
            query = select(v.c.g, literal(0).label("is_total"), *columns).group_by(v.c.g)
        tallies: dict[Any, Tally] = {}
        total: Tally | None = None
        for row in conn.execute(query):
            tally = _tally(row, categories)
            if row.is_total:
                total = tally
            else:
                tallies[row.g] = tally
        if total is None:
            total = Tally.of(tallies.values())
            if percentiles:
                total.wait_p90, total.service_p90 = (percentile(sink) for sink in sinks)
        return tallies, total

    def _days(self, conn: Connection, scope: _Scope) -> dict[tuple[str, int], set[date]]:
        """Business dates with tickets: per service, per agency, and of the hall (key 0)."""
        rows = conn.execute(
            select(_T.c.service_id, _T.c.business_date)
            .where(
                _T.c.hall_id == self.ctx.ref().hall_id,
                _T.c.business_date >= scope.start,
                _T.c.business_date <= scope.end,
            )
            .group_by(_T.c.service_id, _T.c.business_date)
        ).all()
        services = self.ctx.ref().services
        days: dict[tuple[str, int], set[date]] = {}
        for service_id, day in rows:
            days.setdefault(("hall", 0), set()).add(day)
            if scope.service_ids is not None and service_id not in scope.service_ids:
                continue
            days.setdefault(("service", service_id), set()).add(day)
            days.setdefault(("agency", services[service_id].agency_id), set()).add(day)
        return days

    # --- groups -------------------------------------------------------------------------------

    def _group(
        self,
        group: ReportGroup,
        scope: _Scope,
        ref: Reference,
        officers: dict[int, tuple[str, str]],
    ) -> _Group:
        """The SQL key of `group`, and how a key becomes a row (key, label, label_en)."""
        postgres = self.ctx.engine.dialect.name == "postgresql"
        if group is ReportGroup.AGENCY:
            agencies = ref.agencies

            def agency_row(k: int) -> Key:
                return agencies[k].code, agencies[k].short_name, agencies[k].short_name

            return _Group(_SV.c.agency_id, agency_row, lambda k: _agency_order(ref, k))
        if group is ReportGroup.SERVICE:
            services = ref.services

            def service_row(k: int) -> Key:
                svc = services[k]
                return svc.code, svc.name, svc.name_en or svc.name

            return _Group(
                _T.c.service_id, service_row, lambda k: (services[k].prefix, services[k].code)
            )
        if group is ReportGroup.COUNTER:
            held = {c.id: (c.code, c.name) for c in ref.counters.values()}
            order = {cid: i for i, cid in enumerate(ref.counters)}  # the hall's counter order
            return _holder(_T.c.counter_id, held, order, "report.none.counter")
        if group is ReportGroup.OFFICER:
            by_name = sorted(officers, key=lambda oid: officers[oid][0])
            order = {oid: i for i, oid in enumerate(by_name)}
            return _holder(_T.c.officer_id, officers, order, "report.none.officer")
        if group is ReportGroup.HOUR:
            key = (
                cast(extract("hour", func.timezone(ref.tz.key, _T.c.issued_at)), Integer)
                if postgres
                else _sqlite_local_hour(ref.tz, *_window(scope, ref.tz))
            )
            return _Group(key, _hour_row, int)
        if group is ReportGroup.WEEKDAY:
            key = (
                cast(extract("isodow", _T.c.business_date), Integer)
                if postgres
                else (cast(func.strftime("%w", _T.c.business_date), Integer) + 6) % 7 + 1
            )
            return _Group(key, _weekday_row, int)
        return _Group(_T.c.business_date, _day_row, lambda k: k)


# --- pieces ---------------------------------------------------------------------------------------


def _tally(row: Any, categories: list[str]) -> Tally:
    mapping = row._mapping
    return Tally(
        visitors=int(row.visitors),
        transferred_in=int(row.transferred_in),
        served=int(row.served),
        no_shows=int(row.no_shows),
        cancelled=int(row.cancelled),
        transferred=int(row.transferred),
        expired=int(row.expired),
        open=int(row.open),
        voided=int(row.voided),
        waited=int(row.waited),
        wait_sum=float(row.wait_sum),
        timed=int(row.timed),
        service_sum=float(row.service_sum),
        within_standard=int(row.within),
        priority={code: int(mapping[f"p{i}"]) for i, code in enumerate(categories)},
        wait_p90=_float(mapping.get("wait_p90")),
        service_p90=_float(mapping.get("service_p90")),
    )


def _sqlite_p90(conn: Connection, name: str) -> list[int]:
    """Register `name` on this SQLite connection: an aggregate giving its group's 90th
    percentile. Returns the list that receives every group's values, for the total's.

    SQLite has no percentile function; this keeps the report one pass over the tickets (a
    second query for the durations would compute every ticket's figures twice).
    """
    sink: list[int] = []

    class Percentile90:
        def __init__(self) -> None:
            self.values: list[int] = []

        def step(self, value: int | None) -> None:
            if value is not None:
                self.values.append(value)

        def finalize(self) -> float | None:
            sink.extend(self.values)
            return percentile(self.values)

    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    dbapi.create_aggregate(name, 1, Percentile90)
    return sink


def _holder(
    column: ColumnElement[Any],
    held: dict[int, tuple[str, str]],
    order: dict[int, int],
    none_key: str,
) -> _Group:
    """Grouping by who last held a ticket (a counter or an officer); None (never called) last."""

    def row(k: int | None) -> Key:
        if k is None:
            return None, t(none_key, "id"), t(none_key, "en")
        code, name = held.get(k, (str(k), str(k)))
        return code, name, name

    return _Group(column, row, lambda k: (k is None, order.get(k, len(order))))


def _hour_row(k: int) -> Key:
    label = f"{int(k):02d}:00–{int(k):02d}:59"
    return int(k), label, label


def _weekday_row(k: int) -> Key:
    return int(k), t(f"report.weekday.{int(k)}", "id"), t(f"report.weekday.{int(k)}", "en")


def _day_row(k: date) -> Key:
    return k, long_date(k, "id"), long_date(k, "en")


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _window(scope: _Scope, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants around the scope's local days, widened by _EVENT_MARGIN each side."""
    lo = _local_midnight(scope.start, tz) - _EVENT_MARGIN
    hi = _local_midnight(scope.end + timedelta(days=1), tz) + _EVENT_MARGIN
    return lo, hi


def _agency_order(ref: Reference, agency_id: int) -> tuple[str, str]:
    """Agencies in the kiosk's order: by their first service prefix, then code."""
    prefixes = [s.prefix for s in ref.services.values() if s.agency_id == agency_id]
    return (min(prefixes) if prefixes else "~", ref.agencies[agency_id].code)


def _offsets(tz: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime | None, int]]:
    """The zone's UTC offsets over [lo, hi) as (until, minutes) segments, the last open-ended.

    Indonesian zones have one offset; a zone with daylight saving gets one segment per change.
    """

    def offset(at: datetime) -> int:
        delta = at.astimezone(tz).utcoffset()
        return int(delta.total_seconds() // 60) if delta else 0

    segments: list[tuple[datetime | None, int]] = []
    current = offset(lo)
    at = lo
    while at < hi:
        step = min(at + timedelta(days=1), hi)
        if offset(step) != current:
            low, high = at, step  # the change is in (low, high]: bisect to the second
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                low, high = (mid, high) if offset(mid) == current else (low, mid)
            segments.append((high, current))
            current = offset(high)
        at = step
    segments.append((None, current))
    return segments


def _sqlite_local_hour(tz: ZoneInfo, lo: datetime, hi: datetime) -> Any:
    """The hour of issue in the hall's zone (SQLite has no time zones: shift by the offset)."""
    segments = _offsets(tz, lo, hi)

    def shift(minutes: int) -> str:
        return f"{minutes:+d} minutes"

    modifier: Any = literal(shift(segments[-1][1]))
    if len(segments) > 1:
        modifier = case(
            *((_T.c.issued_at < until, shift(minutes)) for until, minutes in segments[:-1]),
            else_=shift(segments[-1][1]),
        )
    return cast(func.strftime("%H", _T.c.issued_at, modifier), Integer)
