"""Tables of outgoing messages (outbox) and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from steering.adapters.db.base import Base, UtcDateTime, json_type, one_of, slug, status

# "dead": given up after the configured number of attempts (revived by `steer outbox --retry`).
OUTBOX_STATUSES = ["pending", "sent", "failed", "dead", "dropped"]


class OutboxRow(Base):
    """A notification waiting to be sent (or sent); the key prevents sending it twice."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A sender renews its lease on what it holds with every outcome (one per message).
        Index("ix_outbox_claimed_by", "claimed_by"),
        # Claims take the next due messages of a programme in id order (no sort of them all).
        Index("ix_outbox_programme_order", "programme_id", "id"),
        CheckConstraint(one_of("status", OUTBOX_STATUSES), name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # Only a channel name or apprise tag is stored; URLs (which may hold credentials) never.
        CheckConstraint("channel_hint NOT LIKE '%://%'", name="channel_hint_not_url"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    programme_id: Mapped[str] = mapped_column(slug(), default="", server_default="")
    recipient: Mapped[str] = mapped_column(slug())
    channel_hint: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(slug())
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(status(), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A sender's lease: taken at claimed_at by claimed_by, renewed while it sends, and
    # retaken by another sender only once claimed_until has passed (the holder died).
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set durably right before an attempt, cleared with its outcome: still set on a message
    # whose sender died mid-send (it may have gone out; the next attempt may repeat it).
    sending_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    given_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @validates("channel_hint")
    def _no_url(self, _key: str, channel_hint: str) -> str:
        if "://" in channel_hint:
            raise ValueError("channel_hint takes a channel name or tag, never a URL")
        return channel_hint


class NoticeLogRow(Base):
    """One notice told to one recipient: the memory of reminders and of re-runs."""

    __tablename__ = "notice_log"
    __table_args__ = (
        UniqueConstraint("programme_id", "recipient", "notice_key"),
        Index("ix_notice_log_item", "programme_id", "item", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    recipient: Mapped[str] = mapped_column(slug())
    notice_key: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(slug())
    scope_key: Mapped[str] = mapped_column(slug())
    item: Mapped[str] = mapped_column(String(200))
    occasion: Mapped[str] = mapped_column(String(100))
    message_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # A notice kept for a person without any channel: its facts, to be told once one exists.
    notice_data: Mapped[dict[str, Any] | None] = mapped_column(json_type())


class AuditLogRow(Base):
    """Who did what to which subject, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(slug())
    subject_type: Mapped[str] = mapped_column(slug())
    subject_id: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(json_type())
