"""A note full of markup and escape codes cannot garble a screen (Pilot, both backends).

The note is stored cleaned (no control character reaches the database) and the screens that
show notes — the daily log, the counter screen (a pause's note) and the history dialog — show
it as plain text: Rich/Textual markup appears literally, and the rest of the screen is intact.
A small fuzz drives the daily log with generated notes.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.rules import clean_note
from mpp_tui.services.facade import Hall
from mpp_tui.services.officers import Officers
from mpp_tui.tui.app import make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.daylog import DayLogScreen
from tests.fuzz.support import ESC_CLEAR, ESC_RED, ESC_TITLE, NASTY, OSC8_LINK, fuzz_settings, tally
from tests.tui.conftest import make_backend, screen_text, settle, signed_in_app

# What the officer typed: markup (a closing tag with nothing to close breaks Rich and Textual),
# escape codes (clear screen, window title, colour, a hyperlink) around a few plain words.
NOTE = f"{ESC_CLEAR}[/]KK{ESC_TITLE}[bold]lama[/bold]{ESC_RED}{OSC8_LINK}"
SHOWN = "[/]KK[bold]lama[/bold]klik"


@pytest.fixture
def backend(engine: Engine, queue: Hall, officers: Officers, tmp_path: Path) -> Backend:
    """The screens' backend on the test's database (as tests/tui sets it up)."""
    return make_backend(engine, queue, tmp_path / "exports")


def _serve(queue: Hall, clock: FrozenClock, note: str) -> str:
    """Budi at L01 calls, starts and finishes a ticket with `note`; its code."""
    ticket = queue.calls.call_next(counter="L01", officer="budi")
    clock.advance(minutes=1)
    queue.calls.start(counter="L01", officer="budi")
    clock.advance(minutes=5)
    queue.calls.finish(counter="L01", officer="budi", outcome="lainnya", note=note)
    return ticket.code


def _clean(text: str) -> None:
    """Nothing on the screen is a control character."""
    assert all(ch == "\n" or ch.isprintable() for ch in text)


@pytest.mark.asyncio
async def test_daily_log_shows_the_note_as_typed(
    backend: Backend, queue: Hall, clock: FrozenClock
) -> None:
    """The daily log shows the cleaned note literally; title, rows and summary stay."""
    queue.issuing.issue_ticket(service="KTP")
    queue.issuing.issue_ticket(service="KK")
    queue.sessions.open_counter(counter="L01", officer="budi")
    plain = _serve(queue, clock, "KK belum dibawa")
    marked = _serve(queue, clock, NOTE)
    assert queue.tickets.ticket(code=marked).note == SHOWN  # stored cleaned
    app = signed_in_app(backend, queue)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, DayLogScreen)
        text = screen_text(app)
        assert SHOWN in text
        assert "KK belum dibawa" in text
        assert plain in text
        assert marked in text
        assert "2 tiket · 2 dilayani" in text  # the summary under the table
        _clean(text)


@pytest.mark.asyncio
async def test_counter_screen_shows_the_pause_note_as_typed(backend: Backend, queue: Hall) -> None:
    """The counter screen shows a paused counter's note literally, its status line intact."""
    app = signed_in_app(backend, queue)
    queue.sessions.pause_counter(counter="L01", officer="budi", reason="lainnya", note=NOTE)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert text.count(SHOWN) == 2  # the ticket panel and the status line
        assert "L01 Loket 1" in text
        assert "budi" in text.lower()
        _clean(text)


@pytest.mark.asyncio
async def test_history_dialog_shows_the_pause_note_as_typed(backend: Backend, queue: Hall) -> None:
    """The supervisor's counter history lists the pause with its note, literally."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.pause_counter(counter="L01", officer="budi", reason="lainnya", note=NOTE)
    spv = next(o for o in backend.hall.officers.list() if o.username == "spv")
    app = make_app(backend, mode="supervisor", signed_in=spv)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("h")  # L01 is the first row
        await settle(pilot)
        text = screen_text(app)
        assert SHOWN in text
        assert "loket dijeda" in text
        _clean(text)


@fuzz_settings(4)
@given(note=st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=30)))
def test_daily_log_with_any_note(
    note: str, db_url: str, backend: Backend, queue: Hall, clock: FrozenClock
) -> None:
    """Any note: the daily log opens, shows the ticket and its note's start, and its summary."""
    tally("note: daily log screen (Pilot)", db_url)
    queue.issuing.issue_ticket(service="KTP", override_by="spv")
    queue.sessions.open_counter(counter="L01", officer="budi")
    code = _serve(queue, clock, note if clean_note(note) else "x")
    shown = clean_note(queue.tickets.ticket(code=code).note) or ""

    async def look() -> str:
        app = signed_in_app(backend, queue)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            assert isinstance(app.screen, DayLogScreen)
            return screen_text(app)

    text = asyncio.run(look())
    assert code in text
    assert "dilayani" in text
    _clean(text)
    first_word = shown.split()[0][:8] if shown.split() else ""
    if first_word.isascii() and first_word.isprintable():
        assert first_word in text
