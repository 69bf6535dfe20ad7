"""Use cases of the PDCA cycle: record evidence, show the gate, advance by hand or automatically."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import ProgressError, StepState, find_organisation, phase_steps
from steering.domain.pdca import (
    Cycle,
    GateStatus,
    Transition,
    advance,
    advance_to,
    gate_status,
    next_phase,
    parse_phase,
    phase_days_overdue,
    phase_due_date,
    phase_title,
)
from steering.domain.vocabulary import Phase
from steering.i18n import N_
from steering.ports.store import ProgressStore, UnitOfWork
from steering.services.integration import plan_new_pass

_KIND = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
AUTO_REASON = {
    "de": "Übergangskriterien erfüllt (automatisch)",
    "en": "Exit criteria met (automatic)",
}


@dataclass(frozen=True)
class EvidenceItem:
    """A recorded piece of evidence."""

    kind: str
    reference: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class EvidenceOutcome:
    """What recording evidence stored: in which cycle, and whether it was new."""

    organisation_id: str
    cycle: int
    kind: str
    reference: str
    recorded: bool


@dataclass(frozen=True)
class PhaseView:
    """An organisation's cycle, phase, exit gate, evidence of this cycle and transition history."""

    organisation_id: str
    name: str
    cycle: Cycle
    phase_title: str
    gate: GateStatus
    history: list[Transition] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    steps: list[StepState] = field(default_factory=list)  # the current phase's, this cycle
    phase_due: date | None = None  # start of the phase + its default_duration_days
    days_overdue: int = 0


def _sync_if_missing(
    uow: UnitOfWork, definition: ProgrammeDefinition, ids: list[str], now: datetime
) -> None:
    pid = definition.programme.id
    if not uow.repo.knows_organisations(pid, ids):
        uow.repo.sync_organisations(pid, definition.organisations, now)
        uow.repo.flush()


def _gate(
    definition: ProgrammeDefinition,
    repo: ProgressStore,
    organisation_id: str,
    cycle: Cycle,
    lang: str,
) -> GateStatus:
    tz = ZoneInfo(definition.programme.timezone)
    steps = repo.steps(organisation_id, tz=tz, cycle=cycle.number)
    kinds = repo.evidence_kinds(organisation_id, cycle.number)
    return gate_status(definition, organisation_id, cycle, steps, kinds, lang=lang)


def _audit_transition(uow: UnitOfWork, transition: Transition) -> None:
    uow.repo.audit(
        actor=transition.actor,
        action="phase-advanced",
        subject_type="organisation",
        subject_id=transition.organisation_id,
        details={
            "cycle": transition.cycle,
            "from": transition.from_phase.value,
            "to": transition.to_phase.value,
            "reason": transition.reason,
            "override": transition.override,
            "evidence": list(transition.evidence),
        },
        now=transition.at,
    )


