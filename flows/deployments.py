"""Deployments and schedules of one programme, built from its definition; served in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.checkpoint import checkpoint
from flows.evaluation import evaluation
from flows.integration import driver_integration
from flows.notify import reminders
from flows.pdca import pdca_cycle
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SurveySource


def _deployment(flow: Any, **options: Any) -> RunnerDeployment:
    """flow.to_deployment, typed (Prefect declares it sync-or-async)."""
    return cast(RunnerDeployment, flow.to_deployment(**options))


def _schedules(cron: str | None, timezone: str) -> list[Any]:
    return [Cron(cron, timezone=timezone)] if cron else []


def _choice(prop: dict[str, Any], values: list[str], *, optional: bool) -> dict[str, Any]:
    """A parameter shown as a drop-down in the Prefect UI's run form."""
    choice = {"type": "string", "enum": values}
    keep = {k: v for k, v in prop.items() if k in ("title", "description", "default", "position")}
    return {**keep, "anyOf": [choice, {"type": "null"}]} if optional else {**keep, **choice}


def build_deployments(config: Path, definition: ProgrammeDefinition) -> list[RunnerDeployment]:
    """Scheduled checkpoint, PDCA, integration and reminder deployments; evaluation by hand."""
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
    manual = _deployment(evaluation, name=f"{pid}-evaluation", **common)
    properties = manual._parameter_openapi_schema.properties
    properties["organisation"] = _choice(
        properties["organisation"],
        [o.id for o in definition.organisations if o.active],
        optional=False,
    )
    properties["period"] = _choice(properties["period"], definition.period_ids(), optional=False)
    surveys = [s.key for s in definition.sources if isinstance(s, SurveySource)]
    if surveys:
        properties["source"] = _choice(properties["source"], surveys, optional=True)
    deployments.append(manual)
    return deployments


def serve_programme(
    config: Path, definition: ProgrammeDefinition, *, limit: int | None = None
) -> None:
    """Serve all deployments; schedules stay active across restarts (no pause on shutdown)."""
    from prefect import serve

    serve(*build_deployments(config, definition), pause_on_shutdown=False, limit=limit)
