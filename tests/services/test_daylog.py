"""The daily log (DayLog.day_log) and its CSV export, on both backends.

One small business day is played with the frozen clock; every duration below is exact.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import QueuePosition
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import InvalidInput, MppError, NotFound
from mpp_tui.domain.export import log_csv, log_headers
from mpp_tui.domain.views import LogEntry
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.daylog import DayLog
from mpp_tui.services.facade import Hall

from .helpers import assert_readable, wib

MONDAY = date(2026, 11, 30)
FRIDAY = date(2026, 11, 27)
WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Day:
    """Ticket ids of the played day."""

    old: int  # A-001 of Friday
    done: int  # A-001 KTP: budi, selesai
    no_show: int  # A-002 KK: budi, two recalls, no-show
    cancelled: int  # B-001 NIB: cancelled by spv while waiting
    parent: int  # A-003 KTP (lansia): budi, transferred to KK
    child: int  # A-003 KK: sari, finished straight from called, incomplete documents
    returned: int  # A-004 AKTA_LAHIR: sari, returned to the queue once, informasi
    waiting: int  # A-005 KTP: still waiting


def _at(clock: FrozenClock, hour: int, minute: int) -> None:
    clock.set(wib(2026, 11, 30, hour, minute))


@pytest.fixture
def day(queue: Hall, clock: FrozenClock) -> Day:
    """Friday's leftover, then Monday 09:00-09:50 at L01 (budi) and L02 (sari)."""
    clock.set(wib(2026, 11, 27, 9))
    old = queue.issuing.issue_ticket(service="KTP").ticket.id
    _at(clock, 9, 0)
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    done = queue.issuing.issue_ticket(service="KTP").ticket.id
    _at(clock, 9, 1)
    no_show = queue.issuing.issue_ticket(service="KK").ticket.id
    _at(clock, 9, 2)
    cancelled = queue.issuing.issue_ticket(service="NIB").ticket.id
    _at(clock, 9, 3)
    parent = queue.issuing.issue_ticket(service="KTP", priority="lansia").ticket.id
    _at(clock, 9, 4)
    returned = queue.issuing.issue_ticket(service="AKTA_LAHIR").ticket.id

    # wait 5 min, walk 1 min, service 10 min.
    _at(clock, 9, 5)
    queue.calls.call_ticket(counter="L01", officer="budi", ticket=done)
    _at(clock, 9, 6)
    queue.calls.start(counter="L01", officer="budi")
    _at(clock, 9, 16)
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai", note="KTP-el dicetak")
    # called at 09:17, recalled twice, no-show at 09:20.
    _at(clock, 9, 17)
    queue.calls.call_ticket(counter="L01", officer="budi", ticket=no_show)
    _at(clock, 9, 18)
    queue.calls.recall(counter="L01", officer="budi")
    _at(clock, 9, 19)
    queue.calls.recall(counter="L01", officer="budi")
    _at(clock, 9, 20)
    queue.calls.no_show(counter="L01", officer="budi")
    queue.supervision.cancel(ticket=cancelled, officer="spv", reason="salah ambil")
    # served from 09:22, transferred to KK at 09:30; the child is finished at L02.
    _at(clock, 9, 21)
    queue.calls.call_ticket(counter="L01", officer="budi", ticket=parent)
    _at(clock, 9, 22)
    queue.calls.start(counter="L01", officer="budi")
    _at(clock, 9, 30)
    child = queue.calls.transfer(
        counter="L01", officer="budi", service="KK", note="perlu KK baru"
    ).id
    _at(clock, 9, 31)
    queue.calls.call_ticket(counter="L02", officer="sari", ticket=child)
    _at(clock, 9, 40)
    queue.calls.finish(
        counter="L02", officer="sari", outcome="berkas_tidak_lengkap", note="=kurang pengantar"
    )
    # first called 09:41, returned, called again 09:45, served 09:46-09:50.
    _at(clock, 9, 41)
    queue.calls.call_ticket(counter="L02", officer="sari", ticket=returned)
    queue.calls.return_to_queue(counter="L02", officer="sari", position=QueuePosition.FIRST)
    _at(clock, 9, 45)
    queue.calls.call_ticket(counter="L02", officer="sari", ticket=returned)
    _at(clock, 9, 46)
    queue.calls.start(counter="L02", officer="sari")
    _at(clock, 9, 50)
    queue.calls.finish(counter="L02", officer="sari", outcome="informasi")
    waiting = queue.issuing.issue_ticket(service="KTP").ticket.id
    _at(clock, 10, 0)
    return Day(old, done, no_show, cancelled, parent, child, returned, waiting)


@pytest.fixture
def log(engine: Engine, clock: FrozenClock, day: Day) -> DayLog:
    """A bare DayLog on the played day (it needs nothing but a ServiceContext)."""
    return DayLog(ServiceContext(engine, clock=clock))


