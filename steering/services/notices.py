"""Use case: find what people must be told (checkpoint results and due reminders)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import ProgressSource
from steering.domain.evaluation.light_scale import alarming, light_change
from steering.domain.integration import StepState, StepStatus
from steering.domain.notifications.calendar import WorkingCalendar
from steering.domain.notifications.notices import Notice, NoticeKind
from steering.domain.notifications.reminders import History, Stage, active_offset, due_reminders
from steering.domain.notifications.swing import SwingGuard, assess_swing
from steering.domain.pdca import Cycle, phase_due_date, phase_label, phase_title
from steering.domain.periods import parse_half_year
from steering.domain.vocabulary import Scope

if TYPE_CHECKING:  # run_checkpoint stores these notices with its lights
    from steering.services.checkpoints import CheckpointOutcome


def checkpoint_notices(
    outcome: CheckpointOutcome,
    *,
    flow_run_id: str | None = None,
    guard: SwingGuard = SwingGuard(),  # noqa: B008 (frozen value)
) -> list[Notice]:
    """Lights that got worse or recovered, and abort decisions for the lead (at once).

    When the swing guard trips (too many lights worse at once for missing data), those
    lights are not told to their owners; the lead hears of it in one notice instead.
    """
    notices = []
    link = {"flow_run_id": flow_run_id} if flow_run_id else {}
    lights = outcome.evaluation.lights
    swing = assess_swing(
        outcome.previous_lights,
        zip(
            lights["organisation"].astype(str),
            lights["dimension"].astype(str),
            lights["light"].astype(str),
            lights["reasons"] if "reasons" in lights else [None] * len(lights),
            strict=True,
        ),
        guard,
    )
    held = swing.held
    for org, dim, light in zip(
        lights["organisation"].astype(str),
        lights["dimension"].astype(str),
        lights["light"].astype(str),
        strict=True,
    ):
        before = outcome.previous_lights.get((org, dim))
        if before is None:
            # A first light (first checkpoint, or a new organisation) that is not fine is
            # told once: no change would ever tell it otherwise.
            if not alarming(light):
                continue
            kind = NoticeKind.LIGHT_WORSE
        else:
            change = light_change(before, light)
            if not change:
                continue
            kind = NoticeKind.LIGHT_WORSE if change == "worse" else NoticeKind.LIGHT_RECOVERED
        if (org, dim) in held:
            continue
        facts = {"before": before, "after": light, "period": outcome.period, **link}
        notices.append(Notice(kind, org, f"light:{dim}", outcome.key, facts, dimension=dim))
    if swing.tripped:
        facts = {
            "period": outcome.period,
            "worse": len(swing.missing_worse),
            "compared": swing.compared,
            "share": guard.share,
            **link,
        }
        notices.append(Notice(NoticeKind.LIGHT_SWING, "", "lights", outcome.key, facts))
    for decision in outcome.evaluation.decisions:
        if str(decision.decision) in ("escalate", "abort_review"):
            facts = {
                "decision": str(decision.decision),
                "rules": list(decision.matched),
                "period": outcome.period,
                "mitigations": [m["mitigation"] for m in decision.mitigations],
                **link,
            }
            notices.append(
                Notice(
                    NoticeKind.ABORT_DECISION, decision.organisation, "decision", outcome.key, facts
                )
            )
    return notices


def calendars(definition: ProgrammeDefinition) -> dict[str, WorkingCalendar]:
    """The working calendar of every organisation's federal state."""
    policy = definition.reminders
    return {
        o.id: WorkingCalendar(str(o.state), policy.quiet_on_weekends, policy.quiet_on_holidays)
        for o in definition.organisations
    }


def step_notices(
    definition: ProgrammeDefinition,
    steps: Mapping[str, list[StepState]],
    histories: Callable[[str, str], History],
    today: date,
) -> list[Notice]:
    """Due, overdue and escalation notices for the open steps with a due date."""
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    cals = calendars(definition)
    notices = []
    for org in definition.organisations:
        if not org.active:
            continue
        for step in steps.get(org.id, []):
            if step.due_date is None or step.status is StepStatus.LOCKED:
                continue
            item = f"step:{step.driver}:{step.step}"
            facts = {
                "driver": step.driver,
                "step": step.step,
                "title": titles.get(step.step, ""),
                "due": step.due_date.isoformat(),
                "owner": step.owner or "",
            }
            for reminder in due_reminders(
                step.due_date,
                today,
                done=step.status is StepStatus.DONE,
                history=histories(org.id, item),
                policy=definition.reminders,
                calendar=cals[org.id],
            ):
                kind = {
                    Stage.DUE: NoticeKind.STEP_DUE,
                    Stage.OVERDUE: NoticeKind.STEP_OVERDUE,
                    Stage.ESCALATE: NoticeKind.ESCALATION,
                }[reminder.stage]
                notices.append(
                    Notice(kind, org.id, item, reminder.occasion, {**facts, "days": reminder.days})
                )
    return notices


