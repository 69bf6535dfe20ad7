"""Use case: evaluate one programme checkpoint and store its lights, decisions and report basis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.evaluate import Evaluation, evaluate
from steering.domain.evaluation.lights import STATE_COLUMNS, empty_state
from steering.domain.notifications.swing import SwingGuard
from steering.ports.records import CheckpointRecord
from steering.ports.store import UnitOfWork
from steering.services.notices import checkpoint_notices
from steering.services.pending_notices import notice_record
from steering.services.progress_source import store_progress
from steering.services.report_snapshot import capture


@dataclass(frozen=True)
class CheckpointOutcome:
    """What a checkpoint run stored."""

    checkpoint_id: int
    key: str
    period: str
    evaluation: Evaluation
    rerun: bool
    previous_lights: dict[tuple[str, str], str]
    previous_key: str | None
    revision: int = 1  # the how-many-th evaluation of this checkpoint key this run was


def _state(stored: pd.DataFrame) -> pd.DataFrame:
    """The hysteresis state of stored lights (the basis light travels in the reasons)."""
    basis = [
        (r or {}).get("basis_light") or light
        for r, light in zip(stored["reasons"], stored["light"], strict=True)
    ]
    return stored.assign(basis_light=basis)[STATE_COLUMNS]


def checkpoint_key(definition: ProgrammeDefinition, period: str, label: str = "") -> str:
    """The idempotency key of a programme checkpoint, e.g. 'digital-und-sozial/2019-H2'."""
    return f"{definition.programme.id}/{period}" + (f"/{label}" if label else "")


def run_checkpoint(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    period: str,
    now: datetime,
    scheduled_for: datetime | None = None,
    key: str | None = None,
    flow_run_id: str | None = None,
    unavailable_sources: Sequence[str] = (),
    only: Sequence[str] | None = None,
    swing_guard: SwingGuard = SwingGuard(),  # noqa: B008 (frozen value)
) -> CheckpointOutcome:
    """Evaluate `period` from the stored values; a re-run of the same key replaces its results.

    The built-in progress source (steps and phases in the store) is measured first.
    Values of `unavailable_sources` for the period count as missing (no-data lights).
    `only` assesses just these organisations (an evaluation): the run stores their lights
    and decisions and nothing of anyone else, not even of the programme as a whole.
    A programme checkpoint stores what it has to tell (lights that changed, abort
    decisions) in the same transaction: a run that dies afterwards loses no notice.
    `swing_guard` holds back light notices when too many lights got worse for missing data.
    Organisations the lead aborted in an earlier period are no longer assessed.
    """
    key = key or checkpoint_key(definition, period)
    without = [(source, period) for source in unavailable_sources]
    for attempt in (1, 2):
        try:
            return _run(
                definition,
                uow,
                key,
                period,
                now,
                scheduled_for or now,
                flow_run_id,
                without,
                None if only is None else list(only),
                swing_guard,
            )
        except uow.refused:
            # Another run created the same checkpoint at the same moment: run as a re-run.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _run(
    definition: ProgrammeDefinition,
    uow: UnitOfWork,
    key: str,
    period: str,
    now: datetime,
    scheduled_for: datetime,
    flow_run_id: str | None,
    without: Sequence[tuple[str, str]] = (),
    only: list[str] | None = None,
    swing_guard: SwingGuard = SwingGuard(),  # noqa: B008 (frozen value)
) -> CheckpointOutcome:
    programme_id = definition.programme.id
    with uow:
        repo = uow.repo
        repo.sync_organisations(programme_id, definition.organisations, now)
        row, rerun = repo.open_checkpoint(
            key,
            programme_id=programme_id,
            period=period,
            scheduled_for=scheduled_for,
            now=now,
            flow_run_id=flow_run_id,
        )
        store_progress(definition, uow, period=period, now=now)  # the built-in progress source
        previous, previous_lights, previous_key = previous_state(uow, row)
        active = assessed_organisations(uow, programme_id, period)
        evaluation = evaluate(
            definition,
            repo.measurements_frame(programme_id, without=without),
            period=period,
            previous=previous,
            organisations=active if only is None else [o for o in active if o in only],
        )
        if only is not None:
            evaluation = evaluation.restricted_to(set(only))
        repo.replace_assessments(row.id, evaluation.lights)
        return conclude_checkpoint(
            definition,
            uow,
            row,
            evaluation,
            rerun=rerun,
            previous_lights=previous_lights,
            previous_key=previous_key,
            now=now,
            flow_run_id=flow_run_id,
            without=without,
            tell=only is None,
            swing_guard=swing_guard,
        )


def previous_state(
    uow: UnitOfWork, row: CheckpointRecord
) -> tuple[pd.DataFrame, dict[tuple[str, str], str], str | None]:
    """The previous checkpoint's hysteresis state, its lights by key, and its key."""
    before = uow.repo.previous_checkpoint(row)
    previous = _state(uow.repo.lights_frame(before.id)) if before else empty_state()
    previous_lights = {
        (str(o), str(d)): str(lt)
        for o, d, lt in zip(
            previous["organisation"], previous["dimension"], previous["light"], strict=True
        )
    }
    return previous, previous_lights, before.key if before else None


def assessed_organisations(uow: UnitOfWork, programme_id: str, period: str) -> list[str]:
    """The active organisations, without those the lead aborted before `period`."""
    aborted = uow.repo.aborted_organisations(programme_id, before=period)
    return [o for o in uow.repo.active_organisation_ids(programme_id) if o not in aborted]


def conclude_checkpoint(
    definition: ProgrammeDefinition,
    uow: UnitOfWork,
    row: CheckpointRecord,
    evaluation: Evaluation,
    *,
    rerun: bool,
    previous_lights: dict[tuple[str, str], str],
    previous_key: str | None,
    now: datetime,
    flow_run_id: str | None,
    without: Sequence[tuple[str, str]],
    tell: bool,
    swing_guard: SwingGuard,
) -> CheckpointOutcome:
    """Store decisions, report basis, audit and (if `tell`) notices; commit; the outcome."""
    repo, key, period, programme_id = uow.repo, row.key, row.period, definition.programme.id
    repo.replace_decisions(row.id, [asdict(d) for d in evaluation.decisions], now)
    # What the reports show besides lights and decisions, as of this run: a later
    # correction appears in them only when the checkpoint runs again.
    revision = repo.next_revision(row)
    snapshot = capture(
        definition,
        evaluation,
        previous_lights,
        uow=uow,
        now=now,
        previous_key=previous_key,
        unavailable_sources=[source for source, _ in without],
    )
    repo.replace_snapshot(row.id, revision, now, snapshot)
    row.status = "completed"
    row.finished_at = now
    repo.audit(
        actor="checkpoint",
        action="checkpoint-evaluated",
        subject_type="checkpoint",
        subject_id=key,
        details={
            "period": period,
            "rerun": rerun,
            "revision": revision,
            "lights": len(evaluation.lights),
            "unavailable_sources": [source for source, _ in without],
        },
        now=now,
    )
    outcome = CheckpointOutcome(
        row.id, key, period, evaluation, rerun, previous_lights, previous_key, revision
    )
    if tell:  # an evaluation of one organisation tells nobody of its lights
        notices = checkpoint_notices(outcome, flow_run_id=flow_run_id, guard=swing_guard)
        uow.pending.replace(row.id, programme_id, [notice_record(n) for n in notices], now)
    uow.commit()
    return outcome
