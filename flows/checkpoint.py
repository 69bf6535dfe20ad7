"""The programme checkpoint: collect sources, evaluate lights and abort criteria, publish."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import common
from flows.integration import publish_progress
from flows.notify import send_notices
from flows.publish import publish_link, publish_markdown, publish_tables
from flows.stale_runs import crash_stale_runs
from steering.bootstrap import store_unreachable, write_period_report
from steering.domain.schedule import due_period
from steering.i18n import counted
from steering.services.checkpoints import CheckpointOutcome, checkpoint_key, run_checkpoint
from steering.services.collection import collect_sources
from steering.services.decisions import lead_views
from steering.services.period_report import period_report
from steering.services.presentation import (
    artifact_key,
    checkpoint_parts,
    checkpoint_report,
    organisation_status,
    publishes_attention_only,
    status_organisations,
)
from steering.services.progress_view import progress_lines
from steering.services.reports import write_report


def _run_name() -> str:
    params = flow_run.parameters
    period = params.get("period") or "fällig"
    return f"checkpoint/{Path(params['config']).stem}/{period}"


def _store_unreachable(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only when the store could not be reached (locked, connection refused)."""
    try:
        state.result()
    except Exception as failure:
        return store_unreachable(failure)
    return False


# Retried (STEERING_RETRY_SECONDS) only when our own store fails; a source that cannot
# be read is no failure of the task: its values count as missing.
@task(name="Quellen sammeln", cache_policy=NO_CACHE, retry_condition_fn=_store_unreachable)
def collect(config: str) -> list[dict[str, Any]]:
    """Import every configured table and SQL source (unchanged files are skipped).

    Raises StoreUnavailable when our store fails: the run then stops before evaluating.
    """
    definition = common.definition(config)
    wiring = common.wiring()
    results = collect_sources(
        definition,
        Path(config),
        uow_factory=wiring.uow,
        now=common.now(),
        lang=definition.programme.language,
    )
    logger = get_run_logger()
    for item in results:
        logger.info("Quelle %s: %s (%s)", item.source, item.status, counted(item.rows, "values"))
    return [item.__dict__ for item in results]


# One transaction stores the lights and decisions: a failed attempt leaves nothing behind.
@task(
    name="Ampeln und Abbruchkriterien bewerten",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[2, 15],
    retry_condition_fn=_store_unreachable,
)
def evaluate(
    config: str, period: str, key: str, unavailable_sources: list[str] | None = None
) -> CheckpointOutcome:
    """Evaluate Soll/Ist, lights and abort criteria and store them (idempotent per key).

    Sources that could not be read now count as missing for the period: their earlier
    values would otherwise look fresh.
    """
    definition = common.definition(config)
    if unavailable_sources:
        get_run_logger().warning(
            "Nicht lesbar, ihre Werte für %s zählen als fehlend: %s",
            period,
            ", ".join(unavailable_sources),
        )
    run_id = flow_run.get_id()
    scheduled = flow_run.get_scheduled_start_time()
    return run_checkpoint(
        definition,
        uow=common.wiring().uow(),
        period=period,
        key=key,
        now=common.now(),
        scheduled_for=scheduled,
        flow_run_id=str(run_id) if run_id else None,
        unavailable_sources=unavailable_sources or (),
        swing_guard=common.wiring().settings.swing_guard(),
    )


