"""The ticket state machine (DESIGN §3) on both backends.

Every legal transition is checked for its new state, its timestamps and the exactly-one
`ticket_event` row it writes; every illegal one for a clear domain error that changes nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import QueuePosition
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from mpp_tui.services.facade import Hall

from .helpers import (
    assert_readable,
    event_tuples_since,
    events_since,
    last_event_id,
    snapshot,
    ticket_row,
)


@pytest.fixture
def l01(queue: Hall) -> Hall:
    """Budi is signed in at L01 (KTP, KK, PINDAH)."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    return queue


def _called(queue: Hall, service: str = "KTP") -> int:
    """Issue a ticket for `service` and call it at L01; returns its id."""
    tid = queue.issuing.issue_ticket(service=service).ticket.id
    called = queue.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert called.id == tid
    return tid


# --- issuing --------------------------------------------------------------------------------------


def test_issue_numbers_per_prefix_and_writes_issued_event(
    queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Issuing numbers tickets per shared prefix from 001 and writes one `issued` event each."""
    mark = last_event_id(engine)
    first = queue.issuing.issue_ticket(service="KTP").ticket
    second = queue.issuing.issue_ticket(service="KK").ticket  # same prefix A, same series
    other = queue.issuing.issue_ticket(service="NIB").ticket  # prefix B, its own series
    assert (first.code, second.code, other.code) == ("A-001", "A-002", "B-001")
    assert first.status is S.WAITING
    assert first.issued_at == clock.now()
    assert first.business_date.isoformat() == "2026-11-30"
    assert event_tuples_since(engine, mark) == [
        (first.id, "issued", None, "waiting"),
        (second.id, "issued", None, "waiting"),
        (other.id, "issued", None, "waiting"),
    ]


def test_issue_reports_people_ahead(queue: Hall) -> None:
    """The kiosk is told how many wait ahead in the same service."""
    assert queue.issuing.issue_ticket(service="KTP").ahead == 0
    queue.issuing.issue_ticket(service="KK")
    assert queue.issuing.issue_ticket(service="KTP").ahead == 1


def test_issue_unknown_service_or_priority_is_refused(queue: Hall, engine: Engine) -> None:
    """Unknown service and unknown priority category are NotFound and write nothing."""
    before = snapshot(engine)
    with pytest.raises(NotFound) as err:
        queue.issuing.issue_ticket(service="NOPE")
    assert_readable(err.value, "NOPE")
    with pytest.raises(NotFound) as err:
        queue.issuing.issue_ticket(service="KTP", priority="vip")
    assert_readable(err.value, "vip", "lansia")
    assert snapshot(engine) == before


# --- call_next / call_ticket ----------------------------------------------------------------------


def test_call_next_calls_oldest_waiting(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """call_next takes the first waiting ticket: waiting → called, stamped, one `called` event."""
    first = l01.issuing.issue_ticket(service="KK").ticket
    l01.issuing.issue_ticket(service="KTP")
    clock.advance(minutes=3)
    mark = last_event_id(engine)
    called = l01.calls.call_next(counter="L01", officer="budi")
    assert called.id == first.id
    assert called.status is S.CALLED
    assert (called.counter_code, called.officer, called.call_count) == ("L01", "budi", 1)
    assert called.called_at == clock.now()
    evs = events_since(engine, mark)
    assert [(e.ticket_id, e.kind, e.status_from, e.status_to) for e in evs] == [
        (first.id, "called", "waiting", "called")
    ]
    assert evs[0].counter_id is not None
    assert evs[0].officer_id is not None


def test_call_next_on_empty_queue(l01: Hall, engine: Engine) -> None:
    """Nobody waiting: a clear Conflict, no event."""
    l01.issuing.issue_ticket(service="NIB")  # not a service of L01
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.calls.call_next(counter="L01", officer="budi")
    assert err.value.key == "err.queue_empty"
    assert_readable(err.value, "L01")
    assert events_since(engine, mark) == []


def test_call_ticket_out_of_order(l01: Hall, engine: Engine) -> None:
    """A chosen waiting ticket can be called by code ahead of older ones."""
    older = l01.issuing.issue_ticket(service="KTP").ticket
    chosen = l01.issuing.issue_ticket(service="KTP").ticket
    mark = last_event_id(engine)
    called = l01.calls.call_ticket(counter="L01", officer="budi", ticket="a2")
    assert called.id == chosen.id
    assert called.status is S.CALLED
    assert l01.tickets.ticket(code=older.id).status is S.WAITING
    assert event_tuples_since(engine, mark) == [(chosen.id, "called", "waiting", "called")]


def test_call_ticket_refuses_a_service_the_counter_does_not_serve(
    l01: Hall, engine: Engine
) -> None:
    """L01 does not serve AKTA_LAHIR: Conflict naming counter, the ticket stays waiting."""
    tid = l01.issuing.issue_ticket(service="AKTA_LAHIR").ticket.id
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert err.value.key == "err.service_not_at_counter"
    assert_readable(err.value, "L01")
    assert ticket_row(engine, tid).status == "waiting"
    assert events_since(engine, mark) == []


def test_call_ticket_refuses_a_ticket_that_is_not_waiting(l01: Hall, engine: Engine) -> None:
    """A finished ticket cannot be called again."""
    tid = _called(l01)
    l01.calls.finish(counter="L01", officer="budi")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert err.value.key == "err.illegal_transition"
    assert_readable(err.value, "A-001")
    assert "done" in err.value.message("en")
    assert "selesai" in err.value.message("id")
    assert ticket_row(engine, tid).status == "done"
    assert events_since(engine, mark) == []


def test_call_ticket_unknown_or_malformed_code(l01: Hall) -> None:
    """Unknown code → NotFound; malformed code → InvalidInput."""
    with pytest.raises(NotFound):
        l01.calls.call_ticket(counter="L01", officer="budi", ticket="A-999")
    with pytest.raises(InvalidInput) as err:
        l01.calls.call_ticket(counter="L01", officer="budi", ticket="???")
    assert_readable(err.value, "???")


# --- recall / start / finish ----------------------------------------------------------------------


def test_recall_keeps_called_and_counts(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """recall: called → called, call_count + 1, called_at unchanged, one `recalled` event."""
    tid = _called(l01)
    called_at = ticket_row(engine, tid).called_at
    clock.advance(minutes=1)
    mark = last_event_id(engine)
    view = l01.calls.recall(counter="L01", officer="budi")
    assert view.status is S.CALLED
    assert view.call_count == 2
    assert view.called_at == called_at
    assert event_tuples_since(engine, mark) == [(tid, "recalled", "called", "called")]


def test_start_serves_the_called_ticket(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """start: called → serving, started_at = now, one `started` event."""
    tid = _called(l01)
    clock.advance(minutes=2)
    mark = last_event_id(engine)
    view = l01.calls.start(counter="L01", officer="budi")
    assert view.status is S.SERVING
    assert view.started_at == clock.now()
    assert view.started_at != view.called_at
    assert event_tuples_since(engine, mark) == [(tid, "started", "called", "serving")]


@pytest.mark.parametrize("action", ["start", "recall", "no_show", "return_to_queue"])
def test_serving_ticket_refuses_called_only_actions(l01: Hall, engine: Engine, action: str) -> None:
    """Once serving, start/recall/no-show/return are illegal; state and events unchanged."""
    tid = _called(l01)
    l01.calls.recall(counter="L01", officer="budi")  # enough calls for no_show
    l01.calls.start(counter="L01", officer="budi")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        getattr(l01.calls, action)(counter="L01", officer="budi")
    assert err.value.key == "err.illegal_transition"
    assert_readable(err.value, "A-001")
    assert ticket_row(engine, tid).status == "serving"
    assert events_since(engine, mark) == []


def test_finish_from_serving(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """finish from serving: → done with outcome; started_at is the start, not the call."""
    tid = _called(l01)
    clock.advance(minutes=1)
    started = l01.calls.start(counter="L01", officer="budi").started_at
    clock.advance(minutes=7)
    mark = last_event_id(engine)
    view = l01.calls.finish(counter="L01", officer="budi", outcome="berkas_tidak_lengkap")
    assert view.status is S.DONE
    assert view.outcome == "berkas_tidak_lengkap"
    assert view.started_at == started
    assert view.finished_at == clock.now()
    evs = events_since(engine, mark)
    assert [(e.ticket_id, e.kind, e.status_from, e.status_to) for e in evs] == [
        (tid, "finished", "serving", "done")
    ]
    assert json.loads(evs[0].detail) == {"outcome": "berkas_tidak_lengkap"}
    assert l01.tickets.counter_view(counter="L01").active is None


def test_finish_straight_from_called_starts_at_call_time(
    l01: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """finish from called: → done and started_at = called_at (service time from the call)."""
    tid = _called(l01)
    called_at = ticket_row(engine, tid).called_at
    clock.advance(minutes=4)
    mark = last_event_id(engine)
    view = l01.calls.finish(counter="L01", officer="budi", outcome="informasi")
    assert view.status is S.DONE
    assert view.started_at == called_at == view.called_at
    assert view.finished_at == clock.now()
    assert ticket_row(engine, tid).started_at == called_at
    assert event_tuples_since(engine, mark) == [(tid, "finished", "called", "done")]


def test_finish_outcome_rules(l01: Hall, engine: Engine) -> None:
    """Unknown outcome → NotFound; `lainnya` without a note → InvalidInput; both write nothing."""
    tid = _called(l01)
    mark = last_event_id(engine)
    with pytest.raises(NotFound) as nf:
        l01.calls.finish(counter="L01", officer="budi", outcome="beres")
    assert_readable(nf.value, "beres")
    with pytest.raises(InvalidInput) as inv:
        l01.calls.finish(counter="L01", officer="budi", outcome="lainnya", note="   ")
    assert_readable(inv.value, "Lainnya")
    assert ticket_row(engine, tid).status == "called"
    assert events_since(engine, mark) == []
    view = l01.calls.finish(
        counter="L01", officer="budi", outcome="lainnya", note="  minta legalisir "
    )
    assert (view.outcome, view.note) == ("lainnya", "minta legalisir")


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("recall", {}),
        ("start", {}),
        ("finish", {}),
        ("no_show", {}),
        ("return_to_queue", {}),
        ("transfer", {"service": "AKTA_LAHIR"}),
    ],
)
def test_actions_need_an_active_ticket(
    l01: Hall, engine: Engine, action: str, kwargs: dict[str, str]
) -> None:
    """With no called/serving ticket at the counter every ticket action is a clear Conflict."""
    l01.issuing.issue_ticket(service="KTP")  # waiting, not called
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        getattr(l01.calls, action)(counter="L01", officer="budi", **kwargs)
    assert err.value.key == "err.counter_no_active"
    assert_readable(err.value, "L01")
    assert events_since(engine, mark) == []


def test_action_on_the_wrong_ticket_id(l01: Hall, engine: Engine) -> None:
    """Naming a ticket the counter does not hold is refused (a stale screen cannot finish it)."""
    tid = _called(l01)
    other = l01.issuing.issue_ticket(service="KTP").ticket.id
    with pytest.raises(Conflict) as err:
        l01.calls.finish(counter="L01", officer="budi", ticket=other)
    assert err.value.key == "err.ticket_not_at_counter"
    assert_readable(err.value, "L01")
    assert ticket_row(engine, tid).status == "called"
    assert l01.calls.finish(counter="L01", officer="budi", ticket=tid).status is S.DONE


# --- no-show --------------------------------------------------------------------------------------


def test_no_show_needs_two_calls(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """no_show after one call is refused; after a recall it is called → no_show, counter freed."""
    tid = _called(l01)
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.calls.no_show(counter="L01", officer="budi")
    assert err.value.key == "err.no_show_too_early"
    assert_readable(err.value, "2")
    assert ticket_row(engine, tid).status == "called"
    assert events_since(engine, mark) == []

    l01.calls.recall(counter="L01", officer="budi")
    clock.advance(minutes=2)
    mark = last_event_id(engine)
    view = l01.calls.no_show(counter="L01", officer="budi")
    assert view.status is S.NO_SHOW
    assert view.finished_at == clock.now()
    assert event_tuples_since(engine, mark) == [(tid, "no_show", "called", "no_show")]
    assert l01.tickets.counter_view(counter="L01").active is None


# --- transfer -------------------------------------------------------------------------------------


def test_transfer_keeps_code_links_parent_and_queues_by_arrival(
    l01: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """transfer: parent → transferred; a waiting child with the same code, parent_id, priority,
    placed by the parent's arrival, i.e. ahead of tickets issued after the parent."""
    parent_id = l01.issuing.issue_ticket(service="KTP", priority="lansia").ticket.id
    later = l01.issuing.issue_ticket(service="AKTA_LAHIR", priority="lansia").ticket
    l01.calls.call_ticket(counter="L01", officer="budi", ticket=parent_id)
    l01.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=5)
    mark = last_event_id(engine)
    child = l01.calls.transfer(
        counter="L01", officer="budi", service="akta_lahir", note="lanjut akta"
    )
    parent = l01.tickets.ticket(code=parent_id)

    assert parent.status is S.TRANSFERRED
    assert parent.finished_at == clock.now()
    assert child.id != parent_id
    assert (child.code, child.parent_id, child.status) == ("A-001", parent_id, S.WAITING)
    assert (child.service_code, child.priority, child.note) == (
        "AKTA_LAHIR",
        "lansia",
        "lanjut akta",
    )
    assert child.target_counter_code is None
    assert ticket_row(engine, child.id).number == ticket_row(engine, parent_id).number
    assert ticket_row(engine, child.id).sort_key == ticket_row(engine, parent_id).sort_key
    assert event_tuples_since(engine, mark) == [
        (parent_id, "transferred", "serving", "transferred"),
        (child.id, "transferred_in", None, "waiting"),
    ]
    # The code now names the child (newest of the chain).
    assert l01.tickets.ticket(code="A-001").id == child.id

    l01.sessions.open_counter(counter="L02", officer="sari")
    assert [t.id for t in l01.tickets.waiting_list(counter="L02")] == [child.id, later.id]
    assert l01.calls.call_next(counter="L02", officer="sari").id == child.id


