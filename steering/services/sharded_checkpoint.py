"""Use case: one checkpoint evaluated in organisation shards (one worker each), then merged.

Lights depend only on an organisation's own values, the programme's values and its own
previous state, so each shard evaluates and stores its organisations alone. What spans
organisations - the programme-level lights and the abort criteria (e.g. too few active
organisations) - is evaluated once, in the merge, over all stored lights.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.abort import decide
from steering.domain.evaluation.evaluate import Evaluation, evaluate
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.evaluation.soll_ist import compare
from steering.domain.notifications.swing import SwingGuard
from steering.i18n import tr
from steering.ports.store import UnitOfWork
from steering.services.checkpoints import (
    CheckpointOutcome,
    assessed_organisations,
    conclude_checkpoint,
    previous_state,
)
from steering.services.progress_source import store_progress


def shard_of(organisations: Sequence[str], shard: int, shards: int) -> list[str]:
    """The organisations of shard `shard` (0-based) of `shards`: every shards-th, sorted."""
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} not in 0..{shards - 1}")
    return sorted(organisations)[shard::shards]


def open_sharded_checkpoint(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    key: str,
    period: str,
    now: datetime,
    scheduled_for: datetime,
    flow_run_id: str | None,
) -> bool:
    """Open the checkpoint for its shards (lights of an earlier run removed); True on a re-run."""
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
        repo.replace_assessments(row.id, pd.DataFrame())
        uow.commit()
        return rerun


def evaluate_shard(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    key: str,
    shard: int,
    shards: int,
    unavailable_sources: Sequence[str] = (),
) -> int:
    """Evaluate and store the lights of one shard's organisations; the number of lights."""
    programme_id = definition.programme.id
    with uow:
        row = uow.repo.checkpoint(key)
        if row is None:
            raise LookupError(tr("Checkpoint {key} was not opened for shards", key=key))
        previous, _, _ = previous_state(uow, row)
        mine = shard_of(assessed_organisations(uow, programme_id, row.period), shard, shards)
        without = [(source, row.period) for source in unavailable_sources]
        evaluation = evaluate(
            definition,
            uow.repo.measurements_frame(programme_id, without=without),
            period=row.period,
            previous=previous,
            organisations=mine,
        )
        lights = evaluation.lights
        # Programme-level lights are the merge's: every shard would compute the same ones.
        lights = lights[lights["organisation"].astype(str) != PROGRAMME]
        uow.repo.add_assessments(row.id, lights)
        uow.commit()
        return len(lights)


def merge_shards(
    definition: ProgrammeDefinition,
    *,
    uow: UnitOfWork,
    key: str,
    now: datetime,
    rerun: bool,
    flow_run_id: str | None = None,
    unavailable_sources: Sequence[str] = (),
    swing_guard: SwingGuard = SwingGuard(),  # noqa: B008 (frozen value)
) -> CheckpointOutcome:
    """Programme-level lights and the abort criteria over all shards' lights; then as usual."""
    programme_id = definition.programme.id
    with uow:
        row = uow.repo.checkpoint(key)
        if row is None:
            raise LookupError(tr("Checkpoint {key} was not opened for shards", key=key))
        previous, previous_lights, previous_key = previous_state(uow, row)
        active = assessed_organisations(uow, programme_id, row.period)
        without = [(source, row.period) for source in unavailable_sources]
        measurements = uow.repo.measurements_frame(programme_id, without=without)
        programme = evaluate(
            definition, measurements, period=row.period, previous=previous, organisations=[]
        )
        stored = uow.repo.lights_frame(row.id)
        uow.repo.add_assessments(row.id, programme.lights)
        lights = (
            pd.concat([programme.lights, stored], ignore_index=True)
            .sort_values(["organisation", "dimension"], kind="stable")
            .reset_index(drop=True)
        )
        decisions = decide(
            definition, lights, active_organisations=len(active), organisations=active
        )
        evaluation = Evaluation.of_stored_lights(
            row.period,
            # The Soll/Ist tables the reports show, over all organisations (vectorised).
            compare(definition, measurements, organisations=active),
            lights,
            decisions,
        )
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
            tell=True,
            swing_guard=swing_guard,
        )
