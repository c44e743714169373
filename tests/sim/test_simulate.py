"""The simulated day (`mpp simulate`, `run_day`): reproducible, sound, and agreeing with reports.

Each run plays a small day (a few dozen visitors) of MPP Kotim with robot officers as real
processes, on both backends, so that the whole path (kiosk, robots, coordinator, database) is
exercised as `mpp simulate` runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from mpp_tui.cli.main import app
from mpp_tui.db.engine import make_engine
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.tables import COUNTER, TICKET, TICKET_EVENT
from mpp_tui.services.facade import Hall
from mpp_tui.sim import DayProgress, DaySummary, read_profile, run_day

MONDAY = date(2026, 11, 30)
SMALL = 36  # visitors: big enough for queues, transfers and no-shows, small enough to be quick


@pytest.fixture(scope="module")
def small_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MPP Kotim's profile with fewer visitors and busier rates, so each mechanism shows up."""
    source = read_profile("kotim").path
    text = source.read_text(encoding="utf-8")
    text = text.replace("visitors = 320", f"visitors = {SMALL}")
    text = text.replace("no_show_rate = 0.05", "no_show_rate = 0.15")
    text = text.replace("transfer_rate = 0.04", "transfer_rate = 0.15")
    text = text.replace('seed_file = "kotim.toml"', f'seed_file = "{source.parent / "kotim.toml"}"')
    path = tmp_path_factory.mktemp("profile") / "small.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _fates(engine: Engine, day: date) -> list[tuple[str, str, str, str | None, str | None]]:
    """(code, service, status, outcome, priority) of every ticket of the day, sorted."""
    from mpp_tui.db.tables import SERVICE

    with engine.connect() as conn:
        rows = conn.execute(
            select(
                TICKET.c.code, SERVICE.c.code, TICKET.c.status, TICKET.c.outcome, TICKET.c.priority
            )
            .join(SERVICE, SERVICE.c.id == TICKET.c.service_id)
            .where(TICKET.c.business_date == day)
        ).all()
    return sorted(tuple(r) for r in rows)  # type: ignore[misc]


def test_same_seed_gives_the_same_sound_day(
    db_url: str, other_url: str, small_profile: Path
) -> None:
    """Seed 7 twice, robots as processes then as threads, on two fresh databases.

    Reproducible means: the same tickets (numbers, services, priorities) with the same fates
    (status and outcome) and the same counts per agency. Which counter served whom, and so
    the waits, may differ with the robots' timing. Both days keep every invariant, and the
    report read from each database agrees with that run's own summary.
    """
    first = run_day(db_url, small_profile, seed=7, day=MONDAY)
    second = run_day(other_url, small_profile, seed=7, day=MONDAY, counters_as="threads")
    _assert_sound_and_reported(db_url, first)
    _assert_sound_and_reported(other_url, second)
    a, b = make_engine(db_url), make_engine(other_url)
    try:
        fates_a, fates_b = _fates(a, MONDAY), _fates(b, MONDAY)
    finally:
        a.dispose()
        b.dispose()
    assert fates_a == fates_b
    assert len(fates_a) >= SMALL // 2
    statuses = {f[2] for f in fates_a}
    assert "done" in statuses
    assert {"no_show", "transferred"} <= statuses  # the busier rates show up
    for x, y in zip(first.agencies, second.agencies, strict=True):
        assert (x.visitors, x.served, x.no_shows, x.transferred, x.turned_away) == (
            y.visitors,
            y.served,
            y.no_shows,
            y.transferred,
            y.turned_away,
        )


def test_another_seed_plans_another_day() -> None:
    """The seed matters: seed 8's visitors are not seed 7's (the plan is pure, no database)."""
    from zoneinfo import ZoneInfo

    from mpp_tui.domain.rules import parse_schedule
    from mpp_tui.sim.script import HallInfo, ServiceInfo, plan_arrivals

    profile = read_profile("kotim")
    services = {
        s.code: ServiceInfo(
            s.code,
            a.code,
            s.max_minutes,
            parse_schedule(s.hours or a.hours or profile.seed.hall.hours),
        )
        for a in profile.seed.agencies
        for s in a.services
    }
    hall = HallInfo(ZoneInfo("Asia/Jakarta"), services, ("lansia", "anak"), 2)
    seven = plan_arrivals(profile.spec, hall, MONDAY, 7, "mon")
    again = plan_arrivals(profile.spec, hall, MONDAY, 7, "mon")
    eight = plan_arrivals(profile.spec, hall, MONDAY, 8, "mon")
    assert seven == again
    assert seven != eight
    assert 250 <= len(seven) <= 400  # about the profile's 320 visitors
    hours = [a.at.astimezone(hall.tz).hour for a in seven]
    assert max(set(hours), key=hours.count) in (8, 9, 10)  # the morning peak


