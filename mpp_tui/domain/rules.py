"""Pure rules of the queue: transitions, numbering, hours, ordering, estimates, PIN policy."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mpp_tui.domain.enums import Role
from mpp_tui.domain.enums import TicketStatus as S

if TYPE_CHECKING:
    from mpp_tui.domain.views import AccountState

# action -> (states it may start from, state it ends in). `recall` keeps `called`.
TRANSITIONS: dict[str, tuple[frozenset[S], S]] = {
    "call": (frozenset({S.WAITING}), S.CALLED),
    "recall": (frozenset({S.CALLED}), S.CALLED),
    "start": (frozenset({S.CALLED}), S.SERVING),
    "finish": (frozenset({S.CALLED, S.SERVING}), S.DONE),
    "no_show": (frozenset({S.CALLED}), S.NO_SHOW),
    "transfer": (frozenset({S.CALLED, S.SERVING}), S.TRANSFERRED),
    "return": (frozenset({S.CALLED}), S.WAITING),
    "cancel": (frozenset({S.WAITING, S.CALLED}), S.CANCELLED),
    "reactivate": (frozenset({S.NO_SHOW, S.CANCELLED}), S.WAITING),
    "expire": (frozenset({S.WAITING}), S.EXPIRED),
    "reopen": (frozenset({S.EXPIRED}), S.WAITING),  # day reopen, the running day only
}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TICKET_CODE = re.compile(r"^\s*([A-Za-z]{1,2})\s*-?\s*(\d{1,4})\s*$")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._]{2,31}$")
PIN_MIN, PIN_MAX = 4, 8
NOTE_MAX = 500
# A counter's pause reason and a session's close reason are kept in 200-character columns; a
# pause for "lainnya" keeps its note after the reason ("lainnya: …").
REASON_MAX = 200
PAUSE_NOTE_MAX = REASON_MAX - len("lainnya: ")
# Whole terminal escape sequences (CSI, OSC, two-byte), so no fragment like "[2J" survives.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def can(action: str, status: S) -> bool:
    """Whether `action` is legal from `status`."""
    sources, _ = TRANSITIONS[action]
    return status in sources


def format_code(prefix: str, number: int) -> str:
    """Display code of a ticket: prefix, dash, at least three digits (`A-001`)."""
    return f"{prefix}-{number:03d}"


def parse_code(code: str) -> tuple[str, int] | None:
    """Split `A-001`, `a1`, `AB 12` into (prefix, number); None when malformed."""
    m = TICKET_CODE.match(code)
    if m is None:
        return None
    return m.group(1).upper(), int(m.group(2))


# --- hours ------------------------------------------------------------------------------------

Span = tuple[time, time]
Schedule = Mapping[str, Sequence[Span]]


def parse_span(text: str) -> Span:
    """Parse `08:00-15:00` into a (start, end) pair; raises ValueError when malformed."""
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if m is None:
        raise ValueError(f"'{text}' is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if not (0 <= h1 <= 23 and 0 <= h2 <= 24 and 0 <= m1 <= 59 and 0 <= m2 <= 59):
        raise ValueError(f"'{text}' has an impossible time")
    start = time(h1, m1)
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(f"'{text}' ends before it starts")
    return start, end


def parse_schedule(raw: Mapping[str, Iterable[str]]) -> dict[str, list[Span]]:
    """Parse `{"mon": ["08:00-12:00", "13:00-15:00"]}`; unknown weekday keys raise ValueError."""
    out: dict[str, list[Span]] = {}
    for day, spans in raw.items():
        if day not in WEEKDAYS:
            raise ValueError(f"'{day}' is not a weekday key ({', '.join(WEEKDAYS)})")
        out[day] = sorted(parse_span(s) for s in spans)
    return out


def schedule_to_json(schedule: Mapping[str, Sequence[Span]]) -> dict[str, list[str]]:
    """The inverse of :func:`parse_schedule`, for storage."""
    return {
        day: [f"{a:%H:%M}-{'24:00' if b == time(23, 59, 59) else f'{b:%H:%M}'}" for a, b in spans]
        for day, spans in schedule.items()
    }


def is_open(schedule: Schedule, at: datetime, tz: ZoneInfo) -> bool:
    """Whether `at` falls inside the schedule, in local time `tz`."""
    local = at.astimezone(tz)
    spans = schedule.get(WEEKDAYS[local.weekday()], ())
    now = local.time()
    return any(start <= now < end for start, end in spans)


def hours_text(schedule: Schedule, at: datetime, tz: ZoneInfo, closed_word: str) -> str:
    """Today's hours as text (`08:00–15:00`), or `closed_word`."""
    local = at.astimezone(tz)
    spans = schedule.get(WEEKDAYS[local.weekday()], ())
    if not spans:
        return closed_word
    return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in spans)


