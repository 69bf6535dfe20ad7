"""The sharded checkpoint's tasks: open it for the shards, merge what they stored."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import common
from steering.io_retries import STORE_TASK_PAUSES
from steering.services.checkpoints import CheckpointOutcome
from steering.services.sharded_checkpoint import (
    merge_shards,
    open_sharded_checkpoint,
)


@task(
    name="Checkpoint für Teile öffnen",
    cache_policy=NO_CACHE,
    retries=len(STORE_TASK_PAUSES),
    retry_delay_seconds=list(STORE_TASK_PAUSES),
    retry_condition_fn=common.retry_if_store_unreachable,
)
def open_for_shards(config: str, period: str, key: str) -> bool:
    """Open the checkpoint (progress measured, earlier lights removed); True on a re-run."""
    return open_sharded_checkpoint(
        common.definition(config),
        uow=common.wiring().uow(),
        key=key,
        period=period,
        now=common.now(),
        scheduled_for=flow_run.get_scheduled_start_time(),
        flow_run_id=common.run_id(),
    )


@task(
    name="Teile zusammenführen, Abbruchkriterien bewerten",
    cache_policy=NO_CACHE,
    retries=len(STORE_TASK_PAUSES),
    retry_delay_seconds=list(STORE_TASK_PAUSES),
    retry_condition_fn=common.retry_if_store_unreachable,
)
def merge(config: str, key: str, rerun: bool, unavailable_sources: list[str]) -> CheckpointOutcome:
    """Programme-level lights and abort criteria over all shards; store, tell, conclude."""
    return merge_shards(
        common.definition(config),
        uow=common.wiring().uow(),
        key=key,
        now=common.now(),
        rerun=rerun,
        flow_run_id=common.run_id(),
        unavailable_sources=unavailable_sources,
        swing_guard=common.wiring().settings.swing_guard(),
    )
