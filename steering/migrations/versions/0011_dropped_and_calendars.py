"""Outbox status 'dropped' (unsent news about an item closed meanwhile); calendar feeds.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUS = "ck_outbox_status"
_BEFORE = ["pending", "sent", "failed", "dead"]


def _status_check(statuses: list[str]) -> str:
    return "status IN ({})".format(", ".join(f"'{s}'" for s in statuses))


def upgrade() -> None:
    """Allow the outbox status 'dropped'; create portal_calendars (token hashes only)."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f(_STATUS), type_="check")
        batch.create_check_constraint(op.f(_STATUS), _status_check([*_BEFORE, "dropped"]))
    op.create_table(
        "portal_calendars",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portal_calendars"),
        sa.UniqueConstraint("token_hash", name="uq_portal_calendars_token_hash"),
    )
    op.create_index("ix_portal_calendars_person", "portal_calendars", ["person_id"])


def downgrade() -> None:
    """Dropped messages count as sent (nobody is to get them), then restore the old check."""
    op.drop_index("ix_portal_calendars_person", table_name="portal_calendars")
    op.drop_table("portal_calendars")
    op.execute("UPDATE outbox SET status = 'sent' WHERE status = 'dropped'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f(_STATUS), type_="check")
        batch.create_check_constraint(op.f(_STATUS), _status_check(_BEFORE))
