"""Lead decisions: the project lead's decision per programme, organisation and period.

Decisions recorded earlier on a checkpoint's abort-decision rows (mostly on an evaluation's
own checkpoint) are copied over, the newest per organisation and period.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the lead_decisions table and carry earlier decisions over."""
    table = op.create_table(
        "lead_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "decision IN ('continue', 'adapt', 'abort')", name=op.f("ck_lead_decisions_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_decisions")),
        sa.UniqueConstraint(
            "programme_id",
            "organisation_id",
            "period",
            name=op.f("uq_lead_decisions_programme_id_organisation_id_period"),
        ),
    )
    earlier = op.get_bind().execute(
        sa.text(
            "SELECT c.programme_id, a.scope_key, c.period, a.human_decision, a.human_comment, "
            "a.decided_by, coalesce(c.finished_at, a.created_at) AS decided_at, a.decision, "
            "c.key FROM abort_decisions a JOIN checkpoints c ON c.id = a.checkpoint_id "
            "WHERE a.human_decision IN ('continue', 'adapt', 'abort') AND a.scope_key <> '' "
            "ORDER BY c.id"
        ).columns(decided_at=sa.DateTime(timezone=True))
    )
    newest: dict[tuple[str, str, str], dict[str, object]] = {}
    for pid, org, period, decision, comment, by, at, review, key in earlier:
        newest[(pid, org, period)] = {
            "programme_id": pid,
            "organisation_id": org,
            "period": period,
            "decision": decision,
            "comment": comment or "",
            "decided_by": by or "unbekannt",
            "decided_at": at,
            "review": review,
            "reference": key,
        }
    if newest:
        op.bulk_insert(table, list(newest.values()))


def downgrade() -> None:
    """Remove the lead_decisions table (the abort-decision rows keep their old copies)."""
    op.drop_table("lead_decisions")
