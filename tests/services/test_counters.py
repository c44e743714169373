"""Counter sessions and who may act where (DESIGN §4, §7), on both backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.enums import CounterState, PauseReason
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, NotFound, PermissionDenied
from mpp_tui.services.officers import OfficerService
from mpp_tui.services.queue import QueueService

from .helpers import (
    assert_readable,
    counter_events,
    event_tuples_since,
    events_since,
    last_event_id,
    ticket_row,
)

# --- sessions -------------------------------------------------------------------------------------


def test_open_pause_resume_close(queue: QueueService, engine: Engine) -> None:
    """open → pause(reason) → resume → close, each changing the state and logging a
    counter_event with the officer and (for the pause) the reason."""
    assert queue.counter_view(counter="L01").state is CounterState.CLOSED
    queue.open_counter(counter="l01", officer="Budi")
    view = queue.counter_view(counter="L01")
    assert (view.state, view.officer) == (CounterState.OPEN, "budi")

    queue.pause_counter(counter="L01", officer="budi", reason=PauseReason.SHOLAT)
    view = queue.counter_view(counter="L01")
    assert (view.state, view.pause_reason, view.officer) == (CounterState.PAUSED, "sholat", "budi")

    queue.resume_counter(counter="L01", officer="budi")
    view = queue.counter_view(counter="L01")
    assert (view.state, view.pause_reason) == (CounterState.OPEN, None)

    queue.close_counter(counter="L01", officer="budi")
    view = queue.counter_view(counter="L01")
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


def test_pause_other_reason_keeps_the_note(queue: QueueService) -> None:
    """`lainnya` pauses carry the officer's note."""
    queue.open_counter(counter="L01", officer="budi")
    queue.pause_counter(counter="L01", officer="budi", reason="lainnya", note=" rapat koordinasi ")
    assert queue.counter_view(counter="L01").pause_reason == "lainnya: rapat koordinasi"


def test_open_is_idempotent_for_the_same_officer(queue: QueueService, engine: Engine) -> None:
    """Opening again where you already sit changes nothing and logs nothing."""
    queue.open_counter(counter="L01", officer="budi")
    queue.open_counter(counter="L01", officer="budi")
    assert [e.kind for e in counter_events(engine)] == ["opened"]


