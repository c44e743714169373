"""audit_log, the hall's PIN policy, and (PostgreSQL) sign-in checked inside the database

- `audit_log`: every admin action (accounts, PINs, reference data, day close and reopen,
  restore) with who, what, when, from which host and the values before and after; append-only
  like the event logs (migration 0004). On PostgreSQL a trigger stamps each row with the
  database role and client address that wrote it, whatever the client sent.
- `hall.pin_attempts` / `hall.pin_lock_minutes`: the lockout policy belongs to the hall, not to
  a PC's config file (a PC could otherwise give itself unlimited guesses).
- PostgreSQL: `mpp_pin_salt` and `mpp_sign_in`, SECURITY DEFINER functions owned by the role
  that migrates (the owner). A counter PC's daily role cannot read `officer.pin_hash` or write
  `officer` at all (docs/security.md); it signs in by sending the argon2 hash it computed from the
  typed PIN with the stored salt and parameters, and the function compares, counts failures and
  locks, using the server's clock and the hall's policy. The stored hash never leaves the server,
  and every guess goes through the counter. Existing argon2 hashes keep working unchanged.
- PostgreSQL: halls isolated on one server. `hall_role` binds a daily role to its hall (`mpp
  grant ROLE --hall CODE` writes it); every table with a hall gets row-level security, so a
  daily role sees and changes only its own hall's rows. The owner owns the tables and is not
  subject to the policies. The policy's hall is an uncorrelated subquery: PostgreSQL computes
  it once per statement.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mpp_tui.db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_STAMP = """
CREATE OR REPLACE FUNCTION mpp_audit_stamp() RETURNS trigger AS $$
BEGIN
    NEW.db_user := session_user;
    NEW.client_addr := coalesce(host(inet_client_addr()), 'local');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""

# The salt and parameters of an account's argon2 hash: everything but the digest. An unknown
# username gets a made-up salt of the same shape, so the answer does not tell who exists.
PG_PIN_SALT = r"""
CREATE OR REPLACE FUNCTION mpp_pin_salt(p_hall integer, p_username text)
RETURNS TABLE(prefix text, hash_len integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT coalesce(s.prefix, f.prefix), coalesce(s.hash_len, 32)
    FROM (SELECT '$argon2id$v=19$m=65536,t=3,p=4$'
                 || rtrim(encode(substr(sha256(convert_to(p_hall || ':' || p_username, 'UTF8')),
                                        1, 16), 'base64'), '=') AS prefix) f
    LEFT JOIN (
        SELECT substring(pin_hash FROM '^(.*)\$[^$]*$') AS prefix,
               (length(substring(pin_hash FROM '\$([^$]*)$')) * 3 / 4) AS hash_len
        FROM officer WHERE hall_id = p_hall AND username = p_username
    ) s ON true
$$
"""

# One sign-in attempt: the account's row is locked while it is judged, so attempts from many
# PCs at once are counted one after the other and none slips past a lock.
PG_SIGN_IN = """
CREATE OR REPLACE FUNCTION mpp_sign_in(p_hall integer, p_username text, p_hash text)
RETURNS TABLE(outcome text, officer_id integer, locked_until timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    o record;
    tries integer;
    lock_at timestamptz;
    max_tries integer;
    lock_minutes integer;
BEGIN
    SELECT id, pin_hash, active, failed_attempts, officer.locked_until AS until INTO o
      FROM officer WHERE hall_id = p_hall AND username = p_username FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'failed'::text, NULL::integer, NULL::timestamptz;
        RETURN;
    END IF;
    IF o.until IS NOT NULL AND o.until > now() THEN
        RETURN QUERY SELECT 'locked'::text, o.id, o.until;
        RETURN;
    END IF;
    IF p_hash IS NULL OR o.pin_hash IS DISTINCT FROM p_hash THEN
        SELECT pin_attempts, pin_lock_minutes INTO max_tries, lock_minutes
          FROM hall WHERE id = p_hall;
        tries := o.failed_attempts + 1;
        lock_at := NULL;
        IF tries >= max_tries THEN
            lock_at := now() + make_interval(mins => lock_minutes);
            tries := 0;
        END IF;
        UPDATE officer SET failed_attempts = tries, locked_until = lock_at WHERE id = o.id;
        RETURN QUERY SELECT CASE WHEN lock_at IS NULL THEN 'failed' ELSE 'locked' END,
                            o.id, lock_at;
        RETURN;
    END IF;
    IF NOT o.active THEN
        RETURN QUERY SELECT 'disabled'::text, o.id, NULL::timestamptz;
        RETURN;
    END IF;
    IF o.failed_attempts <> 0 OR o.until IS NOT NULL THEN
        UPDATE officer SET failed_attempts = 0, locked_until = NULL WHERE id = o.id;
    END IF;
    RETURN QUERY SELECT 'ok'::text, o.id, NULL::timestamptz;
END;
$$
"""


