"""The 12-step driver integration: plan steps, open the next, publish progress artifacts."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import common
from steering.services.integration import ensure_integrations, local_today
from steering.services.publishing import publish_progress as publish_integration_progress


def _run_name() -> str:
    params = flow_run.parameters
    parts = ["integration", params.get("organisation") or "alle"]
    if params.get("driver"):
        parts.append(params["driver"])
    return "/".join(parts)


@task(name="Schritte planen und öffnen", cache_policy=NO_CACHE)
def plan(config: str) -> int:
    """Plan the twelve steps for every organisation x selected driver that has none yet."""
    definition = common.definition(config)
    now = common.now()
    return ensure_integrations(
        definition, uow=common.wiring().uow(), today=local_today(definition, now), now=now
    )


@task(name="Fortschritt veröffentlichen", cache_policy=NO_CACHE)
def publish_progress(config: str, organisation: str | None, driver: str | None) -> dict[str, Any]:
    """A progress artifact per integration (e.g. 7/12) and an overview table."""
    return publish_integration_progress(
        common.definition(config),
        organisation=organisation,
        driver=driver,
        uow=common.wiring().uow(),
        publisher=common.publishing().publisher,
        now=common.now(),
    )


@flow(
    name="driver-integration",
    flow_run_name=_run_name,
    description=(
        "Treiberintegration (12 Schritte): plant die Schritte je Organisation und Treiber, "
        "öffnet den nächsten Schritt mit Fälligkeit und veröffentlicht den Fortschritt."
    ),
)
def driver_integration(
    config: str, organisation: str | None = None, driver: str | None = None
) -> dict[str, Any]:
    """Plan and report the driver integrations.

    Args:
        config: Pfad der Programmdefinition (YAML).
        organisation: Organisation (ID); leer = alle.
        driver: Treiber (z. B. cloud); leer = alle gewählten Treiber.
    """
    planned = plan(config)
    summary = publish_progress(config, organisation, driver)
    return {"planned": planned, **summary}
