"""The SKM survey screen, driven with a numeric keypad's keys: a visitor types their number (or
picks it beside a counter), answers nine questions with 1–4, goes back with minus, abandons
with Escape; the database holds exactly what was answered, and nothing when abandoned."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, Table, select
from textual.pilot import Pilot

from mpp_tui.db.tables import SurveyResponse
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.skm import ELEMENTS
from mpp_tui.domain.views import TicketView
from mpp_tui.services.facade import Hall
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.survey import SurveyScreen
from tests.tui.conftest import make_backend, screen_text, settle

pytestmark = pytest.mark.asyncio

SR: Table = SurveyResponse.__table__  # type: ignore[attr-defined]
ANSWERS = [4, 4, 3, 4, 4, 3, 4, 3, 3]


def serve(
    queue: Hall, *, service: str = "KTP", counter: str = "L01", officer: str = "budi"
) -> TicketView:
    """A ticket served to the end at `counter` by `officer`."""
    queue.sessions.open_counter(counter=counter, officer=officer)
    queue.issuing.issue_ticket(service=service, override_by="spv")
    queue.calls.call_next(counter=counter, officer=officer)
    return queue.calls.finish(counter=counter, officer=officer)


def saved(engine: Engine) -> list[tuple[int, list[int]]]:
    """(ticket id, answers) of every response in the database."""
    with engine.connect() as conn:
        rows = conn.execute(select(SR).order_by(SR.c.id)).all()
    return [(r.ticket_id, [getattr(r, f"u{n}") for n in range(1, 10)]) for r in rows]


def flat(app: Any) -> str:
    """The screen's text with borders removed and lines joined (for wrapped sentences)."""
    return " ".join(screen_text(app).replace("┃", " ").replace("│", " ").split())


