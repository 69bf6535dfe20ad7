"""The evaluation's tasks: import the survey, evaluate one organisation, store the decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import INPUTS, NO_CACHE, RUN_ID

from flows import common
from steering.services.checkpoints import checkpoint_key, run_checkpoint
from steering.services.decisions import LeadDecision
from steering.services.evaluation import record_lead_decision
from steering.services.importing import import_source
from steering.services.publishing import publish_decision, publish_evaluation

# A suspended deployed run starts the flow function again when it is resumed. The work
# before the wait is therefore cached per flow run (results persisted): the resumed run
# finds it done (its task runs show as Cached) instead of importing, evaluating and
# telling the lead a second time.
BEFORE_THE_WAIT: dict[str, Any] = {"cache_policy": RUN_ID + INPUTS, "persist_result": True}


@task(name="Befragung importieren", **BEFORE_THE_WAIT)
def import_survey(config: str, source: str, file: str | None, period: str) -> dict[str, Any]:
    """Import the survey export for the period (the same file twice changes nothing)."""
    outcome = import_source(
        common.definition(config),
        Path(config),
        source_key=source,
        sources=common.wiring().sources,
        uow=common.wiring().uow(),
        now=common.now(),
        actor="evaluation",
        path=Path(file) if file else None,
        period=period,
        confine=True,  # a flow parameter: whoever can start the run chooses it, not the server
    )
    return {"status": outcome.status, "rows": outcome.rows}


@task(name="Auswerten und Status veröffentlichen", **BEFORE_THE_WAIT)
def evaluate_organisation(config: str, organisation: str, period: str) -> str:
    """Evaluate only this organisation for the period (own checkpoint key) and publish it.

    Nobody else's lights, streaks or decisions are touched; the run never counts as a
    checkpoint for hysteresis or abort streaks.
    """
    definition = common.definition(config)
    key = checkpoint_key(definition, period, f"evaluation-{organisation}")
    outcome = run_checkpoint(
        definition,
        uow=common.wiring().uow(),
        period=period,
        key=key,
        now=common.now(),
        flow_run_id=common.run_id(),
        only=[organisation],
    )
    publisher = common.publishing().publisher
    publish_evaluation(definition, outcome, organisation=organisation, publisher=publisher)
    return key


@task(name="Entscheidung speichern", cache_policy=NO_CACHE)
def store_decision(
    config: str, organisation: str, period: str, decision: LeadDecision, comment: str
) -> None:
    """Record the decision for the period, the evaluation as evidence, and republish the
    organisation's status and the matrix with it."""
    definition = common.definition(config)
    wiring = common.wiring()
    run_id = common.run_id()
    key = checkpoint_key(definition, period, f"evaluation-{organisation}")
    lead = record_lead_decision(
        definition,
        organisation=organisation,
        period=period,
        decision=decision,
        comment=comment,
        actor="projektleitung",
        reference=f"prefect-flow-run:{run_id}" if run_id else key,
        uow=wiring.uow(),
        evidence_uow=wiring.uow(),
        now=common.now(),
    )
    lang = definition.programme.language
    get_run_logger().info(
        "Entscheidung der Projektleitung für %s gespeichert: %s", organisation, lead.text(lang)
    )
    publish_decision(
        definition,
        organisation=organisation,
        period=period,
        to=common.publishing(),
        now=common.now(),
    )