# --- ordering ---------------------------------------------------------------------------------


def prefer_priority(streak: int, burst: int) -> bool:
    """Whether the next call at a counter should prefer priority tickets.

    Args:
        streak: consecutive priority tickets this counter has called.
        burst: the hall's anti-starvation N; 0 means strict priority.

    Returns:
        False when the counter has called `burst` priority tickets in a row, so one regular
        ticket (if any waits) goes next; True otherwise.
    """
    return burst <= 0 or streak < burst


def next_streak(streak: int, called_priority: bool) -> int:
    """The counter's priority streak after a call."""
    return streak + 1 if called_priority else 0


# --- estimates --------------------------------------------------------------------------------


def estimate_wait_minutes(ahead: int, open_counters: int, avg_service_minutes: float) -> int:
    """Estimated wait for a newcomer with `ahead` people in front.

    Counters serving the service work in parallel; with none open the estimate assumes one
    will open, so the figure is never infinite.
    """
    if ahead <= 0:
        return 0
    servers = max(open_counters, 1)
    return math.ceil(math.ceil(ahead / servers) * max(avg_service_minutes, 1.0))


# --- officers ---------------------------------------------------------------------------------

# Well-known PINs no other rule catches: keypad columns (2580, 0852, 3690, 0963), pairs.
_COMMON_PINS = frozenset({"2580", "0852", "3690", "0963", "1004", "1122", "2211", "6969"})
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def pin_problem(pin: str) -> str | None:
    """Why `pin` breaks the PIN policy, as a catalog key (`pin.why.*`); None when it is fine.

    The policy: PIN_MIN..PIN_MAX ASCII digits; not one repeated digit (0000); not a straight
    run up or down, wrapping past 9 (1234, 4321, 8901); not a block said again (1212, 123123);
    not a four-digit year 19xx/20xx (a birth year is the first guess); not a well-known PIN.
    """
    if not (pin.isascii() and pin.isdigit()):
        return "pin.why.digits"
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        return "pin.why.length"
    if len(set(pin)) == 1:
        return "pin.why.one_digit"
    if {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)} in ({1}, {9}):
        return "pin.why.run"
    if any(pin == pin[:n] * (len(pin) // n) for n in range(2, len(pin) // 2 + 1)):
        return "pin.why.repeated"
    if _YEAR.fullmatch(pin):
        return "pin.why.year"
    if pin in _COMMON_PINS:
        return "pin.why.common"
    return None


def pin_ok(pin: str) -> bool:
    """Whether `pin` follows the PIN policy (see :func:`pin_problem`)."""
    return pin_problem(pin) is None


def username_ok(username: str) -> bool:
    """Usernames: 3–32 of lower-case letters, digits, dot, underscore."""
    return USERNAME.fullmatch(username) is not None


@dataclass(frozen=True)
class LockoutPolicy:
    """How many wrong PINs lock an account, and for how long."""

    attempts: int = 5
    minutes: int = 5


SESSION_EXPIRE_MINUTES = 10
"""A counter session whose screen has been silent this long has expired (the screen beats
every 30 s; ten minutes of silence is a crashed or switched-off PC, not a network blink)."""


def session_expired(
    last_seen: datetime | None,
    since: datetime | None,
    now: datetime,
    minutes: int = SESSION_EXPIRE_MINUTES,
) -> bool:
    """Whether a counter session has expired: no heartbeat and no sign-in or state change
    (whichever is latest) for `minutes`. A session with neither stamp has expired."""
    stamps = [s for s in (last_seen, since) if s is not None]
    return not stamps or now - max(stamps) > timedelta(minutes=minutes)


def session_end(signed_in_as: Role, account: AccountState) -> str | None:
    """Why a screen signed in as `signed_in_as` must sign out, now that its officer's account
    reads `account`: a catalogue key, or None while the session may go on.

    Disabled, or given another role (either way: what the screen offers was decided by the
    old account), the session ends. A lock does not end it: wrong PINs typed at another PC
    lock the account against new sign-ins only, so a guesser cannot halt a working counter.
    """
    if not account.active:
        return "tui.session.disabled"
    if account.role is not signed_in_as:
        return "tui.session.role_changed"
    return None


def clean_note(note: str | None) -> str | None:
    """Strip control characters (terminal escapes) and surrounding space from a free-text note."""
    if note is None:
        return None
    cleaned = _ESCAPES.sub("", note)
    cleaned = "".join(ch for ch in cleaned if ch == "\n" or ch.isprintable())
    cleaned = cleaned.strip()
    return cleaned or None


def visible(text: str) -> str:
    """`text` on one line with every control character written out (newline as `\\n`, ESC as
    `\\x1b`, a bidi override as `\\u202e`), for echoing what someone typed in a message: the
    reader sees what was typed, and the terminal or log file receives no control codes."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