def _assert_sound_and_reported(db_url: str, summary: DaySummary) -> None:
    """Every invariant holds, and `mpp report` reads the simulator's own figures back."""
    engine = make_engine(db_url)
    try:
        assert find_violations(engine, days=[MONDAY], day_over=True) == []
        with engine.connect() as conn:
            open_counters = conn.execute(
                select(COUNTER.c.code).where(COUNTER.c.state != "closed")
            ).all()
            events = conn.execute(select(TICKET_EVENT.c.at)).scalars().all()
        assert open_counters == []
        # Every stamp is a simulated time of the day (08:00-17:00 WIB is 01:00-10:00 UTC).
        assert all(e.date() == MONDAY and 0 <= e.hour < 10 for e in events)
        report = Hall(engine).reports.report(start=MONDAY, end=MONDAY, by="agency")
    finally:
        engine.dispose()
    rows = {r.key: r.figures for r in report.rows}
    assert summary.total.visitors == report.total.visitors > 0
    assert summary.total.served == report.total.served
    assert summary.total.no_shows == report.total.no_shows
    assert summary.total.transferred == report.total.transferred
    for agency in summary.agencies:
        if not (agency.visitors or agency.transferred_in):
            continue
        figures = rows[agency.agency]
        assert (agency.visitors, agency.served, agency.transferred_in) == (
            figures.visitors,
            figures.served,
            figures.transferred_in,
        ), agency.agency
        assert agency.wait_avg_s == pytest.approx(figures.wait_avg_seconds), agency.agency
        assert agency.wait_p90_s == pytest.approx(figures.wait_p90_seconds), agency.agency


@pytest.fixture
def other_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh database on the same backend as `db_url` (from the same template),
    dropped afterwards."""
    from tests.conftest import fresh_sqlite_url, pg_exec, pg_url_for

    if db_url.startswith("sqlite"):
        yield fresh_sqlite_url(Path(db_url.split(":///", 1)[1]), tmp_path)
        return
    source = db_url.rsplit("/", 1)[1]
    name = source + "_b"
    pg_exec(f"CREATE DATABASE {name} TEMPLATE {source}")
    yield pg_url_for(name)
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--speed", "fast"], "--speed"),
        (["--speed", "0"], "--speed"),
        (["--counters-as", "fibres"], "--counters-as"),
        (["--date", "30-11-2026"], "30-11-2026"),
        (["--profile", "nowhere.toml"], "nowhere.toml"),
    ],
)
def test_bad_options_give_one_clear_message(db_url: str, args: list[str], needle: str) -> None:
    """Bad options: exit 1, one message naming the option, nothing written."""
    result = CliRunner().invoke(app, ["--db", db_url, "--lang", "en", "simulate", *args])
    assert result.exit_code == 1, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(select(TICKET.c.id)).first() is None
    finally:
        engine.dispose()


def test_bad_profile_names_file_line_and_field(tmp_path: Path, small_profile: Path) -> None:
    """A profile with a wrong value and an unknown agency: both named with their line."""
    text = small_profile.read_text(encoding="utf-8")
    text = text.replace(f"visitors = {SMALL}", "visitors = -3")
    text = text.replace('code = "PLN"', 'code = "PLNX"')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    visitors_line = next(i for i, line in enumerate(lines, 1) if line.startswith("visitors ="))
    result = CliRunner().invoke(app, ["--lang", "en", "simulate", "--profile", str(bad)])
    assert result.exit_code == 1
    assert "Invalid simulation profile" in result.output
    assert f"bad.toml:{visitors_line}: simulation.visitors:" in result.output
    assert "Traceback" not in result.output
    fixed = text.replace("visitors = -3", "visitors = 10")
    bad.write_text(fixed, encoding="utf-8")
    result = CliRunner().invoke(app, ["--lang", "en", "simulate", "--profile", str(bad)])
    assert result.exit_code == 1
    agency_line = next(i for i, line in enumerate(fixed.splitlines(), 1) if '"PLNX"' in line)
    assert f"bad.toml:{agency_line}: simulation.agencies[PLNX].code: unknown agency" in (
        result.output
    )


def test_cli_runs_a_day_and_prints_the_summary(db_url: str, small_profile: Path) -> None:
    """`mpp simulate --json` plays the day and its figures match the database."""
    result = CliRunner().invoke(
        app,
        [
            "--db",
            db_url,
            "simulate",
            "--profile",
            str(small_profile),
            "--seed",
            "2",
            "--date",
            MONDAY.isoformat(),
            "--counters-as",
            "threads",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert data["ok"] is True
    assert data["date"] == MONDAY.isoformat()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            issued = conn.execute(select(TICKET.c.id).where(TICKET.c.parent_id.is_(None))).all()
    finally:
        engine.dispose()
    assert data["total"]["visitors"] == len(issued) > 0


def test_a_live_speed_publishes_the_days_clock_while_it_plays(
    db_url: str, small_profile: Path
) -> None:
    """At a live speed the simulated clock is published for the screens watching the day (they
    would otherwise measure 09:00 tickets against the real afternoon) and withdrawn at the end;
    at --speed max nothing is published."""
    from mpp_tui.domain.clock import ScaledClock, SystemClock
    from mpp_tui.services.simclock import watching_clock

    engine = make_engine(db_url)
    seen: list[object] = []

    def progress(at: DayProgress) -> None:
        clock = watching_clock(engine, None, SystemClock())
        seen.append(clock)
        if isinstance(clock, ScaledClock) and len(seen) == 1:
            # Anchored where the day starts (officers sign in 5 minutes before the doors
            # open), running at the simulation's speed.
            assert clock.sim_anchor == at.now - timedelta(minutes=5)
            assert clock.speed == 20_000

    try:
        run_day(
            db_url,
            small_profile,
            seed=5,
            day=MONDAY,
            speed=20_000,
            counters_as="threads",
            progress=progress,
        )
        assert seen
        assert all(clock is not None for clock in seen)
        assert watching_clock(engine, None, SystemClock()) is None
    finally:
        engine.dispose()
