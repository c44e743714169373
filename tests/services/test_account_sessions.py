"""Sessions follow the account: the reads a signed-in screen repeats carry its officer's account,
an account change reaches the change feed, and signing out stays possible when disabled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from mpp_tui.db.tables import HALL
from mpp_tui.domain.enums import CounterState, Role
from mpp_tui.domain.errors import AuthError, PermissionDenied
from mpp_tui.domain.rules import session_end
from mpp_tui.domain.views import AccountState
from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import ChangeFeed, open_feed

postgres_only = pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def test_the_desk_read_carries_the_officers_account(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    desk = queue.desk.counter_desk(counter="L01", officer="budi")
    assert desk.officer == AccountState(username="budi", role=Role.OPERATOR, active=True)
    assert queue.desk.counter_desk(counter="L01").officer is None

    queue.officers.set_role(username="budi", role="supervisor")
    assert queue.desk.counter_desk(counter="L01", officer="budi").officer == AccountState(
        username="budi", role=Role.SUPERVISOR, active=True
    )
    queue.officers.disable(username="budi")
    account = queue.desk.counter_desk(counter="L01", officer="budi").officer
    assert account is not None
    assert account.active is False


def test_the_overview_carries_the_viewers_account(queue: Hall) -> None:
    assert queue.overview.overview().viewer is None
    assert queue.overview.overview(viewer="spv").viewer == AccountState(
        username="spv", role=Role.SUPERVISOR, active=True
    )
    queue.officers.disable(username="spv")
    viewer = queue.overview.overview(viewer="spv").viewer
    assert viewer is not None
    assert viewer.active is False


def test_what_ends_a_session() -> None:
    """Disabled or another role ends it; the same role, enabled, does not."""
    same = AccountState(username="budi", role=Role.OPERATOR, active=True)
    assert session_end(Role.OPERATOR, same) is None
    off = AccountState(username="budi", role=Role.OPERATOR, active=False)
    assert session_end(Role.OPERATOR, off) == "tui.session.disabled"
    promoted = AccountState(username="budi", role=Role.SUPERVISOR, active=True)
    assert session_end(Role.OPERATOR, promoted) == "tui.session.role_changed"


def test_a_lock_by_wrong_pins_leaves_the_account_state_alone(queue: Hall) -> None:
    """Five wrong PINs typed elsewhere lock budi against new sign-ins, but what the screens
    check is unchanged, so his counter goes on working (a guesser cannot halt it)."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    for _ in range(5):
        with pytest.raises(AuthError):
            queue.officers.authenticate(username="budi", pin="0000")
    account = queue.desk.counter_desk(counter="L01", officer="budi").officer
    assert account == AccountState(username="budi", role=Role.OPERATOR, active=True)
    assert session_end(Role.OPERATOR, account) is None
    queue.sessions.heartbeat(counter="L01", officer="budi")


def test_a_disabled_officer_may_still_close_their_own_counter(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.officers.disable(username="budi")
    with pytest.raises(PermissionDenied):
        queue.calls.call_next(counter="L01", officer="budi")
    queue.sessions.close_counter(counter="L01", officer="budi")
    view = queue.tickets.counter_view(counter="L01")
    assert view.state is CounterState.CLOSED
    assert view.officer is None


def test_a_disabled_supervisor_cannot_close_someone_elses_counter(queue: Hall) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.officers.disable(username="spv")
    with pytest.raises(PermissionDenied):
        queue.sessions.close_counter(counter="L01", officer="spv")
    assert queue.tickets.counter_view(counter="L01").officer == "budi"


def test_idle_signout_comes_from_the_hall(queue: Hall, engine: Engine) -> None:
    assert queue.ref().idle_signout_minutes == 0  # off unless the seed file sets it
    with engine.begin() as conn:
        conn.execute(HALL.update().values(idle_signout_minutes=15))
        assert conn.execute(select(HALL.c.idle_signout_minutes)).scalar() == 15
    assert queue.ref(fresh=True).idle_signout_minutes == 15


# --- PostgreSQL: the officer table notifies ------------------------------------------------------


@pytest.fixture
def feed(engine: Engine, queue: Hall) -> Iterator[ChangeFeed]:
    opened = open_feed(engine, hall_id=queue.ref().hall_id)
    yield opened
    opened.close()


@postgres_only
def test_disabling_an_officer_notifies_on_postgres(feed: ChangeFeed, queue: Hall) -> None:
    queue.officers.disable(username="budi")
    assert feed.wait(5) is True


@postgres_only
def test_changing_a_role_notifies_on_postgres(feed: ChangeFeed, queue: Hall) -> None:
    queue.officers.set_role(username="budi", role="supervisor")
    assert feed.wait(5) is True


@postgres_only
def test_wrong_pins_and_pin_changes_do_not_notify_on_postgres(
    feed: ChangeFeed, queue: Hall
) -> None:
    """A guesser must not make every screen of the hall reload with each wrong PIN."""
    for _ in range(5):
        with pytest.raises(AuthError):
            queue.officers.authenticate(username="budi", pin="0000")
    queue.officers.set_pin(username="sari", pin="583920")
    assert feed.wait(0.5) is False


def test_a_disabled_officer_cannot_close_a_counter_holding_a_ticket(queue: Hall) -> None:
    """The ticket in hand is the supervisor's to finish or return; the refusal says disabled."""
    queue.issuing.issue_ticket(service="KTP")
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.calls.call_next(counter="L01", officer="budi")
    queue.officers.disable(username="budi")
    with pytest.raises(PermissionDenied) as err:
        queue.sessions.close_counter(counter="L01", officer="budi")
    assert err.value.key == "err.account_disabled"
    assert queue.tickets.counter_view(counter="L01").officer == "budi"