def test_transfer_from_called_starts_at_call_time(l01: Hall, engine: Engine) -> None:
    """Transferring straight from called stamps the parent's started_at with its call time."""
    tid = _called(l01)
    mark = last_event_id(engine)
    child = l01.calls.transfer(counter="L01", officer="budi", service="AKTA_MATI")
    row = ticket_row(engine, tid)
    assert row.status == "transferred"
    assert row.started_at == row.called_at
    assert event_tuples_since(engine, mark) == [
        (tid, "transferred", "called", "transferred"),
        (child.id, "transferred_in", None, "waiting"),
    ]


def test_transfer_to_a_counter_restricts_who_calls_it(l01: Hall, engine: Engine) -> None:
    """A child sent to L18 is invisible to L02 (which also serves the service) and L18 calls it."""
    tid = _called(l01)
    other = l01.issuing.issue_ticket(service="AKTA_LAHIR").ticket
    child = l01.calls.transfer(
        counter="L01", officer="budi", service="AKTA_LAHIR", to_counter="l18"
    )
    assert child.target_counter_code == "L18"
    assert ticket_row(engine, tid).status == "transferred"

    l01.sessions.open_counter(counter="L02", officer="sari")
    assert [t.id for t in l01.tickets.waiting_list(counter="L02")] == [other.id]
    with pytest.raises(Conflict) as err:
        l01.calls.call_ticket(counter="L02", officer="sari", ticket=child.id)
    assert ticket_row(engine, child.id).status == "waiting"
    assert_readable(err.value, "A-001")
    assert l01.calls.call_next(counter="L02", officer="sari").id == other.id

    l01.sessions.open_counter(counter="L18", officer="spv")
    assert next(t.id for t in l01.tickets.waiting_list(counter="L18")) == child.id
    assert l01.calls.call_next(counter="L18", officer="spv").id == child.id


