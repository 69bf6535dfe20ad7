"""Readers of the built-in source kinds: files (tables, survey exports) and SQL queries."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.confine import refusal
from steering.adapters.sources.messages import msg
from steering.adapters.sources.result import FileProblem, ImportResult, ImportRow, RowError
from steering.adapters.sources.sql import query_frame, run_query
from steering.adapters.sources.surveys import read_survey
from steering.adapters.sources.table import read_table_source
from steering.adapters.sources.validate import validate_frame
from steering.domain.definition.sources import SqlSource, SurveySource, TableSource
from steering.ports.sources import ReadRequest

MAX_FILE_BYTES = 200 * 1024 * 1024


class FileSpec(Protocol):
    """A source kept in one file: its key and the path the definition gives."""

    @property
    def key(self) -> str: ...

    @property
    def path(self) -> str | None: ...


F = TypeVar("F", bound=FileSpec)


@dataclass(frozen=True)
class Parsed:
    """What a file parser found: valid rows, every problem, and a survey's answers."""

    rows: list[ImportRow]
    errors: list[RowError]
    summary: pd.DataFrame | None = None
    free_text: pd.DataFrame | None = None


def source_path(source: FileSpec, definition_file: Path) -> Path | None:
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


def _failed(problem: FileProblem, name: str, digest: str, source_key: str) -> ImportResult:
    return ImportResult(
        rows=[],
        errors=problem.errors,
        file_name=name,
        content_hash=digest,
        source_key=source_key,
        transient=problem.transient,
    )


@dataclass(frozen=True)
class FileSourceReader(Generic[F]):
    """Reads a source kept in one file with the parser of its kind.

    Without a path of its own the source's configured path is read (relative to the
    definition's file), only inside the data roots. A given path is the caller's choice
    (`steer import FILE`), unless the request confines it (a flow parameter anyone with the UI
    can set).
    """

    parse: Callable[[bytes, F, Catalog, str | None], Parsed]
    # Checkpoints collect sources of this kind that name a file (surveys need a period).
    collected: bool = True

    def collects(self, source: F) -> bool:
        """Whether a checkpoint imports this source: its kind is collected and it has a path."""
        return self.collected and bool(source.path)

    def read(self, source: F, request: ReadRequest) -> ImportResult:
        """Read and validate the file; every problem is an error of the result."""
        lang, path, definition_file = request.lang, request.path, request.definition_file
        catalog = Catalog(request.definition, source.key, lang)
        written = None if path is None else str(path)
        if path is None and definition_file is not None:
            written = source.path
        name = Path(written).name if written else source.key
        digest = ""
        try:
            confined = path is None or request.confine
            if written is not None and definition_file is not None and confined:
                path = _confined(written, definition_file, source.key, lang)
            raw = _read_bytes(path, lang)
            digest = hashlib.sha256(raw).hexdigest()
            parsed = self.parse(raw, source, catalog, request.period)
        except FileProblem as problem:
            return _failed(problem, name, digest, source.key)
        return ImportResult(
            rows=parsed.rows,
            errors=parsed.errors,
            file_name=name,
            content_hash=digest,
            source_key=source.key,
            summary=parsed.summary,
            free_text=parsed.free_text,
        )


def parse_table(raw: bytes, source: TableSource, catalog: Catalog, period: str | None) -> Parsed:
    """A CSV or XLSX table (the period comes from the file)."""
    return Parsed(*read_table_source(raw, source, catalog))


def parse_survey(raw: bytes, source: SurveySource, catalog: Catalog, period: str | None) -> Parsed:
    """A moodle or LimeSurvey export whose answers belong to `period`."""
    outcome = read_survey(raw, source, catalog, period)
    return Parsed(outcome.rows, outcome.errors, outcome.summary, outcome.free_text)


class SqlSourceReader:
    """Reads a SQL source: its query's rows validated as a long table."""

    def collects(self, source: SqlSource) -> bool:
        """A query is read at every checkpoint."""
        return True

    def read(self, source: SqlSource, request: ReadRequest) -> ImportResult:
        """Run the query and validate its rows; a database that is down is transient."""
        lang = request.lang
        catalog = Catalog(request.definition, source.key, lang)
        name = request.path.name if request.path else source.url or source.key
        try:
            columns, records = run_query(source.url, source.query, source.timeout_seconds, lang)
            frame, decimal, digest = query_frame(columns, records, lang)
            labels = {column: column for column in ("indicator", "organisation", "period")}
            rows, errors = validate_frame(frame, catalog, decimal=decimal, labels=labels)
        except FileProblem as problem:
            return _failed(problem, name, "", source.key)
        return ImportResult(
            rows=rows, errors=errors, file_name=name, content_hash=digest, source_key=source.key
        )
