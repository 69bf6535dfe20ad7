"""Use cases: what a checkpoint, an evaluation or a lead's decision publishes, and where."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from steering.domain.definition import ProgrammeDefinition
from steering.domain.vocabulary import label
from steering.i18n import tr
from steering.ports.publishing import Publisher, Publishing
from steering.ports.store import UnitOfWork
from steering.services.checkpoints import CheckpointOutcome
from steering.services.decisions import LeadView, lead_views
from steering.services.descriptions import (
    matrix_description,
    soll_ist_description,
    status_description,
)
from steering.services.integration import integration_overview, local_today
from steering.services.lagebild import phase_facts
from steering.services.period_report import period_report
from steering.services.presentation import (
    CheckpointParts,
    artifact_key,
    checkpoint_parts,
    checkpoint_report,
    focused_parts,
    integration_rows,
    most_urgent,
    organisation_status,
    publishes_attention_only,
    soll_ist_rows,
    status_matrix_rows,
    status_organisations,
    stored_organisation_status,
)
from steering.services.progress_view import progress_lines
from steering.services.report_downloads import link_target
from steering.services.reports import write_report
from steering.services.status import programme_status


def _attention_summary(
    definition: ProgrammeDefinition,
    outcome: CheckpointOutcome,
    previous: dict[tuple[str, str], str],
    lead: Mapping[str, LeadView],
    built: CheckpointParts,
    *,
    to: Publishing,
    now: datetime,
    report: str,
) -> tuple[str, list[dict[str, str]]]:
    """A large programme's summary and matrix: the most urgent organisations only."""
    lang, evaluation = definition.programme.language, outcome.evaluation
    urgent = most_urgent(definition, evaluation)
    shown = urgent[: to.summary_organisations]
    parts = focused_parts(definition, evaluation, built, shown, previous, lang, lead)
    note = tr(
        "Of {total} organisations, {attention} need attention; the {shown} most urgent are "
        "listed here. The report file {report} lists every organisation.",
        lang,
        total=len(definition.organisations),
        attention=len(urgent),
        shown=len(shown),
        report=report,
    )
    summary = checkpoint_report(
        definition,
        evaluation,
        key=outcome.key,
        at=now,
        previous=previous,
        lang=lang,
        attention_only=True,
        lead=lead,
        built=parts,
        note=note,
    )
    return summary, parts.matrix


def publish_checkpoint(
    definition: ProgrammeDefinition, outcome: CheckpointOutcome, *, to: Publishing, now: datetime
) -> dict[str, str]:
    """Publish the matrix, Soll/Ist, per-organisation status and the reports; their files.

    The Lagebild is published before, by the flow (it reads Prefect's waiting runs).
    """
    lang, pid, period = definition.programme.language, definition.programme.id, outcome.period
    evaluation, previous = outcome.evaluation, outcome.previous_lights
    mode, all_up_to = to.status_mode, to.status_all_up_to
    published_status = status_organisations(
        definition, evaluation, previous, mode=mode, all_up_to=all_up_to
    )
    large = publishes_attention_only(len(definition.organisations), mode=mode, all_up_to=all_up_to)
    # The lead's decisions of the period (a re-run keeps them) and earlier aborts.
    lead = lead_views(definition, uow=to.uow_factory(), period=period)
    # The tables and lines are built once; the report, summary and artifacts show them.
    built = checkpoint_parts(definition, evaluation, previous, lang, lead)
    report = checkpoint_report(
        definition,
        evaluation,
        key=outcome.key,
        at=now,
        previous=previous,
        lang=lang,
        lead=lead,
        built=built,
    )
    path = write_report(to.data_dir, pid, period, report)
    # Prefect stores every artifact three times (artifact, collection, event payload), so
    # large programmes get an attention-only summary and status artifacts; the report
    # file keeps everything.
    summary, matrix = report, built.matrix
    if large:
        summary, matrix = _attention_summary(
            definition, outcome, previous, lead, built, to=to, now=now, report=path.name
        )
    # The Sachbericht files are written while the artifacts travel to the server.
    with ThreadPoolExecutor(max_workers=1) as background:
        pending = background.submit(write_sachbericht, definition, outcome, to)
        to.publisher.tables(
            {
                artifact_key("ampelmatrix", pid): (
                    matrix,
                    matrix_description(evaluation, lang),
                ),
                artifact_key("soll-ist", pid): (
                    soll_ist_rows(definition, evaluation.soll_ist, lang, period=period),
                    soll_ist_description(evaluation, lang),
                ),
            }
        )
        progress = progress_lines(definition, uow=to.uow_factory(), now=now, lang=lang)
        phases = phase_facts(definition, uow=to.uow_factory(), now=now)
        documents = {
            artifact_key("checkpoint", pid): (
                summary,
                tr("Checkpoint {period}: report", lang, period=period),
            ),
            **{
                artifact_key("status", org.id): (
                    organisation_status(
                        definition, evaluation, org.id, progress[org.id], lang, lead.get(org.id)
                    ),
                    status_description(evaluation, org.id, phases[org.id].phase, lang),
                )
                for org in definition.organisations
                if org.id in published_status
            },
        }
        to.publisher.markdown(documents)
        files = pending.result()
    text = files.pop("markdown_text")
    if not large:  # a large programme's full report lives in the files, not in Prefect's DB
        to.publisher.markdown({artifact_key("sachbericht", pid): (text, f"Sachbericht {period}")})
    to.publisher.link(
        artifact_key("bericht", pid),
        link_target(to.portal_url, period, "checkpoint.md", path),
        path.name,
        tr("Report {period} as a Markdown file", lang, period=period),
    )
    for fmt, text in (("html", tr("HTML (with charts)", lang)), ("xlsx", "Excel")):
        written = Path(files[fmt])
        to.publisher.link(
            artifact_key(f"sachbericht-{fmt}", pid),
            link_target(to.portal_url, period, f"sachbericht.{fmt}", written),
            written.name,
            tr("Sachbericht {period} as {format}", lang, period=period, format=text),
        )
    return {"report": str(path), **files}