def test_transfer_to_a_counter_that_lacks_the_service(l01: Hall, engine: Engine) -> None:
    """to_counter must serve the target service; otherwise nothing changes."""
    tid = _called(l01)
    before = snapshot(engine)
    with pytest.raises(Conflict) as err:
        l01.calls.transfer(counter="L01", officer="budi", service="AKTA_LAHIR", to_counter="L03")
    assert err.value.key == "err.service_not_at_counter"
    assert_readable(err.value, "L03")
    assert snapshot(engine) == before
    assert ticket_row(engine, tid).status == "called"


def test_transfer_to_the_same_service_is_refused(l01: Hall, engine: Engine) -> None:
    """Transferring a KTP ticket to KTP is a Conflict; no child, no event."""
    tid = _called(l01)
    before = snapshot(engine)
    with pytest.raises(Conflict) as err:
        l01.calls.transfer(counter="L01", officer="budi", service="KTP")
    assert err.value.key == "err.transfer_same_service"
    assert_readable(err.value, "A-001")
    assert snapshot(engine) == before
    assert ticket_row(engine, tid).status == "called"


def test_transfer_to_an_unknown_service(l01: Hall, engine: Engine) -> None:
    """An unknown target service is NotFound; nothing changes."""
    _called(l01)
    before = snapshot(engine)
    with pytest.raises(NotFound):
        l01.calls.transfer(counter="L01", officer="budi", service="NOPE")
    assert snapshot(engine) == before


