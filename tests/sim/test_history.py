"""`mpp simulate history` and mpp_tui.sim.history on both backends: reports read the generated
days exactly as the rows say, the same seed gives the same days, days with tickets are never
touched, and bad options get one clear line.

The CLI reads the real clock: history ends yesterday (or before the hall's first ticket), so the
tests read back whatever dates were written rather than fixed ones.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import typer
import typer.main
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner, Result

from mpp_tui.cli.main import MppGroup, root
from mpp_tui.cli.simulate_history import history
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.tables import COUNTER, DAY_CLOSE, NUMBER_COUNTER, TICKET, TICKET_EVENT
from mpp_tui.domain.errors import Conflict
from mpp_tui.services.facade import Hall
from mpp_tui.sim import history as hist

runner = CliRunner()


def _app() -> tuple[typer.Typer, list[str]]:
    """`mpp simulate history` once it is registered; until then the same function under a
    local app built like `mpp` (same root callback, same error handling)."""
    from mpp_tui.cli.main import app

    group = typer.main.get_command(app)
    simulate = getattr(group, "commands", {}).get("simulate")
    if "history" in getattr(simulate, "commands", {}):
        return app, ["simulate", "history"]
    local = typer.Typer(cls=MppGroup, add_completion=False, pretty_exceptions_enable=False)
    local.callback()(root)
    local.command("history")(history)
    local.command("version")(lambda: None)  # two commands keep `history` a subcommand
    return local, ["history"]


def mpp_history(url: str, *args: str) -> Result:
    app, path = _app()
    result = runner.invoke(app, ["--db", url, *path, *args], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def _written(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    return data  # type: ignore[no-any-return]


def _seconds(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds())


def test_reports_agree_with_the_rows(db_url: str, engine: Engine) -> None:
    """A week of history: every figure of the report equals a count read straight from the
    ticket and event rows, each day carries its numbers and its close like a real one, and the
    invariant checker finds nothing wrong."""
    data = _written(mpp_history(db_url, "--years", "0.02", "--per-day", "60", "--json"))
    assert data["days"] >= 3
    first, last = date.fromisoformat(data["first"]), date.fromisoformat(data["last"])
    with engine.connect() as conn:
        tickets = conn.execute(select(TICKET)).all()
        events = conn.execute(select(TICKET_EVENT).order_by(TICKET_EVENT.c.id)).all()
        closes = {r.business_date: r.expired for r in conn.execute(select(DAY_CLOSE))}
        numbers = {
            (r.prefix, r.business_date): r.last_number for r in conn.execute(select(NUMBER_COUNTER))
        }
    assert len(tickets) == data["tickets"]
    assert len(events) == data["events"]
    kinds: dict[int, list[str]] = {}
    first_call: dict[int, datetime] = {}
    for e in events:
        kinds.setdefault(e.ticket_id, []).append(e.kind)
        if e.kind == "called":
            first_call.setdefault(e.ticket_id, e.at)
    voided = {t.id for t in tickets if "print_failed" in kinds[t.id]}
    roots = [t for t in tickets if t.parent_id is None and t.id not in voided]
    status = Counter(t.status for t in tickets if t.id not in voided)
    waits = [_seconds(t.issued_at, first_call[t.id]) for t in tickets if t.id in first_call]
    served = [_seconds(t.started_at, t.finished_at) for t in tickets if t.status == "done"]

    total = Hall(engine).reports.report(start=first, end=last).total
    assert total.visitors == len(roots) > 100
    assert total.transferred_in == sum(1 for t in tickets if t.parent_id is not None) > 0
    assert total.voided == len(voided)
    assert (total.served, total.no_shows, total.expired) == (
        status["done"],
        status["no_show"],
        status["expired"],
    )
    assert (total.cancelled, total.transferred, total.open) == (
        status["cancelled"],
        status["transferred"],
        0,
    )
    assert total.waited == len(waits)
    assert total.wait_avg_seconds == pytest.approx(sum(waits) / len(waits))
    assert total.service_avg_seconds == pytest.approx(sum(served) / len(served))
    assert total.priority_total == sum(1 for t in roots if t.priority is not None) > 0
    # Every event story starts where the services start it and ids follow time.
    assert all(k[0] in ("issued", "transferred_in") for k in kinds.values())
    assert [e.at for e in events] == sorted(e.at for e in events)
    # A real day's records: the close with its expired count, the running numbers.
    per_day = Counter(t.business_date for t in tickets if t.status == "expired")
    assert closes == {d: per_day.get(d, 0) for d in {t.business_date for t in tickets}}
    top: dict[tuple[str, date], int] = {}
    for t in tickets:
        key = (t.prefix, t.business_date)
        top[key] = max(top.get(key, 0), t.number)
    assert numbers == top
    # And every invariant a live day must keep holds in the generated ones.
    assert find_violations(engine, day_over=True) == []


def test_same_seed_same_days(db_url: str, engine: Engine, tmp_path: Any) -> None:
    """Two fills of identical hall data with one seed give identical days; another seed
    does not. (The second database is a generator run in memory against the same hall.)"""
    _written(mpp_history(db_url, "--years", "0.01", "--per-day", "40", "--seed", "7", "--json"))
    with engine.connect() as conn:
        written = [
            (t.business_date, t.code, t.service_id, t.status, t.issued_at, t.finished_at)
            for t in conn.execute(select(TICKET).order_by(TICKET.c.id))
        ]

    def regenerate(seed: int) -> list[tuple[Any, ...]]:
        rng = random.Random(seed)
        hall = hist.load_hall(engine, rng)
        days = sorted({w[0] for w in written})
        plan = hist.plan_days(hall, rng, end=days[-1], start=days[0], per_day=40)
        generator = hist.HistoryGenerator(hall, rng)
        rows = [r for p in plan for r in generator.day(p).tickets]
        return [(r[2], r[6], r[3], r[8], r[14], r[17]) for r in rows]

    assert regenerate(7) == written
    assert regenerate(8) != written


def test_history_goes_before_the_first_ticket(db_url: str, queue: Hall) -> None:
    """With a ticket on the hall's first day, history ends the day before it; a plan that
    names a day with tickets is refused whole (nothing written)."""
    issued = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    engine = queue.engine
    ticket_day = issued.business_date
    later = ticket_day + timedelta(days=30)
    assert hist.history_end(engine, today=later) == ticket_day - timedelta(days=1)
    assert hist.history_end(engine, today=ticket_day) == ticket_day - timedelta(days=1)

    rng = random.Random(1)
    hall = hist.load_hall(engine, rng)
    plan = [hist.DayPlan(ticket_day - timedelta(days=7), 20), hist.DayPlan(ticket_day, 20)]
    with pytest.raises(Conflict) as refused:
        hist.write_history(engine, hall, plan, rng)
    assert ticket_day.isoformat() in refused.value.message("en")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TICKET)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(DAY_CLOSE)).scalar_one() == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--years", "0", "--hall-size", "large"], "--years"),
        (["--years", "-1", "--hall-size", "large"], "--years"),
        (["--years", "80", "--hall-size", "large"], "--years"),
        (["--years", "1", "--hall-size", "huge"], "--hall-size"),
        (["--years", "1", "--per-day", "0", "--hall-size", "large"], "--per-day"),
    ],
)
def test_bad_options_are_refused(db_url: str, engine: Engine, args: list[str], needle: str) -> None:
    """One line naming the option, exit 1, nothing written and no counter added."""
    with engine.connect() as conn:
        counters = conn.execute(select(func.count()).select_from(COUNTER)).scalar_one()
    result = mpp_history(db_url, *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TICKET)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(COUNTER)).scalar_one() == counters


def test_years_must_be_a_number(db_url: str) -> None:
    """`--years 1y` is a usage error: exit 1 and the option named."""
    result = mpp_history(db_url, "--years", "1y")
    assert result.exit_code == 1
    assert "--years" in result.stderr


def test_large_hall_is_the_sixty_counter_profile(db_url: str, engine: Engine) -> None:
    """--hall-size large fills the hall of the `large` profile (MPP Besar, 60 counters),
    loading its reference data once; the configured hall (Kotim) is left alone."""
    result = mpp_history(db_url, "--years", "0.02", "--hall-size", "large", "--per-day", "30")
    assert result.exit_code == 0, result.output
    assert "BESAR" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Riwayat ditulis:")
    again = _written(
        mpp_history(db_url, "--years", "0.01", "--hall-size", "large", "--per-day", "30", "--json")
    )
    assert again["hall"] == "BESAR"
    assert again["counters_added"] == 0
    besar = Hall(engine, hall="BESAR")
    with engine.connect() as conn:
        active = (
            select(func.count())
            .select_from(COUNTER)
            .where(COUNTER.c.active, COUNTER.c.hall_id == besar.ref().hall_id)
        )
        assert conn.execute(active).scalar_one() == 60
        halls = conn.execute(select(TICKET.c.hall_id).distinct()).scalars().all()
    assert halls == [besar.ref().hall_id]
    assert hist.large_hall(engine) == ("BESAR", False)
