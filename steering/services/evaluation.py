"""Use case: record the project lead's decision after an evaluation (Check phase)."""

from __future__ import annotations

from datetime import datetime

from steering.domain.definition import ProgrammeDefinition
from steering.ports.store import UnitOfWork
from steering.services.decisions import LeadDecision, LeadView, record_decision
from steering.services.pdca import record_evidence

__all__ = ["LeadDecision", "record_lead_decision"]


def record_lead_decision(
    definition: ProgrammeDefinition,
    *,
    organisation: str,
    period: str,
    decision: LeadDecision,
    comment: str,
    actor: str,
    reference: str,
    uow: UnitOfWork,
    evidence_uow: UnitOfWork,
    now: datetime,
) -> LeadView:
    """Store who decided what and why for the period; the evaluation counts as evidence.

    The decision belongs to the organisation's period (it closes the programme
    checkpoint's abort review), not to the evaluation's own run; an evaluation may be
    decided whatever the abort criteria said.
    """
    view = record_decision(
        definition,
        organisation=organisation,
        period=period,
        decision=decision,
        comment=comment,
        actor=actor,
        reference=reference,
        uow=uow,
        now=now,
        require_review=False,
    )
    record_evidence(
        definition, organisation, "evaluation", reference, uow=evidence_uow, now=now, actor=actor
    )
    return view
