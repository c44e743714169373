"""The kiosk, driven with the keys of a numeric keypad: every priority category, quota reached,
outside hours, printing and a failed print; and the greeter's search-as-you-type desk."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from mpp_tui.devices.printer import open_printer
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.services.facade import Hall
from mpp_tui.tui.app import make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.screens.kiosk import KioskScreen
from tests.services.helpers import snapshot, ticket_events, wib
from tests.tui.conftest import notices, screen_text, settle, wait_until

pytestmark = pytest.mark.asyncio

# Disdukcapil is agency 1; its services, in prefix/code order: AKTA_LAHIR, AKTA_MATI, KK, KTP,
# PINDAH.
DUKCAPIL, KTP = "1", "4"
PRIORITY_KEYS = {None: "1", "lansia": "2", "disabilitas": "3", "ibu_hamil": "4", "anak": "5"}
PRIORITY_KEYS["korban_bencana"] = "6"


async def keys(pilot: Pilot[None], *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


def _kiosk(app: object) -> KioskScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, KioskScreen)
    return screen


def _switch(app: object) -> str:
    return str(_kiosk(app).query_one("#kiosk-switch").current)  # type: ignore[attr-defined]


async def test_every_priority_category_gets_its_ticket(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for n, (category, key) in enumerate(PRIORITY_KEYS.items(), start=1):
            await keys(pilot, DUKCAPIL, "enter", KTP)
            assert "Persyaratan" in screen_text(app)  # the standard shows before choosing
            await keys(pilot, "enter", key, "enter")
            assert _switch(app) == "kiosk-ticket"
            code = f"A-{n:03d}"
            text = screen_text(app)
            assert "Perekaman & Cetak KTP-el" in text
            assert "Di depan Anda" in text
            ticket = queue.tickets.ticket(code=code)
            assert ticket.priority == category
            assert ticket.service_code == "KTP"
            assert [e.kind for e in ticket_events(engine, ticket.id)] == ["issued"]
            await keys(pilot, "enter")  # any key: back to the start
            assert _switch(app) == "kiosk-choose"
            assert _kiosk(app).step == "agency"


async def test_back_goes_one_step_back(backend: Backend, engine: Engine) -> None:
    app = make_app(backend, mode="kiosk")
    before = snapshot(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter")
        assert _kiosk(app).step == "priority"
        await keys(pilot, "minus")
        assert _kiosk(app).step == "service"
        await keys(pilot, "backspace")
        assert _kiosk(app).step == "agency"
        await keys(pilot, "1", "7", "enter")  # two digits make one number: agency 17
        assert _kiosk(app).agency is not None
        assert _kiosk(app).agency.code == "BAPENDA"
    assert snapshot(engine) == before


async def test_quota_reached_gives_a_message_and_no_ticket(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    for _ in range(30):
        queue.issuing.issue_ticket(service="KTP")
    before = snapshot(engine)
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter")
        assert _switch(app) == "kiosk-message"
        assert "Kuota" in screen_text(app)
        assert "Tidak ada tiket" in screen_text(app)
    assert snapshot(engine) == before


async def test_quota_used_up_between_menu_and_ticket(
    backend: Backend, queue: Hall, engine: Engine
) -> None:
    """The menu said open, another kiosk took the last number: the service's refusal shows."""
    for _ in range(29):
        queue.issuing.issue_ticket(service="KTP")
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter")
        Hall(queue.engine, clock=queue.clock).issuing.issue_ticket(service="KTP")
        before = snapshot(engine)
        await keys(pilot, "1", "enter")
        assert _switch(app) == "kiosk-message"
        assert "30" in screen_text(app)
    assert snapshot(engine) == before


async def test_outside_hours_nothing_is_issued(
    backend: Backend, clock: FrozenClock, engine: Engine
) -> None:
    clock.set(wib(2026, 11, 30, 19, 30))
    before = snapshot(engine)
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "✖ TUTUP" in screen_text(app)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter")
        assert _switch(app) == "kiosk-message"
        assert "tidak melayani" in screen_text(app)
        assert "08.00" in screen_text(app)
    assert snapshot(engine) == before


