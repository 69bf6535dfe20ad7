"""Read any configured source into an ImportResult: validated rows plus every problem."""

from __future__ import annotations

import hashlib
from pathlib import Path

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.confine import refusal
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


def _confined(written: str, definition_file: Path, source_key: str, lang: str) -> Path:
    """The file a written path names, if it lies inside the data roots; read nothing else."""
    reason = refusal(written, definition_file, lang)
    if reason is not None:
        text = msg("refused_path", lang, source=source_key, file=definition_file, reason=reason)
        raise FileProblem([RowError(0, "path", "", text, lang)])
    return (definition_file.parent / written).resolve()


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
    definition_file: Path | None = None,
    confine: bool = False,
) -> ImportResult:
    """Read and validate one source; surveys need the `period` their answers belong to.

    Without `path` the source's configured path is read (relative to `definition_file`), only
    inside the data roots. A given `path` is the caller's choice (`steer import FILE`), unless
    `confine` says it came from elsewhere (a flow parameter anyone with the UI can set).
    """
    catalog = Catalog(definition, source.key, lang)
    written = None if path is None else str(path)
    if path is None and definition_file is not None and not isinstance(source, SqlSource):
        written = source.path
    name = Path(written).name if written else getattr(source, "url", "") or source.key
    digest = ""
    summary = free_text = None
    transient = False
    try:
        if isinstance(source, SqlSource):
            rows, errors, digest = _read_sql(source, catalog)
        else:
            if written is not None and definition_file is not None and (path is None or confine):
                path = _confined(written, definition_file, source.key, lang)
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
