"""The programme checkpoint: collect sources, evaluate lights and abort criteria, publish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows import common
from flows.checkpoint_tasks import collect, evaluate, publish
from flows.integration import publish_progress
from flows.notify_tasks import send_notices
from flows.shard_runs import evaluate_in_shards
from flows.stale_runs import clear_stale_runs
from steering.domain.schedule import due_period
from steering.services.checkpoints import checkpoint_key


def _run_name() -> str:
    params = flow_run.parameters
    period = params.get("period") or "fällig"
    return f"checkpoint/{Path(params['config']).stem}/{period}"


@flow(
    name="checkpoint",
    flow_run_name=_run_name,
    description=(
        "Programm-Checkpoint: Datenquellen sammeln, Soll/Ist, Ampeln und Abbruchkriterien "
        "bewerten, speichern, Artefakte und Bericht veröffentlichen. Wiederholbar ohne Duplikate."
    ),
    log_prints=True,
)
def checkpoint(
    config: str, period: str | None = None, label: str = "", shards: int = 1
) -> dict[str, Any]:
    """Run one programme checkpoint.

    Args:
        config: Pfad der Programmdefinition (YAML).
        period: Auszuwertender Zeitraum, z. B. 2019-H2; leer = zuletzt abgeschlossener.
        label: Zusatz zum Checkpoint-Schlüssel für Zwischen-Checkpoints.
        shards: In so viele Teile (nach Trägern) aufteilen, je ein Lauf der Deployment
            checkpoint-shard auf den Workern; 1 = alles in diesem Lauf.
    """
    definition = common.definition(config)
    chosen = period or due_period(definition.programme.periods, common.now().date())
    key = checkpoint_key(definition, chosen, label)
    clear_stale_runs("checkpoint", common.wiring().settings.stale_run_minutes)
    pauses = common.wiring().settings.retry_seconds
    retried: dict[str, Any] = {"retries": len(pauses), "retry_delay_seconds": pauses or 0}
    collected = collect.with_options(**retried)(config)
    failed = [c["source"] for c in collected if c["status"] == "failed"]
    # Stores the lights and, in the same transaction, what they tell: nothing gets lost
    # when a later step fails, and any later run (reminders, steer outbox --send) tells it.
    if shards > 1:  # each shard on a worker of the pool; one merge for what spans them
        outcome = evaluate_in_shards(config, chosen, key, failed, shards)
    else:
        outcome = evaluate(config, chosen, key, failed)
    # quote(): Prefect would otherwise walk and copy every object the outcome holds to find
    # upstream results in it (2 s at 10,000 organisations); it holds none.
    publishing = publish.with_options(**retried)(config, quote(outcome), return_state=True)
    if publishing.is_completed():
        # Steps change between runs of the driver-integration flow (steer step done, the
        # demo): the progress artifacts show the store as of this checkpoint.
        publish_progress(config, None, None)
    # If the store fails while notifying, the run ends Failed with its results kept, and
    # the next run tells what is left, nothing twice.
    notified = send_notices(config, [])
    published: dict[str, str] = publishing.result()  # a failed publication fails the run now
    lights = outcome.evaluation.lights["light"].value_counts().to_dict()
    return {
        "key": key,
        "period": chosen,
        "lights": {str(k): int(v) for k, v in lights.items()},
        "sources": collected,
        "notifications": notified,
        **published,
    }
