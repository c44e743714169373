"""ticket_event index on (hall_id, kind, at)

Reports look for the rare event kinds (returns to the queue, reactivations, print failures) over
a date range, and the board and the supervisor read a day's calls; with years of history both
walked every event of the range. This index lets them read only the kinds they ask for.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_event_hall_kind_at", ["hall_id", "kind", "at"])


def downgrade() -> None:
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_event_hall_kind_at")
