"""Issuing rules: daily quotas, service hours, overrides and the business-day rollover
(DESIGN §3), on both backends."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.errors import Conflict, NotFound, PermissionDenied, ServiceClosed
from mpp_tui.services.facade import Hall

from .helpers import assert_readable, events_since, last_event_id, snapshot, ticket_row, wib

KTP_QUOTA, DUKCAPIL_QUOTA = 30, 70


def _fill(queue: Hall, service: str, n: int) -> list[int]:
    return [queue.issuing.issue_ticket(service=service).ticket.id for _ in range(n)]


# --- quota ----------------------------------------------------------------------------------------


def test_reference_quotas(queue: Hall) -> None:
    """data/kotim.toml: Disdukcapil 70 a day for all its services, KTP 30 of them."""
    ktp = queue.ctx.service("KTP")
    assert ktp.daily_quota == KTP_QUOTA
    assert queue.ref().agencies[ktp.agency_id].daily_quota == DUKCAPIL_QUOTA


def test_service_quota(queue: Hall, engine: Engine) -> None:
    """The 31st KTP ticket is refused with ServiceClosed and writes nothing; KK still issues."""
    ids = _fill(queue, "KTP", KTP_QUOTA)
    assert queue.tickets.ticket(code=ids[-1]).code == "A-030"
    before = snapshot(engine)
    with pytest.raises(ServiceClosed) as err:
        queue.issuing.issue_ticket(service="KTP")
    assert err.value.key == "err.quota_reached"
    assert_readable(err.value, "30", "KTP")
    assert snapshot(engine) == before
    assert (
        queue.issuing.issue_ticket(service="KK").ticket.code == "A-031"
    )  # the number was not used up


def test_agency_quota(queue: Hall, engine: Engine) -> None:
    """Disdukcapil's 70 cap all its services together: the 71st of any of them is refused."""
    _fill(queue, "KTP", KTP_QUOTA)
    _fill(queue, "KK", 25)
    _fill(queue, "AKTA_LAHIR", DUKCAPIL_QUOTA - KTP_QUOTA - 25)
    before = snapshot(engine)
    for service in ("KK", "AKTA_MATI", "PINDAH"):
        with pytest.raises(ServiceClosed) as err:
            queue.issuing.issue_ticket(service=service)
        assert err.value.key == "err.quota_reached"
        assert_readable(err.value, "Disdukcapil", "70")
    assert snapshot(engine) == before
    assert (
        queue.issuing.issue_ticket(service="NIB").ticket.code == "B-001"
    )  # other agencies unaffected


def test_supervisor_override_bypasses_quota(queue: Hall, engine: Engine) -> None:
    """override_by a supervisor issues past the quota; the event records who overrode."""
    _fill(queue, "KTP", KTP_QUOTA)
    mark = last_event_id(engine)
    issued = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    assert (issued.code, issued.status) == ("A-031", S.WAITING)
    (ev,) = events_since(engine, mark)
    assert (ev.kind, ev.ticket_id) == ("issued", issued.id)
    assert json.loads(ev.detail) == {"override_by": "spv"}
    assert ev.officer_id is not None


def test_operator_cannot_override(queue: Hall, engine: Engine) -> None:
    """override_by an operator is PermissionDenied and writes nothing."""
    _fill(queue, "KTP", KTP_QUOTA)
    before = snapshot(engine)
    with pytest.raises(PermissionDenied) as err:
        queue.issuing.issue_ticket(service="KTP", override_by="budi")
    assert_readable(err.value, "budi")
    assert snapshot(engine) == before


def test_cancelled_ticket_frees_a_quota_slot(queue: Hall, engine: Engine) -> None:
    """Cancelling a ticket gives its slot back, exactly one."""
    ids = _fill(queue, "KTP", KTP_QUOTA)
    queue.supervision.cancel(ticket=ids[0], officer="spv")
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-031"
    before = snapshot(engine)
    with pytest.raises(ServiceClosed):
        queue.issuing.issue_ticket(service="KTP")
    assert snapshot(engine) == before


