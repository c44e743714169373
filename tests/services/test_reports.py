"""Reports (`mpp report`) on both backends: every figure checked against hand arithmetic.

Two business days are played through Hall with the frozen clock (WIB = UTC+7):

Monday 30 November 2026 (counters L01 budi, L02 sari)

    T1 A-001 KTP          09:00 issued, 09:05 called L01, 09:06 start, 09:16 done
    T2 A-002 KK           09:01 issued, 09:17 called L01, recalled twice, 09:20 no-show
    T3 B-001 NIB          09:02 issued, 09:20 cancelled by spv while waiting
    T4 A-003 KTP lansia   09:03 issued, 09:21 called L01, 09:22 start, 09:30 transferred to KK
    T5 A-003 KK lansia    09:30 transfer child, 09:31 called L02, 09:40 done straight from call
    T6 A-004 AKTA_LAHIR   09:04 issued (ibu_hamil), 09:41 called L02, returned to the queue,
                          09:45 called again, 09:46 start, 09:50 done
    T7 A-005 KTP          09:50 issued (disabilitas), 10:00 called L01, 10:01 start, 10:20 done
    T8 A-006 KTP          10:05 issued, its print failed: voided by the kiosk at once
    T9 A-007 PINDAH       10:10 issued, never called; expired when Monday is closed

Tuesday 1 December 2026

    U1 A-001 KTP          06:45 issued (supervisor override) = Monday 23:45 UTC, but Tuesday's
                          business day; 08:00 called L01, 08:02 start, 08:10 done
    U2 A-002 KK           08:30 issued, still waiting when the reports are read (09:00)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, event

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import QueuePosition
from mpp_tui.domain.errors import InvalidInput, MppError, NotFound
from mpp_tui.domain.report_views import Figures, Report, ReportGroup, percentile
from mpp_tui.services.facade import Hall
from mpp_tui.services.reports import Reports

from .helpers import assert_readable, set_hall, wib

MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)
CATEGORIES = ("lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana")


@dataclass(frozen=True)
class Played:
    """Ticket ids of the played days."""

    t4: int
    t5: int
    u1: int


def _at(clock: FrozenClock, day: int, hour: int, minute: int) -> None:
    month = 11 if day == 30 else 12
    clock.set(wib(2026, month, day, hour, minute))


@pytest.fixture
def played(queue: Hall, clock: FrozenClock) -> Played:
    """Monday and Tuesday as in the module docstring; the clock ends Tuesday 09:00."""
    q = queue
    _at(clock, 30, 9, 0)
    q.sessions.open_counter(counter="L01", officer="budi")
    q.sessions.open_counter(counter="L02", officer="sari")
    t1 = q.issuing.issue_ticket(service="KTP").ticket.id
    _at(clock, 30, 9, 1)
    t2 = q.issuing.issue_ticket(service="KK").ticket.id
    _at(clock, 30, 9, 2)
    t3 = q.issuing.issue_ticket(service="NIB").ticket.id
    _at(clock, 30, 9, 3)
    t4 = q.issuing.issue_ticket(service="KTP", priority="lansia").ticket.id
    _at(clock, 30, 9, 4)
    t6 = q.issuing.issue_ticket(service="AKTA_LAHIR", priority="ibu_hamil").ticket.id

    _at(clock, 30, 9, 5)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t1)
    _at(clock, 30, 9, 6)
    q.calls.start(counter="L01", officer="budi")
    _at(clock, 30, 9, 16)
    q.calls.finish(counter="L01", officer="budi")
    _at(clock, 30, 9, 17)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t2)
    _at(clock, 30, 9, 18)
    q.calls.recall(counter="L01", officer="budi")
    _at(clock, 30, 9, 19)
    q.calls.recall(counter="L01", officer="budi")
    _at(clock, 30, 9, 20)
    q.calls.no_show(counter="L01", officer="budi")
    q.supervision.cancel(ticket=t3, officer="spv", reason="salah ambil")
    _at(clock, 30, 9, 21)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t4)
    _at(clock, 30, 9, 22)
    q.calls.start(counter="L01", officer="budi")
    _at(clock, 30, 9, 30)
    t5 = q.calls.transfer(counter="L01", officer="budi", service="KK").id
    _at(clock, 30, 9, 31)
    q.calls.call_ticket(counter="L02", officer="sari", ticket=t5)
    _at(clock, 30, 9, 40)
    q.calls.finish(counter="L02", officer="sari", outcome="berkas_tidak_lengkap", note="kurang KK")
    _at(clock, 30, 9, 41)
    q.calls.call_ticket(counter="L02", officer="sari", ticket=t6)
    q.calls.return_to_queue(counter="L02", officer="sari", position=QueuePosition.FIRST)
    _at(clock, 30, 9, 45)
    q.calls.call_ticket(counter="L02", officer="sari", ticket=t6)
    _at(clock, 30, 9, 46)
    q.calls.start(counter="L02", officer="sari")
    _at(clock, 30, 9, 50)
    q.calls.finish(counter="L02", officer="sari", outcome="informasi")
    t7 = q.issuing.issue_ticket(service="KTP", priority="disabilitas").ticket.id
    _at(clock, 30, 10, 0)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=t7)
    _at(clock, 30, 10, 1)
    q.calls.start(counter="L01", officer="budi")
    _at(clock, 30, 10, 5)
    t8 = q.issuing.issue_ticket(service="KTP").ticket.id
    q.issuing.void_unprinted(ticket_id=t8, reason="kertas habis")
    _at(clock, 30, 10, 10)
    q.issuing.issue_ticket(service="PINDAH")  # T9
    _at(clock, 30, 10, 20)
    q.calls.finish(counter="L01", officer="budi")

    _at(clock, 1, 6, 45)  # Monday 23:45 UTC
    u1 = q.issuing.issue_ticket(service="KTP", override_by="spv").ticket.id
    assert q.supervision.close_day(day=MONDAY) == 1  # T9 expires
    _at(clock, 1, 8, 0)
    q.calls.call_ticket(counter="L01", officer="budi", ticket=u1)
    _at(clock, 1, 8, 2)
    q.calls.start(counter="L01", officer="budi")
    _at(clock, 1, 8, 10)
    q.calls.finish(counter="L01", officer="budi")
    _at(clock, 1, 8, 30)
    q.issuing.issue_ticket(service="KK")  # U2
    _at(clock, 1, 9, 0)
    return Played(t4=t4, t5=t5, u1=u1)


@pytest.fixture
def reports(engine: Engine, clock: FrozenClock, played: Played) -> Reports:
    return Hall(engine, clock=clock).reports


def _rows(report: Report) -> dict[object, Figures]:
    return {row.key: row.figures for row in report.rows}


def _counts(f: Figures) -> tuple[int, ...]:
    """(visitors, transferred_in, served, no_shows, cancelled, transferred, expired, open,
    voided)"""
    return (
        f.visitors,
        f.transferred_in,
        f.served,
        f.no_shows,
        f.cancelled,
        f.transferred,
        f.expired,
        f.open,
        f.voided,
    )


# --- the whole Monday -----------------------------------------------------------------------------


def test_monday_total(reports: Reports) -> None:
    """Monday's total, every figure by hand (T1–T9)."""
    report = reports.report(start=MONDAY, end=MONDAY)
    total = report.total
    # New visitors: T1 T2 T3 T4 T6 T7 T9 = 7 (T5 is a transfer child, T8 a print failure).
    # Outcomes: served T1 T5 T6 T7 = 4; no-show T2; cancelled T3; transferred T4; expired T9.
    assert _counts(total) == (7, 1, 4, 1, 1, 1, 1, 0, 1)
    assert total.visits == 8 == 4 + 1 + 1 + 1 + 1  # every visit has exactly one outcome
    # Waits (issue → first call): T1 5 min, T2 16, T4 18, T5 1, T6 37 (first call 09:41, not
    # the second at 09:45), T7 10 → 300 + 960 + 1080 + 60 + 2220 + 600 = 5220 s over 6.
    assert total.waited == 6
    assert total.wait_avg_seconds == 5220 / 6 == 870
    # Sorted 60 300 600 960 1080 2220: rank (6 − 1) × 0.9 = 4.5 → 1080 + 0.5 × (2220 − 1080).
    assert total.wait_p90_seconds == pytest.approx(1650)
    # Service (start → finish) of served visits: T1 600, T5 540 (finished from the call),
    # T6 240, T7 1140 → 2520 s over 4; sorted 240 540 600 1140, rank 2.7 → 600 + 0.7 × 540.
    assert total.timed == 4
    assert total.service_avg_seconds == 630
    assert total.service_p90_seconds == pytest.approx(978)
    # Within the maximum: T1 600 ≤ 15 min, T5 540 ≤ 20, T6 240 ≤ 30, T7 1140 > 15 → 3 of 4.
    assert (total.within_standard, total.within_standard_share) == (3, 0.75)
    # Priority new visitors: T4 lansia, T6 ibu hamil, T7 disabilitas (the child T5 is not new).
    assert total.priority_total == 3
    assert total.priority == (
        ("lansia", 1),
        ("disabilitas", 1),
        ("ibu_hamil", 1),
        ("anak", 0),
        ("korban_bencana", 0),
    )
    assert [p.code for p in report.priority_categories] == list(CATEGORIES)
    assert (report.start, report.end, report.by) == (MONDAY, MONDAY, ReportGroup.AGENCY)


