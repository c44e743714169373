"""Officer accounts, the PIN policy and sign-in with lockout (DESIGN §7), on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from mpp_tui.db.tables import Officer
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import Role
from mpp_tui.domain.errors import AuthError, Conflict, InvalidInput, NotFound
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from tests.conftest import ADMIN_PIN, OPERATOR_PIN, SUPERVISOR_PIN

from .helpers import SQLITE_CLOCK, assert_readable

OF = Officer.__table__  # type: ignore[attr-defined]
WRONG_PIN = "5093"


def _fail(officers: Officers, username: str, times: int) -> list[AuthError]:
    errors = []
    for _ in range(times):
        with pytest.raises(AuthError) as err:
            officers.authenticate(username=username, pin=WRONG_PIN)
        errors.append(err.value)
    return errors


# --- accounts -------------------------------------------------------------------------------------


def test_list_the_fixture_accounts(officers: Officers) -> None:
    """list() returns every account by username, with its role, and no secret."""
    views = officers.list()
    assert [(v.username, v.role, v.active) for v in views] == [
        ("admin", Role.ADMIN, True),
        ("budi", Role.OPERATOR, True),
        ("sari", Role.OPERATOR, True),
        ("spv", Role.SUPERVISOR, True),
    ]
    assert views[1].full_name == "Budi Santoso"
    assert all("pin" not in k for k in views[0].to_json())


def test_add_an_account(officers: Officers, engine: Engine) -> None:
    """add() normalises the username, stores an argon2 hash (never the PIN) and returns a view."""
    view = officers.add(username="  Rina.P ", pin="3719", role="supervisor", full_name=" Rina ")
    assert (view.username, view.role, view.full_name, view.active) == (
        "rina.p",
        Role.SUPERVISOR,
        "Rina",
        True,
    )
    assert "rina.p" in [v.username for v in officers.list()]
    with engine.connect() as conn:
        stored = conn.execute(select(OF.c.pin_hash).where(OF.c.username == "rina.p")).scalar_one()
    assert stored.startswith("$argon2")
    assert "3719" not in stored
    assert officers.authenticate(username="RINA.P", pin="3719").username == "rina.p"


def test_add_refuses_duplicates_and_bad_usernames(officers: Officers) -> None:
    """A taken username is a Conflict; a malformed one InvalidInput; neither creates anything."""
    with pytest.raises(Conflict) as err:
        officers.add(username="BUDI", pin="3719")
    assert err.value.key == "err.user_exists"
    assert_readable(err.value, "budi")
    for bad in ("ab", "budi santoso", "-budi", "x" * 33, "budi!"):
        with pytest.raises(InvalidInput) as inv:
            officers.add(username=bad, pin="3719")
        assert inv.value.key == "err.username_invalid"
    assert len(officers.list()) == 4


def test_add_refuses_a_name_with_terminal_escapes(officers: Officers) -> None:
    """A full name shows on every screen and list: an escape sequence in it is refused, named
    with its controls written out, and nothing is created."""
    with pytest.raises(InvalidInput) as err:
        officers.add(username="rina", pin="3719", full_name="Rina\x1b[2J")
    assert err.value.key == "err.full_name_invalid"
    assert "\\x1b[2J" in err.value.message("en")
    assert len(officers.list()) == 4
    assert officers.add(username="rina", pin="3719", full_name="Rina Ayu 👩").full_name == (
        "Rina Ayu 👩"
    )


def test_add_refuses_an_unknown_role(officers: Officers) -> None:
    """Roles are operator, supervisor and admin only."""
    with pytest.raises((ValueError, InvalidInput)):
        officers.add(username="rina", pin="3719", role="root")
    assert len(officers.list()) == 4


BAD_PINS = ["1111", "1234", "0000", "4321", "9876", "12345678", "2580", "123", "123456789", "12a4"]
GOOD_PINS = ["4821", "3719", "90210", "13572468"]


def test_pin_policy_refuses_trivial_or_malformed_pins(officers: Officers) -> None:
    """Trivial PINs (1111, 1234, runs, well-known ones) and non 4–8 digit PINs are refused on
    add and on set_pin, with a readable message; nothing changes."""
    for pin in [*BAD_PINS, "", "١٢٣٤"]:  # the last: Arabic-Indic digits
        with pytest.raises(InvalidInput) as err:
            officers.add(username="rina", pin=pin)
        assert err.value.key == "err.pin_policy", pin
        assert_readable(err.value, "1111", "1234")
        with pytest.raises(InvalidInput):
            officers.set_pin(username="budi", pin=pin)
    assert "rina" not in [v.username for v in officers.list()]
    assert officers.authenticate(username="budi", pin=OPERATOR_PIN).username == "budi"


def test_pin_policy_accepts_ordinary_pins(officers: Officers) -> None:
    """Ordinary 4–8 digit PINs pass."""
    for i, pin in enumerate(GOOD_PINS):
        officers.add(username=f"rina{i}", pin=pin)
        assert officers.authenticate(username=f"rina{i}", pin=pin).username == f"rina{i}"


def test_set_pin_replaces_the_pin(officers: Officers) -> None:
    """After set_pin the old PIN fails and the new one works."""
    officers.set_pin(username="budi", pin="3719")
    with pytest.raises(AuthError):
        officers.authenticate(username="budi", pin=OPERATOR_PIN)
    assert officers.authenticate(username="budi", pin="3719").username == "budi"
    with pytest.raises(NotFound) as err:
        officers.set_pin(username="nobody", pin="3719")
    assert_readable(err.value, "nobody")


def test_disable_and_enable(officers: Officers) -> None:
    """A disabled account cannot sign in (even with the right PIN); enabling restores it."""
    officers.disable(username="budi")
    assert {v.username: v.active for v in officers.list()}["budi"] is False
    with pytest.raises(AuthError) as err:
        officers.authenticate(username="budi", pin=OPERATOR_PIN)
    assert err.value.key == "err.account_disabled"
    assert_readable(err.value, "budi")
    officers.enable(username="budi")
    assert officers.authenticate(username="budi", pin=OPERATOR_PIN).active is True
    with pytest.raises(NotFound):
        officers.disable(username="nobody")
    with pytest.raises(NotFound):
        officers.enable(username="nobody")


def test_view_shows_the_counter_an_officer_sits_at(officers: Officers, queue: Hall) -> None:
    """The account view names the counter the officer is signed in at."""
    queue.sessions.open_counter(counter="L05", officer="sari")
    by_name = {v.username: v.counter_code for v in officers.list()}
    assert by_name["sari"] == "L05"
    assert by_name["budi"] is None


# --- authenticate ---------------------------------------------------------------------------------


def test_authenticate_each_role(officers: Officers) -> None:
    """The right PIN signs each fixture account in and returns its view."""
    for name, pin, role in (
        ("budi", OPERATOR_PIN, Role.OPERATOR),
        ("spv", SUPERVISOR_PIN, Role.SUPERVISOR),
        ("admin", ADMIN_PIN, Role.ADMIN),
    ):
        view = officers.authenticate(username=f" {name.upper()} ", pin=pin)
        assert (view.username, view.role) == (name, role)


def test_wrong_pin_and_unknown_user_read_the_same(officers: Officers) -> None:
    """A wrong PIN and an unknown username give the same error, in both languages."""
    with pytest.raises(AuthError) as wrong:
        officers.authenticate(username="budi", pin=WRONG_PIN)
    with pytest.raises(AuthError) as unknown:
        officers.authenticate(username="nobody", pin=WRONG_PIN)
    assert wrong.value.key == unknown.value.key == "err.auth_failed"
    for lang in ("id", "en"):
        assert wrong.value.message(lang) == unknown.value.message(lang)
    assert_readable(wrong.value)
    assert "budi" not in wrong.value.message("en")


@SQLITE_CLOCK
def test_lockout_after_five_failures_for_five_minutes(
    officers: Officers, clock: FrozenClock
) -> None:
    """Four wrong PINs read as wrong; the fifth locks the account for 5 minutes, during which
    even the right PIN is refused; after 5 minutes the right PIN works."""
    errors = _fail(officers, "budi", 5)
    assert [e.key for e in errors] == ["err.auth_failed"] * 4 + ["err.account_locked"]
    assert_readable(errors[-1], "budi", ("09.05", "09:05"))  # local time (WIB) of the unlock
    locked = {v.username: v.locked_until for v in officers.list()}["budi"]
    assert locked == clock.now() + timedelta(minutes=5)

    with pytest.raises(AuthError) as err:
        officers.authenticate(username="budi", pin=OPERATOR_PIN)
    assert err.value.key == "err.account_locked"
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(AuthError) as err:
        officers.authenticate(username="budi", pin=OPERATOR_PIN)
    assert err.value.key == "err.account_locked"

    clock.advance(seconds=2)
    view = officers.authenticate(username="budi", pin=OPERATOR_PIN)
    assert view.username == "budi"
    assert view.locked_until is None


def test_lockout_is_per_account(officers: Officers) -> None:
    """Locking Budi does not affect Sari."""
    _fail(officers, "budi", 5)
    assert officers.authenticate(username="sari", pin=OPERATOR_PIN).username == "sari"


def test_success_resets_the_failure_count(officers: Officers) -> None:
    """A successful sign-in forgets earlier failures: 4 + success + 4 failures do not lock."""
    _fail(officers, "budi", 4)
    officers.authenticate(username="budi", pin=OPERATOR_PIN)
    assert [e.key for e in _fail(officers, "budi", 4)] == ["err.auth_failed"] * 4
    assert officers.authenticate(username="budi", pin=OPERATOR_PIN).username == "budi"


@SQLITE_CLOCK
def test_failures_after_unlock_count_from_zero(officers: Officers, clock: FrozenClock) -> None:
    """After a lock expires the next wrong PIN is an ordinary failure, not an instant re-lock."""
    _fail(officers, "budi", 5)
    clock.advance(minutes=6)
    assert [e.key for e in _fail(officers, "budi", 4)] == ["err.auth_failed"] * 4
    assert [e.key for e in _fail(officers, "budi", 1)] == ["err.account_locked"]


def test_set_pin_and_enable_clear_a_lock(officers: Officers) -> None:
    """An admin resetting the PIN (or re-enabling the account) lifts a lock at once."""
    _fail(officers, "budi", 5)
    officers.set_pin(username="budi", pin="3719")
    assert officers.authenticate(username="budi", pin="3719").username == "budi"
    _fail(officers, "sari", 5)
    officers.enable(username="sari")
    assert officers.authenticate(username="sari", pin=OPERATOR_PIN).username == "sari"


def test_unknown_user_never_locks_anything(officers: Officers) -> None:
    """Failures against an unknown name leave real accounts alone and keep the same message."""
    errors = _fail(officers, "nobody", 7)
    assert {e.key for e in errors} == {"err.auth_failed"}
    assert officers.authenticate(username="budi", pin=OPERATOR_PIN).username == "budi"
