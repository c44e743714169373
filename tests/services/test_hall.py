"""The kiosk menu and the hall board's reads (calls from the event log), on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.calls import CallCursor
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, NotFound
from mpp_tui.services.facade import Hall

from .helpers import snapshot, ticket_events, ticket_row, wib


def state_after(cursor: int) -> int:
    """A cursor already past a call that committed late (its id is below the cursor)."""
    return cursor + 50


def _service(queue: Hall, code: str) -> object:
    menu = queue.public.kiosk_menu()
    return next(s for a in menu.agencies for s in a.services if s.code == code)


# --- kiosk menu ---------------------------------------------------------------------------------


def test_menu_lists_agencies_with_their_standard(queue: Hall) -> None:
    """Every agency with active services, in prefix order; a service carries its standard."""
    menu = queue.public.kiosk_menu()
    codes = [a.code for a in menu.agencies]
    assert codes[:3] == ["DUKCAPIL", "DPMPTSP", "SAMSAT"]
    assert menu.hall_name
    ktp = next(s for s in menu.agencies[0].services if s.code == "KTP")
    assert ktp.prefix == "A"
    assert ktp.fee == 0
    assert ktp.max_minutes > 0
    assert ktp.requirements
    assert all(isinstance(r, str) and r for r in ktp.requirements)
    assert ktp.closed is None
    assert ktp.quota_left == 30
    assert {p.code for p in menu.priorities} == {
        "lansia",
        "disabilitas",
        "ibu_hamil",
        "anak",
        "korban_bencana",
    }


def test_menu_counts_waiting_and_quota(queue: Hall) -> None:
    for _ in range(3):
        queue.issuing.issue_ticket(service="KTP")
    ktp = _service(queue, "KTP")
    assert ktp.waiting == 3
    assert ktp.quota_left == 27
    assert ktp.eta_minutes > 0  # type: ignore[attr-defined]


def test_menu_says_quota_reached(queue: Hall) -> None:
    for _ in range(30):
        queue.issuing.issue_ticket(service="KTP")
    ktp = _service(queue, "KTP")
    assert ktp.closed == "kiosk.closed.quota"
    assert ktp.quota_left == 0
    kk = _service(queue, "KK")
    assert kk.closed is None
    assert kk.quota_left == 40


def test_menu_says_outside_hours(queue: Hall, clock: FrozenClock) -> None:
    clock.set(wib(2026, 11, 30, 20, 0))
    menu = queue.public.kiosk_menu()
    assert all(s.closed == "kiosk.closed.hours" for a in menu.agencies for s in a.services)
    assert not any(a.open for a in menu.agencies)


def test_menu_says_day_closed(queue: Hall) -> None:
    queue.supervision.close_day(day=queue.today(), officer="spv")
    assert all(
        s.closed == "kiosk.closed.day"
        for a in queue.public.kiosk_menu().agencies
        for s in a.services
    )


# --- void after a failed print ------------------------------------------------------------------


def test_void_unprinted_cancels_with_its_own_event(queue: Hall, engine: Engine) -> None:
    issued = queue.issuing.issue_ticket(service="KTP")
    view = queue.issuing.void_unprinted(ticket_id=issued.ticket.id, reason="printer offline")
    assert view.status == S.CANCELLED
    row = ticket_row(engine, issued.ticket.id)
    assert row.status == "cancelled"
    assert row.finished_at is not None
    kinds = [(e.kind, e.status_from, e.status_to) for e in ticket_events(engine, row.id)]
    assert kinds == [("issued", None, "waiting"), ("print_failed", "waiting", "cancelled")]
    assert "printer offline" in (ticket_events(engine, row.id)[-1].detail or "")
    # The voided ticket does not use up the quota: 30 more KTP tickets still issue.
    assert _service(queue, "KTP").quota_left == 30  # type: ignore[attr-defined]


def test_void_refuses_a_called_or_old_ticket(
    queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    called = queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    before = snapshot(engine)
    with pytest.raises(Conflict):
        queue.issuing.void_unprinted(ticket_id=called.ticket.id, reason="x")
    assert snapshot(engine) == before
    old = queue.issuing.issue_ticket(service="KK")
    before = snapshot(engine)
    clock.advance(minutes=11)
    with pytest.raises(Conflict) as err:
        queue.issuing.void_unprinted(ticket_id=old.ticket.id, reason="x")
    assert err.value.key == "err.void_too_late"
    assert snapshot(engine) == before


# --- board --------------------------------------------------------------------------------------


def test_first_look_shows_recent_calls_but_announces_nothing(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L03", officer="sari")
    a = queue.issuing.issue_ticket(service="KTP").ticket
    b = queue.issuing.issue_ticket(service="NIB").ticket
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.call_next(counter="L03", officer="sari")
    state = queue.public.board()
    assert state.fresh == ()
    assert [(c.code, c.counter_code) for c in state.recent] == [(b.code, "L03"), (a.code, "L01")]
    serving = {c.code: c.active.code for c in state.counters if c.active}
    assert serving == {"L01": a.code, "L03": b.code}
    assert state.cursor > 0


def test_later_looks_return_new_calls_in_order_and_recalls(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    first = queue.public.board()
    for _ in range(3):
        queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.recall(counter="L01", officer="budi")
    state = queue.public.board(after=first.cursor, floor=first.cursor)
    assert [(c.code, c.recall) for c in state.fresh] == [("A-001", False), ("A-001", True)]
    # Calls near the cursor come again (a late commit could sit among them)...
    again = queue.public.board(after=state.cursor, floor=first.cursor)
    assert {c.event_id for c in again.fresh} <= {c.event_id for c in state.fresh}


def test_call_cursor_announces_each_call_once(queue: Hall) -> None:
    """...and the board's cursor announces each call once, none from before it started."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    for _ in range(4):
        queue.issuing.issue_ticket(service="KK")
    queue.calls.call_next(counter="L01", officer="budi")
    cursor = CallCursor()
    assert cursor.take(queue.public.board(**cursor.query())) == []  # the board starts: no replay
    queue.calls.recall(counter="L01", officer="budi")
    queue.calls.call_next(counter="L02", officer="sari")
    said = [
        (c.code, c.counter_code, c.recall)
        for c in cursor.take(queue.public.board(**cursor.query()))
    ]
    assert said == [("A-001", "L01", True), ("A-002", "L02", False)]
    assert cursor.take(queue.public.board(**cursor.query())) == []
    queue.calls.finish(counter="L02", officer="sari", outcome="selesai")
    queue.calls.call_next(counter="L02", officer="sari")
    said = [c.code for c in cursor.take(queue.public.board(**cursor.query()))]
    assert said == ["A-003"]


