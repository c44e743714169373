"""Issuing a ticket at the kiosk or the greeter's desk, and printing it: two phases.

The ticket is issued first (the number is the database's), then printed. When the print
fails the ticket is voided at once with its own event, so the queue never holds a number that
no visitor has; the screen says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mpp_tui.domain.errors import DatabaseUnavailable, MppError
from mpp_tui.domain.views import IssuedTicket, KioskMenu, KioskService
from mpp_tui.i18n import formats, t
from mpp_tui.tui.backend import Backend

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Issued:
    """What the screen shows after issuing: the ticket and what happened at the printer."""

    ticket: IssuedTicket | None  # None: no ticket is held (refused, or voided after a failed print)
    printed: bool | None  # None: no printer; False: the print failed
    problem: str | None = None  # what to tell the visitor when something went wrong


def rupiah(amount: int, lang: str) -> str:
    """A fee as visitors read it: "Gratis" or "Rp30.000"."""
    if amount <= 0:
        return t("kiosk.free", lang)
    return formats(lang).rupiah(amount)


def issue_and_print(
    backend: Backend,
    menu: KioskMenu,
    svc: KioskService,
    priority: str | None,
    *,
    source: str,
    lang: str,
) -> Issued:
    """Issue a ticket for `svc`; print it when a printer is configured (runs in a worker)."""
    queue = backend.hall
    try:
        issued = queue.issuing.issue_ticket(service=svc.code, priority=priority, source=source)
    except DatabaseUnavailable as exc:  # visitors see no host, user or driver text
        log.warning("kiosk could not issue: %s", exc)
        return Issued(None, None, t("err.public_unavailable", lang))
    except MppError as exc:
        return Issued(None, None, exc.message(lang))
    if backend.printer is None:
        return Issued(issued, None)
    from mpp_tui.devices.printer import PrintFailed, TicketSlip

    ticket = issued.ticket
    label = None
    for category in menu.priorities:
        if category.code == ticket.priority:
            label = category.name.pick(lang)
    agency = next((a for a in menu.agencies if a.code == svc.agency_code), None)
    slip = TicketSlip(
        hall_name=menu.hall_name,
        code=ticket.code,
        service_name=ticket.service_label.pick(lang),
        agency_name=agency.short_name if agency else ticket.agency_name,
        issued_at=ticket.issued_at.astimezone(queue.ref().tz),
        ahead=issued.ahead,
        eta_minutes=issued.eta_minutes,
        priority_label=label,
        lang=lang,
    )
    try:
        backend.printer.print_ticket(slip)
    except PrintFailed as exc:
        log.warning("ticket %s not printed: %s", ticket.code, exc)
        try:
            queue.issuing.void_unprinted(ticket_id=ticket.id, reason=str(exc))
        except MppError as void_error:  # e.g. already called: the visitor must keep the number
            log.error("ticket %s could not be voided: %s", ticket.code, void_error)
            return Issued(issued, False, t("kiosk.print_failed_kept", lang, code=ticket.code))
        return Issued(None, False, t("kiosk.print_failed", lang))
    return Issued(issued, True)
