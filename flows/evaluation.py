"""The Check phase, started by hand: import the survey, evaluate, wait for the lead's decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from prefect import flow, get_run_logger, task
from prefect.cache_policies import INPUTS, NO_CACHE, RUN_ID
from prefect.flow_runs import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment, flow_run
from pydantic import Field

from flows import common
from flows.forms import organisation_id
from flows.lagebild import decision_request, publish_lagebild, waiting_here
from flows.notify import send_notices
from flows.publish import publish_markdown, publish_tables
from steering.services.checkpoints import checkpoint_key, run_checkpoint
from steering.services.evaluation import record_lead_decision
from steering.services.importing import import_source
from steering.services.notices import evaluation_waiting_notice
from steering.services.presentation import (
    artifact_key,
    organisation_status,
    status_matrix_rows,
    stored_organisation_status,
)
from steering.services.progress_view import progress_lines
from steering.services.status import programme_status

# A suspended deployed run starts the flow function again when it is resumed. The work
# before the wait is therefore cached per flow run (results persisted): the resumed run
# finds it done (its task runs show as Cached) instead of importing, evaluating and
# telling the lead a second time.
BEFORE_THE_WAIT: dict[str, Any] = {"cache_policy": RUN_ID + INPUTS, "persist_result": True}


# The form offers the words the lead knows (the server checks input against them).
Code = Literal["continue", "adapt", "abort"]
_WORDS: dict[Code, str] = {"continue": "fortsetzen", "adapt": "anpassen", "abort": "abbrechen"}


class LeadDecisionInput(RunInput):
    """Entscheidung der Projektleitung nach der Evaluation."""

    decision: Literal["fortsetzen", "anpassen", "abbrechen"] = Field(
        title="Entscheidung",
        description="fortsetzen, anpassen oder abbrechen (abbrechen beendet die Teilnahme)",
    )
    comment: str = Field(
        min_length=1, title="Begründung", description="Warum so entschieden wird (Pflicht)"
    )

    @property
    def code(self) -> Code:
        """The decision as stored: continue, adapt or abort."""
        return {word: code for code, word in _WORDS.items()}[self.decision]


@task(name="Befragung importieren", **BEFORE_THE_WAIT)
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
        confine=True,  # a flow parameter: whoever can start the run chooses it, not the server
    )
    return {"status": outcome.status, "rows": outcome.rows}


@task(name="Auswerten und Status bereitstellen", **BEFORE_THE_WAIT)
def evaluate_organisation(config: str, organisation: str, period: str) -> str:
    """Evaluate only this organisation for the period (own checkpoint key) and publish it.

    Nobody else's lights, streaks or decisions are touched; the run never counts as a
    checkpoint for hysteresis or abort streaks.
    """
    definition = common.definition(config)
    key = checkpoint_key(definition, period, f"evaluation-{organisation}")
    run_id = flow_run.get_id()
    outcome = run_checkpoint(
        definition,
        uow=common.wiring().uow(),
        period=period,
        key=key,
        now=common.now(),
        flow_run_id=str(run_id) if run_id else None,
        only=[organisation],
    )
    status = organisation_status(
        definition, outcome.evaluation, organisation, (), definition.programme.language
    )
    publish_markdown(
        {artifact_key("evaluation", organisation, period): (status, f"Evaluation {period}")}
    )
    return key


@task(name="Entscheidung speichern", cache_policy=NO_CACHE)
def store_decision(
    config: str, organisation: str, period: str, decision: LeadDecisionInput
) -> None:
    """Record the decision for the period, the evaluation as evidence, and republish the
    organisation's status and the matrix with it."""
    definition = common.definition(config)
    wiring = common.wiring()
    run_id = flow_run.get_id()
    key = checkpoint_key(definition, period, f"evaluation-{organisation}")
    lead = record_lead_decision(
        definition,
        organisation=organisation,
        period=period,
        decision=decision.code,
        comment=decision.comment,
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
    view = programme_status(definition, uow=wiring.uow(), now=common.now())
    if view.period != period:  # the matrix shows a later period: nothing there changed
        return
    pid = definition.programme.id
    progress = progress_lines(definition, uow=wiring.uow(), now=common.now(), lang=lang)
    publish_tables(
        {
            artifact_key("ampelmatrix", pid): (
                status_matrix_rows(view, lang),
                f"Ampelmatrix {period} mit der Entscheidung der Projektleitung",
            )
        }
    )
    publish_markdown(
        {
            artifact_key("status", organisation): (
                stored_organisation_status(
                    definition, view, organisation, progress[organisation], lang
                ),
                f"Status {definition.organisation(organisation).name}",
            )
        }
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
    organisation = organisation_id(common.definition(config), organisation)  # form: by name
    # A resumed (suspended) run starts again here; the cached tasks are not run again.
    imported = import_survey(config, source, file, period) if source else None
    key = evaluate_organisation(config, organisation, period)
    run_id = flow_run.get_id()
    send_notices.with_options(**BEFORE_THE_WAIT)(
        config,
        [evaluation_waiting_notice(organisation, key, flow_run_id=str(run_id) if run_id else None)],
    )
    get_run_logger().info("Warte auf die Entscheidung der Projektleitung (%s)", key)
    publish_lagebild(config, waiting_too=waiting_here(organisation, period))
    # A deployed run frees its worker while it waits; a run started in-process must block.
    wait = suspend_flow_run if deployment.id else pause_flow_run
    form = LeadDecisionInput.with_initial_data(
        description=decision_request(config, organisation, key)
    )
    decision = wait(wait_for_input=form, timeout=wait_hours * 3600)
    get_run_logger().info(
        "Entscheidung der Projektleitung: %s – %s", decision.decision, decision.comment
    )
    store_decision(config, organisation, period, decision)
    publish_lagebild(config)
    return {"checkpoint": key, "decision": decision.code, "imported": imported}
