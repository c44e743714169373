"""Judging one hall's business day from its rows: the checks behind mpp_tui.db.invariants.

Pure functions of rows already read (tickets, their events, the day's running numbers), so the
reading side decides how much to read at once; see mpp_tui.db.invariants for what each kind
of violation means.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from mpp_tui.domain.enums import EventKind as K
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.rules import TRANSITIONS, format_code

_ACTIVE: Final = frozenset({S.CALLED.value, S.SERVING.value})
_SHOWN: Final = 5  # missing numbers named in one message

# The transition each event kind records (the action of TRANSITIONS it is the trace of).
EVENT_ACTIONS: Final[Mapping[str, str]] = {
    K.CALLED: "call",
    K.RECALLED: "recall",
    K.STARTED: "start",
    K.FINISHED: "finish",
    K.NO_SHOW: "no_show",
    K.TRANSFERRED: "transfer",
    K.RETURNED: "return",
    K.CANCELLED: "cancel",
    K.PRINT_FAILED: "cancel",  # a kiosk voiding an unprinted ticket cancels it
    K.REACTIVATED: "reactivate",
    K.EXPIRED: "expire",
    K.REOPENED: "reopen",
}
# Events that change something else than the status, allowed while the ticket waits.
_IN_PLACE: Final = frozenset({K.MOVED.value, K.PRIORITY_CHANGED.value})
# Events a counter writes about the ticket it holds (a call is checked on its own).
_BY_HOLDER: Final = frozenset(
    {K.RECALLED, K.STARTED, K.FINISHED, K.NO_SHOW, K.TRANSFERRED, K.RETURNED, K.CANCELLED}
)


class ViolationKind(StrEnum):
    """Which invariant a violation breaks (see mpp_tui.db.invariants)."""

    DOUBLE_HELD = "double_held"
    TWO_ACTIVE = "two_active"
    NUMBERING = "numbering"
    REPLAY = "replay"
    LEFT_ACTIVE = "left_active"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken invariant, readable as it stands.

    Attributes:
        kind: the invariant broken.
        hall: the hall's code.
        day: the business date of the tickets concerned.
        message: what is wrong, in a sentence (English: a diagnostic for an admin).
        ticket: the ticket's display code, when one ticket is concerned.
        ticket_id: its id.
        counter: the counter's code, when a counter is concerned.
    """

    kind: ViolationKind
    hall: str
    day: date
    message: str
    ticket: str | None = None
    ticket_id: int | None = None
    counter: str | None = None

    def __str__(self) -> str:
        return f"{self.hall} {self.day.isoformat()} {self.kind.value}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The violation as JSON-ready values."""
        return {
            "kind": self.kind.value,
            "hall": self.hall,
            "day": self.day.isoformat(),
            "ticket": self.ticket,
            "ticket_id": self.ticket_id,
            "counter": self.counter,
            "message": self.message,
        }