async def test_printed_ticket_goes_to_the_printer(
    backend: Backend, queue: Hall, tmp_path: Path
) -> None:
    target = tmp_path / "printer.bin"
    printer = open_printer(f"file:{target}", 58)
    app = make_app(dataclasses.replace(backend, printer=printer), mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter", "1", "enter")
        assert "ambil tiket" in screen_text(app)
    data = target.read_bytes()
    assert b"A-001" in data
    assert b"\x1dV" in data
    assert queue.tickets.ticket(code="A-001").status == "waiting"


async def test_failed_print_cancels_the_ticket_with_its_own_event(
    backend: Backend, queue: Hall, engine: Engine, tmp_path: Path
) -> None:
    printer = open_printer(f"file:{tmp_path / 'unplugged' / 'lp0'}", 80)
    app = make_app(dataclasses.replace(backend, printer=printer), mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter", "1", "enter")
        assert _switch(app) == "kiosk-message"
        assert "gagal dicetak" in screen_text(app)
        assert "dibatalkan" in screen_text(app)
    ticket = queue.tickets.ticket(code="A-001")
    assert ticket.status == "cancelled"
    events = ticket_events(engine, ticket.id)
    assert [(e.kind, e.status_to) for e in events] == [
        ("issued", "waiting"),
        ("print_failed", "cancelled"),
    ]
    assert "tidak ditemukan" in (events[-1].detail or "")
    assert (
        queue.public.kiosk_menu().agencies[0].services[3].quota_left == 30
    )  # the number is not lost


async def test_english_kiosk(backend: Backend, queue: Hall) -> None:
    app = make_app(dataclasses.replace(backend, lang="en"), mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Choose an agency" in screen_text(app)
        await keys(pilot, DUKCAPIL, "enter", KTP)
        assert "Requirements" in screen_text(app)
        assert "Fee: Free" in screen_text(app)
        await keys(pilot, "enter", "2", "enter")
        assert "Ahead of you" in screen_text(app)
    assert queue.tickets.ticket(code="A-001").priority == "lansia"


# --- greeter --------------------------------------------------------------------------------------


async def test_greeter_issues_by_search(backend: Backend, queue: Hall) -> None:
    app = make_app(backend, mode="greeter")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"ktp")
        await settle(pilot)
        await keys(pilot, "enter")  # the first match: KTP
        await keys(pilot, "2")  # priority: lansia
        ticket = queue.tickets.ticket(code="A-001")
        assert ticket.service_code == "KTP"
        assert ticket.priority == "lansia"
        assert ticket.to_json()["status"] == "waiting"
        assert "A-001" in screen_text(app)
        await pilot.press(*"skck")
        await settle(pilot)
        await keys(pilot, "down", "enter", "1")  # the second SKCK service, regular
        second = queue.tickets.ticket(code="E-001")
        assert second.service_code.startswith("SKCK")
        assert second.priority is None
        assert any("E-001" in n for n in notices(app))


async def test_a_message_stays_while_the_hall_changes(backend: Backend, queue: Hall) -> None:
    """Another kiosk's ticket reloads the menu; the visitor's message stays on screen."""
    for _ in range(30):
        queue.issuing.issue_ticket(service="KTP")
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter")
        assert _switch(app) == "kiosk-message"
        Hall(queue.engine, clock=queue.clock).issuing.issue_ticket(service="NIB")

        def reloaded() -> bool:
            menu = _kiosk(app).menu
            return menu is not None and any(
                s.code == "NIB" and s.waiting == 1 for a in menu.agencies for s in a.services
            )

        await wait_until(pilot, reloaded)
        assert _switch(app) == "kiosk-message"
        assert "Kuota" in screen_text(app)


async def test_a_day_without_hours_says_closed_today(
    backend: Backend, clock: FrozenClock, engine: Engine
) -> None:
    clock.set(wib(2026, 12, 6, 10, 0))  # a Sunday: no hours at all
    before = snapshot(engine)
    app = make_app(backend, mode="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await keys(pilot, DUKCAPIL, "enter", KTP, "enter")
        assert _switch(app) == "kiosk-message"
        assert "tutup hari ini" in screen_text(app)
    assert snapshot(engine) == before