# --- return to queue ------------------------------------------------------------------------------


def test_return_to_queue_last(l01: Hall, engine: Engine) -> None:
    """return last: called → waiting behind everyone issued so far, ahead of later arrivals."""
    a1, a2, a3 = (l01.issuing.issue_ticket(service="KTP").ticket.id for _ in range(3))
    assert l01.calls.call_next(counter="L01", officer="budi").id == a1
    mark = last_event_id(engine)
    view = l01.calls.return_to_queue(counter="L01", officer="budi", position=QueuePosition.LAST)
    assert view.status is S.WAITING
    assert view.counter_code is None
    assert view.officer is None
    assert view.call_count == 0  # calls count anew: no-show needs fresh recalls
    evs = events_since(engine, mark)
    assert [(e.ticket_id, e.kind, e.status_from, e.status_to) for e in evs] == [
        (a1, "returned", "called", "waiting")
    ]
    assert json.loads(evs[0].detail) == {"position": "last"}
    a4 = l01.issuing.issue_ticket(service="KTP").ticket.id
    assert [t.id for t in l01.tickets.waiting_list(counter="L01")] == [a2, a3, a1, a4]
    assert l01.calls.call_next(counter="L01", officer="budi").id == a2


def test_return_to_queue_first(l01: Hall, engine: Engine) -> None:
    """return first: the ticket goes back in front of every waiter of its service."""
    a1, a2, a3 = (l01.issuing.issue_ticket(service="KTP").ticket.id for _ in range(3))
    l01.calls.call_ticket(counter="L01", officer="budi", ticket=a3)
    mark = last_event_id(engine)
    view = l01.calls.return_to_queue(counter="L01", officer="budi", position="first")  # type: ignore[arg-type]
    assert view.status is S.WAITING
    assert event_tuples_since(engine, mark) == [(a3, "returned", "called", "waiting")]
    assert [t.id for t in l01.tickets.waiting_list(counter="L01")] == [a3, a1, a2]
    assert l01.calls.call_next(counter="L01", officer="budi").id == a3


