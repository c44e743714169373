"""The audit log: every admin action, written in the same transaction as the action itself.

`record()` is called by the services that do admin actions (accounts, reference data, day close
and reopen, restore); `Audit` reads the log for `mpp audit`. The table is append-only in the
database (migration 0006); on PostgreSQL its trigger stamps the writing role and client address.
"""

from __future__ import annotations

import getpass
import socket
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, insert, select

from mpp_tui.db.tables import AUDIT_LOG, OFFICER
from mpp_tui.domain.views import AuditEntry
from mpp_tui.services.context import ServiceContext

AU = AUDIT_LOG
SECRET_FIELDS = frozenset({"pin", "pin_hash"})


@cache
def _host() -> str:
    return socket.gethostname()[:120] or "?"


@cache
def _os_user() -> str:
    try:
        return getpass.getuser()[:63]
    except (KeyError, OSError):  # no passwd entry for this uid (containers)
        return "?"


def _clean(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Values for the log: a PIN or hash is written as "set" or "changed", never as itself."""
    if values is None:
        return None
    return {
        k: (v if v in ("set", "changed") else "changed") if k in SECRET_FIELDS else v
        for k, v in values.items()
    }


def record(
    ctx: ServiceContext,
    conn: Connection,
    *,
    action: str,
    target: str,
    actor: Any | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write one audit row in the caller's transaction.

    Args:
        action: a dotted name (`officer.add`).
        target: what it concerns (username, date, hall code).
        actor: the acting officer's row (with `id` and `username`), None for the owner.
    """
    conn.execute(
        insert(AU).values(
            hall_id=ctx.ref().hall_id,
            at=ctx.now(),
            actor_id=actor.id if actor is not None else None,
            actor=actor.username if actor is not None else "",
            action=action,
            target=target[:120],
            host=_host(),
            # On PostgreSQL the trigger overwrites both with what the server knows.
            db_user=_os_user(),
            client_addr="local",
            before=_clean(before),
            after=_clean(after),
        )
    )


class Audit:
    """Reads of the hall's audit log."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def note(
        self,
        *,
        action: str,
        target: str,
        by: str | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Record an admin action done outside the services (loading reference data, granting a
        role, restoring a backup), in its own transaction.

        Args:
            by: the signed-in officer who did it; None for the owner acting without one.
        """

        def work(conn: Connection) -> None:
            actor = None
            if by is not None:
                actor = conn.execute(
                    select(OFFICER.c.id, OFFICER.c.username).where(
                        OFFICER.c.hall_id == self.ctx.ref().hall_id, OFFICER.c.username == by
                    )
                ).one()
            record(
                self.ctx,
                conn,
                action=action,
                target=target,
                actor=actor,
                before=before,
                after=after,
            )

        self.ctx.write(work)

    def entries(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        action: str | None = None,
        limit: int = 500,
    ) -> list[AuditEntry]:
        """The newest entries first, optionally between two business dates (inclusive) and of
        actions starting with `action` (`officer` matches `officer.add`, `officer.disable`…)."""
        tz = self.ctx.ref().tz
        query = select(AU).where(AU.c.hall_id == self.ctx.ref().hall_id)
        if since is not None:
            query = query.where(AU.c.at >= datetime.combine(since, time(), tz))
        if until is not None:
            query = query.where(AU.c.at < datetime.combine(until + timedelta(days=1), time(), tz))
        if action:
            query = query.where(AU.c.action.startswith(action, autoescape=True))
        query = query.order_by(AU.c.at.desc(), AU.c.id.desc()).limit(limit)
        with self.ctx.read() as conn:
            return [
                AuditEntry(
                    id=r.id,
                    at=r.at,
                    actor=r.actor,
                    action=r.action,
                    target=r.target,
                    host=r.host,
                    db_user=r.db_user,
                    client_addr=r.client_addr,
                    before=r.before,
                    after=r.after,
                )
                for r in conn.execute(query)
            ]
