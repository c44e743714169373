"""`mpp doctor --deep`: check every ticket of a few business days against the invariants.

Read-only and bounded: one read-only snapshot (mpp_tui.db.invariants), today by default in each
hall's time zone, `--date` and `--days` to look elsewhere or further back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from mpp_tui.domain.errors import InvalidInput

if TYPE_CHECKING:
    from mpp_tui.cli.context import Cli
    from mpp_tui.db.invariants import Audit, Violation

MAX_DAYS = 366
SHOWN = 200  # violations printed as text; --json carries every one
Check = tuple[str, str, str]


@dataclass(frozen=True)
class DeepResult:
    """What `--deep` adds to the doctor's report: its lines and every violation found."""

    checks: list[Check]
    violations: list[Violation]

    def as_json(self) -> dict[str, Any]:
        return {"violations": [v.as_dict() for v in self.violations]}


def parse_day(text: str | None) -> date | None:
    """`--date`: a YYYY-MM-DD business date, or None for today."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("err.date_invalid", value=text[:20]) from None


def deep_check(cli: Cli, *, last: date | None, days: int) -> DeepResult:
    """Check the `days` business days ending at `last` (default: today in each hall).

    Only the configured hall when one is set (`--hall`, config), else every hall.
    """
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from mpp_tui.db.engine import server_clock_skew
    from mpp_tui.db.invariants import audit, snapshot
    from mpp_tui.db.tables import HALL
    from mpp_tui.domain.clock import SystemClock
    from mpp_tui.services.simclock import watching_clock

    engine = cli.engine
    query = select(HALL.c.id, HALL.c.code, HALL.c.timezone).order_by(HALL.c.code)
    if cli.settings.hall:
        query = query.where(HALL.c.code == cli.settings.hall.strip().upper())
    with engine.connect() as conn:
        halls = conn.execute(query).all()
        skew = server_clock_skew(conn)
    if not halls:
        missing = f"no hall {cli.settings.hall}" if cli.settings.hall else "no hall"
        return DeepResult([("invariants", "fail", missing)], [])
    # Today as each hall's screens tell it: the server's clock, or a live simulation's.
    server = SystemClock(timedelta(seconds=-(skew or 0.0)))
    ends = {
        hall.id: last
        or (watching_clock(engine, hall.code, server) or server)
        .now()
        .astimezone(ZoneInfo(hall.timezone))
        .date()
        for hall in halls
    }
    checks: list[Check] = []
    found: list[Violation] = []
    with snapshot(engine) as conn:
        for hall in halls:
            span = [ends[hall.id] - timedelta(days=n) for n in range(days)]
            result = audit(conn, hall_id=hall.id, days=span)
            found += result.violations
            checks.append(_summary(hall.code, span, result))
    for v in found[:SHOWN]:
        where = f"{v.hall} {v.day.isoformat()}"
        checks.append((f"  {v.kind.value}", "fail", f"{where}: {v.message}"))
    if len(found) > SHOWN:
        checks.append(("  …", "fail", f"{len(found) - SHOWN} more (--json lists every one)"))
    return DeepResult(checks, found)


def _summary(hall: str, span: list[date], result: Audit) -> Check:
    first, last = min(span), max(span)
    when = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
    read = (
        f"{result.tickets:,} tickets, {result.events:,} events" if result.tickets else "no tickets"
    )
    broken = len(result.violations)
    if not broken:
        return ("invariants", "ok", f"{hall} {when}: {read}, all invariants hold")
    return (
        "invariants",
        "fail",
        f"{hall} {when}: {read}, {broken} violation{'s' if broken != 1 else ''}",
    )
