"""Upgrading an older release's database: built at revision 0001, filled, upgraded to head.

The rows are written with plain SQL that matches 0001's schema (as the first release wrote
them: ids from the database, timestamps in its storage format), so the test does not depend on
today's models. After `upgrade()` every old row must be unchanged and the app must work on
the data: calling in priority order, numbering on from where the day was, signing in with an
old PIN hash, the daily log and the reports of the old days.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, MetaData, select, text
from sqlalchemy.exc import DBAPIError

from mpp_tui.db.engine import make_engine, write_tx
from mpp_tui.db.invariants import find_violations
from mpp_tui.db.migrate import current_revision, head_revision, upgrade
from mpp_tui.db.seed import default_seed_file, load_seed, read_seed
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from tests.conftest import FAST_HASHER, MONDAY_0900
from tests.services.test_migrations import empty_url  # noqa: F401  (fixture: an empty database)

FRIDAY, MONDAY = date(2026, 11, 27), date(2026, 11, 30)
PINS = {"ani": "2857", "budi": "6143", "spv": "7305"}
WEEKDAY_HOURS = {d: ["08:00-15:00"] for d in ("mon", "tue", "wed", "thu")} | {
    "fri": ["08:00-11:00"]
}


def utc(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


class OldRelease:
    """Writes rows the way release 0001 stored them, with SQL for 0001's tables."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def value(self, v: Any) -> Any:
        """A Python value as 0001 stored it on this backend."""
        if isinstance(v, datetime):  # UTCDateTime: timestamptz, or naive UTC text on SQLite
            return v if self.pg else v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(v, date):
            return v if self.pg else v.isoformat()
        if isinstance(v, dict | list):
            return json.dumps(v)
        return v

    def insert(self, table: str, *, key: bool = True, **values: Any) -> int:
        """INSERT one row; returns its database-assigned id (when the table has one)."""
        cols = ", ".join(values)
        marks = ", ".join(
            f"CAST(:{c} AS JSON)" if self.pg and isinstance(v, dict | list) else f":{c}"
            for c, v in values.items()
        )
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
        params = {c: self.value(v) for c, v in values.items()}
        if not key:
            self.conn.execute(text(sql), params)
            return 0
        return int(self.conn.execute(text(sql + " RETURNING id"), params).scalar_one())


