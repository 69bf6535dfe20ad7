"""Messages of the source readers: German by default, English available."""

from __future__ import annotations

from typing import Any

from steering.i18n import render

_CATALOGUE: dict[str, tuple[str, str]] = {
    # where
    "at_column": ("Spalte „{column}“: {reason}", "column '{column}': {reason}"),
    # numbers, periods, values
    "not_a_number": ("'{value}' ist keine Zahl", "'{value}' is not a number"),
    "hint_decimal_comma": (
        "in dieser Datei ist das Komma das Dezimaltrennzeichen",
        "this file uses the comma as decimal separator",
    ),
    "hint_decimal_point": (
        "in dieser Datei ist der Punkt das Dezimaltrennzeichen",
        "this file uses the point as decimal separator",
    ),
    "hint_percent": ("Prozent nur bei Anteilen", "percent only for ratios"),
    "hint_date": ("sieht aus wie ein Datum", "looks like a date"),
    "hint_excel_error": ("Excel-Fehlerwert", "Excel error value"),
    "out_of_range": (
        "{value} liegt außerhalb der Skala {low} bis {high}",
        "{value} lies outside the scale {low} to {high}",
    ),
    "negative_count": (
        "{value} ist negativ, eine Anzahl kann nicht negativ sein",
        "{value} is negative, a count cannot be negative",
    ),
    "indicator_missing": ("Indikator fehlt", "indicator missing"),
    "unknown_indicator": ("unbekannter Indikator '{value}'", "unknown indicator '{value}'"),
    "did_you_mean": ("meinten Sie '{guess}'?", "did you mean '{guess}'?"),
    "indicator_computed": (
        "Indikator '{indicator}' wird per Formel berechnet, nicht importiert",
        "indicator '{indicator}' is computed by a formula, not imported",
    ),
    "indicator_measured": (
        "Indikator '{indicator}' misst der Checkpoint aus den Schritten (Quelle '{expected}'), "
        "er wird nicht erfasst",
        "indicator '{indicator}' is measured by the checkpoint from the steps (source "
        "'{expected}'), not entered",
    ),
    "indicator_other_source": (
        "Indikator '{indicator}' kommt laut Definition aus der Quelle '{expected}'",
        "indicator '{indicator}' comes from source '{expected}' according to the definition",
    ),
    "unknown_organisation": ("unbekannte Organisation '{value}'", "unknown organisation '{value}'"),
    "organisation_for_programme": (
        "Indikator '{indicator}' gilt für das ganze Programm, die Organisation muss leer bleiben",
        "indicator '{indicator}' is programme-wide, leave the organisation empty",
    ),
    "organisation_missing": (
        "Indikator '{indicator}' wird je Organisation erfasst, die Organisation fehlt",
        "indicator '{indicator}' is recorded per organisation, the organisation is missing",
    ),
    "organisation_not_measured": (
        "Indikator '{indicator}' wird für '{organisation}' nicht erhoben",
        "indicator '{indicator}' is not measured for '{organisation}'",
    ),
    "period_missing": ("Zeitraum fehlt", "period missing"),
    "not_a_period": (
        "'{value}' ist kein Halbjahr (z. B. 2019-H1, 1. HJ 2019, II. Halbjahr 2019, 31.12.2019)",
        "'{value}' is not a half-year (e.g. 2019-H1, 1. HJ 2019, II. Halbjahr 2019, 31.12.2019)",
    ),
    "period_outside": (
        "Halbjahr {period} liegt nicht im Programmzeitraum ({first} bis {last})",
        "half-year {period} lies outside the programme ({first} to {last})",
    ),
    "duplicate": (
        "doppelt: {indicator} / {organisation} / {period} steht schon in Zeile {first}",
        "duplicate: {indicator} / {organisation} / {period} is already on line {first}",
    ),
    "programme_level": ("Programm", "programme"),
    # files
    "no_path": ("keine Datei angegeben", "no file given"),
    "file_missing": ("Datei nicht gefunden: {file}", "file not found: {file}"),
    "path_outside": (
        "„{path}“ liegt außerhalb der freigegebenen Datenordner (Ordner der Definition und "
        "STEERING_DATA_ROOTS); die Datei wird nicht gelesen",
        "'{path}' lies outside the permitted data folders (the definition's folder and "
        "STEERING_DATA_ROOTS); the file is not read",
    ),
    "path_hidden": (
        "„{path}“ ist eine versteckte Datei oder liegt in einem versteckten Ordner (Name "
        "beginnt mit „.“); solche Dateien sind keine Datenquellen",
        "'{path}' is a hidden file or lies in a hidden folder (name starts with '.'); such "
        "files are no data sources",
    ),
    "refused_path": (
        "Quelle „{source}“, Feld path in {file}: {reason}",
        "source '{source}', field path in {file}: {reason}",
    ),
    "file_too_large": ("Datei größer als {limit} MB", "file larger than {limit} MB"),
    "empty_file": ("die Datei ist leer", "the file is empty"),
    "header_only": (
        "die Datei enthält nur die Kopfzeile, keine Daten",
        "the file holds only the header line, no data",
    ),
    "missing_column": (
        "Spalte „{column}“ fehlt; gefunden: {found}",
        "column '{column}' is missing; found: {found}",
    ),
    "no_column_names": (
        "nichts; die Kopfzeile enthält keine Spaltennamen",
        "nothing; the header holds no column names",
    ),
    "hidden_cell": (
        "und 1 Zelle, die nicht wie ein Spaltenname aussieht",
        "and 1 cell that does not look like a column name",
    ),
    "hidden_cells": (
        "und {count} Zellen, die nicht wie Spaltennamen aussehen",
        "and {count} cells that do not look like column names",
    ),
    "hint_separator": ("passt das Trennzeichen?", "is the separator right?"),
    "ambiguous_column": (
        "Spalte „{column}“ kommt mehrfach vor (Spalten {positions})",
        "column '{column}' appears more than once (columns {positions})",
    ),
    "too_many_fields": (
        "{count} Felder, die Kopfzeile hat {expected}; enthält ein Wert das Trennzeichen '{sep}'?",
        "{count} fields, the header has {expected}; does a value contain the separator '{sep}'?",
    ),
    "line_too_long": (
        "die Zeile ist länger als {limit} Zeichen",
        "the line is longer than {limit} characters",
    ),
    "too_few_fields": (
        "{count}, die Kopfzeile hat {expected}; ist die Zeile mit einem anderen "
        "Trennzeichen als '{sep}' geschrieben?",
        "{count}, the header has {expected}; was the line written with another "
        "separator than '{sep}'?",
    ),
    "utf16": (
        "die Datei ist UTF-16-kodiert („Unicode-Text“); bitte als „CSV UTF-8“ oder "
        "„CSV (Trennzeichen-getrennt)“ speichern",
        "the file is UTF-16 encoded ('Unicode text'); save it as 'CSV UTF-8' or 'CSV'",
    ),
    "binary": (
        "die Datei ist keine Textdatei (CSV) und keine Excel-Datei (xlsx)",
        "the file is neither a text file (CSV) nor an Excel file (xlsx)",
    ),
    "old_excel": (
        "altes Excel-Format (.xls); bitte als .xlsx oder CSV speichern",
        "old Excel format (.xls); save it as .xlsx or CSV",
    ),
    "not_xlsx": (
        "die Datei ist keine gültige Excel-Datei (xlsx)",
        "the file is not a valid xlsx file",
    ),
    "xlsx_not_csv": (
        "die Datei ist eine Excel-Datei (xlsx), konfiguriert ist CSV",
        "the file is an Excel file (xlsx) but CSV is configured",
    ),
    "bad_encoding": (
        "Zeichen in Zeile {line} sind nicht {encoding}-kodiert",
        "characters on line {line} are not {encoding} encoded",
    ),
    "unknown_encoding": (
        "Zeichenkodierung nicht erkannt (weder UTF-8 noch Windows-1252)",
        "unknown character encoding (neither UTF-8 nor Windows-1252)",
    ),
    "csv_broken": ("CSV nicht lesbar: {reason}", "CSV unreadable: {reason}"),
    "sheet_missing": (
        "Tabellenblatt „{sheet}“ fehlt; vorhanden: {found}",
        "sheet '{sheet}' is missing; found: {found}",
    ),
    "no_visible_sheet": ("kein sichtbares Tabellenblatt", "no visible sheet"),
    "formula_without_value": (
        "Formel {formula} ohne gespeichertes Ergebnis; Datei in Excel öffnen und speichern",
        "formula {formula} has no stored result; open and save the file in Excel",
    ),
    "fixed_invalid": ("fester Wert für {field}: {reason}", "fixed value for {field}: {reason}"),
    # surveys
    "period_required": (
        "für eine Umfrage muss der Zeitraum angegeben werden (z. B. 2019-H2)",
        "a survey needs the period to be given (e.g. 2019-H2)",
    ),
    "question_missing": (
        "Frage „{column}“ fehlt; gefunden: {found}",
        "question '{column}' is missing; found: {found}",
    ),
    "no_scale_questions": (
        "keine Fragen mit Antworten auf der Skala {low} bis {high} gefunden",
        "no questions with answers on the scale {low} to {high} found",
    ),
    "answer_out_of_range": (
        "Antwort {value} liegt außerhalb der Skala {low} bis {high}",
        "answer {value} lies outside the scale {low} to {high}",
    ),
    "answer_not_on_scale": (
        "Antwort '{value}' ist kein Wert der Skala {low} bis {high}",
        "answer '{value}' is not a value of the scale {low} to {high}",
    ),
    # sql
    "env_missing": (
        "Umgebungsvariable {name} ist nicht gesetzt",
        "environment variable {name} is not set",
    ),
    "sql_failed": ("SQL-Abfrage fehlgeschlagen: {reason}", "SQL query failed: {reason}"),
    "sql_read_only": (
        "SQL-Abfrage fehlgeschlagen: eine Datenquelle darf nur lesen (SELECT); Ändern, "
        "ATTACH, VACUUM und PRAGMA mit Wert sind gesperrt",
        "SQL query failed: a data source may only read (SELECT); changes, ATTACH, VACUUM "
        "and PRAGMA with a value are refused",
    ),
    "sql_timeout": (
        "SQL-Abfrage nach {seconds} s abgebrochen (timeout_seconds)",
        "SQL query cancelled after {seconds} s (timeout_seconds)",
    ),
}


def number(value: float, lang: str = "de") -> str:
    """A number as the reader writes it: 2,5 in German, 2.5 in English."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang != "en" else text


def msg(key: str, lang: str = "de", /, **params: Any) -> str:
    """Render a message of this package in the given language."""
    return render(_CATALOGUE[key], lang, **params)