HALL_TABLES = (
    "agency",
    "service",
    "officer",
    "counter",
    "outcome",
    "priority_category",
    "number_counter",
    "ticket",
    "ticket_event",
    "counter_event",
    "survey_response",
    "day_close",
    "sim_clock",
    "audit_log",
)
ROLE_HALL = "(SELECT hall_id FROM hall_role WHERE role_name = session_user)"


def _isolate_halls() -> None:
    policies = dict.fromkeys(HALL_TABLES, f"hall_id = {ROLE_HALL}")
    policies["hall"] = f"id = {ROLE_HALL}"
    policies["counter_service"] = "counter_id IN (SELECT id FROM counter)"
    for table, rule in policies.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_own_hall ON {table} USING ({rule}) WITH CHECK ({rule})")


def upgrade() -> None:
    op.add_column(
        "hall", sa.Column("pin_attempts", sa.Integer(), nullable=False, server_default="5")
    )
    op.add_column(
        "hall", sa.Column("pin_lock_minutes", sa.Integer(), nullable=False, server_default="5")
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=True),
        sa.Column("at", mpp_tui.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("host", sa.String(length=120), nullable=False),
        sa.Column("db_user", sa.String(length=63), nullable=False),
        sa.Column("client_addr", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_audit_log_hall_id_hall")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["officer.id"], name=op.f("fk_audit_log_actor_id_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_hall_at", "audit_log", ["hall_id", "at"])
    op.create_table(
        "hall_role",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_hall_role_hall_id_hall")),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_hall_role")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION mpp_refuse_event_change()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION mpp_refuse_event_change()"
        )
        op.execute(PG_STAMP)
        op.execute(
            "CREATE TRIGGER audit_log_stamp BEFORE INSERT ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION mpp_audit_stamp()"
        )
        op.execute(PG_PIN_SALT)
        op.execute(PG_SIGN_IN)
        _isolate_halls()
        # Nobody but the roles `mpp grant` names may call them.
        for fn in ("mpp_pin_salt(integer, text)", "mpp_sign_in(integer, text, text)"):
            op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {verb} refused'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*HALL_TABLES, "hall", "counter_service"):
            op.execute(f"DROP POLICY IF EXISTS {table}_own_hall ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TABLE hall_role")
        op.execute("DROP TABLE audit_log")
        op.execute("DROP FUNCTION IF EXISTS mpp_sign_in(integer, text, text)")
        op.execute("DROP FUNCTION IF EXISTS mpp_pin_salt(integer, text)")
        op.execute("DROP FUNCTION IF EXISTS mpp_audit_stamp()")
    else:
        op.drop_table("hall_role")
        op.drop_index("ix_audit_log_hall_at", table_name="audit_log")
        op.drop_table("audit_log")
    # Plain ALTER TABLE (SQLite ≥ 3.35): batch mode would rebuild `hall`, which every table
    # references.
    op.drop_column("hall", "pin_lock_minutes")
    op.drop_column("hall", "pin_attempts")
