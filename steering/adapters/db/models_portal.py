"""Tables of the participant portal: sign-in links, sessions and sign-in attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from steering.adapters.db.base import Base, UtcDateTime, slug

# A SHA-256 hex digest: the store keeps only hashes of links and session tokens.
HASH_LENGTH = 64


class PortalLinkRow(Base):
    """A single-use sign-in link of a person (only its hash), until used, revoked or expired."""

    __tablename__ = "portal_links"
    __table_args__ = (Index("ix_portal_links_person", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    programme_id: Mapped[str] = mapped_column(slug())
    person_id: Mapped[str] = mapped_column(slug())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PortalSessionRow(Base):
    """A signed-in browser (only the hash of its cookie), alive while used within the timeout."""

    __tablename__ = "portal_sessions"
    __table_args__ = (Index("ix_portal_sessions_person", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    programme_id: Mapped[str] = mapped_column(slug())
    person_id: Mapped[str] = mapped_column(slug())
    csrf_token: Mapped[str] = mapped_column(String(HASH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PortalAttemptRow(Base):
    """One sign-in attempt of a client (its address), counted for the rate limit."""

    __tablename__ = "portal_attempts"
    __table_args__ = (Index("ix_portal_attempts_client_at", "client", "attempted_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client: Mapped[str] = mapped_column(String(HASH_LENGTH))
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PortalCalendarRow(Base):
    """A person's calendar subscription (only the hash of its secret), until revoked."""

    __tablename__ = "portal_calendars"
    __table_args__ = (Index("ix_portal_calendars_person", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    programme_id: Mapped[str] = mapped_column(slug())
    person_id: Mapped[str] = mapped_column(slug())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
