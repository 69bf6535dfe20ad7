"""Read models of the portal's pages: an organisation's cycle, steps, lights and decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.entry import enterable_indicators, open_periods
from steering.domain.evaluation.explain import explain
from steering.domain.integration import StepState, driver_label
from steering.domain.pdca import phase_label
from steering.domain.vocabulary import Dimension, label
from steering.ports.store import UnitOfWork
from steering.services.decisions import LeadView, lead_views
from steering.services.integration import plan_new_pass
from steering.services.pdca import PhaseView, phase_status
from steering.services.presentation import light_text


@dataclass(frozen=True)
class StepLine:
    """One step as the page lists it, with its sub-tasks (title, ticked)."""

    driver: str
    number: int
    title: str
    status: str
    owner: str | None
    due: date | None
    overdue: bool
    evidence: str | None
    subtasks: list[tuple[str, bool]]


@dataclass(frozen=True)
class DriverSteps:
    """One driver's steps in an organisation."""

    driver: str
    label: str
    done: int
    steps: list[StepLine]


@dataclass(frozen=True)
class LightLine:
    """One dimension's light with its reason."""

    dimension: str
    light: str | None
    text: str
    reason: str


@dataclass(frozen=True)
class OrganisationPage:
    """Everything the organisation page shows."""

    organisation_id: str
    name: str
    phase: PhaseView
    phase_label: str
    next_label: str
    drivers: list[DriverSteps]
    period: str | None
    lights: list[LightLine]
    engine_decision: str
    lead: LeadView | None
    reminders: list[str] = field(default_factory=list)
    evidence_kinds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ValueForm:
    """What a participant may enter for an organisation: indicators and open periods."""

    indicators: list[tuple[str, str, str]]  # key, title, unit
    periods: list[str]
    # (indicator title, period, value) of the current values already stored for them.
    stored: list[tuple[str, str, float]] = field(default_factory=list)


def _step_line(definition: ProgrammeDefinition, state: StepState, today: date) -> StepLine:
    template = next(s for s in definition.driver_integration.steps if s.number == state.step)
    ticks = list(state.subtasks_done) + [False] * (
        len(template.subtasks) - len(state.subtasks_done)
    )
    return StepLine(
        driver=state.driver,
        number=state.step,
        title=template.title,
        status=str(state.status),
        owner=state.owner,
        due=state.due_date,
        overdue=state.is_overdue(today),
        evidence=state.evidence_url,
        subtasks=list(zip(template.subtasks, ticks, strict=False)),
    )


def _lights(
    definition: ProgrammeDefinition, organisation_id: str, *, uow: UnitOfWork, lang: str
) -> tuple[str | None, list[LightLine], str | None]:
    """The latest programme checkpoint's period, the organisation's lights and decision.

    Read only: a page view writes nothing (programme_status would sync the organisations)."""
    with uow:
        latest = uow.repo.latest_checkpoint(definition.programme.id)
        if latest is None:
            return None, [], None
        period = latest.period
        frame = uow.repo.lights_frame(latest.id, organisation=organisation_id)
        decision = next(
            (d.decision for d in uow.repo.decisions(latest.id, organisation=organisation_id)),
            "continue",
        )
    mine = frame[frame["organisation"] == organisation_id]
    stored = dict(
        zip(mine["dimension"], zip(mine["light"], mine["reasons"], strict=True), strict=True)
    )
    lines = []
    for dim in (d.value for d in Dimension):
        light, reasons = stored.get(dim, (None, None))
        why = explain(reasons, light, lang, with_light=False) if light and reasons else ""
        lines.append(LightLine(label(dim, lang), light, light_text(light, lang), why))
    return period, lines, decision


def organisation_page(
    definition: ProgrammeDefinition,
    organisation_id: str,
    *,
    uow: UnitOfWork,
    now: datetime,
    lang: str,
) -> OrganisationPage:
    """Read the organisation's phase, gate, steps per driver, lights and decisions."""
    tz = ZoneInfo(definition.programme.timezone)
    today = now.astimezone(tz).date()
    organisation = definition.organisation(organisation_id)
    with uow:
        repo = uow.progress(definition.programme.id)
        states = repo.steps(organisation_id, tz=tz)
        if organisation.active and {d.value for d in organisation.drivers} - {
            s.driver for s in states
        }:
            # Planned as `steer step` or the integration flow would: participants act on steps.
            plan_new_pass(definition, repo, uow, organisation_id, now=now, actor="portal")
            uow.commit()
            states = repo.steps(organisation_id, tz=tz)
    phase = phase_status(definition, organisation_id, uow=uow, lang=lang, now=now)
    drivers = []
    for driver in organisation.drivers:
        mine = sorted((s for s in states if s.driver == driver.value), key=lambda s: s.step)
        lines = [_step_line(definition, s, today) for s in mine]
        done = sum(1 for s in lines if s.status == "done")
        drivers.append(DriverSteps(driver.value, driver_label(driver.value, lang), done, lines))
    period, lights, decision = _lights(definition, organisation_id, uow=uow, lang=lang)
    lead = lead_views(definition, uow=uow, period=period).get(organisation_id)
    reminders = [
        f"{line.title} ({driver.label})"
        for driver in drivers
        for line in driver.steps
        if line.status == "open" and line.due is not None and line.due <= today
    ]
    if phase.days_overdue:
        reminders.append(f"{phase_label(phase.cycle.phase)}: {phase.phase_title}")
    kinds = sorted({k for p in definition.pdca.phases for k in p.exit_gate.evidence})
    return OrganisationPage(
        organisation_id=organisation_id,
        name=organisation.name,
        phase=phase,
        phase_label=phase_label(phase.cycle.phase),
        next_label=phase_label(phase.gate.next_phase),
        drivers=drivers,
        period=period,
        lights=lights,
        engine_decision=label(decision, lang) if decision else "",
        lead=lead,
        reminders=reminders,
        evidence_kinds=kinds,
    )


def value_form(
    definition: ProgrammeDefinition,
    organisation_id: str,
    today: date,
    *,
    uow: UnitOfWork | None = None,
) -> ValueForm:
    """The indicators the organisation's owners enter by hand, the periods open for them and,
    with `uow`, the values stored for them so far."""
    indicators = enterable_indicators(definition, organisation_id)
    periods = [p.id for p in open_periods(definition, today)]
    stored: list[tuple[str, str, float]] = []
    if uow is not None and indicators and periods:
        titles = {i.key: i.title for i in indicators}
        with uow:
            frame = uow.repo.measurements_frame(definition.programme.id)
        mine = frame[
            (frame["organisation"] == organisation_id)
            & frame["indicator"].isin(list(titles))
            & frame["period"].isin(periods)
        ]
        stored = [
            (titles[str(row.indicator)], str(row.period), float(row.value))
            for row in mine.itertuples(index=False)
        ]
    return ValueForm(
        indicators=[(i.key, i.title, i.unit) for i in indicators],
        periods=periods,
        stored=stored,
    )
