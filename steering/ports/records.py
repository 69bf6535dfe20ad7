"""What the store hands to services: its records, described by the fields services use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

# The notice log's message key of a notice kept for a person without any channel, and of a
# kept notice that was dropped (its item closed meanwhile, or a newer one replaced it).
HELD = "ohne-kanal"
DROPPED = "verworfen"


class CheckpointRecord(Protocol):
    """One checkpoint run; the key makes a re-run of the same checkpoint idempotent."""

    id: int
    key: str
    programme_id: str
    period: str
    scheduled_for: datetime
    started_at: datetime
    finished_at: datetime | None
    status: str
    flow_run_id: str | None
    revision: int


class SnapshotRecord(Protocol):
    """What a checkpoint's reports show besides its lights and decisions, as of its run."""

    id: int
    checkpoint_id: int
    revision: int
    made_at: datetime
    data: dict[str, Any]


class ImportRecord(Protocol):
    """One imported source file; the same content is imported once per source."""

    id: int
    programme_id: str
    source_key: str
    file_name: str
    content_hash: str
    imported_at: datetime
    row_count: int
    status: str
    superseded_by: int | None
    summary: dict[str, Any] | None


class AbortDecisionRecord(Protocol):
    """What the abort criteria concluded at a checkpoint, and what a human decided."""

    id: int
    checkpoint_id: int
    organisation_id: str | None
    scope_key: str
    decision: str
    criterion_id: str | None
    criterion_key: str
    evidence: dict[str, Any]
    mitigations: list[Any]
    decided_by: str | None
    human_decision: str | None
    human_comment: str | None
    created_at: datetime


class LeadDecisionRecord(Protocol):
    """The project lead's decision on one organisation for one period (continue, adapt, abort)."""

    id: int
    programme_id: str
    organisation_id: str
    period: str
    decision: str
    comment: str
    decided_by: str
    decided_at: datetime
    review: str | None
    reference: str | None


class OutboxRecord(Protocol):
    """A notification waiting to be sent (or sent); the key prevents sending it twice."""

    id: int
    idempotency_key: str
    programme_id: str
    recipient: str
    channel_hint: str
    kind: str
    subject: str
    body_text: str
    body_html: str | None
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    sent_at: datetime | None
    claimed_at: datetime | None
    claimed_by: str | None
    claimed_until: datetime | None
    sending_at: datetime | None
    given_up_at: datetime | None


class EvidenceRecord(Protocol):
    """A document or link that proves a phase's work (strategy document, evaluation, ...)."""

    id: int
    programme_id: str
    organisation_id: str
    cycle_number: int
    kind: str
    reference: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class QueuedMessage:
    """A message waiting in the outbox (or failed), as `steer outbox` lists it."""

    id: int
    recipient: str
    channel: str
    subject: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    given_up_at: datetime | None = None
    kind: str = ""
    # Held by a sender until then (it may be sending it right now).
    claimed_until: datetime | None = None


@dataclass(frozen=True)
class HeldNotice:
    """A notice kept in the log for a person who had no channel when it was queued."""

    id: int
    recipient: str
    kind: str
    organisation: str
    item: str
    occasion: str
    data: dict[str, Any]
    created_at: datetime