def test_by_service_counts_a_transfer_once_per_service(reports: Reports) -> None:
    """T4 is a KTP visitor who was transferred; its child T5 is a KK visit, not a new visitor."""
    report = reports.report(start=MONDAY, end=MONDAY, by="service")
    rows = _rows(report)
    # Service order is prefix then code: A (AKTA_LAHIR, KK, KTP, PINDAH), then B (NIB).
    assert list(rows) == ["AKTA_LAHIR", "KK", "KTP", "PINDAH", "NIB"]
    ktp, kk = rows["KTP"], rows["KK"]
    # KTP: T1 served, T4 transferred, T7 served, T8 voided.
    assert _counts(ktp) == (3, 0, 2, 0, 0, 1, 0, 0, 1)
    assert ktp.wait_avg_seconds == (300 + 1080 + 600) / 3  # T1, T4, T7
    assert ktp.service_avg_seconds == (600 + 1140) / 2  # T1, T7
    assert (ktp.within_standard, ktp.timed) == (1, 2)  # T7 took 19 min of 15
    assert (ktp.priority_count("lansia"), ktp.priority_count("disabilitas")) == (1, 1)
    # KK: T2 no-show (a new visitor), T5 arrived by transfer and was served.
    assert _counts(kk) == (1, 1, 1, 1, 0, 0, 0, 0, 0)
    assert kk.wait_avg_seconds == (960 + 60) / 2
    assert kk.wait_p90_seconds == pytest.approx(60 + 0.9 * 900)  # sorted 60 960, rank 0.9
    assert (kk.service_avg_seconds, kk.within_standard_share) == (540, 1.0)
    assert kk.priority_total == 0  # T5 is lansia, but counted where it arrived: at KTP
    assert _counts(rows["NIB"]) == (1, 0, 0, 0, 1, 0, 0, 0, 0)
    assert rows["NIB"].wait_avg_seconds is None  # cancelled before any call
    assert _counts(rows["PINDAH"]) == (1, 0, 0, 0, 0, 0, 1, 0, 0)
    akta = rows["AKTA_LAHIR"]
    assert (akta.wait_avg_seconds, akta.service_avg_seconds) == (2220, 240)
    # Every count adds up over the services to the total.
    for index in range(9):
        assert sum(_counts(f)[index] for f in rows.values()) == _counts(report.total)[index]
    labels = {row.key: (row.label, row.label_en) for row in report.rows}
    assert labels["KTP"] == (reports.ctx.service("KTP").name, reports.ctx.service("KTP").name_en)