# Retried (STEERING_RETRY_SECONDS, set by the flow) on any failure: the store, the Prefect
# API or the disk may be back; writing the same files and artifacts again is harmless.
@task(name="Artefakte und Bericht veröffentlichen", cache_policy=NO_CACHE)
def publish(config: str, outcome: CheckpointOutcome) -> dict[str, str]:
    """Publish the matrix, Soll/Ist, per-organisation status and the report."""
    definition = common.definition(config)
    lang = definition.programme.language
    pid = definition.programme.id
    evaluation = outcome.evaluation
    settings = common.wiring().settings
    published_status = status_organisations(
        definition,
        evaluation,
        outcome.previous_lights,
        mode=settings.status_artifacts,
        all_up_to=settings.status_artifacts_all_up_to,
    )
    large = publishes_attention_only(
        len(definition.organisations),
        mode=settings.status_artifacts,
        all_up_to=settings.status_artifacts_all_up_to,
    )
    at = common.now()
    previous = outcome.previous_lights
    # The lead's decisions of the period (a re-run keeps them) and earlier aborts.
    lead = lead_views(definition, uow=common.wiring().uow(), period=outcome.period)
    # The tables and lines are built once; the report, summary and artifacts show them.
    built = checkpoint_parts(definition, evaluation, previous, lang, lead)
    report = checkpoint_report(
        definition,
        evaluation,
        key=outcome.key,
        at=at,
        previous=previous,
        lang=lang,
        lead=lead,
        built=built,
    )
    path = write_report(settings.data_dir, pid, outcome.period, report)
    # Prefect stores every artifact three times (artifact, collection, event payload), so
    # large programmes get an attention-only summary and status artifacts; the report
    # file keeps everything.
    summary = (
        checkpoint_report(
            definition,
            evaluation,
            key=outcome.key,
            at=at,
            previous=previous,
            lang=lang,
            attention_only=True,
            lead=lead,
            built=built,
        )
        if large
        else report
    )
    # The Sachbericht files are written while the artifacts travel to the server.
    background = ThreadPoolExecutor(max_workers=1)
    pending = background.submit(write_sachbericht, config, outcome)
    publish_tables(
        {
            artifact_key("ampelmatrix", pid): (
                built.matrix,
                f"Ampelmatrix {outcome.period}: Organisationen × Dimensionen "
                "(↘ schlechter, ↗ besser als beim vorigen Checkpoint)",
            ),
            artifact_key("soll-ist", pid): (
                built.soll_ist,
                f"Soll/Ist bis {outcome.period}",
            ),
        }
    )
    progress = progress_lines(definition, uow=common.wiring().uow(), now=at, lang=lang)
    documents = {
        artifact_key("checkpoint", pid): (summary, f"Checkpoint {outcome.period}: Bericht"),
        **{
            artifact_key("status", org.id): (
                organisation_status(
                    definition, evaluation, org.id, progress[org.id], lang, lead.get(org.id)
                ),
                f"Status {org.name}",
            )
            for org in definition.organisations
            if org.id in published_status
        },
    }
    publish_markdown(documents)
    files = pending.result()
    background.shutdown()
    text = files.pop("markdown_text")
    if not large:  # a large programme's full report lives in the files, not in Prefect's DB
        publish_markdown(
            {artifact_key("sachbericht", pid): (text, f"Sachbericht {outcome.period}")}
        )
    publish_link(
        artifact_key("bericht", pid),
        path.resolve().as_uri(),
        path.name,
        f"Bericht {outcome.period} als Markdown-Datei",
    )
    for fmt, text in (("html", "HTML (mit Diagrammen)"), ("xlsx", "Excel")):
        written = Path(files[fmt])
        publish_link(
            artifact_key(f"sachbericht-{fmt}", pid),
            written.resolve().as_uri(),
            written.name,
            f"Sachbericht {outcome.period} als {text}",
        )
    return {"report": str(path), **files}


def write_sachbericht(config: str, outcome: CheckpointOutcome) -> dict[str, str]:
    """Write the period report as Markdown, HTML and XLSX next to the checkpoint report.

    It is built from what the checkpoint stored, as `steer report` builds it: the same
    revision gives the same files.
    """
    definition = common.definition(config)
    wiring = common.wiring()
    report = period_report(
        definition,
        uow_factory=wiring.uow,
        period=outcome.period,
        key=outcome.key,
        lang=definition.programme.language,
    )
    folder = wiring.settings.data_dir / "reports"
    out = {fmt: str(write_period_report(report, fmt, folder)) for fmt in ("md", "html", "xlsx")}
    out["markdown_text"] = Path(out["md"]).read_text(encoding="utf-8")  # rendered once
    return out


def _clear_stale_runs() -> None:
    """Earlier checkpoint runs whose process was killed are shown as Crashed from now on."""
    run_id = flow_run.get_id()
    if not run_id:
        return
    minutes = common.wiring().settings.stale_run_minutes
    logger = get_run_logger()
    try:
        crashed = crash_stale_runs(
            "checkpoint", UUID(str(run_id)), older_than=timedelta(minutes=minutes)
        )
    except Exception as failure:  # housekeeping only: the checkpoint itself goes on
        logger.warning("Hängende Läufe nicht geprüft: %s", failure)
        return
    for name in crashed:
        logger.warning("Lauf %s lief ohne Ende (Prozess beendet): als abgestürzt markiert", name)


@flow(
    name="checkpoint",
    flow_run_name=_run_name,
    description=(
        "Programm-Checkpoint: Datenquellen sammeln, Soll/Ist, Ampeln und Abbruchkriterien "
        "bewerten, speichern, Artefakte und Bericht veröffentlichen. Wiederholbar ohne Duplikate."
    ),
    log_prints=True,
)
def checkpoint(config: str, period: str | None = None, label: str = "") -> dict[str, Any]:
    """Run one programme checkpoint.

    Args:
        config: Pfad der Programmdefinition (YAML).
        period: Auszuwertender Zeitraum, z. B. 2019-H2; leer = zuletzt abgeschlossener.
        label: Zusatz zum Checkpoint-Schlüssel für Zwischen-Checkpoints.
    """
    definition = common.definition(config)
    chosen = period or due_period(definition.programme.periods, common.now().date())
    key = checkpoint_key(definition, chosen, label)
    _clear_stale_runs()
    pauses = common.wiring().settings.retry_seconds
    retries, delays = len(pauses), pauses or 0
    collected = collect.with_options(retries=retries, retry_delay_seconds=delays)(config)
    failed = [c["source"] for c in collected if c["status"] == "failed"]
    # Stores the lights and, in the same transaction, what they tell: nothing gets lost
    # when a later step fails, and any later run (reminders, steer outbox --send) tells it.
    outcome = evaluate(config, chosen, key, failed)
    publishing = publish.with_options(retries=retries, retry_delay_seconds=delays)(
        config, outcome, return_state=True
    )
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
