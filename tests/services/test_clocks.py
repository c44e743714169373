"""Clocks: queue order never depends on a PC's clock; the business date follows WIB, not UTC;
`mpp doctor` reports the skew between this PC and the database server (both backends)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import Engine
from typer.testing import CliRunner

from mpp_tui.cli.admin import SKEW_WARN_S, _clock_check
from mpp_tui.cli.context import Cli
from mpp_tui.cli.main import app
from mpp_tui.config import Settings
from mpp_tui.domain.clock import FrozenClock, business_date
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers

from .helpers import ticket_row, wib


def test_call_order_follows_issue_order_not_the_kiosks_clocks(
    engine: Engine, clock: FrozenClock, officers: Officers
) -> None:
    """Two kiosks whose clocks are 7 minutes behind and 6 minutes ahead of the counter's
    issue KTP tickets in turn: the counter calls them exactly in issue order, though their
    `issued_at` stamps zigzag."""
    behind = Hall(engine, clock=FrozenClock(clock.now() - timedelta(minutes=7)))
    ahead = Hall(engine, clock=FrozenClock(clock.now() + timedelta(minutes=6)))
    counter = Hall(engine, clock=clock)
    issued = []
    for i in range(6):
        kiosk = (ahead, behind)[i % 2]
        issued.append(kiosk.issuing.issue_ticket(service="KTP").ticket)
        kiosk.clock.advance(seconds=20)  # type: ignore[attr-defined]
    stamps = [t.issued_at for t in issued]
    assert stamps != sorted(stamps)  # the clocks disagree…
    counter.sessions.open_counter(counter="L01", officer="budi")
    called = []
    for _ in issued:
        called.append(counter.calls.call_next(counter="L01", officer="budi").code)
        counter.calls.finish(counter="L01", officer="budi")
    assert called == [t.code for t in issued]  # …the queue does not
    assert called == [f"A-{n:03d}" for n in range(1, 7)]


def test_a_day_crossing_midnight_utc_is_one_wib_day(
    engine: Engine, clock: FrozenClock, officers: Officers
) -> None:
    """Monday 06:30 WIB is Sunday 23:30 UTC and Monday 07:30 WIB is Monday 00:30 UTC: both
    tickets belong to Monday's business day and number on (A-001, A-002). (Issued with a
    supervisor's override: the hall is closed at those hours.)"""
    queue = Hall(engine, clock=clock)
    clock.set(wib(2026, 11, 30, 6, 30))
    assert clock.now().date() == date(2026, 11, 29)  # still Sunday in UTC
    first = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    clock.set(wib(2026, 11, 30, 7, 30))
    assert clock.now().date() == date(2026, 11, 30)
    second = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    assert (first.business_date, second.business_date) == (date(2026, 11, 30),) * 2
    assert (first.code, second.code) == ("A-001", "A-002")


def test_a_ticket_at_2359_wib_belongs_to_its_day(
    engine: Engine, clock: FrozenClock, officers: Officers
) -> None:
    """A ticket issued at 23:59:59 WIB is that day's; one at 00:00:00 the next day starts the
    next day's numbering; the stored UTC stamps are exact instants."""
    queue = Hall(engine, clock=clock)
    clock.set(wib(2026, 11, 30, 23, 59, 59))
    late = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    clock.set(wib(2026, 12, 1, 0, 0, 0))
    early = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    assert (late.business_date, late.code) == (date(2026, 11, 30), "A-001")
    assert (early.business_date, early.code) == (date(2026, 12, 1), "A-001")
    assert ticket_row(engine, late.id).issued_at == wib(2026, 11, 30, 23, 59, 59)
    assert early.issued_at - late.issued_at == timedelta(seconds=1)
    assert business_date(late.issued_at, "Asia/Jakarta") == date(2026, 11, 30)
    assert business_date(late.issued_at, "UTC") == date(2026, 11, 30)
    assert business_date(early.issued_at, "UTC") == date(2026, 11, 30)  # UTC would mix days


def test_doctor_reports_the_clock(db_url: str) -> None:
    """doctor's `clock` line: on PostgreSQL the measured skew against the server (this PC's
    clock is the server's here, so well inside the warning limit); on SQLite that there is no
    server to compare with."""
    result = CliRunner().invoke(app, ["--db", db_url, "--lang", "en", "doctor", "--json"])
    assert result.exit_code == 0, result.output
    clock = next(c for c in json.loads(result.stdout)["checks"] if c["name"] == "clock")
    assert clock["level"] == "ok"
    if db_url.startswith("postgresql"):
        assert clock["detail"].startswith("this PC − server = ")
        skew = float(clock["detail"].split("= ")[1].split(" s")[0])
        assert abs(skew) < SKEW_WARN_S
        assert f"±{SKEW_WARN_S:g} s" in clock["detail"]
    else:
        assert clock["detail"].startswith("SQLite has no server")


def test_the_skew_warning_threshold() -> None:
    """Above SKEW_WARN_S (5 s) either way the clock line is a warning naming NTP; at or below,
    fine; without a server (SQLite), said so."""
    cli = Cli(Settings(lang="en"))
    assert SKEW_WARN_S == 5.0
    assert _clock_check(cli, 5.0)[1] == "ok"
    for skew in (5.01, -7.5, 300.0):
        name, level, detail = _clock_check(cli, skew)
        assert (name, level) == ("clock", "warn")
        assert "NTP" in detail
        assert f"{skew:+.2f}" in detail
    assert _clock_check(cli, None)[2].startswith("SQLite has no server")
