"""The PDCA cycle per organisation: check the exit gate, advance when it is met."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import common
from flows.forms import organisation_id
from steering.services.pdca import auto_advance, phase_status


def _run_name() -> str:
    params = flow_run.parameters
    organisation = params.get("organisation")
    if not organisation:
        return "pdca/alle"
    try:
        view = phase_status(
            common.definition(params["config"]), organisation, uow=common.wiring().uow()
        )
        return f"pdca/{organisation}/{view.cycle.phase}"
    except Exception:
        return f"pdca/{organisation}"


@task(name="Phasen nach ihren Kriterien weiterschalten", cache_policy=NO_CACHE)
def advance(config: str, organisation: str | None) -> list[dict[str, Any]]:
    """Advance every (or the given) organisation whose exit gate is met by one phase."""
    definition = common.definition(config)
    transitions = auto_advance(
        definition,
        uow=common.wiring().uow(),
        now=common.now(),
        organisations=[organisation] if organisation else None,
    )
    logger = get_run_logger()
    for t in transitions:
        logger.info("%s: %s → %s (Zyklus %d)", t.organisation_id, t.from_phase, t.to_phase, t.cycle)
    return [
        {
            "organisation": t.organisation_id,
            "from": str(t.from_phase),
            "to": str(t.to_phase),
            "cycle": t.cycle,
        }
        for t in transitions
    ]


@flow(
    name="pdca-cycle",
    flow_run_name=_run_name,
    description=(
        "PDCA-Zyklus: prüft die Übergangskriterien (erledigte Schritte, Nachweise) und schaltet "
        "Organisationen in die nächste Phase, deren Kriterien erfüllt sind."
    ),
)
def pdca_cycle(config: str, organisation: str | None = None) -> list[dict[str, Any]]:
    """Check gates and advance phases.

    Args:
        config: Pfad der Programmdefinition (YAML).
        organisation: Organisation (ID); leer = alle aktiven Organisationen.
    """
    if organisation:  # the form offers names
        organisation = organisation_id(common.definition(config), organisation)
    return advance(config, organisation)