def test_by_agency(reports: Reports) -> None:
    """Disdukcapil holds every visit but NIB; the transfer stays inside the agency."""
    rows = _rows(reports.report(start=MONDAY, end=MONDAY, by="agency"))
    assert list(rows) == ["DUKCAPIL", "DPMPTSP"]
    # DUKCAPIL: new T1 T2 T4 T6 T7 T9, T5 by transfer; served T1 T5 T6 T7.
    assert _counts(rows["DUKCAPIL"]) == (6, 1, 4, 1, 0, 1, 1, 0, 1)
    assert rows["DUKCAPIL"].wait_avg_seconds == 870  # every wait of the day is Disdukcapil's
    assert _counts(rows["DPMPTSP"]) == (1, 0, 0, 0, 1, 0, 0, 0, 0)


def test_by_counter_and_officer(reports: Reports) -> None:
    """The counter (officer) that last held a ticket; never-called tickets have none."""
    report = reports.report(start=MONDAY, end=MONDAY, by=ReportGroup.COUNTER)
    rows = _rows(report)
    assert list(rows) == ["L01", "L02", None]
    assert _counts(rows["L01"]) == (4, 0, 2, 1, 0, 1, 0, 0, 0)  # T1 T2 T4 T7
    assert _counts(rows["L02"]) == (1, 1, 2, 0, 0, 0, 0, 0, 0)  # T6, T5
    assert _counts(rows[None]) == (2, 0, 0, 0, 1, 0, 1, 0, 1)  # T3 T9, T8
    assert report.rows[-1].label_en == "(no counter)"
    by_officer = _rows(reports.report(start=MONDAY, end=MONDAY, by="officer"))
    assert list(by_officer) == ["budi", "sari", None]
    assert by_officer["budi"] == rows["L01"]
    assert by_officer["sari"] == rows["L02"]


