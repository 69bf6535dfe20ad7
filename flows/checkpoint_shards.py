"""The checkpoint's evaluation split by organisation shard over the workers of a work pool."""

from __future__ import annotations

import time
from typing import cast
from uuid import UUID

from prefect import flow, get_client, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.runtime import flow_run

from flows import common
from steering.domain.definition import ProgrammeDefinition
from steering.i18n import tr
from steering.io_retries import STORE_TASK_PAUSES
from steering.services.checkpoints import CheckpointOutcome
from steering.services.sharded_checkpoint import (
    evaluate_shard,
    merge_shards,
    open_sharded_checkpoint,
)

SHARD_FLOW = "checkpoint-shard"
# A shard that has not finished by then is lost (no worker, a crash): the checkpoint fails.
SHARD_TIMEOUT_SECONDS = 3600
POLL_SECONDS = 1.0


def shard_deployment_name(definition: ProgrammeDefinition) -> str:
    """The shard flow's deployment of a programme, as `flow/deployment`."""
    return f"{SHARD_FLOW}/{definition.programme.id}-{SHARD_FLOW}"


class ShardFailed(RuntimeError):
    """A shard's run ended other than completed: the checkpoint stays unfinished."""


@flow(
    name=SHARD_FLOW,
    description=(
        "Ein Teil (Shard) eines Programm-Checkpoints: Ampeln der Träger dieses Teils "
        "bewerten und speichern. Wird vom Checkpoint gestartet."
    ),
    log_prints=True,
)
def checkpoint_shard(
    config: str,
    key: str,
    shard: int,
    shards: int,
    unavailable_sources: list[str] | None = None,
) -> int:
    """Evaluate and store the lights of one shard's organisations.

    Args:
        config: Pfad der Programmdefinition (YAML).
        key: Schlüssel des geöffneten Checkpoints.
        shard: Nummer dieses Teils (ab 0).
        shards: Anzahl der Teile.
        unavailable_sources: Nicht lesbare Quellen; ihre Werte zählen als fehlend.
    """
    return evaluate_shard(
        common.definition(config),
        uow=common.wiring().uow(),
        key=key,
        shard=shard,
        shards=shards,
        unavailable_sources=unavailable_sources or (),
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


def evaluate_in_shards(
    config: str, period: str, key: str, unavailable_sources: list[str], shards: int
) -> CheckpointOutcome:
    """Open the checkpoint, run one shard deployment per shard in parallel, merge."""
    deployment = shard_deployment_name(common.definition(config))
    rerun = open_for_shards(config, period, key)
    started = [
        cast(
            FlowRun,
            run_deployment(
                deployment,
                parameters={
                    "config": config,
                    "key": key,
                    "shard": shard,
                    "shards": shards,
                    "unavailable_sources": unavailable_sources,
                },
                timeout=0,  # start all, then wait: the workers run them side by side
            ),
        )
        for shard in range(shards)
    ]
    logger = get_run_logger()
    for shard, run in enumerate(started):
        finished = _wait(run.id)
        if finished.state is None or not finished.state.is_completed():
            name = finished.state.name if finished.state else "?"
            raise ShardFailed(
                tr(
                    "Shard {shard} of {shards} (run {run}) ended {state}: "
                    "the checkpoint is not finished",
                    shard=shard + 1,
                    shards=shards,
                    run=finished.name,
                    state=name,
                )
            )
        logger.info("Teil %s/%s fertig: %s", shard + 1, shards, finished.name)
    return merge(config, key, rerun, unavailable_sources)


def _wait(run_id: UUID) -> FlowRun:
    """The flow run once it reached a final state (or the timeout)."""
    deadline = time.monotonic() + SHARD_TIMEOUT_SECONDS
    with get_client(sync_client=True) as client:
        while True:
            run = client.read_flow_run(run_id)
            if (run.state and run.state.is_final()) or time.monotonic() > deadline:
                return run
            time.sleep(POLL_SECONDS)
