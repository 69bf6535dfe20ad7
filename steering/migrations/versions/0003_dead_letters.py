"""Dead letters: the outbox status 'dead' with its time, and notices kept for the unreachable.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUS = "ck_outbox_status"


def _status_check(statuses: list[str]) -> str:
    return "status IN ({})".format(", ".join(f"'{s}'" for s in statuses))


def upgrade() -> None:
    """Allow status 'dead', add outbox.given_up_at and notice_log.notice_data."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f(_STATUS), type_="check")
        batch.create_check_constraint(
            op.f(_STATUS), _status_check(["pending", "sent", "failed", "dead"])
        )
        batch.add_column(sa.Column("given_up_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("notice_log") as batch:
        batch.add_column(sa.Column("notice_data", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revive dead letters as failed, then drop the columns and restore the old check."""
    op.execute("UPDATE outbox SET status = 'failed' WHERE status = 'dead'")
    with op.batch_alter_table("notice_log") as batch:
        batch.drop_column("notice_data")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("given_up_at")
        batch.drop_constraint(op.f(_STATUS), type_="check")
        batch.create_check_constraint(op.f(_STATUS), _status_check(["pending", "sent", "failed"]))
