"""The checkpoint's evaluation split by organisation shard over the workers of a work pool."""

from __future__ import annotations

from prefect import flow

from flows import common
from steering.domain.definition import ProgrammeDefinition
from steering.services.sharded_checkpoint import (
    evaluate_shard,
)

SHARD_FLOW = "checkpoint-shard"


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