def test_board_looks_back_for_calls_committed_late(queue: Hall) -> None:
    """A call whose id is below the cursor but above the floor is found again (the board
    drops the ones it has already announced)."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    first = queue.public.board()
    queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    state = queue.public.board(after=state_after(first.cursor), floor=first.cursor)
    assert [c.code for c in state.fresh] == ["A-001"]
    none = queue.public.board(after=state.cursor, floor=state.cursor)
    assert none.fresh == ()


def test_board_filters_by_zone_and_agency(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L10", officer="sari")
    queue.issuing.issue_ticket(service="KTP")
    queue.issuing.issue_ticket(service="JKN_DAFTAR")
    queue.issuing.issue_ticket(service="JKN_DAFTAR")
    start = queue.public.board()
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.call_next(counter="L10", officer="sari")
    zone_b = queue.public.board(after=start.cursor, floor=start.cursor, zone="b")
    assert [c.counter_code for c in zone_b.fresh] == ["L10"]
    assert {c.code for c in zone_b.counters} >= {"L10", "L11", "L12"}
    assert "L01" not in {c.code for c in zone_b.counters}
    queue.sessions.open_counter(counter="L18", officer="spv")
    queue.issuing.issue_ticket(service="KK")
    # The priority counter serves several agencies: F-002 first, then the KK ticket.
    assert queue.calls.call_next(counter="L18", officer="spv").code == "F-002"
    queue.calls.finish(counter="L18", officer="spv", outcome="selesai")
    assert queue.calls.call_next(counter="L18", officer="spv").code == "A-002"
    bpjs = queue.public.board(agency="bpjskes", after=start.cursor, floor=start.cursor)
    assert {c.code for c in bpjs.counters} == {"L10", "L11", "L18"}
    assert [(c.code, c.counter_code) for c in bpjs.fresh] == [("F-001", "L10"), ("F-002", "L18")]
    assert [(w.code, w.waiting) for w in bpjs.waiting] == [("BPJSKES", 0)]
    dukcapil = queue.public.board(agency="DUKCAPIL")
    assert [(w.code, w.waiting) for w in dukcapil.waiting] == [("DUKCAPIL", 0)]


def test_board_refuses_unknown_zone_or_agency(queue: Hall) -> None:
    with pytest.raises(NotFound) as err:
        queue.public.board(zone="Q")
    assert "Q" in err.value.message("en")
    assert "A, B" in err.value.message("en")
    with pytest.raises(NotFound):
        queue.public.board(agency="NOPE")


def test_board_lists_only_todays_calls(queue: Hall, clock: FrozenClock) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    clock.advance(days=1)
    assert queue.public.board().recent == ()
