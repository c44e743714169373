"""Fuzzed ticket codes, PINs and free-text notes: the pure rules, then the services on both
backends.

Properties: the rules never raise and keep their promises (a parsed code prints back the same,
a cleaned note holds no control character, a PIN the policy accepts is only digits); through
the services a bad value is refused with a domain error and nothing is written, a good one is
stored cleaned.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import Engine, delete

from mpp_tui.db.tables import OFFICER
from mpp_tui.domain.errors import MppError
from mpp_tui.domain.rules import (
    NOTE_MAX,
    PIN_MAX,
    PIN_MIN,
    clean_note,
    format_code,
    parse_code,
    pin_ok,
    visible,
)
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import FAST_HASHER, OPERATOR_PIN
from tests.fuzz.support import (
    DIGITS,
    ESC_CLEAR,
    ESC_RED,
    ESC_TITLE,
    OSC8_LINK,
    check_cli,
    fuzz_settings,
    invoke,
    nasty_text,
    near,
    snapshot,
    tally,
)

CODE_LIKE = st.one_of(
    nasty_text(max_size=12),
    st.from_regex(r"\s*[A-Za-z]{0,3}\s*-?\s*[0-9]{0,6}\s*", fullmatch=True),
    near(["A-001", "AB-12", "a1", "B 002"]),
)

# --- the pure rules -------------------------------------------------------------------------------


@fuzz_settings(400)
@given(code=CODE_LIKE)
def test_parse_code_never_raises_and_round_trips(code: str) -> None:
    """Any text parses to None or to a code that prints and parses back to itself."""
    tally("ticket code: parse_code")
    parsed = parse_code(code)
    if parsed is None:
        return
    prefix, number = parsed
    assert prefix.isascii()
    assert prefix.isalpha()
    assert prefix.isupper()
    assert len(prefix) <= 2
    assert 0 <= number <= 9999
    assert parse_code(format_code(prefix, number)) == parsed


@fuzz_settings(400)
@given(note=nasty_text(max_size=300))
def test_clean_note_leaves_no_control_character(note: str) -> None:
    """A cleaned note holds no control character (newlines aside) and is stable."""
    tally("note: clean_note")
    cleaned = clean_note(note)
    if cleaned is None:
        return
    assert cleaned == cleaned.strip()
    assert cleaned
    assert all(ch == "\n" or ch.isprintable() for ch in cleaned)
    assert clean_note(cleaned) == cleaned


@fuzz_settings(400)
@given(text=nasty_text(max_size=100))
def test_visible_is_one_printable_line(text: str) -> None:
    """What an error message echoes is one line of printable characters, printable text kept."""
    tally("echoed input: visible")
    shown = visible(text)
    assert shown.isprintable()
    if text.isprintable():
        assert shown == text


@fuzz_settings(400)
@given(pin=st.one_of(DIGITS, nasty_text(max_size=12)))
def test_pin_policy_never_raises(pin: str) -> None:
    """Only ASCII digits of the right length can pass the PIN policy."""
    tally("PIN: pin_ok")
    if pin_ok(pin):
        assert pin.isascii()
        assert pin.isdigit()
        assert PIN_MIN <= len(pin) <= PIN_MAX
        assert len(set(pin)) > 1


# --- through the services, both backends ----------------------------------------------------------


@fuzz_settings(40)
@given(code=CODE_LIKE)
def test_ticket_lookup(code: str, db_url: str, engine: Engine, queue: Hall) -> None:
    """Looking a ticket up by any code: the ticket or a domain error; nothing written."""
    tally("ticket code: Hall.ticket", db_url)
    before = snapshot(engine)
    try:
        found = queue.tickets.ticket(code=code)
    except MppError:
        pass
    else:
        assert parse_code(found.code) == parse_code(code)
    assert snapshot(engine) == before


@fuzz_settings(30)
@given(note=nasty_text(max_size=600), outcome=st.sampled_from(["selesai", "lainnya"]))
def test_finish_note(note: str, outcome: str, db_url: str, engine: Engine, queue: Hall) -> None:
    """finish: the note is stored cleaned, or refused (needed, too long) with nothing written."""
    tally("note: Hall.finish", db_url)
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP", override_by="spv")  # past the day's quota
    queue.calls.call_next(counter="L01", officer="budi")
    before = snapshot(engine)
    cleaned = clean_note(note)
    try:
        done = queue.calls.finish(counter="L01", officer="budi", outcome=outcome, note=note)
    except MppError:
        assert (cleaned is None and outcome == "lainnya") or len(cleaned or "") > NOTE_MAX
        assert snapshot(engine) == before
        queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
    else:
        assert done.note == cleaned


@fuzz_settings(30)
@given(reason=nasty_text(max_size=600))
def test_cancel_reason(reason: str, db_url: str, engine: Engine, queue: Hall) -> None:
    """cancel: the reason is recorded cleaned, or refused (too long) with nothing written."""
    tally("note: Hall.cancel reason", db_url)
    ticket = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    before = snapshot(engine)
    try:
        queue.supervision.cancel(ticket=ticket.code, officer="spv", reason=reason)
    except MppError:
        assert len(clean_note(reason) or "") > NOTE_MAX
        assert snapshot(engine) == before
    else:
        events = queue.tickets.history(ticket_id=ticket.id)
        assert events[-1].kind == "cancelled"


def test_clean_note_on_the_escapes_of_the_brief() -> None:
    """The sequences named in the issue are removed whole; the words around them stay."""
    dirty = f"a{ESC_CLEAR}b{ESC_TITLE}c{ESC_RED}d{OSC8_LINK}e [bold]f[/]"
    assert clean_note(dirty) == "abcdklike [bold]f[/]"


# --- PINs through the CLI -------------------------------------------------------------------------


@pytest.fixture
def budi_only(engine: Engine) -> Officers:
    """One operator account, cheap to verify."""
    svc = Hall(engine, hasher=FAST_HASHER).officers
    svc.add(username="budi", pin=OPERATOR_PIN, full_name="Budi")
    return svc


@fuzz_settings(20)
@given(pin=st.one_of(DIGITS, nasty_text(argv=True, max_size=12)))
def test_sign_in_with_any_pin(pin: str, db_url: str, engine: Engine, budi_only: object) -> None:
    """Any PIN at sign-in: refused in one line, and only the failure counter may change."""
    assume(pin != OPERATOR_PIN)
    tally("PIN: sign-in (MPP_PIN)", db_url)
    before = snapshot(engine, skip=frozenset({"officer"}))
    result = invoke(
        ["--db", db_url, "counter", "open", "--counter", "L01", "--officer", "budi"],
        env={"MPP_PIN": pin},
    )
    check_cli(result)
    assert result.exit_code == 1
    assert snapshot(engine, skip=frozenset({"officer"})) == before
    budi_only.enable(username="budi")  # clears the failure counter and any lockout


@fuzz_settings(30)
@given(pin=st.one_of(DIGITS, nasty_text(argv=True, max_size=12)))
def test_new_officer_with_any_pin(pin: str, db_url: str, engine: Engine) -> None:
    """`mpp user add` with any PIN: the policy refuses it in one line, or the account exists."""
    tally("PIN: user add (MPP_PIN)", db_url)
    before = snapshot(engine)
    result = invoke(["--db", db_url, "user", "add", "petugas", "--json"], env={"MPP_PIN": pin})
    check_cli(result, json_out=True)
    if result.exit_code == 0:
        assert pin_ok(pin)
        with engine.begin() as conn:  # the next case adds the same account again
            conn.execute(delete(OFFICER).where(OFFICER.c.username == "petugas"))
    assert snapshot(engine) == before
