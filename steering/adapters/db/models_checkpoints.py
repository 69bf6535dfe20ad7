"""Tables of checkpoints: runs, their report snapshots, traffic-light assessments, decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from steering.adapters.db.base import (
    PERIOD_LENGTH,
    PROGRAMME_SCOPE,
    Base,
    UtcDateTime,
    json_type,
    one_of,
    scope_key,
    slug,
    status,
)
from steering.domain.vocabulary import Decision, Light

CHECKPOINT_STATUSES = ["running", "completed", "failed"]
LIGHTS = [light.value for light in Light]
DECISIONS = [decision.value for decision in Decision]
SCOPE_KEY_CHECK = f"scope_key = coalesce(organisation_id, '{PROGRAMME_SCOPE}')"


class CheckpointRow(Base):
    """One checkpoint run; the key makes a re-run of the same checkpoint idempotent."""

    __tablename__ = "checkpoints"
    __table_args__ = (CheckConstraint(one_of("status", CHECKPOINT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    programme_id: Mapped[str] = mapped_column(slug())
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    scheduled_for: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(status(), default="running")
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    # How often the checkpoint has been evaluated: every run, re-runs included, adds one.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    assessments: Mapped[list[AssessmentRow]] = relationship(back_populates="checkpoint")
    abort_decisions: Mapped[list[AbortDecisionRow]] = relationship(back_populates="checkpoint")


class CheckpointSnapshotRow(Base):
    """What a checkpoint's reports show besides its lights and decisions, as of its run.

    The Soll/Ist table, the lights it compared with, the survey results and each
    organisation's progress: a report renders them instead of reading today's data, so a
    later correction shows only once the checkpoint runs again (a new revision).
    """

    __tablename__ = "checkpoint_snapshots"
    __table_args__ = (CheckConstraint("revision >= 1", name="revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One per checkpoint: a re-run replaces it with the new revision's.
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id"), unique=True)
    revision: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(UtcDateTime)
    data: Mapped[dict[str, Any]] = mapped_column(json_type())


class AssessmentRow(Base):
    """The traffic light of one dimension for one organisation (or the programme)."""

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("checkpoint_id", "scope_key", "dimension"),
        CheckConstraint(SCOPE_KEY_CHECK, name="scope_key"),
        CheckConstraint(one_of("light", LIGHTS), name="light"),
        CheckConstraint(one_of("raw_light", LIGHTS), name="raw_light"),
        CheckConstraint(
            "breach_streak >= 0 AND recover_streak >= 0 AND red_streak >= 0", name="streaks"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id"), index=True)
    # NULL = programme scope; scope_key mirrors it without NULL (see base.PROGRAMME_SCOPE).
    organisation_id: Mapped[str | None] = mapped_column(slug())
    scope_key: Mapped[str] = mapped_column(slug(), default=PROGRAMME_SCOPE)
    dimension: Mapped[str] = mapped_column(slug())
    light: Mapped[str] = mapped_column(status())
    raw_light: Mapped[str] = mapped_column(status())
    breach_streak: Mapped[int] = mapped_column(Integer, default=0)
    recover_streak: Mapped[int] = mapped_column(Integer, default=0)
    red_streak: Mapped[int] = mapped_column(Integer, default=0)
    aggregate: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(json_type())

    checkpoint: Mapped[CheckpointRow] = relationship(back_populates="assessments")

    @validates("organisation_id")
    def _sync_scope_key(self, _key: str, organisation_id: str | None) -> str | None:
        self.scope_key = scope_key(organisation_id)
        return organisation_id


class AbortDecisionRow(Base):
    """What the abort criteria concluded at a checkpoint, and what a human decided."""

    __tablename__ = "abort_decisions"
    __table_args__ = (
        UniqueConstraint("checkpoint_id", "scope_key", "criterion_key"),
        CheckConstraint(SCOPE_KEY_CHECK, name="scope_key"),
        CheckConstraint("criterion_key = coalesce(criterion_id, '')", name="criterion_key"),
        CheckConstraint(one_of("decision", DECISIONS), name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id"), index=True)
    # NULL = programme scope; scope_key mirrors it without NULL (see base.PROGRAMME_SCOPE).
    organisation_id: Mapped[str | None] = mapped_column(slug())
    scope_key: Mapped[str] = mapped_column(slug(), default=PROGRAMME_SCOPE)
    decision: Mapped[str] = mapped_column(status())
    # NULL = the overall decision; criterion_key mirrors it as '' for the unique constraint.
    criterion_id: Mapped[str | None] = mapped_column(slug())
    criterion_key: Mapped[str] = mapped_column(slug(), default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(json_type())
    mitigations: Mapped[list[Any]] = mapped_column(json_type())
    decided_by: Mapped[str | None] = mapped_column(String(100))
    human_decision: Mapped[str | None] = mapped_column(String(32))
    human_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    checkpoint: Mapped[CheckpointRow] = relationship(back_populates="abort_decisions")

    @validates("organisation_id", "criterion_id")
    def _sync_keys(self, key: str, value: str | None) -> str | None:
        if key == "organisation_id":
            self.scope_key = scope_key(value)
        else:
            self.criterion_key = "" if value is None else value
        return value


LEAD_DECISIONS = ["continue", "adapt", "abort"]


class LeadDecisionRow(Base):
    """The project lead's decision on one organisation for one period (continue, adapt, abort).

    Keyed by programme, organisation and period, not by a checkpoint run: it closes that
    period's abort review and survives re-runs of the checkpoint and evaluations.
    """

    __tablename__ = "lead_decisions"
    __table_args__ = (
        UniqueConstraint("programme_id", "organisation_id", "period"),
        CheckConstraint(one_of("decision", LEAD_DECISIONS), name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    organisation_id: Mapped[str] = mapped_column(slug())
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    decision: Mapped[str] = mapped_column(status())
    comment: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # What the abort criteria had asked for then ('abort_review', 'escalate', ...), if known.
    review: Mapped[str | None] = mapped_column(status())
    # Where it was decided, e.g. 'prefect-flow-run:<id>' or 'cli'.
    reference: Mapped[str | None] = mapped_column(String(200))


class PendingNoticesRow(Base):
    """What a checkpoint has to tell, stored in the transaction of its lights.

    Queued into the outbox by the checkpoint's own notification step or, if that run died
    or failed first, by any later run (reminders, `steer outbox --send`).
    """

    __tablename__ = "pending_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One per checkpoint: a re-run replaces it with what the new evaluation tells.
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id"), unique=True)
    programme_id: Mapped[str] = mapped_column(slug())
    notices: Mapped[list[dict[str, Any]]] = mapped_column(json_type())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set once every notice is in the outbox or the notice log (queued, or told before).
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