# --- business dates, local hours and weekdays -----------------------------------------------------


def test_business_date_not_utc_date(reports: Reports, played: Played) -> None:
    """U1 was issued Monday 23:45 UTC: it is Tuesday's (WIB), never Monday's."""
    monday = reports.report(start=MONDAY, end=MONDAY)
    tuesday = reports.report(start=TUESDAY, end=TUESDAY)
    assert monday.total.visitors == 7  # as without U1
    # Tuesday: U1 served (wait 06:45 → 08:00 = 4500 s, service 480 s), U2 still waiting.
    assert _counts(tuesday.total) == (2, 0, 1, 0, 0, 0, 0, 1, 0)
    assert tuesday.total.wait_avg_seconds == tuesday.total.wait_p90_seconds == 4500
    assert tuesday.total.service_avg_seconds == 480
    both = reports.report(start=MONDAY, end=TUESDAY, by="day")
    assert [row.key for row in both.rows] == [MONDAY, TUESDAY]
    assert both.rows[0].label == "Senin, 30 November 2026"
    assert both.rows[1].label_en == "Tuesday, 1 December 2026"
    assert _rows(both)[TUESDAY] == tuesday.total
    assert both.total.visitors == 9


def test_by_hour_in_local_time(reports: Reports) -> None:
    """Hours of issue in WIB: U1 is at 6 (not 23 UTC), U2 at 8, Monday's at 9 and 10."""
    rows = _rows(reports.report(start=MONDAY, end=TUESDAY, by="hour"))
    assert list(rows) == [6, 8, 9, 10]
    assert _counts(rows[6]) == (1, 0, 1, 0, 0, 0, 0, 0, 0)  # U1
    assert _counts(rows[8]) == (1, 0, 0, 0, 0, 0, 0, 1, 0)  # U2
    # 09:00–09:59: T1 T2 T3 T4 T6 T7 new, T5 by transfer (issued 09:30); 10:xx: T8 T9.
    assert _counts(rows[9]) == (6, 1, 4, 1, 1, 1, 0, 0, 0)
    assert _counts(rows[10]) == (1, 0, 0, 0, 0, 0, 1, 0, 1)


def test_by_hour_follows_daylight_saving(queue: Hall, engine: Engine, clock: FrozenClock) -> None:
    """In a zone with daylight saving, each ticket's hour is the local hour of its own day:
    10:00 CET (09:00 UTC) before the change and 10:00 CEST (08:00 UTC) after both count at 10
    (Indonesia has no daylight saving; SQLite, which has no zones, must still get this right)."""
    set_hall(engine, timezone="Europe/Amsterdam")
    hall = Hall(engine, clock=clock)  # sees the new zone
    clock.set(datetime(2026, 3, 27, 9, 0, tzinfo=UTC))  # Friday, before the change on the 29th
    hall.issuing.issue_ticket(service="KTP", override_by="spv")
    clock.set(datetime(2026, 3, 30, 8, 0, tzinfo=UTC))  # Monday, after it
    hall.issuing.issue_ticket(service="KTP", override_by="spv")
    report = Hall(engine, clock=clock).reports.report(
        start=date(2026, 3, 27), end=date(2026, 3, 30), by="hour"
    )
    assert [(row.key, row.figures.visitors) for row in report.rows] == [(10, 2)]


