"""Tables of the PDCA cycles: organisations, cycles, phase transitions and their evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from steering.adapters.db.base import Base, UtcDateTime, json_type, one_of, slug, status
from steering.domain.vocabulary import Phase

PHASES = [phase.value for phase in Phase]


class OrganisationRow(Base):
    """A participating organisation of one programme, synced from its definition (YAML).

    Keyed by programme: two programmes may list the same organisation id.
    """

    __tablename__ = "organisations"
    __table_args__ = (PrimaryKeyConstraint("programme_id", "id"),)

    id: Mapped[str] = mapped_column(slug())
    programme_id: Mapped[str] = mapped_column(slug(), index=True)
    name: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(2))
    experiment_fields: Mapped[list[str]] = mapped_column(json_type())
    drivers: Mapped[list[str]] = mapped_column(json_type())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime)

    cycles: Mapped[list[PdcaCycleRow]] = relationship(
        back_populates="organisation", order_by="PdcaCycleRow.number"
    )


class PdcaCycleRow(Base):
    """One pass of an organisation through plan, do, check and act (within its programme)."""

    __tablename__ = "pdca_cycles"
    __table_args__ = (
        UniqueConstraint("programme_id", "organisation_id", "number"),
        ForeignKeyConstraint(
            ["programme_id", "organisation_id"],
            ["organisations.programme_id", "organisations.id"],
        ),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(one_of("phase", PHASES), name="phase"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    organisation_id: Mapped[str] = mapped_column(slug())
    number: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(status())
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    organisation: Mapped[OrganisationRow] = relationship(back_populates="cycles")
    transitions: Mapped[list[PhaseTransitionRow]] = relationship(
        back_populates="cycle", order_by="PhaseTransitionRow.at"
    )


class PhaseTransitionRow(Base):
    """A recorded move of a cycle from one phase to the next (or an approved override)."""

    __tablename__ = "phase_transitions"
    __table_args__ = (
        CheckConstraint(f"from_phase IS NULL OR {one_of('from_phase', PHASES)}", name="from_phase"),
        CheckConstraint(one_of("to_phase", PHASES), name="to_phase"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pdca_cycles.id"), index=True)
    from_phase: Mapped[str | None] = mapped_column(status())
    to_phase: Mapped[str] = mapped_column(status())
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(json_type())
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)

    cycle: Mapped[PdcaCycleRow] = relationship(back_populates="transitions")


class EvidenceRow(Base):
    """A document or link that proves a phase's work (strategy document, evaluation, ...)."""

    __tablename__ = "evidence"
    __table_args__ = (
        Index(
            "ix_evidence_programme_organisation_cycle",
            "programme_id",
            "organisation_id",
            "cycle_number",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[str] = mapped_column(slug())
    organisation_id: Mapped[str] = mapped_column(slug())
    cycle_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(slug())
    reference: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
