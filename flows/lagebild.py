"""Publish the Lagebild artifact, with the evaluation runs that wait for the lead in Prefect."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import ArtifactCreate
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.runtime import flow_run

from flows import common
from steering.domain.definition import ProgrammeDefinition
from steering.services.decision_request import evaluation_request
from steering.services.lagebild import WaitingEvaluation, lagebild
from steering.services.lagebild_markdown import lagebild_description, lagebild_markdown
from steering.services.presentation import artifact_key


def _same_config(parameters: dict[str, object], config: str) -> bool:
    given = parameters.get("config")
    return isinstance(given, str) and Path(given).resolve() == Path(config).resolve()


def waiting_evaluations(
    definition: ProgrammeDefinition, config: str, *, ui_url: str | None
) -> list[WaitingEvaluation]:
    """Paused or suspended evaluation runs of this programme, oldest first."""
    ids = {o.id: o.id for o in definition.organisations} | {
        o.name: o.id for o in definition.organisations
    }
    base = (ui_url or "").rstrip("/")
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["evaluation"])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))
            ),
            limit=200,
        )
    waiting = []
    for run in runs:
        org = run.parameters.get("organisation")
        mine = definition.programme.id in run.tags or _same_config(run.parameters, config)
        if org in ids and mine:
            waiting.append(
                WaitingEvaluation(
                    organisation=ids[str(org)],
                    period=str(run.parameters.get("period", "")),
                    run_name=run.name,
                    url=f"{base}/runs/flow-run/{run.id}",
                    since=run.state.timestamp if run.state else None,
                )
            )
    return sorted(waiting, key=lambda w: (w.since is None, w.since, w.organisation))


def publish_lagebild(config: str, *, waiting_too: WaitingEvaluation | None = None) -> str:
    """Publish the Lagebild of the latest checkpoint; `waiting_too` is a run about to wait."""
    definition = common.definition(config)
    wiring = common.wiring()
    waiting = waiting_evaluations(definition, config, ui_url=wiring.ui_url(definition))
    if waiting_too and all(w.run_name != waiting_too.run_name for w in waiting):
        waiting.append(waiting_too)
    lang = definition.programme.language
    view = lagebild(definition, uow_factory=wiring.uow, now=common.now(), waiting=waiting)
    key = artifact_key("lagebild", definition.programme.id)
    description = lagebild_description(view, lang)
    _publish_on_the_run(key, lagebild_markdown(view, lang), description)
    return description


def _publish_on_the_run(key: str, markdown: str, description: str) -> None:
    """A markdown artifact of the flow run itself, even when a task publishes it.

    The run's Artifacts tab lists the flow run's own artifacts above all task artifacts:
    the Lagebild is the first thing the lead sees there.
    """
    run_id = flow_run.get_id()
    with get_client(sync_client=True) as client:
        client.create_artifact(
            ArtifactCreate(
                key=key,
                type="markdown",
                data=markdown,
                description=description,
                flow_run_id=UUID(run_id) if run_id else None,
            )
        )


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
