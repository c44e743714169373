"""`mpp plan` and mpp_tui.sim.plan: the hourly Erlang C plan of a tiny hall worked out by hand,
quotas and transfers in the load, monotone recommendations, the CLI's output side by side with a
simulated day, and its refusals.

The tiny hall (written to tmp_path) has one agency with one service open 08:00–10:00 on weekdays,
standard time 4 minutes. Its profile brings 240 visitors over the two hours (weights 1 and 1),
with no walking, no late visitors, no no-shows and no transfers, and a service time of half the
standard: so each hour has λ = 120/h = 2/min and μ = 1/2 min = 0.5/min, a = 4 erlangs, the
case of tests/sim/test_erlang.py: 5 counters wait 1.108 min on average (P(wait) = 0.5541),
6 counters 0.285 min.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from mpp_tui.cli.main import app
from mpp_tui.domain.errors import NotFound
from mpp_tui.sim.erlang import mean_wait
from mpp_tui.sim.plan import Target, counters_now, plan_capacity
from mpp_tui.sim.profile import Profile, read_profile

runner = CliRunner()

SEED = """
[hall]
code = "MINI"
name = "MPP Mini"
short_name = "Mini"
timezone = "Asia/Jakarta"
[hall.hours]
mon = ["08:00-10:00"]
tue = ["08:00-10:00"]
wed = ["08:00-10:00"]
thu = ["08:00-10:00"]
fri = ["08:00-10:00"]

[[priority_categories]]
code = "lansia"
name = "Lansia"

[[outcomes]]
code = "selesai"
name = "Selesai"

[[agencies]]
code = "CAPIL"
name = "Dinas Kependudukan"
short_name = "Capil"
{quota}
  [[agencies.services]]
  code = "KTP"
  name = "KTP"
  prefix = "A"
  max_minutes = 4

[[agencies]]
code = "PAJAK"
name = "Kantor Pajak"
short_name = "Pajak"

  [[agencies.services]]
  code = "NPWP"
  name = "NPWP"
  prefix = "B"
  max_minutes = 10

[[counters]]
code = "L01"
name = "Loket 1"
agency = "CAPIL"
services = ["KTP"]

[[counters]]
code = "L02"
name = "Loket 2"
services = ["NPWP"]
"""

PROFILE = """
[simulation]
name = "Mini"
seed_file = "mini.toml"
visitors = 240
priority_share = 0
no_show_rate = 0
late_share = 0
transfer_rate = {transfer}
walk_seconds = [0, 0]
service_time_ratio = 0.5
service_time_cv = 0.5
overtime_minutes = 60
priority = {{ lansia = 1 }}
outcomes = {{ selesai = 1 }}

[simulation.arrivals_by_hour]
"08" = 1
"09" = 1

[simulation.pauses]
per_officer = 0

[[simulation.agencies]]
code = "CAPIL"
share = {capil}

[[simulation.agencies]]
code = "PAJAK"
share = {pajak}
"""


def mini(
    tmp_path: Path, *, quota: int | None = None, transfer: float = 0.0, pajak: float = 0.0
) -> Path:
    """Write the tiny hall and its profile; return the profile's path."""
    seed = SEED.format(quota=f"daily_quota = {quota}" if quota else "")
    (tmp_path / "mini.toml").write_text(seed, encoding="utf-8")
    path = tmp_path / "mini-sim.toml"
    capil = 1.0 if pajak == 0 else 1 - pajak
    path.write_text(PROFILE.format(transfer=transfer, capil=capil, pajak=pajak), encoding="utf-8")
    return path


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return read_profile(mini(tmp_path))