def _ids(entries: list[LogEntry]) -> list[int]:
    return [e.id for e in entries]


def _by_id(entries: list[LogEntry]) -> dict[int, LogEntry]:
    return {e.id: e for e in entries}


# --- the whole day --------------------------------------------------------------------------------


def test_day_log_lists_today_in_issue_order(log: DayLog, day: Day) -> None:
    """Default day is today; Friday's ticket is left out; order is issue time then id."""
    entries = log.day_log()
    assert _ids(entries) == [
        day.done,
        day.no_show,
        day.cancelled,
        day.parent,
        day.returned,
        day.child,
        day.waiting,
    ]
    assert [e.code for e in entries] == [
        "A-001",
        "A-002",
        "B-001",
        "A-003",
        "A-004",
        "A-003",
        "A-005",
    ]
    assert {e.business_date for e in entries} == {MONDAY}
    assert log.day_log(day=MONDAY) == entries


def test_another_day_is_its_own_log(log: DayLog, day: Day) -> None:
    """Asking for Friday gives only Friday's ticket (waiting, no times yet)."""
    (old,) = log.day_log(day=FRIDAY)
    assert (old.id, old.code, old.status, old.business_date) == (
        day.old,
        "A-001",
        S.WAITING,
        FRIDAY,
    )
    assert (old.wait_seconds, old.walk_seconds, old.service_seconds, old.total_seconds) == (
        None,
        None,
        None,
        None,
    )
    assert log.day_log(day=date(2026, 12, 1)) == []


def test_finished_ticket_times_and_fields(log: DayLog, day: Day) -> None:
    """A-001: every stamp and duration, the counter, officer, outcome and note."""
    e = _by_id(log.day_log())[day.done]
    assert e.status is S.DONE
    assert (e.service_code, e.service_name, e.service_name_en, e.agency_code) == (
        "KTP",
        log.ctx.service("KTP").name,
        log.ctx.service("KTP").name_en,
        "DUKCAPIL",
    )
    assert (e.counter_code, e.officer, e.priority) == ("L01", "budi", None)
    assert (e.issued_at, e.called_at, e.started_at, e.finished_at) == (
        wib(2026, 11, 30, 9, 0),
        wib(2026, 11, 30, 9, 5),
        wib(2026, 11, 30, 9, 6),
        wib(2026, 11, 30, 9, 16),
    )
    assert (e.wait_seconds, e.walk_seconds, e.service_seconds, e.total_seconds) == (
        300,
        60,
        600,
        960,
    )
    assert (e.call_count, e.outcome, e.note) == (1, "selesai", "KTP-el dicetak")
    assert (e.transferred_from, e.transferred_to) == (None, None)


def test_no_show_cancel_and_waiting(log: DayLog, day: Day) -> None:
    """A no-show after two recalls, a ticket cancelled while waiting, one still waiting."""
    entries = _by_id(log.day_log())
    ns = entries[day.no_show]
    assert (ns.status, ns.call_count, ns.counter_code, ns.officer) == (S.NO_SHOW, 3, "L01", "budi")
    assert (ns.wait_seconds, ns.walk_seconds, ns.service_seconds, ns.total_seconds) == (
        16 * 60,
        None,
        None,
        19 * 60,
    )
    assert ns.outcome is None
    cx = entries[day.cancelled]
    assert (cx.status, cx.service_code, cx.agency_code) == (S.CANCELLED, "NIB", "DPMPTSP")
    assert (cx.counter_code, cx.officer, cx.call_count) == (None, None, 0)
    assert (cx.wait_seconds, cx.walk_seconds, cx.service_seconds, cx.total_seconds) == (
        None,
        None,
        None,
        18 * 60,
    )
    wt = entries[day.waiting]
    assert (wt.status, wt.called_at, wt.finished_at, wt.total_seconds) == (
        S.WAITING,
        None,
        None,
        None,
    )


def test_transfer_chain(log: DayLog, day: Day) -> None:
    """The parent names the child's service, the child its parent's; both carry the priority."""
    entries = _by_id(log.day_log())
    parent, child = entries[day.parent], entries[day.child]
    assert (parent.status, parent.transferred_from, parent.transferred_to) == (
        S.TRANSFERRED,
        None,
        "KK",
    )
    assert (parent.wait_seconds, parent.walk_seconds, parent.service_seconds) == (18 * 60, 60, 480)
    assert parent.total_seconds == 27 * 60
    assert (parent.counter_code, parent.officer, parent.priority) == ("L01", "budi", "lansia")
    assert (child.status, child.service_code, child.code) == (S.DONE, "KK", "A-003")
    assert (child.transferred_from, child.transferred_to) == ("KTP", None)
    assert (child.counter_code, child.officer, child.priority) == ("L02", "sari", "lansia")
    # The child is issued at the transfer; finished straight from `called` (no walk).
    assert child.issued_at == wib(2026, 11, 30, 9, 30)
    assert (child.wait_seconds, child.walk_seconds, child.service_seconds) == (60, 0, 540)
    assert child.total_seconds == 600
    assert (child.outcome, child.note) == ("berkas_tidak_lengkap", "=kurang pengantar")


