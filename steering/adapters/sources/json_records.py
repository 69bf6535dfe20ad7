"""Read a JSON source: a list of records with indicator, organisation, period, value, note."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.reader import Parsed
from steering.adapters.sources.result import FileProblem, RowError
from steering.adapters.sources.validate import RAW_COLUMNS, validate_frame
from steering.domain.definition.sources import JsonSource
from steering.i18n import render

FIELDS = ("indicator", "organisation", "period", "value", "note")
REQUIRED = ("indicator", "period")
_MESSAGES: dict[str, tuple[str, str]] = {
    "not_json": (
        "kein gültiges JSON: {reason} (Zeile {line}, Spalte {column})",
        "not valid JSON: {reason} (line {line}, column {column})",
    ),
    "not_utf8": ("die Datei ist nicht UTF-8-kodiert", "the file is not UTF-8 encoded"),
    "not_a_list": (
        "erwartet wird eine Liste von Datensätzen ([{{…}}, …]), gefunden: {found}",
        "expected a list of records ([{{…}}, …]), found: {found}",
    ),
    "not_a_record": (
        "Datensatz {index}: kein Objekt ({{…}}), sondern {found}",
        "record {index}: not an object ({{…}}) but {found}",
    ),
    "missing": ("Feld fehlt", "field missing"),
    "not_text": (
        "Text oder Zahl erwartet, gefunden: {found}",
        "text or number expected, found: {found}",
    ),
    "at_field": (
        "Datensatz {index}, Feld „{field}“: {reason}",
        "record {index}, field '{field}': {reason}",
    ),
    "at_record": ("Datensatz {index}: {reason}", "record {index}: {reason}"),
}


def _msg(key: str, lang: str, **params: Any) -> str:
    return render(_MESSAGES[key], lang, **params)


def _records(raw: bytes, lang: str) -> list[Any]:
    """The file's top-level list; anything else is a problem of the whole file."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileProblem([RowError(0, "", "", _msg("not_utf8", lang), lang)]) from None
    except json.JSONDecodeError as error:
        text = _msg("not_json", lang, reason=error.msg, line=error.lineno, column=error.colno)
        raise FileProblem([RowError(0, "", "", text, lang)]) from None
    if not isinstance(data, list):
        found = type(data).__name__
        raise FileProblem([RowError(0, "", "", _msg("not_a_list", lang, found=found), lang)])
    return data


def _text(value: Any) -> str | None:
    """A field as the text a table cell would hold; None for nested values."""
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return None
    return str(value)


def _raw_rows(records: list[Any], lang: str) -> tuple[list[tuple[Any, ...]], list[RowError]]:
    """One raw row per record with a value (none: nothing reported), and shape errors."""
    rows: list[tuple[Any, ...]] = []
    errors: list[RowError] = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            text = _msg("not_a_record", lang, index=index, found=type(record).__name__)
            errors.append(RowError(index, "", "", text, lang))
            continue
        texts = {name: _text(record.get(name)) for name in FIELDS}
        problems = [
            (name, _msg("missing", lang)) for name in REQUIRED if record.get(name) is None
        ] + [
            (name, _msg("not_text", lang, found=type(record[name]).__name__))
            for name in FIELDS
            if texts[name] is None
        ]
        errors += [RowError(index, name, "", reason, lang) for name, reason in problems]
        if not problems and texts["value"]:
            values = (texts["indicator"], texts["organisation"], texts["period"], texts["value"])
            rows.append((index, *values, "value", texts["note"]))
    return rows, errors


def _named(error: RowError) -> RowError:
    """The error said as record index and field (a JSON file has no lines to point to)."""
    if error.line == 0:
        return error
    if error.column:
        text = _msg(
            "at_field", error.lang, index=error.line, field=error.column, reason=error.reason
        )
    else:
        text = _msg("at_record", error.lang, index=error.line, reason=error.reason)
    return RowError(0, "", error.value, text, error.lang)


def parse_json_records(
    raw: bytes, source: JsonSource, catalog: Catalog, period: str | None
) -> Parsed:
    """Validate every record as a CSV row in long format is validated."""
    records = _records(raw, catalog.lang)
    rows, errors = _raw_rows(records, catalog.lang)
    frame = pd.DataFrame(rows, columns=list(RAW_COLUMNS), dtype=object)
    labels = {name: name for name in ("indicator", "organisation", "period")}
    valid, invalid = validate_frame(frame, catalog, decimal=".", labels=labels)
    found = sorted(errors + invalid, key=lambda error: error.line)
    return Parsed(valid, [_named(error) for error in found])
