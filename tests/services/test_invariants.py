"""The invariant checker (mpp_tui.db.invariants) catches each kind of violation, on both backends.

A real morning is played through the services (a transfer, a finish, a ticket held), the
checker finds it sound, and then one thing is broken by direct SQL, as a stray SQL session or a
bug would: the checker must name exactly that, with the ticket or counter concerned. The
append-only triggers of ticket_event and the partial unique indexes are what normally stop such
writes; a test that needs past them switches them off inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from mpp_tui.db.engine import write_tx
from mpp_tui.db.invariants import ViolationKind as V
from mpp_tui.db.invariants import audit, find_violations, snapshot
from mpp_tui.db.tables import COUNTER, NUMBER_COUNTER, TICKET, TICKET_EVENT
from mpp_tui.services.facade import Hall
from tests.conftest import MONDAY_0900

MONDAY = MONDAY_0900.date()
Found = tuple[V, str | None, str | None]  # kind, ticket code, counter code


@dataclass(frozen=True)
class Morning:
    """The tickets of the played morning, by role (ids)."""

    transferred: int  # A-001 (KTP): started at L01, sent on to KK
    child: int  # A-001 (KK): the transfer, finished at L02
    held: int  # called at L01, still held
    waiting: int  # waiting
    last: int  # waiting, the day's last number


@pytest.fixture
def morning(queue: Hall) -> Morning:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    ids = [queue.issuing.issue_ticket(service=s).ticket.id for s in ("KTP", "KTP", "KK", "KTP")]
    assert queue.calls.call_next(counter="L01", officer="budi").id == ids[0]
    queue.calls.start(counter="L01", officer="budi")
    child = queue.calls.transfer(counter="L01", officer="budi", service="KK").id
    assert queue.calls.call_next(counter="L02", officer="sari").id == child
    queue.calls.finish(counter="L02", officer="sari")
    assert queue.calls.call_next(counter="L01", officer="budi").id == ids[1]
    return Morning(ids[0], child, ids[1], ids[2], ids[3])


def found(engine: Engine, **options: bool) -> list[Found]:
    return [(v.kind, v.ticket, v.counter) for v in find_violations(engine, **options)]


def counter_id(conn: Connection, code: str) -> int:
    return int(conn.execute(select(COUNTER.c.id).where(COUNTER.c.code == code)).scalar_one())


def add_event(
    conn: Connection, ticket: int, kind: str, status_from: str | None, status_to: str, **more: int
) -> None:
    """Append one event to a ticket's log (appending is what the triggers allow)."""
    hall_id = conn.execute(select(TICKET.c.hall_id).where(TICKET.c.id == ticket)).scalar_one()
    conn.execute(
        insert(TICKET_EVENT).values(
            hall_id=hall_id,
            ticket_id=ticket,
            kind=kind,
            at=MONDAY_0900,
            status_from=status_from,
            status_to=status_to,
            **more,
        )
    )


@contextmanager
def unguarded(engine: Engine, *indexes: str) -> Iterator[Connection]:
    """A write transaction with ticket_event's append-only triggers off and `indexes` dropped;
    the triggers come back before it commits (the indexes stay dropped: the data no longer
    fits them)."""
    with write_tx(engine) as conn:
        for index in indexes:
            conn.execute(text(f"DROP INDEX {index}"))
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE ticket_event DISABLE TRIGGER USER"))
            yield conn
            conn.execute(text("ALTER TABLE ticket_event ENABLE TRIGGER USER"))
            return
        triggers = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _ in triggers:
            conn.execute(text(f"DROP TRIGGER {name}"))
        yield conn
        for _, sql in triggers:
            conn.execute(text(sql))


def test_a_real_morning_is_sound(engine: Engine, morning: Morning) -> None:
    """Played through the services, nothing is wrong; the ticket still held is reported only
    when the day is declared over."""
    assert found(engine) == []
    assert found(engine, day_over=True) == [(V.LEFT_ACTIVE, "A-002", "L01")]
    with snapshot(engine) as conn:
        result = audit(conn, days=[MONDAY])
    assert (result.tickets, result.sound) == (5, True)
    assert result.days == (("KOTIM", MONDAY),)
    # issued, called, started, transferred; its child: transferred_in, called,
    # finished; A-002: issued, called: issued.
    assert result.events == 4 + 3 + 2 + 1 + 1