def test_returned_ticket_keeps_its_first_wait(log: DayLog, day: Day) -> None:
    """Wait runs to the first call, walk from the last call; calls count across the return."""
    e = _by_id(log.day_log())[day.returned]
    assert e.called_at == wib(2026, 11, 30, 9, 45)
    assert e.wait_seconds == 37 * 60  # 09:04 → 09:41
    assert (e.walk_seconds, e.service_seconds, e.total_seconds) == (60, 240, 46 * 60)
    assert e.call_count == 2
    assert (e.counter_code, e.officer, e.outcome) == ("L02", "sari", "informasi")


# --- filters --------------------------------------------------------------------------------------


def test_filter_by_counter_and_officer(log: DayLog, day: Day) -> None:
    """Counter and officer are those that last held the ticket; codes in any case."""
    at_l01 = [day.done, day.no_show, day.parent]
    at_l02 = [day.returned, day.child]
    assert _ids(log.day_log(counter="L01")) == at_l01
    assert _ids(log.day_log(counter="l02")) == at_l02
    assert _ids(log.day_log(counter="L03")) == []
    assert _ids(log.day_log(officer="budi")) == at_l01
    assert _ids(log.day_log(officer=" Sari ")) == at_l02
    assert _ids(log.day_log(officer="spv")) == []  # cancelling is not handling
    assert _ids(log.day_log(counter="L01", officer="sari")) == []


def test_filter_by_service_agency_and_outcome(log: DayLog, day: Day) -> None:
    """Service and agency codes, outcome codes (any case), and their combination."""
    assert _ids(log.day_log(service="ktp")) == [day.done, day.parent, day.waiting]
    assert _ids(log.day_log(service="KK")) == [day.no_show, day.child]
    assert _ids(log.day_log(agency="dpmptsp")) == [day.cancelled]
    assert _ids(log.day_log(agency="SAMSAT")) == []
    assert len(log.day_log(agency="DUKCAPIL")) == 6
    assert _ids(log.day_log(outcome="selesai")) == [day.done]
    assert _ids(log.day_log(outcome="BERKAS_TIDAK_LENGKAP")) == [day.child]
    assert _ids(log.day_log(outcome="informasi", counter="L02")) == [day.returned]
    assert _ids(log.day_log(outcome="ditolak")) == []
    assert _ids(log.day_log(service="KK", counter="L02", officer="sari")) == [day.child]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("A-001", ["done"]),
        ("a001", ["done"]),
        (" a 1 ", ["done"]),
        ("A-003", ["parent", "child"]),  # a code finds its whole transfer chain
        ("b-1", ["cancelled"]),
        ("A-999", []),
        ("01", ["done", "cancelled"]),  # not a code: substring of the display code
        ("5", ["waiting"]),
        ("b", ["cancelled"]),
        ("a-", ["done", "no_show", "parent", "returned", "child", "waiting"]),
        ("A-000", []),  # parses: exact, not a prefix of A-001
        ("%", []),
        ("   ", ["done", "no_show", "cancelled", "parent", "returned", "child", "waiting"]),
    ],
)
def test_search_by_code(log: DayLog, day: Day, search: str, expected: list[str]) -> None:
    """A parsable code matches exactly (today only); anything else is a code substring."""
    assert _ids(log.day_log(search=search)) == [getattr(day, name) for name in expected]


def test_limit_keeps_the_oldest(log: DayLog, day: Day) -> None:
    """limit cuts the ordered list; zero or less is refused."""
    assert _ids(log.day_log(limit=2)) == [day.done, day.no_show]
    assert _ids(log.day_log(counter="L02", limit=1)) == [day.returned]
    with pytest.raises(InvalidInput) as err:
        log.day_log(limit=0)
    assert_readable(err.value, "0")


@pytest.mark.parametrize(
    ("kwargs", "key", "needle"),
    [
        ({"counter": "L99"}, "err.counter_not_found", "L99"),
        ({"service": "NOPE"}, "err.service_not_found", "NOPE"),
        ({"agency": "NOPE"}, "log.err.agency_not_found", "NOPE"),
        ({"officer": "nobody"}, "err.officer_not_found", "nobody"),
        ({"outcome": "hilang"}, "err.outcome_not_found", "hilang"),
    ],
)
def test_unknown_filter_values_are_not_found(
    log: DayLog, kwargs: dict[str, Any], key: str, needle: str
) -> None:
    """Each unknown filter value is a readable NotFound naming it."""
    with pytest.raises(NotFound) as err:
        log.day_log(**kwargs)
    assert err.value.key.startswith(key)  # the service lookup may add a hint
    assert_readable(err.value, needle)


