"""Decode a CSV file (encoding, separator detection) into records with their line numbers."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from steering.adapters.sources.messages import msg
from steering.adapters.sources.plain_csv import plain_rows
from steering.adapters.sources.result import FileProblem, RowError

SEPARATORS = ";,\t|"
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 30


@dataclass
class Records:
    """Non-empty records of a file, the 1-based line each starts on, and formula cells."""

    rows: list[Sequence[object]]
    lines: list[int]
    separator: str = ""
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    width: int | None = None  # the number of fields of every row, when known to be one


def _problem(lang: str, key: str, **params: object) -> FileProblem:
    return FileProblem([RowError(0, "", "", msg(key, lang, **params), lang)])


def _looks_utf16(raw: bytes) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    probe = raw[:400]
    return len(probe) >= 4 and (
        probe[1::2].count(0) > len(probe) // 4 or probe[0::2].count(0) > len(probe) // 4
    )


def _is_garbage(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\x7f")
    return controls > max(2, len(sample) // 100)


def decode(raw: bytes, encoding: str, lang: str) -> str:
    """Decode the bytes: the configured encoding, or UTF-8 (BOM or not) and then Windows-1252."""
    if _looks_utf16(raw):
        raise _problem(lang, "utf16")
    if b"\x00" in raw[:_SAMPLE_CHARS]:
        raise _problem(lang, "binary")
    candidates = ("utf-8-sig", "cp1252") if encoding == "auto" else (encoding,)
    for candidate in candidates:
        try:
            text = raw.decode(candidate)
            break
        except UnicodeDecodeError as exc:
            if encoding != "auto":
                line = raw[: exc.start].count(b"\n") + 1
                raise _problem(lang, "bad_encoding", line=line, encoding=encoding) from None
    else:
        raise _problem(lang, "unknown_encoding")
    if _is_garbage(text):
        raise _problem(lang, "binary")
    return text.removeprefix("\ufeff")


def _sample_lines(text: str) -> list[str]:
    lines = [line for line in text[:_SAMPLE_CHARS].splitlines() if line.strip()]
    return lines[:_SAMPLE_LINES]


def _consistency(lines: list[str], separator: str) -> tuple[float, int]:
    counts = [len(row) for row in csv.reader(lines, delimiter=separator)]
    if not counts:
        return 0.0, 0
    width, hits = Counter(counts).most_common(1)[0]
    return (hits / len(counts) if width > 1 else 0.0), width


def sniff_separator(text: str) -> str:
    """Guess the separator: csv.Sniffer over the first lines, checked by counting."""
    lines = _sample_lines(text)
    if not lines:
        return ";"
    probe = max(lines, key=lambda line: sum(line.count(sep) for sep in SEPARATORS))
    counted = max(SEPARATORS, key=probe.count)
    if not probe.count(counted):
        return ";"
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=SEPARATORS).delimiter
    except csv.Error:
        return counted
    if sniffed == counted or sniffed not in probe:
        return counted
    return max((counted, sniffed), key=lambda sep: _consistency(lines, sep))


_MAX_LINE_CHARS = 1_000_000
_MAX_SHARED = 200_000  # distinct cell texts shared; a column of unique values stops adding


_HALF_LINE = _MAX_LINE_CHARS // 2


def _overlong_line(text: str) -> int | None:
    """The first physical line longer than _MAX_LINE_CHARS, if any (before parsing it)."""
    # A line longer than the limit covers a whole window of half the limit: where every such
    # window holds a line end, no line is too long, found without a step per line.
    windows = range(0, len(text) - _HALF_LINE + 1, _HALF_LINE)
    if all(text.find("\n", at, at + _HALF_LINE) != -1 for at in windows):
        return None
    start, line = 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end == -1 else end
        if stop - start > _MAX_LINE_CHARS:
            return line
        if end == -1:
            return None
        start, line = end + 1, line + 1


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _physical_lines(text: str) -> Iterator[str]:
    """The text's lines with their endings (LF, CRLF or CR), one at a time."""
    # io.StringIO would hold a second copy of the text at four bytes per character.
    return (match.group() for match in _LINE.finditer(text))


def csv_records(text: str, separator: str, lang: str) -> Records:
    """Split the text into non-empty records, remembering the line each one starts on."""
    # A giant line would be split into millions of fields before any check could run.
    overlong = _overlong_line(text)
    if overlong is not None:
        reason = msg("line_too_long", lang, limit=f"{_MAX_LINE_CHARS:,}".replace(",", "."))
        raise FileProblem([RowError(overlong, "", "", reason, lang)])
    separator = sniff_separator(text) if separator == "auto" else separator
    plain = plain_rows(text, separator)
    if plain is not None:
        return Records(plain[0], plain[1], separator, width=plain[2])
    return reader_records(text, separator, lang)


def reader_records(text: str, separator: str, lang: str) -> Records:
    """Records by the csv module: quoted cells, ragged lines, its line numbers and errors."""
    reader = csv.reader(_physical_lines(text), delimiter=separator)
    records = Records([], [], separator)
    previous = 0
    # Keys, names and periods repeat on every line: one string object per distinct text
    # instead of one per cell keeps a million-line file in hundreds of MB less memory.
    shared: dict[str, str] = {}
    try:
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in record):
                cells: list[object] = []
                for cell in record:
                    known = shared.get(cell)
                    if known is None:
                        known = cell
                        if len(shared) < _MAX_SHARED:
                            shared[cell] = cell
                    cells.append(known)
                records.rows.append(tuple(cells))  # a tuple is a quarter smaller than a list
                records.lines.append(start)
    except csv.Error as exc:
        raise FileProblem(
            [RowError(reader.line_num, "", "", msg("csv_broken", lang, reason=exc), lang)]
        ) from None
    return records