def write_sachbericht(
    definition: ProgrammeDefinition, outcome: CheckpointOutcome, to: Publishing
) -> dict[str, str]:
    """Write the period report as Markdown, HTML and XLSX next to the checkpoint report.

    It is built from what the checkpoint stored, as `steer report` builds it: the same
    revision gives the same files.
    """
    report = period_report(
        definition,
        uow_factory=to.uow_factory,
        period=outcome.period,
        key=outcome.key,
        lang=definition.programme.language,
    )
    folder, writer = to.data_dir / "reports", to.writer
    out = {
        fmt: str(writer.write(report, fmt, folder / writer.default_name(report, fmt))[0])
        for fmt in ("md", "html", "xlsx")
    }
    out["markdown_text"] = Path(out["md"]).read_text(encoding="utf-8")  # rendered once
    return out


def publish_evaluation(
    definition: ProgrammeDefinition,
    outcome: CheckpointOutcome,
    *,
    organisation: str,
    publisher: Publisher,
) -> None:
    """Publish the status one organisation's evaluation found for the period."""
    lang, period = definition.programme.language, outcome.period
    status = organisation_status(definition, outcome.evaluation, organisation, (), lang)
    publisher.markdown(
        {artifact_key("evaluation", organisation, period): (status, f"Evaluation {period}")}
    )


def publish_decision(
    definition: ProgrammeDefinition,
    *,
    organisation: str,
    period: str,
    to: Publishing,
    now: datetime,
) -> bool:
    """Republish the matrix and the organisation's status with the lead's decision.

    Nothing when the matrix shows a later period (nothing there changed); True if published.
    """
    view = programme_status(definition, uow=to.uow_factory(), now=now)
    if view.period != period:
        return False
    lang = definition.programme.language
    progress = progress_lines(definition, uow=to.uow_factory(), now=now, lang=lang)
    to.publisher.tables(
        {
            artifact_key("ampelmatrix", definition.programme.id): (
                status_matrix_rows(view, lang),
                tr("Ampelmatrix {period} with the lead's decision", lang, period=period),
            )
        }
    )
    to.publisher.markdown(
        {
            artifact_key("status", organisation): (
                stored_organisation_status(
                    definition, view, organisation, progress[organisation], lang
                ),
                f"Status {definition.organisation(organisation).name}",
            )
        }
    )
    return True


def publish_progress(
    definition: ProgrammeDefinition,
    *,
    organisation: str | None,
    driver: str | None,
    uow: UnitOfWork,
    publisher: Publisher,
    now: datetime,
) -> dict[str, int]:
    """A progress bar per integration (e.g. 7/12) and an overview table; their counts."""
    today = local_today(definition, now)
    overview = [
        row
        for row in integration_overview(definition, uow=uow, today=today)
        if (organisation in (None, row.organisation_id)) and (driver in (None, row.driver))
    ]
    lang = definition.programme.language
    names = {o.id: o.name for o in definition.organisations}
    publisher.progress(
        {
            artifact_key("integration", r.organisation_id, r.driver): (
                100.0 * r.done / r.total if r.total else 0.0,
                f"{names.get(r.organisation_id, r.organisation_id)} · {label(r.driver, lang)}: "
                + tr("{done}/{total} steps done", lang, done=r.done, total=r.total),
            )
            for r in overview
        }
    )
    publisher.tables(
        {
            artifact_key("treiberintegration", definition.programme.id): (
                integration_rows(definition, overview, today, lang),
                tr("Driver integration: steps done, open and overdue", lang),
            )
        }
    )
    overdue = sum(len(r.overdue) for r in overview)
    return {"integrations": len(overview), "overdue_steps": overdue}
