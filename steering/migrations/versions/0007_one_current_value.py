"""One current value per key: a unique partial index over the values not superseded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["programme_id", "indicator_key", "scope_key", "period"]


def upgrade() -> None:
    """Keep the newest current value per key (older duplicates become history), then index."""
    # Concurrent writers could leave several current rows per key; the newest (highest id)
    # is what every reader already showed last, so it stays current.
    op.execute(
        "UPDATE measurements SET superseded = true WHERE NOT superseded AND EXISTS ("
        " SELECT 1 FROM measurements AS newer WHERE NOT newer.superseded"
        " AND newer.programme_id = measurements.programme_id"
        " AND newer.indicator_key = measurements.indicator_key"
        " AND newer.scope_key = measurements.scope_key"
        " AND newer.period = measurements.period"
        " AND newer.id > measurements.id)"
    )
    op.create_index(
        "uq_measurements_current",
        "measurements",
        KEY,
        unique=True,
        sqlite_where=sa.text("NOT superseded"),
        postgresql_where=sa.text("NOT superseded"),
    )


def downgrade() -> None:
    """Drop the index (the duplicates it made history stay history)."""
    op.drop_index("uq_measurements_current", table_name="measurements")
