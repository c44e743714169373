"""Sessions follow the account: a change to an officer tells every screen; idle sign-out

- PostgreSQL: disabling or enabling an officer, or changing their role, sends
  `NOTIFY mpp_events` (payload `officer:<hall>:<id>`, the same function as the event tables,
  migration 0001) in the same transaction, so the officer's screens reload within the feed's
  interval and sign out. Failed sign-ins and PIN changes update other columns and send nothing:
  a guesser typing wrong PINs must not make every screen of the hall reload. SQLite needs
  nothing: its feed polls `PRAGMA data_version`, which every commit changes.
- `hall.idle_signout_minutes`: a counter screen with no key pressed for that long, while no
  ticket is active, signs out (0 = never; from the seed file's `[hall]`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_OFFICER_NOTIFY = """
CREATE TRIGGER officer_notify AFTER UPDATE OF active, role ON officer
FOR EACH ROW
WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.role IS DISTINCT FROM NEW.role)
EXECUTE FUNCTION mpp_notify_event()
"""


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite ≥ 3.35): batch mode would rebuild `hall`, which every table
    # references.
    op.add_column(
        "hall",
        sa.Column("idle_signout_minutes", sa.Integer(), nullable=False, server_default="0"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_OFFICER_NOTIFY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS officer_notify ON officer")
    op.drop_column("hall", "idle_signout_minutes")
