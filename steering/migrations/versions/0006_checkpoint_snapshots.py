"""Checkpoint revisions and report snapshots; survey summaries kept with their import.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the revision counter, the snapshot table and the survey summary column."""
    with op.batch_alter_table("checkpoints") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    # Every completed run wrote one audit entry: that count is the revision made so far.
    op.execute(
        "UPDATE checkpoints SET revision = (SELECT count(*) FROM audit_log"
        " WHERE audit_log.action = 'checkpoint-evaluated'"
        " AND audit_log.subject_type = 'checkpoint'"
        " AND audit_log.subject_id = checkpoints.key)"
    )
    op.create_table(
        "checkpoint_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_checkpoint_snapshots_revision")),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_checkpoint_snapshots_checkpoint_id_checkpoints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoint_snapshots")),
        sa.UniqueConstraint("checkpoint_id", name=op.f("uq_checkpoint_snapshots_checkpoint_id")),
    )
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("summary", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Remove the survey summaries, the snapshots and the revision counter."""
    # ALTER TABLE ... DROP COLUMN in place (SQLite >= 3.35): copying the tables instead
    # would drop tables that measurements and assessments refer to.
    with op.batch_alter_table("imports", recreate="never") as batch:
        batch.drop_column("summary")
    op.drop_table("checkpoint_snapshots")
    with op.batch_alter_table("checkpoints", recreate="never") as batch:
        batch.drop_column("revision")
