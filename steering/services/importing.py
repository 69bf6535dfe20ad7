"""Use cases: import a source file (all or nothing, idempotent) and record a single value."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.io_retries import STORE_CONFLICT_ATTEMPTS
from steering.ports import StoreBusy, StoreConflict
from steering.ports.sources import (
    ImportFailed,
    ImportResult,
    ImportRow,
    ReadRequest,
    RowError,
    Sources,
)
from steering.ports.store import UnitOfWork

# Writers of the same values take turns (see SqlUnitOfWork.serialised); a writer that still
# loses a race (an import and a manual value for the same key) starts over and reads again.
ATTEMPTS = STORE_CONFLICT_ATTEMPTS
T = TypeVar("T")


class SourceNotImportable(ValueError):
    """The source key is unknown or names a source that is not a file or query."""


class UnknownImport(LookupError):
    """No import of the programme has this id."""


@dataclass(frozen=True)
class ImportOutcome:
    """What an import stored; 'restored' made an earlier import's values current again."""

    status: Literal["imported", "unchanged", "restored"]
    import_id: int
    rows: int
    replaced_imports: tuple[int, ...]
    file_name: str
    # 'unchanged': how many of its values have been replaced since (--restore brings them back).
    replaced_values: int = 0


@dataclass(frozen=True)
class ImportEntry:
    """One import as the history lists it."""

    import_id: int
    source_key: str
    file_name: str
    imported_at: datetime
    rows: int
    status: str
    superseded_by: int | None


def import_history(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, source_key: str | None = None
) -> list[ImportEntry]:
    """The programme's imports (of one source, if given), newest first."""
    with uow:
        return [
            ImportEntry(
                r.id,
                r.source_key,
                r.file_name,
                r.imported_at,
                r.row_count,
                r.status,
                r.superseded_by,
            )
            for r in uow.repo.imports(definition.programme.id, source_key)
        ]


def _as_dicts(rows: list[ImportRow]) -> Iterator[dict[str, object]]:
    # One at a time: a million dictionaries at once would cost gigabytes.
    return (
        {
            "indicator": r.indicator,
            "organisation": r.organisation,
            "period": r.period,
            "value": r.value,
            "note": r.note or None,
        }
        for r in rows
    )


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
    sources: Sources,
    path: Path | None = None,
    period: str | None = None,
    lang: str = "de",
    confine: bool = False,
) -> ImportResult:
    """Read and validate a configured source without storing anything.

    The configured path is read only inside the data roots; a given `path` too with `confine`.
    """
    source = next((s for s in definition.sources if s.key == source_key), None)
    if source is None or sources.reader(source) is None:
        known = ", ".join(s.key for s in definition.sources if sources.reader(s) is not None)
        raise SourceNotImportable(f"{source_key!r} ({known})")
    request = ReadRequest(definition, definition_file, path, period, lang, confine)
    return sources.read(source, request)


def import_source(
    definition: ProgrammeDefinition,
    definition_file: Path,
    *,
    source_key: str,
    sources: Sources,
    uow: UnitOfWork,
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
        sources=sources,
        path=path,
        period=period,
        lang=lang,
        confine=confine,
    )
    rows = result.raise_if_errors()
    summary = survey_summary(result.summary, period)
    return _retried(lambda: _store_import(uow, definition, result, rows, summary, now, actor))


