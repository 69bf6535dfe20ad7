"""Indicator sources: CSV/XLSX tables, survey exports and SQL queries, validated row by row."""

from steering.adapters.sources.german import parse_date, parse_number
from steering.adapters.sources.reader import source_path
from steering.adapters.sources.result import ImportFailed, ImportResult, ImportRow, RowError

__all__ = [
    "ImportFailed",
    "ImportResult",
    "ImportRow",
    "RowError",
    "parse_date",
    "parse_number",
    "source_path",
]
