"""Indicator sources as the services see them: readers by kind, and what a read yields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.i18n import counted, render

MAX_LISTED_ERRORS = 200

_MESSAGES: dict[str, tuple[str, str]] = {
    "at_line_column": (
        "Zeile {line}, Spalte „{column}“: {reason}",
        "line {line}, column '{column}': {reason}",
    ),
    "at_line": ("Zeile {line}: {reason}", "line {line}: {reason}"),
    "import_failed": (
        "Import aus „{file}“ fehlgeschlagen, {count}:",  # counted(n, "errors")
        "import from '{file}' failed, {count}:",
    ),
    "and_more": ("… und {count} weitere", "… and {count} more"),
}


def _msg(key: str, lang: str = "de", /, **params: Any) -> str:
    """Render a message of this module in the given language."""
    return render(_MESSAGES[key], lang, **params)


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One validated indicator value; organisation is '' for programme-wide indicators."""

    indicator: str
    organisation: str
    period: str
    value: float
    note: str
    line: int


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: line 0 means the whole file, column '' the whole line."""

    line: int
    column: str
    value: str
    reason: str
    lang: str = field(default="de", compare=False)

    def __str__(self) -> str:
        if self.line and self.column:
            return _msg(
                "at_line_column", self.lang, line=self.line, column=self.column, reason=self.reason
            )
        if self.line:
            return _msg("at_line", self.lang, line=self.line, reason=self.reason)
        return self.reason


class ImportFailed(Exception):
    """A source with bad rows; the message lists them (the first 200)."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.transient = result.transient  # the source was unreachable; retrying may help
        errors = result.errors
        lang = errors[0].lang if errors else "de"
        lines = [
            _msg(
                "import_failed",
                lang,
                file=result.file_name,
                count=counted(len(errors), "errors", lang),
            )
        ]
        lines += [f"  {error}" for error in errors[:MAX_LISTED_ERRORS]]
        if len(errors) > MAX_LISTED_ERRORS:
            lines.append("  " + _msg("and_more", lang, count=len(errors) - MAX_LISTED_ERRORS))
        super().__init__("\n".join(lines))


class ImportResult:
    """Rows and errors of one read; the rows are only handed out when there are no errors."""

    __slots__ = (
        "_rows",
        "content_hash",
        "errors",
        "file_name",
        "free_text",
        "source_key",
        "summary",
        "transient",
    )

    def __init__(
        self,
        *,
        rows: list[ImportRow],
        errors: list[RowError],
        file_name: str,
        content_hash: str,
        source_key: str,
        summary: pd.DataFrame | None = None,
        free_text: pd.DataFrame | None = None,
        transient: bool = False,
    ) -> None:
        self.transient = transient
        self._rows = list(rows)
        self.errors = list(errors)
        self.file_name = file_name
        self.content_hash = content_hash
        self.source_key = source_key
        self.summary = summary
        self.free_text = free_text

    @property
    def ok(self) -> bool:
        """True when no row and no file-level problem was found."""
        return not self.errors

    @property
    def rows(self) -> list[ImportRow]:
        """The validated rows; raise ImportFailed if any row was bad."""
        return self.raise_if_errors()

    def raise_if_errors(self) -> list[ImportRow]:
        """Return the rows, or raise ImportFailed listing every bad row."""
        if self.errors:
            raise ImportFailed(self)
        return list(self._rows)

    def rows_despite_errors(self) -> list[ImportRow]:
        """The valid rows of a file with errors (an explicit partial import)."""
        return list(self._rows)

    def __repr__(self) -> str:
        return (
            f"ImportResult(source_key={self.source_key!r}, file_name={self.file_name!r}, "
            f"rows={len(self._rows)}, errors={len(self.errors)})"
        )


S_contra = TypeVar("S_contra", contravariant=True)


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """How to read a source: its definition (and file), a path given instead, the period."""

    definition: ProgrammeDefinition
    definition_file: Path | None = None
    # A path given by the caller replaces the configured one; `confine` keeps it inside the
    # data roots too (it came from a flow parameter, not from the person at the command line).
    path: Path | None = None
    period: str | None = None
    lang: str = "de"
    confine: bool = False


class SourceReader(Protocol[S_contra]):
    """Reads one kind of indicator source into validated rows and every problem."""

    def collects(self, source: S_contra) -> bool:
        """Whether a checkpoint imports this source by itself (it names a file or a query)."""
        ...

    def read(self, source: S_contra, request: ReadRequest) -> ImportResult:
        """Read and validate the source; problems are errors of the result, never raised."""
        ...


class ValueCheck(Protocol):
    """Validates one value entered by hand as an import would: the row, or its errors."""

    def __call__(
        self,
        definition: ProgrammeDefinition,
        source_key: str,
        *,
        indicator: str,
        organisation: str,
        period: str,
        value: str,
        note: str,
        lang: str,
    ) -> tuple[list[ImportRow], list[RowError]]: ...


class SourceSpec(Protocol):
    """What every configured source has: its kind and its key."""

    @property
    def kind(self) -> str: ...

    @property
    def key(self) -> str: ...


@dataclass(frozen=True)
class Sources:
    """The indicator source readers by kind (chosen in bootstrap) and the check of typed values.

    A kind without a reader (manual entry, the built-in progress source) is never read.
    """

    readers: Mapping[str, SourceReader[Any]]
    check_value: ValueCheck

    def reader(self, source: SourceSpec) -> SourceReader[Any] | None:
        """The reader of the source's kind, None if sources of this kind are not read."""
        return self.readers.get(source.kind)

    def read(self, source: SourceSpec, request: ReadRequest) -> ImportResult:
        """Read the source with the reader of its kind (KeyError if the kind has none)."""
        return self.readers[source.kind].read(source, request)
