"""Turn a CSV or XLSX file into a DataFrame of strings below its detected header row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from steering.adapters.sources.german import Decimal_, detect_decimal, format_number
from steering.adapters.sources.messages import msg
from steering.adapters.sources.result import FileProblem, RowError
from steering.adapters.sources.textfile import Records, csv_records, decode
from steering.adapters.sources.xlsx import OLE_MAGIC, ZIP_MAGIC, xlsx_records

_HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class TableOptions:
    """How to read a file; 'auto' detects."""

    format: str = "auto"
    encoding: str = "auto"
    separator: str = "auto"
    decimal: str = "auto"
    sheet: str | None = None


@dataclass
class Table:
    """Cells as strings (rows of columns by position, with their file lines), the header."""

    rows: list[Sequence[object]]
    lines: list[int]
    header: list[str]
    header_line: int
    decimal: Decimal_
    separator: str
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    overflow: dict[int, int] = field(default_factory=dict)
    # CSV lines with fewer fields that hold another separator: written with ',' in a ';' file.
    short: dict[int, int] = field(default_factory=dict)

    @property
    def frame(self) -> pd.DataFrame:
        """All cells as one frame (columns by position, index = file line)."""
        return _frame(self.rows, self.lines, len(self.header))

    def drain(self, size: int) -> Iterator[pd.DataFrame]:
        """Frames of at most `size` rows from the last rows to the first, freeing each."""
        # Taken from the end, each chunk's rows leave the table as its frame is made: the
        # file's cells and its validated values are then never in memory at the same time.
        while self.rows:
            rows, lines = self.rows[-size:], self.lines[-size:]
            del self.rows[-size:], self.lines[-size:]
            yield _frame(rows, lines, len(self.header))

    def position(self, name: str) -> list[int]:
        """Positions of the columns with this name (case and spacing ignored)."""
        wanted = normalise(name)
        return [i for i, column in enumerate(self.header) if normalise(column) == wanted]


def _frame(rows: list[Sequence[object]], lines: list[int], width: int) -> pd.DataFrame:
    return pd.DataFrame(rows, index=lines, columns=range(width), dtype=str)


def normalise(name: object) -> str:
    """A column name compared loosely: case, BOM and runs of spaces ignored."""
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


def _problem(lang: str, key: str, **params: object) -> FileProblem:
    return FileProblem([RowError(0, "", "", msg(key, lang, **params), lang)])


def load_records(raw: bytes, options: TableOptions, lang: str) -> Records:
    """Read records from CSV or XLSX bytes (format by configuration or by content)."""
    if raw.startswith(OLE_MAGIC):
        raise _problem(lang, "old_excel")
    is_zip = raw.startswith(ZIP_MAGIC)
    if options.format == "xlsx" or (options.format == "auto" and is_zip):
        return xlsx_records(raw, options.sheet, lang)
    if is_zip:
        raise _problem(lang, "xlsx_not_csv")
    return csv_records(decode(raw, options.encoding, lang), options.separator, lang)


def _find_header(rows: list[Sequence[object]], expected: list[str]) -> int:
    wanted = {normalise(name) for name in expected}
    best, best_hits = 0, 0
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        hits = len(wanted & {normalise(cell) for cell in row if cell is not None})
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def cell_text(cell: object, decimal: Decimal_) -> str:
    """A cell as text: numbers without grouping, dates as ISO dates, None as ''."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int | float):
        try:
            return format_number(float(cell), decimal)
        except (ValueError, OverflowError):
            return str(cell)
    if isinstance(cell, datetime):
        return (
            cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
        )
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def _decimal(rows: list[Sequence[object]], positions: list[int], configured: str) -> Decimal_:
    if configured in (",", "."):
        return "," if configured == "," else "."
    cells = [row[p] for row in rows for p in positions if p < len(row)]
    # Distinct cells first (in the order they appear), by hashing in C: the values of a
    # million lines repeat, and only the first few thousand distinct texts are looked at.
    distinct = pd.unique(np.fromiter(cells, dtype=object, count=len(cells)))
    return detect_decimal(t for t in distinct if isinstance(t, str))


def read_table(
    raw: bytes, options: TableOptions, lang: str, *, expected: list[str], values: list[str]
) -> Table:
    """Read the file into a Table; `expected` finds the header, `values` the decimal mark."""
    # raw.strip() would copy the whole file to find out it holds more than spaces.
    records = load_records(raw, options, lang) if raw and not raw.isspace() else Records([], [])
    if not records.rows:
        raise _problem(lang, "empty_file")
    start = _find_header(records.rows, expected)
    header = [cell_text(cell, ",").strip() for cell in records.rows[start]]
    rows, lines = records.rows[start + 1 :], records.lines[start + 1 :]
    if not rows:
        raise _problem(lang, "header_only")
    wanted = {normalise(v) for v in values}
    positions = [i for i, name in enumerate(header) if normalise(name) in wanted]
    decimal = _decimal(rows, positions, options.decimal)
    width = len(header)
    overflow: dict[int, int] = {}
    short: dict[int, int] = {}
    if records.width == width:
        data = rows  # plain CSV text: each row holds `width` strings already
    else:
        data, overflow, short = _fitted(rows, lines, width, records.separator, decimal)
    del rows, records.rows[:]  # the table holds the only copy of the cells from here on
    return Table(
        data,
        lines,
        header,
        records.lines[start],
        decimal,
        records.separator,
        records.formulas,
        overflow,
        short,
    )


def _fitted(
    rows: list[Sequence[object]],
    lines: list[int],
    width: int,
    separator: str,
    decimal: Decimal_,
) -> tuple[list[Sequence[object]], dict[int, int], dict[int, int]]:
    """Rows as texts of the header's width, and the lines with too many or too few fields."""
    overflow: dict[int, int] = {}
    short: dict[int, int] = {}
    data: list[Sequence[object]] = []
    text_only = bool(separator)  # CSV cells are strings already
    for line, row in zip(lines, rows, strict=True):
        cells: Sequence[object] = row if text_only else [cell_text(c, decimal) for c in row]
        if len(cells) != width:
            if len(cells) > width and any(str(c).strip() for c in cells[width:]):
                overflow[line] = len(cells)
            elif text_only and len(cells) == 1 and width > 1 and _other_separator(cells, separator):
                short[line] = len(cells)
            cells = ([*cells] + [""] * (width - len(cells)))[:width]
        data.append(cells)
    return data, overflow, short


def _other_separator(cells: Sequence[object], separator: str) -> bool:
    """A short CSV line whose text holds one of the other usual separators."""
    others = {";", ",", "\t"} - {separator}
    return any(sep in str(cell) for cell in cells for sep in others)
