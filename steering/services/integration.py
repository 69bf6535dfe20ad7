"""Use cases of the driver integration: plan the steps, complete steps, tick sub-tasks, overview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from steering.domain import integration as steps_domain
from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import (
    StepOpened,
    StepState,
    UnknownPerson,
    find_organisation,
    open_steps,
    plan_driver,
    selected_driver,
    step_template,
)
from steering.i18n import N_
from steering.ports.store import ProgressStore, UnitOfWork


@dataclass(frozen=True)
class StepOutcome:
    """What completing a step changed: the step, whether it was new, the step it opened."""

    organisation_id: str
    driver: str
    step: StepState
    completed: bool
    opened: StepState | None = None
    done: int = 0
    total: int = 0


@dataclass(frozen=True)
class DriverProgress:
    """One organisation's integration of one driver at a glance."""

    organisation_id: str
    driver: str
    done: int
    total: int
    open: list[StepState] = field(default_factory=list)
    overdue: list[StepState] = field(default_factory=list)


def local_today(definition: ProgrammeDefinition, now: datetime) -> date:
    """The calendar day `now` falls on in the programme's timezone."""
    return now.astimezone(ZoneInfo(definition.programme.timezone)).date()


def start_of_day(definition: ProgrammeDefinition, day: date) -> datetime:
    """Midnight of `day` in the programme's timezone (an aware timestamp)."""
    return datetime.combine(day, time(0), ZoneInfo(definition.programme.timezone))


def _plan_missing(
    definition: ProgrammeDefinition,
    repo: ProgressStore,
    uow: UnitOfWork,
    organisation_ids: list[str],
    *,
    today: date,
    now: datetime,
    actor: str,
) -> int:
    """Plan a pass of the steps for each selected driver in each organisation's current cycle."""
    planned = repo.planned_drivers()
    cycles = repo.newest_cycles(organisation_ids)
    count = 0
    for org_id in organisation_ids:
        organisation = find_organisation(definition, org_id)
        cycle = cycles[org_id].number if org_id in cycles else 1
        for driver in organisation.drivers:
            if (org_id, driver.value, cycle) in planned:
                continue
            states = plan_driver(definition.driver_integration, organisation, driver, today)
            repo.save_steps(org_id, states, now=now, cycle=cycle)
            uow.repo.audit(
                actor=actor,
                action="integration-planned",
                subject_type="organisation",
                subject_id=org_id,
                details={
                    "driver": driver.value,
                    "cycle": cycle,
                    "start": today.isoformat(),
                    "steps": len(states),
                },
                now=now,
            )
            count += 1
    return count


def plan_new_pass(
    definition: ProgrammeDefinition,
    repo: ProgressStore,
    uow: UnitOfWork,
    organisation_id: str,
    *,
    now: datetime,
    actor: str,
) -> int:
    """Start the steps anew for the drivers selected for the organisation's current cycle."""
    today = local_today(definition, now)
    return _plan_missing(
        definition, repo, uow, [organisation_id], today=today, now=now, actor=actor
    )


def ensure_integrations(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    today: date,
    now: datetime | None = None,
    actor: str = "pdca-cycle",
) -> int:
    """Plan the steps of every active organisation x selected driver not yet planned."""
    moment = now or start_of_day(definition, today)
    with uow:
        repo = uow.progress(definition.programme.id)
        active = [o.id for o in definition.organisations if o.active]
        count = _plan_missing(definition, repo, uow, active, today=today, now=moment, actor=actor)
        uow.commit()
    return count


def _tz(definition: ProgrammeDefinition) -> ZoneInfo:
    return ZoneInfo(definition.programme.timezone)


def _cycle_number(repo: ProgressStore, organisation_id: str) -> int:
    found = repo.newest_cycles([organisation_id]).get(organisation_id)
    return found.number if found else 1


def _change_steps(
    definition: ProgrammeDefinition,
    organisation_id: str,
    driver: str,
    step: int,
    *,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
    action: str,
    change: Callable[[list[StepState], str, date], tuple[list[StepState], list[Any]]],
    details: Callable[[str, list[Any]], dict[str, Any]],
) -> tuple[str, list[StepState], list[Any]]:
    """Validate, load (planning if needed), apply one domain change, save and audit it."""
    organisation = find_organisation(definition, organisation_id)
    chosen = selected_driver(organisation, driver).value
    step_template(definition.driver_integration, step)
    today = local_today(definition, now)
    with uow:
        repo = uow.progress(definition.programme.id)
        _plan_missing(definition, repo, uow, [organisation_id], today=today, now=now, actor=actor)
        cycle = _cycle_number(repo, organisation_id)
        states = repo.steps(organisation_id, tz=_tz(definition), cycle=cycle)
        new, events = change(states, chosen, today)
        if events:
            repo.save_steps(organisation_id, new, now=now, cycle=cycle)
            uow.repo.audit(
                actor=actor,
                action=action,
                subject_type="organisation",
                subject_id=organisation_id,
                details=details(chosen, list(events)),
                now=now,
            )
        uow.commit()
    return chosen, new, list(events)


