"""Rich tables for the plain-terminal commands."""

from __future__ import annotations

from datetime import datetime

from rich.console import RenderableType
from rich.table import Table

from mpp_tui.domain.overview_views import HallOverview
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
            tk.service_label.pick(lang),
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
            f"{s.prefix} {s.label.pick(lang)}",
            s.agency_code,
            str(s.waiting),
            t("word.minutes", lang, n=s.longest_wait_minutes),
            t("word.minutes", lang, n=s.eta_minutes),
            quota,
        )
    return table


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: tuple[int, ...] | list[int]) -> str:
    """Values as a row of eighth-blocks (a space for zero), scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else SPARK[min(7, (v * 8 - 1) // top)] for v in values)


def overview_renderables(
    view: HallOverview, lang: str, *, all_services: bool = False
) -> list[RenderableType]:
    """`mpp status`: the hall's counters and queues with their flags, and today by the hour."""
    now = view.now
    counters = Table(title=t("title.counters", lang), title_justify="left")
    for key in ("col.counter", "col.state", "col.officer", "col.active", "col.served"):
        counters.add_column(t(key, lang))
    counters.add_column(t("col.avg_service", lang), justify="right")
    counters.add_column(t("col.idle", lang), justify="right")
    for load in view.counters:
        c = load.counter
        state = t(f"counter.{c.state}", lang)
        if c.pause_reason:
            state += f" ({c.pause_reason})"
        if load.offline:
            state = f"⚠ {t('counter.offline', lang)} · {state}"
        active = "—"
        if c.active is not None:
            since = c.active.started_at or c.active.called_at
            active = (
                f"{c.active.code} {t(f'status.{c.active.status}', lang)} "
                f"{t('word.minutes', lang, n=minutes_since(since, now))}"
            )
        avg = load.avg_service_seconds
        counters.add_row(
            f"{c.code} {c.name}",
            state,
            c.officer or "—",
            active,
            str(load.served_today),
            f"{avg // 60}:{avg % 60:02d}" if avg is not None else "—",
            t("word.minutes", lang, n=minutes_since(load.idle_since, now))
            if load.idle_since
            else "—",
        )
    services = Table(title=t("title.services", lang), title_justify="left")
    for key in ("col.service", "col.agency", "col.waiting", "col.longest", "col.avg_wait"):
        services.add_column(t(key, lang), justify="left" if key == "col.service" else "right")
    for key in ("col.eta", "col.issued", "col.over", "col.flags"):
        services.add_column(t(key, lang), justify="left" if key == "col.flags" else "right")
    for health in view.services:
        s = health.load
        if not (all_services or s.waiting or s.issued_today):
            continue
        flags = []
        if health.crowded:
            flags.append("▲ " + t("flag.crowded", lang))
        if health.long_wait:
            flags.append("⏱ " + t("flag.long_wait", lang))
        avg_wait = health.avg_wait_seconds
        services.add_row(
            f"{s.prefix} {s.label.pick(lang)}",
            s.agency_code,
            str(s.waiting),
            t("word.minutes", lang, n=s.longest_wait_minutes),
            t("word.minutes", lang, n=round(avg_wait / 60)) if avg_wait is not None else "—",
            t("word.minutes", lang, n=s.eta_minutes),
            f"{s.issued_today}/{s.daily_quota}" if s.daily_quota else str(s.issued_today),
            str(health.over_standard) if health.over_standard else "—",
            " ".join(flags),
        )
    hours = range(7, 18)  # the hall's working hours, with a margin
    spark = Table.grid(padding=(0, 1))
    spark.add_column()
    spark.add_column()
    spark.add_row("", "".join(f"{h:<3}" for h in hours))
    for key, values in (
        ("word.arrivals", view.arrivals_by_hour),
        ("word.calls", view.calls_by_hour),
    ):
        line = sparkline([values[h] for h in hours])
        spark.add_row(t(key, lang), "".join(f"{ch}  " for ch in line) + f" Σ {sum(values)}")
    return [counters, services, spark]
