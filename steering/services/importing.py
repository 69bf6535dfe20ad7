"""Use cases: import a source file (all or nothing, idempotent) and record a single value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.reader import read_source
from steering.adapters.sources.result import ImportFailed, ImportResult, ImportRow, RowError
from steering.adapters.sources.validate import RAW_COLUMNS, validate_frame
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import ManualSource, ProgressSource


class SourceNotImportable(ValueError):
    """The source key is unknown or names a source that is not a file or query."""


@dataclass(frozen=True)
class ImportOutcome:
    """What an import stored."""

    status: Literal["imported", "unchanged"]
    import_id: int
    rows: int
    replaced_imports: tuple[int, ...]
    file_name: str


def _as_dicts(rows: list[ImportRow]) -> list[dict[str, object]]:
    return [
        {
            "indicator": r.indicator,
            "organisation": r.organisation,
            "period": r.period,
            "value": r.value,
            "note": r.note or None,
        }
        for r in rows
    ]


def survey_summary(summary: pd.DataFrame | None, period: str | None) -> dict[str, Any] | None:
    """A survey's per-question answers as stored with its import (numbers only, no texts)."""
    if summary is None or period is None:
        return None
    scale = [c for c in summary.columns if c not in ("count", "mean")]
    return {
        "period": period,
        "questions": [
            {
                "question": str(question),
                "count": int(row["count"]),
                "mean": None if pd.isna(row["mean"]) else float(row["mean"]),
                "counts": {str(value): int(row[value]) for value in scale},
            }
            for question, row in summary.iterrows()
        ],
    }


def read_for_import(
    definition: ProgrammeDefinition,
    definition_file: Path,
    *,
    source_key: str,
    path: Path | None = None,
    period: str | None = None,
    lang: str = "de",
    confine: bool = False,
) -> ImportResult:
    """Read and validate a configured source without storing anything.

    The configured path is read only inside the data roots; a given `path` too with `confine`.
    """
    source = next((s for s in definition.sources if s.key == source_key), None)
    if source is None or isinstance(source, ManualSource | ProgressSource):
        known = ", ".join(
            s.key for s in definition.sources if not isinstance(s, ManualSource | ProgressSource)
        )
        raise SourceNotImportable(f"{source_key!r} ({known})")
    return read_source(
        source,
        path,
        definition,
        lang,
        period=period,
        definition_file=definition_file,
        confine=confine,
    )


def import_source(
    definition: ProgrammeDefinition,
    definition_file: Path,
    *,
    source_key: str,
    uow: SqlUnitOfWork,
    now: datetime,
    actor: str,
    path: Path | None = None,
    period: str | None = None,
    lang: str = "de",
    confine: bool = False,
) -> ImportOutcome:
    """Import one source: every row valid or nothing stored; the same content only once."""
    result = read_for_import(
        definition,
        definition_file,
        source_key=source_key,
        path=path,
        period=period,
        lang=lang,
        confine=confine,
    )
    rows = result.raise_if_errors()
    programme_id = definition.programme.id
    with uow:
        repo = uow.repo
        summary = survey_summary(result.summary, period)
        earlier = repo.find_import(programme_id, source_key, result.content_hash)
        if earlier is not None:
            if earlier.summary is None and summary is not None:
                # Imported before answers were kept with imports: keep them now.
                earlier.summary = summary
                uow.commit()
            return ImportOutcome("unchanged", earlier.id, 0, (), result.file_name)
        record, replaced = repo.add_import(
            programme_id, source_key, result.file_name, result.content_hash, len(rows), now
        )
        record.summary = summary
        stored = repo.add_measurements(
            programme_id,
            _as_dicts(rows),
            source_key=source_key,
            import_id=record.id,
            actor=actor,
            now=now,
        )
        repo.audit(
            actor=actor,
            action="import",
            subject_type="source",
            subject_id=source_key,
            details={
                "file": result.file_name,
                "rows": stored,
                "import_id": record.id,
                "replaced": replaced,
            },
            now=now,
        )
        uow.commit()
        return ImportOutcome("imported", record.id, stored, tuple(replaced), result.file_name)


def record_value(
    definition: ProgrammeDefinition,
    *,
    indicator: str,
    organisation: str,
    period: str,
    value: str,
    note: str,
    uow: SqlUnitOfWork,
    now: datetime,
    actor: str,
    lang: str = "de",
) -> ImportRow:
    """Validate and store one manually entered value (as `steer record` does)."""
    source_key = next((s.key for s in definition.sources if isinstance(s, ManualSource)), "manuell")
    catalog = Catalog(definition, source_key, lang, any_source=True)
    raw = pd.DataFrame(
        [(1, indicator, organisation, period, value, "Wert" if lang == "de" else "value", note)],
        columns=list(RAW_COLUMNS),
        dtype=object,
    )
    labels = {"indicator": "Indikator", "organisation": "Organisation", "period": "Zeitraum"}
    decimal: Literal[",", "."] = "," if "," in value else "."
    rows, errors = validate_frame(raw, catalog, decimal=decimal, labels=labels)
    if errors:
        raise ImportFailed(
            ImportResult(
                rows=[],
                errors=[_without_line(e) for e in errors],
                file_name="steer record",
                content_hash="",
                source_key=source_key,
            )
        )
    with uow:
        uow.repo.add_measurements(
            definition.programme.id,
            _as_dicts(rows),
            source_key=source_key,
            import_id=None,
            actor=actor,
            now=now,
        )
        uow.repo.audit(
            actor=actor,
            action="record",
            subject_type="indicator",
            subject_id=rows[0].indicator,
            details={
                "organisation": rows[0].organisation,
                "period": rows[0].period,
                "value": rows[0].value,
            },
            now=now,
        )
        uow.commit()
    return rows[0]


def _without_line(error: RowError) -> RowError:
    return RowError(0, "", error.value, f"{error.column}: {error.reason}", error.lang)