# --- supervisor: cancel / reactivate --------------------------------------------------------------


def test_cancel_a_waiting_ticket(queue: Hall, engine: Engine, clock: FrozenClock) -> None:
    """cancel: waiting → cancelled by a supervisor, with the reason in the event."""
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    view = queue.supervision.cancel(ticket="A-001", officer="spv", reason="salah pilih layanan")
    assert view.status is S.CANCELLED
    assert view.finished_at == clock.now()
    evs = events_since(engine, mark)
    assert [(e.ticket_id, e.kind, e.status_from, e.status_to) for e in evs] == [
        (tid, "cancelled", "waiting", "cancelled")
    ]
    assert json.loads(evs[0].detail) == {"reason": "salah pilih layanan"}
    assert evs[0].officer_id is not None


def test_cancel_a_called_ticket_frees_the_counter(l01: Hall, engine: Engine) -> None:
    """cancel: called → cancelled; the event names the counter and the counter is free again."""
    tid = _called(l01)
    nxt = l01.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    l01.supervision.cancel(ticket=tid, officer="spv")
    evs = events_since(engine, mark)
    assert [(e.ticket_id, e.kind, e.status_from, e.status_to) for e in evs] == [
        (tid, "cancelled", "called", "cancelled")
    ]
    assert evs[0].counter_id is not None
    assert l01.tickets.counter_view(counter="L01").active is None
    assert l01.calls.call_next(counter="L01", officer="budi").id == nxt