def test_officer_already_at_another_counter(queue: QueueService) -> None:
    """An officer signed in at L01 cannot open L02: the error names the other counter."""
    queue.open_counter(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.open_counter(counter="L02", officer="budi")
    assert err.value.key == "err.officer_elsewhere"
    assert_readable(err.value, "budi", "L01")
    assert queue.counter_view(counter="L02").state is CounterState.CLOSED
    queue.close_counter(counter="L01", officer="budi")
    queue.open_counter(counter="L02", officer="budi")
    assert queue.counter_view(counter="L02").officer == "budi"


def test_counter_taken_by_another_officer(queue: QueueService) -> None:
    """Sari cannot open L01 while Budi holds it; the error names Budi."""
    queue.open_counter(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.open_counter(counter="L01", officer="sari")
    assert err.value.key == "err.counter_taken"
    assert_readable(err.value, "L01", "budi")
    assert queue.counter_view(counter="L01").officer == "budi"


def test_close_refused_while_holding_a_ticket(queue: QueueService) -> None:
    """A counter holding a called ticket cannot close; after finishing it can."""
    queue.open_counter(counter="L01", officer="budi")
    queue.issue_ticket(service="KTP")
    queue.call_next(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.close_counter(counter="L01", officer="budi")
    assert err.value.key == "err.counter_has_ticket"
    assert_readable(err.value, "L01", "A-001")
    assert queue.counter_view(counter="L01").state is CounterState.OPEN
    queue.finish(counter="L01", officer="budi")
    queue.close_counter(counter="L01", officer="budi")
    assert queue.counter_view(counter="L01").state is CounterState.CLOSED


def test_call_next_refused_when_paused(queue: QueueService, engine: Engine) -> None:
    """A paused counter cannot call (the error gives the pause reason); after resume it can."""
    queue.open_counter(counter="L01", officer="budi")
    tid = queue.issue_ticket(service="KTP").ticket.id
    queue.pause_counter(counter="L01", officer="budi", reason="istirahat")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.call_next(counter="L01", officer="budi")
    assert err.value.key == "err.counter_paused"
    assert_readable(err.value, "L01", "istirahat")
    with pytest.raises(Conflict):
        queue.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "waiting"
    queue.resume_counter(counter="L01", officer="budi")
    assert queue.call_next(counter="L01", officer="budi").id == tid


def test_call_next_refused_when_closed(queue: QueueService, engine: Engine) -> None:
    """At a closed counter even a supervisor cannot call; an operator is not signed in there."""
    tid = queue.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.call_next(counter="L01", officer="spv")
    assert err.value.key == "err.counter_closed"
    assert_readable(err.value, "L01")
    with pytest.raises(PermissionDenied):
        queue.call_next(counter="L01", officer="budi")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "waiting"


def test_counter_busy_when_calling_twice(queue: QueueService, engine: Engine) -> None:
    """A counter holds one ticket: a second call_next/call_ticket is refused, naming the first."""
    queue.open_counter(counter="L01", officer="budi")
    first = queue.issue_ticket(service="KTP").ticket.id
    second = queue.issue_ticket(service="KTP").ticket.id
    queue.call_next(counter="L01", officer="budi")
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.call_next(counter="L01", officer="budi")
    assert err.value.key == "err.counter_busy"
    assert_readable(err.value, "L01", "A-001")
    with pytest.raises(Conflict) as err:
        queue.call_ticket(counter="L01", officer="budi", ticket=second)
    assert err.value.key == "err.counter_busy"
    assert events_since(engine, mark) == []
    assert (ticket_row(engine, first).status, ticket_row(engine, second).status) == (
        "called",
        "waiting",
    )


def test_pause_and_resume_in_the_wrong_state(queue: QueueService) -> None:
    """Resume when not paused and pause when already paused are clear Conflicts."""
    queue.open_counter(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.resume_counter(counter="L01", officer="budi")
    assert err.value.key == "err.counter_not_paused"
    assert_readable(err.value, "L01")
    queue.pause_counter(counter="L01", officer="budi", reason="rapat")
    with pytest.raises(Conflict) as err:
        queue.pause_counter(counter="L01", officer="budi", reason="sholat")
    assert err.value.key == "err.counter_not_open"
    assert queue.counter_view(counter="L01").pause_reason == "rapat"


def test_supervisor_force_closes_a_counter(queue: QueueService, officers: OfficerService) -> None:
    """A supervisor may sign an officer out of a counter; the officer can then open elsewhere."""
    queue.open_counter(counter="L01", officer="budi")
    queue.close_counter(counter="L01", officer="spv", reason="petugas pulang")
    assert queue.counter_view(counter="L01").state is CounterState.CLOSED
    assert {o.username: o.counter_code for o in officers.list()}["budi"] is None
    queue.open_counter(counter="L02", officer="budi")
    assert queue.counter_view(counter="L02").officer == "budi"


def test_unknown_counter_or_officer(queue: QueueService) -> None:
    """Unknown counter and unknown officer are NotFound with readable messages."""
    with pytest.raises(NotFound) as err:
        queue.open_counter(counter="L99", officer="budi")
    assert_readable(err.value, "L99")
    with pytest.raises(NotFound) as err:
        queue.open_counter(counter="L01", officer="nobody")
    assert_readable(err.value, "nobody")


# --- roles ----------------------------------------------------------------------------------------

Action = Callable[[QueueService, str], Any]

COUNTER_ACTIONS: dict[str, Action] = {
    "call_next": lambda q, who: q.call_next(counter="L01", officer=who),
    "call_ticket": lambda q, who: q.call_ticket(counter="L01", officer=who, ticket="A-002"),
    "recall": lambda q, who: q.recall(counter="L01", officer=who),
    "start": lambda q, who: q.start(counter="L01", officer=who),
    "finish": lambda q, who: q.finish(counter="L01", officer=who),
    "no_show": lambda q, who: q.no_show(counter="L01", officer=who),
    "return": lambda q, who: q.return_to_queue(counter="L01", officer=who),
    "transfer": lambda q, who: q.transfer(counter="L01", officer=who, service="AKTA_LAHIR"),
    "pause": lambda q, who: q.pause_counter(counter="L01", officer=who, reason="istirahat"),
    "close": lambda q, who: q.close_counter(counter="L01", officer=who),
}


@pytest.fixture
def busy_l01(queue: QueueService) -> tuple[QueueService, int]:
    """Budi at L01 holding A-001 (called twice); A-002 waiting."""
    queue.open_counter(counter="L01", officer="budi")
    tid = queue.issue_ticket(service="KTP").ticket.id
    queue.issue_ticket(service="KTP")
    queue.call_next(counter="L01", officer="budi")
    queue.recall(counter="L01", officer="budi")
    return queue, tid


@pytest.mark.parametrize("action", sorted(COUNTER_ACTIONS))
def test_operator_cannot_act_at_a_counter_they_do_not_hold(
    busy_l01: tuple[QueueService, int], engine: Engine, action: str
) -> None:
    """Sari (operator, signed in at L02) is refused every action at Budi's L01; nothing changes."""
    queue, tid = busy_l01
    queue.open_counter(counter="L02", officer="sari")
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        COUNTER_ACTIONS[action](queue, "sari")
    assert err.value.key == "err.denied_counter"
    assert_readable(err.value, "sari", "L01")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "called"
    view = queue.counter_view(counter="L01")
    assert (view.state, view.officer) == (CounterState.OPEN, "budi")


@pytest.mark.parametrize("action", sorted(COUNTER_ACTIONS))
def test_supervisor_may_act_at_any_counter(
    busy_l01: tuple[QueueService, int], engine: Engine, action: str
) -> None:
    """A supervisor may do every counter action at Budi's counter, and is recorded as the actor."""
    queue, _tid = busy_l01
    if action in ("call_next", "call_ticket", "close", "pause"):
        queue.finish(counter="L01", officer="budi")  # those need an idle counter (or any)
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


def test_operator_cannot_cancel_or_reactivate(queue: QueueService, engine: Engine) -> None:
    """Cancel and reactivate are supervisor actions: an operator gets PermissionDenied."""
    tid = queue.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.cancel(ticket=tid, officer="budi")
    assert err.value.key == "err.denied_role"
    assert_readable(err.value, "budi", "operator")
    assert ticket_row(engine, tid).status == "waiting"

    queue.cancel(ticket=tid, officer="admin")  # admin supervises too
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.reactivate(ticket=tid, officer="sari")
    assert_readable(err.value, "sari")
    assert ticket_row(engine, tid).status == "cancelled"
    assert events_since(engine, mark) == []
    assert queue.reactivate(ticket=tid, officer="spv").status is S.WAITING


def test_disabled_operator_is_refused_at_their_own_counter(
    busy_l01: tuple[QueueService, int], officers: OfficerService, engine: Engine
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
        queue.open_counter(counter="L03", officer="budi")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "called"
    queue.finish(counter="L01", officer="spv")
    queue.close_counter(counter="L01", officer="spv")
    officers.enable(username="budi")
    queue.open_counter(counter="L01", officer="budi")


def test_disabled_supervisor_loses_supervisor_rights(
    queue: QueueService, officers: OfficerService, engine: Engine
) -> None:
    """A disabled supervisor can no longer cancel, override or act at counters."""
    tid = queue.issue_ticket(service="KTP").ticket.id
    queue.open_counter(counter="L01", officer="budi")
    officers.disable(username="spv")
    mark = last_event_id(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.cancel(ticket=tid, officer="spv")
    assert_readable(err.value, "spv")
    with pytest.raises(PermissionDenied):
        queue.call_next(counter="L01", officer="spv")
    with pytest.raises(PermissionDenied):
        queue.issue_ticket(service="KTP", override_by="spv")
    assert events_since(engine, mark) == []
    assert ticket_row(engine, tid).status == "waiting"


def test_supervisor_call_is_recorded_under_the_supervisor(
    queue: QueueService, engine: Engine
) -> None:
    """When a supervisor calls at Budi's counter the ticket and its event name the supervisor."""
    queue.open_counter(counter="L01", officer="budi")
    tid = queue.issue_ticket(service="KTP").ticket.id
    mark = last_event_id(engine)
    view = queue.call_next(counter="L01", officer="spv")
    assert (view.counter_code, view.officer) == ("L01", "spv")
    assert event_tuples_since(engine, mark) == [(tid, "called", "waiting", "called")]
    assert queue.history(ticket_id=tid)[-1].officer == "spv"
    assert queue.counter_view(counter="L01").officer == "budi"
