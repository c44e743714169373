"""Sessions follow the account and the hall (issue 15 item 5): disabling an officer or changing
their role signs their screens out through the change feed; an idle counter signs out on the
hall's clock; keys typed before the sign-in form is ready land in the right field."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from textual import events
from textual.app import App
from textual.widgets import Input

from mpp_tui.db.tables import HALL
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.enums import CounterState, TicketStatus
from mpp_tui.domain.errors import AuthError
from mpp_tui.services.facade import Hall
from mpp_tui.tui.app import make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.counter import CounterScreen
from mpp_tui.tui.screens.login import LoginScreen
from mpp_tui.tui.screens.supervisor import SupervisorScreen
from tests.tui.conftest import make_backend, notices, screen_text, settle, signed_in_app, wait_until

pytestmark = pytest.mark.asyncio


# --- the account changes elsewhere ---------------------------------------------------------------


async def test_disabling_the_officer_signs_the_counter_out(backend: Backend, queue: Hall) -> None:
    """An admin disables budi at another PC: within the feed's interval his counter screen says
    so, closes the counter and is back at the sign-in (no heartbeat needed)."""
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
        queue.officers.disable(username="budi")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("Sesi berakhir" in n and "dinonaktifkan" in n for n in notices(app))
    view = queue.tickets.counter_view(counter="L01")
    assert view.state is CounterState.CLOSED
    assert view.officer is None


async def test_a_role_change_signs_the_counter_out(backend: Backend, queue: Hall) -> None:
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        queue.officers.set_role(username="budi", role="supervisor")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("operator menjadi supervisor" in n for n in notices(app))
    assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED


async def test_a_held_ticket_stays_at_the_counter_and_the_message_says_so(
    backend: Backend, queue: Hall
) -> None:
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        queue.officers.disable(username="budi")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("A-001 tetap di loket L01" in n for n in notices(app))
    view = queue.tickets.counter_view(counter="L01")
    assert view.active is not None
    assert view.active.status is TicketStatus.CALLED


async def test_the_message_in_english(engine: Engine, queue: Hall, tmp_path: object) -> None:
    backend = make_backend(engine, queue, tmp_path / "exports", lang="en")  # type: ignore[operator]
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        queue.officers.disable(username="budi")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("Session ended" in n and "has been disabled" in n for n in notices(app))


async def test_wrong_pins_elsewhere_do_not_end_a_held_session(
    backend: Backend, queue: Hall
) -> None:
    """Someone guesses budi's PIN at another PC and locks the account: budi's screen reloads
    (a ticket is issued after the guesses; the guesses themselves notify nobody on
    PostgreSQL) and keeps working — a guesser cannot halt a counter."""
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        for _ in range(5):
            with pytest.raises(AuthError):
                queue.officers.authenticate(username="budi", pin="0000")
        queue.issuing.issue_ticket(service="KTP")
        await wait_until(pilot, lambda: screen.desk is not None and screen.desk.waiting_total == 2)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
    active = queue.tickets.counter_view(counter="L01").active
    assert active is not None
    assert active.code == "A-001"


async def test_a_role_change_signs_the_supervisor_out(backend: Backend, queue: Hall) -> None:
    view = next(o for o in queue.officers.list() if o.username == "spv")
    app = make_app(backend, mode="supervisor", signed_in=view)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SupervisorScreen)
        queue.officers.set_role(username="spv", role="operator")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("supervisor menjadi operator" in n for n in notices(app))


# --- idle sign-out ------------------------------------------------------------------------------


def set_idle(engine: Engine, queue: Hall, minutes: int) -> None:
    with engine.begin() as conn:
        conn.execute(HALL.update().values(idle_signout_minutes=minutes))
    queue.ref(fresh=True)


async def test_an_idle_counter_signs_out(
    backend: Backend, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Ten minutes in the hall's time without a key, no ticket active: signed out, with the
    reason; a key in between starts the ten minutes again."""
    set_idle(engine, queue, 10)
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        screen._tick()  # the screen's one-second tick, run now rather than waited for
        clock.advance(minutes=9)
        screen._tick()
        await pilot.press("z")  # any key counts, even one that does nothing
        screen._tick()
        clock.advance(minutes=9, seconds=59)
        screen._tick()
        await settle(pilot)
        assert app.screen is screen
        clock.advance(seconds=1)
        screen._tick()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("selama 10 menit" in n and "loket L01" in n for n in notices(app))
    assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED


async def test_an_active_ticket_keeps_the_counter_signed_in(
    backend: Backend, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    set_idle(engine, queue, 10)
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        await pilot.press("n", "s")
        await settle(pilot)
        screen._tick()
        clock.advance(minutes=30)
        screen._tick()
        await settle(pilot)
        assert app.screen is screen


async def test_idle_sign_out_is_off_by_default(
    backend: Backend, queue: Hall, clock: FrozenClock
) -> None:
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen._tick()  # type: ignore[attr-defined]
        clock.advance(hours=3)
        screen._tick()  # type: ignore[attr-defined]
        await settle(pilot)
        assert app.screen is screen


async def test_an_idle_sign_out_closes_an_open_dialog_too(
    backend: Backend, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    set_idle(engine, queue, 5)
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        await pilot.press("p")  # the pause reasons, then the officer walks away
        await settle(pilot)
        assert app.screen is not screen
        screen._tick()
        clock.advance(minutes=5)
        screen._tick()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))


# --- keys before the sign-in form is ready ------------------------------------------------------


def post_keys(app: App[None], keys: list[str]) -> None:
    """Queue keys at once, as a terminal delivers what was typed while the program was busy
    (pilot.press would wait for the screen between keys)."""
    for key in keys:
        char = key if len(key) == 1 else {"enter": "\r", "ctrl+j": "\n"}.get(key)
        app.post_message(events.Key(key, char))


TYPED = [*"petugas1", "enter", *"4821", "enter"]


async def test_keys_typed_before_the_form_is_ready_sign_in(backend: Backend, queue: Hall) -> None:
    """The sign-in screen is pushed and the officer has typed everything before it mounted:
    the username goes to the username, the PIN to the PIN, the second Enter signs in."""
    queue.officers.add(username="petugas1", pin="4821")
    app = make_app(backend, counter="L01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(LoginScreen("id", counter="L01"))
        post_keys(app, TYPED)
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
        assert app.screen.session.officer.username == "petugas1"
        assert "4821" not in screen_text(app)


async def test_early_keys_never_show_the_pin(backend: Backend, queue: Hall) -> None:
    """Typed early without the last Enter: the form shows the username, the PIN field holds
    the digits masked, and the digits appear nowhere on screen."""
    queue.officers.add(username="petugas1", pin="4821")
    app = make_app(backend, counter="L01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        login = LoginScreen("id", counter="L01")
        app.push_screen(login)
        post_keys(app, TYPED[:-1])
        await pilot.pause()
        assert "4821" not in screen_text(app)
        await settle(pilot)
        assert login.query_one("#username", Input).value == "petugas1"
        assert login.query_one("#pin", Input).value == "4821"
        assert app.focused is login.query_one("#pin", Input)
        assert "4821" not in screen_text(app)
        assert "petugas1" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_the_next_officer_types_while_the_screen_comes_back(
    backend: Backend, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    """Budi is signed out (idle) and sari types at once: her keys wait for the sign-in form
    and go into its empty fields, not into a field budi left focused."""
    set_idle(engine, queue, 5)
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        screen._tick()
        clock.advance(minutes=5)
        screen._tick()
        post_keys(app, [*"sari", "ctrl+j", *"4821", "ctrl+j"])
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, CounterScreen) and app.screen is not screen,
        )
        assert isinstance(app.screen, CounterScreen)
        assert app.screen.session.officer.username == "sari"