def _fill(conn: Connection) -> None:
    """MPP "LAMA": two agencies, three services, two counters, three officers; a closed Friday
    (served, transferred, no-show, expired) and a Monday morning still running."""
    db = OldRelease(conn)
    hall = db.insert(
        "hall",
        code="LAMA",
        name="Mal Pelayanan Publik Lama",
        short_name="MPP Lama",
        address="Jl. Lama 1",
        timezone="Asia/Jakarta",
        hours=WEEKDAY_HOURS,
        priority_burst=3,
        reactivate_grace_minutes=30,
        no_show_min_calls=2,
        running_text="Selamat datang",
    )
    common = {"hall_id": hall, "active": True}
    dukcapil = db.insert(
        "agency",
        **common,
        code="DUKCAPIL",
        name="Disdukcapil",
        short_name="Dukcapil",
        name_en="Civil registry",
        daily_quota=None,
        hours=None,
        sort=1,
    )
    dpmptsp = db.insert(
        "agency",
        **common,
        code="DPMPTSP",
        name="DPMPTSP",
        short_name="DPMPTSP",
        name_en="Licensing",
        daily_quota=None,
        hours=None,
        sort=2,
    )
    services = {}
    for sort, (code, agency, prefix) in enumerate(
        [("KTP", dukcapil, "A"), ("KK", dukcapil, "A"), ("NIB", dpmptsp, "B")], start=1
    ):
        services[code] = db.insert(
            "service",
            **common,
            agency_id=agency,
            code=code,
            name=f"Layanan {code}",
            name_en=f"{code} service",
            prefix=prefix,
            max_minutes=15,
            daily_quota=None,
            fee=0,
            hours=None,
            requirements=["KTP-el"],
            procedure="",
            output="",
            complaint="",
            sort=sort,
        )
    officers = {}
    for username, role in (("ani", "operator"), ("budi", "operator"), ("spv", "supervisor")):
        officers[username] = db.insert(
            "officer",
            hall_id=hall,
            username=username,
            full_name=username.title(),
            role=role,
            pin_hash=FAST_HASHER.hash(PINS[username]),
            active=True,
            failed_attempts=0,
            locked_until=None,
            created_at=utc(FRIDAY, 0, 0),
        )
    ani, budi = officers["ani"], officers["budi"]
    l1 = db.insert(
        "counter",
        **common,
        code="L1",
        name="Loket 1",
        agency_id=dukcapil,
        zone="A",
        state="open",
        pause_reason=None,
        officer_id=ani,
        state_since=utc(MONDAY, 1, 0),
        priority_streak=0,
        sort=1,
    )
    l2 = db.insert(
        "counter",
        **common,
        code="L2",
        name="Loket 2",
        agency_id=dpmptsp,
        zone="A",
        state="closed",
        pause_reason=None,
        officer_id=None,
        state_since=utc(FRIDAY, 4, 0),
        priority_streak=0,
        sort=2,
    )
    for counter, service in ((l1, "KTP"), (l1, "KK"), (l2, "NIB")):
        db.insert("counter_service", key=False, counter_id=counter, service_id=services[service])
    for sort, (code, note) in enumerate((("selesai", False), ("informasi", False)), start=1):
        db.insert(
            "outcome",
            **common,
            code=code,
            name=code.title(),
            name_en=code,
            needs_note=note,
            sort=sort,
        )
    db.insert(
        "priority_category", **common, code="lansia", name="Lansia", name_en="Elderly", sort=1
    )

    def ticket(day: date, service: str, number: int, status: str, **more: Any) -> int:
        prefix = "B" if service == "NIB" else "A"
        code = more.pop("code", f"{prefix}-{number:03d}")
        tid = db.insert(
            "ticket",
            hall_id=hall,
            business_date=day,
            service_id=services[service],
            prefix=more.pop("prefix", prefix),
            number=number,
            code=code,
            priority=more.pop("priority", None),
            status=status,
            target_counter_id=None,
            sort_key=0,
            call_count=more.pop("call_count", 0),
            note=None,
            source="kiosk",
            **{
                k: None
                for k in (
                    "counter_id",
                    "officer_id",
                    "parent_id",
                    "called_at",
                    "started_at",
                    "finished_at",
                    "outcome",
                )
                if k not in more
            },
            **more,
        )
        conn.execute(text("UPDATE ticket SET sort_key = id WHERE id = :id"), {"id": tid})
        return tid

    def event(tid: int, kind: str, at: datetime, frm: str | None, to: str, **more: Any) -> None:
        db.insert(
            "ticket_event",
            hall_id=hall,
            ticket_id=tid,
            kind=kind,
            at=at,
            status_from=frm,
            status_to=to,
            counter_id=more.get("counter_id"),
            officer_id=more.get("officer_id"),
            detail=json.dumps(more["detail"]) if "detail" in more else None,
        )

    def counter_event(counter: int, officer: int, kind: str, at: datetime) -> None:
        db.insert(
            "counter_event",
            hall_id=hall,
            counter_id=counter,
            officer_id=officer,
            kind=kind,
            at=at,
            reason=None,
        )

    at1 = {"counter_id": l1, "officer_id": ani}
    at2 = {"counter_id": l2, "officer_id": budi}
    f = FRIDAY
    counter_event(l1, ani, "opened", utc(f, 1, 0))
    counter_event(l2, budi, "opened", utc(f, 1, 0))
    # served from start to finish.
    t = ticket(
        f,
        "KTP",
        1,
        "done",
        **at1,
        called_at=utc(f, 1, 10),
        started_at=utc(f, 1, 12),
        finished_at=utc(f, 1, 25),
        call_count=1,
        outcome="selesai",
        issued_at=utc(f, 1, 5),
    )
    event(t, "issued", utc(f, 1, 5), None, "waiting")
    event(t, "called", utc(f, 1, 10), "waiting", "called", **at1)
    event(t, "started", utc(f, 1, 12), "called", "serving", **at1)
    event(t, "finished", utc(f, 1, 25), "serving", "done", **at1, detail={"outcome": "selesai"})
    # KTP, then sent on to NIB (the child keeps the display number), served at L2.
    parent = ticket(
        f,
        "KTP",
        2,
        "transferred",
        **at1,
        called_at=utc(f, 1, 26),
        finished_at=utc(f, 1, 30),
        call_count=1,
        issued_at=utc(f, 1, 7),
    )
    event(parent, "issued", utc(f, 1, 7), None, "waiting")
    event(parent, "called", utc(f, 1, 26), "waiting", "called", **at1)
    child = ticket(
        f,
        "NIB",
        2,
        "done",
        code="A-002",
        prefix="A",
        parent_id=parent,
        **at2,
        called_at=utc(f, 1, 40),
        finished_at=utc(f, 1, 44),
        call_count=1,
        outcome="informasi",
        issued_at=utc(f, 1, 30),
    )
    event(
        parent,
        "transferred",
        utc(f, 1, 30),
        "called",
        "transferred",
        **at1,
        detail={"to_service": "NIB", "child": child},
    )
    event(child, "transferred_in", utc(f, 1, 30), None, "waiting", detail={"from": "KTP"})
    event(child, "called", utc(f, 1, 40), "waiting", "called", **at2)
    event(child, "finished", utc(f, 1, 44), "called", "done", **at2)
    # called twice, never came.
    t = ticket(
        f,
        "KK",
        3,
        "no_show",
        **at1,
        called_at=utc(f, 2, 15),
        finished_at=utc(f, 2, 20),
        call_count=2,
        issued_at=utc(f, 2, 0),
    )
    event(t, "issued", utc(f, 2, 0), None, "waiting")
    event(t, "called", utc(f, 2, 10), "waiting", "called", **at1)
    event(t, "recalled", utc(f, 2, 15), "called", "called", **at1)
    event(t, "no_show", utc(f, 2, 20), "called", "no_show", **at1)
    # B-001: still waiting at closing time, expired by the day close.
    t = ticket(f, "NIB", 1, "expired", finished_at=utc(f, 17, 30), issued_at=utc(f, 3, 0))
    event(t, "issued", utc(f, 3, 0), None, "waiting")
    event(t, "expired", utc(f, 17, 30), "waiting", "expired")
    counter_event(l1, ani, "closed", utc(f, 4, 0))
    counter_event(l2, budi, "closed", utc(f, 4, 0))
    db.insert(
        "day_close", key=False, hall_id=hall, business_date=f, closed_at=utc(f, 17, 30), expired=1
    )
    # Monday morning: one served, three waiting (one of them elderly), L1 open.
    m = MONDAY
    counter_event(l1, ani, "opened", utc(m, 1, 0))
    t = ticket(
        m,
        "KTP",
        1,
        "done",
        **at1,
        called_at=utc(m, 1, 5),
        finished_at=utc(m, 1, 15),
        call_count=1,
        outcome="selesai",
        issued_at=utc(m, 1, 2),
    )
    event(t, "issued", utc(m, 1, 2), None, "waiting")
    event(t, "called", utc(m, 1, 5), "waiting", "called", **at1)
    event(t, "finished", utc(m, 1, 15), "called", "done", **at1)
    for number, service, priority, minute in ((2, "KK", None, 10), (3, "KTP", "lansia", 20)):
        t = ticket(m, service, number, "waiting", priority=priority, issued_at=utc(m, 1, minute))
        event(t, "issued", utc(m, 1, minute), None, "waiting")
    t = ticket(m, "NIB", 1, "waiting", issued_at=utc(m, 1, 30))
    event(t, "issued", utc(m, 1, 30), None, "waiting")
    for prefix, day, last in (("A", f, 3), ("B", f, 1), ("A", m, 3), ("B", m, 1)):
        db.insert(
            "number_counter",
            key=False,
            hall_id=hall,
            prefix=prefix,
            business_date=day,
            last_number=last,
        )