@pytest.mark.parametrize("final", ["done", "no_show", "transferred", "expired", "cancelled"])
def test_final_tickets_cannot_be_cancelled_or_called(
    l01: Hall, engine: Engine, clock: FrozenClock, final: str
) -> None:
    """Tickets in a final state refuse cancel and call_ticket with a clear error."""
    if final == "expired":
        tid = l01.issuing.issue_ticket(service="KTP").ticket.id
        l01.supervision.close_day(day=l01.today(), officer="spv")
    else:
        tid = _called(l01)
        if final == "done":
            l01.calls.finish(counter="L01", officer="budi")
        elif final == "no_show":
            l01.calls.recall(counter="L01", officer="budi")
            l01.calls.no_show(counter="L01", officer="budi")
        elif final == "transferred":
            l01.calls.transfer(counter="L01", officer="budi", service="AKTA_LAHIR")
        else:
            l01.supervision.cancel(ticket=tid, officer="spv")
    assert ticket_row(engine, tid).status == final
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.supervision.cancel(ticket=tid, officer="spv")
    assert err.value.key == "err.illegal_transition"
    assert_readable(err.value, "A-001")
    with pytest.raises(Conflict):
        l01.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert ticket_row(engine, tid).status == final
    assert events_since(engine, mark) == []


def test_serving_ticket_cannot_be_cancelled(l01: Hall, engine: Engine) -> None:
    """Cancel is for waiting or called tickets; a ticket being served must be finished."""
    tid = _called(l01)
    l01.calls.start(counter="L01", officer="budi")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.supervision.cancel(ticket="A-001", officer="spv")
    assert err.value.key == "err.illegal_transition"
    assert_readable(err.value, "A-001")
    assert ticket_row(engine, tid).status == "serving"
    assert events_since(engine, mark) == []


