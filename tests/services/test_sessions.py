"""Counter sessions that expire (both backends).

A session is an officer holding a counter; the counter screen's heartbeat (every 30 s) keeps
it alive. Silent for more than SESSION_EXPIRE_MINUTES (10) since the last beat or sign-in, it
has expired: another officer may take the counter, its officer may sign in elsewhere, and
`release_expired_sessions` closes it — unless it holds a called or serving ticket.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict, PermissionDenied
from mpp_tui.domain.rules import SESSION_EXPIRE_MINUTES
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from mpp_tui.services.sessions import EXPIRED_REASON

from .helpers import assert_readable, counter_events


def holder(queue: Hall, counter: str) -> str | None:
    return queue.tickets.counter_view(counter=counter).officer


def test_the_expiry_is_ten_minutes() -> None:
    """The documented figure: 20 missed beats of a 30-second heartbeat."""
    assert SESSION_EXPIRE_MINUTES == 10


def test_a_beating_session_never_expires(queue: Hall, clock: FrozenClock) -> None:
    """Budi's screen beats every 30 s for an hour: Sari can never take L01."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    for _ in range(120):
        clock.advance(seconds=30)
        queue.sessions.heartbeat(counter="L01", officer="budi")
    with pytest.raises(Conflict) as err:
        queue.sessions.open_counter(counter="L01", officer="sari")
    assert err.value.key == "err.counter_taken"
    assert_readable(err.value, "L01", "budi")
    assert holder(queue, "L01") == "budi"


def test_expiry_boundary_and_takeover(queue: Hall, clock: FrozenClock, engine: Engine) -> None:
    """Ten minutes after the last beat the session still holds; one second later Sari takes
    L01: Budi's session is closed with reason `session expired`, his next action and his
    screen's next beat are refused."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    clock.advance(minutes=3)
    queue.sessions.heartbeat(counter="L01", officer="budi")
    clock.advance(minutes=SESSION_EXPIRE_MINUTES)
    with pytest.raises(Conflict):
        queue.sessions.open_counter(counter="L01", officer="sari")
    clock.advance(seconds=1)
    queue.sessions.open_counter(counter="L01", officer="sari")
    assert holder(queue, "L01") == "sari"
    kinds = [(e.kind, e.reason) for e in counter_events(engine)]
    assert kinds[-2:] == [("closed", EXPIRED_REASON), ("opened", None)]
    queue.issuing.issue_ticket(service="KTP")
    with pytest.raises(PermissionDenied) as denied:
        queue.calls.call_next(counter="L01", officer="budi")
    assert denied.value.key == "err.denied_counter"
    with pytest.raises(PermissionDenied) as ended:
        queue.sessions.heartbeat(counter="L01", officer="budi")
    assert ended.value.key == "err.session_ended"
    assert_readable(ended.value, "budi", "L01")


def test_a_session_without_any_beat_counts_from_sign_in(queue: Hall, clock: FrozenClock) -> None:
    """A counter worked from the CLI sends no beats: its sign-in time is the last sign of
    life."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    clock.advance(minutes=9)
    with pytest.raises(Conflict):
        queue.sessions.open_counter(counter="L01", officer="sari")
    clock.advance(minutes=2)
    queue.sessions.open_counter(counter="L01", officer="sari")
    assert holder(queue, "L01") == "sari"


def test_the_officer_moves_on_after_a_crash(queue: Hall, clock: FrozenClock) -> None:
    """Budi's PC at L01 dies. Within ten minutes he may resume at L01 from any PC but not sign
    in at L02; after that, signing in at L02 releases L01."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    clock.advance(minutes=5)
    queue.sessions.open_counter(counter="L01", officer="budi")  # the same counter from another PC
    with pytest.raises(Conflict) as err:
        queue.sessions.open_counter(counter="L02", officer="budi")
    assert err.value.key == "err.officer_elsewhere"
    clock.advance(minutes=6)
    queue.sessions.open_counter(counter="L02", officer="budi")
    assert (holder(queue, "L01"), holder(queue, "L02")) == (None, "budi")
    assert queue.tickets.counter_view(counter="L01").state == "closed"


def test_a_session_holding_a_ticket_never_expires(queue: Hall, clock: FrozenClock) -> None:
    """A visitor called to L01 keeps the session: after an hour of silence nobody takes L01,
    Budi cannot sign in elsewhere, the sweep leaves it, and Budi finishes the ticket."""
    queue.issuing.issue_ticket(service="KTP")
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.calls.call_next(counter="L01", officer="budi")
    clock.advance(hours=1)
    with pytest.raises(Conflict):
        queue.sessions.open_counter(counter="L01", officer="sari")
    with pytest.raises(Conflict):
        queue.sessions.open_counter(counter="L02", officer="budi")
    assert queue.sessions.release_expired_sessions() == []
    assert queue.calls.finish(counter="L01", officer="budi").status == "done"


def test_release_expired_sessions(queue: Hall, clock: FrozenClock, engine: Engine) -> None:
    """The sweep closes exactly the expired, idle sessions (open or paused), once."""
    queue.issuing.issue_ticket(service="KK")
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    queue.sessions.open_counter(counter="L18", officer="spv")
    queue.sessions.pause_counter(counter="L02", officer="sari", reason="istirahat")
    queue.calls.call_next(counter="L18", officer="spv")
    clock.advance(minutes=11)
    queue.sessions.open_counter(counter="L10", officer="admin")  # fresh
    assert queue.sessions.release_expired_sessions() == ["L01", "L02"]
    assert queue.sessions.release_expired_sessions() == []
    assert [holder(queue, c) for c in ("L01", "L02", "L10", "L18")] == [
        None,
        None,
        "admin",
        "spv",
    ]
    closed = [e for e in counter_events(engine) if e.reason == EXPIRED_REASON]
    assert len(closed) == 2


def test_heartbeat_refuses_a_disabled_account(queue: Hall, officers: Officers) -> None:
    """Disabling an account ends its screen's session at the next beat."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    officers.disable(username="budi")
    with pytest.raises(PermissionDenied) as err:
        queue.sessions.heartbeat(counter="L01", officer="budi")
    assert err.value.key == "err.account_disabled"


def test_a_heartbeat_without_officer_still_works(queue: Hall, clock: FrozenClock) -> None:
    """Screens that do not name their officer keep the counter's last-seen time fresh."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    clock.advance(minutes=8)
    queue.sessions.heartbeat(counter="L01")
    clock.advance(minutes=8)
    with pytest.raises(Conflict):
        queue.sessions.open_counter(counter="L01", officer="sari")
