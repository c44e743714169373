"""The `mpp` command line end to end, through Typer's CliRunner, on SQLite and PostgreSQL.

Every invocation goes through :func:`run`, which fails the test when a traceback is printed or
an exception escaped the CLI's own error handling (CliRunner would otherwise turn it into a
quiet exit code 1). CliRunner here (typer's vendored click) keeps the streams apart:
`result.stdout` and `result.stderr`, with `result.output` holding both interleaved. Results go
to stdout (text or `--json`), refusals to stderr as one line (`Title: message`), or, with
`--json`, to stdout as `{"ok": false, "error": {...}}`; either way the exit code is 1.

The CLI reads the real clock. Tickets are issued with `--override-by spv` (a supervisor) so
opening hours never matter; the "closed" refusal uses a seed whose hall has no hours at all.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from sqlalchemy import func, inspect, select
from typer.testing import CliRunner, Result

from mpp_tui.cli import admin
from mpp_tui.cli.main import app
from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.db.migrate import current_revision, head_revision
from mpp_tui.db.seed import default_seed_file, read_seed
from mpp_tui.db.tables import HALL, TICKET
from mpp_tui.domain.clock import SystemClock
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import (
    ADMIN_PIN,
    FAST_HASHER,
    OPERATOR_PIN,
    PG_REQUIRED,
    PG_URL,
    SUPERVISOR_PIN,
    pg_available,
    pg_exec,
    pg_url_for,
)

runner = CliRunner()
WRONG_PIN = "5093"
UNREACHABLE = "postgresql://nobody:s3cret@127.0.0.1:1/x"
KOTIM = read_seed(default_seed_file())
KOTIM_COUNTS = {
    "agencies": len(KOTIM.agencies),
    "services": sum(len(a.services) for a in KOTIM.agencies),
    "counters": len(KOTIM.counters),
}


# --- running the CLI ------------------------------------------------------------------------------

_COMMAND = typer.main.get_command(app)


@pytest.fixture(autouse=True)
def _build_the_command_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """CliRunner.invoke rebuilds the click command tree from `app` on every call (a third of an
    invocation's time); the tree is stateless, so build it once."""

    def get_command(typer_app: typer.Typer) -> Any:
        return _COMMAND if typer_app is app else typer.main.get_command(typer_app)

    monkeypatch.setattr(typer.testing, "_get_command", get_command)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """Invoke `mpp ARGS` (wide terminal so tables never wrap); never a traceback."""
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


class Mpp:
    """`mpp --db URL [global options]`, with PINs passed through MPP_PIN."""

    def __init__(self, url: str, *globals_: str, env: dict[str, str] | None = None) -> None:
        self.url = url
        self.globals = globals_
        self.env = env or {}

    def __call__(self, *args: str, pin: str | None = None, **env: str) -> Result:
        full_env = {**self.env, **env}
        if pin is not None:
            full_env["MPP_PIN"] = pin
        return run("--db", self.url, *self.globals, *args, env=full_env)

    def issue(self, service: str, *extra: str) -> dict[str, Any]:
        """Issue a ticket with a supervisor's override (independent of the real clock)."""
        res = self(
            "ticket", "issue", service, "--override-by", "spv", "--json", *extra, pin=SUPERVISOR_PIN
        )
        return as_json(ok(res))["ticket"]  # type: ignore[no-any-return]


def ok(result: Result) -> Result:
    """Exit 0, nothing on stderr."""
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr
    return result


def refused(result: Result, *needles: str) -> str:
    """Exit 1, nothing on stdout, exactly one line on stderr containing every needle."""
    assert result.exit_code == 1, result.output
    assert result.stdout == "", result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def usage_refused(result: Result, needle: str) -> None:
    """A usage error: exit 1, nothing on stdout, the problem named once on stderr."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "Usage: mpp" in result.stderr
    assert len([ln for ln in result.stderr.splitlines() if needle in ln]) == 1, result.stderr


def as_json(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def line(result: Result) -> str:
    """The single line a successful text command printed."""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    return lines[0]


# --- databases ------------------------------------------------------------------------------------


ADMIN_ENV = {"MPP_BY": "admin", "MPP_BY_PIN": ADMIN_PIN}


def with_admin(url: str) -> None:
    """Give the hall at `url` its first admin (`admin`, ADMIN_PIN), as `mpp init --admin` does."""
    engine = make_engine(url)
    try:
        Hall(engine, hasher=FAST_HASHER).officers.add(username="admin", pin=ADMIN_PIN, role="admin")
    finally:
        engine.dispose()


@pytest.fixture
def mpp(db_url: str) -> Mpp:
    """The CLI on a fresh migrated and seeded database (both backends), whose hall has an
    admin; admin actions sign in as it (MPP_BY, MPP_BY_PIN)."""
    with_admin(db_url)
    return Mpp(db_url, env=ADMIN_ENV)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all: an empty SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "empty.sqlite"
        path.touch()
        yield sqlite_url(path)
        return
    if not pg_available():
        if PG_REQUIRED:
            pytest.fail(f"PostgreSQL required (MPP_TEST_POSTGRES=1) but not reachable at {PG_URL}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    name = f"mpp_e_{uuid.uuid4().hex[:10]}"
    pg_exec(f"CREATE DATABASE {name}")
    yield pg_url_for(name)
    pg_exec(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def halls(url: str) -> list[tuple[str, str]] | None:
    """(code, short_name) of every hall row; None when there is no hall table."""
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table(HALL.name):
            return None
        with engine.connect() as conn:
            return [(r.code, r.short_name) for r in conn.execute(select(HALL))]
    finally:
        engine.dispose()


def revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def count_tickets(url: str, **where: Any) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(TICKET).filter_by(**where)
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


# A hall with no hours at all (always closed), one service that inherits that, and one service
# open all day every day with a quota of one ticket.
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = ", ".join(f'{day} = ["00:00-24:00"]' for day in WEEK)
TEST_SEED = f"""
[hall]
code = "UJI"
name = "Mal Pelayanan Publik Uji"
short_name = "MPP Uji"
timezone = "Asia/Jakarta"

[hall.hours]

[[priority_categories]]
code = "lansia"
name = "Lansia"

[[outcomes]]
code = "selesai"
name = "Selesai"

[[agencies]]
code = "UJI"
name = "Instansi Uji"
short_name = "Uji"

  [[agencies.services]]
  code = "TUTUP"
  name = "Layanan Tutup"
  name_en = "Closed service"
  prefix = "T"
  max_minutes = 10

  [[agencies.services]]
  code = "BUKA"
  name = "Layanan Buka"
  prefix = "B"
  max_minutes = 10
  daily_quota = 1
  hours = {{ {ALWAYS} }}

[[counters]]
code = "U01"
name = "Loket Uji"
services = ["TUTUP", "BUKA"]
"""


@pytest.fixture
def uji_seed(tmp_path: Path) -> Path:
    path = tmp_path / "uji.toml"
    path.write_text(TEST_SEED, encoding="utf-8")
    return path


# --- init -----------------------------------------------------------------------------------------


def test_init_empty_database_and_again(empty_db_url: str) -> None:
    """`init` migrates and seeds an empty database; a second run changes nothing and says the
    same thing."""
    mpp = Mpp(empty_db_url)
    first = line(ok(mpp("init")))
    head = head_revision()
    assert first == (
        f"Skema di revisi {head}. MPP Kotim: {KOTIM_COUNTS['agencies']} instansi, "
        f"{KOTIM_COUNTS['services']} layanan, {KOTIM_COUNTS['counters']} loket."
    )
    assert revision(empty_db_url) == head
    assert halls(empty_db_url) == [("KOTIM", "MPP Kotim")]
    assert line(ok(mpp("init"))) == first
    assert halls(empty_db_url) == [("KOTIM", "MPP Kotim")]
    english = line(ok(mpp("--lang", "en", "init")))
    assert english.startswith(f"Schema at revision {head}. MPP Kotim: ")


def test_init_creates_a_new_sqlite_file(tmp_path: Path) -> None:
    """`init` on an SQLite file that does not exist yet, in an existing folder, creates it."""
    path = tmp_path / "mpp.sqlite"
    data = as_json(ok(run("--db", sqlite_url(path), "init", "--json")))
    assert data["hall"] == "KOTIM"
    assert path.is_file()
    assert halls(sqlite_url(path)) == [("KOTIM", "MPP Kotim")]


def test_init_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    """A typo in an explicit database path is refused, not turned into a new database."""
    path = tmp_path / "tidak-ada" / "mpp.sqlite"
    result = run("--db", sqlite_url(path), "init")
    assert result.exit_code == 1
    assert "tidak-ada" in result.output
    assert "Traceback" not in result.output
    assert not path.parent.exists()


def test_init_json_has_stable_keys(empty_db_url: str) -> None:
    """`init --json`: exactly ok, revision, hall and the three counts, the same on a re-run."""
    mpp = Mpp(empty_db_url)
    first = as_json(ok(mpp("init", "--json")))
    assert set(first) == {"ok", "revision", "hall", "agencies", "services", "counters", "admins"}
    assert first["admins"] == 0  # off a terminal and without --admin, none is made
    assert first == {
        "ok": True,
        "revision": head_revision(),
        "hall": "KOTIM",
        **KOTIM_COUNTS,
        "admins": 0,
    }
    assert as_json(ok(mpp("init", "--json"))) == first


def test_init_with_malformed_toml_leaves_an_empty_database_untouched(
    empty_db_url: str, tmp_path: Path
) -> None:
    """A seed that is not TOML: exit 1, the message names the file and the problem, and no
    table (so no hall row) was created."""
    bad = tmp_path / "rusak.toml"
    bad.write_text('[hall\ncode = "KOTIM"\n', encoding="utf-8")
    res = Mpp(empty_db_url)("init", "--seed", str(bad))
    assert res.exit_code == 1
    assert res.stdout == ""
    heading, *problems = res.stderr.strip().splitlines()
    assert heading == "Masukan tidak valid: Data referensi tidak valid:"
    assert len(problems) == 1
    assert str(bad) in problems[0]
    assert "line 1" in problems[0]
    assert halls(empty_db_url) is None
    assert revision(empty_db_url) is None


def test_init_on_a_seeded_database(mpp: Mpp, tmp_path: Path) -> None:
    """Re-running init on a seeded database is a no-op. A seed with valid TOML but invalid data
    is refused with every problem on its own line naming file, entry and field, and the hall's
    data is as it was (validation happens before the database is touched)."""
    data = as_json(ok(mpp("init", "--json")))
    assert data == {
        "ok": True,
        "revision": head_revision(),
        "hall": "KOTIM",
        **KOTIM_COUNTS,
        "admins": 1,
    }

    text = default_seed_file().read_text(encoding="utf-8")
    text = text.replace('short_name = "MPP Kotim"', 'short_name = "DIUBAH"', 1)
    text = text.replace('services = ["KTP", "KK", "PINDAH"]', 'services = ["KTP", "KK", "NOPE"]')
    text = text.replace('prefix = "B"', 'prefix = "b1"', 1)
    bad = tmp_path / "kotim-salah.toml"
    bad.write_text(text, encoding="utf-8")
    res = mpp("--lang", "en", "init", "--seed", str(bad))
    assert res.exit_code == 1
    assert res.stdout == ""
    heading, *problems = res.stderr.strip().splitlines()
    assert heading == "Invalid input: Invalid reference data:"
    assert all(str(bad) in p for p in problems)
    joined = "\n".join(problems)
    assert "agencies[DPMPTSP].services[NIB].prefix" in joined
    assert halls(mpp.url) == [("KOTIM", "MPP Kotim")]

    missing = tmp_path / "tidak-ada.toml"
    res = mpp("init", "--seed", str(missing))
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines()[1:] == [f"  {missing}: file not found"]


def test_init_on_unreachable_database_says_so() -> None:
    refused(run("--db", UNREACHABLE, "init"), "Basis data tidak dapat dihubungi")


# --- users ----------------------------------------------------------------------------------------


def test_user_add_list_set_pin_disable(mpp: Mpp) -> None:
    """The whole life of an account through the CLI, PINs from MPP_PIN."""
    assert line(ok(mpp("user", "add", "siti", "--name", "Siti Aminah", pin="4821"))) == (
        "Pengguna siti (operator) dibuat."
    )
    added = as_json(ok(mpp("user", "add", "Kepala", "--role", "supervisor", "--json", pin="7305")))
    assert added["officer"]["username"] == "kepala"
    assert added["officer"]["role"] == "supervisor"

    listed = ok(mpp("user", "list", "--json"))
    officers = as_json(listed)["officers"]
    assert [o["username"] for o in officers] == ["admin", "kepala", "siti"]
    siti = officers[2]
    assert siti == {
        "username": "siti",
        "full_name": "Siti Aminah",
        "role": "operator",
        "active": True,
        "locked_until": None,
        "counter_code": None,
    }
    assert "pin" not in listed.stdout.lower()
    assert "argon2" not in listed.stdout
    text = ok(mpp("user", "list")).stdout
    for word in ("Pengguna", "Peran", "Siti Aminah"):
        assert word in text
    assert "argon2" not in text

    # The PIN works, then a new one replaces it.
    at = ("--counter", "L01", "--officer", "siti")
    assert line(ok(mpp("counter", "open", *at, pin="4821"))) == "Loket L01: buka."
    assert line(ok(mpp("user", "set-pin", "siti", pin="5938"))) == "PIN siti diganti."
    refused(mpp("counter", "close", *at, pin="4821"), "Gagal masuk: Nama pengguna atau PIN salah.")
    assert line(ok(mpp("counter", "close", *at, pin="5938"))) == "Loket L01: tutup."

    assert line(ok(mpp("user", "disable", "siti"))) == "Pengguna siti dinonaktifkan."
    officers = as_json(ok(mpp("user", "list", "--json")))["officers"]
    assert [o["active"] for o in officers if o["username"] == "siti"] == [False]
    refused(
        mpp("counter", "open", "--counter", "L01", "--officer", "siti", pin="5938"),
        "Akun siti dinonaktifkan.",
    )
    ok(mpp("user", "enable", "siti"))
    ok(mpp("counter", "open", "--counter", "L01", "--officer", "siti", pin="5938"))


def test_user_enable_says_enabled(mpp: Mpp) -> None:
    ok(mpp("user", "add", "siti", pin="4821"))
    ok(mpp("user", "disable", "siti"))
    out = line(ok(mpp("--lang", "en", "user", "enable", "siti")))
    assert "created" not in out
    assert out == "User siti enabled."


def test_user_refusals(mpp: Mpp, officers: Officers) -> None:
    """Trivial or malformed PINs, duplicate or invalid names, no PIN, unknown accounts."""
    for pin in ("1234", "1111", "2580", "123", "12a4", "987654321", ""):
        refused(
            mpp("user", "add", "siti", pin=pin),
            "Masukan tidak valid: PIN harus 4–8 angka dan tidak mudah ditebak",
        )
    assert "siti" not in ok(mpp("user", "list")).stdout
    refused(mpp("--lang", "en", "user", "set-pin", "budi", pin="0000"), "A PIN must be 4–8 digits")
    ok(mpp("counter", "open", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))

    ok(mpp("user", "add", "siti", pin="4821"))
    refused(mpp("user", "add", "SITI", pin="5938"), "Pengguna 'siti' sudah ada.")
    refused(mpp("user", "add", "x!", pin="5938"), "Nama pengguna 'x!' tidak valid")
    refused(mpp("user", "add", "rina"), "PIN diperlukan: isi MPP_PIN")
    refused(mpp("user", "set-pin", "nobody", pin="5938"), "Petugas 'nobody' tidak dikenal.")
    refused(mpp("user", "disable", "nobody"), "Petugas 'nobody' tidak dikenal.")


# --- counters and calls ---------------------------------------------------------------------------


def _issue_four(mpp: Mpp) -> list[str]:
    return [mpp.issue(s)["code"] for s in ("KTP", "KTP", "KK", "KTP")]


def test_round_trip_json(mpp: Mpp, officers: Officers) -> None:
    """open → next → recall → start → finish → next → no-show → next → transfer → next →
    return first, each step's --json carrying the ticket's code and new status."""
    assert _issue_four(mpp) == ["A-001", "A-002", "A-003", "A-004"]
    pin = {"pin": OPERATOR_PIN}
    at = ("--counter", "L01", "--officer", "budi", "--json")

    counter = as_json(ok(mpp("counter", "open", *at, **pin)))["counter"]
    assert (counter["code"], counter["state"], counter["officer"]) == ("L01", "open", "budi")

    def step(*cmd: str) -> dict[str, Any]:
        data = as_json(ok(mpp("call", *cmd, *at, **pin)))
        assert data["ok"] is True
        return data["ticket"]  # type: ignore[no-any-return]

    tk = step("next")
    assert (tk["code"], tk["status"], tk["counter_code"], tk["call_count"]) == (
        "A-001",
        "called",
        "L01",
        1,
    )
    tk = step("recall")
    assert (tk["code"], tk["status"], tk["call_count"]) == ("A-001", "called", 2)
    tk = step("start")
    assert (tk["code"], tk["status"]) == ("A-001", "serving")
    tk = step("finish", "--outcome", "selesai")
    assert (tk["code"], tk["status"], tk["outcome"]) == ("A-001", "done", "selesai")

    assert step("next")["code"] == "A-002"
    early = mpp("call", "no-show", *at, **pin)
    assert early.exit_code == 1
    assert as_json(early) == {
        "ok": False,
        "error": {
            "code": "err.no_show_too_early",
            "title": "Tidak dapat dilakukan",
            "message": "Panggil ulang dulu: tidak hadir baru bisa setelah 2 kali panggilan.",
        },
    }
    step("recall")
    tk = step("no-show")
    assert (tk["code"], tk["status"]) == ("A-002", "no_show")

    assert step("next")["code"] == "A-003"
    child = as_json(ok(mpp("call", "transfer", "AKTA_LAHIR", *at, **pin)))["ticket"]
    assert (child["code"], child["status"], child["service_code"]) == (
        "A-003",
        "waiting",
        "AKTA_LAHIR",
    )
    assert child["parent_id"] is not None

    assert step("next")["code"] == "A-004"
    tk = step("return", "--position", "first")
    assert (tk["code"], tk["status"], tk["counter_code"]) == ("A-004", "waiting", None)

    waiting_l01 = as_json(ok(mpp("queue", "--counter", "L01", "--json")))["tickets"]
    assert [(t["code"], t["service_code"]) for t in waiting_l01] == [("A-004", "KTP")]
    waiting_l02 = as_json(ok(mpp("queue", "--counter", "L02", "--json")))["tickets"]
    assert [(t["code"], t["service_code"]) for t in waiting_l02] == [("A-003", "AKTA_LAHIR")]
    shown = as_json(ok(mpp("ticket", "show", "A-003", "--json")))
    assert (shown["ticket"]["status"], shown["ticket"]["service_code"]) == ("waiting", "AKTA_LAHIR")
    # A transferred ticket's history starts at its first ancestor.
    assert [e["kind"] for e in shown["events"]] == [
        "issued",
        "called",
        "transferred",
        "transferred_in",
    ]
    history = as_json(ok(mpp("ticket", "show", "A-001", "--json")))["events"]
    assert [e["kind"] for e in history] == ["issued", "called", "recalled", "started", "finished"]

    closed = as_json(ok(mpp("counter", "close", *at, **pin)))["counter"]
    assert closed["state"] == "closed"


def like(text: str, pattern: str) -> bool:
    """`text` is `pattern`, where `…` stands for any text (parts whose translation is open:
    service names, outcome and position codes, pause reasons)."""
    return re.fullmatch(re.escape(pattern).replace("…", ".+"), text) is not None


# Expected single lines of the text round trip, Indonesian and English.
ROUND_TRIP: list[tuple[tuple[str, ...], str, str]] = [
    (("counter", "open"), "Loket L01: buka.", "Counter L01: open."),
    (("call", "next"), "Memanggil A-001 ke loket L01.", "Calling A-001 to counter L01."),
    (("call", "recall"), "Memanggil ulang A-001 (panggilan ke-2).", "Recalling A-001 (call 2)."),
    (("call", "start"), "Mulai melayani A-001.", "Serving A-001."),
    (
        ("call", "finish", "--outcome", "selesai"),
        "A-001 selesai: Selesai.",
        "A-001 finished: Completed.",
    ),
    (("call", "next"), "Memanggil A-002 ke loket L01.", "Calling A-002 to counter L01."),
    (("call", "recall"), "Memanggil ulang A-002 (panggilan ke-2).", "Recalling A-002 (call 2)."),
    (("call", "no-show"), "A-002 ditandai tidak hadir.", "A-002 marked no-show."),
    (("call", "next"), "Memanggil A-003 ke loket L01.", "Calling A-003 to counter L01."),
    (
        ("call", "transfer", "AKTA_LAHIR"),
        "A-003 diteruskan ke Akta Kelahiran & KIA.",
        "A-003 transferred to ….",
    ),
    (("call", "next"), "Memanggil A-004 ke loket L01.", "Calling A-004 to counter L01."),
    (
        ("call", "return", "--position", "first"),
        "A-004 dikembalikan ke antrean (…).",
        "A-004 returned to the queue (first).",
    ),
    (
        ("counter", "pause", "--reason", "sholat"),
        "Loket L01: jeda (sholat).",
        "Counter L01: paused (…).",
    ),
    (("counter", "resume"), "Loket L01: buka.", "Counter L01: open."),
    (("counter", "close"), "Loket L01: tutup.", "Counter L01: closed."),
]


@pytest.mark.parametrize(
    ("globals_", "env", "lang"),
    [
        pytest.param((), {}, "id", id="id-default"),
        pytest.param(("--lang", "en"), {}, "en", id="en-flag"),
    ],
)
def test_round_trip_text(
    db_url: str,
    officers: Officers,
    globals_: tuple[str, ...],
    env: dict[str, str],
    lang: str,
) -> None:
    """The same round trip in text: Indonesian by default, English with --lang en."""
    mpp = Mpp(db_url, *globals_, env=env)
    issued = line(ok(mpp("ticket", "issue", "KTP", "--override-by", "spv", pin=SUPERVISOR_PIN)))
    if lang == "id":
        assert issued == (
            "Tiket A-001 — Perekaman & Cetak KTP-el (Disdukcapil). "
            "0 orang di depan, perkiraan tunggu 0 menit."
        )
    else:
        assert like(issued, "Ticket A-001 — … (Disdukcapil). 0 ahead, estimated wait 0 min.")
    second = line(ok(mpp("ticket", "issue", "KTP", "--override-by", "spv", pin=SUPERVISOR_PIN)))
    assert re.search(r"1 orang di depan|1 ahead", second)
    mpp.issue("KK")
    mpp.issue("KTP")
    for cmd, text_id, text_en in ROUND_TRIP:
        group, *rest = cmd
        res = mpp(
            group, rest[0], "--counter", "L01", "--officer", "budi", *rest[1:], pin=OPERATOR_PIN
        )
        printed = line(ok(res))
        assert like(printed, text_id if lang == "id" else text_en), printed
    shown = ok(mpp("ticket", "show", "A-002")).stdout
    assert ("tidak hadir" if lang == "id" else "no-show") in shown.splitlines()[0]
    error = refused(mpp("ticket", "issue", "NOPE"))
    assert error == (
        "Tidak ditemukan: Layanan 'NOPE' tidak dikenal (daftar: mpp services)."
        if lang == "id"
        else "Not found: Unknown service 'NOPE' (list: mpp services)."
    )


def test_language_from_environment_and_flag(mpp: Mpp, officers: Officers) -> None:
    """MPP_LANG picks the language; --lang wins over it. Results and refusals follow it."""
    at = ("--counter", "L01", "--officer", "budi")
    cases: list[tuple[tuple[str, ...], dict[str, str], bool]] = [
        ((), {"MPP_LANG": "en"}, True),
        (("--lang", "id"), {"MPP_LANG": "en"}, False),
        (("--lang", "en"), {"MPP_LANG": "id"}, True),
    ]
    for globals_, env, english in cases:
        cli = Mpp(mpp.url, *globals_, env=env)
        opened = line(ok(cli("counter", "open", *at, pin=OPERATOR_PIN)))
        assert opened == ("Counter L01: open." if english else "Loket L01: buka.")
        empty = refused(cli("call", "next", *at, pin=OPERATOR_PIN))
        assert empty == (
            "Not possible now: Nobody is waiting for counter L01."
            if english
            else "Tidak dapat dilakukan: Tidak ada antrean untuk loket L01."
        )
        closed = line(ok(cli("counter", "close", *at, pin=OPERATOR_PIN)))
        assert closed == ("Counter L01: closed." if english else "Loket L01: tutup.")


def test_pause_reason_in_english(mpp: Mpp, officers: Officers) -> None:
    at = ("--counter", "L01", "--officer", "budi")
    ok(mpp("counter", "open", *at, pin=OPERATOR_PIN))
    paused = mpp("--lang", "en", "counter", "pause", *at, "--reason", "sholat", pin=OPERATOR_PIN)
    assert line(ok(paused)) == "Counter L01: paused (prayer)."


def test_counter_refusals(mpp: Mpp, officers: Officers) -> None:
    pin = {"pin": OPERATOR_PIN}
    budi = ("--counter", "L01", "--officer", "budi")
    refused(
        mpp("call", "next", "--counter", "L01", "--officer", "spv", pin=SUPERVISOR_PIN),
        "Loket L01 tutup; buka dulu (mpp counter open).",
    )
    refused(mpp("call", "next", *budi, **pin), "budi tidak bertugas di loket L01.")
    ok(mpp("counter", "open", *budi, **pin))
    ok(mpp("counter", "open", *budi, **pin))  # the same officer again: fine
    refused(
        mpp("counter", "open", "--counter", "L01", "--officer", "sari", **pin),
        "Loket L01 sedang dipakai oleh budi.",
    )
    refused(
        mpp("call", "next", "--counter", "L02", "--officer", "budi", **pin),
        "budi tidak bertugas di loket L02.",
    )
    refused(mpp("call", "next", *budi, **pin), "Tidak ada antrean untuk loket L01.")
    refused(mpp("call", "recall", *budi, **pin), "Loket L01 tidak sedang menangani tiket.")
    refused(
        mpp("call", "next", "--counter", "L99", "--officer", "budi", **pin),
        "Loket 'L99' tidak dikenal.",
    )
    mpp.issue("KTP")
    ok(mpp("call", "next", *budi, **pin))
    refused(
        mpp("call", "finish", *budi, "--outcome", "bogus", **pin),
        "Hasil layanan 'bogus' tidak dikenal.",
    )
    refused(mpp("call", "finish", *budi, "--outcome", "lainnya", **pin), "memerlukan catatan")
    refused(
        mpp("call", "transfer", "KTP", *budi, **pin),
        "Tiket A-001 sudah untuk layanan Perekaman & Cetak KTP-el.",
    )
    refused(mpp("counter", "close", *budi, **pin), "masih menangani tiket A-001")
    usage_refused(mpp("call", "return", *budi, "--position", "middle", **pin), "--position")
    ok(mpp("call", "finish", *budi, "--outcome", "lainnya", "--note", "tanya jawab", **pin))


# --- queue, status, doctor, day close -------------------------------------------------------------


def test_queue_order_matches_call_next(mpp: Mpp, officers: Officers) -> None:
    """`queue --counter L01 --json` lists exactly what `call next` then calls, in that order
    (priority first); a ticket for a service L01 does not serve is not in it."""
    mpp.issue("KTP")
    mpp.issue("KK")
    mpp.issue("KTP", "--priority", "lansia")
    mpp.issue("PINDAH")
    mpp.issue("KTP", "--priority", "Disabilitas")
    mpp.issue("AKTA_LAHIR")  # A-006, L02/L18 only
    mpp.issue("NIB")  # B-001
    listed = [t["code"] for t in as_json(ok(mpp("queue", "--counter", "l01", "--json")))["tickets"]]
    assert listed == ["A-003", "A-005", "A-001", "A-002", "A-004"]
    everything = as_json(ok(mpp("queue", "--json")))["tickets"]
    assert sorted(t["code"] for t in everything) == sorted([*listed, "A-006", "B-001"])
    text = ok(mpp("queue", "--counter", "L01")).stdout
    assert "Antrean loket L01" in text
    assert re.findall(r"[A-Z]-\d{3}", text) == listed
    assert "★ lansia" in text

    pin = {"pin": OPERATOR_PIN}
    at = ("--counter", "L01", "--officer", "budi")
    ok(mpp("counter", "open", *at, **pin))
    called = []
    for _ in listed:
        called.append(as_json(ok(mpp("call", "next", *at, "--json", **pin)))["ticket"]["code"])
        ok(mpp("call", "finish", *at, **pin))
    assert called == listed
    assert line(ok(mpp("queue", "--counter", "L01"))) == "Tidak ada yang menunggu."
    assert as_json(ok(mpp("queue", "--counter", "L01", "--json")))["tickets"] == []
    usage_refused(mpp("queue", "--limit", "0"), "--limit")
    refused(mpp("queue", "--counter", "L99"), "Loket 'L99' tidak dikenal.")


def test_status_json_and_text(mpp: Mpp, officers: Officers) -> None:
    data = as_json(ok(mpp("status", "--json")))
    assert set(data) == {"ok", "hall", "business_date", "counters", "services", "overview"}
    assert data["hall"] == "KOTIM"
    date.fromisoformat(data["business_date"])
    assert len(data["counters"]) == KOTIM_COUNTS["counters"]
    assert len(data["services"]) == KOTIM_COUNTS["services"]
    assert all(c["state"] == "closed" for c in data["counters"])
    assert sum(s["waiting"] for s in data["services"]) == 0

    mpp.issue("KTP")
    mpp.issue("KTP")
    ok(mpp("counter", "open", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    ok(mpp("call", "next", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    data = as_json(ok(mpp("status", "--json")))
    l01 = next(c for c in data["counters"] if c["code"] == "L01")
    assert (l01["state"], l01["officer"], l01["active"]["code"]) == ("open", "budi", "A-001")
    ktp = next(s for s in data["services"] if s["code"] == "KTP")
    assert (ktp["waiting"], ktp["issued_today"], ktp["daily_quota"]) == (1, 2, 30)

    text = ok(mpp("status")).stdout
    assert text.startswith(f"MPP Kotim — {data['business_date']}")
    assert "Antrean per layanan" in text
    assert "A-001 dipanggil" in text
    assert "2/30" in text
    english = ok(mpp("--lang", "en", "status")).stdout
    assert "Waiting per service" in english
    assert "A-001 called" in english
    ok(mpp("--hall", "kotim", "status"))
    refused(mpp("--hall", "NOPE", "status"), "MPP 'NOPE' tidak ada di basis data.")


def test_doctor_healthy(mpp: Mpp) -> None:
    res = ok(mpp("doctor"))
    assert "Pemeriksaan mpp" in res.stdout
    assert "!!" not in res.stdout
    assert "KOTIM (Asia/Jakarta)" in res.stdout
    data = as_json(ok(mpp("doctor", "--json")))
    assert data["healthy"] is True
    names = [c["name"] for c in data["checks"]]
    for name in ("database", "reachable", "schema", "halls", "time zone"):
        assert name in names
    assert all(c["ok"] for c in data["checks"])


def test_a_new_sqlite_file_is_private_and_doctor_says_when_it_is_not(tmp_path: Path) -> None:
    """SQLite has no roles: `mpp init` creates the file 0600; `mpp doctor` warns (naming the
    fix) once other users may read it, and says nothing against 0640."""
    path = tmp_path / "hall.sqlite"
    mpp = Mpp(sqlite_url(path))
    ok(mpp("init"))
    assert path.stat().st_mode & 0o777 == 0o600
    for mode, level in ((0o640, "ok"), (0o644, "warn"), (0o666, "warn")):
        path.chmod(mode)
        data = as_json(ok(mpp("doctor", "--json")))
        check = next(c for c in data["checks"] if c["name"] == "database file")
        assert check["level"] == level, (oct(mode), check)
        if level == "warn":
            assert f"chmod 600 {path}" in check["detail"]


def test_doctor_on_an_empty_database(empty_db_url: str) -> None:
    res = Mpp(empty_db_url)("doctor")
    assert res.exit_code == 1
    assert "run `mpp init`" in res.stdout
    data = as_json(Mpp(empty_db_url)("doctor", "--json"))
    assert data["healthy"] is False
    schema = next(c for c in data["checks"] if c["name"] == "schema")
    assert schema["ok"] is False
    assert "run `mpp init`" in schema["detail"]


def test_doctor_on_an_unreachable_database() -> None:
    res = run("--db", UNREACHABLE, "doctor", "--json")
    assert res.exit_code == 1
    data = as_json(res)
    assert data["healthy"] is False
    reachable = next(c for c in data["checks"] if c["name"] == "reachable")
    assert reachable["ok"] is False
    assert "s3cret" not in res.output


def test_day_close(mpp: Mpp, officers: Officers) -> None:
    """`day close --date D` expires D's waiting tickets once; a second run reports 0."""
    for service in ("KTP", "KTP", "KK", "NIB"):
        mpp.issue(service)
    ok(mpp("counter", "open", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    ok(mpp("call", "next", "--counter", "L01", "--officer", "budi", pin=OPERATOR_PIN))
    today = as_json(ok(mpp("status", "--json")))["business_date"]

    refused(
        mpp("day", "close", "--yes", "--date", today),
        "Menutup hari layanan yang sedang berjalan memerlukan supervisor (--officer).",
    )
    assert count_tickets(mpp.url, status="expired") == 0
    spv = ("--officer", "spv")
    assert line(ok(mpp("day", "close", "--yes", "--date", today, *spv, pin=SUPERVISOR_PIN))) == (
        f"Hari {today} ditutup: 3 tiket kedaluwarsa."
    )
    assert count_tickets(mpp.url, status="expired") == 3
    assert count_tickets(mpp.url, status="called") == 1
    assert as_json(
        ok(mpp("day", "close", "--yes", "--date", today, *spv, "--json", pin=SUPERVISOR_PIN))
    ) == {
        "ok": True,
        "date": today,
        "expired": 0,
    }
    assert line(
        ok(mpp("--lang", "en", "day", "close", "--yes", "--date", today, *spv, pin=SUPERVISOR_PIN))
    ) == (f"Day {today} closed: 0 tickets expired.")
    shown = ok(mpp("ticket", "show", "A-002")).stdout
    assert "kedaluwarsa" in shown.splitlines()[0]

    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    data = as_json(
        ok(mpp("day", "close", "--yes", "--officer", "spv", "--json", pin=SUPERVISOR_PIN))
    )
    assert data == {"ok": True, "date": yesterday, "expired": 0}
    refused(
        mpp("day", "close", "--yes", "--date", "2026-01-05", "--officer", "budi", pin=OPERATOR_PIN),
        "budi (operator) tidak berwenang untuk menutup hari layanan.",
    )
    refused(
        mpp("day", "close", "--yes", "--date", "2026-13-01"), "Tanggal '2026-13-01' tidak valid"
    )


# --- issuing and opening hours --------------------------------------------------------------------


def test_issue_with_override(mpp: Mpp, officers: Officers) -> None:
    first = as_json(
        ok(mpp("ticket", "issue", "ktp", "--override-by", "spv", "--json", pin=SUPERVISOR_PIN))
    )
    assert set(first) == {"ok", "ticket", "ahead", "eta_minutes"}
    assert (first["ticket"]["code"], first["ticket"]["status"], first["ahead"]) == (
        "A-001",
        "waiting",
        0,
    )
    second = as_json(
        ok(
            mpp(
                "ticket",
                "issue",
                "KTP",
                "--priority",
                "lansia",
                "--override-by",
                "spv",
                "--json",
                pin=SUPERVISOR_PIN,
            )
        )
    )
    assert (second["ticket"]["code"], second["ticket"]["priority"]) == ("A-002", "lansia")
    history = as_json(ok(mpp("ticket", "show", "A-001", "--json")))["events"]
    assert [(e["kind"], e["officer"]) for e in history] == [("issued", "spv")]
    refused(
        mpp("ticket", "issue", "KTP", "--override-by", "budi", pin=OPERATOR_PIN),
        "budi (operator) tidak berwenang untuk melewati jam/kuota layanan.",
    )
    refused(
        mpp("ticket", "issue", "KTP", "--override-by", "spv", pin=WRONG_PIN),
        "Nama pengguna atau PIN salah.",
    )
    refused(mpp("ticket", "issue", "KTP", "--override-by", "spv"), "PIN diperlukan")
    refused(
        mpp(
            "ticket",
            "issue",
            "KTP",
            "--priority",
            "vip",
            "--override-by",
            "spv",
            pin=SUPERVISOR_PIN,
        ),
        "Kategori prioritas 'vip' tidak dikenal",
    )
    assert count_tickets(mpp.url) == 2


def test_plain_issue_follows_hours_and_quota(empty_db_url: str, uji_seed: Path) -> None:
    """With a hall that has no hours, a plain issue is always refused as closed (exit 1) and a
    supervisor's override still issues; an all-day service issues until its quota."""
    mpp = Mpp(empty_db_url, env=ADMIN_ENV)
    made = as_json(
        ok(mpp("init", "--seed", str(uji_seed), "--admin", "admin", "--json", pin=ADMIN_PIN))
    )
    assert (made["hall"], made["admins"]) == ("UJI", 1)
    assert refused(mpp("ticket", "issue", "TUTUP")) == (
        "Layanan tutup: Layanan Tutup tidak melayani saat ini. Jam layanan hari ini: tutup."
    )
    english = refused(mpp("--lang", "en", "ticket", "issue", "TUTUP"))
    assert english.startswith("Service closed: ")
    assert english.endswith("is not serving now. Today's hours: closed.")
    closed_json = mpp("ticket", "issue", "TUTUP", "--json")
    assert closed_json.exit_code == 1
    assert as_json(closed_json)["error"]["code"] == "err.outside_hours"
    assert count_tickets(mpp.url) == 0

    ok(mpp("user", "add", "spv", "--role", "supervisor", pin=SUPERVISOR_PIN))
    forced = as_json(
        ok(mpp("ticket", "issue", "TUTUP", "--override-by", "spv", "--json", pin=SUPERVISOR_PIN))
    )
    assert (forced["ticket"]["code"], forced["ticket"]["status"]) == ("T-001", "waiting")

    # Open all day (00:00-24:00; only the last second of a day counts as closed).
    assert line(ok(mpp("ticket", "issue", "BUKA"))).startswith("Tiket B-001 — Layanan Buka (Uji).")
    refused(
        mpp("ticket", "issue", "BUKA"),
        "Layanan tutup: Kuota harian Layanan Buka (1) sudah habis.",
    )
    ok(mpp("ticket", "issue", "BUKA", "--override-by", "spv", pin=SUPERVISOR_PIN))
    assert count_tickets(mpp.url) == 3


# --- bad input ------------------------------------------------------------------------------------


# (what, arguments, environment, the refusal line or a part of it)
BAD_INPUT: list[tuple[str, tuple[str, ...], dict[str, str], str]] = [
    (
        "svc",
        ("ticket", "issue", "NOPE"),
        {},
        "Tidak ditemukan: Layanan 'NOPE' tidak dikenal (daftar: mpp services).",
    ),
    (
        "svc-en",
        ("--lang", "en", "ticket", "issue", "NOPE"),
        {},
        "Not found: Unknown service 'NOPE' (list: mpp services).",
    ),
    (
        "code",
        ("ticket", "show", "zzz"),
        {},
        "Masukan tidak valid: Kode tiket 'zzz' tidak valid (contoh: A-001).",
    ),
    (
        "ticket",
        ("ticket", "show", "A-999"),
        {},
        "Tidak ditemukan: Tiket 'A-999' tidak ditemukan hari ini.",
    ),
    (
        "cancel-code",
        ("ticket", "cancel", "1-A", "--officer", "spv"),
        {"MPP_PIN": SUPERVISOR_PIN},
        "Kode tiket '1-A' tidak valid",
    ),
    (
        "no-pin",
        ("counter", "open", "--counter", "L01", "--officer", "budi"),
        {},
        "Gagal masuk: PIN diperlukan: isi MPP_PIN atau jalankan di terminal interaktif.",
    ),
    (
        "no-pin-en",
        ("--lang", "en", "call", "next", "--counter", "L01", "--officer", "budi"),
        {},
        "Sign-in failed: A PIN is needed: set MPP_PIN or run in an interactive terminal.",
    ),
    (
        "wrong-pin",
        ("counter", "open", "--counter", "L01", "--officer", "budi"),
        {"MPP_PIN": WRONG_PIN},
        "Gagal masuk: Nama pengguna atau PIN salah.",
    ),
    (
        "unknown-user",
        ("counter", "open", "--counter", "L01", "--officer", "nobody"),
        {"MPP_PIN": WRONG_PIN},
        "Gagal masuk: Nama pengguna atau PIN salah.",
    ),
    (
        "bad-lang",
        ("--lang", "xx", "status"),
        {},
        "Masukan tidak valid: Bahasa 'xx' tidak dikenal (id, en).",
    ),
    (
        "cancel-missing",
        ("ticket", "cancel", "A-001", "--officer", "spv"),
        {"MPP_PIN": SUPERVISOR_PIN},
        "Tiket 'A-001' tidak ditemukan hari ini.",
    ),
]


def test_bad_input_is_one_line_and_exit_1(mpp: Mpp, officers: Officers) -> None:
    """Each mistake: exit 1, nothing on stdout, one readable line on stderr, no traceback."""
    for what, args, env, message in BAD_INPUT:
        result = mpp(*args, **env)
        assert result.exit_code == 1, (what, result.output)
        assert message in refused(result), what

    # With --json a refusal is a JSON object on stdout (and still exit 1).
    res = mpp("--lang", "en", "ticket", "show", "zzz", "--json")
    assert res.exit_code == 1
    assert res.stderr == ""
    assert as_json(res) == {
        "ok": False,
        "error": {
            "code": "err.ticket_code_invalid",
            "title": "Invalid input",
            "message": "Ticket code 'zzz' is invalid (example: A-001).",
        },
    }


def test_lang_from_environment_is_validated() -> None:
    res = run("--db", UNREACHABLE, "status", env={"MPP_LANG": "xx"})
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "MPP_LANG" in res.stderr
    assert "Konfigurasi tidak valid" in res.stderr


def test_locked_account(mpp: Mpp, officers: Officers) -> None:
    """Five wrong PINs in a row lock the account (the fifth already says so); while locked even
    the right PIN is refused; a new PIN set by `user set-pin` unlocks it."""
    at = ("counter", "open", "--counter", "L01", "--officer", "budi")
    messages = [refused(mpp(*at, pin=WRONG_PIN)) for _ in range(6)]
    assert messages[:4] == ["Gagal masuk: Nama pengguna atau PIN salah."] * 4
    for message in messages[4:]:
        assert re.fullmatch(
            r"Gagal masuk: Akun budi terkunci sampai \d\d\.\d\d karena terlalu banyak PIN salah\.",
            message,
        )
    refused(mpp(*at, pin=OPERATOR_PIN), "terkunci")
    refused(mpp("--lang", "en", *at, pin=OPERATOR_PIN), "Account budi is locked until")
    assert re.search(
        r"locked until \d\d:\d\d ", refused(mpp("--lang", "en", *at, pin=OPERATOR_PIN))
    )
    listed = as_json(ok(mpp("user", "list", "--json")))["officers"]
    assert next(o for o in listed if o["username"] == "budi")["locked_until"] is not None
    assert "🔒" in ok(mpp("user", "list")).stdout
    ok(mpp("user", "set-pin", "budi", pin="5938"))
    ok(mpp(*at, pin="5938"))


def test_unreachable_database() -> None:
    """Every database command says it cannot reach the server, naming it without the password."""
    for args in (("status",), ("ticket", "issue", "KTP"), ("user", "list"), ("queue",)):
        message = refused(run("--db", UNREACHABLE, *args), "Basis data: Basis data tidak dapat")
        assert "127.0.0.1:1" in message
        assert "s3cret" not in message
    english = refused(run("--db", UNREACHABLE, "--lang", "en", "status"))
    assert english.startswith("Database: Cannot reach the database (postgresql")


@pytest.mark.parametrize("url", ["not a url", "bogus://x"])
def test_malformed_database_url(url: str) -> None:
    message = refused(run("--db", url, "status"))
    assert "tak terduga" not in message
    assert url in message


def test_unknown_option_on_a_command() -> None:
    usage_refused(run("status", "--bogus"), "No such option: --bogus")
    usage_refused(run("ticket", "issue", "KTP", "--bogus"), "No such option: --bogus")


def test_unknown_global_option() -> None:
    usage_refused(run("--bogus", "status"), "No such option: --bogus")


def test_schema_not_initialised(empty_db_url: str) -> None:
    """A database without the schema: every command asks for `mpp init`."""
    mpp = Mpp(empty_db_url)
    for args in (("status",), ("queue",), ("user", "list"), ("ticket", "issue", "KTP")):
        refused(mpp(*args), "Basis data: Skema basis data belum terbaru; jalankan `mpp init`.")
    refused(mpp("--lang", "en", "status"), "run `mpp init`")


def test_malformed_config_file(tmp_path: Path) -> None:
    """Settings are read before any database is touched; each problem names file and line."""
    mpp = Mpp(UNREACHABLE)
    bad = tmp_path / "config.toml"
    bad.write_text("lang = \n", encoding="utf-8")
    res = mpp("--config", str(bad), "status")
    assert res.exit_code == 1
    assert res.stdout == ""
    heading, *problems = res.stderr.strip().splitlines()
    assert heading == "Masukan tidak valid: Konfigurasi tidak valid:"
    assert len(problems) == 1
    assert str(bad) in problems[0]

    bad.write_text('lang = "fr"\nkiosk_reset_seconds = 0\n', encoding="utf-8")
    res = mpp("--config", str(bad), "status")
    assert res.exit_code == 1
    heading, *problems = res.stderr.strip().splitlines()
    assert [p.split(": ")[0].strip() for p in problems] == [f"{bad}:1", f"{bad}:2"]
    assert "kiosk_reset_seconds" in problems[1]


def test_config_file_settings_and_precedence(db_url: str, tmp_path: Path) -> None:
    """The config file supplies the database and language; MPP_* beats the file, the flag
    beats both."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'database_url = "{db_url}"\nlang = "en"\n', encoding="utf-8")
    assert line(ok(run("--config", str(cfg), "queue"))) == "Nobody is waiting."
    assert line(ok(run("--config", str(cfg), "queue", env={"MPP_LANG": "id"}))) == (
        "Tidak ada yang menunggu."
    )
    assert line(ok(run("--config", str(cfg), "--lang", "en", "queue", env={"MPP_LANG": "id"}))) == (
        "Nobody is waiting."
    )
    refused(
        run("--config", str(cfg), "--db", UNREACHABLE, "queue"),
        "Database: Cannot reach the database",
    )
    refused(
        run("--config", str(cfg), "queue", env={"MPP_DATABASE_URL": UNREACHABLE}),
        "Database: Cannot reach the database",
    )


# --- demo -----------------------------------------------------------------------------------------


@pytest.fixture
def freeze_time(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Make the CLI's real clock (datetime.now in cli/admin.py, SystemClock) read `at`."""

    def freeze(at: datetime) -> None:
        class _Frozen(datetime):
            @classmethod
            def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
                return at.astimezone(tz) if tz else at.replace(tzinfo=None)

        monkeypatch.setattr(admin, "datetime", _Frozen)
        monkeypatch.setattr(SystemClock, "now", lambda self: at + self.offset)

    return freeze


def _demo_db() -> Path:
    return admin.data_dir() / "demo.sqlite"


def test_demo_json_twice(freeze_time: Callable[[datetime], None]) -> None:
    """`demo --json` builds the demo database in the (isolated) data dir with its officers and
    a morning of tickets; running it again reuses it."""
    freeze_time(datetime(2026, 11, 30, 3, 30, tzinfo=UTC))  # Monday 10:30 WIB
    path = _demo_db()
    assert not path.exists()
    first = as_json(ok(run("demo", "--json")))
    assert set(first) == {"ok", "database", "officers", "counters", "services"}
    assert Path(first["database"]) == path
    assert path.exists()
    assert [(o["username"], o["role"]) for o in first["officers"]] == [
        ("petugas1", "operator"),
        ("petugas2", "operator"),
        ("spv", "supervisor"),
        ("admin", "admin"),
    ]
    issued = sum(s["issued_today"] for s in first["services"])
    assert issued > 0
    assert sum(c["served_today"] for c in first["counters"]) > 0
    second = as_json(ok(run("demo", "--json")))
    assert second == first
    assert count_tickets(sqlite_url(path)) == issued

    # The demo officers sign in with the PINs the demo prints.
    demo = Mpp(sqlite_url(path))
    ok(demo("counter", "open", "--counter", "L02", "--officer", "petugas1", pin="4821"))
    text = ok(run("demo")).stdout
    assert f"Basis data demo siap: {path}" in text
    assert "petugas1/4821 (operator)" in text


def test_demo_just_after_midnight_has_tickets(freeze_time: Callable[[datetime], None]) -> None:
    freeze_time(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))  # Monday 01:00 WIB
    data = as_json(ok(run("demo", "--json")))
    assert sum(s["issued_today"] for s in data["services"]) > 0


def test_demo_hall_is_open_on_a_sunday_evening(freeze_time: Callable[[datetime], None]) -> None:
    """The demo hall opens round the clock, so the kiosk and `ticket issue` work whenever
    someone tries the demo; the real Kotim hours would refuse them on a Sunday evening."""
    freeze_time(datetime(2026, 11, 29, 13, 0, tzinfo=UTC))  # Sunday 20:00 WIB
    ok(run("demo", "--json"))
    demo = Mpp(sqlite_url(_demo_db()))
    issued = as_json(ok(demo("ticket", "issue", "KTP", "--json")))
    assert issued["ticket"]["service_code"] == "KTP"


def test_admin_actions_need_the_admin_and_are_audited(mpp: Mpp) -> None:
    """`mpp user add` without a signed-in admin is refused (one line, nothing made); a wrong
    admin PIN too; an operator cannot act as admin; with the admin every change is one audit
    row (who, what, before → after), never a PIN, and `mpp audit` shows them."""
    refused(
        mpp("--lang", "en", "user", "add", "rina", pin="4821", MPP_BY=""), "needs a signed-in admin"
    )
    refused(mpp("user", "add", "rina", pin="4821", MPP_BY_PIN="0000"), "PIN salah")
    ok(mpp("user", "add", "rina", pin="4821"))
    refused(
        mpp("--lang", "en", "user", "add", "tono", pin="5938", MPP_BY="rina", MPP_BY_PIN="4821"),
        "rina",
    )
    ok(mpp("user", "set-role", "rina", "supervisor"))
    ok(mpp("user", "disable", "rina"))
    entries = as_json(ok(mpp("audit", "--json", "--action", "officer")))["entries"]
    assert [(e["actor"], e["action"], e["target"]) for e in entries] == [
        ("admin", "officer.disable", "rina"),
        ("admin", "officer.set_role", "rina"),
        ("admin", "officer.add", "rina"),
        ("", "officer.add", "admin"),  # the test's hall got its admin from the owner
    ]
    assert entries[1]["before"]["role"] == "operator"
    assert entries[1]["after"]["role"] == "supervisor"
    assert "4821" not in json.dumps(entries)
    assert [o["username"] for o in as_json(ok(mpp("user", "list", "--json")))["officers"]] == [
        "admin",
        "rina",
    ]
    text = ok(mpp("--lang", "en", "audit")).stdout
    assert "officer.set_role" in text
    assert "role: operator→supervisor" in text