def test_the_hand_worked_hour(profile: Profile) -> None:
    """λ = 2/min, μ = 0.5/min each hour: a 72-second (1.2 min) average needs 5 counters with
    Wq = 1.108 min and P(wait) = 0.5541; a 1-minute average needs 6 (Wq = 0.285 min)."""
    plan = plan_capacity(profile, target=Target(1.2))
    capil = plan.agency("CAPIL")
    assert [h.hour for h in capil.hours] == [8, 9]
    for hour in capil.hours:
        assert hour.arrivals == pytest.approx(120.0)
        assert hour.holding_minutes == pytest.approx(2.0)
        assert hour.counters == 5
        assert hour.mean_wait_minutes == pytest.approx(1.108225, abs=1e-6)
        assert hour.p_wait == pytest.approx(0.554113, abs=1e-6)
    assert capil.counters == 5
    assert plan.agency("PAJAK").counters == 0  # no share, no visitors
    assert plan.counters_per_agency() == {"CAPIL": 5, "PAJAK": 0}
    assert plan_capacity(profile, target=Target(1.0)).agency("CAPIL").counters == 6
    # 80 % within one minute: 5 counters serve 66.4 %, 6 serve 89.5 % (test_erlang).
    assert plan_capacity(profile, target=Target(1.0, 0.8)).agency("CAPIL").counters == 6


def test_quota_turns_the_rest_away(tmp_path: Path) -> None:
    """With a daily quota of 150, the first hour brings 120 and the second only 30."""
    plan = plan_capacity(read_profile(mini(tmp_path, quota=150)), target=Target(1.2))
    capil = plan.agency("CAPIL")
    assert [round(h.arrivals, 6) for h in capil.hours] == [120.0, 30.0]
    assert capil.turned_away == pytest.approx(90.0)
    # a = 1 erlang: one counter never clears; two wait C/(2μ − λ) = 0.3333/0.5 = 0.667 min.
    assert capil.hours[1].counters == 2


def test_transfers_arrive_at_the_other_agency(tmp_path: Path) -> None:
    """10 % of Capil's visits are sent on to Pajak's only service, where they hold a counter
    for half of NPWP's 10-minute standard."""
    plan = plan_capacity(read_profile(mini(tmp_path, transfer=0.1)), target=Target(5))
    pajak = plan.agency("PAJAK")
    assert [round(h.arrivals, 6) for h in pajak.hours] == [12.0, 12.0]
    assert pajak.hours[0].holding_minutes == pytest.approx(5.0)


def test_agency_filter_and_unknown_agency(profile: Profile) -> None:
    """--agency keeps one agency; an unknown one is refused naming the known codes."""
    plan = plan_capacity(profile, target=Target(15), agency="pajak")
    assert [a.code for a in plan.agencies] == ["PAJAK"]
    with pytest.raises(NotFound) as refused:
        plan_capacity(profile, target=Target(15), agency="POLISI")
    assert "POLISI" in refused.value.message("en")
    assert "CAPIL, PAJAK" in refused.value.message("en")


def test_shared_counters_count_for_their_main_agency(tmp_path: Path) -> None:
    """A counter without an agency counts for the agency of most of its services (the tiny
    hall's L02 for Pajak; Kotim's 18 counters all belong somewhere)."""
    assert counters_now(read_profile(mini(tmp_path)).seed) == {"CAPIL": 1, "PAJAK": 1}
    kotim = read_profile("kotim")
    now = counters_now(kotim.seed)
    assert sum(now.values()) == len(kotim.seed.counters)


def test_every_kotim_hour_meets_the_target_and_one_fewer_would_not() -> None:
    """On the Kotim profile, each agency-hour's count is the smallest meeting a 15-minute
    average."""
    plan = plan_capacity(read_profile("kotim"), target=Target(15))
    assert plan.weekday in ("tue", "thu")  # Imigrasi opens only then: the busiest weekdays
    checked = 0
    for agency in plan.agencies:
        for hour in agency.hours:
            lam, mu = hour.arrivals / 60, 1 / hour.holding_minutes
            assert mean_wait(hour.counters, lam, mu) <= 15
            assert hour.counters == 1 or mean_wait(hour.counters - 1, lam, mu) > 15
            checked += 1
    assert checked > 50


