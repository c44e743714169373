"""The counter screen, driven with Pilot against a real database (both backends)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from mpp_tui.domain.enums import CounterState, TicketStatus
from mpp_tui.services.facade import Hall
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.counter import CounterScreen
from mpp_tui.tui.screens.login import LoginScreen
from tests.tui.conftest import notices, screen_text, settle, signed_in_app, wait_until

pytestmark = pytest.mark.asyncio


async def test_sign_in_opens_the_counter_and_shows_the_queue(backend: Backend, queue: Hall) -> None:
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
        text = screen_text(app)
        assert "A-001" in text
        assert "Tidak ada tiket aktif" in text
        assert "BUKA" in text


async def test_login_with_pin(backend: Backend, queue: Hall) -> None:
    from mpp_tui.tui.app import make_app

    app = make_app(backend, counter="L01")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"budi", "enter")
        await pilot.press(*"4821", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
    view = queue.tickets.counter_view(counter="L01")
    assert view.state is CounterState.OPEN
    assert view.officer == "budi"


async def test_typing_ahead_at_login_still_signs_in(backend: Backend, queue: Hall) -> None:
    """Username, Enter, PIN, Enter typed faster than the screen reacts."""
    from mpp_tui.tui.app import make_app

    app = make_app(backend, counter="L01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"budi", "enter", *"4821", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_keys_typed_before_the_screen_started_sign_in(backend: Backend, queue: Hall) -> None:
    """Typed while the program starts, Enter arrives as ctrl+j (the terminal's line mode)."""
    from mpp_tui.tui.app import make_app

    app = make_app(backend, counter="L01")
    async with app.run_test(size=(80, 24)) as pilot:
        # No settling first: the counter list may not have loaded yet.
        await pilot.press(*"budi", "ctrl+j", *"4821", "ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_call_start_finish(backend: Backend, queue: Hall) -> None:
    issued = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert queue.tickets.ticket(code=issued.code).status is TicketStatus.CALLED
        assert "DIPANGGIL" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        assert queue.tickets.ticket(code=issued.code).status is TicketStatus.SERVING
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        done = queue.tickets.ticket(code=issued.code)
        assert done.status is TicketStatus.DONE
        assert done.outcome == "selesai"
        assert "Tidak ada tiket aktif" in screen_text(app)


async def test_double_press_calls_one_ticket(backend: Backend, queue: Hall) -> None:
    first = queue.issuing.issue_ticket(service="KTP").ticket
    second = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "plus")
        await settle(pilot)
    assert queue.tickets.ticket(code=first.code).status is TicketStatus.CALLED
    assert queue.tickets.ticket(code=second.code).status is TicketStatus.WAITING


async def test_start_pressed_while_the_call_runs_still_starts(
    backend: Backend, queue: Hall
) -> None:
    """N then S faster than the call completes: the start waits for the call, then runs."""
    issued = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        # Both keys queued at once, as a quick typist sends them: S arrives while N runs.
        app.post_message(events.Key("n", "n"))
        app.post_message(events.Key("s", "s"))
        await settle(pilot)
    assert queue.tickets.ticket(code=issued.code).status is TicketStatus.SERVING


async def test_finish_with_note_needs_note_for_lainnya(backend: Backend, queue: Hall) -> None:
    issued = queue.issuing.issue_ticket(service="KK").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("5")  # lainnya needs a note: the dialog stays and asks for it
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press(*"ganti alamat", "enter")
        await settle(pilot)
    done = queue.tickets.ticket(code=issued.code)
    assert (done.status, done.outcome, done.note) == (TicketStatus.DONE, "lainnya", "ganti alamat")


async def test_recall_counts_and_no_show_needs_enough_calls(backend: Backend, queue: Hall) -> None:
    issued = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("x")  # one call is not enough (hall rule: 2): nothing happens
        await settle(pilot)
        assert queue.tickets.ticket(code=issued.code).status is TicketStatus.CALLED
        await pilot.press("r")
        await settle(pilot)
        assert queue.tickets.ticket(code=issued.code).call_count == 2
        assert "panggilan ke-2" in screen_text(app)
        await pilot.press("minus")  # keypad alias; asks first
        await settle(pilot)
        assert "tidak hadir?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
    assert queue.tickets.ticket(code=issued.code).status is TicketStatus.NO_SHOW


async def test_no_show_declined_changes_nothing(backend: Backend, queue: Hall) -> None:
    issued = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert queue.tickets.ticket(code=issued.code).status is TicketStatus.CALLED


async def test_transfer_dialog_searches_and_keeps_the_number(backend: Backend, queue: Hall) -> None:
    issued = queue.issuing.issue_ticket(service="KK").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"akta lahir", "enter")  # filter, pick the highlighted service
        await settle(pilot)
        await pilot.press(*"bawa KK asli", "enter")  # the note; Enter transfers
        await settle(pilot)
    parent = queue.tickets.ticket(code=issued.code)
    assert parent.code == issued.code
    children = [t for t in queue.tickets.waiting_all() if t.parent_id is not None]
    assert [(c.code, c.service_code) for c in children] == [(issued.code, "AKTA_LAHIR")]
    history = queue.tickets.history(ticket_id=issued.id)
    assert history[-1].kind == "transferred"


