"""Messages of the source readers: German by default, English available."""

from __future__ import annotations

from typing import Any

from steering.i18n import N_, localise_number, tr

_MESSAGE_IDS: dict[str, str] = {
    "at_column": N_("column '{column}': {reason}"),
    "not_a_number": N_("'{value}' is not a number"),
    "hint_decimal_comma": N_("this file uses the comma as decimal separator"),
    "hint_decimal_point": N_("this file uses the point as decimal separator"),
    "hint_percent": N_("percent only for ratios"),
    "hint_date": N_("looks like a date"),
    "hint_excel_error": N_("Excel error value"),
    "out_of_range": N_("{value} lies outside the scale {low} to {high}"),
    "negative_count": N_("{value} is negative, a count cannot be negative"),
    "indicator_missing": N_("indicator missing"),
    "unknown_indicator": N_("unknown indicator '{value}'"),
    "did_you_mean": N_("did you mean '{guess}'?"),
    "indicator_computed": N_("indicator '{indicator}' is computed by a formula, not imported"),
    "indicator_measured": N_(
        "indicator '{indicator}' is measured by the checkpoint from the steps (source "
        "'{expected}'), not entered"
    ),
    "indicator_other_source": N_(
        "indicator '{indicator}' comes from source '{expected}' according to the definition"
    ),
    "unknown_organisation": N_("unknown organisation '{value}'"),
    "organisation_for_programme": N_(
        "indicator '{indicator}' is programme-wide, leave the organisation empty"
    ),
    "organisation_missing": N_(
        "indicator '{indicator}' is recorded per organisation, the organisation is missing"
    ),
    "organisation_not_measured": N_("indicator '{indicator}' is not measured for '{organisation}'"),
    "period_missing": N_("period missing"),
    "not_a_period": N_(
        "'{value}' is not a half-year (e.g. 2019-H1, 1. HJ 2019, II. Halbjahr 2019, 31.12.2019)"
    ),
    "period_outside": N_("half-year {period} lies outside the programme ({first} to {last})"),
    "duplicate": N_(
        "duplicate: {indicator} / {organisation} / {period} is already on line {first}"
    ),
    "programme_level": N_("programme"),
    "no_path": N_("no file given"),
    "file_missing": N_("file not found: {file}"),
    "path_outside": N_(
        "'{path}' lies outside the permitted data folders (the definition's folder and "
        "STEERING_DATA_ROOTS); the file is not read"
    ),
    "path_hidden": N_(
        "'{path}' is a hidden file or lies in a hidden folder (name starts with '.'); "
        "such files are no data sources"
    ),
    "refused_path": N_("source '{source}', field path in {file}: {reason}"),
    "file_too_large": N_("file larger than {limit} MB"),
    "empty_file": N_("the file is empty"),
    "header_only": N_("the file holds only the header line, no data"),
    "missing_column": N_("column '{column}' is missing; found: {found}"),
    "no_column_names": N_("nothing; the header holds no column names"),
    "hidden_cell": N_("and 1 cell that does not look like a column name"),
    "hidden_cells": N_("and {count} cells that do not look like column names"),
    "hint_separator": N_("is the separator right?"),
    "ambiguous_column": N_("column '{column}' appears more than once (columns {positions})"),
    "too_many_fields": N_(
        "{count} fields, the header has {expected}; does a value contain the separator '{sep}'?"
    ),
    "line_too_long": N_("the line is longer than {limit} characters"),
    "utf16": N_("the file is UTF-16 encoded ('Unicode text'); save it as 'CSV UTF-8' or 'CSV'"),
    "binary": N_("the file is neither a text file (CSV) nor an Excel file (xlsx)"),
    "old_excel": N_("old Excel format (.xls); save it as .xlsx or CSV"),
    "not_xlsx": N_("the file is not a valid xlsx file"),
    "xlsx_not_csv": N_("the file is an Excel file (xlsx) but CSV is configured"),
    "bad_encoding": N_("characters on line {line} are not {encoding} encoded"),
    "unknown_encoding": N_("unknown character encoding (neither UTF-8 nor Windows-1252)"),
    "csv_broken": N_("CSV unreadable: {reason}"),
    "sheet_missing": N_("sheet '{sheet}' is missing; found: {found}"),
    "no_visible_sheet": N_("no visible sheet"),
    "formula_without_value": N_(
        "formula {formula} has no stored result; open and save the file in Excel"
    ),
    "fixed_invalid": N_("fixed value for {field}: {reason}"),
    "period_required": N_("a survey needs the period to be given (e.g. 2019-H2)"),
    "question_missing": N_("question '{column}' is missing; found: {found}"),
    "no_scale_questions": N_("no questions with answers on the scale {low} to {high} found"),
    "answer_out_of_range": N_("answer {value} lies outside the scale {low} to {high}"),
    "answer_not_on_scale": N_("answer '{value}' is not a value of the scale {low} to {high}"),
    "env_missing": N_("environment variable {name} is not set"),
    "sql_failed": N_("SQL query failed: {reason}"),
    "sql_read_only": N_(
        "SQL query failed: a data source may only read (SELECT); changes, ATTACH, VACUUM "
        "and PRAGMA with a value are refused"
    ),
    "sql_timeout": N_("SQL query cancelled after {seconds} s (timeout_seconds)"),
}


def number(value: float, lang: str = "de") -> str:
    """A number as the reader writes it: 2,5 in German, 2.5 in English."""
    text = f"{value:g}"
    return localise_number(text, lang)


def msg(key: str, lang: str = "de", /, **params: Any) -> str:
    """Render a message of this package in the given language."""
    return tr(_MESSAGE_IDS[key], lang, **params)
