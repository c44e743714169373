"""`mpp simulate history`: fill the database with realistic past days, fast, for benchmarks."""

from __future__ import annotations

import math
import random
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mpp_tui.cli.context import JSON_OPTION, Cli, get_cli
from mpp_tui.domain.errors import InvalidInput
from mpp_tui.i18n import formats

if TYPE_CHECKING:
    from mpp_tui.services.context import ServiceContext
    from mpp_tui.sim.history import DayRows

MAX_YEARS = 50.0
MAX_PER_DAY = 100_000


def history(
    ctx: typer.Context,
    years: float = typer.Option(
        ..., "--years", help="How far back to fill, in years of business days (e.g. 0.5, 3)."
    ),
    hall_size: str = typer.Option(
        "kotim",
        "--hall-size",
        help="kotim: the configured hall as it is; large: the 60-counter hall of the `large` "
        "profile (data/large.toml), loaded into the database when missing.",
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same days."),
    per_day: int | None = typer.Option(
        None, "--per-day", help="Visitors on a full day (default: kotim 300, large 3000)."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write past business days of tickets and events, as real days leave them, in bulk.

    History always goes before the hall's first ticket (ending yesterday at the latest), so
    it never touches a day that has tickets; running it again extends it further back. Meant
    for a database that does not serve a hall: it locks the ticket tables while it writes.
    """
    from mpp_tui.sim import history as hist

    size = _hall_size(hall_size)
    span_days = _years(years)
    visitors = _per_day(per_day, hist.DEFAULT_PER_DAY[size])
    cli = get_cli(ctx, json_out)
    engine = cli.ready
    hall = cli.settings.hall
    added = 0
    if size == "large":
        hall, loaded = hist.large_hall(engine)
        if loaded and not cli.json:
            cli.out.print(cli.tr("sim.history.hall_loaded", hall=hall))
        added = hist.add_counters(engine, hist.LARGE_COUNTERS, hall=hall)
    if added and not cli.json:
        cli.out.print(cli.tr("sim.history.counters_added", n=added, total=hist.LARGE_COUNTERS))
    counters = len(
        [c for c in _ref_service(cli, hall).ref(fresh=True).counters.values() if c.active]
    )
    officers = hist.ensure_officers(engine, counters, hall=hall)
    if officers and not cli.json:
        cli.out.print(cli.tr("sim.history.officers_added", n=officers))
    rng = random.Random(seed)
    found = hist.load_hall(engine, rng, hall=hall)
    end = hist.history_end(engine, today=_ref_service(cli, hall).today(), hall=hall)
    start = end - timedelta(days=span_days - 1)
    plan = hist.plan_days(found, rng, end=end, start=start, per_day=visitors)
    if not plan:
        cli.emit(
            {"days": 0, "tickets": 0, "events": 0},
            cli.tr("sim.history.nothing", end=(end + timedelta(days=1)).isoformat()),
        )
        return
    started = time.perf_counter()
    with _progress(cli) as progress:
        task = progress.add_task(cli.tr("sim.history.progress"), total=len(plan), status="")
        written = [0]

        def advance(rows: DayRows) -> None:
            written[0] += len(rows.tickets)
            status = cli.tr("sim.history.status", day=rows.day.isoformat(), n=written[0])
            progress.update(task, advance=1, status=status)

        result = hist.write_history(engine, found, plan, rng, on_day=advance)
    seconds = time.perf_counter() - started
    cli.emit(
        {
            "days": result.days,
            "first": result.first.isoformat() if result.first else None,
            "last": result.last.isoformat() if result.last else None,
            "tickets": result.tickets,
            "events": result.events,
            "seconds": round(seconds, 1),
            "seed": seed,
            "hall": found_code(cli, hall),
            "counters_added": added,
            "officers_added": officers,
        },
        cli.tr(
            "sim.history.done",
            tickets=result.tickets,
            events=result.events,
            days=result.days,
            first=result.first.isoformat() if result.first else "—",
            last=result.last.isoformat() if result.last else "—",
            seconds=formats(cli.lang).decimal(seconds),
        ),
    )


def _hall_size(value: str) -> str:
    from mpp_tui.sim.history import HALL_SIZES

    clean = value.strip().lower()
    if clean not in HALL_SIZES:
        raise InvalidInput("sim.history.err.hall_size", value=value[:20])
    return clean


def _years(value: float) -> int:
    """Calendar days of `value` years (at least one day)."""
    if not math.isfinite(value) or value <= 0 or value > MAX_YEARS:
        raise InvalidInput("sim.history.err.years", value=value)
    return max(1, round(value * 365.25))


def _per_day(value: int | None, default: int) -> int:
    if value is None:
        return default
    if not 1 <= value <= MAX_PER_DAY:
        raise InvalidInput("sim.history.err.per_day", value=value)
    return value


def _ref_service(cli: Cli, hall: str | None) -> ServiceContext:
    from mpp_tui.services.context import ServiceContext

    return ServiceContext(cli.ready, hall=hall)


def found_code(cli: Cli, hall: str | None) -> str:
    """The code of the hall history was written for."""
    return _ref_service(cli, hall).ref().hall_code


def _progress(cli: Cli) -> Progress:
    """A progress bar on stderr (kept off stdout so --json stays one object)."""
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=cli.err,
        transient=False,
        disable=cli.json,
    )
