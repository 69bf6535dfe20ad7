"""Use case: calendar entries per organisation or person: checkpoints, steps, periods, events."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Role
from steering.domain.integration import StepStatus
from steering.domain.periods import parse_half_year
from steering.domain.reporting.calendar import Entry
from steering.domain.schedule import cron_moments
from steering.domain.vocabulary import label
from steering.i18n import tr
from steering.ports.store import UnitOfWork


class UnknownSubject(LookupError):
    """Neither an organisation nor a person of the programme."""


def _checkpoints(definition: ProgrammeDefinition, lang: str) -> list[Entry]:
    cron = definition.schedules.checkpoint
    if cron is None:
        return []
    tz = ZoneInfo(definition.programme.timezone)
    entries = []
    for period_id in definition.period_ids():
        end = parse_half_year(period_id).end
        moments = cron_moments(cron, end + timedelta(days=1), end + timedelta(days=200))
        if not moments:
            continue
        day, hour, minute = moments[0]
        entries.append(
            Entry(
                f"checkpoint-{period_id}",
                f"Checkpoint {period_id}",
                datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz),
                (
                    tr(
                        "Evaluation of {period_id}: planned vs actual, lights, abort criteria.",
                        lang,
                        period_id=period_id,
                    )
                ),
            )
        )
    return entries


def _period_ends(definition: ProgrammeDefinition, lang: str) -> list[Entry]:
    return [
        Entry(
            f"period-end-{p}",
            tr("End of reporting period {p}", lang, p=p),
            parse_half_year(p).end,
            (tr("The period's figures should be recorded by now.", lang)),
        )
        for p in definition.period_ids()
    ]


def _events(definition: ProgrammeDefinition, organisations: set[str] | None) -> list[Entry]:
    return [
        Entry(f"event-{e.id}", e.title, e.date, label(e.kind))
        for e in definition.events
        if organisations is None or e.organisations == "all" or organisations & set(e.organisations)
    ]


def _steps(
    definition: ProgrammeDefinition,
    uow: UnitOfWork,
    organisations: list[str],
    lang: str,
    person: str | None = None,
) -> list[Entry]:
    """Open steps with a due date; for a person, those reminded to them (see the digests):
    steps assigned to them anywhere, and unassigned steps of the organisations they own."""
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    names = {o.id: o.name for o in definition.organisations}
    wanted = organisations if person is None else [o.id for o in definition.organisations]
    with uow:
        steps = uow.progress(definition.programme.id).steps_by_organisation(
            wanted, tz=ZoneInfo(definition.programme.timezone)
        )
    entries = []
    for org in wanted:
        for s in steps.get(org, []):
            if s.status is not StepStatus.OPEN or s.due_date is None:
                continue
            if person is not None and s.owner != person and (s.owner or org not in organisations):
                continue
            word = tr("Due", lang)
            step = tr("Step", lang)
            entries.append(
                Entry(
                    f"step-{org}-{s.driver}-{s.step}",
                    f"{word}: {step} {s.step} „{titles.get(s.step, '')}“ ({label(s.driver, lang)})",
                    s.due_date,
                    names.get(org, org),
                )
            )
    return entries


def calendar_entries(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    organisation: str | None = None,
    person: str | None = None,
    lang: str = "de",
) -> tuple[str, list[Entry]]:
    """The calendar's name and entries for one organisation or one person."""
    orgs = {o.id: o for o in definition.organisations}
    people = {p.id: p for p in definition.people}
    if organisation is not None:
        if organisation not in orgs:
            raise UnknownSubject(organisation)
        mine = [organisation]
        name = orgs[organisation].name
        events = _events(definition, {organisation})
    elif person is not None:
        if person not in people:
            raise UnknownSubject(person)
        mine = [o.id for o in definition.organisations if person in o.owners]
        name = people[person].name
        steering_role = people[person].role in (Role.PROJECT_LEAD, Role.EVALUATOR) or (
            person == definition.programme.lead
        )
        events = _events(definition, None if steering_role else set(mine))
    else:
        raise UnknownSubject("")
    entries = [
        *_checkpoints(definition, lang),
        *_period_ends(definition, lang),
        *events,
        *_steps(definition, uow, mine, lang, person),
    ]
    title = f"{definition.programme.title} – {name}"
    return title, sorted(entries, key=lambda e: (str(e.at), e.uid))
