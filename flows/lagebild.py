"""Publish the Lagebild artifact, with the evaluation runs that wait for the lead in Prefect."""

from __future__ import annotations

from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import ArtifactCreate
from prefect.runtime import flow_run

from flows import common
from flows.waiting_runs import waiting_evaluations
from steering.services.lagebild import WaitingEvaluation, lagebild
from steering.services.lagebild_markdown import lagebild_description, lagebild_markdown
from steering.services.presentation import artifact_key


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
