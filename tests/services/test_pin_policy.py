"""The PIN policy and the lockout, end to end through Officers (both backends).

Policy (mpp_tui.domain.rules.pin_problem): 4–8 ASCII digits; refused are one repeated digit
(0000), a straight run up or down (1234, 4321, 8901), a block said again (1212, 123123), a
four-digit year 19xx/20xx, and a few well-known PINs (2580, 0852…). The refusal names the rule
the PIN breaks, in both languages.
"""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select, update

from mpp_tui.db.engine import make_engine, write_tx
from mpp_tui.db.tables import HALL, OFFICER
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.errors import AuthError, InvalidInput, PermissionDenied
from mpp_tui.domain.rules import LockoutPolicy, pin_problem
from mpp_tui.services.demo import DEMO_OFFICERS
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers, PinRefused
from tests.conftest import ADMIN_PIN, FAST_HASHER, OPERATOR_PIN, SUPERVISOR_PIN

from .helpers import SQLITE_CLOCK, assert_readable

WRONG_PIN = "5093"

REFUSED = {
    "pin.why.digits": ["12a4", " 4821", "4821\n", "١٢٣٤", "４８２１", ""],
    "pin.why.length": ["482", "482137059", "48"],
    "pin.why.one_digit": ["0000", "1111", "99999999"],
    "pin.why.run": ["1234", "4321", "0123", "8901", "98765", "12345678"],
    "pin.why.repeated": ["1212", "4545", "123123", "12341234", "707070"],
    "pin.why.year": ["1987", "1965", "2001", "2024"],
    "pin.why.common": ["2580", "0852", "3690", "1122"],
}
# What the reason says in English, so a reader learns which rule they broke.
SAYS = {
    "pin.why.digits": "digits 0–9",
    "pin.why.length": "too short or too long",
    "pin.why.one_digit": "one digit repeated",
    "pin.why.run": "straight run",
    "pin.why.repeated": "repeats a pattern",
    "pin.why.year": "looks like a year",
    "pin.why.common": "most often guessed",
}
# PINs the project itself uses (test fixtures, the demo, the README) and ordinary ones.
IN_USE = [OPERATOR_PIN, SUPERVISOR_PIN, ADMIN_PIN, "3719", "5093", "5938"]
ORDINARY = ["90210", "13579", "2468", "48213705", "1890", "2100", "7316"]


@pytest.mark.parametrize(("reason", "pins"), list(REFUSED.items()))
def test_each_rule_refuses_with_its_reason(
    reason: str, pins: list[str], officers: Officers
) -> None:
    """Every refused PIN is refused on add and on set_pin with the rule it breaks named (both
    languages); nothing is created or changed."""
    for pin in pins:
        assert pin_problem(pin) == reason, pin
        with pytest.raises(PinRefused) as err:
            officers.add(username="rina", pin=pin)
        assert isinstance(err.value, InvalidInput)
        assert (err.value.key, err.value.reason) == ("err.pin_policy", reason)
        assert_readable(err.value, "4–8")
        assert SAYS[reason] in err.value.message("en"), err.value.message("en")
        with pytest.raises(PinRefused):
            officers.set_pin(username="budi", pin=pin)
    assert "rina" not in [v.username for v in officers.list()]
    assert officers.authenticate(username="budi", pin=OPERATOR_PIN).username == "budi"


def test_pins_in_use_and_ordinary_pins_pass(officers: Officers) -> None:
    """The fixtures', the demo's and ordinary PINs stay valid (1890 and 2100 are no 19xx/20xx
    year; 13579 and 2468 are no straight run)."""
    demo = [o.pin for o in DEMO_OFFICERS]
    assert demo == ["4821", "5938", "7305", "9164"]
    for i, pin in enumerate([*IN_USE, *demo, *ORDINARY]):
        assert pin_problem(pin) is None, pin
        officers.add(username=f"ok{i}", pin=pin)
        assert officers.authenticate(username=f"ok{i}", pin=pin).username == f"ok{i}"


@given(st.text(max_size=12))
def test_pin_problem_is_total(pin: str) -> None:
    """Any text gets an answer (never an exception); whatever passes is 4–8 ASCII digits that
    are not one digit, and no passing PIN is a four-digit 19xx/20xx year."""
    reason = pin_problem(pin)
    if reason is None:
        assert pin.isascii()
        assert pin.isdigit()
        assert 4 <= len(pin) <= 8
        assert len(set(pin)) > 1
        assert not (len(pin) == 4 and pin[:2] in ("19", "20"))
    else:
        assert reason.startswith("pin.why.")


# --- the lockout ----------------------------------------------------------------------------


def fail(officers: Officers, username: str, times: int) -> list[str]:
    keys = []
    for _ in range(times):
        with pytest.raises(AuthError) as err:
            officers.authenticate(username=username, pin=WRONG_PIN)
        keys.append(err.value.key)
    return keys


def officer_row(engine: Engine, username: str) -> tuple[int, object]:
    with engine.connect() as conn:
        row = conn.execute(
            select(OFFICER.c.failed_attempts, OFFICER.c.locked_until).where(
                OFFICER.c.username == username
            )
        ).one()
    return int(row.failed_attempts), row.locked_until


@pytest.fixture
def strict(engine: Engine, clock: FrozenClock, officers: Officers) -> Officers:
    """The same accounts under the hall's configured policy: 3 wrong PINs lock for 15 minutes."""
    with write_tx(engine) as conn:
        conn.execute(update(HALL).values(pin_attempts=3, pin_lock_minutes=15))
    hall = Hall(engine, clock=clock, hasher=FAST_HASHER)
    assert hall.officers.policy() == LockoutPolicy(attempts=3, minutes=15)
    return hall.officers


