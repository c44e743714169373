"""Rich tables for the plain-terminal commands."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table

from mpp_tui.domain.views import CounterView, ServiceLoad, TicketView
from mpp_tui.i18n import t


def minutes_since(start: datetime | None, now: datetime) -> str:
    """Whole minutes from `start` to `now`, or a dash."""
    if start is None:
        return "—"
    return str(max(int((now - start).total_seconds() // 60), 0))


def tickets_table(title: str, tickets: list[TicketView], now: datetime, lang: str) -> Table:
    """Waiting tickets in call order."""
    table = Table(title=title, title_justify="left")
    for key in ("col.ticket", "col.service", "col.priority", "col.status", "col.waited"):
        table.add_column(t(key, lang))
    for tk in tickets:
        table.add_row(
            tk.code,
            tk.service_name_en if lang == "en" else tk.service_name,
            f"★ {tk.priority}" if tk.priority else "",
            t(f"status.{tk.status}", lang),
            t("word.minutes", lang, n=minutes_since(tk.issued_at, now)),
        )
    return table


def counters_table(counters: list[CounterView], now: datetime, lang: str) -> Table:
    """Every counter: state, officer, active ticket, served today."""
    table = Table(title=t("title.counters", lang), title_justify="left")
    for key in ("col.counter", "col.state", "col.officer", "col.active", "col.served"):
        table.add_column(t(key, lang))
    for c in counters:
        state = t(f"counter.{c.state}", lang)
        if c.pause_reason:
            state += f" ({c.pause_reason})"
        active = "—"
        if c.active is not None:
            since = c.active.started_at or c.active.called_at
            active = (
                f"{c.active.code} {t(f'status.{c.active.status}', lang)} "
                f"{t('word.minutes', lang, n=minutes_since(since, now))}"
            )
        table.add_row(f"{c.code} {c.name}", state, c.officer or "—", active, str(c.served_today))
    return table


def services_table(loads: list[ServiceLoad], lang: str) -> Table:
    """Waiting per service."""
    table = Table(title=t("title.services", lang), title_justify="left")
    for key in ("col.service", "col.agency", "col.waiting", "col.longest", "col.eta", "col.issued"):
        table.add_column(t(key, lang), justify="right" if key != "col.service" else "left")
    for s in loads:
        quota = f"{s.issued_today}/{s.daily_quota}" if s.daily_quota else str(s.issued_today)
        table.add_row(
            f"{s.prefix} {s.name_en if lang == 'en' else s.name}",
            s.agency_code,
            str(s.waiting),
            t("word.minutes", lang, n=s.longest_wait_minutes),
            t("word.minutes", lang, n=s.eta_minutes),
            quota,
        )
    return table
