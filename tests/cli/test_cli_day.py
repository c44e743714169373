"""`mpp day close` and `mpp day reopen` through the real CLI, on both backends: the preview says
what will happen, nothing happens without a confirmation, operators are refused, and a reopen
puts every expired ticket back in its old place with the kiosks issuing again.

The CLI reads the real clock, so "today" is the hall's business day now (read from `status`);
a past day's close is played through the services with the frozen Monday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine
from typer.testing import Result

from mpp_tui.cli import day as day_cli
from mpp_tui.cli.main import app
from mpp_tui.db.invariants import find_violations
from mpp_tui.services.facade import Hall
from tests.cli.test_cli import Mpp, as_json, count_tickets, line, ok, refused, runner
from tests.conftest import MONDAY_0900, OPERATOR_PIN, SUPERVISOR_PIN

pytestmark = pytest.mark.usefixtures("officers")
SPV = ("--officer", "spv")
L01 = ("--counter", "L01", "--officer", "budi")
L02 = ("--counter", "L02", "--officer", "sari")


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    return Mpp(db_url)


def busy_day(mpp: Mpp) -> str:
    """Five tickets: A-001 in service at L01, A-002 called at L02, A-003, A-004 and B-001
    waiting. Returns today's business date."""
    for service in ("KTP", "KK", "KTP", "KK", "NIB"):
        mpp.issue(service)
    for at in (L01, L02):
        ok(mpp("counter", "open", *at, pin=OPERATOR_PIN))
        ok(mpp("call", "next", *at, pin=OPERATOR_PIN))
    ok(mpp("call", "start", *L01, pin=OPERATOR_PIN))
    return str(as_json(ok(mpp("status", "--json")))["business_date"])


def waiting_codes(mpp: Mpp) -> list[str]:
    return [t["code"] for t in as_json(ok(mpp("queue", "--json")))["tickets"]]


def answering(mpp: Mpp, answer: str, *args: str, pin: str) -> Result:
    """`mpp ARGS` at a terminal where someone types `answer`."""
    env = {"COLUMNS": "80", "MPP_PIN": pin}
    return runner.invoke(app, ["--db", mpp.url, *args], input=answer, env=env)


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(day_cli, "interactive", lambda: True)


def test_dry_run_says_what_a_close_would_do(mpp: Mpp) -> None:
    """The preview counts the day's waiting, called and serving tickets, per service too, and
    changes nothing (no PIN needed)."""
    today = busy_day(mpp)
    data = as_json(ok(mpp("day", "close", "--date", today, "--dry-run", "--json")))
    assert {k: data[k] for k in ("dry_run", "business_date", "running", "closed_at")} == {
        "dry_run": True,
        "business_date": today,
        "running": True,
        "closed_at": None,
    }
    assert (data["waiting"], data["called"], data["serving"], data["expired"]) == (3, 1, 1, 0)
    per_service = {
        s["service_code"]: (s["waiting"], s["called"], s["serving"]) for s in data["services"]
    }
    assert per_service == {"KK": (1, 1, 0), "KTP": (1, 0, 1), "NIB": (1, 0, 0)}

    text = ok(mpp("day", "close", "--date", today, "--dry-run")).stdout
    assert f"Tutup hari layanan {today} (hari ini):" in text
    assert "3 tiket menunggu → kedaluwarsa" in text
    assert "1 dipanggil dan 1 dilayani tetap; loketnya masih dapat menyelesaikannya." in text
    assert "Kios berhenti menerbitkan tiket untuk hari itu." in text
    assert "mpp day reopen" in text
    english = ok(mpp("--lang", "en", "day", "close", "--date", today, "--dry-run")).stdout
    assert "3 waiting tickets → expired" in english
    assert "1 called and 1 in service stay; their counters can still finish them." in english
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    past = ok(mpp("day", "close", "--dry-run")).stdout  # default: yesterday, over
    assert f"Tutup hari layanan {yesterday} (sudah lewat):" in past
    assert "tidak dapat dibuka kembali" in past
    assert count_tickets(mpp.url, status="expired") == 0
    assert waiting_codes(mpp) == ["A-003", "A-004", "B-001"]


