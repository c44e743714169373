"""Several halls in one database (DESIGN: one PostgreSQL serving many halls)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select

from mpp_tui.db.invariants import find_violations
from mpp_tui.db.seed import load_seed, read_seed
from mpp_tui.db.tables import HALL, OFFICER
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import AuthError, Conflict, NotFound
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import FAST_HASHER, MONDAY_0900, OPERATOR_PIN, SUPERVISOR_PIN

LARGE = Path(__file__).resolve().parents[2] / "data" / "large.toml"
MONDAY = MONDAY_0900.date()


def test_a_second_hall_loaded_later_does_not_confuse_a_running_screen(
    queue: Hall, engine: Engine
) -> None:
    """A screen started with one hall in the database keeps to it after a second hall is
    loaded; a new process must then name its hall."""
    assert queue.ref().hall_code == "KOTIM"
    load_seed(engine, read_seed(LARGE))
    assert queue.ref(fresh=True).hall_code == "KOTIM"
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-001"
    with pytest.raises(NotFound, match="KOTIM"):
        Hall(engine).ref()
    assert Hall(engine, hall="kotim").ref().hall_code == "KOTIM"


# --- a username per hall ----------------------------------------------------------------------
# A username is unique within its hall, not across the database: each PC's config names its
# hall, and halls sharing one PostgreSQL are run by different regencies, each with its own
# "budi". Every lookup by username is scoped to the service's hall.

BESAR_PIN = "5830"  # KOTIM's budi signs in with OPERATOR_PIN


@pytest.fixture
def two_budis(queue: Hall, engine: Engine, clock: FrozenClock) -> Hall:
    """MPP Besar loaded beside MPP Kotim, with its own budi (another PIN) and spv; returns
    MPP Besar's Hall (the `queue` fixture stays MPP Kotim's: it found its only hall
    before the second was loaded, as a running screen would)."""
    assert queue.ref().hall_code == "KOTIM"
    load_seed(engine, read_seed(LARGE))
    besar = Hall(engine, hall="BESAR", clock=clock, hasher=FAST_HASHER).officers
    besar.add(username="budi", pin=BESAR_PIN, full_name="Budi dari Besar")
    besar.add(username="spv", pin=SUPERVISOR_PIN, role="supervisor")
    return Hall(engine, hall="BESAR", clock=clock)


def test_the_schema_makes_usernames_unique_per_hall(
    engine: Engine, officers: Officers, two_budis: Hall, clock: FrozenClock
) -> None:
    """UNIQUE(hall_id, username) and nothing stricter; a second budi in one hall is refused."""
    uniques = inspect(engine).get_unique_constraints("officer")
    assert [sorted(u["column_names"]) for u in uniques] == [["hall_id", "username"]]
    unique_indexes = [i for i in inspect(engine).get_indexes("officer") if i["unique"]]
    # (PostgreSQL lists the constraint's own index as well.)
    assert all(sorted(i["column_names"]) == ["hall_id", "username"] for i in unique_indexes)
    besar = Hall(engine, hall="BESAR", clock=clock, hasher=FAST_HASHER).officers
    with pytest.raises(Conflict):
        besar.add(username="budi", pin=BESAR_PIN)
    with pytest.raises(Conflict):
        officers.add(username="budi", pin=OPERATOR_PIN)
    assert [o.full_name for o in besar.list() if o.username == "budi"] == ["Budi dari Besar"]
    assert [o.full_name for o in officers.list() if o.username == "budi"] == ["Budi Santoso"]


def test_each_budi_signs_in_at_his_own_hall(
    engine: Engine, officers: Officers, two_budis: Hall, clock: FrozenClock
) -> None:
    """Each hall's budi has his own PIN and his own failed attempts."""
    besar = Hall(engine, hall="BESAR", clock=clock, hasher=FAST_HASHER).officers
    kotim_budi = officers.authenticate(username="budi", pin=OPERATOR_PIN)
    besar_budi = besar.authenticate(username="Budi ", pin=BESAR_PIN)
    assert (kotim_budi.full_name, besar_budi.full_name) == ("Budi Santoso", "Budi dari Besar")
    with pytest.raises(AuthError):
        besar.authenticate(username="budi", pin=OPERATOR_PIN)
    with pytest.raises(AuthError):
        besar.authenticate(username="budi", pin=OPERATOR_PIN)
    with pytest.raises(AuthError):
        officers.authenticate(username="budi", pin=BESAR_PIN)
    with engine.connect() as conn:
        failed = dict(
            conn.execute(
                select(HALL.c.code, OFFICER.c.failed_attempts)
                .join(HALL, HALL.c.id == OFFICER.c.hall_id)
                .where(OFFICER.c.username == "budi")
            ).all()
        )
    assert failed == {"KOTIM": 1, "BESAR": 2}


def test_each_budi_works_his_own_counter(
    engine: Engine, queue: Hall, two_budis: Hall, clock: FrozenClock
) -> None:
    """Open L01, call, finish, read the desk, the day log and the report per officer: each
    hall sees its own budi's work only (the desk read used to fail with MultipleResultsFound)."""
    besar = two_budis
    for hall, served in ((queue, 1), (besar, 2)):
        hall.sessions.open_counter(counter="L01", officer="budi")
        for _ in range(served):
            hall.issuing.issue_ticket(service="KTP")
            hall.calls.call_next(counter="L01", officer="budi")
            hall.calls.start(counter="L01", officer="budi")
            clock.advance(minutes=3)
            hall.calls.finish(counter="L01", officer="budi")
        hall.issuing.issue_ticket(service="KTP")
        held = hall.calls.call_next(counter="L01", officer="budi")
        hall.calls.recall(counter="L01", officer="budi")
        hall.sessions.heartbeat(counter="L01", officer="budi")
        assert held.officer == "budi"

    for hall, served in ((queue, 1), (besar, 2)):
        desk = hall.desk.counter_desk(counter="L01", officer="budi")
        assert desk.counter.officer == "budi"
        assert desk.my_day.served == served
        log = hall.daylog.day_log(day=MONDAY, officer="budi")
        assert [e.status for e in log] == [S.DONE] * served + [S.CALLED]
        report = Hall(engine, hall=hall.ref().hall_code).reports.report(
            start=MONDAY, end=MONDAY, by="officer"
        )
        assert [(r.key, r.figures.served) for r in report.rows] == [("budi", served)]
        hall.calls.finish(counter="L01", officer="budi")
        hall.sessions.close_counter(counter="L01", officer="budi")
    assert find_violations(engine, day_over=True) == []


def test_an_officer_of_another_hall_is_unknown_here(
    queue: Hall, two_budis: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """A username only MPP Besar has is no officer of MPP Kotim: its desk read, sign-in and
    counter are refused rather than reaching into the other hall."""
    Hall(engine, hall="BESAR", clock=clock, hasher=FAST_HASHER).officers.add(
        username="tono", pin=BESAR_PIN
    )
    with pytest.raises(NotFound):
        queue.desk.counter_desk(counter="L01", officer="tono")
    with pytest.raises(NotFound):
        queue.sessions.open_counter(counter="L01", officer="tono")
    with pytest.raises(AuthError):
        Hall(engine, clock=clock, hasher=FAST_HASHER, hall="KOTIM").officers.authenticate(
            username="tono", pin=BESAR_PIN
        )
    two_budis.sessions.open_counter(counter="L01", officer="tono")
    assert two_budis.desk.counter_desk(counter="L01", officer="tono").counter.officer == "tono"
