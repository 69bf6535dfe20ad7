"""The Check phase, started by hand: import the survey, evaluate, wait for the lead's decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.flow_runs import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment, flow_run
from pydantic import Field

from flows import common
from flows.notify import send_notices
from flows.publish import publish_markdown
from steering.services.checkpoints import checkpoint_key, run_checkpoint
from steering.services.evaluation import record_lead_decision
from steering.services.importing import import_source
from steering.services.notices import evaluation_waiting_notice
from steering.services.presentation import artifact_key, organisation_status


class LeadDecisionInput(RunInput):
    """Entscheidung der Projektleitung nach der Evaluation."""

    decision: Literal["continue", "adapt", "abort"] = Field(
        description="fortsetzen (continue), anpassen (adapt) oder Abbruch prüfen (abort)"
    )
    comment: str = Field(min_length=1, description="Begründung der Entscheidung")


@task(name="Befragung importieren", cache_policy=NO_CACHE)
def import_survey(config: str, source: str, file: str | None, period: str) -> dict[str, Any]:
    """Import the survey export for the period (the same file twice changes nothing)."""
    outcome = import_source(
        common.definition(config),
        Path(config),
        source_key=source,
        uow=common.wiring().uow(),
        now=common.now(),
        actor="evaluation",
        path=Path(file) if file else None,
        period=period,
    )
    return {"status": outcome.status, "rows": outcome.rows}


@task(name="Auswerten und Status veröffentlichen", cache_policy=NO_CACHE)
def evaluate_organisation(config: str, organisation: str, period: str) -> str:
    """Evaluate the period (own checkpoint key) and publish the organisation's status."""
    definition = common.definition(config)
    key = checkpoint_key(definition, period, f"evaluation-{organisation}")
    outcome = run_checkpoint(
        definition,
        uow=common.wiring().uow(),
        period=period,
        key=key,
        now=common.now(),
    )
    status = organisation_status(
        definition, outcome.evaluation, organisation, (), definition.programme.language
    )
    publish_markdown(
        {artifact_key("evaluation", organisation, period): (status, f"Evaluation {period}")}
    )
    return key


@task(name="Entscheidung speichern", cache_policy=NO_CACHE)
def store_decision(config: str, organisation: str, key: str, decision: LeadDecisionInput) -> None:
    """Record the decision and the evaluation as evidence of the Check phase."""
    wiring = common.wiring()
    run_id = flow_run.get_id()
    record_lead_decision(
        common.definition(config),
        organisation=organisation,
        checkpoint_key=key,
        decision=decision.decision,
        comment=decision.comment,
        actor="projektleitung",
        reference=f"prefect-flow-run:{run_id}" if run_id else key,
        uow=wiring.uow(),
        evidence_uow=wiring.uow(),
        now=common.now(),
    )


@flow(
    name="evaluation",
    flow_run_name="evaluation/{organisation}/{period}",
    description=(
        "Evaluation (Check-Phase), von Hand gestartet: Befragung importieren, auswerten, "
        "dann auf die Entscheidung der Projektleitung warten (fortsetzen, anpassen, abbrechen)."
    ),
)
def evaluation(
    config: str,
    organisation: str,
    period: str,
    source: str | None = None,
    file: str | None = None,
    wait_hours: int = 72,
) -> dict[str, Any]:
    """Evaluate one organisation and record the lead's decision.

    Args:
        config: Pfad der Programmdefinition (YAML).
        organisation: Organisation, die evaluiert wird.
        period: Zeitraum, z. B. 2019-H2.
        source: Datenquelle der Befragung (z. B. feedback-weiterbildung); leer = keine.
        file: Datei der Befragung; leer = der konfigurierte Pfad.
        wait_hours: Wie lange auf die Entscheidung gewartet wird.
    """
    # Everything before the wait is idempotent: a resumed (suspended) run starts again here.
    imported = import_survey(config, source, file, period) if source else None
    key = evaluate_organisation(config, organisation, period)
    get_run_logger().info("Warte auf die Entscheidung der Projektleitung (%s)", key)
    run_id = flow_run.get_id()
    send_notices(
        config,
        [evaluation_waiting_notice(organisation, key, flow_run_id=str(run_id) if run_id else None)],
    )
    # A deployed run frees its worker while it waits; a run started in-process must block.
    wait = suspend_flow_run if deployment.id else pause_flow_run
    decision = wait(wait_for_input=LeadDecisionInput, timeout=wait_hours * 3600)
    store_decision(config, organisation, key, decision)
    return {"checkpoint": key, "decision": decision.decision, "imported": imported}
