"""Drop the measurements' lookup index: the unique index of current values serves its queries.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every query of values asks for current ones (or one import's): a quarter of an
    import's time went into keeping this second index of the same columns."""
    op.drop_index("ix_measurements_lookup", table_name="measurements")


def downgrade() -> None:
    """Create the index again."""
    op.create_index(
        "ix_measurements_lookup",
        "measurements",
        ["programme_id", "indicator_key", "period", "scope_key"],
    )
