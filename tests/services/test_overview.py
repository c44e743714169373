"""The supervisor's picture: counter loads, service health flags, hourly figures, offline
counters (both backends)."""

from __future__ import annotations

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall

from .helpers import wib


def _counter(queue: Hall, code: str) -> object:
    return next(c for c in queue.overview.overview().counters if c.counter.code == code)


def _service(queue: Hall, code: str) -> object:
    return next(s for s in queue.overview.overview().services if s.load.code == code)


def test_counter_day_and_idle_time(queue: Hall, clock: FrozenClock) -> None:
    """L01 serves two tickets of 6 and 10 minutes: 2 served, average 8:00, idle since the
    second finish (09:20)."""
    clock.set(wib(2026, 11, 30, 8, 0))
    queue.sessions.open_counter(counter="L01", officer="budi")
    for _ in range(2):
        queue.issuing.issue_ticket(service="KTP")
    clock.set(wib(2026, 11, 30, 9, 0))
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=6)
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    clock.set(wib(2026, 11, 30, 9, 10))
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=10)
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    clock.advance(minutes=5)
    load = _counter(queue, "L01")
    assert load.served_today == 2  # type: ignore[attr-defined]
    assert load.avg_service_seconds == 8 * 60  # type: ignore[attr-defined]
    assert load.idle_since == wib(2026, 11, 30, 9, 20)  # type: ignore[attr-defined]
    assert load.offline is False  # type: ignore[attr-defined]
    closed = _counter(queue, "L02")
    assert closed.idle_since is None  # type: ignore[attr-defined]
    assert closed.served_today == 0  # type: ignore[attr-defined]


def test_offline_after_the_screen_goes_quiet(queue: Hall, clock: FrozenClock) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    assert _counter(queue, "L01").offline is False  # type: ignore[attr-defined]  # no screen yet
    queue.sessions.heartbeat(counter="L01")
    clock.advance(seconds=60)
    assert _counter(queue, "L01").offline is False  # type: ignore[attr-defined]
    clock.advance(seconds=31)
    assert _counter(queue, "L01").offline is True  # type: ignore[attr-defined]
    queue.sessions.heartbeat(counter="L01")
    assert _counter(queue, "L01").offline is False  # type: ignore[attr-defined]
    queue.sessions.close_counter(counter="L01", officer="budi")
    clock.advance(seconds=600)
    assert _counter(queue, "L01").offline is False  # type: ignore[attr-defined]  # closed


def test_service_health_flags(queue: Hall, clock: FrozenClock) -> None:
    """KTP: 6 waiting, the others 1 each → crowded (≥ 3 and > 1.5 × the average of the
    services people wait for); a wait of 50 minutes is a long wait."""
    clock.set(wib(2026, 11, 30, 8, 10))
    for _ in range(6):
        queue.issuing.issue_ticket(service="KTP")
    for service in ("NIB", "JKN_DAFTAR", "PKB_TAHUNAN"):
        queue.issuing.issue_ticket(service=service)
    clock.set(wib(2026, 11, 30, 9, 0))
    ktp = _service(queue, "KTP")
    # average waiting of the four services: (6 + 1 + 1 + 1) / 4 = 2.25; 6 > 3.375
    assert ktp.crowded is True  # type: ignore[attr-defined]
    assert ktp.long_wait is True  # type: ignore[attr-defined]  # 50 minutes > 45
    assert ktp.load.waiting == 6  # type: ignore[attr-defined]
    nib = _service(queue, "NIB")
    assert nib.crowded is False  # type: ignore[attr-defined]


def test_average_wait_and_over_standard(queue: Hall, clock: FrozenClock) -> None:
    """Two KTP tickets waited 10 and 30 minutes (average 20:00); the second was served for 20
    minutes, past KTP's 15-minute standard."""
    clock.set(wib(2026, 11, 30, 8, 0))
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    queue.issuing.issue_ticket(service="KTP")
    clock.set(wib(2026, 11, 30, 8, 10))
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=5)
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    clock.set(wib(2026, 11, 30, 8, 30))
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=20)
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    ktp = _service(queue, "KTP")
    assert ktp.avg_wait_seconds == 20 * 60  # type: ignore[attr-defined]
    assert ktp.over_standard == 1  # type: ignore[attr-defined]


def test_arrivals_and_calls_by_local_hour(queue: Hall, clock: FrozenClock) -> None:
    """Hours are the hall's (WIB): 08:xx arrivals count in hour 8, not 1 (UTC)."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    clock.set(wib(2026, 11, 30, 8, 5))
    queue.issuing.issue_ticket(service="KTP")
    queue.issuing.issue_ticket(service="KK")
    clock.set(wib(2026, 11, 30, 9, 15))
    queue.issuing.issue_ticket(service="KTP")
    queue.calls.call_next(counter="L01", officer="budi")
    view = queue.overview.overview()
    assert view.arrivals_by_hour[8] == 2
    assert view.arrivals_by_hour[9] == 1
    assert sum(view.arrivals_by_hour) == 3
    assert view.calls_by_hour[9] == 1
    assert sum(view.calls_by_hour) == 1
    assert view.to_json()["counters"][0]["counter"]["code"] == "L01"


def test_counter_history_merges_sessions_and_tickets(queue: Hall, clock: FrozenClock) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    clock.advance(minutes=1)
    queue.calls.call_next(counter="L01", officer="budi")
    clock.advance(minutes=4)
    queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    clock.advance(minutes=1)
    queue.sessions.pause_counter(counter="L01", officer="spv", reason="rapat")
    lines = queue.overview.counter_history(counter="L01")
    assert [(line.kind, line.ticket) for line in lines] == [
        ("opened", None),
        ("called", "A-001"),
        ("finished", "A-001"),
        ("paused", None),
    ]
    assert lines[-1].officer == "spv"
    assert lines[-1].detail == "rapat"
    assert queue.overview.counter_history(counter="L02") == []