@SQLITE_CLOCK
def test_lock_follows_the_configured_policy_and_expires(
    strict: Officers, engine: Engine, clock: FrozenClock
) -> None:
    """Two failures are counted; the third locks for 15 minutes (the message names the local
    unlock time); wrong and right PINs during the lock are refused without extending it or
    counting; at 15 minutes the right PIN works and the counter is back to zero."""
    assert fail(strict, "budi", 2) == ["err.auth_failed"] * 2
    assert officer_row(engine, "budi") == (2, None)
    with pytest.raises(AuthError) as err:
        strict.authenticate(username="budi", pin=WRONG_PIN)
    assert err.value.key == "err.account_locked"
    assert_readable(err.value, "budi", ("09.15", "09:15"))
    until = clock.now() + timedelta(minutes=15)
    assert officer_row(engine, "budi") == (0, until)

    clock.advance(minutes=10)
    assert fail(strict, "budi", 4) == ["err.account_locked"] * 4
    with pytest.raises(AuthError) as err:
        strict.authenticate(username="budi", pin=OPERATOR_PIN)
    assert err.value.key == "err.account_locked"
    assert officer_row(engine, "budi") == (0, until)  # not extended, nothing counted

    clock.set(until - timedelta(seconds=1))
    with pytest.raises(AuthError):  # the lock holds up to its last second
        strict.authenticate(username="budi", pin=OPERATOR_PIN)
    clock.advance(seconds=1)
    assert strict.authenticate(username="budi", pin=OPERATOR_PIN).locked_until is None
    assert officer_row(engine, "budi") == (0, None)


def test_supervisor_and_admin_lift_a_lock(officers: Officers, engine: Engine) -> None:
    """A supervisor unlocks an operator (or resets the PIN); an admin unlocks a supervisor; the
    unlocked account signs in at once with its PIN."""
    fail(officers, "budi", 5)
    officers.unlock(username="budi", by="spv")
    assert officer_row(engine, "budi") == (0, None)
    assert officers.authenticate(username="budi", pin=OPERATOR_PIN).username == "budi"

    fail(officers, "sari", 5)
    officers.set_pin(username="sari", pin="3719", by="spv")
    assert officers.authenticate(username="sari", pin="3719").username == "sari"

    fail(officers, "spv", 5)
    officers.unlock(username="spv", by="admin")
    assert officers.authenticate(username="spv", pin=SUPERVISOR_PIN).username == "spv"


def test_who_may_not_lift_a_lock(officers: Officers, engine: Engine) -> None:
    """An operator may not unlock anyone; a supervisor may not unlock or reset another
    supervisor or an admin; a refusal changes nothing and reads as a sentence."""
    fail(officers, "budi", 5)
    fail(officers, "admin", 5)
    budi_before, admin_before = officer_row(engine, "budi"), officer_row(engine, "admin")
    with pytest.raises(PermissionDenied) as err:
        officers.unlock(username="budi", by="sari")
    assert err.value.key == "err.denied_role"
    assert_readable(err.value, "sari")
    with pytest.raises(PermissionDenied) as err:
        officers.unlock(username="admin", by="spv")
    assert err.value.key == "err.denied_officer_target"
    assert_readable(err.value, "spv", "admin")
    with pytest.raises(PermissionDenied):
        officers.set_pin(username="admin", pin="3719", by="spv")
    assert officer_row(engine, "budi") == budi_before
    assert officer_row(engine, "admin") == admin_before


def test_a_lock_stops_new_sessions_not_the_open_one(officers: Officers, queue: Hall) -> None:
    """Budi is signed in at L01 when a guesser locks his account: his counter keeps working,
    but he cannot sign in at another counter until the lock is lifted."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KTP")
    fail(officers, "budi", 5)
    assert queue.calls.call_next(counter="L01", officer="budi").code == "A-001"
    queue.calls.finish(counter="L01", officer="budi")
    queue.sessions.close_counter(counter="L01", officer="budi")
    with pytest.raises(AuthError) as err:
        queue.sessions.open_counter(counter="L01", officer="budi")
    assert err.value.key == "err.account_locked"
    assert queue.tickets.counter_view(counter="L01").officer is None
    officers.unlock(username="budi", by="spv")
    queue.sessions.open_counter(counter="L01", officer="budi")
    assert queue.tickets.counter_view(counter="L01").officer == "budi"


# --- guessing from many PCs at once ---------------------------------------------------------


def _guess(url: str, start: Any, out: Any) -> None:
    """A guesser at another PC: three wrong PINs as fast as it can, each outcome reported."""
    engine = make_engine(url)
    officers = Hall(engine, hasher=FAST_HASHER).officers
    start.wait()
    for _ in range(3):
        try:
            officers.authenticate(username="budi", pin=WRONG_PIN)
            out.put("signed in")
        except AuthError as exc:
            out.put(exc.key)
    engine.dispose()


def test_guessers_at_many_pcs_get_no_more_tries(db_url: str, officers: Officers) -> None:
    """Four processes guess Budi's PIN at the same moment (12 guesses): exactly four are
    checked as wrong before the fifth locks; every other guess meets the lock. Budi's PIN is
    hashed at full argon2 cost, so each check is slow enough for guesses to overlap."""
    Hall(officers.ctx.engine, hasher=PasswordHasher()).officers.set_pin(
        username="budi", pin=OPERATOR_PIN
    )
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    out = ctx.Queue()
    procs = [ctx.Process(target=_guess, args=(db_url, start, out)) for _ in range(4)]
    for p in procs:
        p.start()
    start.set()
    keys = [out.get(timeout=120) for _ in range(12)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert keys.count("err.auth_failed") == 4
    assert keys.count("err.account_locked") == 8
