"""Use cases a participant starts in the portal, checked against what they may touch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from steering.domain.definition import ProgrammeDefinition
from steering.domain.entry import enterable_indicators, open_periods
from steering.i18n import tr
from steering.ports.portal import EvidenceFiles
from steering.ports.sources import ImportFailed, ImportResult, ImportRow, RowError, Sources
from steering.ports.store import UnitOfWork
from steering.services.importing import ImportOutcome, import_source, read_for_import, record_value
from steering.services.integration import StepOutcome, complete_step, local_today
from steering.services.portal_uploads import CheckedFile

EVIDENCE_PREFIX = "portal:"
# Kinds of source whose files participants upload: CSV or Excel tables and survey exports.
UPLOAD_KINDS = ("table", "moodle_feedback", "limesurvey")


class NotEnterable(ValueError):
    """The indicator or period is not one the participant enters for this organisation."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class UploadSource:
    """A configured file source a participant may upload to."""

    key: str
    title: str


def upload_sources(definition: ProgrammeDefinition) -> list[UploadSource]:
    """The configured table and survey sources (files: CSV or XLSX)."""
    return [
        UploadSource(s.key, getattr(s, "title", "") or s.key)
        for s in definition.sources
        if s.kind in UPLOAD_KINDS
    ]


def enter_value(
    definition: ProgrammeDefinition,
    organisation_id: str,
    *,
    indicator: str,
    period: str,
    value: str,
    note: str,
    sources: Sources,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
    lang: str,
) -> ImportRow:
    """Store a value the organisation's owner enters: its indicators, open periods, import rules."""
    if indicator not in {i.key for i in enterable_indicators(definition, organisation_id)}:
        raise NotEnterable("indicator")
    if period not in {p.id for p in open_periods(definition, local_today(definition, now))}:
        raise NotEnterable("period")
    return record_value(
        definition,
        indicator=indicator,
        organisation=organisation_id,
        period=period,
        value=value,
        note=note,
        sources=sources,
        uow=uow,
        now=now,
        actor=actor,
        lang=lang,
    )


def import_upload(
    definition: ProgrammeDefinition,
    definition_file: Path,
    *,
    source_key: str,
    path: Path,
    allowed: tuple[str, ...],
    programme_scope: bool,
    sources: Sources,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
    lang: str,
    period: str | None = None,
) -> ImportOutcome:
    """Import an uploaded file all or nothing; rows of organisations the person may not act
    for (and programme-wide rows, unless `programme_scope`) are errors like any other bad row."""
    result = read_for_import(
        definition,
        definition_file,
        source_key=source_key,
        sources=sources,
        path=path,
        period=period,
        lang=lang,
    )
    foreign = [
        RowError(
            row.line,
            "organisation",
            row.organisation,
            tr("not an organisation you may act for", lang),
            lang,
        )
        for row in result.rows_despite_errors()
        if row.organisation and row.organisation not in allowed
    ]
    foreign += [
        RowError(
            row.line,
            "indicator",
            row.indicator,
            tr("a programme-wide value: the project lead enters it", lang),
            lang,
        )
        for row in result.rows_despite_errors()
        if not row.organisation and not programme_scope
    ]
    if result.errors or foreign:
        raise ImportFailed(
            ImportResult(
                rows=[],
                errors=sorted([*result.errors, *foreign], key=lambda e: (e.line, e.column)),
                file_name=result.file_name,
                content_hash=result.content_hash,
                source_key=source_key,
            )
        )
    return import_source(
        definition,
        definition_file,
        source_key=source_key,
        sources=sources,
        uow=uow,
        now=now,
        actor=actor,
        path=path,
        period=period,
        lang=lang,
    )


def complete_with_file(
    definition: ProgrammeDefinition,
    organisation_id: str,
    driver: str,
    step: int,
    *,
    upload: CheckedFile,
    files: EvidenceFiles,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> StepOutcome:
    """Keep the checked evidence file and mark the step done with a reference to it."""
    reference = files.save(organisation_id, upload.suffix, upload.content)
    return complete_step(
        definition,
        organisation_id,
        driver,
        step,
        evidence_url=f"{EVIDENCE_PREFIX}{reference} ({upload.name})",
        uow=uow,
        now=now,
        actor=actor,
    )
