"""The driver integration: numbered steps per organisation and selected driver, opened in order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol, runtime_checkable

from steering.domain.definition.organisations import Organisation
from steering.domain.definition.process import DriverIntegrationTemplate, StepTemplate
from steering.domain.definition.programme import ProgrammeDefinition
from steering.domain.vocabulary import Driver, Phase, label
from steering.i18n import N_, tr


class StepStatus(StrEnum):
    """Where a step stands: not yet reachable, to be worked on, or finished."""

    LOCKED = "locked"
    OPEN = "open"
    DONE = "done"


@runtime_checkable
class Readable(Protocol):
    """A fact of a message that reads differently per language (a label, a decision)."""

    def text(self, lang: str = "de") -> str:
        """The fact in the given language."""
        ...


@dataclass(frozen=True)
class Labelled:
    """A vocabulary value shown by its label in the reader's language."""

    value: str

    def text(self, lang: str = "de") -> str:
        """The value's label in the given language."""
        return label(self.value, lang)


class ProgressError(ValueError):
    """A refused change to steps or phases: a msgid and its facts, translated when shown."""

    def __init__(self, msgid: str, /, **facts: object) -> None:
        self.msgid = msgid
        self.facts = facts
        super().__init__(self.text("de"))

    def text(self, lang: str = "de") -> str:
        """The message in the given language."""
        shown = {k: v.text(lang) if isinstance(v, Readable) else v for k, v in self.facts.items()}
        return tr(self.msgid, lang, **shown)


class UnknownOrganisation(ProgressError):
    """The organisation is not in the programme definition."""


class UnknownDriver(ProgressError):
    """The driver is not one of the known drivers."""


class DriverNotSelected(ProgressError):
    """The organisation did not select this driver."""


class UnknownStep(ProgressError):
    """The step (or sub-task) does not exist in the driver integration."""


class StepLocked(ProgressError):
    """The step cannot be worked on before the previous step is done."""


@dataclass(frozen=True)
class StepState:
    """One step of one driver's integration in one organisation."""

    driver: str
    step: int
    status: StepStatus
    owner: str | None = None
    due_date: date | None = None
    evidence_url: str | None = None
    done_at: date | None = None
    subtasks_done: tuple[bool, ...] = ()

    @property
    def subtasks_complete(self) -> bool:
        """All sub-tasks are ticked (a step without sub-tasks counts as complete)."""
        return all(self.subtasks_done)

    def is_overdue(self, today: date) -> bool:
        """The step is open and its due date has passed."""
        return (
            self.status is StepStatus.OPEN and self.due_date is not None and self.due_date < today
        )


@dataclass(frozen=True)
class StepCompleted:
    """A step was marked done."""

    driver: str
    step: int
    on: date
    evidence_url: str | None


@dataclass(frozen=True)
class StepOpened:
    """A step became workable, with its due date."""

    driver: str
    step: int
    due_date: date | None


@dataclass(frozen=True)
class SubtaskTicked:
    """A sub-task of a step was ticked off."""

    driver: str
    step: int
    index: int
    on: date


@dataclass(frozen=True)
class StepAssigned:
    """A step got an owner and/or a due date by hand."""

    driver: str
    step: int
    owner: str | None
    due_date: date | None


class UnknownPerson(ProgressError):
    """The person is not among the people of the programme definition."""


IntegrationEvent = StepCompleted | StepOpened | SubtaskTicked | StepAssigned


def driver_label(driver: str, lang: str = "de") -> str:
    """The readable name of a driver, e.g. 'Online-Plattformen'."""
    return label(driver, lang)


def find_organisation(definition: ProgrammeDefinition, organisation_id: str) -> Organisation:
    """The organisation with this id, or refuse naming the known ones."""
    try:
        return definition.organisation(organisation_id)
    except KeyError:
        pass
    known = ", ".join(o.id for o in definition.organisations) or "–"
    raise UnknownOrganisation(
        N_("Unknown organisation '{organisation_id}' (known: {known})"),
        organisation_id=organisation_id,
        known=known,
    )


def parse_driver(text: str) -> Driver:
    """The driver named by its id or its German or English label, case-insensitively."""
    wanted = text.strip().casefold()
    for driver in Driver:
        names = {driver.value, label(driver.value, "de"), label(driver.value, "en")}
        if wanted in {n.casefold() for n in names if n}:
            return driver
    known = ", ".join(d.value for d in Driver)
    raise UnknownDriver(N_("Unknown driver '{text}' (allowed: {known})"), text=text, known=known)


def selected_driver(organisation: Organisation, text: str) -> Driver:
    """The driver named by `text`, refused unless the organisation selected it."""
    driver = parse_driver(text)
    if driver not in organisation.drivers:
        chosen = ", ".join(d.value for d in organisation.drivers) or "–"
        raise DriverNotSelected(
            N_("{organisation} did not select the driver {driver} (selected: {chosen})"),
            organisation=organisation.id,
            driver=Labelled(driver),
            chosen=chosen,
        )
    return driver