def test_by_weekday(reports: Reports) -> None:
    """ISO weekdays of the business date: Monday 1, Tuesday 2 (U1 is Tuesday's)."""
    report = reports.report(start=MONDAY, end=TUESDAY, by="weekday")
    assert [(row.key, row.label, row.label_en) for row in report.rows] == [
        (1, "Senin", "Monday"),
        (2, "Selasa", "Tuesday"),
    ]
    assert report.rows[0].figures.visitors == 7
    assert report.rows[1].figures.visitors == 2


def test_filters_and_empty_range(reports: Reports) -> None:
    """An agency or a service narrows the tickets; a range without tickets is all zeros."""
    dpmptsp = reports.report(start=MONDAY, end=TUESDAY, agency="dpmptsp", by="service")
    assert (dpmptsp.agency, [r.key for r in dpmptsp.rows]) == ("DPMPTSP", ["NIB"])
    kk = reports.report(start=MONDAY, end=TUESDAY, service="KK")
    assert kk.service == "KK"
    assert _counts(kk.total) == (2, 1, 1, 1, 0, 0, 0, 1, 0)  # T2, T5, U2
    nothing = reports.report(start=date(2026, 1, 1), end=date(2026, 1, 31), by="hour")
    assert nothing.rows == ()
    assert nothing.total == Figures(priority=tuple((c, 0) for c in CATEGORIES))
    assert nothing.total.wait_avg_seconds is None
    assert nothing.total.within_standard_share is None


# --- the monthly report ---------------------------------------------------------------------------


def test_monthly_november(reports: Reports) -> None:
    """November has only Monday 30th: Disdukcapil holds it all but NIB."""
    month = reports.monthly(year=2026, month=11)
    assert (month.start, month.end, month.days_open) == (date(2026, 11, 1), MONDAY, 1)
    agencies = {a.code: a for a in month.agencies}
    assert [a.code for a in month.agencies][:2] == ["DUKCAPIL", "DPMPTSP"]
    dukcapil = agencies["DUKCAPIL"]
    assert (dukcapil.figures.visitors, dukcapil.figures.transferred_in) == (6, 1)
    assert dukcapil.figures.served == 4
    assert dukcapil.figures.wait_avg_seconds == 870
    assert dukcapil.figures.service_avg_seconds == 630
    assert dukcapil.figures.within_standard_share == 0.75
    assert dukcapil.figures.priority_total == 3
    assert dukcapil.days == 1
    services = {s.code: s for s in dukcapil.services}
    assert set(services) == {"KTP", "KK", "AKTA_LAHIR", "AKTA_MATI", "PINDAH"}
    assert (services["KTP"].figures.visitors, services["KTP"].days) == (3, 1)
    assert (services["AKTA_MATI"].figures.visitors, services["AKTA_MATI"].days) == (0, 0)
    assert services["KTP"].max_minutes == 15
    nib = next(s for s in agencies["DPMPTSP"].services if s.code == "NIB")
    assert (nib.figures.visitors, nib.figures.cancelled) == (1, 1)
    # Every agency of the hall is listed, with zeros when it had no visitors.
    assert agencies["SAMSAT"].figures.visitors == 0
    assert month.total.visitors == 7
    assert month.total.wait_p90_seconds is None  # the monthly shape has no percentiles


def test_monthly_december_and_one_agency(reports: Reports) -> None:
    """December so far is Tuesday; with an agency, only it is listed (days_open is the hall's)."""
    december = reports.monthly(year=2026, month=12)
    assert (december.days_open, december.total.visitors) == (1, 2)
    only = reports.monthly(year=2026, month=11, agency="DPMPTSP")
    assert [a.code for a in only.agencies] == ["DPMPTSP"]
    assert (only.total.visitors, only.days_open, only.agency) == (1, 1, "DPMPTSP")


# --- p90 on a known list, and refusals ------------------------------------------------------------


def test_percentile_definition() -> None:
    """Linear interpolation between closest ranks (spreadsheet PERCENTILE.INC)."""
    assert percentile(list(range(1, 11))) == pytest.approx(9.1)
    assert percentile([15, 20, 35, 40, 50]) == pytest.approx(46)  # rank 3.6: 40 + 0.6 × 10
    assert percentile([7]) == 7
    assert percentile([3, 1, 2], 0.5) == 2
    assert percentile([]) is None


