"""Index the outbox for the senders: by holder (renewals) and by programme in id order (claims).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Without them, each renewal and each claim scanned every open message (SQLite)."""
    op.create_index("ix_outbox_claimed_by", "outbox", ["claimed_by"])
    op.create_index("ix_outbox_programme_order", "outbox", ["programme_id", "id"])


def downgrade() -> None:
    """Drop the two indexes."""
    op.drop_index("ix_outbox_programme_order", table_name="outbox")
    op.drop_index("ix_outbox_claimed_by", table_name="outbox")
