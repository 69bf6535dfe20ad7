"""Read any configured source into an ImportResult: validated rows plus every problem."""

from __future__ import annotations

import hashlib
from pathlib import Path

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.messages import msg
from steering.adapters.sources.result import FileProblem, ImportResult, ImportRow, RowError
from steering.adapters.sources.sql import query_frame, run_query
from steering.adapters.sources.surveys import read_survey
from steering.adapters.sources.table import read_table_source
from steering.adapters.sources.validate import validate_frame
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SqlSource, SurveySource, TableSource

MAX_FILE_BYTES = 200 * 1024 * 1024


def source_path(source: TableSource | SurveySource, definition_file: Path) -> Path | None:
    """The source's file, its configured path taken relative to the definition's directory."""
    if source.path is None:
        return None
    return (definition_file.parent / source.path).resolve()


def _read_bytes(path: Path | None, lang: str) -> bytes:
    if path is None:
        raise FileProblem([RowError(0, "", "", msg("no_path", lang), lang)])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            raise FileProblem([RowError(0, "", "", msg("file_too_large", lang, limit=limit), lang)])
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise FileProblem(
            [RowError(0, "", "", msg("file_missing", lang, file=path), lang)]
        ) from None


def _read_sql(source: SqlSource, catalog: Catalog) -> tuple[list[ImportRow], list[RowError], str]:
    columns, records = run_query(source.url, source.query, source.timeout_seconds, catalog.lang)
    frame, decimal, digest = query_frame(columns, records, catalog.lang)
    labels = {name: name for name in ("indicator", "organisation", "period")}
    rows, errors = validate_frame(frame, catalog, decimal=decimal, labels=labels)
    return rows, errors, digest


def read_source(
    source: TableSource | SurveySource | SqlSource,
    path: Path | None,
    definition: ProgrammeDefinition,
    lang: str = "de",
    *,
    period: str | None = None,
) -> ImportResult:
    """Read and validate one source; surveys need the `period` their answers belong to."""
    catalog = Catalog(definition, source.key, lang)
    name = path.name if path is not None else getattr(source, "url", "") or source.key
    digest = ""
    summary = free_text = None
    transient = False
    try:
        if isinstance(source, SqlSource):
            rows, errors, digest = _read_sql(source, catalog)
        else:
            raw = _read_bytes(path, lang)
            digest = hashlib.sha256(raw).hexdigest()
            if isinstance(source, TableSource):
                rows, errors = read_table_source(raw, source, catalog)
            else:
                outcome = read_survey(raw, source, catalog, period)
                rows, errors = outcome.rows, outcome.errors
                summary, free_text = outcome.summary, outcome.free_text
    except FileProblem as problem:
        rows, errors, transient = [], problem.errors, problem.transient
    return ImportResult(
        rows=rows,
        errors=errors,
        file_name=str(name),
        content_hash=digest,
        source_key=source.key,
        summary=summary,
        free_text=free_text,
        transient=transient,
    )
