"""What an evaluation run shows while it waits for the lead: its Lagebild entry and its form."""

from __future__ import annotations

from prefect.runtime import flow_run

from flows import common
from steering.services.decision_request import evaluation_request
from steering.services.lagebild import WaitingEvaluation
from steering.services.presentation import artifact_key


def waiting_here(organisation: str, period: str) -> WaitingEvaluation:
    """This evaluation run, about to wait for the lead."""
    definition = common.definition(flow_run.parameters["config"])
    base = (common.wiring().ui_url(definition) or "").rstrip("/")
    return WaitingEvaluation(
        organisation=organisation,
        period=period,
        run_name=str(flow_run.get_name()),
        url=f"{base}/runs/flow-run/{flow_run.get_id()}",
        since=common.now(),
    )


def decision_request(config: str, organisation: str, key: str) -> str:
    """The resume form's description: lights, reasons, criteria, mitigations, status link."""
    definition = common.definition(config)
    wiring = common.wiring()
    base = (wiring.ui_url(definition) or "").rstrip("/")
    return evaluation_request(
        definition,
        organisation=organisation,
        key=key,
        uow=wiring.uow(),
        now=common.now(),
        status_link=f"{base}/artifacts/key/{artifact_key('status', organisation)}",
    )
