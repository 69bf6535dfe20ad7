"""Use case: each organisation's PDCA phase and step progress as readable lines (bulk read)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import (
    StepState,
    open_steps,
    overdue,
    progress,
    subtask_summary,
)
from steering.domain.pdca import (
    Cycle,
    gate_status,
    phase_days_overdue,
    phase_due_date,
    phase_title,
)
from steering.domain.reporting.formats import day_text
from steering.domain.vocabulary import Phase, label
from steering.markup import md_text
from steering.ports.store import UnitOfWork
from steering.services.integration import local_today


def _late(due: date, today: date, de: bool) -> str:
    days = phase_days_overdue(due, today)
    if not days:
        return ""
    if de:
        return f", **{days} {'Tag' if days == 1 else 'Tage'} überfällig**"
    return f", **{days} {'day' if days == 1 else 'days'} overdue**"


def _ticks(state: StepState, definition: ProgrammeDefinition, lang: str) -> str:
    summary = subtask_summary(state, definition.driver_integration, lang)
    return f" [{md_text(summary)}]" if summary else ""


def progress_lines(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, now: datetime, lang: str = "de"
) -> dict[str, list[str]]:
    """Organisation -> Markdown lines: cycle and phase, gate, steps per driver, overdue steps."""
    de = lang == "de"
    today = local_today(definition, now)
    ids = [o.id for o in definition.organisations]
    titles = {s.number: md_text(s.title) for s in definition.driver_integration.steps}
    with uow:
        repo = uow.progress(definition.programme.id)
        cycles = {org: repo.find_cycle(org) or Cycle(1, Phase.PLAN) for org in ids}
        steps = repo.steps_by_organisation(ids, tz=ZoneInfo(definition.programme.timezone))
        kinds = repo.evidence_kinds_by_cycle(ids)
        starts = repo.phase_starts(ids)
    tz = ZoneInfo(definition.programme.timezone)
    out: dict[str, list[str]] = {}
    for organisation in definition.organisations:
        org = organisation.id
        cycle = cycles[org]
        mine = steps.get(org, [])
        gate = gate_status(
            definition, org, cycle, mine, kinds.get((org, cycle.number), set()), lang=lang
        )
        when = ""
        if org in starts:
            due = phase_due_date(definition, cycle.phase, starts[org].astimezone(tz).date())
            when = f" ({'fällig' if de else 'due'} {day_text(due, lang)}{_late(due, today, de)})"
        phase = md_text(phase_title(definition, cycle.phase))
        lines = [
            (
                f"- Zyklus {cycle.number}, Phase **{phase}**{when}"
                if de
                else f"- Cycle {cycle.number}, phase **{phase}**{when}"
            ),
            (
                f"- Übergang nach {label(str(gate.next_phase), lang)}: "
                if de
                else f"- Move to {label(str(gate.next_phase), lang)}: "
            )
            + (
                ("erfüllt" if de else "met")
                if gate.met
                else ("fehlt: " if de else "missing: ")
                + "; ".join(md_text(item) for item in gate.missing[:3])
                + (" …" if len(gate.missing) > 3 else "")
            ),
        ]
        for driver in organisation.drivers:
            done, _ = progress(mine, driver.value)
            total = len(definition.driver_integration.steps)
            opened = ", ".join(
                f"{s.step} {titles.get(s.step, '')}"
                + (
                    f" ({'fällig' if de else 'due'} {day_text(s.due_date, lang)})"
                    if s.due_date
                    else ""
                )
                + _ticks(s, definition, lang)
                for s in open_steps(mine, driver.value)
            )
            late = [s for s in overdue(mine, today) if s.driver == driver.value]
            line = f"- {label(driver.value, lang)}: {done}/{total} " + (
                "Schritte" if de else "steps"
            )
            if opened:
                line += ("; offen: " if de else "; open: ") + opened
            if late:
                line += (
                    (" · **überfällig: " if de else " · **overdue: ")
                    # An overdue step always has a due date (it is overdue against it).
                    + ", ".join(
                        f"{s.step} ({day_text(s.due_date, lang)})" for s in late if s.due_date
                    )
                    + "**"
                )
            lines.append(line)
        out[org] = lines
    return out
