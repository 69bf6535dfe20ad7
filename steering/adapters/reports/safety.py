"""Spreadsheet safety: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

from typing import Any

# OWASP's list of characters that start a formula in Excel, LibreOffice or Google Sheets.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text starting like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value
