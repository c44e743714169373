"""Priority calling with anti-starvation (DESIGN §3, UU 25/2009 Pasal 29), on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers

from .helpers import set_hall


def _issue(queue: Hall, regular: int, priority: int) -> tuple[list[str], list[str]]:
    """Issue `regular` regular KTP tickets, then `priority` priority ones (arriving later).

    Returns the display codes of each group in arrival order.
    """
    cats = ["lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana"]
    regs = [queue.issuing.issue_ticket(service="KTP").ticket.code for _ in range(regular)]
    pris = [
        queue.issuing.issue_ticket(service="KK", priority=cats[i % len(cats)]).ticket.code
        for i in range(priority)
    ]
    return regs, pris


def _drain(queue: Hall, counter: str, officer: str, n: int) -> list[str]:
    """Call and finish `n` tickets, checking before each call that the head of waiting_list is
    the ticket call_next then takes."""
    order = []
    for _ in range(n):
        head = queue.tickets.waiting_list(counter=counter)[0]
        called = queue.calls.call_next(counter=counter, officer=officer)
        assert called.id == head.id, "waiting_list disagrees with call_next"
        order.append(called.code)
        queue.calls.finish(counter=counter, officer=officer)
    return order


def test_hall_burst_is_three(queue: Hall) -> None:
    """MPP Kotim's reference data sets the anti-starvation burst to 3."""
    assert queue.ref().priority_burst == 3


def test_three_priority_then_one_regular(queue: Hall) -> None:
    """With burst 3: three priority calls, then one regular, then priority again, and so on;
    within each group arrival order holds even though regulars arrived first."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    (r1, r2, r3), (p1, p2, p3, p4, p5) = _issue(queue, 3, 5)
    assert [t.code for t in queue.tickets.waiting_list(counter="L01")] == [
        p1,
        p2,
        p3,
        p4,
        p5,
        r1,
        r2,
        r3,
    ]
    assert _drain(queue, "L01", "budi", 8) == [p1, p2, p3, r1, p4, p5, r2, r3]


def test_waiting_list_reflects_the_streak(queue: Hall) -> None:
    """After three priority calls the waiting list puts regular tickets first, as call_next will."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    (r1, r2), (_p1, _p2, _p3, p4, p5) = _issue(queue, 2, 5)
    _drain(queue, "L01", "budi", 3)
    assert [t.code for t in queue.tickets.waiting_list(counter="L01")] == [r1, r2, p4, p5]
    assert queue.calls.call_next(counter="L01", officer="budi").code == r1
    queue.calls.finish(counter="L01", officer="budi")
    assert [t.code for t in queue.tickets.waiting_list(counter="L01")] == [p4, p5, r2]


def test_priority_keeps_flowing_when_no_regular_waits(queue: Hall) -> None:
    """The burst only lets a regular ticket in if one waits; otherwise priority continues, and the
    first regular to arrive after a long streak is called next."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    _, pris = _issue(queue, 0, 5)
    assert _drain(queue, "L01", "budi", 4) == pris[:4]
    late = queue.issuing.issue_ticket(service="KTP").ticket.code
    assert _drain(queue, "L01", "budi", 2) == [late, pris[4]]


def test_streak_is_per_counter(queue: Hall) -> None:
    """Each counter counts its own priority streak: L18 still prefers priority after L01's run."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L18", officer="sari")
    (r1,), (p1, p2, p3, p4) = _issue(queue, 1, 4)
    assert _drain(queue, "L01", "budi", 3) == [p1, p2, p3]
    assert next(t.code for t in queue.tickets.waiting_list(counter="L01")) == r1
    assert _drain(queue, "L18", "sari", 1) == [p4]


def test_reopening_a_counter_resets_the_streak(queue: Hall) -> None:
    """A counter's streak starts at 0 when it is opened again."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    _, (p1, p2, p3, p4) = _issue(queue, 2, 4)
    assert _drain(queue, "L01", "budi", 3) == [p1, p2, p3]
    queue.sessions.close_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L01", officer="budi")
    assert _drain(queue, "L01", "budi", 1) == [p4]


def test_strict_priority_when_burst_is_zero(
    engine: Engine, clock: FrozenClock, officers: Officers
) -> None:
    """With priority_burst = 0 every priority ticket goes before any regular one."""
    set_hall(engine, priority_burst=0)
    queue = Hall(engine, clock=clock)
    assert queue.ref().priority_burst == 0
    queue.sessions.open_counter(counter="L01", officer="budi")
    regs, pris = _issue(queue, 3, 6)
    assert [t.code for t in queue.tickets.waiting_list(counter="L01")] == pris + regs
    assert _drain(queue, "L01", "budi", 9) == pris + regs


def test_priority_only_among_the_counters_services(queue: Hall) -> None:
    """A priority ticket for a service L01 does not serve does not jump L01's queue."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    regular = queue.issuing.issue_ticket(service="KTP").ticket.code
    queue.issuing.issue_ticket(service="AKTA_LAHIR", priority="lansia")  # L02/L18 only
    assert [t.code for t in queue.tickets.waiting_list(counter="L01")] == [regular]
    assert _drain(queue, "L01", "budi", 1) == [regular]


@pytest.mark.parametrize("burst", [1, 2])
def test_other_bursts(engine: Engine, clock: FrozenClock, officers: Officers, burst: int) -> None:
    """The burst is read from the hall: N priority calls, then one regular."""
    set_hall(engine, priority_burst=burst)
    queue = Hall(engine, clock=clock)
    queue.sessions.open_counter(counter="L01", officer="budi")
    regs, pris = _issue(queue, 2, 4)
    expected = [*pris[:burst], regs[0], *pris[burst : 2 * burst], regs[1], *pris[2 * burst :]]
    assert _drain(queue, "L01", "budi", 6) == expected
