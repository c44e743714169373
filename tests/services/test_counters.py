"""Counter sessions and who may act where (DESIGN §4, §7), on both backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.enums import CounterState, PauseReason
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, NotFound, PermissionDenied
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers

from .helpers import (
    assert_readable,
    counter_events,
    event_tuples_since,
    events_since,
    last_event_id,
    ticket_row,
)

# --- sessions -------------------------------------------------------------------------------------


def test_open_pause_resume_close(queue: Hall, engine: Engine) -> None:
    """open → pause(reason) → resume → close, each changing the state and logging a
    counter_event with the officer and (for the pause) the reason."""
    assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED
    queue.sessions.open_counter(counter="l01", officer="Budi")
    view = queue.tickets.counter_view(counter="L01")
    assert (view.state, view.officer) == (CounterState.OPEN, "budi")

    queue.sessions.pause_counter(counter="L01", officer="budi", reason=PauseReason.SHOLAT)
    view = queue.tickets.counter_view(counter="L01")
    assert (view.state, view.pause_reason, view.officer) == (CounterState.PAUSED, "sholat", "budi")

    queue.sessions.resume_counter(counter="L01", officer="budi")
    view = queue.tickets.counter_view(counter="L01")
    assert (view.state, view.pause_reason) == (CounterState.OPEN, None)

    queue.sessions.close_counter(counter="L01", officer="budi")
    view = queue.tickets.counter_view(counter="L01")
    assert (view.state, view.officer) == (CounterState.CLOSED, None)

    evs = counter_events(engine)
    assert [(e.kind, e.reason) for e in evs] == [
        ("opened", None),
        ("paused", "sholat"),
        ("resumed", None),
        ("closed", None),
    ]
    assert len({e.officer_id for e in evs}) == 1
    assert evs[0].officer_id is not None


def test_pause_other_reason_keeps_the_note(queue: Hall) -> None:
    """`lainnya` pauses carry the officer's note."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.pause_counter(
        counter="L01", officer="budi", reason="lainnya", note=" rapat koordinasi "
    )
    assert queue.tickets.counter_view(counter="L01").pause_reason == "lainnya: rapat koordinasi"


def test_open_is_idempotent_for_the_same_officer(queue: Hall, engine: Engine) -> None:
    """Opening again where you already sit changes nothing and logs nothing."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L01", officer="budi")
    assert [e.kind for e in counter_events(engine)] == ["opened"]


def test_officer_already_at_another_counter(queue: Hall) -> None:
    """An officer signed in at L01 cannot open L02: the error names the other counter."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.sessions.open_counter(counter="L02", officer="budi")
    assert err.value.key == "err.officer_elsewhere"
    assert_readable(err.value, "budi", "L01")
    assert queue.tickets.counter_view(counter="L02").state is CounterState.CLOSED
    queue.sessions.close_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="budi")
    assert queue.tickets.counter_view(counter="L02").officer == "budi"


def test_counter_taken_by_another_officer(queue: Hall) -> None:
    """Sari cannot open L01 while Budi holds it; the error names Budi."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.sessions.open_counter(counter="L01", officer="sari")
    assert err.value.key == "err.counter_taken"
    assert_readable(err.value, "L01", "budi")
    assert queue.tickets.counter_view(counter="L01").officer == "budi"


def test_close_refused_while_holding_a_ticket(queue: Hall) -> None:
    """A counter holding a called ticket cannot close; after finishing it can."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.sessions.close_counter(counter="L01", officer="budi")
    assert err.value.key == "err.counter_has_ticket"
    assert_readable(err.value, "L01", "A-001")
    assert queue.tickets.counter_view(counter="L01").state is CounterState.OPEN
    queue.calls.finish(counter="L01", officer="budi")
    queue.sessions.close_counter(counter="L01", officer="budi")
    assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED


