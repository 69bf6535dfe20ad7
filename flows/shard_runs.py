"""Run a checkpoint's shards on the work pool side by side and merge them."""

from __future__ import annotations

import time
from typing import cast
from uuid import UUID

from prefect import get_client, get_run_logger
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment

from flows import common
from flows.checkpoint_shards import ShardFailed, shard_deployment_name
from flows.shard_tasks import merge, open_for_shards
from steering.i18n import tr
from steering.services.checkpoints import CheckpointOutcome

# A shard that has not finished by then is lost (no worker, a crash): the checkpoint fails.
SHARD_TIMEOUT_SECONDS = 3600
POLL_SECONDS = 1.0


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