def step_template(template: DriverIntegrationTemplate, step: int) -> StepTemplate:
    """The template of step `step`, or refuse naming the valid range."""
    if 1 <= step <= len(template.steps):
        return template.steps[step - 1]
    last = len(template.steps)
    raise UnknownStep(
        N_("Step {step} does not exist in the driver integration (1 to {last})"),
        step=step,
        last=last,
    )


def step_phase(template: DriverIntegrationTemplate, step: int) -> Phase:
    """The PDCA phase a step belongs to (built-in: 1-4 plan, 5-8 do, 9 check, 10-12 act)."""
    return step_template(template, step).phase


def phase_steps(template: DriverIntegrationTemplate, phase: Phase) -> list[int]:
    """The numbers of the steps that belong to a phase."""
    return [s.number for s in template.steps if s.phase == phase]


def plan_integration(
    definition: ProgrammeDefinition, organisation_id: str, start: date
) -> list[StepState]:
    """Lay out the steps of every driver the organisation selected, starting on `start`."""
    organisation = find_organisation(definition, organisation_id)
    return [
        state
        for driver in organisation.drivers
        for state in plan_driver(definition.driver_integration, organisation, driver, start)
    ]


def plan_driver(
    template: DriverIntegrationTemplate, organisation: Organisation, driver: str, start: date
) -> list[StepState]:
    """Lay out one driver's steps: the first open (all open unless sequential), the rest locked.

    Steps have no owner of their own until one is assigned; until then the organisation's
    owners answer for them (and are reminded).
    """
    owner = None
    states = []
    for step in template.steps:
        workable = step.number == 1 or not template.sequential
        states.append(
            StepState(
                driver=str(driver),
                step=step.number,
                status=StepStatus.OPEN if workable else StepStatus.LOCKED,
                owner=owner,
                due_date=start + timedelta(days=step.default_duration_days) if workable else None,
                subtasks_done=(False,) * len(step.subtasks),
            )
        )
    return states


def _index(states: list[StepState], driver: str, step: int) -> int:
    for i, state in enumerate(states):
        if state.driver == driver and state.step == step:
            return i
    if driver not in {d.value for d in Driver}:
        parse_driver(driver)  # refuses with the list of known drivers
    if driver not in {s.driver for s in states}:
        raise DriverNotSelected(
            N_("No integration is planned for the driver {driver} (not selected)"),
            driver=Labelled(driver),
        )
    last = max(s.step for s in states if s.driver == driver)
    raise UnknownStep(
        N_("Step {step} does not exist in the driver integration (1 to {last})"),
        step=step,
        last=last,
    )


def _refuse_locked(state: StepState) -> None:
    before = state.step - 1
    raise StepLocked(
        N_("Step {step} for driver {driver} is still locked: complete step {before} first"),
        step=state.step,
        driver=Labelled(state.driver),
        before=before,
    )


def complete_step(
    states: list[StepState],
    driver: str,
    step: int,
    *,
    on: date,
    template: DriverIntegrationTemplate,
    evidence_url: str | None = None,
) -> tuple[list[StepState], list[IntegrationEvent]]:
    """Mark a step done (ticking its sub-tasks) and, if sequential, open the next one."""
    i = _index(states, driver, step)
    state = states[i]
    if state.status is StepStatus.DONE:
        return list(states), []
    if state.status is StepStatus.LOCKED:
        _refuse_locked(state)
    new = list(states)
    new[i] = replace(
        state,
        status=StepStatus.DONE,
        done_at=on,
        evidence_url=evidence_url or state.evidence_url,
        subtasks_done=(True,) * len(state.subtasks_done),
    )
    events: list[IntegrationEvent] = [StepCompleted(driver, step, on, evidence_url)]
    if template.sequential and step < len(template.steps):
        j = _index(new, driver, step + 1)
        following = new[j]
        if following.status is StepStatus.LOCKED:
            # A due date assigned by hand beforehand is kept.
            duration = step_template(template, step + 1).default_duration_days
            due = following.due_date or on + timedelta(days=duration)
            new[j] = replace(following, status=StepStatus.OPEN, due_date=due)
            events.append(StepOpened(driver, step + 1, due))
    return new, events