def test_without_yes_off_a_terminal_nothing_happens(mpp: Mpp) -> None:
    """A script that forgot --yes gets one clear line and exit 1; with --json the same as an
    error object. The day stays open."""
    today = busy_day(mpp)
    for command in ("close", "reopen"):
        refused(
            mpp("day", command, "--date", today, *SPV, pin=SUPERVISOR_PIN),
            "Perlu konfirmasi",
            "--yes",
        )
        res = mpp("day", command, "--date", today, *SPV, "--json", pin=SUPERVISOR_PIN)
        assert res.exit_code == 1
        assert as_json(res)["error"]["code"] == "err.confirm_needed"
    assert count_tickets(mpp.url, status="expired") == 0
    mpp.issue("KTP")  # the kiosk still issues


@pytest.mark.usefixtures("at_a_terminal")
def test_at_a_terminal_it_asks_and_no_is_the_default(mpp: Mpp) -> None:
    """The preview, then the question: Enter (No) or "n" changes nothing; "y" closes."""
    today = busy_day(mpp)
    args = ("day", "close", "--date", today, *SPV)
    for answer in ("\n", "n\n"):
        res = answering(mpp, answer, *args, pin=SUPERVISOR_PIN)
        assert res.exit_code == 1, res.output
        assert "3 tiket menunggu → kedaluwarsa" in res.stdout
        assert f"Tutup hari layanan {today}? [y/N]" in res.stdout
        assert "Tidak jadi; tidak ada yang diubah." in res.stderr
        assert count_tickets(mpp.url, status="expired") == 0
    res = answering(mpp, "y\n", *args, pin=SUPERVISOR_PIN)
    assert res.exit_code == 0, res.output
    assert res.stdout.rstrip().endswith(f"Hari {today} ditutup: 3 tiket kedaluwarsa.")
    assert max(len(row) for row in res.stdout.splitlines()) <= 80, res.stdout

    res = answering(mpp, "n\n", "day", "reopen", *SPV, pin=SUPERVISOR_PIN)
    assert res.exit_code == 1, res.output
    assert "3 tiket kedaluwarsa menunggu lagi" in res.stdout
    assert count_tickets(mpp.url, status="expired") == 3
    res = answering(mpp, "y\n", "day", "reopen", *SPV, pin=SUPERVISOR_PIN)
    assert res.exit_code == 0, res.output
    assert count_tickets(mpp.url, status="expired") == 0


def test_an_operator_may_not_close_or_reopen_today(mpp: Mpp) -> None:
    today = busy_day(mpp)
    budi = ("--officer", "budi", "--yes")
    refused(
        mpp("day", "close", "--date", today, *budi, pin=OPERATOR_PIN),
        "budi (operator) tidak berwenang untuk menutup hari layanan.",
    )
    refused(
        mpp("day", "close", "--date", today, "--yes"),
        "Menutup hari layanan yang sedang berjalan memerlukan supervisor (--officer).",
    )
    assert count_tickets(mpp.url, status="expired") == 0
    ok(mpp("day", "close", "--date", today, *SPV, "--yes", pin=SUPERVISOR_PIN))
    refused(
        mpp("day", "reopen", *budi, pin=OPERATOR_PIN),
        "budi (operator) tidak berwenang untuk membuka kembali hari layanan.",
    )
    refused(
        mpp("day", "reopen", "--yes"),
        "Membuka kembali hari layanan memerlukan supervisor (--officer).",
    )
    assert count_tickets(mpp.url, status="expired") == 3


