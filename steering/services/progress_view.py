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
from steering.domain.vocabulary import Phase, label
from steering.i18n import format_date, ntr, tr
from steering.markup import md_text
from steering.ports.store import UnitOfWork
from steering.services.integration import local_today


def _date(value: date | None, lang: str) -> str:
    return format_date(value, lang) if value else ""


def _late(due: date, today: date, lang: str) -> str:
    days = phase_days_overdue(due, today)
    if not days:
        return ""
    return ntr(", **{n} day overdue**", ", **{n} days overdue**", days, lang)


def _ticks(state: StepState, definition: ProgrammeDefinition, lang: str) -> str:
    summary = subtask_summary(state, definition.driver_integration, lang)
    return f" [{md_text(summary)}]" if summary else ""


def progress_lines(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, now: datetime, lang: str = "de"
) -> dict[str, list[str]]:
    """Organisation -> Markdown lines: cycle and phase, gate, steps per driver, overdue steps."""
    today = local_today(definition, now)
    ids = [o.id for o in definition.organisations]
    titles = {s.number: md_text(s.title) for s in definition.driver_integration.steps}
    with uow:
        repo = uow.progress(definition.programme.id)
        newest = repo.newest_cycles(ids)
        cycles = {org: newest.get(org) or Cycle(1, Phase.PLAN) for org in ids}
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
            when = tr(
                " (due {day}{late})", lang, day=_date(due, lang), late=_late(due, today, lang)
            )
        phase = md_text(phase_title(definition, cycle.phase))
        lines = [
            (
                tr(
                    "- Cycle {number}, phase **{phase}**{when}",
                    lang,
                    number=cycle.number,
                    phase=phase,
                    when=when,
                )
            ),
            (tr("- Move to {next_phase}: ", lang, next_phase=label(str(gate.next_phase), lang)))
            + (
                (tr("met", lang))
                if gate.met
                else (tr("missing: ", lang))
                + "; ".join(md_text(item) for item in gate.missing[:3])
                + (" …" if len(gate.missing) > 3 else "")
            ),
        ]
        for driver in organisation.drivers:
            done, _ = progress(mine, driver.value)
            total = len(definition.driver_integration.steps)
            opened = ", ".join(
                f"{s.step} {titles.get(s.step, '')}"
                + (tr(" (due {day})", lang, day=_date(s.due_date, lang)) if s.due_date else "")
                + _ticks(s, definition, lang)
                for s in open_steps(mine, driver.value)
            )
            late = [s for s in overdue(mine, today) if s.driver == driver.value]
            line = f"- {label(driver.value, lang)}: {done}/{total} " + (tr("steps", lang))
            if opened:
                line += (tr("; open: ", lang)) + opened
            if late:
                line += (
                    (tr(" · **overdue: ", lang))
                    + ", ".join(f"{s.step} ({_date(s.due_date, lang)})" for s in late if s.due_date)
                    + "**"
                )
            lines.append(line)
        out[org] = lines
    return out