@settings(max_examples=25, deadline=None)
@given(visitors=st.integers(10, 5000), more=st.integers(0, 5000), target=st.floats(0.5, 60))
def test_more_visitors_never_need_fewer_counters(visitors: int, more: int, target: float) -> None:
    """Recommendations grow with the visitors and shrink as the target loosens.

    Found by this test: an agency whose daily quota turns visitors away is exempt from the first
    rule. With more visitors its quota fills at another hour, so the hourly peak it serves can
    be lower (Imigrasi at 3,675 and 4,382 visitors: 8 and 7 counters)."""
    kotim = read_profile("kotim")
    base = plan_capacity(kotim, target=Target(target), visitors=visitors, weekday="tue")
    busier = plan_capacity(kotim, target=Target(target), visitors=visitors + more, weekday="tue")
    looser = plan_capacity(kotim, target=Target(target * 2), visitors=visitors, weekday="tue")
    for a in base.agencies:
        if busier.agency(a.code).turned_away == 0:
            assert a.counters <= busier.agency(a.code).counters
        assert looser.agency(a.code).counters <= a.counters


# --- the CLI --------------------------------------------------------------------------------------


def mpp(*args: str) -> Result:
    result = runner.invoke(app, list(args), env={"COLUMNS": "220"})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def test_cli_json_without_simulation(tmp_path: Path) -> None:
    """The analytic part alone, as JSON."""
    path = mini(tmp_path)
    result = mpp("plan", "--profile", str(path), "--target-wait", "72s", "--no-simulate", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    capil = next(a for a in data["agencies"] if a["code"] == "CAPIL")
    assert capil["counters"] == 5
    assert capil["counters_by_hour"] == {"08": 5, "09": 5}
    assert capil["mean_wait_minutes"] == pytest.approx(1.108, abs=1e-3)
    assert capil["simulated"] is None
    assert data["target"] == {"wait_minutes": 1.2, "level": None}


@pytest.mark.slow
def test_cli_prints_theory_beside_a_simulated_day(tmp_path: Path) -> None:
    """With the simulation check, the table shows the recommended counters, the predicted
    average wait and the simulated average and P90 of a day played with them."""
    path = mini(tmp_path, pajak=0.2)
    result = mpp("--lang", "en", "plan", "--profile", str(path), "--target-wait", "5m", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    capil = next(a for a in data["agencies"] if a["code"] == "CAPIL")
    assert capil["simulated"]["counters"] == capil["counters"]
    assert capil["simulated"]["visitors"] > 100
    assert capil["simulated"]["wait_avg_seconds"] is not None
    text = mpp("--lang", "en", "plan", "--profile", str(path), "--target-wait", "5m")
    assert text.exit_code == 0, text.output
    assert "Simulated: avg / P90" in text.stdout
    assert "Simulation: one day" in text.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--visitors", "-5"], "--visitors"),
        (["--visitors", "0"], "--visitors"),
        (["--target-wait", "15x"], "15x"),
        (["--target-wait", "0m"], "--target-wait"),
        (["--target-wait", "9h"], "--target-wait"),
        (["--level", "1.5"], "--level"),
        (["--weekday", "someday"], "--weekday"),
        (["--agency", "POLISI"], "POLISI"),
    ],
)
def test_cli_refuses_bad_input(args: list[str], needle: str) -> None:
    """One line naming what is wrong, exit 1, nothing on stdout."""
    result = mpp("--lang", "en", "plan", "--no-simulate", *args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]


def test_cli_unknown_profile_is_refused() -> None:
    """A profile file that does not exist is named, with the built-in profiles."""
    result = mpp("--lang", "en", "plan", "--profile", "/nonexistent/x.toml", "--no-simulate")
    assert result.exit_code == 1
    assert "/nonexistent/x.toml" in result.stderr
    assert result.stdout == ""
