"""Pure rules of the queue (mpp_tui.domain.rules): no database, no UI."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpp_tui.domain.clock import FrozenClock, business_date
from mpp_tui.domain.enums import TicketStatus as S
from mpp_tui.domain.rules import (
    NOTE_MAX,
    PIN_MAX,
    PIN_MIN,
    TRANSITIONS,
    WEEKDAYS,
    can,
    clean_note,
    estimate_wait_minutes,
    format_code,
    hours_text,
    is_open,
    next_streak,
    parse_code,
    parse_schedule,
    parse_span,
    pin_ok,
    prefer_priority,
    schedule_to_json,
    username_ok,
)

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant given as a local WIB time in November/December 2026 (30 Nov is a Monday)."""
    month, d = (11, day) if day <= 30 else (12, day - 30)
    return datetime(2026, month, d, hour, minute, tzinfo=WIB).astimezone(UTC)


# --- transitions ------------------------------------------------------------------------------

# DESIGN §3, written out independently of the code.
EXPECTED_TRANSITIONS = {
    "call": ({S.WAITING}, S.CALLED),
    "recall": ({S.CALLED}, S.CALLED),
    "start": ({S.CALLED}, S.SERVING),
    "finish": ({S.CALLED, S.SERVING}, S.DONE),
    "no_show": ({S.CALLED}, S.NO_SHOW),
    "transfer": ({S.CALLED, S.SERVING}, S.TRANSFERRED),
    "return": ({S.CALLED}, S.WAITING),
    "cancel": ({S.WAITING, S.CALLED}, S.CANCELLED),
    "reactivate": ({S.NO_SHOW, S.CANCELLED}, S.WAITING),
    "expire": ({S.WAITING}, S.EXPIRED),
    "reopen": ({S.EXPIRED}, S.WAITING),  # a day reopen, on the running day only
}


def test_transition_table_matches_design() -> None:
    """TRANSITIONS holds exactly the actions, source states and targets of DESIGN §3."""
    actual = {action: (set(sources), target) for action, (sources, target) in TRANSITIONS.items()}
    assert actual == EXPECTED_TRANSITIONS


@pytest.mark.parametrize("action", sorted(EXPECTED_TRANSITIONS))
@pytest.mark.parametrize("status", list(S))
def test_can_agrees_with_the_table(action: str, status: S) -> None:
    """can(action, status) is true exactly for the action's source states."""
    assert can(action, status) is (status in EXPECTED_TRANSITIONS[action][0])


def test_done_and_transferred_are_dead_ends() -> None:
    """No action leaves done or transferred; expired leaves only by a day reopen, no_show and
    cancelled only by reactivate."""
    for status in (S.DONE, S.TRANSFERRED):
        assert [a for a in TRANSITIONS if can(a, status)] == []
    assert [a for a in TRANSITIONS if can(a, S.EXPIRED)] == ["reopen"]
    for status in (S.NO_SHOW, S.CANCELLED):
        assert [a for a in TRANSITIONS if can(a, status)] == ["reactivate"]


def test_final_and_active_flags() -> None:
    """is_final marks the five end states; is_active only called and serving."""
    assert {s for s in S if s.is_final} == {
        S.DONE,
        S.NO_SHOW,
        S.TRANSFERRED,
        S.CANCELLED,
        S.EXPIRED,
    }
    assert {s for s in S if s.is_active} == {S.CALLED, S.SERVING}


def test_unknown_action_is_an_error() -> None:
    """can() refuses an action that is not in the table instead of answering False."""
    with pytest.raises(KeyError):
        can("teleport", S.WAITING)


# --- ticket codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "number", "code"),
    [("A", 1, "A-001"), ("A", 42, "A-042"), ("AB", 12, "AB-012"), ("Q", 999, "Q-999")],
)
def test_format_code_pads_to_three_digits(prefix: str, number: int, code: str) -> None:
    """Display codes are prefix, dash and a zero-padded three-digit number."""
    assert format_code(prefix, number) == code


