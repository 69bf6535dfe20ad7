"""Split plain CSV text (no quotes, one field count) with pandas' C parser, or decline."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np
import pandas as pd

_NEWLINE, _RETURN = ord("\n"), ord("\r")
# ASCII bytes str.strip() removes; any other byte may be part of a cell's text.
_BLANK_BYTES = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32]
# Bytes and lines looked at a time: the masks stay a few MB however large the file is.
_BLOCK_BYTES = 1 << 22
_LINES = 1 << 16


def _positions(data: np.ndarray, byte: int) -> np.ndarray:
    """Where `byte` occurs in the data, in order."""
    return np.concatenate(
        [
            np.flatnonzero(data[at : at + _BLOCK_BYTES] == byte) + at
            for at in range(0, data.size, _BLOCK_BYTES)
        ]
    )


def plain_rows(text: str, separator: str) -> tuple[list[Sequence[object]], list[int], int] | None:
    """Records, their lines (as csv.reader gives them) and their field count, or None.

    Plain: no quote character, no NUL, line ends LF or CRLF, every line either empty or with
    the same number of separators, no line longer than the csv module's field limit. For
    such text splitting at separators and line ends is all csv.reader does, so the C parser
    gives the same cells in a fraction of the time; anything else takes the csv module's way
    with its exact line numbers and messages.
    """
    if len(separator) != 1 or not separator.isascii() or separator in '\r\n"\x00':
        return None
    if '"' in text or "\x00" in text or text.count("\r") != text.count("\r\n"):
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if not data:
        return None
    found = _line_layout(np.frombuffer(data, dtype=np.uint8), ord(separator))
    if found is None:
        return None
    lines, kept, maybe_blank, width = found
    frame = pd.read_csv(
        io.BytesIO(data),
        sep=separator,
        header=None,
        names=range(width),
        dtype=str,
        na_filter=False,
        # Blank lines are rows here and dropped below (skipping them drops leading spaces).
        skip_blank_lines=False,
        quoting=csv.QUOTE_NONE,
        engine="c",
        encoding="utf-8",
    )
    del data
    if len(frame) != lines:
        return None
    columns = [frame[column].to_numpy(dtype=object)[kept].tolist() for column in frame.columns]
    del frame
    rows: list[Sequence[object]] = list(zip(*columns, strict=True))
    del columns
    numbers = (kept + 1).tolist()
    if maybe_blank.size:
        # Lines of separators and spaces only are no records (as csv_records skips them).
        blank = {
            at
            for at in np.flatnonzero(maybe_blank).tolist()
            if not any(str(c).strip() for c in rows[at])
        }
        if blank:
            rows = [row for at, row in enumerate(rows) if at not in blank]
            numbers = [line for at, line in enumerate(numbers) if at not in blank]
    return rows, numbers, width


def _line_layout(
    data: np.ndarray, separator: int
) -> tuple[int, np.ndarray, np.ndarray, int] | None:
    """Lines, the non-empty ones (0-based), which may hold only blanks, the field count."""
    ends = _positions(data, _NEWLINE)
    if not ends.size or ends[-1] != data.size - 1:
        ends = np.append(ends, data.size)  # the last line has no line end
    starts = np.empty_like(ends)
    starts[0], starts[1:] = 0, ends[:-1] + 1
    lengths = ends - starts
    if int(lengths.max()) > csv.field_size_limit():
        return None  # the csv module refuses such a field: let it say so
    carriage = np.zeros(ends.size, dtype=bool)
    inside = ends < data.size
    carriage[inside] = data[ends[inside] - 1] == _RETURN
    carriage &= lengths > 0
    kept = np.flatnonzero(lengths - carriage)
    if not kept.size:
        return None
    # Separators before each line's end, by bisection: no array of a count per byte.
    before = np.searchsorted(_positions(data, separator), ends)
    counts = np.diff(before, prepend=0)[kept]
    if (counts != counts[0]).any():
        return None
    # Only ASCII text counts as content: a line of non-ASCII spaces is checked cell by cell.
    text = np.ones(256, dtype=bool)
    text[[*_BLANK_BYTES, separator]] = False
    text[128:] = False
    content = np.empty(ends.size, dtype=bool)
    for first in range(0, ends.size, _LINES):
        last = min(first + _LINES, ends.size)
        block = text[data[starts[first] : ends[last - 1] + 1]]
        # Each line holds at least its line end (or a character): no empty segment.
        content[first:last] = np.logical_or.reduceat(block, starts[first:last] - starts[first])
    return ends.size, kept, ~content[kept], int(counts[0]) + 1
