"""sim_clock: the clock of a simulation at a live speed, for the screens watching it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mpp_tui.db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sim_clock",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("real_anchor", mpp_tui.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sim_anchor", mpp_tui.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("speed", sa.Float(), nullable=False),
        sa.Column("seen_at", mpp_tui.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_sim_clock_hall_id_hall")),
        sa.PrimaryKeyConstraint("hall_id", name=op.f("pk_sim_clock")),
    )


def downgrade() -> None:
    op.drop_table("sim_clock")
