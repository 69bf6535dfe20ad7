"""Notifications: the notice log (reminder memory), outbox programme and sender claims.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the notice log and the outbox columns for programmes and claims."""
    op.create_table(
        "notice_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("notice_key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("occasion", sa.String(length=100), nullable=False),
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_log")),
        sa.UniqueConstraint(
            "programme_id",
            "recipient",
            "notice_key",
            name=op.f("uq_notice_log_programme_id_recipient_notice_key"),
        ),
    )
    op.create_index("ix_notice_log_item", "notice_log", ["programme_id", "item", "kind"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("programme_id", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Remove the notice log and the outbox columns."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("programme_id")
    op.drop_index("ix_notice_log_item", table_name="notice_log")
    op.drop_table("notice_log")
