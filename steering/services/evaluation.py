"""Use case: record the project lead's decision after an evaluation (Check phase)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import select

from steering.adapters.db.models import AbortDecisionRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.services.pdca import record_evidence

LeadDecision = Literal["continue", "adapt", "abort"]


class CheckpointMissing(LookupError):
    """The evaluation's checkpoint has not been stored."""


def record_lead_decision(
    definition: ProgrammeDefinition,
    *,
    organisation: str,
    checkpoint_key: str,
    decision: LeadDecision,
    comment: str,
    actor: str,
    reference: str,
    uow: SqlUnitOfWork,
    evidence_uow: SqlUnitOfWork,
    now: datetime,
) -> None:
    """Store who decided what and why; the evaluation counts as evidence for Check -> Act.

    An 'abort' is recorded, never executed: deactivating an organisation stays a
    deliberate change of the programme definition.
    """
    with uow:
        repo = uow.repo
        checkpoint = repo.checkpoint(checkpoint_key)
        if checkpoint is None:
            raise CheckpointMissing(checkpoint_key)
        row = uow.session.scalars(
            select(AbortDecisionRow).where(
                AbortDecisionRow.checkpoint_id == checkpoint.id,
                AbortDecisionRow.scope_key == organisation,
            )
        ).first()
        if row is not None:
            row.human_decision = decision
            row.human_comment = comment
            row.decided_by = actor
        repo.audit(
            actor=actor,
            action="evaluation-decided",
            subject_type="organisation",
            subject_id=organisation,
            details={
                "checkpoint": checkpoint_key,
                "decision": decision,
                "comment": comment,
                "reference": reference,
            },
            now=now,
        )
        uow.commit()
    record_evidence(
        definition, organisation, "evaluation", reference, uow=evidence_uow, now=now, actor=actor
    )
