"""The evaluation runs that wait for the lead, as Prefect knows them."""

from __future__ import annotations

from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType

from steering.domain.definition import ProgrammeDefinition
from steering.services.lagebild import WaitingEvaluation


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
