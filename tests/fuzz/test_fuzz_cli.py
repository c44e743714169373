"""Fuzzed command lines, in process against a real SQLite file and the real PostgreSQL.

Whatever the arguments, `mpp` exits 0 or 1 (never 2), prints no traceback and never the
catch-all "unexpected error", says what is wrong in one line (or one JSON object with
--json), and a refused command leaves every row of every table as it was.

Commands that open a screen, loop (`status --watch`) or write files (`--output`) are left out:
they would hang the runner or write under the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from mpp_tui.db.tables import TICKET
from mpp_tui.domain.rules import clean_note
from mpp_tui.services import officers as officers_module
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import ADMIN_PIN, FAST_HASHER, OPERATOR_PIN, SUPERVISOR_PIN
from tests.fuzz.support import (
    DIGITS,
    check_cli,
    fuzz_settings,
    invoke,
    nasty_text,
    near,
    snapshot,
    tally,
)

PINS = {"budi": OPERATOR_PIN, "sari": OPERATOR_PIN, "spv": SUPERVISOR_PIN, "admin": ADMIN_PIN}
SERVICES = ["KTP", "KK", "PINDAH", "NIB", "SIM_A"]
COUNTERS = ["L01", "L02", "L03"]
OUTCOMES = ["selesai", "berkas_tidak_lengkap", "informasi", "ditolak", "lainnya"]
PRIORITIES = ["lansia", "disabilitas", "ibu_hamil", "anak", "korban_bencana"]
CODES = ["A-001", "A-002", "a1", "A 2", "B-001"]
DATES = ["2026-11-30", "2026-02-30", "30-11-2026", "2026-13-01", "9999-12-31", "0001-01-01"]

TEXT = nasty_text(argv=True)
# Counter commands keep their notes in 200-character columns; the service refuses longer ones
# by name (test_a_long_pause_note_is_refused_by_name).
COUNTER_TEXT = TEXT
OFFICER = near(["budi", "spv", "admin", "sari"])


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fuzzed relative path can only ever land in the test's own folder."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _cheap_dummy_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown username costs a full argon2 hash (so it cannot be told from a wrong PIN);
    fuzzed names are mostly unknown, and that cost is not what is fuzzed here."""
    monkeypatch.setattr(officers_module, "PasswordHasher", lambda: FAST_HASHER)


@pytest.fixture
def hall(engine: Engine, officers: Officers) -> Hall:
    """Budi signed in at L01 with three tickets waiting (the real clock, as the CLI uses)."""
    queue = Hall(engine)
    queue.sessions.open_counter(counter="L01", officer="budi")
    for service in ("KTP", "KK", "KTP"):
        queue.issuing.issue_ticket(service=service, override_by="spv")
    return queue


