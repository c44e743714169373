"""A supervisor moves waiting tickets and changes their priority; each is an event, refused for
operators, and changes nothing when refused (both backends)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from mpp_tui.services.facade import Hall

from .helpers import snapshot, ticket_events


def test_move_to_another_service_keeps_number_and_place(queue: Hall, engine: Engine) -> None:
    queue.sessions.open_counter(counter="L03", officer="budi")
    early = queue.issuing.issue_ticket(service="KTP").ticket
    queue.issuing.issue_ticket(service="NIB")
    moved = queue.supervision.move_ticket(ticket=early.code, officer="spv", service="NIB")
    assert moved.code == early.code
    assert moved.service_code == "NIB"
    # L03 serves NIB: the moved ticket keeps its arrival time, so it is called first.
    assert queue.calls.call_next(counter="L03", officer="budi").code == early.code
    event = ticket_events(engine, early.id)[-2]
    assert event.kind == "moved"
    assert json.loads(event.detail) == {"from_service": "KTP", "to_service": "NIB"}


def test_move_keeps_its_reason_in_the_event(queue: Hall, engine: Engine) -> None:
    ktp = queue.issuing.issue_ticket(service="KTP").ticket
    queue.supervision.move_ticket(
        ticket=ktp.code, officer="spv", counter="L18", note=" loket bantuan\x1b[2J "
    )
    event = ticket_events(engine, ktp.id)[-1]
    assert json.loads(event.detail) == {
        "from_service": "KTP",
        "to_service": "KTP",
        "to_counter": "L18",
        "note": "loket bantuan",
    }


def test_move_to_a_counter_reserves_it(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    kk = queue.issuing.issue_ticket(service="KK").ticket
    queue.supervision.move_ticket(ticket=kk.code, officer="spv", counter="L02")
    with pytest.raises(Conflict):  # L01 also serves KK, but this one is L02's now
        queue.calls.call_next(counter="L01", officer="budi")
    assert queue.calls.call_next(counter="L02", officer="sari").code == kk.code


def test_move_refusals_change_nothing(queue: Hall, engine: Engine) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    ktp = queue.issuing.issue_ticket(service="KTP").ticket
    before = snapshot(engine)
    with pytest.raises(InvalidInput):  # L03 does not serve KTP
        queue.supervision.move_ticket(ticket=ktp.code, officer="spv", counter="L03")
    with pytest.raises(InvalidInput):
        queue.supervision.move_ticket(ticket=ktp.code, officer="spv")
    with pytest.raises(PermissionDenied):
        queue.supervision.move_ticket(ticket=ktp.code, officer="budi", service="KK")
    with pytest.raises(InvalidInput, match="sudah berada di layanan"):  # nothing would change
        queue.supervision.move_ticket(ticket=ktp.code, officer="spv", service="KTP")
    assert snapshot(engine) == before
    queue.supervision.move_ticket(ticket=ktp.code, officer="spv", counter="L01")
    before = snapshot(engine)
    with pytest.raises(InvalidInput, match="sudah berada di layanan"):  # already L01's
        queue.supervision.move_ticket(ticket=ktp.code, officer="spv", service="KTP", counter="L01")
    assert snapshot(engine) == before
    queue.calls.call_next(counter="L01", officer="budi")
    before = snapshot(engine)
    with pytest.raises(Conflict):  # called: no longer waiting
        queue.supervision.move_ticket(ticket=ktp.code, officer="spv", service="KK")
    assert snapshot(engine) == before


def test_set_priority_moves_a_ticket_ahead(queue: Hall, engine: Engine) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    late = queue.issuing.issue_ticket(service="KTP").ticket
    view = queue.supervision.set_priority(ticket=late.code, officer="spv", priority="Disabilitas")
    assert view.priority == "disabilitas"
    assert queue.calls.call_next(counter="L01", officer="budi").code == late.code
    event = next(e for e in ticket_events(engine, late.id) if e.kind == "priority_changed")
    assert json.loads(event.detail) == {"from": "-", "to": "disabilitas"}


def test_set_priority_refusals(queue: Hall, engine: Engine) -> None:
    ticket = queue.issuing.issue_ticket(service="KTP").ticket
    before = snapshot(engine)
    with pytest.raises(NotFound):
        queue.supervision.set_priority(ticket=ticket.code, officer="spv", priority="vip")
    with pytest.raises(PermissionDenied):
        queue.supervision.set_priority(ticket=ticket.code, officer="budi", priority="lansia")
    assert snapshot(engine) == before
    cleared = queue.supervision.set_priority(ticket=ticket.code, officer="spv", priority=None)
    assert cleared.priority is None
