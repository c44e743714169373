"""What the screens are given to work with: the services, the change feed and the language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mpp_tui.domain.views import OfficerView

if TYPE_CHECKING:  # the services load after the first screen is painted
    from mpp_tui.devices.printer import TicketPrinter
    from mpp_tui.devices.voice import Announcer
    from mpp_tui.services.facade import Hall
    from mpp_tui.services.feed import ChangeFeed


@dataclass(frozen=True)
class Backend:
    """Built once by the CLI (or a test) and handed to `make_app`; screens only call these.

    Attributes:
        hall: the hall's services (`hall.calls`, `hall.officers`, …; see services/facade.py).
        open_feed: opens a change feed (raises DatabaseUnavailable when the database is down).
        lang: "id" or "en".
        db_label: the database URL without its password, for the status line.
        export_dir: where CSV exports go.
        printer: the kiosk's ticket printer; None shows tickets on screen only.
        kiosk_reset_s: how long the kiosk shows a ticket before returning to the start.
        board_text: the board's running text (None: the hall's own).
        announcer: the board's voice (None: silent).
    """

    hall: Hall
    open_feed: Callable[[], ChangeFeed]
    lang: str = "id"
    db_label: str = ""
    export_dir: Path = Path()
    printer: TicketPrinter | None = None
    kiosk_reset_s: float = 8.0
    board_text: str | None = None
    announcer: Announcer | None = None


@dataclass(frozen=True)
class Desk:
    """Who works at which counter in this session."""

    counter: str
    officer: OfficerView
