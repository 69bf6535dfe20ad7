"""The 12-step driver integration: plan steps, open the next, publish progress artifacts."""

from __future__ import annotations

import asyncio
from typing import Any

from prefect import flow, task
from prefect.artifacts import acreate_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import common
from flows.forms import driver_code, organisation_id
from flows.publish import publish_tables
from steering.domain.vocabulary import label
from steering.services.integration import ensure_integrations, integration_overview, local_today
from steering.services.presentation import artifact_key, integration_rows

_CONCURRENCY = 16


def _run_name() -> str:
    params = flow_run.parameters
    parts = ["integration", params.get("organisation") or "alle"]
    if params.get("driver"):
        parts.append(params["driver"])
    return "/".join(parts)


@task(name="Schritte planen und freigeben", cache_policy=NO_CACHE)
def plan(config: str) -> int:
    """Plan the twelve steps for every organisation x selected driver that has none yet."""
    definition = common.definition(config)
    now = common.now()
    return ensure_integrations(
        definition, uow=common.wiring().uow(), today=local_today(definition, now), now=now
    )


@task(name="Fortschritt bereitstellen", cache_policy=NO_CACHE)
def publish_progress(config: str, organisation: str | None, driver: str | None) -> dict[str, Any]:
    """A progress artifact per integration (e.g. 7/12) and an overview table."""
    definition = common.definition(config)
    today = local_today(definition, common.now())
    overview = [
        row
        for row in integration_overview(definition, uow=common.wiring().uow(), today=today)
        if (organisation in (None, row.organisation_id)) and (driver in (None, row.driver))
    ]
    lang = definition.programme.language
    names = {o.id: o.name for o in definition.organisations}

    async def create_all() -> None:
        limit = asyncio.Semaphore(_CONCURRENCY)

        async def one(org: str, drv: str, done: int, total: int) -> None:
            async with limit:
                await acreate_progress_artifact(
                    progress=100.0 * done / total if total else 0.0,
                    key=artifact_key("integration", org, drv),
                    description=(
                        f"{names.get(org, org)} · {label(drv, lang)}: {done}/{total} "
                        + ("Schritte erledigt" if lang == "de" else "steps done")
                    ),
                )

        await asyncio.gather(*(one(r.organisation_id, r.driver, r.done, r.total) for r in overview))

    asyncio.run(create_all())
    publish_tables(
        {
            artifact_key("treiberintegration", definition.programme.id): (
                integration_rows(definition, overview, today, lang),
                "Treiberintegration: erledigte, offene und überfällige Schritte",
            )
        }
    )
    overdue = sum(len(r.overdue) for r in overview)
    return {"integrations": len(overview), "overdue_steps": overdue}


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
    if organisation:  # the form offers names
        organisation = organisation_id(common.definition(config), organisation)
    driver = driver_code(driver) if driver else None
    planned = plan(config)
    summary = publish_progress(config, organisation, driver)
    return {"planned": planned, **summary}
