"""`mpp doctor --deep` through the real CLI, on both backends: a sound day passes, each broken
invariant is printed (text and JSON) with exit 1, and `--date`/`--days`/`--hall` bound the check.

Tickets issued through the CLI carry the real clock's business day (today by default);
those played through the services carry the frozen Monday, reached with `--date`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from mpp_tui.db.engine import write_tx
from mpp_tui.db.seed import load_seed, read_seed
from mpp_tui.db.tables import TICKET
from mpp_tui.services.facade import Hall
from tests.cli.test_cli import Mpp, as_json, ok, refused, usage_refused
from tests.conftest import MONDAY_0900

pytestmark = pytest.mark.usefixtures("officers")
MONDAY = MONDAY_0900.date()
LARGE = Path(__file__).resolve().parents[2] / "data" / "large.toml"


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    return Mpp(db_url)


def invariant_rows(data: dict[str, object]) -> list[dict[str, object]]:
    checks = data["checks"]
    assert isinstance(checks, list)
    return [c for c in checks if c["name"] == "invariants"]


def break_ticket(engine: Engine, ticket_id: int, **values: object) -> None:
    with write_tx(engine) as conn:
        conn.execute(update(TICKET).where(TICKET.c.id == ticket_id).values(**values))


def test_a_sound_day_passes(mpp: Mpp) -> None:
    """Today's tickets (issued, called, finished through the CLI) are read and found sound."""
    for service in ("KTP", "KTP", "KK"):
        mpp.issue(service)
    text = ok(mpp("doctor", "--deep")).stdout
    assert "3 tickets, 3 events, all invariants hold" in text
    data = as_json(ok(mpp("doctor", "--deep", "--json")))
    assert data["healthy"] is True
    assert data["violations"] == []
    [row] = invariant_rows(data)
    assert row["ok"] is True
    assert str(row["detail"]).startswith("KOTIM ")


def test_without_deep_no_ticket_is_read(mpp: Mpp, engine: Engine) -> None:
    ticket = mpp.issue("KTP")
    break_ticket(engine, ticket["id"], status="done")
    data = as_json(ok(mpp("doctor", "--json")))
    assert "violations" not in data
    assert invariant_rows(data) == []


def test_each_violation_is_printed_and_exits_1(mpp: Mpp, engine: Engine) -> None:
    """A status the log does not end in and a hole in the numbers: both named, with the
    ticket, in the table and in the JSON; exit 1."""
    first, _, last = (mpp.issue("KTP") for _ in range(3))
    break_ticket(engine, first["id"], status="done")
    break_ticket(engine, last["id"], number=7, code="A-007")

    res = mpp("doctor", "--deep")
    assert res.exit_code == 1
    assert "3 tickets, 3 events, 3 violations" in res.stdout
    assert f"A-001 (#{first['id']}): it is done but its log ends in waiting" in res.stdout
    assert "A-003, A-004, A-005, A-006 were never issued" in res.stdout
    assert "running number is 3 for A but its tickets run to 7" in res.stdout

    res = mpp("doctor", "--deep", "--json")
    assert res.exit_code == 1
    data = as_json(res)
    assert (data["ok"], data["healthy"]) == (False, False)
    assert [(v["kind"], v["ticket"], v["hall"]) for v in data["violations"]] == [
        ("numbering", None, "KOTIM"),
        ("numbering", None, "KOTIM"),
        ("replay", "A-001", "KOTIM"),
    ]
    assert {v["day"] for v in data["violations"]} == {invariant_day(data)}
    [row] = invariant_rows(data)
    assert row["ok"] is False


def invariant_day(data: dict[str, object]) -> str:
    """The day the single `invariants` row says it checked."""
    [row] = invariant_rows(data)
    return str(row["detail"]).split()[1].rstrip(":")


def test_date_and_days_choose_the_days(mpp: Mpp, queue: Hall, engine: Engine) -> None:
    """A broken Monday is found with `--date` (which implies --deep) or within `--days`, and
    not from the day before."""
    broken = queue.issuing.issue_ticket(service="KTP").ticket.id
    break_ticket(engine, broken, status="cancelled")

    res = mpp("doctor", "--date", MONDAY.isoformat(), "--json")
    assert res.exit_code == 1
    assert [v["ticket"] for v in as_json(res)["violations"]] == ["A-001"]

    data = as_json(ok(mpp("doctor", "--deep", "--date", "2026-11-29", "--json")))
    assert invariant_rows(data)[0]["detail"] == "KOTIM 2026-11-29: no tickets, all invariants hold"

    res = mpp("doctor", "--days", "3", "--date", "2026-12-01")
    assert res.exit_code == 1
    assert "KOTIM 2026-11-29..2026-12-01: 1 tickets, 1 events, 1 violation" in res.stdout


def test_bad_date_and_days_are_refused(mpp: Mpp) -> None:
    refused(mpp("doctor", "--deep", "--date", "2026-13-01"), "2026-13-01")
    usage_refused(mpp("doctor", "--deep", "--days", "0"), "--days")
    usage_refused(mpp("doctor", "--deep", "--days", "367"), "--days")


def test_every_hall_or_the_chosen_one(mpp: Mpp, engine: Engine) -> None:
    """With two halls in the database: each is checked on its own, or only `--hall`'s."""
    load_seed(engine, read_seed(LARGE))
    data = as_json(mpp("doctor", "--deep", "--json"))
    assert [str(r["detail"]).split()[0] for r in invariant_rows(data)] == ["BESAR", "KOTIM"]
    data = as_json(ok(mpp("--hall", "besar", "doctor", "--deep", "--json")))
    assert [str(r["detail"]).split()[0] for r in invariant_rows(data)] == ["BESAR"]


def test_today_is_the_halls_business_day(mpp: Mpp) -> None:
    """Without --date, the day checked is today in the hall's time zone, as tickets get it."""
    ticket = mpp.issue("KTP")
    data = as_json(ok(mpp("doctor", "--deep", "--json")))
    assert invariant_day(data) == ticket["business_date"]
    assert date.fromisoformat(invariant_day(data))
