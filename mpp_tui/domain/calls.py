"""Which calls a hall board has already shown: announce each once, never replay on restart."""

from __future__ import annotations

from typing import Any

from mpp_tui.domain.views import BoardState, CallView

LOOKBACK_EVENTS = 500
"""How far behind the newest event id a board looks again for calls it has not seen.

Event ids are handed out when a row is inserted but become visible when its transaction
commits, so on PostgreSQL a call can appear with an id lower than one already seen. No call
stays uncommitted while 500 other events are written, so looking back that far finds it."""


class CallCursor:
    """A board's place in the event log.

    The first look sets the floor: calls made before the board started are shown in the list
    of recent calls but never announced. Later looks ask for calls after the cursor (less the
    lookback) and `take` returns only those not seen yet, oldest first.
    """

    def __init__(self) -> None:
        self.floor: int | None = None
        self.after: int | None = None
        self._seen: set[int] = set()

    def query(self) -> dict[str, Any]:
        """Keyword arguments for `Hall.board`."""
        return {"after": self.after, "floor": self.floor or 0}

    def take(self, state: BoardState) -> list[CallView]:
        """Record a look; return the calls to announce (none on the first look)."""
        if self.floor is None:
            self.floor = state.cursor
            self.after = state.cursor
            return []
        new = [c for c in state.fresh if c.event_id not in self._seen]
        self._seen.update(c.event_id for c in new)
        self.after = max(self.after or 0, state.cursor)
        low = self.after - LOOKBACK_EVENTS
        self._seen = {i for i in self._seen if i > low}
        return new
