"""Screens that follow the change feed: reload on every change, at most so often, and say when
the database is away."""

from __future__ import annotations

import threading
import time
from typing import Any

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from mpp_tui.domain.errors import DatabaseUnavailable
from mpp_tui.tui.base import MppScreen

FEED_WAIT_S = 0.5  # how long one wait on the change feed blocks before checking for shutdown
RECONNECT_S = 2.0  # pause between attempts to reopen the feed while the database is away


class LiveScreen(MppScreen[Any]):
    """A screen that reloads when the database changes.

    Subclasses implement `reload()` (start their load worker) and may set MIN_INTERVAL_S (the
    least time between two reloads caused by the feed) and override `connection_changed`.
    Bursts of changes coalesce: one reload now, one more when the interval has passed.
    """

    MIN_INTERVAL_S = 0.5

    class FeedChanged(Message):
        """Something changed in the database (or the feed came back)."""

    class Connection(Message):
        """The database went away or came back."""

        def __init__(self, online: bool) -> None:
            super().__init__()
            self.online = online

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self._stop = threading.Event()
        self._last_feed_load = 0.0
        self._feed_timer = False
        self.online = True

    def start_live(self) -> None:
        """Start following the feed (call from on_mount)."""
        self.watch_feed()

    def on_unmount(self) -> None:
        self._stop.set()

    def reload(self) -> None:
        """Start reloading what the screen shows."""
        raise NotImplementedError

    def connection_changed(self, online: bool) -> None:
        """The database went away (False) or came back (True)."""

    @work(thread=True, exclusive=True, group="feed", exit_on_error=False)
    def watch_feed(self) -> None:
        """Wait on the change feed; reopen it whenever the database comes back."""
        worker = get_current_worker()
        feed = None
        try:
            while not (worker.is_cancelled or self._stop.is_set()):
                try:
                    if feed is None:
                        feed = self.backend.open_feed()
                        self.post_message(self.Connection(True))
                        self.post_message(self.FeedChanged())  # catch up on what we missed
                    if feed.wait(FEED_WAIT_S):
                        self.post_message(self.FeedChanged())
                except DatabaseUnavailable:
                    if feed is not None:
                        feed.close()
                        feed = None
                    self.post_message(self.Connection(False))
                    self._stop.wait(RECONNECT_S)
        finally:
            if feed is not None:
                feed.close()

    def on_live_screen_feed_changed(self) -> None:
        wait = self._last_feed_load + self.MIN_INTERVAL_S - time.monotonic()
        if wait <= 0:
            self._feed_reload()
        elif not self._feed_timer:
            self._feed_timer = True
            self.set_timer(wait, self._feed_reload)

    def _feed_reload(self) -> None:
        self._feed_timer = False
        self._last_feed_load = time.monotonic()
        self.reload()

    def on_live_screen_connection(self, message: Connection) -> None:
        self.set_online(message.online)

    def set_online(self, online: bool) -> None:
        """Record whether the database answers (from the feed, or a failed or good read)."""
        if online != self.online:
            self.online = online
            self.set_class(not online, "-offline")
            self.connection_changed(online)