def tick_subtask(
    states: list[StepState], driver: str, step: int, index: int, on: date
) -> tuple[list[StepState], list[IntegrationEvent]]:
    """Tick off one sub-task of an open step; ticking a done step's sub-task changes nothing."""
    i = _index(states, driver, step)
    state = states[i]
    if not 0 <= index < len(state.subtasks_done):
        count = len(state.subtasks_done)
        raise UnknownStep(
            N_("Step {step} has no sub-task {value} ({count} sub-tasks)"),
            step=step,
            value=index + 1,
            count=count,
        )
    if state.status is StepStatus.LOCKED:
        _refuse_locked(state)
    if state.subtasks_done[index]:
        return list(states), []
    ticks = list(state.subtasks_done)
    ticks[index] = True
    new = list(states)
    new[i] = replace(state, subtasks_done=tuple(ticks))
    return new, [SubtaskTicked(driver, step, index, on)]


def assign_step(
    states: list[StepState],
    driver: str,
    step: int,
    *,
    owner: str | None = None,
    due_date: date | None = None,
) -> tuple[list[StepState], list[IntegrationEvent]]:
    """Give a step an owner and/or a due date (None keeps the current one)."""
    i = _index(states, driver, step)
    state = states[i]
    changed = replace(
        state,
        owner=owner if owner is not None else state.owner,
        due_date=due_date if due_date is not None else state.due_date,
    )
    if changed == state:
        return list(states), []
    new = list(states)
    new[i] = changed
    return new, [StepAssigned(driver, step, changed.owner, changed.due_date)]


def progress(states: list[StepState], driver: str) -> tuple[int, int]:
    """How many of a driver's steps are done, out of how many."""
    mine = [s for s in states if s.driver == driver]
    return sum(s.status is StepStatus.DONE for s in mine), len(mine)


def overdue(states: list[StepState], today: date) -> list[StepState]:
    """Open steps whose due date lies before `today`."""
    return [s for s in states if s.is_overdue(today)]


def open_steps(states: list[StepState], driver: str) -> list[StepState]:
    """A driver's open steps in order."""
    return sorted(
        (s for s in states if s.driver == driver and s.status is StepStatus.OPEN),
        key=lambda s: s.step,
    )


def planned_due_dates(
    states: list[StepState], driver: str, template: DriverIntegrationTemplate
) -> dict[int, date]:
    """Per step of a driver, the day it is due: its own due date, else the plan's chain.

    A step without a due date yet (locked) is due its template duration after the step
    before it is due; steps before the first dated one have no due date.
    """
    mine = sorted((s for s in states if s.driver == driver), key=lambda s: s.step)
    due: dict[int, date] = {}
    previous: date | None = None
    for state in mine:
        if state.due_date is not None:
            previous = state.due_date
        elif previous is not None:
            duration = step_template(template, state.step).default_duration_days
            previous = previous + timedelta(days=duration)
        if previous is not None:
            due[state.step] = previous
    return due


@dataclass(frozen=True)
class ProgressFigures:
    """An organisation's driver integration as of a day, measured against the plan.

    `steps_done` and `steps_planned` are per driver (the mean over the selected drivers);
    `on_plan` is done / planned over all drivers (1.0 while nothing is due yet); overdue steps
    are those due before the day and not done by it (locked steps behind an overdue one too).
    """

    steps_done: float
    steps_planned: float
    on_plan: float
    overdue_steps: int
    days_overdue: int


def progress_figures(
    states: list[StepState],
    drivers: list[str],
    template: DriverIntegrationTemplate,
    *,
    as_of: date,
) -> ProgressFigures:
    """Measure one organisation's steps against their due dates as of `as_of`."""
    done = planned = late = 0
    worst = 0
    for driver in drivers:
        due = planned_due_dates(states, driver, template)
        for state in (s for s in states if s.driver == driver):
            finished = (
                state.status is StepStatus.DONE
                and state.done_at is not None
                and state.done_at <= as_of
            )
            done += finished
            day = due.get(state.step)
            if day is None or day > as_of:
                continue
            planned += 1
            if not finished and day < as_of:
                late += 1
                worst = max(worst, (as_of - day).days)
    count = max(len(drivers), 1)
    return ProgressFigures(
        steps_done=done / count,
        steps_planned=planned / count,
        on_plan=1.0 if planned == 0 else done / planned,
        overdue_steps=late,
        days_overdue=worst,
    )


def subtask_summary(state: StepState, template: DriverIntegrationTemplate, lang: str = "de") -> str:
    """The ticks of a step's sub-tasks, e.g. 'Teilaufgaben 1/2: ✓ Ziele; ☐ Bedarf' ('' if none)."""
    names = step_template(template, state.step).subtasks
    if not names:
        return ""
    ticks = list(state.subtasks_done) + [False] * (len(names) - len(state.subtasks_done))
    marks = "; ".join(
        f"{'✓' if done else '☐'} {name}" for name, done in zip(names, ticks, strict=False)
    )
    done = sum(ticks[: len(names)])
    return tr("Sub-tasks {done}/{total}: {marks}", lang, done=done, total=len(names), marks=marks)