def test_call_next_refused_when_paused(queue: Hall, engine: Engine) -> None:
    """A paused counter cannot call (the error gives the pause reason); after resume it can."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    queue.sessions.pause_counter(counter="L01", officer="budi", reason="istirahat")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.calls.call_next(counter="L01", officer="budi")
    assert err.value.key == "err.counter_paused"
    assert_readable(err.value, "L01", "istirahat")
    with pytest.raises(Conflict):
        queue.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "waiting"
    queue.sessions.resume_counter(counter="L01", officer="budi")
    assert queue.calls.call_next(counter="L01", officer="budi").id == tid


def test_call_next_refused_when_closed(queue: Hall, engine: Engine) -> None:
    """At a closed counter even a supervisor cannot call; an operator is not signed in there."""
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.calls.call_next(counter="L01", officer="spv")
    assert err.value.key == "err.counter_closed"
    assert_readable(err.value, "L01")
    with pytest.raises(PermissionDenied):
        queue.calls.call_next(counter="L01", officer="budi")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "waiting"


def test_counter_busy_when_calling_twice(queue: Hall, engine: Engine) -> None:
    """A counter holds one ticket: a second call_next/call_ticket is refused, naming the first."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    first = queue.issuing.issue_ticket(service="KTP").ticket.id
    second = queue.issuing.issue_ticket(service="KTP").ticket.id
    queue.calls.call_next(counter="L01", officer="budi")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.calls.call_next(counter="L01", officer="budi")
    assert err.value.key == "err.counter_busy"
    assert_readable(err.value, "L01", "A-001")
    with pytest.raises(Conflict) as err:
        queue.calls.call_ticket(counter="L01", officer="budi", ticket=second)
    assert err.value.key == "err.counter_busy"
    assert events_since(engine, mark) == []
    assert (ticket_row(engine, first).status, ticket_row(engine, second).status) == (
        "called",
        "waiting",
    )


def test_pause_and_resume_in_the_wrong_state(queue: Hall) -> None:
    """Resume when not paused and pause when already paused are clear Conflicts."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.sessions.resume_counter(counter="L01", officer="budi")
    assert err.value.key == "err.counter_not_paused"
    assert_readable(err.value, "L01")
    queue.sessions.pause_counter(counter="L01", officer="budi", reason="rapat")
    with pytest.raises(Conflict) as err:
        queue.sessions.pause_counter(counter="L01", officer="budi", reason="sholat")
    assert err.value.key == "err.counter_not_open"
    assert queue.tickets.counter_view(counter="L01").pause_reason == "rapat"


def test_supervisor_force_closes_a_counter(queue: Hall, officers: Officers) -> None:
    """A supervisor may sign an officer out of a counter; the officer can then open elsewhere."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.close_counter(counter="L01", officer="spv", reason="petugas pulang")
    assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED
    assert {o.username: o.counter_code for o in officers.list()}["budi"] is None
    queue.sessions.open_counter(counter="L02", officer="budi")
    assert queue.tickets.counter_view(counter="L02").officer == "budi"


def test_unknown_counter_or_officer(queue: Hall) -> None:
    """Unknown counter and unknown officer are NotFound with readable messages."""
    with pytest.raises(NotFound) as err:
        queue.sessions.open_counter(counter="L99", officer="budi")
    assert_readable(err.value, "L99")
    with pytest.raises(NotFound) as err:
        queue.sessions.open_counter(counter="L01", officer="nobody")
    assert_readable(err.value, "nobody")


# --- roles ----------------------------------------------------------------------------------------

Action = Callable[[Hall, str], Any]

COUNTER_ACTIONS: dict[str, Action] = {
    "call_next": lambda q, who: q.calls.call_next(counter="L01", officer=who),
    "call_ticket": lambda q, who: q.calls.call_ticket(counter="L01", officer=who, ticket="A-002"),
    "recall": lambda q, who: q.calls.recall(counter="L01", officer=who),
    "start": lambda q, who: q.calls.start(counter="L01", officer=who),
    "finish": lambda q, who: q.calls.finish(counter="L01", officer=who),
    "no_show": lambda q, who: q.calls.no_show(counter="L01", officer=who),
    "return": lambda q, who: q.calls.return_to_queue(counter="L01", officer=who),
    "transfer": lambda q, who: q.calls.transfer(counter="L01", officer=who, service="AKTA_LAHIR"),
    "pause": lambda q, who: q.sessions.pause_counter(
        counter="L01", officer=who, reason="istirahat"
    ),
    "close": lambda q, who: q.sessions.close_counter(counter="L01", officer=who),
}