def test_close_then_reopen_restores_the_queue(mpp: Mpp, engine: Engine) -> None:
    """Reopening puts the expired tickets back in their old order, leaves the counters' tickets
    alone, lets the kiosk issue again, and leaves a log the invariant checker accepts."""
    today = busy_day(mpp)
    before = waiting_codes(mpp)
    assert before == ["A-003", "A-004", "B-001"]
    closed = as_json(
        ok(mpp("day", "close", "--date", today, *SPV, "--yes", "--json", pin=SUPERVISOR_PIN))
    )
    assert closed == {"ok": True, "date": today, "expired": 3}
    assert waiting_codes(mpp) == []
    refused(
        mpp("ticket", "issue", "KTP", "--override-by", "spv", pin=SUPERVISOR_PIN), "sudah ditutup"
    )
    preview = as_json(ok(mpp("day", "reopen", "--dry-run", "--json")))
    assert (preview["expired"], preview["running"]) == (3, True)
    assert preview["closed_at"] is not None

    reopened = as_json(ok(mpp("day", "reopen", *SPV, "--yes", "--json", pin=SUPERVISOR_PIN)))
    assert reopened == {"ok": True, "date": today, "reopened": 3, "tickets": before}
    assert waiting_codes(mpp) == before
    total = as_json(ok(mpp("report", "--json")))["report"]["total"]
    assert (total["visitors"], total["expired"], total["open"]) == (5, 0, 5)
    assert count_tickets(mpp.url, status="serving") == 1
    assert count_tickets(mpp.url, status="called") == 1
    assert mpp.issue("KTP")["code"] == "A-005"  # issuing again, after the others
    assert waiting_codes(mpp) == [*before, "A-005"]
    shown = ok(mpp("ticket", "show", "A-003")).stdout
    assert "hari dibuka kembali" in shown
    assert "day reopened" in ok(mpp("--lang", "en", "ticket", "show", "A-003")).stdout
    log = {e["code"]: e for e in as_json(ok(mpp("log", "--format", "json")))["tickets"]}
    assert log["A-003"]["status"] == "waiting"
    assert log["A-003"]["finished_at"] is None

    # The counter calls them as it would have before the close.
    ok(mpp("call", "finish", *L01, pin=OPERATOR_PIN))
    called = as_json(ok(mpp("call", "next", *L01, "--json", pin=OPERATOR_PIN)))["ticket"]
    assert called["code"] == "A-003"

    assert find_violations(engine) == []
    assert as_json(ok(mpp("doctor", "--deep", "--json")))["violations"] == []
    # Closed and reopened again: the same tickets, each once more.
    ok(mpp("day", "close", "--date", today, *SPV, "--yes", pin=SUPERVISOR_PIN))
    again = line(ok(mpp("day", "reopen", *SPV, "--yes", pin=SUPERVISOR_PIN)))
    assert again == f"Hari {today} dibuka kembali: 3 tiket menunggu lagi."
    assert waiting_codes(mpp) == ["A-004", "B-001", "A-005"]
    assert find_violations(engine) == []


def test_reopen_refusals(mpp: Mpp, queue: Hall) -> None:
    """An open day has nothing to reopen; a day that is over cannot be reopened, even when it
    was closed early; --date must be a date."""
    today = busy_day(mpp)
    args = (*SPV, "--yes")
    refused(
        mpp("day", "reopen", *args, pin=SUPERVISOR_PIN),
        f"Hari layanan {today} tidak sedang ditutup",
    )
    # Monday (the services' frozen clock) closed by a supervisor during the day; now it is over.
    queue.issuing.issue_ticket(service="KTP")
    monday = MONDAY_0900.date().isoformat()
    assert queue.supervision.close_day(day=MONDAY_0900.date(), officer="spv") == 1
    for day in (monday, (date.fromisoformat(today) - timedelta(days=1)).isoformat()):
        refused(
            mpp("day", "reopen", "--date", day, *args, pin=SUPERVISOR_PIN),
            f"Hanya hari layanan yang sedang berjalan ({today}) yang dapat dibuka kembali; "
            f"{day} tidak.",
        )
    refused(
        mpp("--lang", "en", "day", "reopen", "--date", monday, "--dry-run"),
        f"Only the running business day ({today}) can be reopened, not {monday}.",
    )
    assert count_tickets(mpp.url, status="expired") == 1
    refused(mpp("day", "reopen", "--date", "2026-02-30", *args), "2026-02-30")