def test_format_code_grows_past_999() -> None:
    """Past 999 the number is not truncated (no two tickets of a day print the same)."""
    assert format_code("A", 1000) == "A-1000"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("A-001", ("A", 1)),
        ("a1", ("A", 1)),
        ("AB 12", ("AB", 12)),
        ("ab-012", ("AB", 12)),
        ("  q-7  ", ("Q", 7)),
        ("B - 003", ("B", 3)),
        ("A1000", ("A", 1000)),
    ],
)
def test_parse_code_accepts_what_people_type(text: str, parsed: tuple[str, int]) -> None:
    """parse_code reads the printed form and the sloppy forms officers type."""
    assert parse_code(text) == parsed


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "A", "001", "A-", "-001", "ABC-1", "A--1", "A-12345", "1-A", "A-1x", "A_1", "Ä-1"],
)
def test_parse_code_rejects_junk(junk: str) -> None:
    """Malformed codes give None rather than a wrong ticket."""
    assert parse_code(junk) is None


@given(
    prefix=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=2),
    number=st.integers(min_value=1, max_value=9999),
)
def test_parse_code_inverts_format_code(prefix: str, number: int) -> None:
    """Every code mpp prints is read back to the same prefix and number."""
    assert parse_code(format_code(prefix, number)) == (prefix, number)


# --- hours ------------------------------------------------------------------------------------

TWO_SPANS = parse_schedule({"mon": ["13:00-15:00", "08:00-12:00"], "fri": ["08:00-11:00"]})


def test_parse_schedule_sorts_spans() -> None:
    """A two-span day is parsed into time pairs, earliest first, whatever the written order."""
    assert TWO_SPANS["mon"] == [(time(8), time(12)), (time(13), time(15))]
    assert TWO_SPANS["fri"] == [(time(8), time(11))]
    assert "sat" not in TWO_SPANS


@pytest.mark.parametrize(
    "bad",
    ["25:00-26:00", "08:60-09:00", "15:00-08:00", "08:00-08:00", "8-15", "08:00", "", "xx:yy-zz"],
)
def test_parse_span_rejects_bad_text(bad: str) -> None:
    """Impossible, reversed, empty and malformed spans raise ValueError."""
    with pytest.raises(ValueError, match=r"'"):
        parse_span(bad)


def test_parse_span_accepts_24_and_single_digit_hours() -> None:
    """`24:00` means end of day and `8:00` is read as 08:00."""
    assert parse_span("8:00-24:00") == (time(8), time(23, 59, 59))


def test_parse_schedule_rejects_unknown_weekday() -> None:
    """Weekday keys are mon..sun; a typo is an error naming the key."""
    with pytest.raises(ValueError, match="monday"):
        parse_schedule({"monday": ["08:00-15:00"]})


def test_schedule_round_trips_through_json() -> None:
    """schedule_to_json is the inverse of parse_schedule, including 24:00."""
    raw = {"mon": ["08:00-12:00", "13:00-15:00"], "sat": ["20:00-24:00"]}
    assert schedule_to_json(parse_schedule(raw)) == raw


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (wib(30, 7, 59), False),
        (wib(30, 8, 0), True),
        (wib(30, 11, 59), True),
        (wib(30, 12, 0), False),  # the end of a span is exclusive
        (wib(30, 12, 30), False),  # midday break
        (wib(30, 13, 0), True),
        (wib(30, 14, 59), True),
        (wib(30, 15, 0), False),
        (wib(31, 9, 0), False),  # Tuesday: no key, closed
        (wib(34, 10, 59), True),  # Friday
        (wib(34, 11, 0), False),
    ],
)
def test_is_open_with_a_two_span_day(at: datetime, expected: bool) -> None:
    """is_open follows both spans of Monday, the gap between them, and closed days."""
    assert is_open(TWO_SPANS, at, WIB) is expected


def test_is_open_uses_the_local_weekday() -> None:
    """Sunday 20:00 UTC is Monday 03:00 WIB: the Monday schedule applies, not Sunday's."""
    schedule = parse_schedule({"mon": ["00:00-24:00"]})
    sunday_utc = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    assert is_open(schedule, sunday_utc, WIB)
    assert not is_open(schedule, sunday_utc, ZoneInfo("UTC"))


