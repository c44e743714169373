"""What the public screens read: the kiosk's menu and the board's calls, counters and queues."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import func, select

from mpp_tui.db.tables import SERVICE, TICKET, TICKET_EVENT
from mpp_tui.domain.calls import LOOKBACK_EVENTS
from mpp_tui.domain.enums import EventKind
from mpp_tui.domain.errors import NotFound
from mpp_tui.domain.reference import CounterRef, Reference
from mpp_tui.domain.rules import hours_text, is_open
from mpp_tui.domain.views import (
    AgencyWaiting,
    BoardState,
    CallView,
    KioskAgency,
    KioskMenu,
    KioskService,
)
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.queries import counter_views, service_figures, service_loads
from mpp_tui.services.statements import DC

_T = TICKET
_E = TICKET_EVENT
CALL_KINDS = (EventKind.CALLED.value, EventKind.RECALLED.value)


class PublicReads:
    """What the public screens (kiosk and hall board) read; each is one read transaction."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- kiosk --------------------------------------------------------------------------------

    def kiosk_menu(self) -> KioskMenu:
        """Agencies and their services with their standard, and whether each issues now.

        A service does not issue (and says why) outside its hours, when its own or its agency's
        daily quota is used up, or when the business day has been closed.
        """
        ref = self.ctx.ref()
        now = self.ctx.now()
        day = self.ctx.today()
        with self.ctx.read() as conn:
            self.ctx.check_epoch(conn)
            figures = service_figures(self.ctx, conn)
            loads = {load.code: load for load in service_loads(self.ctx, conn, figures)}
            details = {
                r.id: r
                for r in conn.execute(
                    select(SERVICE.c.id, SERVICE.c.fee, SERVICE.c.requirements).where(
                        SERVICE.c.hall_id == ref.hall_id
                    )
                )
            }
            day_closed = (
                conn.execute(
                    select(DC.c.closed_at).where(
                        DC.c.hall_id == ref.hall_id, DC.c.business_date == day
                    )
                ).first()
                is not None
            )
        issued_by_agency: dict[int, int] = {}
        for svc in ref.services.values():
            load = loads.get(svc.code)
            if load is not None:
                issued_by_agency[svc.agency_id] = (
                    issued_by_agency.get(svc.agency_id, 0) + load.issued_today
                )
        agencies = []
        for agency in sorted(ref.agencies.values(), key=lambda a: self._agency_order(ref, a.id)):
            services = []
            agency_left = (
                None
                if agency.daily_quota is None
                else max(agency.daily_quota - issued_by_agency.get(agency.id, 0), 0)
            )
            for svc in sorted(ref.services.values(), key=lambda s: (s.prefix, s.code)):
                if svc.agency_id != agency.id or not svc.active:
                    continue
                load = loads[svc.code]
                left = _least(
                    None if svc.daily_quota is None else svc.daily_quota - load.issued_today,
                    agency_left,
                )
                closed = None
                if day_closed:
                    closed = "kiosk.closed.day"
                elif not is_open(svc.schedule, now, ref.tz):
                    closed = "kiosk.closed.hours"
                elif left is not None and left <= 0:
                    closed = "kiosk.closed.quota"
                detail = details.get(svc.id)
                services.append(
                    KioskService(
                        code=svc.code,
                        name=svc.name,
                        name_en=svc.name_en or svc.name,
                        prefix=svc.prefix,
                        agency_code=agency.code,
                        requirements=tuple(detail.requirements or ()) if detail else (),
                        fee=int(detail.fee) if detail else 0,
                        max_minutes=svc.max_minutes,
                        hours_today=hours_text(svc.schedule, now, ref.tz, "-"),
                        closed=closed,
                        quota_left=None if left is None else max(left, 0),
                        waiting=load.waiting,
                        eta_minutes=load.eta_minutes,
                    )
                )
            if services:
                agencies.append(
                    KioskAgency(
                        code=agency.code,
                        name=agency.name,
                        short_name=agency.short_name,
                        services=tuple(services),
                    )
                )
        priorities = tuple(ref.priorities.values())
        return KioskMenu(hall_name=ref.hall_name, agencies=tuple(agencies), priorities=priorities)

    @staticmethod
    def _agency_order(ref: Reference, agency_id: int) -> tuple[str, str]:
        prefixes = [s.prefix for s in ref.services.values() if s.agency_id == agency_id]
        return (min(prefixes) if prefixes else "~", ref.agencies[agency_id].code)

    # --- board --------------------------------------------------------------------------------

    def board(
        self,
        *,
        after: int | None = None,
        floor: int = 0,
        zone: str | None = None,
        agency: str | None = None,
        recent: int = 8,
    ) -> BoardState:
        """What the hall board shows, and the calls made since it last looked.

        `fresh` repeats calls near the cursor (see LOOKBACK_EVENTS); `CallCursor` keeps the
        arguments and drops what was already announced.

        Args:
            after: the cursor of the previous look; None on the first look (nothing is fresh,
                so a board that restarts never repeats old calls).
            floor: the cursor of the first look; calls at or below it are never fresh.
            zone: only counters of this zone.
            agency: only counters of this agency (code).
            recent: how many of today's last calls to list.

        Raises:
            NotFound: unknown zone or agency.
        """
        ref = self.ctx.ref()
        counters = self._board_counters(ref, zone, agency)
        ids = [c.id for c in counters]
        day = self.ctx.today()
        # Calls are today's: bounding the event time lets the (hall, at) index skip history.
        since = datetime.combine(day, time(0), tzinfo=ref.tz).astimezone(UTC)
        with self.ctx.read() as conn:
            self.ctx.check_epoch(conn)
            base = self._calls_query(ref.hall_id, ids, day).where(_E.c.at >= since)
            if agency is not None:  # a shared counter's calls for other agencies are not ours
                agency_id = self.ctx.agency(agency).id
                services = [s.id for s in ref.services.values() if s.agency_id == agency_id]
                base = base.where(_T.c.service_id.in_(services))
            recent_rows = conn.execute(base.order_by(_E.c.id.desc()).limit(recent)).all()
            cursor = int(conn.execute(select(func.coalesce(func.max(_E.c.id), 0))).scalar_one())
            fresh_rows: list[Any] = []
            if after is not None:
                low = max(floor, after - LOOKBACK_EVENTS)
                fresh_rows = list(conn.execute(base.where(_E.c.id > low).order_by(_E.c.id)).all())
            views = counter_views(self.ctx, conn)
            loads_now = service_loads(self.ctx, conn, service_figures(self.ctx, conn))
        wanted = {c.code for c in counters}
        agency_codes = (
            {self.ctx.agency(agency).code}
            if agency is not None
            else {ref.agencies[a].code for c in counters for a in _agencies_of(ref, c)}
        )
        waiting: dict[str, int] = {}
        for load in loads_now:
            if load.agency_code in agency_codes:
                waiting[load.agency_code] = waiting.get(load.agency_code, 0) + load.waiting
        by_code = {a.code: a for a in ref.agencies.values()}
        return BoardState(
            hall_name=ref.hall_name,
            running_text=ref.running_text,
            recent=tuple(self._call_view(ref, r) for r in recent_rows),
            fresh=tuple(self._call_view(ref, r) for r in fresh_rows),
            cursor=max(cursor, after or 0),
            counters=tuple(v for v in views if v.code in wanted),
            waiting=tuple(
                AgencyWaiting(code=code, short_name=by_code[code].short_name, waiting=n)
                for code, n in sorted(waiting.items(), key=lambda kv: _prefix_of(ref, kv[0]))
            ),
        )

    def zones(self) -> list[str]:
        """The hall's counter zones (for `--zone` choices)."""
        return sorted({c.zone for c in self.ctx.ref().counters.values() if c.zone})

    def _board_counters(
        self, ref: Reference, zone: str | None, agency: str | None
    ) -> list[CounterRef]:
        counters = [c for c in ref.counters.values() if c.active]
        if zone is not None:
            wanted = zone.strip().upper()
            known = {c.zone.upper() for c in counters if c.zone}
            if wanted not in known:
                raise NotFound(
                    "board.err.zone_not_found", zone=zone, choices=", ".join(sorted(known)) or "-"
                )
            counters = [c for c in counters if (c.zone or "").upper() == wanted]
        if agency is not None:
            agency_id = self.ctx.agency(agency).id
            counters = [c for c in counters if agency_id in _agencies_of(ref, c)]
        return sorted(counters, key=lambda c: c.code)

    @staticmethod
    def _calls_query(hall_id: int, counter_ids: list[int], day: Any) -> Any:
        return (
            select(
                _E.c.id,
                _E.c.at,
                _E.c.kind,
                _E.c.counter_id,
                _T.c.code,
                _T.c.service_id,
            )
            .join(_T, _T.c.id == _E.c.ticket_id)
            .where(
                _E.c.hall_id == hall_id,
                _E.c.kind.in_(CALL_KINDS),
                _E.c.counter_id.in_(counter_ids),
                _T.c.business_date == day,
            )
        )

    @staticmethod
    def _call_view(ref: Reference, row: Any) -> CallView:
        counter = ref.counters[row.counter_id]
        svc = ref.services[row.service_id]
        return CallView(
            event_id=int(row.id),
            code=row.code,
            counter_code=counter.code,
            counter_name=counter.name,
            at=row.at,
            recall=row.kind == EventKind.RECALLED,
            service_name=svc.name,
            service_name_en=svc.name_en or svc.name,
            agency_code=ref.agencies[svc.agency_id].code,
        )


def _least(a: int | None, b: int | None) -> int | None:
    values = [v for v in (a, b) if v is not None]
    return min(values) if values else None


def _agencies_of(ref: Reference, counter: CounterRef) -> set[int]:
    if counter.agency_id is not None:
        return {counter.agency_id}
    return {ref.services[s].agency_id for s in counter.services if s in ref.services}


def _prefix_of(ref: Reference, agency_code: str) -> str:
    prefixes = [
        s.prefix for s in ref.services.values() if ref.agencies[s.agency_id].code == agency_code
    ]
    return min(prefixes) if prefixes else agency_code
