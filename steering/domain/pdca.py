"""The PDCA cycle: exit gates of the phases and the recorded moves from one phase to the next."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from steering.domain.definition.programme import ProgrammeDefinition
from steering.domain.integration import (
    ProgressError,
    StepState,
    StepStatus,
    driver_label,
    find_organisation,
)
from steering.domain.vocabulary import Phase, label
from steering.i18n import N_, tr

PHASES: tuple[Phase, ...] = tuple(Phase)


class PhaseError(ProgressError):
    """A refused phase transition."""


class UnknownPhase(PhaseError):
    """The text names no PDCA phase."""


class PhaseOrderError(PhaseError):
    """The target is not the next phase (phases are never skipped or revisited)."""


class GateNotMet(PhaseError):
    """The exit gate of the current phase is not met and no override was given."""

    def __init__(
        self, missing: list[str], from_phase: Phase, to_phase: Phase, **facts: object
    ) -> None:
        super().__init__(N_("Cannot move from {source} to {target}, missing: {unmet}"), **facts)
        self.missing = missing
        self.from_phase = from_phase
        self.to_phase = to_phase


class OverrideNeedsReason(PhaseError):
    """A manual override of an unmet gate was given without a reason."""


@dataclass(frozen=True)
class Cycle:
    """One pass of an organisation through plan, do, check and act."""

    number: int
    phase: Phase


@dataclass(frozen=True)
class Requirement:
    """One thing an exit gate checks: a step of a driver, or a kind of evidence."""

    kind: Literal["step", "evidence"]
    met: bool
    driver: str | None = None
    step: int | None = None
    title: str | None = None
    evidence: str | None = None

    def describe_missing(self, lang: str = "de") -> str:
        """What is missing, readable, e.g. 'Nachweis 'evaluation' fehlt'."""
        if self.kind == "evidence":
            return tr("Evidence '{evidence}' missing", lang, evidence=self.evidence)
        driver = driver_label(self.driver or "", lang)
        return tr(
            "Step {step} ({title}) for driver {driver} not done",
            lang,
            step=self.step,
            title=self.title,
            driver=driver,
        )

    def as_record(self) -> dict[str, object]:
        """The requirement as a JSON-ready record (kept with a transition)."""
        if self.kind == "evidence":
            return {"requirement": "evidence", "kind": self.evidence, "met": self.met}
        return {"requirement": "step", "driver": self.driver, "step": self.step, "met": self.met}


@dataclass(frozen=True)
class GateStatus:
    """Whether an organisation may leave its current phase, and what is still missing."""

    phase: Phase
    next_phase: Phase
    met: bool
    missing: list[str]
    organisation_id: str = ""
    cycle: int = 1
    requirements: tuple[Requirement, ...] = field(default=())


@dataclass(frozen=True)
class Transition:
    """A move of a cycle to the next phase: who, when, why, on what evidence, overridden or not."""

    organisation_id: str
    cycle: int
    from_phase: Phase
    to_phase: Phase
    actor: str
    reason: str
    evidence: tuple[dict[str, object], ...]
    override: bool
    at: datetime

    @property
    def starts_cycle(self) -> bool:
        """The move from act to plan, which closes this cycle and starts the next."""
        return self.from_phase is Phase.ACT and self.to_phase is Phase.PLAN


def phase_label(phase: Phase) -> str:
    """The phase's name as users say it in both languages: Plan, Do, Check, Act."""
    return label(phase.value, "de")


def next_phase(phase: Phase) -> Phase:
    """The phase after `phase` (act is followed by plan of the next cycle)."""
    return PHASES[(PHASES.index(phase) + 1) % len(PHASES)]


def parse_phase(text: str) -> Phase:
    """The phase named by `text` (plan, do, check, act; any case)."""
    wanted = text.strip().casefold()
    for phase in PHASES:
        if wanted == phase.value:
            return phase
    known = ", ".join(p.value for p in PHASES)
    raise UnknownPhase(N_("Unknown phase '{text}' (allowed: {known})"), text=text, known=known)


def phase_title(definition: ProgrammeDefinition, phase: Phase) -> str:
    """The configured title of a phase, e.g. 'Plan – Digitalisierungsstrategie entwickeln'."""
    return next(p.title for p in definition.pdca.phases if p.id == phase)