def test_reactivate_no_show_within_grace(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """reactivate: no_show → waiting 30 minutes later (the edge of the window); callable again."""
    tid = _called(l01)
    l01.calls.recall(counter="L01", officer="budi")
    l01.calls.no_show(counter="L01", officer="budi")
    clock.advance(minutes=30)
    mark = last_event_id(engine)
    view = l01.supervision.reactivate(ticket="A-001", officer="spv")
    assert view.status is S.WAITING
    assert (view.counter_code, view.officer, view.finished_at) == (None, None, None)
    assert event_tuples_since(engine, mark) == [(tid, "reactivated", "no_show", "waiting")]
    assert l01.calls.call_next(counter="L01", officer="budi").id == tid


def test_reactivate_cancelled(queue: Hall, engine: Engine, clock: FrozenClock) -> None:
    """reactivate: cancelled → waiting within the window."""
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    queue.supervision.cancel(ticket=tid, officer="spv")
    clock.advance(minutes=10)
    mark = last_event_id(engine)
    assert queue.supervision.reactivate(ticket=tid, officer="spv").status is S.WAITING
    assert event_tuples_since(engine, mark) == [(tid, "reactivated", "cancelled", "waiting")]


def test_reactivate_refused_after_grace(l01: Hall, engine: Engine, clock: FrozenClock) -> None:
    """31 minutes after the no-show the window (30 min) is closed: Conflict, nothing changes."""
    tid = _called(l01)
    l01.calls.recall(counter="L01", officer="budi")
    l01.calls.no_show(counter="L01", officer="budi")
    clock.advance(minutes=31)
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.supervision.reactivate(ticket=tid, officer="spv")
    assert err.value.key == "err.reactivate_expired"
    assert_readable(err.value, "A-001", "30")
    assert ticket_row(engine, tid).status == "no_show"
    assert events_since(engine, mark) == []


@pytest.mark.parametrize("state", ["waiting", "called", "serving", "done", "transferred"])
def test_reactivate_refused_from_other_states(l01: Hall, engine: Engine, state: str) -> None:
    """Only no_show and cancelled tickets can be reactivated."""
    if state == "waiting":
        tid = l01.issuing.issue_ticket(service="KTP").ticket.id
    else:
        tid = _called(l01)
        if state == "serving":
            l01.calls.start(counter="L01", officer="budi")
        elif state == "done":
            l01.calls.finish(counter="L01", officer="budi")
        elif state == "transferred":
            l01.calls.transfer(counter="L01", officer="budi", service="KK")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        l01.supervision.reactivate(ticket=tid, officer="spv")
    assert err.value.key == "err.illegal_transition"
    assert_readable(err.value)
    assert ticket_row(engine, tid).status == state
    assert events_since(engine, mark) == []


# --- close_day ------------------------------------------------------------------------------------


def test_close_day_expires_leftovers_exactly_once(
    l01: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """close_day expires yesterday's waiting tickets once; the second run returns 0 and writes
    nothing; finished tickets and today's tickets are untouched."""
    done = _called(l01)
    l01.calls.finish(counter="L01", officer="budi")
    left = [l01.issuing.issue_ticket(service=s).ticket.id for s in ("KTP", "KK", "NIB")]
    clock.advance(days=1)  # Tuesday 09:00 WIB
    today = l01.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    assert l01.supervision.close_day(officer="spv") == 3
    evs = events_since(engine, mark)
    assert sorted((e.ticket_id, e.kind, e.status_from, e.status_to) for e in evs) == [
        (tid, "expired", "waiting", "expired") for tid in left
    ]
    assert all(ticket_row(engine, tid).status == "expired" for tid in left)
    assert all(ticket_row(engine, tid).finished_at == clock.now() for tid in left)
    assert ticket_row(engine, done).status == "done"
    assert ticket_row(engine, today).status == "waiting"

    mark = last_event_id(engine)
    assert l01.supervision.close_day() == 0
    assert l01.supervision.close_day(day=clock.now().date() - timedelta(days=1)) == 0
    assert events_since(engine, mark) == []


def test_close_day_by_an_operator_is_refused(queue: Hall, engine: Engine) -> None:
    """Closing the day on record needs a supervisor; a refusal does not use up the close."""
    queue.issuing.issue_ticket(service="KTP")
    with pytest.raises(PermissionDenied) as err:
        queue.supervision.close_day(day=queue.today(), officer="budi")
    assert_readable(err.value, "budi")
    assert queue.supervision.close_day(day=queue.today(), officer="spv") == 1
