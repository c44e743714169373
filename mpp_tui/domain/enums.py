"""Enumerations shared by every layer."""

from enum import StrEnum


class TicketStatus(StrEnum):
    """Where a ticket is in its life (DESIGN §3)."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_final(self) -> bool:
        """True for states a ticket leaves only through reactivation or a day reopen (or never)."""
        return self in FINAL_STATES

    @property
    def is_active(self) -> bool:
        """True while a counter holds the ticket."""
        return self in (TicketStatus.CALLED, TicketStatus.SERVING)


FINAL_STATES = frozenset(
    {
        TicketStatus.DONE,
        TicketStatus.NO_SHOW,
        TicketStatus.TRANSFERRED,
        TicketStatus.CANCELLED,
        TicketStatus.EXPIRED,
    }
)


class EventKind(StrEnum):
    """What a `ticket_event` row records."""

    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    TRANSFERRED_IN = "transferred_in"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    REACTIVATED = "reactivated"
    EXPIRED = "expired"
    PRINT_FAILED = "print_failed"
    MOVED = "moved"
    PRIORITY_CHANGED = "priority_changed"
    REOPENED = "reopened"  # a day close undone: expired back to waiting


class CounterState(StrEnum):
    """A counter's session state."""

    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


class CounterEventKind(StrEnum):
    """What a `counter_event` row records."""

    OPENED = "opened"
    PAUSED = "paused"
    RESUMED = "resumed"
    CLOSED = "closed"


class Role(StrEnum):
    """What an officer may do (DESIGN §7)."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def supervises(self) -> bool:
        """Supervisors and admins act on every counter of their hall."""
        return self in (Role.SUPERVISOR, Role.ADMIN)


class QueuePosition(StrEnum):
    """Where a ticket returned to the queue goes."""

    FIRST = "first"
    LAST = "last"


class PauseReason(StrEnum):
    """Why a counter pauses; `lainnya` takes a free-text note."""

    ISTIRAHAT = "istirahat"
    SHOLAT = "sholat"
    RAPAT = "rapat"
    LAINNYA = "lainnya"