def gate_status(
    definition: ProgrammeDefinition,
    organisation_id: str,
    cycle: Cycle,
    steps: list[StepState],
    evidence_kinds: Set[str],
    *,
    lang: str = "de",
) -> GateStatus:
    """Check the current phase's exit gate: steps done for each selected driver, evidence here.

    `evidence_kinds` are the kinds recorded in this cycle; the caller selects them.
    """
    organisation = find_organisation(definition, organisation_id)
    gate = next(p.exit_gate for p in definition.pdca.phases if p.id == cycle.phase)
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    done = {(s.driver, s.step) for s in steps if s.status is StepStatus.DONE}
    requirements = [
        Requirement(
            kind="step",
            met=(str(driver), number) in done,
            driver=str(driver),
            step=number,
            title=titles.get(number, "?"),
        )
        for driver in organisation.drivers
        for number in gate.steps_done
    ]
    requirements += [
        Requirement(kind="evidence", met=kind in evidence_kinds, evidence=kind)
        for kind in gate.evidence
    ]
    return GateStatus(
        phase=cycle.phase,
        next_phase=next_phase(cycle.phase),
        met=all(r.met for r in requirements),
        missing=[r.describe_missing(lang) for r in requirements if not r.met],
        organisation_id=organisation_id,
        cycle=cycle.number,
        requirements=tuple(requirements),
    )


@dataclass(frozen=True)
class MissingRequirements:
    """The unmet requirements of a gate, read in the reader's language."""

    requirements: tuple[Requirement, ...]

    def text(self, lang: str = "de") -> str:
        """The unmet requirements, '; '-separated."""
        return "; ".join(r.describe_missing(lang) for r in self.requirements if not r.met)


def advance(
    cycle: Cycle,
    gate: GateStatus,
    *,
    actor: str,
    reason: str,
    at: datetime,
    override: bool = False,
) -> tuple[Cycle, Transition]:
    """Move to the next phase if the gate is met, or if overridden with a reason."""
    if gate.phase is not cycle.phase or gate.cycle != cycle.number:
        raise ValueError(f"the gate of {gate.phase} (cycle {gate.cycle}) does not fit {cycle}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a transition needs an aware timestamp")
    source, target = phase_label(cycle.phase), phase_label(gate.next_phase)
    if not gate.met:
        if not override:
            raise GateNotMet(
                gate.missing,
                cycle.phase,
                gate.next_phase,
                source=source,
                target=target,
                unmet=MissingRequirements(tuple(gate.requirements)),
            )
        if not reason.strip():
            raise OverrideNeedsReason(
                N_("Moving from {source} to {target} despite missing criteria needs a reason"),
                source=source,
                target=target,
            )
    wraps = gate.next_phase is Phase.PLAN
    new_cycle = Cycle(cycle.number + 1 if wraps else cycle.number, gate.next_phase)
    transition = Transition(
        organisation_id=gate.organisation_id,
        cycle=cycle.number,
        from_phase=cycle.phase,
        to_phase=gate.next_phase,
        actor=actor,
        reason=reason.strip(),
        evidence=tuple(r.as_record() for r in gate.requirements),
        override=override and not gate.met,
        at=at,
    )
    return new_cycle, transition


def advance_to(
    cycle: Cycle,
    target: Phase,
    gate: GateStatus,
    *,
    actor: str,
    reason: str,
    at: datetime,
    override: bool = False,
) -> tuple[Cycle, Transition]:
    """Move to `target`, which must be the next phase: phases are never skipped or revisited."""
    expected = next_phase(cycle.phase)
    if target is not expected:
        current, wanted, nxt = phase_label(cycle.phase), phase_label(target), phase_label(expected)
        if target is cycle.phase:
            raise PhaseOrderError(
                N_("Cycle {cycle} is already in phase {current}"),
                cycle=cycle.number,
                current=current,
            )
        raise PhaseOrderError(
            N_(
                "From {current} the only next phase is {next}, not {wanted}: phases are not skipped"
            ),
            current=current,
            next=nxt,
            wanted=wanted,
        )
    return advance(cycle, gate, actor=actor, reason=reason, at=at, override=override)


def phase_due_date(definition: ProgrammeDefinition, phase: Phase, started_on: date) -> date:
    """The day a phase is due to end: its start plus the phase's configured duration."""
    template = next(p for p in definition.pdca.phases if p.id == phase)
    return started_on + timedelta(days=template.default_duration_days)


def phase_days_overdue(due: date, as_of: date) -> int:
    """How many days a still running phase is past its due date on `as_of` (0 if in time)."""
    return max((as_of - due).days, 0)