def restore_import(
    definition: ProgrammeDefinition,
    *,
    import_id: int,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> ImportOutcome:
    """Make the values of an earlier import current again (as importing its file again does)."""
    return _retried(lambda: _restore(uow, definition.programme.id, import_id, now, actor))


def _retried(work: Callable[[], T]) -> T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return work()
        except StoreBusy:
            raise  # it waited as long as allowed already
        except StoreConflict:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def source_lock(programme_id: str, source_key: str) -> str:
    """The lock imports of one source take turns on."""
    return f"import/{programme_id}/{source_key}"


def _store_import(
    uow: UnitOfWork,
    definition: ProgrammeDefinition,
    result: ImportResult,
    rows: list[ImportRow],
    summary: dict[str, Any] | None,
    now: datetime,
    actor: str,
) -> ImportOutcome:
    programme_id, source_key = definition.programme.id, result.source_key
    # One import of a source at a time: the second sees the first as its predecessor.
    with uow.serialised(source_lock(programme_id, source_key)):
        repo = uow.repo
        earlier = repo.find_import(programme_id, source_key, result.content_hash)
        if earlier is not None and earlier.status == "active":
            if earlier.summary is None and summary is not None:
                # Imported before answers were kept with imports: keep them now.
                earlier.summary = summary
                uow.commit()
            # Kept as they are, even where later values replaced some: a checkpoint collects
            # its configured files again each time and must not undo a value typed in since.
            replaced_since = repo.replaced_values(earlier.id)
            return ImportOutcome("unchanged", earlier.id, 0, (), result.file_name, replaced_since)
        if earlier is not None:
            replaced = repo.reactivate_import(earlier)
            record, action = earlier, "import-restored"
        else:
            record, replaced = repo.add_import(
                programme_id, source_key, result.file_name, result.content_hash, len(rows), now
            )
            record.summary, action = summary, "import"
        stored = repo.add_measurements(
            programme_id,
            _as_dicts(rows),
            source_key=source_key,
            import_id=record.id,
            actor=actor,
            now=now,
        )
        details = {"file": result.file_name, "rows": stored, "import_id": record.id}
        repo.audit(
            actor=actor,
            action=action,
            subject_type="source",
            subject_id=source_key,
            details={**details, "replaced": replaced},
            now=now,
        )
        uow.commit()
    status: Literal["imported", "restored"] = "imported" if earlier is None else "restored"
    return ImportOutcome(status, record.id, stored, tuple(replaced), result.file_name)


def _restore(
    uow: UnitOfWork, programme_id: str, import_id: int, now: datetime, actor: str
) -> ImportOutcome:
    with uow:
        found = uow.repo.import_record(programme_id, import_id)
        source_key = None if found is None else found.source_key
    if source_key is None:
        raise UnknownImport(import_id)
    with uow.serialised(source_lock(programme_id, source_key)):
        repo = uow.repo
        record = repo.import_record(programme_id, import_id)
        assert record is not None  # imports are never deleted
        replaced = repo.reactivate_import(record)
        stored = repo.add_measurements(
            programme_id,
            repo.import_values(import_id),
            source_key=record.source_key,
            import_id=record.id,
            actor=actor,
            now=now,
        )
        repo.audit(
            actor=actor,
            action="import-restored",
            subject_type="source",
            subject_id=record.source_key,
            details={
                "file": record.file_name,
                "rows": stored,
                "import_id": record.id,
                "replaced": replaced,
            },
            now=now,
        )
        uow.commit()
        return ImportOutcome("restored", record.id, stored, tuple(replaced), record.file_name)


def record_value(
    definition: ProgrammeDefinition,
    *,
    indicator: str,
    organisation: str,
    period: str,
    value: str,
    note: str,
    sources: Sources,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
    lang: str = "de",
) -> ImportRow:
    """Validate and store one manually entered value (as `steer record` does)."""
    source_key = next((s.key for s in definition.sources if s.kind == "manual"), "manuell")
    rows, errors = sources.check_value(
        definition,
        source_key,
        indicator=indicator,
        organisation=organisation,
        period=period,
        value=value,
        note=note,
        lang=lang,
    )
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
    _retried(lambda: _store_value(uow, definition.programme.id, source_key, rows[0], now, actor))
    return rows[0]


def _store_value(
    uow: UnitOfWork,
    programme_id: str,
    source_key: str,
    row: ImportRow,
    now: datetime,
    actor: str,
) -> None:
    key = f"value/{programme_id}/{row.indicator}/{row.organisation}/{row.period}"
    with uow.serialised(key):
        uow.repo.add_measurements(
            programme_id,
            _as_dicts([row]),
            source_key=source_key,
            import_id=None,
            actor=actor,
            now=now,
        )
        uow.repo.audit(
            actor=actor,
            action="record",
            subject_type="indicator",
            subject_id=row.indicator,
            details={"organisation": row.organisation, "period": row.period, "value": row.value},
            now=now,
        )
        uow.commit()


def _without_line(error: RowError) -> RowError:
    return RowError(0, "", error.value, f"{error.column}: {error.reason}", error.lang)
