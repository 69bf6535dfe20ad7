"""Progress keyed by programme and cycle: organisations, cycles, evidence, steps, sub-tasks.

Organisations get the key (programme, id); cycles, evidence, steps and sub-task ticks carry the
programme, and steps and ticks the PDCA cycle of their pass. Existing rows are filled from the
organisation's programme (or from the store's only programme for steps of an organisation
that was never synced) and belong to cycle 1.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SLUG = sa.String(length=64)
_FILLED = ("pdca_cycles", "evidence", "step_progress", "subtask_status")


def _fill_programme(table: str) -> None:
    """Set programme_id from the organisation's programme, else the store's only programme."""
    op.execute(
        f"UPDATE {table} SET programme_id = (SELECT o.programme_id FROM organisations o "
        f"WHERE o.id = {table}.organisation_id) "
        f"WHERE EXISTS (SELECT 1 FROM organisations o WHERE o.id = {table}.organisation_id)"
    )
    programmes = [
        row[0]
        for row in op.get_bind().execute(
            sa.text("SELECT programme_id FROM organisations UNION SELECT programme_id FROM imports")
        )
    ]
    if len(programmes) == 1:
        op.execute(
            sa.text(f"UPDATE {table} SET programme_id = :p WHERE programme_id = ''").bindparams(
                p=programmes[0]
            )
        )


def upgrade() -> None:
    """Key organisations, cycles, evidence, steps and ticks by programme (and steps by cycle)."""
    with op.batch_alter_table("pdca_cycles") as batch:
        batch.add_column(sa.Column("programme_id", _SLUG, nullable=False, server_default=""))
        batch.drop_constraint("fk_pdca_cycles_organisation_id_organisations", type_="foreignkey")
        batch.drop_constraint("uq_pdca_cycles_organisation_id_number", type_="unique")
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("programme_id", _SLUG, nullable=False, server_default=""))
        batch.drop_index("ix_evidence_organisation_cycle")
    with op.batch_alter_table("step_progress") as batch:
        batch.add_column(sa.Column("programme_id", _SLUG, nullable=False, server_default=""))
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="1"))
        batch.drop_constraint("uq_step_progress_organisation_id_driver_step", type_="unique")
    with op.batch_alter_table("subtask_status") as batch:
        batch.add_column(sa.Column("programme_id", _SLUG, nullable=False, server_default=""))
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="1"))
        batch.drop_constraint(
            "uq_subtask_status_organisation_id_driver_step_subtask_index", type_="unique"
        )
    for table in _FILLED:
        _fill_programme(table)
    # Until now a step's owner was always the organisation's first owner, set when planning
    # (nobody could assign one). Steps now have no owner until one is assigned, so that all
    # of the organisation's owners stay reminded as before.
    op.execute("UPDATE step_progress SET owner = NULL")

    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("pk_organisations", type_="primary")
        batch.create_primary_key("pk_organisations", ["programme_id", "id"])

    with op.batch_alter_table("pdca_cycles") as batch:
        batch.alter_column("programme_id", server_default=None, existing_type=_SLUG)
        batch.create_foreign_key(
            "fk_pdca_cycles_programme_id_organisations",
            "organisations",
            ["programme_id", "organisation_id"],
            ["programme_id", "id"],
        )
        batch.create_unique_constraint(
            "uq_pdca_cycles_programme_id_organisation_id_number",
            ["programme_id", "organisation_id", "number"],
        )
    with op.batch_alter_table("evidence") as batch:
        batch.alter_column("programme_id", server_default=None, existing_type=_SLUG)
        batch.create_index(
            "ix_evidence_programme_organisation_cycle",
            ["programme_id", "organisation_id", "cycle_number"],
        )
    with op.batch_alter_table("step_progress") as batch:
        batch.alter_column("programme_id", server_default=None, existing_type=_SLUG)
        batch.alter_column("cycle", server_default=None, existing_type=sa.Integer())
        batch.create_unique_constraint(
            "uq_step_progress_programme_id_organisation_id_cycle_driver_step",
            ["programme_id", "organisation_id", "cycle", "driver", "step"],
        )
    with op.batch_alter_table("subtask_status") as batch:
        batch.alter_column("programme_id", server_default=None, existing_type=_SLUG)
        batch.alter_column("cycle", server_default=None, existing_type=sa.Integer())
        batch.create_unique_constraint(
            "uq_subtask_status_key",
            ["programme_id", "organisation_id", "cycle", "driver", "step", "subtask_index"],
        )


def downgrade() -> None:
    """Back to keys by organisation id only (fails if two programmes share an organisation id).

    Only the newest pass of the steps of each organisation is kept.
    """
    for table in ("step_progress", "subtask_status"):
        op.execute(
            f"DELETE FROM {table} WHERE cycle < (SELECT max(t.cycle) FROM {table} t "
            f"WHERE t.programme_id = {table}.programme_id "
            f"AND t.organisation_id = {table}.organisation_id)"
        )
    with op.batch_alter_table("subtask_status") as batch:
        batch.drop_constraint("uq_subtask_status_key", type_="unique")
        batch.drop_column("cycle")
        batch.drop_column("programme_id")
        batch.create_unique_constraint(
            "uq_subtask_status_organisation_id_driver_step_subtask_index",
            ["organisation_id", "driver", "step", "subtask_index"],
        )
    with op.batch_alter_table("step_progress") as batch:
        batch.drop_constraint(
            "uq_step_progress_programme_id_organisation_id_cycle_driver_step", type_="unique"
        )
        batch.drop_column("cycle")
        batch.drop_column("programme_id")
        batch.create_unique_constraint(
            "uq_step_progress_organisation_id_driver_step", ["organisation_id", "driver", "step"]
        )
    with op.batch_alter_table("evidence") as batch:
        batch.drop_index("ix_evidence_programme_organisation_cycle")
        batch.drop_column("programme_id")
        batch.create_index("ix_evidence_organisation_cycle", ["organisation_id", "cycle_number"])
    with op.batch_alter_table("pdca_cycles") as batch:
        batch.drop_constraint("fk_pdca_cycles_programme_id_organisations", type_="foreignkey")
        batch.drop_constraint("uq_pdca_cycles_programme_id_organisation_id_number", type_="unique")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_constraint("pk_organisations", type_="primary")
        batch.create_primary_key("pk_organisations", ["id"])
    with op.batch_alter_table("pdca_cycles") as batch:
        batch.drop_column("programme_id")
        batch.create_foreign_key(
            "fk_pdca_cycles_organisation_id_organisations",
            "organisations",
            ["organisation_id"],
            ["id"],
        )
        batch.create_unique_constraint(
            "uq_pdca_cycles_organisation_id_number", ["organisation_id", "number"]
        )