def test_transfers_do_not_use_quota(queue: Hall) -> None:
    """A visitor transferred into a full service is not turned away (children do not count)."""
    _fill(queue, "KTP", KTP_QUOTA)
    kk = queue.issuing.issue_ticket(service="KK").ticket.id
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.calls.call_ticket(counter="L01", officer="budi", ticket=kk)
    child = queue.calls.transfer(counter="L01", officer="budi", service="KTP")
    assert child.status is S.WAITING
    assert child.service_code == "KTP"
    with pytest.raises(ServiceClosed):
        queue.issuing.issue_ticket(service="KTP")


def test_quota_is_per_business_day(queue: Hall, clock: FrozenClock) -> None:
    """A full KTP quota on Monday does not stop KTP on Tuesday."""
    _fill(queue, "KTP", KTP_QUOTA)
    clock.advance(days=1)
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-001"


# --- hours ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "service"),
    [
        (wib(2026, 12, 5, 9), "KTP"),  # Saturday
        (wib(2026, 12, 6, 9), "KTP"),  # Sunday
        (wib(2026, 11, 30, 16), "KTP"),  # Monday after hours
        (wib(2026, 11, 30, 15), "KTP"),  # Monday, closing time itself
        (wib(2026, 11, 30, 7, 59), "KTP"),  # before opening
        (wib(2026, 12, 4, 11), "KTP"),  # Friday after 11:00 (Friday prayer)
        (wib(2026, 11, 30, 9), "PASPOR_BARU"),  # Imigrasi on a Monday
        (wib(2026, 12, 1, 12), "PASPOR_BARU"),  # Imigrasi Tuesday after 12:00
        (wib(2026, 11, 30, 13), "STNK_5TH"),  # service hours 08-12 on a weekday
    ],
)
def test_issuing_outside_hours_is_refused(
    queue: Hall, engine: Engine, clock: FrozenClock, at: datetime, service: str
) -> None:
    """Outside the service's hours issuing raises ServiceClosed and writes nothing."""
    clock.set(at)
    before = snapshot(engine)
    with pytest.raises(ServiceClosed) as err:
        queue.issuing.issue_ticket(service=service)
    assert err.value.key == "err.outside_hours"
    assert_readable(err.value)
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("at", "service"),
    [
        (wib(2026, 11, 30, 8), "KTP"),  # opening time
        (wib(2026, 11, 30, 14, 59), "KTP"),
        (wib(2026, 12, 4, 10, 59), "KTP"),  # Friday morning
        (wib(2026, 12, 1, 9), "PASPOR_BARU"),  # Imigrasi Tuesday
        (wib(2026, 12, 3, 11, 59), "PASPOR_GANTI"),  # Imigrasi Thursday
        (wib(2026, 11, 30, 13), "PKB_TAHUNAN"),  # Samsat's other service keeps hall hours
    ],
)
def test_issuing_inside_hours(queue: Hall, clock: FrozenClock, at: datetime, service: str) -> None:
    """Inside the service's hours issuing works."""
    clock.set(at)
    assert queue.issuing.issue_ticket(service=service).ticket.status is S.WAITING


def test_closed_messages_give_todays_hours(queue: Hall, clock: FrozenClock) -> None:
    """The refusal tells the visitor today's hours, or that the service is closed today."""
    clock.set(wib(2026, 11, 30, 16))
    with pytest.raises(ServiceClosed) as err:
        queue.issuing.issue_ticket(service="KTP")
    assert_readable(err.value, ("08.00–15.00", "08:00–15:00"))  # each language's clock
    clock.set(wib(2026, 12, 5, 9))
    with pytest.raises(ServiceClosed) as err:
        queue.issuing.issue_ticket(service="KTP")
    assert "tutup" in err.value.message("id")
    assert "closed" in err.value.message("en")
    clock.set(wib(2026, 11, 30, 9))
    with pytest.raises(ServiceClosed) as err:
        queue.issuing.issue_ticket(service="PASPOR_BARU")
    assert_readable(err.value, ("Paspor", "passport"))


