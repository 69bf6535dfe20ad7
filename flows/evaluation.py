"""The Check phase, started by hand: import the survey, evaluate, wait for the lead's decision."""

from __future__ import annotations

from typing import Any, Literal

from prefect import flow, get_run_logger
from prefect.flow_runs import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment
from pydantic import Field

from flows import common
from flows.evaluation_tasks import (
    BEFORE_THE_WAIT,
    evaluate_organisation,
    import_survey,
    store_decision,
)
from flows.notify_tasks import send_notices
from steering.domain.vocabulary import label
from steering.services.notices import evaluation_waiting_notice


class LeadDecisionInput(RunInput):
    """Entscheidung der Projektleitung nach der Evaluation."""

    decision: Literal["continue", "adapt", "abort"] = Field(
        description="fortsetzen (continue), anpassen (adapt) oder abbrechen (abort)"
    )
    comment: str = Field(min_length=1, description="Begründung der Entscheidung")


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
    # A resumed (suspended) run starts again here; the cached tasks are not run again.
    imported = import_survey(config, source, file, period) if source else None
    key = evaluate_organisation(config, organisation, period)
    send_notices.with_options(**BEFORE_THE_WAIT)(
        config, [evaluation_waiting_notice(organisation, key, flow_run_id=common.run_id())]
    )
    get_run_logger().info("Warte auf die Entscheidung der Projektleitung (%s)", key)
    # A deployed run frees its worker while it waits; a run started in-process must block.
    wait = suspend_flow_run if deployment.id else pause_flow_run
    decision = wait(wait_for_input=LeadDecisionInput, timeout=wait_hours * 3600)
    get_run_logger().info(
        "Entscheidung der Projektleitung: %s – %s",
        label(decision.decision, "de"),
        decision.comment,
    )
    store_decision(config, organisation, period, decision.decision, decision.comment)
    return {"checkpoint": key, "decision": decision.decision, "imported": imported}
