"""Deployments and schedules of one programme, built from its definition; served in one place."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, cast

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.checkpoint import checkpoint
from flows.checkpoint_shards import checkpoint_shard, shard_deployment_name
from flows.evaluation import evaluation
from flows.forms import german_form
from flows.integration import driver_integration
from flows.notify import reminders
from flows.pdca import pdca_cycle
from steering.domain.definition import ProgrammeDefinition


def _deployment(flow: Any, **options: Any) -> RunnerDeployment:
    """flow.to_deployment, typed (Prefect declares it sync-or-async)."""
    return cast(RunnerDeployment, flow.to_deployment(**options))


def _schedules(cron: str | None, timezone: str) -> list[Any]:
    return [Cron(cron, timezone=timezone)] if cron else []


def build_deployments(
    config: Path, definition: ProgrammeDefinition, *, today: date | None = None
) -> list[RunnerDeployment]:
    """Scheduled checkpoint, PDCA, integration and reminder deployments; evaluation by hand.

    `today` gives the evaluation form its default period (the last one closed).
    """
    path = str(config.resolve())
    pid = definition.programme.id
    tz = definition.programme.timezone
    schedules = definition.schedules
    common: dict[str, Any] = {"parameters": {"config": path}, "tags": [pid]}
    deployments = [
        _deployment(
            checkpoint,
            name=f"{pid}-checkpoint",
            schedules=_schedules(schedules.checkpoint, tz),
            **common,
        ),
        _deployment(
            pdca_cycle, name=f"{pid}-pdca", schedules=_schedules(schedules.pdca_cycle, tz), **common
        ),
        _deployment(
            driver_integration,
            name=f"{pid}-integration",
            schedules=_schedules(schedules.driver_integration, tz),
            **common,
        ),
        _deployment(
            reminders,
            name=f"{pid}-reminders",
            schedules=_schedules(schedules.reminders, tz),
            **common,
        ),
    ]
    deployments.append(_deployment(evaluation, name=f"{pid}-evaluation", **common))
    # Started by a checkpoint with shards > 1, one run per shard.
    shard_name = shard_deployment_name(definition).split("/", 1)[1]
    deployments.append(_deployment(checkpoint_shard, name=shard_name, **common))
    for deployment in deployments:
        german_form(deployment, deployment.flow_name or "", definition, today=today)
    return deployments


def serve_programme(
    config: Path,
    definition: ProgrammeDefinition,
    *,
    today: date | None = None,
    limit: int | None = None,
) -> None:
    """Serve all deployments; schedules stay active across restarts (no pause on shutdown)."""
    from prefect import serve

    deployments = build_deployments(config, definition, today=today)
    serve(*deployments, pause_on_shutdown=False, limit=limit)