class DayChecks:
    """The checks of one hall's business day, over rows already read."""

    def __init__(self, hall: str, day: date, counters: Mapping[int, str]) -> None:
        self.hall, self.day, self.counters = hall, day, counters

    def counter(self, counter_id: int | None) -> str:
        if counter_id is None:
            return "no counter"
        return self.counters.get(counter_id, f"counter #{counter_id}")

    def violation(
        self, kind: ViolationKind, message: str, ticket: Any = None, counter: int | None = None
    ) -> Violation:
        return Violation(
            kind,
            self.hall,
            self.day,
            message,
            ticket=None if ticket is None else ticket.code,
            ticket_id=None if ticket is None else int(ticket.id),
            counter=None if counter is None else self.counter(counter),
        )

    def check(
        self,
        tickets: Sequence[Any],
        events: Sequence[Any],
        running: Mapping[str, int],
        *,
        day_over: bool,
    ) -> list[Violation]:
        chains: dict[int, list[Any]] = defaultdict(list)
        for event in events:
            chains[event.ticket_id].append(event)
        found = self.numbering(tickets, running)
        found += self.active_per_counter(tickets)
        for ticket in tickets:
            found += self.replay(ticket, chains.get(ticket.id, []))
            if day_over and ticket.status in _ACTIVE:
                found.append(
                    self.violation(
                        ViolationKind.LEFT_ACTIVE,
                        f"{_name(ticket)} is still {ticket.status} at "
                        f"{self.counter(ticket.counter_id)} after the day",
                        ticket,
                        ticket.counter_id,
                    )
                )
        return found

    # --- numbering --------------------------------------------------------------------------

    def numbering(self, tickets: Sequence[Any], running: Mapping[str, int]) -> list[Violation]:
        found: list[Violation] = []
        by_id = {t.id: t for t in tickets}
        roots: dict[str, list[Any]] = defaultdict(list)
        children: dict[int, list[Any]] = defaultdict(list)
        for t in tickets:
            if t.code != format_code(t.prefix, t.number):
                found.append(
                    self.violation(
                        ViolationKind.NUMBERING,
                        f"{_name(t)} has number {t.prefix} {t.number}, which reads "
                        f"{format_code(t.prefix, t.number)}",
                        t,
                    )
                )
            if t.parent_id is None:
                roots[t.prefix].append(t)
            else:
                children[t.parent_id].append(t)
        for prefix in sorted(roots.keys() | running.keys()):
            found += self.prefix_numbers(prefix, roots.get(prefix, []), running.get(prefix))
        for parent_id, kids in children.items():
            parent = by_id.get(parent_id)
            for kid in kids:
                if parent is None:
                    found.append(
                        self.violation(
                            ViolationKind.NUMBERING,
                            f"{_name(kid)} is a transfer of #{parent_id}, "
                            "which is no ticket of this day",
                            kid,
                        )
                    )
                elif (kid.prefix, kid.number) != (parent.prefix, parent.number):
                    found.append(
                        self.violation(
                            ViolationKind.NUMBERING,
                            f"{_name(kid)} is a transfer of {_name(parent)} "
                            "but does not carry its number",
                            kid,
                        )
                    )
            if parent is not None and (len(kids) > 1 or parent.status != S.TRANSFERRED):
                found.append(
                    self.violation(
                        ViolationKind.NUMBERING,
                        f"{_name(parent)} is {parent.status} with {len(kids)} transfer "
                        f"{'child' if len(kids) == 1 else 'children'} "
                        f"({', '.join(_name(k) for k in kids)}): one number, two live tickets",
                        parent,
                    )
                )
        return found

    def prefix_numbers(
        self, prefix: str, roots: Sequence[Any], last: int | None
    ) -> list[Violation]:
        found: list[Violation] = []
        counts = Counter(t.number for t in roots)
        for number, times in sorted(counts.items()):
            if times > 1:
                ids = ", ".join(f"#{t.id}" for t in roots if t.number == number)
                found.append(
                    self.violation(
                        ViolationKind.NUMBERING,
                        f"{format_code(prefix, number)} was issued {times} times ({ids})",
                    )
                )
        top = max(counts, default=0)
        missing = sorted(set(range(1, top + 1)) - counts.keys())
        if missing:
            shown = ", ".join(format_code(prefix, n) for n in missing[:_SHOWN])
            more = f" and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
            found.append(
                self.violation(
                    ViolationKind.NUMBERING,
                    f"numbers of {prefix} run to {format_code(prefix, top)} but {shown}{more} "
                    f"{'was' if len(missing) == 1 else 'were'} never issued",
                )
            )
        if (last or 0) != top:
            said = "no running number" if last is None else f"the running number is {last}"
            found.append(
                self.violation(
                    ViolationKind.NUMBERING,
                    f"{said} for {prefix} but its tickets run to {top}",
                )
            )
        return found

    # --- counters ---------------------------------------------------------------------------

    def active_per_counter(self, tickets: Sequence[Any]) -> list[Violation]:
        held: dict[int, list[Any]] = defaultdict(list)
        for t in tickets:
            if t.status in _ACTIVE and t.counter_id is not None:
                held[t.counter_id].append(t)
        return [
            self.violation(
                ViolationKind.TWO_ACTIVE,
                f"{self.counter(cid)} holds {len(ts)} tickets at once: "
                + ", ".join(f"{_name(t)} {t.status}" for t in ts),
                counter=cid,
            )
            for cid, ts in sorted(held.items())
            if len(ts) > 1
        ]

    # --- the event log ----------------------------------------------------------------------

    def replay(self, ticket: Any, chain: Sequence[Any]) -> list[Violation]:
        """Replay one ticket's log: a legal chain, one holder at a time, ending in its row."""
        if not chain:
            return [self.violation(ViolationKind.REPLAY, f"{_name(ticket)} has no events", ticket)]
        found: list[Violation] = []

        def bad(kind: ViolationKind, text: str, counter: int | None = None) -> None:
            found.append(self.violation(kind, f"{_name(ticket)}: {text}", ticket, counter))

        first = chain[0]
        birth = K.ISSUED if ticket.parent_id is None else K.TRANSFERRED_IN
        if (first.kind, first.status_from, first.status_to) != (birth, None, S.WAITING):
            bad(
                ViolationKind.REPLAY,
                f"its log begins with {_move(first)}, not {birth.value} into waiting",
            )
        holder: int | None = None
        for before, event in itertools.pairwise(chain):
            if event.status_from != before.status_to:
                bad(
                    ViolationKind.REPLAY,
                    f"{_move(event)} starts from {event.status_from} "
                    f"but the ticket was {before.status_to}",
                )
            if not _legal(event):
                bad(ViolationKind.REPLAY, f"{_move(event)} is not a legal transition")
            if event.kind == K.CALLED:
                if holder is not None and event.counter_id != holder:
                    bad(
                        ViolationKind.DOUBLE_HELD,
                        f"{self.counter(event.counter_id)} called it (event #{event.id}) "
                        f"while {self.counter(holder)} held it",
                        event.counter_id,
                    )
                holder = event.counter_id
            elif (
                event.kind in _BY_HOLDER
                and holder is not None
                and event.counter_id is not None
                and event.counter_id != holder
            ):
                bad(
                    ViolationKind.DOUBLE_HELD,
                    f"{self.counter(event.counter_id)} wrote {_move(event)} "
                    f"while {self.counter(holder)} held it",
                    event.counter_id,
                )
            if event.status_to not in _ACTIVE:
                holder = None
        last = chain[-1]
        if last.status_to != ticket.status:
            bad(
                ViolationKind.REPLAY,
                f"it is {ticket.status} but its log ends in {last.status_to}",
            )
        elif ticket.status in _ACTIVE and ticket.counter_id != holder:
            bad(
                ViolationKind.REPLAY,
                f"its row says {self.counter(ticket.counter_id)} holds it but its log says "
                f"{self.counter(holder)}",
                ticket.counter_id,
            )
        return found


def _legal(event: Any) -> bool:
    """Whether an event after the first is a move the rules allow."""
    if event.kind in _IN_PLACE:
        return bool(event.status_from == event.status_to == S.WAITING)
    action = EVENT_ACTIONS.get(event.kind)
    if action is None:
        return False
    sources, target = TRANSITIONS[action]
    return event.status_from in sources and event.status_to == target


def _name(ticket: Any) -> str:
    return f"{ticket.code} (#{ticket.id})"


def _move(event: Any) -> str:
    return f"{event.kind} #{event.id} ({event.status_from or '-'} → {event.status_to})"


__all__ = ["EVENT_ACTIONS", "DayChecks", "Violation", "ViolationKind"]