def test_hours_text_lists_every_span_or_says_closed() -> None:
    """hours_text shows both spans of a two-span day and the closed word on a day off."""
    assert hours_text(TWO_SPANS, wib(30, 18), WIB, "tutup") == "08:00–12:00, 13:00–15:00"
    assert hours_text(TWO_SPANS, wib(34, 9), WIB, "tutup") == "08:00–11:00"
    assert hours_text(TWO_SPANS, wib(32, 9), WIB, "tutup") == "tutup"


def test_business_date_is_the_local_date() -> None:
    """At 17:30 UTC on the 30th it is already the 1st of December in WIB."""
    at = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    assert business_date(at, "Asia/Jakarta") == date(2026, 12, 1)
    assert business_date(at, WIB) == date(2026, 12, 1)
    assert business_date(at, "UTC") == date(2026, 11, 30)


def test_frozen_clock_only_moves_when_told() -> None:
    """FrozenClock refuses naive times, stays put, and advances by exactly the delta."""
    with pytest.raises(ValueError, match="timezone-aware"):
        FrozenClock(datetime(2026, 11, 30, 9, 0))  # noqa: DTZ001
    clock = FrozenClock(wib(30, 9))
    assert clock.now() == clock.now() == wib(30, 9)
    assert clock.advance(minutes=5) == wib(30, 9, 5)
    assert clock.now().utcoffset() == timedelta(0)


# --- ordering ---------------------------------------------------------------------------------


def test_prefer_priority_with_burst() -> None:
    """With N=3, priority is preferred after 0, 1 and 2 consecutive priority calls, not after 3."""
    assert [prefer_priority(s, 3) for s in range(6)] == [True, True, True, False, False, False]


def test_prefer_priority_strict_when_zero() -> None:
    """N=0 is strict priority: priority is always preferred."""
    assert all(prefer_priority(s, 0) for s in range(100))


def test_next_streak_counts_priority_calls_and_resets() -> None:
    """A priority call extends the streak; a regular call resets it to zero."""
    assert next_streak(0, True) == 1
    assert next_streak(2, True) == 3
    assert next_streak(3, False) == 0
    assert next_streak(0, False) == 0


def test_anti_starvation_lets_one_regular_through_every_n() -> None:
    """With both kinds always waiting and N=3, the call pattern is P P P R P P P R …"""
    streak, calls = 0, []
    for _ in range(8):
        priority = prefer_priority(streak, 3)
        calls.append("P" if priority else "R")
        streak = next_streak(streak, priority)
    assert "".join(calls) == "PPPRPPPR"


# --- estimates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ahead", "counters", "avg", "minutes"),
    [
        (0, 3, 10.0, 0),
        (-2, 3, 10.0, 0),
        (1, 1, 10.0, 10),
        (5, 2, 10.0, 30),  # ceil(5/2) rounds of 10 minutes
        (5, 0, 10.0, 50),  # nobody open yet: assume one counter
        (3, 1, 2.5, 8),  # 7.5 rounded up
        (4, 1, 0.2, 4),  # at least a minute per person
        (6, 6, 7.0, 7),
    ],
)
def test_estimate_wait_minutes(ahead: int, counters: int, avg: float, minutes: int) -> None:
    """The estimate is rounds of service (ahead / open counters, rounded up) times the average."""
    assert estimate_wait_minutes(ahead, counters, avg) == minutes


@given(
    ahead=st.integers(0, 500),
    counters=st.integers(0, 20),
    avg=st.floats(0, 240, allow_nan=False),
)
def test_estimate_is_monotonic(ahead: int, counters: int, avg: float) -> None:
    """One more person ahead never shortens the wait; one more open counter never lengthens it."""
    base = estimate_wait_minutes(ahead, counters, avg)
    assert base >= 0
    assert estimate_wait_minutes(ahead + 1, counters, avg) >= base
    assert estimate_wait_minutes(ahead, counters + 1, avg) <= base
    assert (base == 0) is (ahead == 0)