def test_service_typo_gets_a_hint(log: DayLog) -> None:
    """The service filter reuses the shared lookup, hints included."""
    with pytest.raises(MppError) as err:
        log.day_log(service="KT")
    assert err.value.key == "err.service_not_found_hint"


def test_one_query_whatever_the_day_size(
    log: DayLog, day: Day, queue: Hall, engine: Engine
) -> None:
    """Set-based: the number of statements does not grow with the number of tickets."""
    log.ctx.ref()  # reference data cached, as in a running screen
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        log.day_log()
        small = len(statements)
        for _ in range(5):
            queue.issuing.issue_ticket(service="KK")
        statements.clear()
        assert len(log.day_log()) == 12
        large = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert small == large
    assert sum("FROM ticket" in s for s in statements) == 1


# --- CSV export -----------------------------------------------------------------------------------


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_indonesian_by_default(log: DayLog, day: Day) -> None:
    """Header in Bahasa Indonesia, local (WIB) times, whole seconds, empty cells for None."""
    entries = log.day_log()
    out = io.StringIO(newline="")
    assert log_csv(entries, out, tz=WIB) == len(entries)
    rows = _parse(out.getvalue())
    assert rows[0] == log_headers("id")
    assert rows[0][:4] == ["ID", "Nomor", "Tanggal", "Status"]
    assert "Tunggu (detik)" in rows[0]
    assert len(rows) == len(entries) + 1
    by_id = {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    done = by_id[day.done]
    assert done == {
        "ID": str(day.done),
        "Nomor": "A-001",
        "Tanggal": "2026-11-30",
        "Status": "done",
        "Kode layanan": "KTP",
        "Layanan": log.ctx.service("KTP").name,
        "Instansi": "DUKCAPIL",
        "Prioritas": "",
        "Loket": "L01",
        "Petugas": "budi",
        "Waktu ambil": "2026-11-30 09:00:00",
        "Waktu panggil": "2026-11-30 09:05:00",
        "Mulai dilayani": "2026-11-30 09:06:00",
        "Selesai": "2026-11-30 09:16:00",
        "Tunggu (detik)": "300",
        "Menuju loket (detik)": "60",
        "Lama layanan (detik)": "600",
        "Total (detik)": "960",
        "Panggilan": "1",
        "Hasil": "selesai",
        "Catatan": "KTP-el dicetak",
        "Dialihkan dari": "",
        "Dialihkan ke": "",
    }
    assert by_id[day.parent]["Dialihkan ke"] == "KK"
    assert by_id[day.child]["Dialihkan dari"] == "KTP"
    # A note that would run as a spreadsheet formula is defused.
    assert by_id[day.child]["Catatan"] == "'=kurang pengantar"
    assert by_id[day.waiting]["Waktu panggil"] == ""
    assert by_id[day.waiting]["Total (detik)"] == ""


def test_csv_in_english(log: DayLog, day: Day) -> None:
    """lang="en" gives English headers and English service names; values stay the same."""
    entries = log.day_log(service="KK")
    out = io.StringIO(newline="")
    assert log_csv(entries, out, tz=WIB, lang="en") == 2
    rows = _parse(out.getvalue())
    header = rows[0]
    assert header == log_headers("en")
    assert header[:4] == ["ID", "Ticket", "Date", "Status"]
    assert {"Issued at", "Wait (s)", "Transferred from", "Transferred to"} <= set(header)
    assert len(set(header)) == len(header)
    child = dict(zip(header, rows[2], strict=True))
    assert child["Ticket"] == "A-003"
    assert child["Service"] == log.ctx.service("KK").name_en
    assert (child["Officer"], child["Counter"], child["Outcome"]) == (
        "sari",
        "L02",
        "berkas_tidak_lengkap",
    )
    assert (child["Issued at"], child["Finished at"]) == (
        "2026-11-30 09:30:00",
        "2026-11-30 09:40:00",
    )
    assert (child["Wait (s)"], child["Walk to counter (s)"], child["Service time (s)"]) == (
        "60",
        "0",
        "540",
    )
    assert (child["Total (s)"], child["Calls"], child["Transferred from"]) == ("600", "1", "KTP")


def test_csv_of_nothing_is_just_the_header() -> None:
    """No entries: a header row and a count of zero."""
    out = io.StringIO(newline="")
    assert log_csv([], out, tz=WIB, lang="en") == 0
    assert _parse(out.getvalue()) == [log_headers("en")]
