"""Numbers, times, dates, durations and plurals as each language writes them (mpp_tui.i18n)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from mpp_tui.i18n import MESSAGES, ClockText, ClockTime, duration, formats, t

ID, EN = formats("id"), formats("en")


def test_integers_and_decimals() -> None:
    """Indonesian groups digits with dots and marks decimals with a comma; English the reverse."""
    assert (ID.integer(1234567), EN.integer(1234567)) == ("1.234.567", "1,234,567")
    assert (ID.integer(7), EN.integer(7)) == ("7", "7")
    assert (ID.decimal(1234.5), EN.decimal(1234.5)) == ("1.234,5", "1,234.5")
    assert (ID.decimal(2.25, 2), EN.decimal(0.0)) == ("2,25", "0.0")
    assert (ID.percent(0.875, 1), EN.percent(0.875, 1)) == ("87,5%", "87.5%")
    assert (ID.rupiah(30000), EN.rupiah(30000)) == ("Rp30.000", "Rp30,000")


def test_clock_times() -> None:
    """A 24-hour clock in both languages: 08.05 in Indonesian, 08:05 in English."""
    assert (ID.clock(time(8, 5)), EN.clock(time(8, 5))) == ("08.05", "08:05")
    moment = datetime(2026, 3, 2, 1, 5, 9, tzinfo=UTC)  # 08:05:09 in Jakarta
    jakarta = ZoneInfo("Asia/Jakarta")
    assert ID.local_clock(moment, jakarta, seconds=True) == "08.05.09"
    assert EN.local_clock(moment, jakarta) == "08:05"
    assert EN.local_clock(None, jakarta) == ""


def test_opening_hours_text_is_converted() -> None:
    """Canonical HH:MM in a view's text is written the reader's way; other digits are kept."""
    assert ID.clocks_in("08:00–12:00, 13:00–15:30") == "08.00–12.00, 13.00–15.30"
    assert EN.clocks_in("08:00–12:00") == "08:00–12:00"
    assert ClockText("08:00–15:00").render("id") == "08.00–15.00"
    assert ClockTime(time(16, 30)).render("en") == "16:30"


def test_long_dates() -> None:
    """Day and month names in each language, day before month."""
    assert ID.long_date(date(2026, 11, 30)) == "Senin, 30 November 2026"
    assert EN.long_date(date(2026, 8, 2)) == "Sunday, 2 August 2026"


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, ""), (-3, "0:00"), (42, "0:42"), (725, "12:05"), (4325, "72:05")]
)
def test_durations_are_minutes_and_seconds(seconds: float | None, text: str) -> None:
    """A duration is always m:ss (the column header says so), never folded into hours."""
    assert duration(seconds) == text


def test_plural_forms() -> None:
    """English picks "ticket" or "tickets" by the count; Indonesian has one form."""
    assert [EN.plural(n, "# ticket", "# tickets") for n in (0, 1, 2)] == [
        "0 tickets",
        "1 ticket",
        "2 tickets",
    ]
    assert ID.plural(1, "# tiket", "# tiket") == "1 tiket"
    assert EN.plural(1234, "# row", "# rows") == "1,234 rows"


def test_messages_use_the_plural_syntax() -> None:
    """`{n:# x|# xs}` in a message is filled by the language's rule and digit groups."""
    assert t("log.title", "en", date="2026-03-02", n=1) == "Daily log 2026-03-02 · 1 ticket"
    assert t("log.title", "en", date="2026-03-02", n=1500) == "Daily log 2026-03-02 · 1,500 tickets"
    assert t("log.title", "id", date="2026-03-02", n=1500) == "Log harian 2026-03-02 · 1.500 tiket"
    assert t("cli.day_closed", "en", date="d", count=1) == "Day d closed: 1 ticket expired."
    # a value that is not a number (already formatted) takes the plural form as given
    assert t("cli.restore_tickets", "en", n="—") == "It holds — tickets."


def test_error_times_follow_the_language() -> None:
    """Locked-until times in an error render per language."""
    from mpp_tui.domain.errors import AuthError

    err = AuthError("err.account_locked", officer="budi", until=ClockTime(time(9, 30)))
    assert "09.30" in err.message("id")
    assert "09:30" in err.message("en")


def test_no_english_message_says_one_with_a_plural_noun() -> None:
    """English messages counting things use the plural syntax (no "{n} tickets" left)."""
    import re

    bare = re.compile(r"\{\w+\} (tickets|rows|seconds|counters|visits|calls|events)\b")
    assert sorted(k for k, (_, en) in MESSAGES.items() if bare.search(en)) == []