async def test_transfer_typed_ahead(backend: Backend, queue: Hall) -> None:
    """Search, Enter, Enter typed in one go transfer without a note."""
    issued = queue.issuing.issue_ticket(service="KK").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"akta lahir", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
    child = next(t for t in queue.tickets.waiting_all() if t.parent_id is not None)
    assert (child.code, child.service_code) == (issued.code, "AKTA_LAHIR")


async def test_transfer_to_a_chosen_counter(backend: Backend, queue: Hall) -> None:
    issued = queue.issuing.issue_ticket(service="KK").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"AKTA_LAHIR", "enter")
        await settle(pilot)
        dialog = app.screen
        select = dialog.query_one("#to-counter")
        select.value = "L02"  # type: ignore[attr-defined]
        await settle(pilot)
        dialog.query_one("#note").focus()
        await pilot.press("enter")
        await settle(pilot)
    child = next(t for t in queue.tickets.waiting_all() if t.parent_id is not None)
    assert child.target_counter_code == "L02"
    assert child.code == issued.code


async def test_return_to_queue_first(backend: Backend, queue: Hall) -> None:
    first = queue.issuing.issue_ticket(service="KTP").ticket
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("1")  # first in the queue
        await settle(pilot)
    assert queue.tickets.ticket(code=first.code).status is TicketStatus.WAITING
    assert queue.tickets.waiting_list(counter="L01")[0].code == first.code


async def test_pause_with_reason_then_resume(backend: Backend, queue: Hall) -> None:
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("2")  # sholat
        await settle(pilot)
        view = queue.tickets.counter_view(counter="L01")
        assert (view.state, view.pause_reason) == (CounterState.PAUSED, "sholat")
        assert "JEDA (sholat)" in screen_text(app)
        await pilot.press("n")  # calling is disabled while paused
        await settle(pilot)
        assert queue.tickets.counter_view(counter="L01").active is None
        await pilot.press("p")
        await settle(pilot)
    assert queue.tickets.counter_view(counter="L01").state is CounterState.OPEN


async def test_pause_lainnya_needs_a_note(backend: Backend, queue: Hall) -> None:
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press(*"antar berkas", "enter")
        await settle(pilot)
    assert queue.tickets.counter_view(counter="L01").pause_reason == "lainnya: antar berkas"


async def test_call_a_chosen_ticket(backend: Backend, queue: Hall) -> None:
    queue.issuing.issue_ticket(service="KTP")
    second = queue.issuing.issue_ticket(service="KTP").ticket
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"a2", "enter")
        await settle(pilot)
    assert queue.tickets.ticket(code=second.code).status is TicketStatus.CALLED


async def test_call_unknown_ticket_says_so_and_changes_nothing(
    backend: Backend, queue: Hall
) -> None:
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"Z-999", "enter")
        await settle(pilot)
        assert notices(app) == ["Tidak ditemukan: Tiket 'Z-999' tidak ditemukan hari ini."]
        footer = screen_text(app).splitlines()[-1]
        assert "Panggil" in footer
        assert "Ulang" not in footer  # the footer offers only what applies, after an error too
        assert isinstance(app.screen, CounterScreen)
    assert queue.tickets.counter_view(counter="L01").active is None


async def test_help_lists_keys_and_closes(backend: Backend, queue: Hall) -> None:
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = screen_text(app)
        assert "Tombol layar loket" in text
        assert "keypad" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_logout_closes_the_counter_with_an_event(backend: Backend, queue: Hall) -> None:
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    view = queue.tickets.counter_view(counter="L01")
    assert (view.state, view.officer) == (CounterState.CLOSED, None)


async def test_logout_is_not_offered_while_holding_a_ticket(backend: Backend, queue: Hall) -> None:
    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.check_action("logout", ()) is False
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
    assert queue.tickets.counter_view(counter="L01").state is CounterState.OPEN


async def test_english(backend: Backend, queue: Hall, tmp_path: object) -> None:
    from dataclasses import replace

    queue.issuing.issue_ticket(service="KTP")
    app = signed_in_app(replace(backend, lang="en"), queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        text = screen_text(app)
        assert "CALLED (call 1)" in text
        assert "e-ID card" in text
        assert "Call next" not in text  # not possible while holding a ticket
        assert "Recall" in text


async def test_wrong_pin_is_refused_with_a_message(backend: Backend, queue: Hall) -> None:
    from mpp_tui.tui.app import make_app

    app = make_app(backend, counter="L01")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"budi", "enter")
        await pilot.press(*"1111", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert notices(app) == ["Gagal masuk: Nama pengguna atau PIN salah."]
        assert app.screen.query_one("#pin", Input).value == ""
    assert queue.tickets.counter_view(counter="L01").state is CounterState.CLOSED


async def test_officer_signed_in_elsewhere_is_told_where(backend: Backend, queue: Hall) -> None:
    from mpp_tui.tui.app import make_app

    queue.sessions.open_counter(counter="L02", officer="budi")
    app = make_app(backend, counter="L01")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"budi", "enter")
        await pilot.press(*"4821", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert len(notices(app)) == 1
        assert "L02" in notices(app)[0]


async def test_a_closed_session_signs_the_screen_out_at_the_next_heartbeat(
    backend: Backend, queue: Hall
) -> None:
    """A supervisor closes the counter from elsewhere (a forced sign-out): the screen's next
    heartbeat finds its session gone, says so, and returns to the sign-in."""
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        queue.sessions.close_counter(counter="L01", officer="spv")
        screen.heartbeat()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert any("budi" in notice for notice in notices(app))
