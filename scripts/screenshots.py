"""Screenshots of every screen for the docs: SVGs at 80×24, in Indonesian and in English.

    uv run python scripts/screenshots.py            # writes docs/screens/<screen>-<lang>.svg

Each screen is drawn headless (Textual's `run_test`) on a temporary SQLite database that holds
what `mpp demo` builds — MPP Kotim's reference data, the demo officers and a morning of tickets
played through the services — with the clock frozen on Monday 30 November 2026 at 10:00 WIB,
so every run draws the same pictures. The app comes from `make_app`, as in the CLI and the
tests; the backend from `build_backend`, the one function here that knows how a Backend is put
together (adapt it, and `set_the_scene`, when the service layer changes).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import Input

from mpp_tui.db.engine import make_engine, sqlite_url
from mpp_tui.domain.clock import FrozenClock
from mpp_tui.domain.views import OfficerView
from mpp_tui.services.demo import prepare_demo
from mpp_tui.services.facade import Hall
from mpp_tui.services.feed import ChangeFeed, open_feed
from mpp_tui.tui.app import MppApp, make_app
from mpp_tui.tui.backend import Backend
from mpp_tui.tui.live import LiveScreen
from mpp_tui.tui.screens import board as board_module

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screens"
SIZE = (80, 24)
LANGS = ("id", "en")
# Monday 30 November 2026, 09:55 WIB (UTC+7): the demo's morning runs from 07:25 to about here
# (its last step may run over by a few minutes); the scene starts at 10:00.
MORNING_END = datetime(2026, 11, 30, 2, 55, tzinfo=UTC)
SCENE_START = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
SCENE_END = SCENE_START + timedelta(minutes=4)  # the moment every screenshot shows


def build_backend(engine: Engine, clock: FrozenClock, lang: str, export_dir: Path) -> Backend:
    """The screens' Backend on `engine` with a frozen clock (as tests/tui/conftest.py and
    mpp_tui/cli/screens.py build it). The feed is watched, so a screenshot can wait until its
    screen follows the database."""
    queue = Hall(engine, clock=clock, hasher=PasswordHasher())
    hall_id = queue.ref().hall_id

    def feed() -> ChangeFeed:
        return WatchedFeed(open_feed(engine, hall_id=hall_id))  # type: ignore[return-value]

    return Backend(
        hall=queue,
        open_feed=feed,
        lang=lang,
        db_label="demo.sqlite",
        export_dir=export_dir,
    )


def set_the_scene(backend: Backend, clock: FrozenClock) -> None:
    """At 10:00, after the demo's morning: petugas1 calls and serves at L01; petugas2 calls at
    L10 and calls again at 10:03."""
    queue = backend.hall
    clock.set(SCENE_START)
    queue.sessions.open_counter(counter="L01", officer="petugas1")
    queue.sessions.open_counter(counter="L10", officer="petugas2")
    queue.calls.call_next(counter="L01", officer="petugas1")
    clock.advance(minutes=1)
    queue.calls.start(counter="L01", officer="petugas1")
    queue.calls.call_next(counter="L10", officer="petugas2")
    clock.advance(minutes=2)
    queue.calls.recall(counter="L10", officer="petugas2")
    clock.set(SCENE_END)


class WatchedFeed:
    """A change feed that records when a screen's feed loop first waits on it: by then the
    loop has posted its catch-up reload, so settling afterwards shows current data."""

    listening = threading.Event()

    def __init__(self, feed: ChangeFeed) -> None:
        self.feed = feed

    def wait(self, timeout: float) -> bool:
        WatchedFeed.listening.set()
        return self.feed.wait(timeout)

    def close(self) -> None:
        self.feed.close()


Steps = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Until a round starts nothing new: every finite worker done, its messages handled."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        running = [w for w in app.workers if w.group != "feed" and not w.is_finished]
        if not running:
            await pilot.pause()
            if all(w.group == "feed" or w.is_finished for w in app.workers):
                return
            continue
        await app.workers.wait_for_complete(running)
    raise RuntimeError("the screen never settled")


async def steady(pilot: Pilot[None]) -> None:
    """Wait for the change feed (on a live screen), settle, drop toasts, stop cursor blinks."""
    if isinstance(pilot.app.screen, LiveScreen):
        for _ in range(1000):
            if WatchedFeed.listening.is_set():
                break
            await asyncio.sleep(0.01)
        else:
            raise RuntimeError("the change feed never started")
    await settle(pilot)
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await settle(pilot)


def keys(*names: str) -> Steps:
    async def press(pilot: Pilot[None]) -> None:
        for name in names:
            await pilot.press(name)
            await steady(pilot)

    return press


async def nothing(pilot: Pilot[None]) -> None:
    """No keys: the screen as it opens."""


def signed_in(backend: Backend, username: str) -> OfficerView:
    return next(o for o in backend.hall.officers.list() if o.username == username)


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file name, the command it shows, how to open it, what to press."""

    name: str
    command: str
    open: Callable[[Backend], MppApp]
    steps: Steps = nothing