def record_evidence(
    definition: ProgrammeDefinition,
    organisation_id: str,
    kind: str,
    reference: str,
    *,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> EvidenceOutcome:
    """Record evidence (e.g. a strategy_document) in the current cycle; once per reference."""
    find_organisation(definition, organisation_id)
    if not _KIND.match(kind):
        raise ProgressError(
            N_("'{kind}' is not a valid evidence kind (lowercase letters, digits, '-' and '_')"),
            kind=kind,
        )
    if not reference.strip():
        raise ProgressError(N_("The reference must not be empty"))
    with uow:
        _sync_if_missing(uow, definition, [organisation_id], now)
        repo = uow.progress(definition.programme.id)
        cycle = repo.current_cycle(organisation_id, now=now)
        recorded = repo.record_evidence(
            organisation_id, cycle.number, kind, reference.strip(), actor=actor, now=now
        )
        if recorded:
            uow.repo.audit(
                actor=actor,
                action="evidence-recorded",
                subject_type="organisation",
                subject_id=organisation_id,
                details={"cycle": cycle.number, "kind": kind, "reference": reference.strip()},
                now=now,
            )
        uow.commit()
    return EvidenceOutcome(organisation_id, cycle.number, kind, reference.strip(), recorded)


def phase_status(
    definition: ProgrammeDefinition,
    organisation_id: str,
    *,
    uow: UnitOfWork,
    lang: str = "de",
    now: datetime | None = None,
) -> PhaseView:
    """Read an organisation's cycle, phase, its due date, gate, steps of the phase and history.

    Cycle 1 in plan if none started; with `now`, how many days the phase is overdue.
    """
    organisation = find_organisation(definition, organisation_id)
    tz = ZoneInfo(definition.programme.timezone)
    with uow:
        repo = uow.progress(definition.programme.id)
        cycle = repo.find_cycle(organisation_id) or Cycle(1, Phase.PLAN)
        gate = _gate(definition, repo, organisation_id, cycle, lang)
        history = repo.transitions(organisation_id)
        evidence = [
            EvidenceItem(row.kind, row.reference, row.recorded_by, row.recorded_at)
            for row in repo.evidence(organisation_id, cycle.number)
        ]
        numbers = set(phase_steps(definition.driver_integration, cycle.phase))
        steps = [
            s for s in repo.steps(organisation_id, tz=tz, cycle=cycle.number) if s.step in numbers
        ]
        started = repo.phase_starts([organisation_id]).get(organisation_id)
    due = (
        None
        if started is None
        else phase_due_date(definition, cycle.phase, started.astimezone(tz).date())
    )
    late = 0 if due is None or now is None else phase_days_overdue(due, now.astimezone(tz).date())
    return PhaseView(
        organisation_id=organisation_id,
        name=organisation.name,
        cycle=cycle,
        phase_title=phase_title(definition, cycle.phase),
        gate=gate,
        history=history,
        evidence=evidence,
        steps=steps,
        phase_due=due,
        days_overdue=late,
    )


def advance_phase(
    definition: ProgrammeDefinition,
    organisation_id: str,
    *,
    to: Phase | str | None,
    reason: str,
    actor: str,
    override: bool,
    uow: UnitOfWork,
    now: datetime,
    lang: str = "de",
) -> Transition | None:
    """Move the organisation to the next phase (`to` must name it); None if already there."""
    find_organisation(definition, organisation_id)
    with uow:
        _sync_if_missing(uow, definition, [organisation_id], now)
        repo = uow.progress(definition.programme.id)
        cycle = repo.current_cycle(organisation_id, now=now)
        target = next_phase(cycle.phase) if to is None else parse_phase(str(to))
        if target is cycle.phase:
            uow.commit()  # keep a newly started cycle 1
            return None
        gate = _gate(definition, repo, organisation_id, cycle, lang)
        _, transition = advance_to(
            cycle, target, gate, actor=actor, reason=reason, at=now, override=override
        )
        repo.append_transition(transition)
        _audit_transition(uow, transition)
        if transition.starts_cycle:
            plan_new_pass(definition, repo, uow, organisation_id, now=now, actor=actor)
        uow.commit()
    return transition


def auto_advance(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    now: datetime,
    actor: str = "pdca-cycle",
    organisations: Sequence[str] | None = None,
) -> list[Transition]:
    """Advance every active (or each listed) organisation whose exit gate is met by one phase;
    organisations the lead aborted stay where they are."""
    lang = definition.programme.language
    ids = [
        o.id
        for o in definition.organisations
        if o.active and (organisations is None or o.id in organisations)
    ]
    transitions = []
    with uow:
        # An organisation whose participation the lead ended keeps its history but moves no more.
        ended = uow.repo.aborted_organisations(definition.programme.id)
        ids = [i for i in ids if i not in ended]
        _sync_if_missing(uow, definition, ids, now)
        repo = uow.progress(definition.programme.id)
        cycles = repo.current_cycles(ids, now=now)
        steps = repo.steps_by_organisation(ids, tz=ZoneInfo(definition.programme.timezone))
        passes = repo.newest_passes(ids)
        kinds = repo.evidence_kinds_by_cycle(ids)
        for org_id in ids:
            cycle = cycles[org_id]
            mine = steps.get(org_id, []) if passes.get(org_id, 1) == cycle.number else []
            gate = gate_status(
                definition,
                org_id,
                cycle,
                mine,
                kinds.get((org_id, cycle.number), set()),
                lang=lang,
            )
            if not gate.met:
                continue
            _, transition = advance(cycle, gate, actor=actor, reason=AUTO_REASON[lang], at=now)
            repo.append_transition(transition)
            _audit_transition(uow, transition)
            if transition.starts_cycle:
                plan_new_pass(definition, repo, uow, org_id, now=now, actor=actor)
            transitions.append(transition)
        uow.commit()
    return transitions
