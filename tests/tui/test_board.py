"""The hall board: calls made through Hall appear, recalls show again, a restart does
not replay, and every call is announced in order (to WAV files with their spoken text)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import Engine

from mpp_tui.devices.voice import Announcer
from mpp_tui.services.facade import Hall
from mpp_tui.tui.app import make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.board import BoardScreen
from tests.tui.conftest import (
    cut_database,
    database_of,
    notices,
    restore_database,
    screen_text,
    settle,
    wait_until,
)

pytestmark = pytest.mark.asyncio


def _board(app: object) -> BoardScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, BoardScreen)
    return screen


def _hero(app: object) -> str | None:
    hero = _board(app).hero
    return f"{hero.code}@{hero.counter_code}" if hero else None


def _spoken(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


async def test_calls_appear_live_and_are_announced_in_order(
    backend: Backend, queue: Hall, tmp_path: Path
) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.sessions.open_counter(counter="L03", officer="sari")
    old = queue.issuing.issue_ticket(service="KTP").ticket.code
    queue.calls.call_next(counter="L01", officer="budi")  # before the board starts: shown, not said
    queue.issuing.issue_ticket(service="NIB")
    out = tmp_path / "voice"
    announcer = Announcer(None, None, out)
    app = make_app(dataclasses.replace(backend, announcer=announcer), mode="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _hero(app) == f"{old}@L01"
        text = screen_text(app)
        assert "Panggilan terakhir" in text
        assert "L01 A-001" in text
        other = Hall(queue.engine, clock=queue.clock)  # another PC's connection
        other.calls.call_next(counter="L03", officer="sari")
        other.calls.recall(counter="L01", officer="budi")
        await wait_until(pilot, lambda: _hero(app) == "A-001@L01" and len(announcer.spoken) == 2)
        assert announcer.wait_idle(30)
        assert _spoken(out) == [
            "Nomor antrian be nol nol satu, silakan menuju loket tiga",
            "Nomor antrian a nol nol satu, silakan menuju loket satu",
        ]
        text = screen_text(app)
        assert "A-001 → Loket 1" in text
        assert "ulang" in text
        assert "B-001 → Loket 3" in text
        assert "L03 B-001" in text
    announcer.close()


async def test_a_restarted_board_does_not_replay(
    backend: Backend, queue: Hall, tmp_path: Path
) -> None:
    queue.sessions.open_counter(counter="L01", officer="budi")
    for _ in range(2):
        queue.issuing.issue_ticket(service="KK")
    queue.calls.call_next(counter="L01", officer="budi")
    out = tmp_path / "voice"
    for _ in range(2):  # start, stop, start again
        announcer = Announcer(None, None, out)
        app = make_app(dataclasses.replace(backend, announcer=announcer), mode="board")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert _hero(app) == "A-001@L01"
        announcer.close()
    assert _spoken(out) == []


async def test_zone_board_shows_only_its_counters(backend: Backend, queue: Hall) -> None:
    queue.sessions.open_counter(counter="L10", officer="budi")
    queue.issuing.issue_ticket(service="JKN_DAFTAR")
    app = make_app(backend, mode="board", zone="B")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        Hall(queue.engine, clock=queue.clock).calls.call_next(counter="L10", officer="budi")
        await wait_until(pilot, lambda: _hero(app) == "F-001@L10")
        text = screen_text(app)
        assert "L10" in text
        assert "L01 " not in text


async def test_big_letters_fit_the_screen(backend: Backend, queue: Hall) -> None:
    queue.sessions.open_counter(counter="L03", officer="sari")
    queue.issuing.issue_ticket(service="NIB")
    queue.calls.call_next(counter="L03", officer="sari")
    for size, scale in (((80, 24), 2), ((160, 45), 5)):
        app = make_app(backend, mode="board")
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            board = _board(app)
            code = board.query_one("#board-code")
            assert code.scale == scale  # type: ignore[attr-defined]
            assert code.size.height == 2 * scale + 1  # drawn big, not the narrow fallback
            assert "┏" in screen_text(app)


async def test_an_empty_board_says_so(backend: Backend) -> None:
    app = make_app(backend, mode="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        code = _board(app).query_one("#board-code")
        assert code.scale == 2  # type: ignore[attr-defined]
        assert code.size.height == 5
        assert "Belum ada panggilan" in screen_text(app)


async def test_without_a_speech_engine_the_board_runs_silent_and_says_so_once(
    backend: Backend, queue: Hall, tmp_path: Path
) -> None:
    out = tmp_path / "voice"
    announcer = Announcer("no-such-speech-engine -w {wav} {text}", None, out)
    assert not announcer.available
    queue.sessions.open_counter(counter="L01", officer="budi")
    queue.issuing.issue_ticket(service="KK")
    app = make_app(dataclasses.replace(backend, announcer=announcer), mode="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        Hall(queue.engine, clock=queue.clock).calls.call_next(counter="L01", officer="budi")
        await wait_until(pilot, lambda: _hero(app) == "A-001@L01")  # the board still works
        said = [n for n in notices(app) if "no-such-speech-engine" in n]
        assert len(said) == 1
    assert not out.exists() or list(out.iterdir()) == []
    announcer.close()


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_board_rides_out_a_postgres_outage(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    """The board says the database is away, keeps its last picture, and when the server is back
    shows (and would announce) the call made meanwhile by a counter that reconnected first."""
    queue.sessions.open_counter(counter="L01", officer="budi")
    for _ in range(2):
        queue.issuing.issue_ticket(service="KK")
    queue.calls.call_next(counter="L01", officer="budi")
    app = make_app(backend, mode="board")
    db = database_of(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        board = _board(app)
        try:
            cut_database(db)
            await wait_until(pilot, lambda: not board.online)
            assert "Menyambung kembali" in screen_text(app)
            assert _hero(app) == "A-001@L01"  # the last picture stays
        finally:
            restore_database(db)
        queue.calls.finish(counter="L01", officer="budi", outcome="selesai")
        queue.calls.call_next(counter="L01", officer="budi")
        await wait_until(pilot, lambda: board.online and _hero(app) == "A-002@L01")
        assert "Menyambung kembali" not in screen_text(app)
