"""The checkpoint's tasks: collect the sources, evaluate and store, publish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import common
from flows.lagebild import publish_lagebild
from steering.gc_pause import gc_paused
from steering.i18n import ntr
from steering.io_retries import STORE_TASK_PAUSES
from steering.services.checkpoints import CheckpointOutcome, run_checkpoint
from steering.services.collection import collect_sources
from steering.services.publishing import publish_checkpoint


# Retried (STEERING_RETRY_SECONDS) only when our own store fails; a source that cannot
# be read is no failure of the task: its values count as missing.
@task(
    name="Quellen sammeln",
    cache_policy=NO_CACHE,
    retry_condition_fn=common.retry_if_store_unreachable,
)
def collect(config: str) -> list[dict[str, Any]]:
    """Import every configured table and SQL source (unchanged files are skipped).

    Raises StoreUnavailable when our store fails: the run then stops before evaluating.
    """
    definition, wiring = common.definition(config), common.wiring()
    results = collect_sources(
        definition,
        Path(config),
        sources=wiring.sources,
        uow_factory=wiring.uow,
        now=common.now(),
        lang=definition.programme.language,
    )
    logger = get_run_logger()
    for item in results:
        logger.info(
            "Quelle %s: %s (%s)",
            item.source,
            item.status,
            ntr("{n} value", "{n} values", item.rows),
        )
    return [item.__dict__ for item in results]


# One transaction stores the lights and decisions: a failed attempt leaves nothing behind.
@task(
    name="Ampeln und Abbruchkriterien bewerten",
    cache_policy=NO_CACHE,
    retries=len(STORE_TASK_PAUSES),
    retry_delay_seconds=list(STORE_TASK_PAUSES),
    retry_condition_fn=common.retry_if_store_unreachable,
)
def evaluate(
    config: str, period: str, key: str, unavailable_sources: list[str] | None = None
) -> CheckpointOutcome:
    """Evaluate Soll/Ist, lights and abort criteria and store them (idempotent per key).

    Sources that could not be read now count as missing for the period: their earlier
    values would otherwise look fresh.
    """
    if unavailable_sources:
        get_run_logger().warning(
            "Nicht lesbar, ihre Werte für %s zählen als fehlend: %s",
            period,
            ", ".join(unavailable_sources),
        )
    return run_checkpoint(
        common.definition(config),
        uow=common.wiring().uow(),
        period=period,
        key=key,
        now=common.now(),
        scheduled_for=flow_run.get_scheduled_start_time(),
        flow_run_id=common.run_id(),
        unavailable_sources=unavailable_sources or (),
        swing_guard=common.wiring().settings.swing_guard(),
    )


# Retried (STEERING_RETRY_SECONDS, set by the flow) on any failure: the store, the Prefect
# API or the disk may be back; writing the same files and artifacts again is harmless.
@task(name="Artefakte und Bericht bereitstellen", cache_policy=NO_CACHE)
def publish(config: str, outcome: CheckpointOutcome) -> dict[str, str]:
    """Publish the Lagebild, the matrix, Soll/Ist, per-organisation status and the report."""
    # Building the texts of every organisation makes millions of small objects while the
    # evaluation's are alive: the cycle collector would walk them all again and again
    # (40 % of this task at 10,000 organisations). Nothing here keeps cycles alive for long.
    with gc_paused():
        publish_lagebild(config)  # first: the run links it first
        return publish_checkpoint(
            common.definition(config), outcome, to=common.publishing(), now=common.now()
        )