def test_the_snapshot_is_read_only(engine: Engine, morning: Morning) -> None:
    """What `mpp doctor --deep` reads through cannot write, on either backend; the pooled
    connection writes again afterwards."""
    with pytest.raises(DBAPIError, match=r"read-only|readonly"), snapshot(engine) as conn:
        conn.execute(update(TICKET).values(note="x"))
    with write_tx(engine) as conn:
        assert conn.execute(update(TICKET).values(note="x")).rowcount == 5


def test_other_days_are_not_read(engine: Engine, morning: Morning) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(TICKET).where(TICKET.c.id == morning.waiting).values(status="done"))
    assert found(engine) != []
    assert find_violations(engine, days=[date(2026, 11, 27)]) == []
    assert find_violations(engine, days=[MONDAY], hall_id=999) == []


# --- double_held ---------------------------------------------------------------------------------


def test_a_second_counter_acting_on_a_held_ticket(engine: Engine, morning: Morning) -> None:
    """L02 recalls the ticket L01 holds: a legal move by the wrong counter."""
    with write_tx(engine) as conn:
        l02 = counter_id(conn, "L02")
        add_event(conn, morning.held, "recalled", "called", "called", counter_id=l02)
    assert found(engine) == [(V.DOUBLE_HELD, "A-002", "L02")]


def test_a_second_counter_calling_a_held_ticket(engine: Engine, morning: Morning) -> None:
    """L02 calls the ticket L01 holds: held twice, a call from `waiting` that it was not, and
    a row whose holder (L01) is no longer the log's last caller."""
    with write_tx(engine) as conn:
        l02 = counter_id(conn, "L02")
        add_event(conn, morning.held, "called", "waiting", "called", counter_id=l02)
    assert found(engine) == [
        (V.REPLAY, "A-002", None),
        (V.DOUBLE_HELD, "A-002", "L02"),
        (V.REPLAY, "A-002", "L01"),
    ]


# --- two_active ----------------------------------------------------------------------------------


def test_a_counter_holding_two_tickets(engine: Engine, morning: Morning) -> None:
    """A-003 called at L01 while L01 holds A-002, past the partial unique index."""
    with unguarded(engine, "uq_ticket_active_counter") as conn:
        l01 = counter_id(conn, "L01")
        conn.execute(
            update(TICKET)
            .where(TICKET.c.id == morning.waiting)
            .values(status="called", counter_id=l01)
        )
        add_event(conn, morning.waiting, "called", "waiting", "called", counter_id=l01)
    assert found(engine) == [(V.TWO_ACTIVE, None, "L01")]


# --- numbering -----------------------------------------------------------------------------------


def test_a_hole_in_the_numbers(engine: Engine, morning: Morning) -> None:
    """A-004 becomes A-006: A-004 and A-005 were never issued, the running number says 4."""
    with write_tx(engine) as conn:
        conn.execute(
            update(TICKET).where(TICKET.c.id == morning.last).values(number=6, code="A-006")
        )
    violations = find_violations(engine)
    assert [(v.kind, v.ticket) for v in violations] == [(V.NUMBERING, None)] * 2
    assert "A-004, A-005 were never issued" in violations[0].message
    assert "running number is 4 for A but its tickets run to 6" in violations[1].message


def test_a_number_issued_twice(engine: Engine, morning: Morning) -> None:
    with unguarded(engine, "uq_ticket_number") as conn:
        conn.execute(
            update(TICKET).where(TICKET.c.id == morning.waiting).values(number=2, code="A-002")
        )
    violations = find_violations(engine)
    assert [v.kind for v in violations] == [V.NUMBERING] * 2
    assert "A-002 was issued 2 times" in violations[0].message
    assert "A-003 was never issued" in violations[1].message


def test_the_running_number_behind_the_tickets(engine: Engine, morning: Morning) -> None:
    """The day's counter row says 3 while A-004 exists: the next ticket would repeat A-004."""
    with write_tx(engine) as conn:
        conn.execute(update(NUMBER_COUNTER).values(last_number=3))
    violations = find_violations(engine)
    assert [(v.kind, v.message) for v in violations] == [
        (V.NUMBERING, "the running number is 3 for A but its tickets run to 4")
    ]


def test_a_transfer_child_with_a_number_of_its_own(engine: Engine, morning: Morning) -> None:
    with write_tx(engine) as conn:
        conn.execute(
            update(TICKET).where(TICKET.c.id == morning.child).values(number=9, code="A-009")
        )
    assert found(engine) == [(V.NUMBERING, "A-009", None)]


