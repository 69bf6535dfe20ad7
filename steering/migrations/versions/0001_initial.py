"""Create the durable store: PDCA cycles, steps, indicators, checkpoints, outbox, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Drafted by autogenerate, then ordered by topic and checked by hand. Timestamps are
# DateTime(timezone=True) (the models wrap it in UtcDateTime). Programme-level rows carry
# scope_key = '' (steering.adapters.db.base.PROGRAMME_SCOPE): unique constraints never rely on NULL.


def upgrade() -> None:
    """Create all tables of the initial schema."""
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("experiment_fields", sa.JSON(), nullable=False),
        sa.Column("drivers", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_index(
        op.f("ix_organisations_programme_id"), "organisations", ["programme_id"], unique=False
    )

    op.create_table(
        "pdca_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "phase IN ('plan', 'do', 'check', 'act')", name=op.f("ck_pdca_cycles_phase")
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_pdca_cycles_number_positive")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_pdca_cycles_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pdca_cycles")),
        sa.UniqueConstraint(
            "organisation_id", "number", name=op.f("uq_pdca_cycles_organisation_id_number")
        ),
    )

    op.create_table(
        "phase_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("from_phase", sa.String(length=16), nullable=True),
        sa.Column("to_phase", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("override", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "from_phase IS NULL OR from_phase IN ('plan', 'do', 'check', 'act')",
            name=op.f("ck_phase_transitions_from_phase"),
        ),
        sa.CheckConstraint(
            "to_phase IN ('plan', 'do', 'check', 'act')", name=op.f("ck_phase_transitions_to_phase")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["pdca_cycles.id"], name=op.f("fk_phase_transitions_cycle_id_pdca_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phase_transitions")),
    )
    op.create_index(
        op.f("ix_phase_transitions_cycle_id"), "phase_transitions", ["cycle_id"], unique=False
    )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index(
        "ix_evidence_organisation_cycle",
        "evidence",
        ["organisation_id", "cycle_number"],
        unique=False,
    )

    op.create_table(
        "step_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("driver", sa.String(length=64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("evidence_url", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('locked', 'open', 'done')", name=op.f("ck_step_progress_status")
        ),
        sa.CheckConstraint("step BETWEEN 1 AND 50", name=op.f("ck_step_progress_step")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_progress")),
        sa.UniqueConstraint(
            "organisation_id",
            "driver",
            "step",
            name=op.f("uq_step_progress_organisation_id_driver_step"),
        ),
    )

    op.create_table(
        "subtask_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("driver", sa.String(length=64), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("subtask_index", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("step BETWEEN 1 AND 50", name=op.f("ck_subtask_status_step")),
        sa.CheckConstraint("subtask_index >= 0", name=op.f("ck_subtask_status_subtask_index")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subtask_status")),
        sa.UniqueConstraint(
            "organisation_id",
            "driver",
            "step",
            "subtask_index",
            name=op.f("uq_subtask_status_organisation_id_driver_step_subtask_index"),
        ),
    )

    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('active', 'superseded')", name=op.f("ck_imports_status")),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["imports.id"], name=op.f("fk_imports_superseded_by_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
        sa.UniqueConstraint(
            "programme_id",
            "source_key",
            "content_hash",
            name=op.f("uq_imports_programme_id_source_key_content_hash"),
        ),
    )

    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("indicator_key", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=True),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "scope_key = coalesce(organisation_id, '')", name=op.f("ck_measurements_scope_key")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_measurements_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
    )
    op.create_index(op.f("ix_measurements_import_id"), "measurements", ["import_id"], unique=False)
    op.create_index(
        "ix_measurements_lookup",
        "measurements",
        ["programme_id", "indicator_key", "period", "scope_key"],
        unique=False,
    )

    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("flow_run_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'completed', 'failed')", name=op.f("ck_checkpoints_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
        sa.UniqueConstraint("key", name=op.f("uq_checkpoints_key")),
    )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=True),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("dimension", sa.String(length=64), nullable=False),
        sa.Column("light", sa.String(length=16), nullable=False),
        sa.Column("raw_light", sa.String(length=16), nullable=False),
        sa.Column("breach_streak", sa.Integer(), nullable=False),
        sa.Column("recover_streak", sa.Integer(), nullable=False),
        sa.Column("red_streak", sa.Integer(), nullable=False),
        sa.Column("aggregate", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "light IN ('green', 'yellow', 'red', 'no_data')", name=op.f("ck_assessments_light")
        ),
        sa.CheckConstraint(
            "raw_light IN ('green', 'yellow', 'red', 'no_data')",
            name=op.f("ck_assessments_raw_light"),
        ),
        sa.CheckConstraint(
            "scope_key = coalesce(organisation_id, '')", name=op.f("ck_assessments_scope_key")
        ),
        sa.CheckConstraint(
            "breach_streak >= 0 AND recover_streak >= 0 AND red_streak >= 0",
            name=op.f("ck_assessments_streaks"),
        ),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_assessments_checkpoint_id_checkpoints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint(
            "checkpoint_id",
            "scope_key",
            "dimension",
            name=op.f("uq_assessments_checkpoint_id_scope_key_dimension"),
        ),
    )
    op.create_index(
        op.f("ix_assessments_checkpoint_id"), "assessments", ["checkpoint_id"], unique=False
    )

    op.create_table(
        "abort_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=True),
        sa.Column("scope_key", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("criterion_id", sa.String(length=64), nullable=True),
        sa.Column("criterion_key", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("mitigations", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("human_decision", sa.String(length=32), nullable=True),
        sa.Column("human_comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "criterion_key = coalesce(criterion_id, '')",
            name=op.f("ck_abort_decisions_criterion_key"),
        ),
        sa.CheckConstraint(
            "decision IN ('continue', 'watch', 'escalate', 'abort_review')",
            name=op.f("ck_abort_decisions_decision"),
        ),
        sa.CheckConstraint(
            "scope_key = coalesce(organisation_id, '')", name=op.f("ck_abort_decisions_scope_key")
        ),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_abort_decisions_checkpoint_id_checkpoints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_abort_decisions")),
        sa.UniqueConstraint(
            "checkpoint_id",
            "scope_key",
            "criterion_key",
            name=op.f("uq_abort_decisions_checkpoint_id_scope_key_criterion_key"),
        ),
    )
    op.create_index(
        op.f("ix_abort_decisions_checkpoint_id"), "abort_decisions", ["checkpoint_id"], unique=False
    )

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("channel_hint", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "channel_hint NOT LIKE '%://%'", name=op.f("ck_outbox_channel_hint_not_url")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_outbox_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_attempts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(
        "ix_audit_log_subject", "audit_log", ["subject_type", "subject_id"], unique=False
    )


def downgrade() -> None:
    """Drop all tables of the initial schema."""
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_index("ix_audit_log_subject", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_abort_decisions_checkpoint_id"), table_name="abort_decisions")
    op.drop_table("abort_decisions")
    op.drop_index(op.f("ix_assessments_checkpoint_id"), table_name="assessments")
    op.drop_table("assessments")
    op.drop_table("checkpoints")
    op.drop_index(op.f("ix_measurements_import_id"), table_name="measurements")
    op.drop_index("ix_measurements_lookup", table_name="measurements")
    op.drop_table("measurements")
    op.drop_table("imports")
    op.drop_table("subtask_status")
    op.drop_table("step_progress")
    op.drop_index("ix_evidence_organisation_cycle", table_name="evidence")
    op.drop_table("evidence")
    op.drop_index(op.f("ix_phase_transitions_cycle_id"), table_name="phase_transitions")
    op.drop_table("phase_transitions")
    op.drop_table("pdca_cycles")
    op.drop_index(op.f("ix_organisations_programme_id"), table_name="organisations")
    op.drop_table("organisations")