def _opt(name: str, values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """An option that may be left out, given, or given a nasty value."""
    return st.one_of(st.just([]), values.map(lambda v: [name, v]))


def _args(*parts: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.tuples(*parts).map(lambda groups: [a for g in groups for a in g])


def _fixed(*words: str) -> st.SearchStrategy[list[str]]:
    return st.just(list(words))


def _one(values: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return values.map(lambda v: [v])


JSON = st.sampled_from([[], ["--json"]])
EXTRA = st.one_of(st.just([]), st.just([]), TEXT.map(lambda v: [v]))  # a stray argument
COUNTER = _opt("--counter", near(COUNTERS))
WHO = _opt("--officer", OFFICER)
# Without --yes a day close or reopen off a terminal is refused before anything is read.
YES = st.sampled_from([["--yes"], ["--yes"], []])

COMMANDS: dict[str, st.SearchStrategy[list[str]]] = {
    "ticket": st.one_of(
        _args(
            _fixed("ticket", "issue"),
            _one(near(SERVICES)),
            _opt("--priority", near(PRIORITIES)),
            _opt("--override-by", OFFICER),
        ),
        _args(_fixed("ticket", "show"), _one(near(CODES))),
        _args(_fixed("ticket", "cancel"), _one(near(CODES)), WHO, _opt("--reason", TEXT)),
        _args(_fixed("ticket", "reactivate"), _one(near(CODES)), WHO),
    ),
    "call": st.one_of(
        _args(
            st.sampled_from([["call", c] for c in ("next", "recall", "start", "no-show")]),
            COUNTER,
            WHO,
        ),
        _args(_fixed("call", "ticket"), _one(near(CODES)), COUNTER, WHO),
        _args(
            _fixed("call", "finish"),
            COUNTER,
            WHO,
            _opt("--outcome", near(OUTCOMES)),
            _opt("--note", TEXT),
        ),
        _args(
            _fixed("call", "transfer"),
            _one(near(SERVICES)),
            COUNTER,
            WHO,
            _opt("--to-counter", near(COUNTERS)),
            _opt("--note", TEXT),
        ),
        _args(_fixed("call", "return"), COUNTER, WHO, _opt("--position", near(["first", "last"]))),
    ),
    "counter": st.one_of(
        _args(
            st.sampled_from([["counter", c] for c in ("open", "resume", "close")]),
            COUNTER,
            WHO,
            _opt("--reason", COUNTER_TEXT),
        ),
        _args(
            _fixed("counter", "pause"),
            COUNTER,
            WHO,
            _opt("--reason", near(["istirahat", "sholat", "rapat", "lainnya"])),
            _opt("--note", COUNTER_TEXT),
        ),
    ),
    "queue, status, services": st.one_of(
        _args(_fixed("queue"), COUNTER, _opt("--limit", st.one_of(DIGITS, TEXT))),
        _args(_fixed("status"), st.sampled_from([[], ["--all"]])),
        _fixed("services"),
    ),
    "log, report, day close and reopen": st.one_of(
        _args(
            _fixed("log"),
            _opt("--date", near(DATES)),
            _opt("--agency", near(["DUKCAPIL", "DPMPTSP"])),
            _opt("--service", near(SERVICES)),
            COUNTER,
            WHO,
            _opt("--format", near(["table", "csv", "json", "xlsx"])),
        ),
        _args(
            _fixed("report"),
            _opt("--from", near(DATES)),
            _opt("--to", near(DATES)),
            _opt("--by", near(["agency", "service", "counter", "officer", "hour", "day"])),
            _opt("--format", near(["table", "csv", "json", "xlsx"])),
        ),
        _args(_fixed("report", "monthly"), _opt("--month", near(["2026-11", "2026-13", "26-1"]))),
        _args(
            _fixed("report", "skm"),
            _opt("--from", near(DATES)),
            _opt("--to", near(DATES)),
            _opt("--format", near(["table", "json", "csv"])),
        ),
        _args(_fixed("day", "close"), YES, _opt("--date", near(DATES)), WHO),
        _args(_fixed("day", "reopen"), YES, _opt("--date", near(DATES)), WHO),
    ),
}


def _pin_for(args: list[str]) -> str:
    """The right PIN of the officer named on the line (a refusal must not be a wrong PIN)."""
    for flag in ("--officer", "--override-by"):
        if flag in args[:-1]:
            name = args[args.index(flag) + 1].strip().lower()
            return PINS.get(name, "5093")
    return OPERATOR_PIN


@pytest.mark.parametrize("group", list(COMMANDS))
def test_command_arguments(
    group: str, db_url: str, engine: Engine, hall: Hall, request: pytest.FixtureRequest
) -> None:
    """Fuzzed arguments of every scripting command: exit 0 or 1, one line, nothing half-done.

    A wrong PIN is a refusal that is meant to write (the failure counter), so every officer
    named on the line gets the right PIN and the refusals come from the arguments alone.
    """

    @fuzz_settings(EXAMPLES[group])
    @given(args=COMMANDS[group], json_flag=JSON, extra=EXTRA)
    def case(args: list[str], json_flag: list[str], extra: list[str]) -> None:
        tally(f"CLI arguments: {group}", db_url)
        line = ["--db", db_url, *args, *json_flag, *extra]
        before = snapshot(engine)
        result = invoke(line, env={"MPP_PIN": _pin_for(args)})
        check_cli(result, json_out=_json_expected(args, json_flag, extra))
        if result.exit_code == 1:
            assert snapshot(engine) == before, result.output

    case()


EXAMPLES = {
    "ticket": 40,
    "call": 50,
    "counter": 40,
    "queue, status, services": 20,
    "log, report, day close and reopen": 40,
}


def _json_expected(args: list[str], json_flag: list[str], extra: list[str]) -> bool | None:
    """True when the line asks for JSON; None when "--json" only appears as a value (either)."""
    if json_flag or extra == ["--json"]:
        return True
    if "--format" in args[:-1] and args[args.index("--format") + 1].strip().lower() == "json":
        return None  # `log` and `report` answer in JSON, unless an option was refused first
    return None if "--json" in args else False


# --- global options ----------------------------------------------------------------------------


@fuzz_settings(40)
@given(
    lang=_opt("--lang", near(["id", "en", "EN", "indonesia"])),
    hall_code=_opt("--hall", near(["KOTIM", "kotim", "UJI"])),
    command=st.sampled_from([["status"], ["services", "--json"], ["queue", "--json"]]),
)
def test_global_options(
    lang: list[str], hall_code: list[str], command: list[str], db_url: str, engine: Engine
) -> None:
    """--lang and --hall take any text: a clear refusal or an answer, nothing written."""
    tally("CLI global options (--lang, --hall)", db_url)
    before = snapshot(engine)
    result = invoke([*lang, *hall_code, "--db", db_url, *command])
    check_cli(result, json_out="--json" in command, one_line=True)
    assert snapshot(engine) == before


@fuzz_settings(60)
@given(url=st.one_of(TEXT, TEXT.map(lambda s: f"sqlite:///{s}"), TEXT.map(lambda s: f"x://{s}")))
@example(url="\ud800")  # found in CI: a lone surrogate echoed into JSON could not be encoded
def test_database_url(url: str) -> None:
    """--db takes any text: the URL is refused or unreachable in one line, never a traceback.

    Run in the test's scratch folder: a relative SQLite path that happens to exist is the only
    way to reach a database, and `status` never creates one.
    """
    tally("CLI --db URL")
    result = invoke(["--db", url, "status", "--json"])
    check_cli(result, json_out=True)
    assert result.exit_code == 1


# --- notes, end to end --------------------------------------------------------------------------


def _note_of(engine: Engine, code: str) -> str | None:
    with engine.connect() as conn:
        rows = conn.execute(
            select(TICKET.c.note).where(TICKET.c.code == code).order_by(TICKET.c.id.desc())
        ).all()
    return rows[0].note if rows else None


@fuzz_settings(25)
@given(note=nasty_text(argv=True, max_size=200), outcome=st.sampled_from(OUTCOMES))
def test_finish_note(note: str, outcome: str, db_url: str, engine: Engine, hall: Hall) -> None:
    """`mpp call finish --note`: the stored note is the cleaned note, or nothing changes."""
    tally("note: call finish --note", db_url)
    ticket = hall.calls.call_next(counter="L01", officer="budi")
    before = snapshot(engine)
    result = invoke(
        [
            "--db",
            db_url,
            "call",
            "finish",
            "--officer",
            "budi",
            "--counter",
            "L01",
            "--outcome",
            outcome,
            "--note",
            note,
            "--json",
        ],
        env={"MPP_PIN": OPERATOR_PIN},
    )
    check_cli(result, json_out=True)
    if result.exit_code == 0:
        assert _note_of(engine, ticket.code) == clean_note(note)
    else:
        assert snapshot(engine) == before
        hall.calls.finish(counter="L01", officer="budi", outcome="selesai")
    hall.issuing.issue_ticket(service="KTP", override_by="spv")


@fuzz_settings(20)
@given(note=nasty_text(argv=True, max_size=200))
def test_transfer_note(note: str, db_url: str, engine: Engine, hall: Hall) -> None:
    """`mpp call transfer --note`: the new ticket carries the cleaned note, or nothing changes."""
    tally("note: call transfer --note", db_url)
    ticket = hall.calls.call_next(counter="L01", officer="budi")
    before = snapshot(engine)
    result = invoke(
        [
            "--db",
            db_url,
            "call",
            "transfer",
            "NIB",
            "--officer",
            "budi",
            "--counter",
            "L01",
            "--note",
            note,
        ],
        env={"MPP_PIN": OPERATOR_PIN},
    )
    check_cli(result)
    if result.exit_code == 0:
        assert _note_of(engine, ticket.code) == clean_note(note)
    else:
        assert snapshot(engine) == before
        hall.calls.finish(counter="L01", officer="budi", outcome="selesai")
    hall.issuing.issue_ticket(service="KTP", override_by="spv")


@fuzz_settings(20)
@given(note=COUNTER_TEXT)
def test_pause_note(note: str, db_url: str, engine: Engine, hall: Hall) -> None:
    """`mpp counter pause --reason lainnya --note`: paused with the cleaned note, or unchanged."""
    tally("note: counter pause --note", db_url)
    before = snapshot(engine)
    result = invoke(
        [
            "--db",
            db_url,
            "counter",
            "pause",
            "--officer",
            "budi",
            "--counter",
            "L01",
            "--reason",
            "lainnya",
            "--note",
            note,
            "--json",
        ],
        env={"MPP_PIN": OPERATOR_PIN},
    )
    check_cli(result, json_out=True)
    if result.exit_code == 0:
        shown = hall.tickets.counter_view(counter="L01").pause_reason
        assert shown == f"lainnya: {clean_note(note)}"
        hall.sessions.resume_counter(counter="L01", officer="budi")
    else:
        assert snapshot(engine) == before


# --- regressions found by the fuzzing above ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "echoed"),
    [
        ("\n", "'\\n'"),  # the refusal was two lines
        ("A\x1b[2J", "A\\x1b[2J"),  # the refusal cleared the terminal
        ("[/]", "[/]"),  # Rich read it as markup: MarkupError, an unexpected error
        ("[bold]x", "[bold]x"),  # ...or swallowed it
    ],
)
def test_a_refusal_echoes_input_on_one_visible_line(
    code: str, echoed: str, db_url: str, engine: Engine
) -> None:
    """What was typed is echoed with its control characters written out, never interpreted."""
    result = invoke(["--db", db_url, "--lang", "en", "ticket", "show", code])
    check_cli(result)
    assert result.exit_code == 1
    assert echoed in result.stderr
    assert "\x1b" not in result.stderr


def test_an_unparsable_url_is_refused_by_name() -> None:
    """A --db value with "://" that SQLAlchemy cannot parse was an unexpected error."""
    result = invoke(["--lang", "en", "--db", "[link=http://evil.example]klik[/link]", "status"])
    check_cli(result)
    assert result.exit_code == 1
    assert "[link=http://…" in result.stderr
    assert "evil.example" not in result.stderr  # what follows the scheme may be a password


def test_a_pause_note_in_markup_is_printed_as_typed(
    db_url: str, engine: Engine, hall: Hall
) -> None:
    """The counter's state line shows the note literally (Rich read it as markup)."""
    result = invoke(
        [
            "--db",
            db_url,
            "counter",
            "pause",
            "--officer",
            "budi",
            "--counter",
            "L01",
            "--reason",
            "lainnya",
            "--note",
            "[/] [bold]rapat[/bold] \x1b[31m",
        ],
        env={"MPP_PIN": OPERATOR_PIN},
    )
    check_cli(result)
    assert result.exit_code == 0
    assert "[/] [bold]rapat[/bold]" in result.stdout
    assert "\x1b" not in result.stdout


def test_a_long_pause_note_is_refused_by_name(db_url: str, engine: Engine, hall: Hall) -> None:
    """A pause note too long for the column is refused as too long on both backends."""
    before = snapshot(engine)
    result = invoke(
        [
            "--db",
            db_url,
            "--lang",
            "en",
            "counter",
            "pause",
            "--officer",
            "budi",
            "--counter",
            "L01",
            "--reason",
            "lainnya",
            "--note",
            "x" * 300,
        ],
        env={"MPP_PIN": OPERATOR_PIN},
    )
    check_cli(result)
    assert result.exit_code == 1
    assert "too long" in result.stderr
    assert snapshot(engine) == before