def test_a_transferred_parent_alive_again(engine: Engine, morning: Morning) -> None:
    """The parent back in the queue beside its child: one number, two live tickets (and a
    status its log does not end in)."""
    with write_tx(engine) as conn:
        conn.execute(
            update(TICKET).where(TICKET.c.id == morning.transferred).values(status="waiting")
        )
    assert found(engine) == [(V.NUMBERING, "A-001", None), (V.REPLAY, "A-001", None)]


def test_a_code_that_is_not_its_number(engine: Engine, morning: Morning) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(TICKET).where(TICKET.c.id == morning.last).values(code="A-04"))
    assert found(engine) == [(V.NUMBERING, "A-04", None)]


# --- replay --------------------------------------------------------------------------------------


def test_a_status_the_log_does_not_end_in(engine: Engine, morning: Morning) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(TICKET).where(TICKET.c.id == morning.waiting).values(status="done"))
    violations = find_violations(engine)
    assert [(v.kind, v.ticket_id) for v in violations] == [(V.REPLAY, morning.waiting)]
    assert violations[0].message.endswith("it is done but its log ends in waiting")


def test_a_move_the_rules_do_not_allow(engine: Engine, morning: Morning) -> None:
    """Finished straight from waiting, consistently in the row and the log: still illegal."""
    with write_tx(engine) as conn:
        conn.execute(update(TICKET).where(TICKET.c.id == morning.waiting).values(status="done"))
        add_event(conn, morning.waiting, "finished", "waiting", "done")
    violations = find_violations(engine)
    assert [(v.kind, v.ticket) for v in violations] == [(V.REPLAY, "A-003")]
    assert "finished" in violations[0].message
    assert "is not a legal transition" in violations[0].message


def test_an_event_that_starts_elsewhere(engine: Engine, morning: Morning) -> None:
    """A `started` from serving at a ticket only called: the chain is broken."""
    with write_tx(engine) as conn:
        l01 = counter_id(conn, "L01")
        conn.execute(update(TICKET).where(TICKET.c.id == morning.held).values(status="serving"))
        add_event(conn, morning.held, "started", "serving", "serving", counter_id=l01)
    violations = find_violations(engine)
    assert [(v.kind, v.ticket) for v in violations] == [(V.REPLAY, "A-002")] * 2
    assert "starts from serving but the ticket was called" in violations[0].message
    assert "is not a legal transition" in violations[1].message


def test_a_holder_the_log_does_not_name(engine: Engine, morning: Morning) -> None:
    """The row moves A-002 to L02; its log says L01 called it."""
    with write_tx(engine) as conn:
        conn.execute(
            update(TICKET)
            .where(TICKET.c.id == morning.held)
            .values(counter_id=counter_id(conn, "L02"))
        )
    violations = find_violations(engine)
    assert [(v.kind, v.ticket, v.counter) for v in violations] == [(V.REPLAY, "A-002", "L02")]
    assert "row says L02 holds it but its log says L01" in violations[0].message


def test_a_ticket_without_events(engine: Engine, morning: Morning) -> None:
    with unguarded(engine) as conn:
        conn.execute(delete(TICKET_EVENT).where(TICKET_EVENT.c.ticket_id == morning.last))
    assert [(v.kind, v.message) for v in find_violations(engine)] == [
        (V.REPLAY, f"A-004 (#{morning.last}) has no events")
    ]


def test_a_log_that_does_not_begin_with_the_issue(engine: Engine, morning: Morning) -> None:
    with unguarded(engine) as conn:
        conn.execute(
            update(TICKET_EVENT)
            .where(TICKET_EVENT.c.ticket_id == morning.last)
            .values(kind="transferred_in")
        )
    violations = find_violations(engine)
    assert [(v.kind, v.ticket) for v in violations] == [(V.REPLAY, "A-004")]
    assert "not issued into waiting" in violations[0].message


def test_the_triggers_are_back_after_unguarded(engine: Engine, morning: Morning) -> None:
    """The helper above restores the append-only guard (so later writes stay refused)."""
    with unguarded(engine):
        pass
    with pytest.raises(DBAPIError, match="append-only"), write_tx(engine) as conn:
        conn.execute(delete(TICKET_EVENT))
