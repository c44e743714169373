"""Reading tickets, counters and services: one read transaction per call."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from mpp_tui.db.tables import SERVICE, TICKET, TICKET_EVENT
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import InvalidInput, NotFound
from mpp_tui.domain.rules import hours_text, parse_code
from mpp_tui.domain.views import CounterView, EventView, ServiceInfo, ServiceLoad, TicketView
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.queries import counter_views, service_figures, service_loads, waiting_rows

_T = TICKET
_E = TICKET_EVENT
_COLS = tuple(_T.c)


class Tickets:
    """Tickets, counters and services as the screens and the CLI read them; each call is one
    read transaction."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def waiting_list(self, *, counter: str, limit: int = 50) -> list[TicketView]:
        """Tickets `counter` would call, in the order it would call them (now)."""
        ref_counter = self.ctx.counter(counter)
        with self.ctx.read() as conn:
            rows = waiting_rows(self.ctx, conn, ref_counter, limit)
        return [self.ctx.ticket_view(r) for r in rows]

    def waiting_all(self, *, limit: int = 100) -> list[TicketView]:
        """Every waiting ticket of today in the hall, in arrival order."""
        with self.ctx.read() as conn:
            rows = conn.execute(
                select(*_COLS)
                .where(
                    _T.c.hall_id == self.ctx.ref().hall_id,
                    _T.c.business_date == self.ctx.today(),
                    _T.c.status == S.WAITING,
                )
                .order_by(_T.c.sort_key, _T.c.id)
                .limit(limit)
            ).all()
        return [self.ctx.ticket_view(r) for r in rows]

    def services(self) -> list[ServiceInfo]:
        """Every active service with its standard, today's hours and the counters calling it."""
        ref = self.ctx.ref()
        now = self.ctx.now()
        serving: dict[int, list[str]] = {}
        for c in ref.counters.values():
            if c.active:
                for sid in c.services:
                    serving.setdefault(sid, []).append(c.code)
        with self.ctx.read() as conn:
            fees = dict(
                conn.execute(
                    select(SERVICE.c.id, SERVICE.c.fee).where(SERVICE.c.hall_id == ref.hall_id)
                ).all()
            )
        return [
            ServiceInfo(
                code=s.code,
                name=s.name,
                name_en=s.name_en or s.name,
                prefix=s.prefix,
                agency_code=ref.agencies[s.agency_id].code,
                agency_name=ref.agencies[s.agency_id].short_name,
                max_minutes=s.max_minutes,
                daily_quota=s.daily_quota,
                fee=int(fees.get(s.id, 0)),
                hours_today=hours_text(s.schedule, now, ref.tz, "-"),
                counters=tuple(sorted(serving.get(s.id, ()))),
            )
            for s in sorted(ref.services.values(), key=lambda s: (s.prefix, s.code))
            if s.active
        ]

    def ticket(self, *, code: str | int, day: date | None = None) -> TicketView:
        """A ticket by id, or by display code on `day` (default today; newest of a chain)."""
        with self.ctx.read() as conn:
            if isinstance(code, int):
                row = conn.execute(
                    select(*_COLS).where(_T.c.id == code, _T.c.hall_id == self.ctx.ref().hall_id)
                ).first()
            else:
                parsed = parse_code(code)
                if parsed is None:
                    raise InvalidInput("err.ticket_code_invalid", ticket=code[:20])
                row = conn.execute(
                    select(*_COLS)
                    .where(
                        _T.c.hall_id == self.ctx.ref().hall_id,
                        _T.c.business_date == (day or self.ctx.today()),
                        _T.c.prefix == parsed[0],
                        _T.c.number == parsed[1],
                    )
                    .order_by(_T.c.id.desc())
                    .limit(1)
                ).first()
        if row is None:
            raise NotFound("err.ticket_not_found", ticket=code)
        return self.ctx.ticket_view(row)

    def history(self, *, ticket_id: int) -> list[EventView]:
        """Every event of a ticket and of the tickets it was transferred from, oldest first."""
        ref = self.ctx.ref()
        with self.ctx.read() as conn:
            chain = [ticket_id]
            while True:  # a transferred ticket's history starts at its first ancestor
                parent = conn.execute(select(_T.c.parent_id).where(_T.c.id == chain[-1])).scalar()
                if parent is None or parent in chain:
                    break
                chain.append(parent)
            rows = conn.execute(select(_E).where(_E.c.ticket_id.in_(chain)).order_by(_E.c.id)).all()
        return [
            EventView(
                id=r.id,
                kind=r.kind,
                at=r.at,
                ticket_id=r.ticket_id,
                status_from=r.status_from,
                status_to=r.status_to,
                counter_code=ref.counters[r.counter_id].code
                if r.counter_id in ref.counters
                else None,
                officer=self.ctx.officer_name(r.officer_id),
                detail=r.detail,
            )
            for r in rows
        ]

    def counter_view(self, *, counter: str) -> CounterView:
        """One counter's state, active ticket and today's served count."""
        ref_counter = self.ctx.counter(counter)
        with self.ctx.read() as conn:
            return counter_views(self.ctx, conn, only=ref_counter.id)[0]

    def counters(self) -> list[CounterView]:
        """Every active counter of the hall, in display order."""
        with self.ctx.read() as conn:
            return counter_views(self.ctx, conn)

    def service_loads(self) -> list[ServiceLoad]:
        """Waiting figures for every active service, for status screens."""
        with self.ctx.read() as conn:
            return service_loads(self.ctx, conn, service_figures(self.ctx, conn))
