"""Unexpected errors: a notification (or one line on exit) for the officer, the traceback
in the log."""

from __future__ import annotations

import logging

import pytest

from mpp_tui.services.facade import Hall
from mpp_tui.tui.backend import Backend
from tests.tui.conftest import notices, settle, signed_in_app

pytestmark = pytest.mark.asyncio


async def test_a_failing_read_is_a_notification_and_a_log_record(
    backend: Backend,
    queue: Hall,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = signed_in_app(backend, queue)

    def broken(**_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(queue.desk, "counter_desk", broken)
    with caplog.at_level(logging.ERROR, logger="mpp_tui.tui.app"):
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert notices(app) == [
                "mpp: Terjadi kesalahan tak terduga; rinciannya ada di berkas log. "
                "Layar tetap berjalan."
            ]
            assert app.is_running
    assert "disk on fire" in caplog.text


async def test_a_crash_in_the_screen_logs_the_traceback_and_says_one_line(
    backend: Backend, queue: Hall, caplog: pytest.LogCaptureFixture
) -> None:
    app = signed_in_app(backend, queue)

    def boom() -> None:
        raise RuntimeError("handler bug")

    shown: list[str] = []
    fatal = app._fatal_error

    def watched() -> None:
        fatal()
        shown.extend(str(r) for r in app._exit_renderables)

    app._fatal_error = watched  # type: ignore[method-assign]

    async def crash() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.call_later(boom)
            await pilot.pause()

    with (
        caplog.at_level(logging.ERROR, logger="mpp_tui.tui.app"),
        pytest.raises(RuntimeError, match="handler bug"),  # run_test hands it on
    ):
        await crash()
    assert app.return_code == 1
    assert "handler bug" in caplog.text
    # What the terminal gets on exit: one readable line, no traceback.
    assert shown == [
        "Layar berhenti karena kesalahan tak terduga; rinciannya ada di berkas log "
        "(mpp doctor menunjukkan lokasinya). Tiket aktif tetap tersimpan: jalankan lagi."
    ]
