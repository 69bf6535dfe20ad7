"""Outbox leases: who sends a message, until when, and whether an attempt is in flight.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from steering.adapters.db.base import UtcDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add outbox.claimed_by, claimed_until and sending_at; old claims keep their 10 minutes."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True))
    # A claim of the previous version (claimed_at only) was taken for 10 minutes: it stays
    # blocked that long, as its sender may still be sending.
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer()),
        sa.column("claimed_at", UtcDateTime()),
        sa.column("claimed_by", sa.String()),
        sa.column("claimed_until", UtcDateTime()),
        sa.column("status", sa.String()),
    )
    claimed = op.get_bind().execute(
        sa.select(outbox.c.id, outbox.c.claimed_at).where(
            outbox.c.claimed_at.is_not(None), outbox.c.status.in_(["pending", "failed"])
        )
    )
    for message_id, claimed_at in list(claimed):
        op.execute(
            outbox.update()
            .where(outbox.c.id == message_id)
            .values(claimed_by="vor-0009", claimed_until=claimed_at + timedelta(minutes=10))
        )


def downgrade() -> None:
    """Drop the lease columns (claimed_at alone marks a claim again)."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("sending_at")
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
