"""Portal access: sign-in links and sessions (hashes only) and sign-in attempts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create portal_links, portal_sessions and portal_attempts."""
    op.create_table(
        "portal_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=False),
        sa.Column("used_at", _AT, nullable=True),
        sa.Column("revoked_at", _AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portal_links"),
        sa.UniqueConstraint("token_hash", name="uq_portal_links_token_hash"),
    )
    op.create_index("ix_portal_links_person", "portal_links", ["person_id"])
    op.create_table(
        "portal_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("programme_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("last_seen_at", _AT, nullable=False),
        sa.Column("revoked_at", _AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portal_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_portal_sessions_token_hash"),
    )
    op.create_index("ix_portal_sessions_person", "portal_sessions", ["person_id"])
    op.create_table(
        "portal_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", _AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_portal_attempts"),
    )
    op.create_index("ix_portal_attempts_client_at", "portal_attempts", ["client", "attempted_at"])


def downgrade() -> None:
    """Drop the portal's tables."""
    op.drop_index("ix_portal_attempts_client_at", "portal_attempts")
    op.drop_table("portal_attempts")
    op.drop_index("ix_portal_sessions_person", "portal_sessions")
    op.drop_table("portal_sessions")
    op.drop_index("ix_portal_links_person", "portal_links")
    op.drop_table("portal_links")
