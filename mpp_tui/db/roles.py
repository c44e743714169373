"""PostgreSQL: what a hall's daily role may do (docs/security.md), applied by `mpp grant`.

The daily role is the credential on every counter, kiosk, board and supervisor PC. It may do the
hall's daily work and nothing more: read the hall's tables (officers without their PIN hash or
failure count), issue and move tickets, open and close counters, add events and survey answers,
close past business days, and sign in through `mpp_sign_in`. It may not write `officer`, the
reference tables, `audit_log`, `hall_role` or `alembic_version`, nor change a trigger (only a
table's owner may). Row-level security (migration 0006) limits it to the hall `hall_role` names.

Run as the owner after `mpp init` and after every upgrade; it starts from nothing, so running it
again is safe.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

READ_ONLY = (
    "hall",
    "agency",
    "service",
    "counter",
    "counter_service",
    "outcome",
    "priority_category",
    "ticket",
    "ticket_event",
    "counter_event",
    "survey_response",
    "number_counter",
    "day_close",
    "sim_clock",
    "hall_role",
    "alembic_version",
)
OFFICER_COLUMNS = ("id", "hall_id", "username", "full_name", "role", "active", "locked_until")
WRITES = (
    "GRANT INSERT, UPDATE ON ticket, number_counter TO {role}",
    "GRANT UPDATE ON counter TO {role}",
    # Issuing locks the agency's row while it counts the agency's quota; PostgreSQL lets only a
    # role that may update a table lock its rows. `sort` is merely the kiosk's display order.
    "GRANT UPDATE (sort) ON agency TO {role}",
    "GRANT INSERT ON day_close TO {role}",
    "GRANT UPDATE (expired) ON day_close TO {role}",
    "GRANT INSERT ON ticket_event, counter_event, survey_response TO {role}",
    "GRANT USAGE ON SEQUENCE ticket_id_seq, ticket_event_id_seq, counter_event_id_seq, "
    "survey_response_id_seq TO {role}",
    "GRANT EXECUTE ON FUNCTION mpp_pin_salt(integer, text), "
    "mpp_sign_in(integer, text, text) TO {role}",
)


def daily_grants(role: str) -> list[str]:
    """The statements that give `role` exactly the daily work (after taking everything away)."""
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"not a plain role name: {role!r}")
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {role}",
        f"GRANT SELECT ON {', '.join(READ_ONLY)} TO {role}",
        f"GRANT SELECT ({', '.join(OFFICER_COLUMNS)}) ON officer TO {role}",
    ]
    return statements + [w.format(role=role) for w in WRITES]


def grant_daily(conn: Connection, *, role: str, hall_id: int) -> None:
    """Give `role` the daily work of hall `hall_id`, in the caller's transaction (as the owner)."""
    for statement in daily_grants(role):
        conn.execute(text(statement))
    conn.execute(
        text(
            "INSERT INTO hall_role (role_name, hall_id) VALUES (:role, :hall) "
            "ON CONFLICT (role_name) DO UPDATE SET hall_id = EXCLUDED.hall_id"
        ),
        {"role": role, "hall": hall_id},
    )


def role_exists(conn: Connection, role: str) -> bool:
    return (
        conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
        is not None
    )
