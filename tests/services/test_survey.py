"""Survey on SQLite and PostgreSQL: who may answer, one response per ticket (even when two
visitors answer at once), refusals that write nothing, and the index over a period."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Row, Table, select

from mpp_tui.db.engine import make_engine
from mpp_tui.db.tables import SurveyResponse
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import Conflict, InvalidInput, MppError, NotFound
from mpp_tui.domain.skm import Grade
from mpp_tui.domain.views import TicketView
from mpp_tui.services.context import ServiceContext
from mpp_tui.services.facade import Hall
from mpp_tui.services.survey import Survey
from tests.services.helpers import assert_readable, table_count, ticket_row, wib

SR: Table = SurveyResponse.__table__  # type: ignore[attr-defined]
MONDAY = date(2026, 11, 30)
GOOD = [4, 4, 3, 4, 4, 3, 4, 3, 3]


@pytest.fixture
def survey(engine: Engine, clock: FrozenClock, queue: Hall) -> Survey:
    return Hall(engine, clock=clock).survey


def serve(
    queue: Hall,
    *,
    service: str = "KTP",
    counter: str = "L01",
    officer: str = "budi",
    outcome: str = "selesai",
) -> TicketView:
    """Issue a ticket for `service` and serve it to the end at `counter`."""
    queue.sessions.open_counter(counter=counter, officer=officer)  # idempotent
    issued = queue.issuing.issue_ticket(service=service, override_by="spv")
    called = queue.calls.call_next(counter=counter, officer=officer)
    assert called.id == issued.ticket.id
    queue.calls.start(counter=counter, officer=officer)
    return queue.calls.finish(counter=counter, officer=officer, outcome=outcome)


def responses(engine: Engine) -> list[Row[Any]]:
    with engine.connect() as conn:
        return list(conn.execute(select(SR).order_by(SR.c.id)).all())


def refused(error: type[MppError], call: Any, *needles: str | tuple[str, str]) -> MppError:
    """`call()` raises `error`, readable in both languages and naming `needles`."""
    with pytest.raises(error) as caught:
        call()
    assert_readable(caught.value, *needles)
    return caught.value


# --- answering ------------------------------------------------------------------------------------


def test_a_finished_ticket_is_answered_once(
    survey: Survey, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    ticket = serve(queue)
    assert survey.surveyable(code_or_id=ticket.code).id == ticket.id
    assert survey.surveyable(code_or_id=ticket.id).code == ticket.code
    clock.advance(minutes=2)
    survey.record(ticket=ticket.code, answers=GOOD)
    [row] = responses(engine)
    raw = ticket_row(engine, ticket.id)
    assert (row.ticket_id, row.hall_id, row.service_id) == (ticket.id, raw.hall_id, raw.service_id)
    assert (row.counter_id, row.officer_id) == (raw.counter_id, raw.officer_id)
    assert row.counter_id is not None
    assert row.officer_id is not None
    assert row.business_date == MONDAY
    assert row.at == clock.now()
    assert [row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9] == GOOD
    err = refused(Conflict, lambda: survey.record(ticket=ticket.id, answers=[1] * 9), ticket.code)
    assert err.key == "skm.err.already_answered"
    refused(Conflict, lambda: survey.surveyable(code_or_id=ticket.code), ticket.code)
    assert len(responses(engine)) == 1


def test_only_a_done_ticket_may_be_answered(survey: Survey, queue: Hall, engine: Engine) -> None:
    """Waiting, called, serving, transferred, no-show and cancelled tickets are refused."""

    def not_done(ticket_id: int, status: tuple[str, str]) -> None:
        for call in (
            lambda: survey.surveyable(code_or_id=ticket_id),
            lambda: survey.record(ticket=ticket_id, answers=GOOD),
        ):
            assert refused(Conflict, call, status).key == "skm.err.not_done"

    queue.sessions.open_counter(counter="L01", officer="budi")
    first = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    not_done(first.id, ("menunggu", "waiting"))
    queue.calls.call_next(counter="L01", officer="budi")
    not_done(first.id, ("dipanggil", "called"))
    queue.calls.start(counter="L01", officer="budi")
    not_done(first.id, ("dilayani", "serving"))
    child = queue.calls.transfer(counter="L01", officer="budi", service="AKTA_LAHIR")
    not_done(first.id, ("diteruskan", "transferred"))
    not_done(child.id, ("menunggu", "waiting"))
    absent = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.recall(counter="L01", officer="budi")
    queue.calls.no_show(counter="L01", officer="budi")
    not_done(absent.id, ("tidak hadir", "no-show"))
    cancelled = queue.issuing.issue_ticket(service="KK", override_by="spv").ticket
    queue.supervision.cancel(ticket=cancelled.id, officer="spv")
    not_done(cancelled.id, ("dibatalkan", "cancelled"))
    assert responses(engine) == []


def test_a_transferred_visitor_answers_for_the_ticket_that_was_finished(
    survey: Survey, queue: Hall, engine: Engine
) -> None:
    """A transfer keeps the display number; the code finds the last ticket of the chain."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L02", officer="sari")
    first = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    queue.calls.call_next(counter="L01", officer="budi")
    child = queue.calls.transfer(counter="L01", officer="budi", service="AKTA_LAHIR")
    refused(Conflict, lambda: survey.surveyable(code_or_id=first.code), first.code)
    queue.calls.call_next(counter="L02", officer="sari")
    queue.calls.finish(counter="L02", officer="sari")
    assert survey.surveyable(code_or_id=first.code).id == child.id
    survey.record(ticket=first.code, answers=GOOD)
    [row] = responses(engine)
    assert row.ticket_id == child.id
    assert row.counter_id == queue.ref().counter_by_code("L02").id  # type: ignore[union-attr]


