"""What reading a source yields: valid rows, every bad row, and where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from steering.adapters.sources.messages import msg
from steering.i18n import counted

MAX_LISTED_ERRORS = 200


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
            return msg(
                "at_line_column", self.lang, line=self.line, column=self.column, reason=self.reason
            )
        if self.line:
            return msg("at_line", self.lang, line=self.line, reason=self.reason)
        return self.reason


class FileProblem(Exception):
    """Reading stopped at a file-level problem (encoding, missing column, ...).

    `transient` marks a source that could not be reached (a database down, a timeout):
    trying again later may work, unlike bad content.
    """

    def __init__(self, errors: list[RowError], *, transient: bool = False) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors
        self.transient = transient


class ImportFailed(Exception):
    """A source with bad rows; the message lists them (the first 200)."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.transient = result.transient  # the source was unreachable; retrying may help
        errors = result.errors
        lang = errors[0].lang if errors else "de"
        lines = [
            msg(
                "import_failed",
                lang,
                file=result.file_name,
                count=counted(len(errors), "errors", lang),
            )
        ]
        lines += [f"  {error}" for error in errors[:MAX_LISTED_ERRORS]]
        if len(errors) > MAX_LISTED_ERRORS:
            lines.append("  " + msg("and_more", lang, count=len(errors) - MAX_LISTED_ERRORS))
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
