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
from flows.evaluation_wait import decision_request, waiting_here
from flows.forms import organisation_id
from flows.lagebild import publish_lagebild
from flows.notify_tasks import send_notices
from steering.services.notices import evaluation_waiting_notice

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
    send_notices.with_options(**BEFORE_THE_WAIT)(
        config, [evaluation_waiting_notice(organisation, key, flow_run_id=common.run_id())]
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
    store_decision(config, organisation, period, decision.code, decision.comment)
    publish_lagebild(config)
    return {"checkpoint": key, "decision": decision.code, "imported": imported}