def test_override_outside_hours(queue: Hall, clock: FrozenClock, engine: Engine) -> None:
    """A supervisor's override issues on Saturday and for Imigrasi on a Monday."""
    clock.set(wib(2026, 12, 5, 9))
    sat = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    assert (sat.code, sat.business_date) == ("A-001", date(2026, 12, 5))
    clock.set(wib(2026, 11, 30, 9))
    pas = queue.issuing.issue_ticket(service="PASPOR_BARU", override_by="spv").ticket
    assert pas.code == "H-001"
    before = snapshot(engine)
    with pytest.raises(PermissionDenied):
        queue.issuing.issue_ticket(service="PASPOR_BARU", override_by="sari")
    assert snapshot(engine) == before


# --- business day rollover ------------------------------------------------------------------------


def test_business_date_is_local(queue: Hall, clock: FrozenClock) -> None:
    """The business date follows WIB: 16:59Z on 30 Nov is still 30 Nov, 17:30Z is 1 Dec."""
    clock.set(datetime(2026, 11, 30, 16, 59, tzinfo=UTC))
    assert queue.today() == date(2026, 11, 30)
    clock.set(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    assert queue.today() == date(2026, 12, 1)


def test_numbers_restart_each_business_day(queue: Hall, clock: FrozenClock, engine: Engine) -> None:
    """Numbers restart at 001 on the next business day; yesterday's tickets keep theirs."""
    mon = [queue.issuing.issue_ticket(service="KTP").ticket for _ in range(2)]
    assert [t.code for t in mon] == ["A-001", "A-002"]
    clock.set(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))  # 00:30 WIB Tuesday
    night = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    assert (night.code, night.business_date) == ("A-001", date(2026, 12, 1))
    clock.set(wib(2026, 12, 1, 9))
    tue = queue.issuing.issue_ticket(service="KK").ticket
    assert (tue.code, tue.business_date) == ("A-002", date(2026, 12, 1))
    assert ticket_row(engine, mon[0].id).code == "A-001"
    assert queue.tickets.ticket(code="A-001").id == night.id
    assert queue.tickets.ticket(code="A-001", day=date(2026, 11, 30)).id == mon[0].id


def test_yesterdays_ticket_is_not_callable_today(
    queue: Hall, clock: FrozenClock, engine: Engine
) -> None:
    """A ticket left waiting on Monday is not in Tuesday's queue, by code nor by id."""
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    clock.set(wib(2026, 12, 1, 9))
    queue.sessions.open_counter(counter="L01", officer="budi")
    assert queue.tickets.waiting_list(counter="L01") == []
    mark = last_event_id(engine)
    with pytest.raises(Conflict) as err:
        queue.calls.call_next(counter="L01", officer="budi")
    assert err.value.key == "err.queue_empty"
    with pytest.raises(NotFound):
        queue.calls.call_ticket(counter="L01", officer="budi", ticket="A-001")
    with pytest.raises((NotFound, Conflict)) as err2:
        queue.calls.call_ticket(counter="L01", officer="budi", ticket=tid)
    assert_readable(err2.value, "A-001")
    assert ticket_row(engine, tid).status == "waiting"
    assert events_since(engine, mark) == []
    # A new ticket today is callable.
    today = queue.issuing.issue_ticket(service="KTP").ticket.id
    assert queue.calls.call_next(counter="L01", officer="budi").id == today


def test_yesterdays_no_show_cannot_be_reactivated(
    queue: Hall, clock: FrozenClock, engine: Engine
) -> None:
    """Reactivation stays within the business day even inside the grace window."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    tid = queue.issuing.issue_ticket(service="KTP").ticket.id
    clock.set(wib(2026, 11, 30, 23, 50))
    queue.calls.call_next(counter="L01", officer="budi")
    queue.calls.recall(counter="L01", officer="budi")
    queue.calls.no_show(counter="L01", officer="budi")
    clock.advance(minutes=15)  # 00:05 WIB Tuesday
    with pytest.raises(Conflict) as err:
        queue.supervision.reactivate(ticket=tid, officer="spv")
    assert err.value.key == "err.reactivate_expired"
    assert ticket_row(engine, tid).status == "no_show"