def test_the_window_after_finishing(
    survey: Survey, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """30 minutes to start, ten more to finish answering; the next day never."""
    early, late, later = serve(queue), serve(queue), serve(queue)
    clock.advance(minutes=30)
    assert survey.surveyable(code_or_id=early.code).id == early.id
    clock.advance(minutes=1)
    err = refused(Conflict, lambda: survey.surveyable(code_or_id=early.code), early.code, "30")
    assert err.key == "skm.err.too_late"
    survey.record(ticket=early.id, answers=GOOD)  # started in time, finishing within the grace
    clock.advance(minutes=9)  # 40 minutes after finishing
    survey.record(ticket=late.id, answers=GOOD)
    clock.advance(seconds=1)
    refused(Conflict, lambda: survey.record(ticket=later.id, answers=GOOD), later.code)
    assert len(responses(engine)) == 2


def test_yesterdays_ticket_is_refused(
    survey: Survey, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Just before and after local midnight: the window does not reach into the next day."""
    clock.set(wib(2026, 11, 30, 23, 50))
    ticket = serve(queue)
    clock.set(wib(2026, 12, 1, 0, 5))
    refused(Conflict, lambda: survey.record(ticket=ticket.id, answers=GOOD))
    refused(NotFound, lambda: survey.surveyable(code_or_id=ticket.code), ticket.code)
    assert responses(engine) == []


@pytest.mark.parametrize(
    ("answers", "needle"),
    [
        ([4] * 8, "8"),
        ([4] * 10, "10"),
        ([4, 4, 4, 4, 4, 4, 4, 0, 4], ("U8 Penanganan pengaduan", "U8 Complaint handling")),
        ([5, 4, 4, 4, 4, 4, 4, 4, 4], ("U1 Persyaratan", "U1 Requirements")),
        ([4, 4, 4, 4, 4, 4, 4, 4, True], ("U9 Sarana dan prasarana", "U9 Facilities")),
    ],
)
def test_bad_answers_change_nothing(
    survey: Survey,
    queue: Hall,
    engine: Engine,
    answers: list[int],
    needle: str | tuple[str, str],
) -> None:
    ticket = serve(queue)
    err = refused(InvalidInput, lambda: survey.record(ticket=ticket.id, answers=answers), needle)
    assert err.key.startswith("skm.err.answer")
    assert responses(engine) == []
    survey.record(ticket=ticket.id, answers=GOOD)  # the ticket can still be answered


def test_unknown_and_malformed_tickets(survey: Survey, queue: Hall) -> None:
    refused(NotFound, lambda: survey.surveyable(code_or_id="Z-999"), "Z-999")
    refused(NotFound, lambda: survey.record(ticket=987654, answers=GOOD))
    refused(InvalidInput, lambda: survey.surveyable(code_or_id="hello"), "hello")


class UncheckedSurvey(Survey):
    """A service that skips its own "already answered" read, as a second process does when
    both read before either writes: only the database's UNIQUE(ticket_id) is left."""

    def _check(self, conn: Connection, row: Row[Any], minutes: int) -> None:
        return None


def test_the_unique_constraint_decides(engine: Engine, clock: FrozenClock, queue: Hall) -> None:
    ticket = serve(queue)
    unchecked = UncheckedSurvey(ServiceContext(engine, clock=clock))
    unchecked.record(ticket=ticket.id, answers=GOOD)
    err = refused(Conflict, lambda: unchecked.record(ticket=ticket.id, answers=[1] * 9))
    assert err.key == "skm.err.already_answered"
    assert [r.u1 for r in responses(engine)] == [4]


class HeldSurvey(Survey):
    """Holds its transaction after the checks until the other visitor's has made them too."""

    def __init__(self, *args: Any, barrier: threading.Barrier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.barrier = barrier

    def _check(self, conn: Connection, row: Row[Any], minutes: int) -> None:
        super()._check(conn, row, minutes)
        self.barrier.wait(timeout=20)


def answer_at_once(db_url: str, clock: FrozenClock, ticket_id: int) -> list[str]:
    """Two threads, each with its own engine (two survey PCs), answer `ticket_id` at the same
    moment with all-2s and all-3s; what each got ("saved 2", or the refusal's key)."""
    postgres = db_url.startswith("postgresql")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def answer(value: int) -> None:
        eng = make_engine(db_url)
        try:
            if postgres:  # both pass the checks, then both insert
                svc: Survey = HeldSurvey(ServiceContext(eng, clock=clock), barrier=barrier)
            else:  # BEGIN IMMEDIATE would block the second inside the barrier: start together
                svc = Hall(eng, clock=clock).survey
                barrier.wait(timeout=20)
            svc.record(ticket=ticket_id, answers=[value] * 9)
            result = f"saved {value}"
        except Conflict as exc:
            result = exc.key
        finally:
            eng.dispose()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=answer, args=(v,)) for v in (2, 3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    return outcomes


def test_two_visitors_answering_at_once_make_one_response(
    db_url: str, engine: Engine, clock: FrozenClock, queue: Hall
) -> None:
    """Five times over, two visitors answer the same ticket at once: one response is saved,
    the other visitor is told it was already answered. On PostgreSQL both transactions pass the
    checks before either inserts, so the UNIQUE constraint is what refuses the second; SQLite
    serialises the writers, so the second sees the first's row."""
    tickets = [serve(queue) for _ in range(5)]
    for ticket in tickets:
        outcomes = answer_at_once(db_url, clock, ticket.id)
        assert sorted(o.split()[0] for o in outcomes) == ["saved", "skm.err.already_answered"]
        saved = next(o for o in outcomes if o.startswith("saved"))
        with engine.connect() as conn:
            rows = conn.execute(select(SR.c.u1).where(SR.c.ticket_id == ticket.id)).all()
        assert [r.u1 for r in rows] == [int(saved.split()[1])]
    assert table_count(engine, SR) == 5


# --- the just-finished list ---------------------------------------------------------------------


def test_latest_finished_at_a_counter(survey: Survey, queue: Hall, clock: FrozenClock) -> None:
    """Newest first, only this counter's, only unanswered and within the window."""
    old = serve(queue)
    clock.advance(minutes=20)
    a = serve(queue)
    clock.advance(minutes=1)
    other = serve(queue, service="NIB", counter="L03", officer="sari")
    clock.advance(minutes=1)
    b = serve(queue)
    clock.advance(minutes=1)
    c = serve(queue)
    assert [t.code for t in survey.latest_finished(counter="L01")] == [
        c.code,
        b.code,
        a.code,
        old.code,
    ]
    assert [t.code for t in survey.latest_finished(counter="l01", limit=2)] == [c.code, b.code]
    assert [t.code for t in survey.latest_finished(counter="L03")] == [other.code]
    assert len(survey.latest_finished()) == 5
    survey.record(ticket=b.id, answers=GOOD)
    clock.advance(minutes=8)  # `old` finished 31 minutes ago
    assert [t.code for t in survey.latest_finished(counter="L01")] == [c.code, a.code]
    refused(NotFound, lambda: survey.latest_finished(counter="L99"), "L99")
    refused(InvalidInput, lambda: survey.latest_finished(limit=0))


# --- the index ------------------------------------------------------------------------------------


def seed_period(queue: Hall, survey: Survey, clock: FrozenClock) -> None:
    """Responses on three business days.

    Mon 30 Nov (KTP, Disdukcapil at L01):  [4,4,3,4,4,3,4,3,3] and [3,4,3,4,3,3,4,2,3]
      — the first one answered at 06:55 WIB, 23:55 UTC on Sunday, for a ticket issued at 06:40
    Tue 1 Dec (NIB, DPMPTSP at L03):        [4,3,4,4,4,4,4,3,4]
    Wed 2 Dec (KTP):                        [3,3,2,4,3,3,4,2,3]
    """
    clock.set(wib(2026, 11, 30, 6, 40))
    first = serve(queue)
    clock.set(wib(2026, 11, 30, 6, 55))
    survey.record(ticket=first.id, answers=[4, 4, 3, 4, 4, 3, 4, 3, 3])
    clock.set(wib(2026, 11, 30, 10, 0))
    second = serve(queue)
    survey.record(ticket=second.id, answers=[3, 4, 3, 4, 3, 3, 4, 2, 3])
    clock.set(wib(2026, 12, 1, 10, 0))
    third = serve(queue, service="NIB", counter="L03", officer="sari")
    survey.record(ticket=third.id, answers=[4, 3, 4, 4, 4, 4, 4, 3, 4])
    clock.set(wib(2026, 12, 2, 10, 0))
    fourth = serve(queue)
    survey.record(ticket=fourth.id, answers=[3, 3, 2, 4, 3, 3, 4, 2, 3])


def test_the_index_over_a_period(
    survey: Survey, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """All four: totals 14 14 12 16 14 13 16 10 13 (122) → IKM 3.3889, 84.72, B."""
    seed_period(queue, survey, clock)
    with engine.connect() as conn:
        days = [r.business_date for r in conn.execute(select(SR).order_by(SR.c.id))]
    assert days == [MONDAY, MONDAY, date(2026, 12, 1), date(2026, 12, 2)]
    result = survey.skm(start=MONDAY, end=date(2026, 12, 2))
    assert result.respondents == 4
    assert [e.total for e in result.elements] == [14, 14, 12, 16, 14, 13, 16, 10, 13]
    assert (result.ikm, result.score, result.grade) == (
        Decimal("3.3889"),
        Decimal("84.72"),
        Grade.B,
    )
    # Monday alone (the 06:55 WIB answer is Monday's, though it was Sunday in UTC):
    # 7+8+6+8+7+6+8+5+6 = 61 → 25 × 61 / 18 = 84.7222… → 84.72.
    monday = survey.skm(start=MONDAY, end=MONDAY)
    assert monday.respondents == 2
    assert [e.total for e in monday.elements] == [7, 8, 6, 8, 7, 6, 8, 5, 6]
    assert monday.score == Decimal("84.72")
    refused(
        NotFound, lambda: survey.skm(start=date(2026, 11, 29), end=date(2026, 11, 29)), "2026-11-29"
    )


def test_the_index_by_agency_and_service(survey: Survey, queue: Hall, clock: FrozenClock) -> None:
    seed_period(queue, survey, clock)
    end = date(2026, 12, 31)
    dukcapil = survey.skm(start=MONDAY, end=end, agency="dukcapil")
    assert dukcapil.respondents == 3
    # 10+11+8+12+10+9+12+7+9 = 88 → 25 × 88 / 27 = 81.4814… → 81.48, B.
    assert [e.total for e in dukcapil.elements] == [10, 11, 8, 12, 10, 9, 12, 7, 9]
    assert (dukcapil.score, dukcapil.grade) == (Decimal("81.48"), Grade.B)
    nib = survey.skm(start=MONDAY, end=end, service="NIB")
    # One respondent, 34 in all → 25 × 34 / 9 = 94.44, A.
    assert (nib.respondents, nib.score, nib.grade) == (1, Decimal("94.44"), Grade.A)
    assert survey.skm(start=MONDAY, end=end, agency="DUKCAPIL", service="KTP").respondents == 3
    refused(NotFound, lambda: survey.skm(start=MONDAY, end=end, agency="DPMPTSP", service="KTP"))
    refused(NotFound, lambda: survey.skm(start=MONDAY, end=end, agency="NOPE"), "NOPE")
    refused(NotFound, lambda: survey.skm(start=MONDAY, end=end, service="NOPE"), "NOPE")


def test_a_reversed_period_is_refused(survey: Survey) -> None:
    err = refused(
        InvalidInput,
        lambda: survey.skm(start=MONDAY, end=MONDAY - timedelta(days=1)),
        "2026-11-30",
        "2026-11-29",
    )
    assert err.key == "skm.err.range"
