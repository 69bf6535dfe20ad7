"""Use case: the project lead decides on an organisation for a period (continue, adapt, abort)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import ProgressError, find_organisation
from steering.domain.reporting.formats import day_text
from steering.domain.vocabulary import label
from steering.ports.records import LeadDecisionRecord
from steering.ports.store import UnitOfWork
from steering.services.checkpoints import checkpoint_key

LeadDecision = Literal["continue", "adapt", "abort"]
# What the abort criteria say when the lead has to decide.
CALLS_FOR_LEAD = ("escalate", "abort_review")


class DecisionRefused(ProgressError):
    """A decision that cannot be recorded (no checkpoint, no open review, bad input)."""


@dataclass(frozen=True)
class LeadView:
    """The lead's decision on an organisation as people see it."""

    organisation: str
    period: str
    decision: str  # continue | adapt | abort
    comment: str
    decided_by: str
    decided_at: datetime
    review: str | None  # what the abort criteria had asked for

    @property
    def aborted(self) -> bool:
        """True when this decision ended the organisation's participation."""
        return self.decision == "abort"

    def context(self, lang: str = "de") -> str:
        """Period, who and when, e.g. '2019-H2, projektleitung, 12.02.2020'."""
        return f"{self.period}, {self.decided_by}, {day_text(self.decided_at, lang)}"

    def text(self, lang: str = "de") -> str:
        """E.g. 'fortsetzen (2019-H2, projektleitung, 12.02.2020): Schulungen verdoppeln'."""
        word = label("aborted" if self.aborted else self.decision, lang)
        return f"{word} ({self.context(lang)}): {self.comment}"


def _view(row: LeadDecisionRecord) -> LeadView:
    return LeadView(
        row.organisation_id,
        row.period,
        row.decision,
        row.comment,
        row.decided_by,
        row.decided_at,
        row.review,
    )


def record_decision(
    definition: ProgrammeDefinition,
    *,
    organisation: str,
    period: str,
    decision: str,
    comment: str,
    actor: str,
    reference: str,
    uow: UnitOfWork,
    now: datetime,
    require_review: bool = True,
) -> LeadView:
    """Store the lead's decision for the organisation and period (audited with the actor).

    With `require_review` (the CLI) the period's programme checkpoint must ask the lead to
    decide (escalate or abort review) and no decision may exist yet. Without it (after an
    evaluation, the Check phase) the lead decides whatever the criteria said, and a new
    decision replaces an earlier one of the same period (the audit log keeps both).
    'abort' ends the organisation's participation from the next period on; its history stays.
    """
    find_organisation(definition, organisation)
    if decision not in get_args(LeadDecision):
        raise DecisionRefused(
            f"Unbekannte Entscheidung '{decision}' (continue, adapt oder abort)",
            f"Unknown decision '{decision}' (continue, adapt or abort)",
        )
    if period not in definition.period_ids():
        known = ", ".join(definition.period_ids())
        raise DecisionRefused(
            f"Unbekannter Zeitraum '{period}' (bekannt: {known})",
            f"Unknown period '{period}' (known: {known})",
        )
    if not comment.strip():
        raise DecisionRefused(
            "Die Entscheidung braucht eine Begründung (--comment)",
            "The decision needs a reason (--comment)",
        )
    pid = definition.programme.id
    with uow:
        repo = uow.repo
        checkpoint = repo.checkpoint(checkpoint_key(definition, period))
        review = None
        if checkpoint is not None and checkpoint.status == "completed":
            review = next(
                (d.decision for d in repo.decisions(checkpoint.id) if d.scope_key == organisation),
                None,
            )
        if require_review:
            _check_open_review(repo.lead_decisions(pid, period=period), organisation, period)
            if checkpoint is None or checkpoint.status != "completed":
                raise DecisionRefused(
                    f"Für {period} gibt es noch keinen Checkpoint; erst den Checkpoint laufen "
                    "lassen",
                    f"There is no checkpoint for {period} yet; run the checkpoint first",
                )
            if review not in CALLS_FOR_LEAD:
                said = label(review or "continue", "de"), label(review or "continue", "en")
                raise DecisionRefused(
                    f"Für {organisation} ist in {period} keine Prüfung offen (Abbruchkriterien: "
                    f"{said[0]}); entschieden wird nach einer Eskalation, einer Abbruchprüfung "
                    "oder nach einer Evaluation",
                    f"{organisation} has no open review in {period} (abort criteria: {said[1]}); "
                    "the lead decides after an escalation, an abort review or an evaluation",
                )
        row, earlier = repo.save_lead_decision(
            pid,
            organisation,
            period,
            {
                "decision": decision,
                "comment": comment.strip(),
                "decided_by": actor,
                "decided_at": now,
                "review": review,
                "reference": reference,
            },
        )
        repo.audit(
            actor=actor,
            action="lead-decided",
            subject_type="organisation",
            subject_id=organisation,
            details={
                "period": period,
                "decision": decision,
                "comment": comment.strip(),
                "reference": reference,
                "review": review,
                "replaced": earlier,
            },
            now=now,
        )
        view = _view(row)
        uow.commit()
    return view


def _check_open_review(
    decided: Sequence[LeadDecisionRecord], organisation: str, period: str
) -> None:
    for row in decided:
        if row.organisation_id == organisation:
            view = _view(row)
            raise DecisionRefused(
                f"{organisation} ist für {period} bereits entschieden: {view.text('de')}",
                f"{organisation} has already been decided for {period}: {view.text('en')}",
            )


def lead_views(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, period: str | None
) -> dict[str, LeadView]:
    """Organisation -> the lead's decision for `period`, or the abort that ended it before.

    Without a period: each organisation's latest decision.
    """
    pid = definition.programme.id
    with uow:
        rows = uow.repo.lead_decisions(pid)
        views = [_view(r) for r in rows]
    latest: dict[str, LeadView] = {}
    for view in views:  # oldest period first
        if period is None or view.period == period:
            latest[view.organisation] = view
        elif view.period < period:
            if view.aborted:
                latest[view.organisation] = view
            else:
                latest.pop(view.organisation, None)  # re-admitted by a later decision
    return latest