# --- officers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["4821", "7305", "9164", "90210", "13579", "2468", "48213705"])
def test_pin_ok_accepts_reasonable_pins(pin: str) -> None:
    """Four to eight digits that are not trivial pass."""
    assert pin_ok(pin)


@pytest.mark.parametrize(
    "pin",
    [
        "0000",
        "1111",
        "99999999",  # one repeated digit
        "1234",
        "12345678",
        "4321",
        "87654321",
        "0123",
        "9012",
        "3210",  # straight runs, also wrapping past 9
        "1212",
        "2580",
        "6969",  # well-known trivial PINs
        "482",
        "482137059",  # too short, too long
        "48a1",
        " 4821",
        "4821\n",
        "",
        "４８２１",  # fullwidth digits are not ASCII
    ],
)
def test_pin_ok_rejects_trivial_and_malformed(pin: str) -> None:
    """Repeated digits, straight runs, well-known PINs, wrong lengths and non-digits fail."""
    assert not pin_ok(pin)


def test_pin_length_bounds() -> None:
    """The bounds the error message quotes are the bounds pin_ok applies."""
    assert (PIN_MIN, PIN_MAX) == (4, 8)
    assert pin_ok("4829"[:PIN_MIN])
    assert pin_ok("48291735"[:PIN_MAX])


@pytest.mark.parametrize(
    "name", ["budi", "spv", "budi.santoso", "sari_dewi", "a_1", "0abc", "x" * 32]
)
def test_username_ok_accepts(name: str) -> None:
    """Lower-case letters, digits, dot and underscore, 3 to 32 long, pass."""
    assert username_ok(name)


@pytest.mark.parametrize(
    "name",
    ["", "ab", "Budi", ".budi", "_budi", "budi santoso", "budi-s", "x" * 33, "budí", "budi\n"],
)
def test_username_ok_rejects(name: str) -> None:
    """Too short or long, upper case, leading punctuation, spaces, dashes, non-ASCII fail."""
    assert not username_ok(name)


# --- notes ------------------------------------------------------------------------------------


def test_clean_note_removes_every_control_character() -> None:
    """ESC, bell, CR, C1 CSI and bidi overrides cannot reach a terminal; newlines stay."""
    dirty = "Berkas\x1b[2J kurang\x07\r\n\x9b31mKK\u202e lama"
    cleaned = clean_note(dirty)
    assert cleaned is not None
    assert all(ch == "\n" or ch.isprintable() for ch in cleaned)
    for bad in ("\x1b", "\x07", "\r", "\x9b", "\u202e"):
        assert bad not in cleaned
    assert cleaned.startswith("Berkas")
    assert "kurang" in cleaned
    assert cleaned.endswith("lama")
    assert "\n" in cleaned


def test_clean_note_strips_whole_escape_sequences() -> None:
    """A CSI sequence such as "\\x1b[2J" (clear screen) is removed whole, not just its ESC."""
    assert clean_note("KK\x1b[2J hilang") == "KK hilang"
    assert clean_note("\x1b[31mmerah\x1b[0m") == "merah"


@pytest.mark.parametrize("note", [None, "", "   ", "\x1b", "\n\t\x00 "])
def test_clean_note_empty_becomes_none(note: str | None) -> None:
    """Nothing left after cleaning means no note at all."""
    assert clean_note(note) is None


def test_clean_note_trims_but_keeps_inner_text() -> None:
    """Surrounding space goes; inner text, punctuation and Indonesian letters stay."""
    assert clean_note("  KTP hilang, lapor polisi dulu.  ") == "KTP hilang, lapor polisi dulu."
    long = "x" * (NOTE_MAX + 10)
    assert clean_note(long) == long  # length is the service layer's concern


def test_weekdays_start_on_monday() -> None:
    """WEEKDAYS follows datetime.weekday(): index 0 is Monday."""
    assert WEEKDAYS[wib(30, 9).astimezone(WIB).weekday()] == "mon"