def _dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted(
                (dict(r._mapping) for r in conn.execute(select(table))), key=lambda d: repr(d)
            )
            for name, table in meta.tables.items()
            if name != "alembic_version"
        }


@pytest.fixture
def old_engine(empty_url: str) -> Any:  # noqa: F811
    """A database left by release 0001, full of a hall's history."""
    engine = make_engine(empty_url)
    assert upgrade(engine, "0001") == "0001"
    with write_tx(engine) as conn:
        _fill(conn)
    yield engine
    engine.dispose()


def test_old_rows_survive_the_upgrade_unchanged(old_engine: Engine) -> None:
    """Every row of every 0001 table is identical after the upgrade; new columns are empty
    and new tables exist, empty."""
    before = _dump(old_engine)
    assert len(before["ticket"]) == 9
    assert len(before["ticket_event"]) == 22

    assert upgrade(old_engine) == head_revision()

    after = _dump(old_engine)
    assert current_revision(old_engine) == head_revision()
    for name, rows in before.items():
        kept = [{k: row[k] for k in rows[0]} for row in after[name]] if rows else after[name]
        assert kept == rows, name
    assert {row["last_seen_at"] for row in after["counter"]} == {None}
    assert after["survey_response"] == []


def test_the_app_works_on_the_upgraded_data(old_engine: Engine) -> None:
    """On Monday 09:00 after the upgrade: the elderly visitor is called first, numbering goes on
    from A-003, old PINs sign in, Friday's log and report read right, nothing is left to close,
    and the event log refuses changes."""
    upgrade(old_engine)
    clock = FrozenClock(MONDAY_0900)
    queue = Hall(old_engine, clock=clock)

    assert queue.calls.call_next(counter="L1", officer="ani").code == "A-003"
    assert queue.calls.finish(counter="L1", officer="ani").status == "done"
    assert queue.calls.call_next(counter="L1", officer="ani").code == "A-002"
    assert queue.issuing.issue_ticket(service="KTP").ticket.code == "A-004"
    assert queue.issuing.issue_ticket(service="NIB").ticket.code == "B-002"

    officers = Hall(old_engine, clock=clock).officers
    assert officers.authenticate(username="budi", pin=PINS["budi"]).role.value == "operator"

    log = {(e.code, e.service_code): e for e in queue.daylog.day_log(day=FRIDAY)}
    assert sorted(log) == [
        ("A-001", "KTP"),
        ("A-002", "KTP"),
        ("A-002", "NIB"),
        ("A-003", "KK"),
        ("B-001", "NIB"),
    ]
    served = log[("A-001", "KTP")]
    assert (served.wait_seconds, served.walk_seconds, served.service_seconds) == (300, 120, 780)
    assert log[("A-002", "NIB")].transferred_from == "KTP"

    total = Hall(old_engine, clock=clock).reports.report(start=FRIDAY, end=FRIDAY).total
    assert (total.visitors, total.transferred_in, total.served) == (4, 1, 2)
    assert (total.no_shows, total.transferred, total.expired, total.open) == (1, 1, 1, 0)

    assert queue.supervision.ensure_past_days_closed() == {}
    with pytest.raises(DBAPIError, match="append-only"), write_tx(old_engine) as conn:
        conn.execute(text("DELETE FROM ticket_event"))


def test_the_upgraded_data_is_sound_and_usernames_stay_per_hall(old_engine: Engine) -> None:
    """The old release's days pass the invariant checker after the upgrade, and a second hall
    loaded into the upgraded database may have its own budi beside MPP Lama's."""
    upgrade(old_engine)
    assert find_violations(old_engine) == []

    load_seed(old_engine, read_seed(default_seed_file()))
    clock = FrozenClock(MONDAY_0900)
    kotim = Hall(old_engine, hall="KOTIM", clock=clock, hasher=FAST_HASHER).officers
    kotim.add(username="budi", pin="5830", full_name="Budi Kotim")
    lama = Hall(old_engine, hall="LAMA", clock=clock).officers
    assert kotim.authenticate(username="budi", pin="5830").full_name == "Budi Kotim"
    assert lama.authenticate(username="budi", pin=PINS["budi"]).full_name == "Budi"
