"""Tables of the 12-step driver integration: step progress and sub-task ticks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from steering.adapters.db.base import Base, UtcDateTime, one_of, slug, status

STEP_STATUSES = ["locked", "open", "done"]
# As many steps as a driver-integration template may have (StepTemplate.number <= 50).
STEP_RANGE = "BETWEEN 1 AND 50"


class StepProgressRow(Base):
    """Where an organisation stands in one step of integrating one driver, in one PDCA cycle.

    Each cycle of a programme's organisation has its own pass of the steps; earlier passes
    stay as history.
    """

    __tablename__ = "step_progress"
    __table_args__ = (
        UniqueConstraint("programme_id", "organisation_id", "cycle", "driver", "step"),
        CheckConstraint(f"step {STEP_RANGE}", name="step"),
        CheckConstraint(one_of("status", STEP_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    organisation_id: Mapped[str] = mapped_column(slug())
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    driver: Mapped[str] = mapped_column(slug())
    step: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(status(), default="locked")
    owner: Mapped[str | None] = mapped_column(slug())
    due_date: Mapped[date | None] = mapped_column(Date)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SubtaskStatusRow(Base):
    """Whether one of the sub-tasks of a step is ticked off."""

    __tablename__ = "subtask_status"
    __table_args__ = (
        UniqueConstraint(
            "programme_id",
            "organisation_id",
            "cycle",
            "driver",
            "step",
            "subtask_index",
            name="uq_subtask_status_key",
        ),
        CheckConstraint(f"step {STEP_RANGE}", name="step"),
        CheckConstraint("subtask_index >= 0", name="subtask_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    organisation_id: Mapped[str] = mapped_column(slug())
    cycle: Mapped[int] = mapped_column(Integer, default=1)
    driver: Mapped[str] = mapped_column(slug())
    step: Mapped[int] = mapped_column(Integer)
    subtask_index: Mapped[int] = mapped_column(Integer)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