async def keys(pilot: Pilot[None], *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


def survey_screen(app: Any) -> SurveyScreen:
    screen = app.screen
    assert isinstance(screen, SurveyScreen)
    return screen


async def type_code(pilot: Pilot[None], code: str) -> None:
    """Type a ticket number as on a keyboard ("A-001" → a, minus, 0, 0, 1) and press Enter."""
    names = {"-": "minus", " ": "space"}
    await keys(pilot, *(names.get(ch, ch.lower()) for ch in code), "enter")


async def test_answering_all_nine_with_keys(backend: Backend, queue: Hall, engine: Engine) -> None:
    ticket = serve(queue)
    app = make_app(backend, mode="survey")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "nomor antrean" in screen_text(app)
        await type_code(pilot, ticket.code)
        screen = survey_screen(app)
        assert screen.step == "question"
        text = screen_text(app)
        assert "Pertanyaan 1 dari 9" in text
        assert f"Tiket {ticket.code}" in text
        assert "Persyaratan" in text
        for label in ELEMENTS[0].answers:
            assert label in text
        for n, value in enumerate(ANSWERS, start=1):
            assert f"Pertanyaan {n} dari 9" in screen_text(app)
            assert ELEMENTS[n - 1].label("id") in screen_text(app)
            await keys(pilot, str(value))
        assert screen.step == "thanks"
        assert "tersimpan" in screen_text(app)
    assert saved(engine) == [(ticket.id, ANSWERS)]


async def test_minus_and_backspace_go_back_one_question(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    ticket = serve(queue)
    app = make_app(backend, mode="survey")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_code(pilot, ticket.code)
        await keys(pilot, "1", "1", "1")
        screen = survey_screen(app)
        assert screen.index == 3
        await keys(pilot, "minus")
        assert screen.index == 2
        assert "Pertanyaan 3 dari 9" in screen_text(app)
        assert "✓ Tidak cepat" in screen_text(app)  # the earlier answer shows, not by colour
        await keys(pilot, "backspace")
        assert screen.index == 1
        await keys(pilot, "2", "4")  # U2 becomes 2, U3 becomes 4
        assert screen.index == 3
        await keys(pilot, "0", "5", "9")  # not answers: nothing happens
        assert screen.index == 3
        await keys(pilot, "3", "3", "3", "3", "3", "3")
        assert screen.step == "thanks"
    assert saved(engine) == [(ticket.id, [1, 2, 4, 3, 3, 3, 3, 3, 3])]


async def test_escape_abandons_and_saves_nothing(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    ticket = serve(queue)
    app = make_app(backend, mode="survey")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_code(pilot, ticket.code)
        await keys(pilot, "4", "4", "4", "4", "4", "4", "4", "4")  # eight of nine
        await keys(pilot, "escape")
        screen = survey_screen(app)
        assert screen.step == "start"
        text = screen_text(app)
        assert "tidak ada jawaban yang disimpan" in text
        assert f"Tiket {ticket.code}" not in text  # nothing of theirs stays
        assert saved(engine) == []
        # Minus on the first question also leaves without saving.
        await type_code(pilot, ticket.code)
        await keys(pilot, "minus")
        assert screen.step == "start"
        assert saved(engine) == []
        # The visitor may still answer afterwards.
        await type_code(pilot, ticket.code)
        await keys(pilot, *(str(v) for v in ANSWERS))
        assert screen.step == "thanks"
    assert saved(engine) == [(ticket.id, ANSWERS)]


async def test_refusals_are_shown_and_any_key_starts_over(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    answered = serve(queue)
    queue.issuing.issue_ticket(service="KTP", override_by="spv")
    waiting = queue.issuing.issue_ticket(service="KTP", override_by="spv").ticket
    app = make_app(backend, mode="survey")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = survey_screen(app)
        cases = [
            ("Z-999", "tidak ditemukan"),
            (waiting.code, "hanya untuk layanan yang sudah selesai"),
        ]
        for code, words in cases:
            await type_code(pilot, code)
            assert screen.step == "message"
            assert words in flat(app)
            await keys(pilot, "enter")
            assert screen.step == "start"
        await type_code(pilot, answered.code)
        await keys(pilot, *(str(v) for v in ANSWERS))
        assert screen.step == "thanks"
        await keys(pilot, "space")
        assert screen.step == "start"
        await type_code(pilot, answered.code)
        assert screen.step == "message"
        assert "sudah diisi" in flat(app)
    assert saved(engine) == [(answered.id, ANSWERS)]


async def test_beside_a_counter_the_visitor_picks_their_number(
    backend: Backend, queue: Hall, engine: Engine, clock: FrozenClock
) -> None:
    older = serve(queue)
    clock.advance(minutes=1)
    newest = serve(queue)
    elsewhere = serve(queue, service="NIB", counter="L03", officer="sari")
    app = make_app(backend, mode="survey", counter="L01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = survey_screen(app)
        text = screen_text(app)
        assert "loket L01" in text
        assert newest.code in text
        assert older.code in text
        assert elsewhere.code not in text
        assert text.index(newest.code) < text.index(older.code)  # newest first, as "1"
        await keys(pilot, "1", "4", "4", "escape")  # abandoned: the list is back, nothing saved
        assert screen.step == "start"
        assert "tidak ada jawaban yang disimpan" in flat(app)
        assert newest.code in screen_text(app)
        assert saved(engine) == []
        await keys(pilot, "1")
        assert screen.step == "question"
        assert newest.code in screen_text(app)
        await keys(pilot, *(str(v) for v in ANSWERS))
        assert screen.step == "thanks"
        await keys(pilot, "enter")
        text = screen_text(app)
        assert newest.code not in text  # answered: no longer offered
        assert older.code in text
        await keys(pilot, "5")  # no fifth ticket: nothing happens
        assert screen.step == "start"
    assert saved(engine) == [(newest.id, ANSWERS)]


async def test_an_empty_counter_says_so(backend: Backend, queue: Hall) -> None:
    app = make_app(backend, mode="survey", counter="L02")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Belum ada layanan" in flat(app)
        await keys(pilot, "1")
        assert survey_screen(app).step == "start"


async def test_a_visitor_who_walks_away_is_forgotten(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    ticket = serve(queue)
    app = make_app(backend, mode="survey")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_code(pilot, ticket.code)
        await keys(pilot, "4", "4")
        screen = survey_screen(app)
        screen._last_key -= 61  # a minute without a key
        screen._check_idle()
        await settle(pilot)
        assert screen.step == "start"
        assert f"Tiket {ticket.code}" not in screen_text(app)
    assert saved(engine) == []


async def test_in_english(engine: Engine, queue: Hall, backend: Backend, tmp_path: Any) -> None:
    ticket = serve(queue)
    english = make_backend(engine, queue, tmp_path, lang="en")
    app: MppApp = make_app(english, mode="survey")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_code(pilot, ticket.code)
        text = screen_text(app)
        assert "Question 1 of 9" in text
        assert "Very suitable" in text
        await keys(pilot, *(str(v) for v in ANSWERS))
        assert "saved" in screen_text(app)
    assert saved(engine) == [(ticket.id, ANSWERS)]
