"""`mpp simulate`: play a whole business day at the hall, then print the simulator's summary.

`mpp simulate [options]` runs the day (a Typer callback that runs without a subcommand);
`mpp simulate history` fills past days in bulk (mpp_tui/cli/simulate_history.py).
"""

from __future__ import annotations

import math
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import typer
from rich.box import SIMPLE_HEAD
from rich.table import Table

from mpp_tui.cli import simulate_history
from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import InvalidInput
from mpp_tui.i18n import formats

if TYPE_CHECKING:
    from mpp_tui.sim.crew import DayProgress
    from mpp_tui.sim.summary import AgencyDay, DaySummary

simulate_app = typer.Typer(
    help="Simulasi satu hari layanan / simulate a day at the hall.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@simulate_app.callback()
def simulate(
    ctx: typer.Context,
    profile: str = typer.Option(
        "kotim", "--profile", help="Profile: kotim, large, or a profile TOML file."
    ),
    speed: str = typer.Option(
        "max", "--speed", help="max (as fast as possible) or N: real time × N (60 = 1 min/s)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same day."),
    counters_as: str = typer.Option(
        "processes", "--counters-as", help="Robot officers as processes (like PCs) or threads."
    ),
    day: str | None = typer.Option(
        None,
        "--date",
        help="Business day YYYY-MM-DD (default today; a closed day plays as an exceptional "
        "opening with the next open weekday's hours).",
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Play a business day: visitors at the kiosk, robot officers at every counter.

    Everything goes through the real services into the database, stamped with the simulated
    day's times, so `mpp log` and `mpp report` show it and `mpp board` can watch it live.
    """
    if ctx.invoked_subcommand is not None:
        return
    from mpp_tui.sim import read_profile, run_day

    cli = get_cli(ctx, json_out)
    pace = parse_speed(speed)
    when = parse_date(day)
    spec = read_profile(profile)  # validate before touching the database
    engine = cli.ready
    live = not cli.json and sys.stdout.isatty()
    status = cli.err.status(cli.tr("sim.starting")) if live else None
    if status is not None:
        status.start()

    def show(p: DayProgress) -> None:
        if status is not None:
            status.update(_progress_line(cli, p, spec.seed.hall.timezone))

    try:
        summary = run_day(
            engine,
            spec,
            seed=seed,
            speed=pace,
            counters_as=counters_as,
            day=when,
            progress=show,
        )
    finally:
        if status is not None:
            status.stop()
    cli.emit(summary_json(summary), None)
    if not cli.json:
        for renderable in summary_renderables(cli, summary, spec.spec.name):
            cli.out.print(renderable)


def parse_speed(text: str) -> float | None:
    """`max` → None; a positive number → that factor."""
    value = text.strip().lower()
    if value == "max":
        return None
    try:
        factor = float(value)
    except ValueError:
        factor = math.nan
    if not (math.isfinite(factor) and 0 < factor <= 100_000):
        raise InvalidInput("sim.err.speed_invalid", value=text[:20])
    return factor


def parse_date(text: str | None) -> date | None:
    """A YYYY-MM-DD business date, or None for the default."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("err.date_invalid", value=text[:20]) from None


def _progress_line(cli: Cli, p: DayProgress, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return cli.tr(
        "sim.progress",
        time=formats(cli.lang).local_clock(p.now, ZoneInfo(tz)),
        issued=p.issued,
        ended=p.ended,
        busy=p.busy,
        staffed=p.staffed,
    )


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def summary_renderables(cli: Cli, s: DaySummary, name: str) -> list[Any]:
    """The header, the per-agency table, the per-counter table and where to look next."""
    from zoneinfo import ZoneInfo

    from mpp_tui.domain.dates import long_date

    tz = ZoneInfo(s.timezone)
    fmt = formats(cli.lang)
    header = cli.tr(
        "sim.header",
        name=name,
        date=long_date(s.day, cli.lang),
        seed=s.seed,
        hours=f"{fmt.local_clock(s.opened_at, tz)}–{fmt.local_clock(s.closed_at, tz)}",
        end=fmt.local_clock(s.ended_at, tz),
        wall=fmt.decimal(s.wall_s),
    )
    out: list[Any] = [header]
    if s.exceptional:
        out.append(cli.tr("sim.exceptional", weekday=cli.tr(f"sim.weekday.{s.weekday}")))
    agencies = Table(title=cli.tr("sim.title.agencies"), title_justify="left", box=SIMPLE_HEAD)
    for key in ("agency", "visitors", "served", "no_show", "transferred", "refused",
                "expired", "wait_avg", "wait_p90", "queue", "counters", "util"):  # fmt: skip
        agencies.add_column(
            cli.tr(f"sim.col.{key}"), justify="left" if key == "agency" else "right"
        )
    for row in [*s.agencies, s.total]:
        if row.visitors or row.transferred_in or row.counters or row is s.total:
            agencies.add_row(*_agency_cells(cli, row), end_section=row is s.agencies[-1])
    counters = Table(title=cli.tr("sim.title.counters"), title_justify="left", box=SIMPLE_HEAD)
    for key in ("counter", "agency", "officer", "visits", "served", "paused", "util"):
        counters.add_column(cli.tr(f"sim.col.{key}"), justify="left" if key in
                            ("counter", "agency", "officer") else "right")  # fmt: skip
    for c in s.counters:
        counters.add_row(
            c.counter,
            c.agency,
            c.officer,
            str(c.visits),
            str(c.served),
            f"{c.paused_s / 60:.0f}",
            _share(c.utilisation),
        )
    out += [agencies, counters, cli.tr("sim.next", date=s.day.isoformat())]
    return out


def _agency_cells(cli: Cli, a: AgencyDay) -> list[str]:
    return [
        cli.tr("sim.total") if a.agency == "*" else a.agency,
        str(a.visitors) + (f" +{a.transferred_in}" if a.transferred_in else ""),
        str(a.served),
        str(a.no_shows),
        str(a.transferred),
        str(a.turned_away),
        str(a.expired),
        _minutes(a.wait_avg_s),
        _minutes(a.wait_p90_s),
        str(a.longest_queue),
        str(a.counters),
        _share(a.utilisation),
    ]


def summary_json(s: DaySummary) -> dict[str, Any]:
    """The summary as JSON-ready data (stable keys)."""

    def agency(a: AgencyDay) -> dict[str, Any]:
        return {
            "agency": a.agency,
            "visitors": a.visitors,
            "transferred_in": a.transferred_in,
            "turned_away": a.turned_away,
            "served": a.served,
            "no_shows": a.no_shows,
            "transferred": a.transferred,
            "expired": a.expired,
            "wait_avg_seconds": a.wait_avg_s,
            "wait_p90_seconds": a.wait_p90_s,
            "longest_queue": a.longest_queue,
            "counters": a.counters,
            "utilisation": a.utilisation,
        }

    return {
        "hall": s.hall,
        "date": s.day.isoformat(),
        "seed": s.seed,
        "exceptional_opening": s.exceptional,
        "weekday_hours": s.weekday,
        "opened_at": s.opened_at.isoformat(),
        "closed_at": s.closed_at.isoformat(),
        "ended_at": s.ended_at.isoformat(),
        "wall_seconds": round(s.wall_s, 3),
        "agencies": [agency(a) for a in s.agencies],
        "total": agency(s.total),
        "counters": [
            {
                "counter": c.counter,
                "agency": c.agency,
                "officer": c.officer,
                "visits": c.visits,
                "served": c.served,
                "paused_seconds": round(c.paused_s, 1),
                "busy_seconds": round(c.busy_s, 1),
                "utilisation": c.utilisation,
            }
            for c in s.counters
        ],
    }


simulate_app.command("history")(simulate_history.history)