def test_p90_of_ten_waits_through_the_database(
    queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Ten visitors waiting 1, 2, …, 10 minutes: P90 = 9.1 minutes (546 s), mean 5.5."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    ids = []
    for minute in range(1, 11):  # issued 09:01 … 09:10, all called at 09:11
        clock.set(wib(2026, 11, 30, 9, minute))
        ids.append(queue.issuing.issue_ticket(service="KTP").ticket.id)
    clock.set(wib(2026, 11, 30, 9, 11))
    for tid in ids:
        queue.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
        queue.calls.finish(counter="L01", officer="budi")
    total = Hall(engine, clock=clock).reports.report(start=MONDAY, end=MONDAY).total
    assert total.waited == 10
    assert total.wait_avg_seconds == 330
    assert total.wait_p90_seconds == pytest.approx(546)
    assert total.service_avg_seconds == 0  # finished in the same instant as called


def test_durations_are_truncated_whole_seconds_like_the_daily_log(
    queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Issued at 09:00:00.9996, called at 09:05:00.0001: the wait is 299 s (299.0005
    truncated), on both backends, as `mpp log` exports it."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    clock.set(wib(2026, 11, 30, 9, 0) + timedelta(microseconds=999_600))
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    clock.set(wib(2026, 11, 30, 9, 5) + timedelta(microseconds=100))
    queue.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    clock.set(wib(2026, 11, 30, 9, 15) + timedelta(microseconds=99))  # 599.9999 s of service
    queue.calls.finish(counter="L01", officer="budi")
    total = Hall(engine, clock=clock).reports.report(start=MONDAY, end=MONDAY).total
    (entry,) = queue.daylog.day_log(day=MONDAY)
    assert (total.wait_avg_seconds, entry.wait_seconds) == (299, 299)
    assert (total.service_avg_seconds, entry.service_seconds) == (599, 599)


def test_report_agrees_with_the_daily_log(reports: Reports, queue: Hall) -> None:
    """Per service, the report's visits, served, mean wait and service time are those of the
    daily log's entries (print failures aside: they have no times)."""
    entries = queue.daylog.day_log(day=MONDAY)
    for row in reports.report(start=MONDAY, end=MONDAY, by="service").rows:
        mine = [e for e in entries if e.service_code == row.key]
        waits = [e.wait_seconds for e in mine if e.wait_seconds is not None]
        served = [e.service_seconds for e in mine if e.status == "done"]
        figures = row.figures
        assert figures.visits + figures.voided == len(mine)
        assert figures.served == len(served)
        assert figures.wait_avg_seconds == (sum(waits) / len(waits) if waits else None)
        assert figures.service_avg_seconds == (
            sum(x for x in served if x is not None) / len(served) if served else None
        )


def test_one_query_for_the_figures(reports: Reports, engine: Engine) -> None:
    """Set-based: one statement reads the tickets, whatever their number."""
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        reports.report(start=MONDAY, end=TUESDAY, by="service")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum("FROM ticket " in s for s in statements) == 1


@pytest.mark.parametrize(
    ("call", "error", "needles"),
    [
        (lambda r: r.report(start=TUESDAY, end=MONDAY), InvalidInput, ("2026-12-01",)),
        (lambda r: r.report(start=MONDAY, end=MONDAY, by="minggu"), InvalidInput, ("minggu",)),
        (lambda r: r.report(start=MONDAY, end=MONDAY, agency="XX"), NotFound, ("XX",)),
        (lambda r: r.report(start=MONDAY, end=MONDAY, service="NOPE"), NotFound, ("NOPE",)),
        (
            lambda r: r.report(start=MONDAY, end=MONDAY, agency="DPMPTSP", service="KTP"),
            InvalidInput,
            ("KTP", "DPMPTSP"),
        ),
        (lambda r: r.monthly(year=2026, month=13), InvalidInput, ("2026-13",)),
    ],
)
def test_bad_input_is_refused_readably(
    reports: Reports,
    call: Callable[[Reports], object],
    error: type[MppError],
    needles: tuple[str, ...],
) -> None:
    """Bad ranges, groupings, agencies, services and months are clear domain errors."""
    with pytest.raises(error) as err:
        call(reports)
    assert_readable(err.value, *needles)
