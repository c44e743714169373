"""`mpp plan`: counters per agency for a target wait (Erlang C), checked by a simulated day."""

from __future__ import annotations

import math
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table

from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import InvalidInput

if TYPE_CHECKING:
    from mpp_tui.sim.plan import AgencyPlan, CapacityPlan
    from mpp_tui.sim.profile import Profile
    from mpp_tui.sim.summary import AgencyDay, DaySummary

MAX_VISITORS = 100_000
MAX_TARGET_MINUTES = 8 * 60
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(rf"^(?:{_NUMBER}h)?(?:{_NUMBER}m(?:in)?)?(?:{_NUMBER}s)?$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def plan(
    ctx: typer.Context,
    visitors: int | None = typer.Option(
        None, "--visitors", help="New visitors over a full day (default: the profile's)."
    ),
    agency: str | None = typer.Option(None, "--agency", help="Only this agency (code)."),
    target_wait: str = typer.Option(
        "15m", "--target-wait", help="Target wait: 15m, 90s, 1h30m (a bare number is minutes)."
    ),
    level: float | None = typer.Option(
        None,
        "--level",
        help="Aim for this share waiting at most the target (e.g. 0.8) instead of the average.",
    ),
    profile: str = typer.Option(
        "kotim", "--profile", help="Simulation profile: kotim, large, or a profile TOML file."
    ),
    weekday: str | None = typer.Option(
        None, "--weekday", help="mon..sun (default: the weekday with the most visits)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed of the simulation check."),
    simulate: bool = typer.Option(
        True, "--simulate/--no-simulate", help="Check the plan with a simulated day."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Recommend counters per agency for a target wait, per hour of the day (Erlang C, M/M/c).

    Arrivals come from the profile (visitors × agency share × hourly weights), service times
    from the services' standard times. The recommendation is then played as one simulated
    day in a scratch database (never the configured one) and both are printed side by side.
    """
    from mpp_tui.sim.plan import Target, plan_capacity
    from mpp_tui.sim.profile import read_profile

    cli = get_cli(ctx, json_out)
    goal = Target(parse_duration(target_wait), _level(level))
    people = _visitors(visitors)
    day = _weekday(weekday)
    spec = read_profile(profile)
    found = plan_capacity(spec, target=goal, visitors=people, weekday=day, agency=agency)
    summary = _simulate(cli, found, spec, seed) if simulate else None
    if cli.json:
        cli.emit(_payload(found, summary))
        return
    cli.out.print(_render(cli, found, summary))


def register(root: typer.Typer) -> None:
    """Add `mpp plan`."""
    root.command("plan")(plan)


# --- input ----------------------------------------------------------------------------------------


def parse_duration(text: str) -> float:
    """Minutes in `15m`, `90s`, `1h30m`, `1.5h` or a bare number of minutes.

    Raises:
        InvalidInput: anything else, zero, or more than eight hours.
    """
    clean = text.strip().lower().replace(" ", "")
    minutes: float | None = None
    if re.fullmatch(_NUMBER, clean):
        minutes = float(clean.replace(",", "."))
    else:
        found = _DURATION.fullmatch(clean)
        if found is not None and any(found.groups()):
            h, m, s = (float(g.replace(",", ".")) if g else 0.0 for g in found.groups())
            minutes = h * 60 + m + s / 60
    if minutes is None or not math.isfinite(minutes) or not 0 < minutes <= MAX_TARGET_MINUTES:
        raise InvalidInput("plan.err.target_wait", value=text[:20])
    return minutes


def _visitors(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_VISITORS:
        raise InvalidInput("plan.err.visitors", value=value)
    return value


def _level(value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and 0 < value < 1):
        raise InvalidInput("plan.err.level", value=value)
    return value


def _weekday(value: str | None) -> str | None:
    if value is None:
        return None
    clean = value.strip().lower()[:3]
    if clean not in _WEEKDAYS:
        raise InvalidInput("plan.err.weekday", value=value[:20])
    return clean


# --- the simulation check -------------------------------------------------------------------------


def _simulate(cli: Cli, found: CapacityPlan, spec: Profile, seed: int) -> DaySummary:
    """Play the plan in a scratch SQLite database that is deleted afterwards."""
    from mpp_tui.db.engine import make_engine, sqlite_url
    from mpp_tui.db.migrate import upgrade
    from mpp_tui.domain.clock import SystemClock, business_date
    from mpp_tui.sim.plan import simulate_plan

    live = not cli.json and sys.stderr.isatty()
    status = cli.err.status(cli.tr("plan.simulating", profile=found.profile, seed=seed))
    if live:
        status.start()
    try:
        with tempfile.TemporaryDirectory(prefix="mpp-plan-") as folder:
            engine = make_engine(sqlite_url(Path(folder) / "plan.sqlite"))
            try:
                upgrade(engine)
                tz = ZoneInfo(spec.seed.hall.timezone)
                today = business_date(SystemClock().now(), tz)
                return simulate_plan(found, spec, engine, seed=seed, today=today)
            finally:
                engine.dispose()
    finally:
        if live:
            status.stop()


# --- output ---------------------------------------------------------------------------------------


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if math.isinf(value):
        return "∞"
    return f"{value:.1f}"


def _render(cli: Cli, found: CapacityPlan, summary: DaySummary | None) -> RenderableType:
    goal = (
        cli.tr("plan.goal.mean", target=_target_text(found.target.wait_minutes))
        if found.target.level is None
        else cli.tr(
            "plan.goal.level",
            target=_target_text(found.target.wait_minutes),
            level=f"{found.target.level * 100:g}",
        )
    )
    title = cli.tr("plan.title", profile=found.profile, visitors=found.visitors, goal=goal)
    main = Table(title=f"{title} · {found.weekday}", box=box.SIMPLE_HEAD, title_justify="left")
    main.add_column(cli.tr("plan.col.agency"), no_wrap=True)
    # Cells never wrap (widths fit the figures); long headers wrap instead.
    for key, width in (
        ("plan.col.peak", 6),
        ("plan.col.arrivals", 8),
        ("plan.col.service", 7),
        ("plan.col.counters", 8),
        ("plan.col.wait", 7),
        ("plan.col.p_wait", 9),
        ("plan.col.level", 6),
        ("plan.col.sim_wait", 11),
    ):
        main.add_column(cli.tr(key), justify="right", min_width=width)
    simulated = {a.agency: a for a in summary.agencies} if summary else {}
    for a in found.agencies:
        main.add_row(*_agency_row(cli, a, simulated.get(a.code)))
    have = sum(a.counters_now for a in found.agencies)
    lines: list[RenderableType] = [
        main,
        cli.tr("plan.total", n=found.total, have=have),
        _hours_table(cli, found),
        cli.tr("plan.method"),
    ]
    if summary is None:
        lines.append(cli.tr("plan.sim_skipped"))
    else:
        lines.append(
            cli.tr(
                "plan.simulated",
                day=summary.day.isoformat(),
                seed=summary.seed,
                seconds=f"{summary.wall_s:.0f}",
            )
        )
    return Group(*lines)


def _agency_row(cli: Cli, a: AgencyPlan, sim: AgencyDay | None) -> list[str]:
    peak = a.peak
    counters = f"{max(a.counters, 1 if a.visits > 0 else 0)} ({a.counters_now})"
    simulated = "—"
    if sim is not None and sim.wait_avg_s is not None:
        p90 = sim.wait_p90_s / 60 if sim.wait_p90_s is not None else None
        simulated = f"{_minutes(sim.wait_avg_s / 60)} / {_minutes(p90)}"
    if peak is None:
        return [a.name, "—", "0", "—", counters, "—", "—", "—", simulated]
    mean = peak.mean_wait_minutes
    return [
        a.name,
        f"{peak.hour:02d}:00",
        f"{peak.arrivals:.1f}",
        f"{peak.holding_minutes:.1f}",
        counters,
        cli.tr("plan.unstable") if math.isinf(mean) else _minutes(mean),
        f"{peak.p_wait * 100:.0f}%",
        f"{peak.within_target * 100:.0f}%",
        simulated,
    ]


def _hours_table(cli: Cli, found: CapacityPlan) -> Table:
    hours = sorted({h.hour for a in found.agencies for h in a.hours})
    table = Table(title=cli.tr("plan.col.hours"), box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column(cli.tr("plan.col.agency"))
    for hour in hours:
        table.add_column(f"{hour:02d}", justify="right")
    for a in found.agencies:
        per_hour = {h.hour: h.counters for h in a.hours}
        table.add_row(a.name, *(str(per_hour.get(hour, 0)) for hour in hours))
    return table


def _target_text(minutes: float) -> str:
    whole = round(minutes * 60)
    if whole % 60:
        return f"{whole // 60} min {whole % 60} s" if whole >= 60 else f"{whole} s"
    return f"{whole // 60} min"


def _payload(found: CapacityPlan, summary: DaySummary | None) -> dict[str, Any]:
    simulated = {a.agency: a for a in summary.agencies} if summary else {}
    recommended = found.counters_per_agency()
    agencies = []
    for a in found.agencies:
        peak = a.peak
        sim = simulated.get(a.code)
        agencies.append(
            {
                "code": a.code,
                "name": a.name,
                "counters": recommended[a.code],
                "counters_now": a.counters_now,
                "visits": round(a.visits, 1),
                "turned_away": round(a.turned_away, 1),
                "peak_hour": peak.hour if peak else None,
                "peak_arrivals": round(peak.arrivals, 2) if peak else None,
                "holding_minutes": round(peak.holding_minutes, 2) if peak else None,
                "mean_wait_minutes": _finite(peak.mean_wait_minutes) if peak else None,
                "p_wait": round(peak.p_wait, 4) if peak else None,
                "within_target": round(peak.within_target, 4) if peak else None,
                "counters_by_hour": {f"{h.hour:02d}": h.counters for h in a.hours},
                "simulated": None
                if sim is None
                else {
                    "visitors": sim.visitors,
                    "counters": sim.counters,
                    "wait_avg_seconds": sim.wait_avg_s,
                    "wait_p90_seconds": sim.wait_p90_s,
                    "utilisation": sim.utilisation,
                },
            }
        )
    return {
        "profile": found.profile,
        "hall": found.hall,
        "weekday": found.weekday,
        "visitors": found.visitors,
        "target": {"wait_minutes": found.target.wait_minutes, "level": found.target.level},
        "total": found.total,
        "simulated_day": summary.day.isoformat() if summary else None,
        "agencies": agencies,
    }


def _finite(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None
