"""Use case: measure the driver integration and PDCA phases from the store for a checkpoint."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import ProgressSource
from steering.domain.integration import progress_figures
from steering.domain.pdca import phase_days_overdue, phase_due_date
from steering.domain.periods import parse_half_year
from steering.ports.store import UnitOfWork
from steering.services.integration import local_today


def progress_as_of(definition: ProgrammeDefinition, period: str, now: datetime) -> date:
    """The day progress is measured for a period: its last day, or today if that is earlier."""
    return min(parse_half_year(period).end, local_today(definition, now))


def store_progress(
    definition: ProgrammeDefinition,
    uow: UnitOfWork,
    *,
    period: str,
    now: datetime,
    actor: str = "checkpoint",
) -> int:
    """Store each active organisation's progress figures for `period`; returns values changed.

    Runs inside the caller's open unit of work (the checkpoint's transaction, which holds the
    checkpoint row, so two runs of one checkpoint never both write). Only figures that differ
    from the stored current value are written (the earlier value stays as history), so a
    re-run with unchanged steps changes nothing.
    """
    sources = [s for s in definition.sources if isinstance(s, ProgressSource)]
    if not sources:
        return 0
    pid = definition.programme.id
    tz = ZoneInfo(definition.programme.timezone)
    as_of = progress_as_of(definition, period, now)
    organisations = [o for o in definition.organisations if o.active]
    ids = [o.id for o in organisations]
    repo = uow.progress(pid)
    steps = repo.steps_by_organisation(ids, tz=tz)
    cycles = repo.newest_cycles(ids)
    starts = repo.phase_starts(ids)
    frame = uow.repo.measurements_frame(pid)
    frame = frame[frame["period"] == period]
    current = {
        (str(i), str(o)): float(v)
        for i, o, v in zip(frame["indicator"], frame["organisation"], frame["value"], strict=True)
    }
    figures_by_org: dict[str, dict[str, float]] = {}
    for organisation in organisations:
        figures = progress_figures(
            steps.get(organisation.id, []),
            [d.value for d in organisation.drivers],
            definition.driver_integration,
            as_of=as_of,
        )
        late_phase = 0
        started = starts.get(organisation.id)
        if organisation.id in cycles and started is not None:
            start_day = started.astimezone(tz).date()
            if start_day <= as_of:
                due = phase_due_date(definition, cycles[organisation.id].phase, start_day)
                late_phase = phase_days_overdue(due, as_of)
        figures_by_org[organisation.id] = {
            "steps_done": figures.steps_done,
            "steps_planned": figures.steps_planned,
            "on_plan": round(figures.on_plan, 4),
            "overdue_steps": float(figures.overdue_steps),
            "days_overdue": float(figures.days_overdue),
            "phase_overdue": float(late_phase),
        }
    changed = 0
    for source in sources:
        rows = [
            {"indicator": key, "organisation": org, "period": period, "value": values[name]}
            for org, values in figures_by_org.items()
            for name, key in source.indicator_keys().items()
            if current.get((key, org)) != values[name]
        ]
        if not rows:
            continue
        changed += uow.repo.add_measurements(
            pid, rows, source_key=source.key, import_id=None, actor=actor, now=now
        )
        uow.repo.audit(
            actor=actor,
            action="progress-collected",
            subject_type="source",
            subject_id=source.key,
            details={"period": period, "as_of": as_of.isoformat(), "values": len(rows)},
            now=now,
        )
    return changed