SHOTS = (
    Shot("sign-in", "mpp counter --counter L01", lambda b: make_app(b, counter="L01")),
    Shot(
        "counter",
        "mpp counter",
        lambda b: make_app(b, counter="L01", signed_in=signed_in(b, "petugas1")),
    ),
    Shot(
        "daily-log",
        "mpp counter → L",
        lambda b: make_app(b, counter="L01", signed_in=signed_in(b, "petugas1")),
        keys("l"),
    ),
    # Disdukcapil is the kiosk's agency 1, KTP its service 4.
    Shot("kiosk", "mpp kiosk", lambda b: make_app(b, mode="kiosk"), keys("1", "enter", "4")),
    Shot("greeter", "mpp kiosk --greeter", lambda b: make_app(b, mode="greeter"), keys(*"akta")),
    Shot("board", "mpp board", lambda b: make_app(b, mode="board")),
    Shot(
        "supervisor",
        "mpp supervisor",
        lambda b: make_app(b, mode="supervisor", signed_in=signed_in(b, "spv")),
    ),
    # The survey beside L01: "1" picks the ticket that counter finished last.
    Shot(
        "survey",
        "mpp survey --counter L01",
        lambda b: make_app(b, mode="survey", counter="L01"),
        keys("1"),
    ),
)


def prepare(workdir: Path) -> Path:
    """The demo database at the scene's moment, closed, ready to be copied for each shot."""
    path = workdir / "scene.sqlite"
    engine = make_engine(sqlite_url(path))
    prepare_demo(engine, now=MORNING_END)
    clock = FrozenClock(MORNING_END)
    set_the_scene(build_backend(engine, clock, "id", workdir), clock)
    engine.dispose()
    return path


async def take(shot: Shot, lang: str, scene: Path, workdir: Path) -> str:
    """The SVG of one screen in one language, on a fresh copy of the scene."""
    copy = workdir / f"{shot.name}-{lang}.sqlite"
    shutil.copyfile(scene, copy)
    engine = make_engine(sqlite_url(copy))
    try:
        backend = build_backend(engine, FrozenClock(SCENE_END), lang, workdir / "exports")
        WatchedFeed.listening.clear()
        app = shot.open(backend)
        async with app.run_test(size=SIZE) as pilot:
            await steady(pilot)
            await shot.steps(pilot)
            await steady(pilot)
            return app.export_screenshot(title=shot.command)
    finally:
        engine.dispose()


async def main() -> int:
    board_module.MARQUEE_STEP_S = 3600.0  # the running text stands still
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mpp-screens-") as tmp:
        workdir = Path(tmp)
        scene = prepare(workdir)
        for shot in SHOTS:
            for lang in LANGS:
                target = OUT / f"{shot.name}-{lang}.svg"
                target.write_text(await take(shot, lang, scene, workdir), encoding="utf-8")
                sys.stdout.write(f"wrote {target.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