def complete_step(
    definition: ProgrammeDefinition,
    organisation_id: str,
    driver: str,
    step: int,
    *,
    evidence_url: str | None,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> StepOutcome:
    """Mark a step done and open the next; completing a done step again changes nothing."""
    chosen, new, events = _change_steps(
        definition,
        organisation_id,
        driver,
        step,
        uow=uow,
        now=now,
        actor=actor,
        action="step-completed",
        change=lambda states, drv, today: steps_domain.complete_step(
            states,
            drv,
            step,
            on=today,
            template=definition.driver_integration,
            evidence_url=evidence_url,
        ),
        details=lambda drv, evs: {
            "driver": drv,
            "step": step,
            "evidence_url": evidence_url,
            "opened": [e.step for e in evs if isinstance(e, StepOpened)],
        },
    )
    if events:
        # The step's reminders stop at once: those queued and not sent yet are dropped.
        with uow:
            uow.outbox.drop_unsent(
                definition.programme.id, organisation_id, f"step:{chosen}:{step}", now
            )
            uow.commit()
    done, total = steps_domain.progress(new, chosen)
    following = [s for s in open_steps(new, chosen) if s.step > step]
    return StepOutcome(
        organisation_id=organisation_id,
        driver=chosen,
        step=next(s for s in new if s.driver == chosen and s.step == step),
        completed=bool(events),
        opened=following[0] if following else None,
        done=done,
        total=total,
    )


def tick_subtask(
    definition: ProgrammeDefinition,
    organisation_id: str,
    driver: str,
    step: int,
    index: int,
    *,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> StepState:
    """Tick off sub-task `index` (from 0) of an open step; ticking twice changes nothing."""
    chosen, new, _ = _change_steps(
        definition,
        organisation_id,
        driver,
        step,
        uow=uow,
        now=now,
        actor=actor,
        action="subtask-ticked",
        change=lambda states, drv, today: steps_domain.tick_subtask(
            states, drv, step, index, today
        ),
        details=lambda drv, _events: {"driver": drv, "step": step, "subtask": index},
    )
    return next(s for s in new if s.driver == chosen and s.step == step)


def assign_step(
    definition: ProgrammeDefinition,
    organisation_id: str,
    driver: str,
    step: int,
    *,
    owner: str | None,
    due: date | None,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> tuple[StepState, bool]:
    """Set a step's owner (a person of the definition) and/or due date; returns (step, changed).

    The owner is reminded of the step instead of all of the organisation's owners.
    """
    people = [p.id for p in definition.people]
    if owner is not None and owner not in people:
        known = ", ".join(people) or "–"
        raise UnknownPerson(
            N_("Unknown person '{owner}' (known: {known})"), owner=owner, known=known
        )
    chosen, new, events = _change_steps(
        definition,
        organisation_id,
        driver,
        step,
        uow=uow,
        now=now,
        actor=actor,
        action="step-assigned",
        change=lambda states, drv, _today: steps_domain.assign_step(
            states, drv, step, owner=owner, due_date=due
        ),
        details=lambda drv, _events: {
            "driver": drv,
            "step": step,
            "owner": owner,
            "due": due.isoformat() if due else None,
        },
    )
    return next(s for s in new if s.driver == chosen and s.step == step), bool(events)


def integration_overview(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, today: date
) -> list[DriverProgress]:
    """Per organisation x selected driver: steps done of total, open steps, overdue steps."""
    with uow:
        repo = uow.progress(definition.programme.id)
        by_org = repo.steps_by_organisation(
            [o.id for o in definition.organisations], tz=_tz(definition)
        )
    rows = []
    total_steps = len(definition.driver_integration.steps)
    for organisation in definition.organisations:
        states = by_org.get(organisation.id, [])
        for driver in organisation.drivers:
            mine = [s for s in states if s.driver == driver.value]
            done, _ = steps_domain.progress(mine, driver.value)
            rows.append(
                DriverProgress(
                    organisation_id=organisation.id,
                    driver=driver.value,
                    done=done,
                    total=total_steps,
                    open=open_steps(mine, driver.value),
                    overdue=steps_domain.overdue(mine, today),
                )
            )
    return rows