@pytest.fixture
def busy_l01(queue: Hall) -> tuple[Hall, int]:
    """Budi at L01 holding A-001 (called twice); A-002 waiting."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.recall(counter="L01", officer="budi")
    return queue, tid


@pytest.mark.parametrize("action", sorted(COUNTER_ACTIONS))
def test_operator_cannot_act_at_a_counter_they_do_not_hold(
    busy_l01: tuple[Hall, int], engine: Engine, action: str
) -> None:
    """Sari (operator, signed in at L02) is refused every action at Budi's L01; nothing changes."""
    queue, tid = busy_l01
    queue.sessions.open_counter(counter="L02", officer="sari")
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        COUNTER_ACTIONS[action](queue, "sari")
    assert err.value.key == "err.denied_counter"
    assert_readable(err.value, "sari", "L01")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "called"
    view = queue.tickets.counter_view(counter="L01")
    assert (view.state, view.officer) == (CounterState.OPEN, "budi")


@pytest.mark.parametrize("action", sorted(COUNTER_ACTIONS))
def test_supervisor_may_act_at_any_counter(
    busy_l01: tuple[Hall, int], engine: Engine, action: str
) -> None:
    """A supervisor may do every counter action at Budi's counter, and is recorded as the actor."""
    queue, _tid = busy_l01
    if action in ("call_next", "call_ticket", "close", "pause"):
        queue.calls.finish(counter="L01", officer="budi")  # those need an idle counter (or any)
    mark = last_event_id(engine)
    COUNTER_ACTIONS[action](queue, "spv")
    spv_id = next(k for k, v in queue.ref(fresh=True).officers.items() if v == "spv")
    evs = events_since(engine, mark)
    if action in ("pause", "close"):
        assert evs == []
        assert counter_events(engine)[-1].officer_id == spv_id
    else:
        assert evs
        assert all(e.officer_id == spv_id for e in evs)


def test_operator_cannot_cancel_or_reactivate(queue: Hall, engine: Engine) -> None:
    """Cancel and reactivate are supervisor actions: an operator gets PermissionDenied."""
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.supervision.cancel(ticket=tid, officer="budi")
    assert err.value.key == "err.denied_role"
    assert_readable(err.value, "budi", "operator")
    assert ticket_row(engine, tid).status == "waiting"

    queue.supervision.cancel(ticket=tid, officer="admin")  # admin supervises too
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.supervision.reactivate(ticket=tid, officer="sari")
    assert_readable(err.value, "sari")
    assert ticket_row(engine, tid).status == "cancelled"
    assert events_since(engine, mark) == []
    assert queue.supervision.reactivate(ticket=tid, officer="spv").status is S.WAITING


def test_disabled_operator_is_refused_at_their_own_counter(
    busy_l01: tuple[Hall, int], officers: Officers, engine: Engine
) -> None:
    """Disabling Budi stops him acting even at the counter he holds; a supervisor can finish."""
    queue, tid = busy_l01
    officers.disable(username="budi")
    mark = last_event_id(engine)
    for action in ("finish", "recall", "close", "pause"):
        with pytest.raises(PermissionDenied) as err:
            COUNTER_ACTIONS[action](queue, "budi")
        assert_readable(err.value, "budi")
        assert err.value.key == "err.account_disabled"
    with pytest.raises(PermissionDenied):
        queue.sessions.open_counter(counter="L03", officer="budi")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "called"
    queue.calls.finish(counter="L01", officer="spv")
    queue.sessions.close_counter(counter="L01", officer="spv")
    officers.enable(username="budi")
    queue.sessions.open_counter(counter="L01", officer="budi")


def test_disabled_supervisor_loses_supervisor_rights(
    queue: Hall, officers: Officers, engine: Engine
) -> None:
    """A disabled supervisor can no longer cancel, override or act at counters."""
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    queue.sessions.open_counter(counter="L01", officer="budi")
    officers.disable(username="spv")
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.supervision.cancel(ticket=tid, officer="spv")
    assert_readable(err.value, "spv")
    with pytest.raises(PermissionDenied):
        queue.calls.call_next(counter="L01", officer="spv")
    with pytest.raises(PermissionDenied):
        queue.issuing.issue_ticket(service="KTP", override_by="spv")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "waiting"


def test_supervisor_call_is_recorded_under_the_supervisor(queue: Hall, engine: Engine) -> None:
    """When a supervisor calls at Budi's counter the ticket and its event name the supervisor."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    view = queue.calls.call_next(counter="L01", officer="spv")
    assert (view.counter_code, view.officer) == ("L01", "spv")
    assert event_tuples_since(engine, mark) == [(tid, "called", "waiting", "called")]
    assert queue.tickets.history(ticket_id=tid)[-1].officer == "spv"
    assert queue.tickets.counter_view(counter="L01").officer == "budi"