def phase_notices(
    definition: ProgrammeDefinition,
    cycles: Mapping[str, Cycle],
    starts: Mapping[str, datetime],
    histories: Callable[[str, str], History],
    today: date,
) -> list[Notice]:
    """Due and overdue notices for each organisation's running PDCA phase (no escalation)."""
    tz = ZoneInfo(definition.programme.timezone)
    cals = calendars(definition)
    notices = []
    for org in definition.organisations:
        if not org.active or org.id not in cycles or org.id not in starts:
            continue
        cycle = cycles[org.id]
        due = phase_due_date(definition, cycle.phase, starts[org.id].astimezone(tz).date())
        item = f"phase:{cycle.number}:{cycle.phase.value}"
        facts = {
            "phase": phase_label(cycle.phase),
            "title": phase_title(definition, cycle.phase),
            "cycle": cycle.number,
            "due": due.isoformat(),
        }
        for reminder in due_reminders(
            due,
            today,
            done=False,
            history=histories(org.id, item),
            policy=definition.reminders,
            calendar=cals[org.id],
        ):
            if reminder.stage is Stage.ESCALATE:
                continue
            kind = NoticeKind.PHASE_DUE if reminder.stage is Stage.DUE else NoticeKind.PHASE_OVERDUE
            notices.append(
                Notice(kind, org.id, item, reminder.occasion, {**facts, "days": reminder.days})
            )
    return notices


def data_missing_notices(
    definition: ProgrammeDefinition, measurements: pd.DataFrame, today: date
) -> list[Notice]:
    """Organisations whose indicator values for a closing (or just closed) period are missing;
    the lead hears once of values still missing for the period before, now closed as well."""
    policy = definition.reminders
    cals = calendars(definition)
    present = set(
        zip(
            measurements["indicator"].astype(str),
            measurements["organisation"].astype(str),
            measurements["period"].astype(str),
            strict=True,
        )
    )
    notices = []
    # Nobody enters the progress source's figures: the checkpoint measures them.
    measured_by_checkpoint = {s.key for s in definition.sources if isinstance(s, ProgressSource)}

    def missing_in(period_id: str, org: str) -> list[str]:
        return [
            i.title
            for i in definition.indicators
            if i.scope is Scope.ORGANISATION
            and i.formula is None
            and i.source not in measured_by_checkpoint
            and any(period_id in t.periods for t in i.targets)
            and (i.key, org, period_id) not in present
        ]

    periods = definition.period_ids()
    for index, period_id in enumerate(periods):
        end = parse_half_year(period_id).end
        offset = active_offset(
            end, policy.data_missing_days, today, last_window_days=policy.repeat_every_days
        )
        if offset is None:
            continue
        for org in definition.organisations:
            if not org.active or cals[org.id].is_quiet(today):
                continue
            earlier = periods[index - 1] if index and offset > 0 else ""
            late = missing_in(earlier, org.id) if earlier else []
            if late:  # told once: the occasion never changes
                facts = {"period": earlier, "next": period_id, "count": len(late)}
                notices.append(
                    Notice(
                        NoticeKind.DATA_MISSING_LONG,
                        org.id,
                        f"data:{earlier}",
                        "long",
                        {**facts, "indicators": late},
                    )
                )
            missing = missing_in(period_id, org.id)
            if not missing:
                continue
            facts = {
                "period": period_id,
                "period_end": end.isoformat(),
                "offset": offset,
                "indicators": missing,
            }
            notices.append(
                Notice(NoticeKind.DATA_MISSING, org.id, f"data:{period_id}", f"{offset:+d}", facts)
            )
    return notices


def event_notices(definition: ProgrammeDefinition, today: date) -> list[Notice]:
    """Upcoming development circles, conferences and forums, per organisation invited."""
    cals = calendars(definition)
    notices = []
    for event in definition.events:
        offsets = [-d for d in event.remind_days_before]
        offset = active_offset(event.date, offsets, today, last_window_days=0)
        if offset is None or today > event.date:
            continue
        invited = (
            [o.id for o in definition.organisations if o.active]
            if event.organisations == "all"
            else list(event.organisations)
        )
        facts = {"title": event.title, "kind": event.kind, "date": event.date.isoformat()}
        for org in invited:
            if cals[org].is_quiet(today):
                continue
            notices.append(
                Notice(NoticeKind.EVENT, org, f"event:{event.id}", f"{offset:+d}", facts)
            )
    return notices


def evaluation_waiting_notice(
    organisation: str, checkpoint_key: str, *, flow_run_id: str | None
) -> Notice:
    """An evaluation flow waits for the lead's typed decision in the Prefect UI."""
    facts = {"checkpoint": checkpoint_key, **({"flow_run_id": flow_run_id} if flow_run_id else {})}
    return Notice(NoticeKind.EVALUATION_WAITING, organisation, "evaluation", checkpoint_key, facts)


def without_inhibited(notices: list[Notice], under_abort_review: set[str]) -> list[Notice]:
    """Routine reminders yield while an organisation's abort review is open."""
    return [n for n in notices if not (n.routine and n.organisation in under_abort_review)]
