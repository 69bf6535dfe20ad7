"""Reading indicator data from the files users really have: every bad row is reported.

The sample files live in tests/data/imports (written by make_files.py there) and are read
against tests/data/imports/programme.yaml; the example data of config/digital-und-sozial.yaml
is written by examples/digital-und-sozial/make_examples.py.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import sqlite3
import time
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import pytest

from steering.adapters.config import load_definition
from steering.adapters.sources import (
    ImportFailed,
    ImportResult,
    ImportRow,
    RowError,
    source_path,
)
from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.table import read_table_source
from steering.bootstrap import read_source
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SqlSource, SurveySource, TableSource
from steering.services.demo_seed import STEPS_FILE, read_completed_steps

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "imports"
EXAMPLE_CONFIG = ROOT / "config" / "digital-und-sozial.yaml"
EXAMPLES = ROOT / "examples" / "digital-und-sozial"
LONG = {
    "indicator": "Kennzahl",
    "organisation": "Träger",
    "period": "Zeitraum",
    "value": "Wert",
    "note": "Bemerkung",
}


@pytest.fixture(scope="module")
def definition() -> ProgrammeDefinition:
    return load_definition(DATA / "programme.yaml")


def table(**settings: Any) -> TableSource:
    columns = settings.pop("columns", LONG)
    return TableSource(kind="table", key="tabelle", columns=columns, **settings)


def without_note() -> dict[str, str]:
    return {k: v for k, v in LONG.items() if k != "note"}


def read(name: str, source: Any, definition: ProgrammeDefinition, **kw: Any) -> ImportResult:
    return read_source(source, DATA / name, definition, **kw)


def problems(result: ImportResult) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.reason) for e in result.errors]


# --- German-formatted tables ----------------------------------------------------------------


def test_windows_1252_csv_with_umlauts_decimal_comma_and_thousands_dots_is_read_exactly(
    definition: ProgrammeDefinition,
) -> None:
    result = read("kennzahlen_cp1252.csv", table(), definition)

    assert result.ok
    assert result.rows == [
        ImportRow("geschulte-mitarbeitende", "sozialwerk-sued", "2019-H1", 12.0, "", 2),
        ImportRow(
            "ausgaben-ist", "fruehfoerderung", "2019-H2", 12500.0, "Stand 31.12.2019; vorläufig", 3
        ),
        ImportRow("ausgaben-plan", "kinderhaus", "2019-H2", 1234567.0, "", 4),
        # line 5 is empty; '30 %' is a share because anteil-digital is a ratio
        ImportRow("anteil-digital", "sozialwerk-sued", "2019-H2", 0.3, "", 6),
        ImportRow("feedback", "", "2019-H1", 1.5, "Mittelwert aus 17 Bögen", 7),
        ImportRow("teilnehmende", "", "2019-H2", 48.0, "", 8),
        # line 9 has no value yet ("Zahl folgt"): missing data, not an error
    ]


def test_utf8_bom_csv_below_a_title_block_keeps_the_line_numbers_of_the_file(
    definition: ProgrammeDefinition,
) -> None:
    result = read("kennzahlen_utf8_bom.csv", table(), definition)

    assert result.rows == [
        ImportRow("geschulte-mitarbeitende", "kinderhaus", "2019-H1", 7.0, "", 4),
        ImportRow("ausgaben-ist", "fruehfoerderung", "2019-H2", 12500.5, "", 5),
    ]


def test_tab_separated_file_is_detected(definition: ProgrammeDefinition) -> None:
    result = read("kennzahlen_tab.txt", table(columns=without_note()), definition)

    assert result.rows == [
        ImportRow("ausgaben-ist", "sozialwerk-sued", "2019-H1", -3.5, "", 2),
        ImportRow("feedback", "", "2019-H2", 2.0, "", 3),
    ]


def test_comma_separated_file_with_english_numbers_is_detected(
    definition: ProgrammeDefinition,
) -> None:
    result = read("kennzahlen_comma.csv", table(columns=without_note()), definition)

    assert result.rows == [
        ImportRow("ausgaben-ist", "sozialwerk-sued", "2019-H1", 12500.0, "", 2),
        ImportRow("anteil-digital", "kinderhaus", "2019-H2", 0.75, "", 3),
    ]


def test_configured_decimal_mark_overrides_detection(definition: ProgrammeDefinition) -> None:
    source = table(columns=without_note(), separator=",", decimal=",")

    result = read("kennzahlen_comma.csv", source, definition)

    assert problems(result) == [
        (2, "Wert", "'12,500.00' ist keine Zahl"),
        (3, "Wert", f"'0.75' ist keine Zahl ({NOT_COMMA})"),
    ]


def test_configured_encoding_that_does_not_fit_names_the_line(
    definition: ProgrammeDefinition,
) -> None:
    result = read("kennzahlen_cp1252.csv", table(encoding="utf-8"), definition)

    assert problems(result) == [(0, "", "Zeichen in Zeile 1 sind nicht utf-8-kodiert")]  # Träger


def test_a_configured_separator_that_does_not_fit_is_pointed_out(
    definition: ProgrammeDefinition,
) -> None:
    result = read("kennzahlen_tab.txt", table(columns=without_note(), separator=";"), definition)

    found = "Kennzahl\\tTräger\\tZeitraum\\tWert (passt das Trennzeichen?)"
    assert problems(result) == [
        (0, name, f"Spalte „{name}“ fehlt; gefunden: {found}")
        for name in ("Kennzahl", "Träger", "Zeitraum", "Wert")
    ]


def test_a_column_name_that_appears_twice_is_not_guessed(
    tmp_path: Path, definition: ProgrammeDefinition
) -> None:
    (tmp_path / "doppelt.csv").write_text(
        "Kennzahl;Träger;Zeitraum;Wert;Wert\nfeedback;;2019-H1;1;2\n", encoding="utf-8"
    )

    result = read_source(table(columns=without_note()), tmp_path / "doppelt.csv", definition)

    assert problems(result) == [(0, "Wert", "Spalte „Wert“ kommt mehrfach vor (Spalten 4, 5)")]


def test_fixed_values_fill_fields_the_file_does_not_have(definition: ProgrammeDefinition) -> None:
    source = table(columns={"organisation": "Träger", "value": "Wert"}, fixed={
        "indicator": "ausgaben-ist", "period": "2. Halbjahr 2019"
    })  # fmt: skip

    result = read("kennzahlen_tab.txt", source, definition)

    assert result.rows_despite_errors() == [
        ImportRow("ausgaben-ist", "sozialwerk-sued", "2019-H2", -3.5, "", 2)
    ]
    assert problems(result) == [
        (3, "Träger", "Indikator 'ausgaben-ist' wird je Organisation erfasst, "
         "die Organisation fehlt"),
    ]  # fmt: skip


def test_a_fixed_value_that_is_not_in_the_definition_is_a_file_level_error(
    definition: ProgrammeDefinition,
) -> None:
    source = table(columns={"organisation": "Träger", "value": "Wert", "period": "Zeitraum"},
                   fixed={"indicator": "gibt-es-nicht"})  # fmt: skip

    result = read("kennzahlen_tab.txt", source, definition)

    assert problems(result) == [
        (0, "", "fester Wert für fixed.indicator: unbekannter Indikator 'gibt-es-nicht'"),
    ]


# --- Excel ------------------------------------------------------------------------------------

WIDE = {
    "sheet": "Ausgaben",
    "columns": {"organisation": "Träger", "period": "Halbjahr"},
    "value_columns": {"Plan (EUR)": "ausgaben-plan", "Ist (EUR)": "ausgaben-ist"},
}


def test_xlsx_wide_format_reads_excel_dates_serials_formula_results_and_text_numbers(
    definition: ProgrammeDefinition,
) -> None:
    result = read("finanzen.xlsx", table(**WIDE), definition)

    assert result.rows == [
        # period as an Excel date (30.06.2019) and Ist as the stored result of =C2*1.1
        ImportRow("ausgaben-plan", "sozialwerk-sued", "2019-H1", 12500.0, "", 2),
        ImportRow("ausgaben-ist", "sozialwerk-sued", "2019-H1", 13750.0, "", 2),
        # period as a bare serial number (43830 = 31.12.2019), Ist typed as German text
        ImportRow("ausgaben-plan", "kinderhaus", "2019-H2", 8000.5, "", 3),
        ImportRow("ausgaben-ist", "kinderhaus", "2019-H2", 12500.5, "", 3),
        # row 4 is empty; the empty Ist cell of row 5 is missing data
        ImportRow("ausgaben-plan", "fruehfoerderung", "2020-H1", 0.1, "", 5),
    ]


def test_xlsx_without_a_sheet_name_reads_the_first_visible_sheet(
    definition: ProgrammeDefinition,
) -> None:
    result = read("hidden_first_sheet.xlsx", table(columns=without_note()), definition)

    assert [(r.value, r.line) for r in result.rows] == [(9.0, 2)]


def test_xlsx_hidden_sheet_is_read_only_when_named(definition: ProgrammeDefinition) -> None:
    source = table(columns=without_note(), sheet="Alt")

    result = read("hidden_first_sheet.xlsx", source, definition)

    assert [(r.value, r.line) for r in result.rows] == [(1.0, 2)]


def test_xlsx_missing_sheet_names_the_sheets_found(definition: ProgrammeDefinition) -> None:
    result = read("finanzen.xlsx", table(**{**WIDE, "sheet": "Einnahmen"}), definition)

    assert problems(result) == [
        (0, "", "Tabellenblatt „Einnahmen“ fehlt; vorhanden: Deckblatt, Ausgaben")
    ]


def test_xlsx_formula_without_a_stored_result_is_a_row_error(
    definition: ProgrammeDefinition,
) -> None:
    result = read("formula_without_value.xlsx", table(columns=without_note()), definition)

    assert problems(result) == [
        (2, "Wert", "Formel =2+3 ohne gespeichertes Ergebnis; Datei in Excel öffnen und speichern"),
    ]


# --- broken files: every bad row, exactly -----------------------------------------------------

NOT_COMMA = "in dieser Datei ist das Komma das Dezimaltrennzeichen"
BROKEN: dict[str, list[tuple[int, str, str]]] = {
    "bad_number.csv": [
        (2, "Wert", "'12,5,3' ist keine Zahl"),
        (3, "Wert", "'abc' ist keine Zahl"),
        (4, "Wert", f"'0.75' ist keine Zahl ({NOT_COMMA})"),
        (5, "Wert", "'1,5e3' ist keine Zahl"),
        (6, "Wert", "'31.12.2019' ist keine Zahl (sieht aus wie ein Datum)"),
        (7, "Wert", "'30 %' ist keine Zahl (Prozent nur bei Anteilen)"),
    ],
    "out_of_range.csv": [
        (3, "Wert", "3 liegt außerhalb der Skala -2 bis 2"),
        (4, "Wert", "-2,5 liegt außerhalb der Skala -2 bis 2"),
        (5, "Wert", "-4 ist negativ, eine Anzahl kann nicht negativ sein"),
    ],
    "unknown_organisation.csv": [
        (2, "Träger", "unbekannte Organisation 'Sozialwerk Nord'"),
        (3, "Träger", "unbekannte Organisation 'Kinderhaus Sonneblume gGmbH' "
         "(meinten Sie 'Kinderhaus Sonnenblume gGmbH'?)"),
        (4, "Träger", "Indikator 'teilnehmende' gilt für das ganze Programm, "
         "die Organisation muss leer bleiben"),
        (5, "Träger", "Indikator 'geschulte-mitarbeitende' wird je Organisation erfasst, "
         "die Organisation fehlt"),
        (6, "Kennzahl", "unbekannter Indikator 'geschulte-mitarbeitender' "
         "(meinten Sie 'geschulte-mitarbeitende'?)"),
        (7, "Zeitraum", "'3. HJ 2019' ist kein Halbjahr "
         "(z. B. 2019-H1, 1. HJ 2019, II. Halbjahr 2019, 31.12.2019)"),
        (8, "Zeitraum", "Halbjahr 2018-H2 liegt nicht im Programmzeitraum (2019-H1 bis 2020-H2)"),
        (10, "", "doppelt: geschulte-mitarbeitende / sozialwerk-sued / 2019-H2 "
         "steht schon in Zeile 9"),
        (11, "Kennzahl", "Indikator 'kosten-plantreue' wird per Formel berechnet, "
         "nicht importiert"),
        (12, "Kennzahl", "Indikator fehlt"),
        (12, "Zeitraum", "Zeitraum fehlt"),
        (12, "Wert", "'x' ist keine Zahl"),
    ],
    "missing_column.csv": [
        (0, "Zeitraum", "Spalte „Zeitraum“ fehlt; gefunden: Kennzahl, Träger, Halbjahr, Betrag"),
        (0, "Wert", "Spalte „Wert“ fehlt; gefunden: Kennzahl, Träger, Halbjahr, Betrag"),
        (0, "Bemerkung", "Spalte „Bemerkung“ fehlt; gefunden: Kennzahl, Träger, Halbjahr, Betrag"),
    ],
    "empty.csv": [(0, "", "die Datei ist leer")],
    "header_only.csv": [(0, "", "die Datei enthält nur die Kopfzeile, keine Daten")],
    "utf16.csv": [
        (0, "", "die Datei ist UTF-16-kodiert („Unicode-Text“); bitte als „CSV UTF-8“ oder "
         "„CSV (Trennzeichen-getrennt)“ speichern"),
    ],
    "garbage.bin": [(0, "", "die Datei ist keine Textdatei (CSV) und keine Excel-Datei (xlsx)")],
    "old_excel.xls": [(0, "", "altes Excel-Format (.xls); bitte als .xlsx oder CSV speichern")],
}  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), BROKEN.items(), ids=list(BROKEN))
def test_broken_file_reports_every_bad_row(
    name: str, expected: list[tuple[int, str, str]], definition: ProgrammeDefinition
) -> None:
    result = read(name, table(), definition)

    assert problems(result) == expected
    assert not result.ok


def test_good_rows_of_a_broken_file_are_kept_apart_from_the_errors(
    definition: ProgrammeDefinition,
) -> None:
    result = read("unknown_organisation.csv", table(), definition)

    assert result.rows_despite_errors() == [
        ImportRow("geschulte-mitarbeitende", "sozialwerk-sued", "2019-H2", 3.0, "", 9)
    ]


def test_a_row_with_more_fields_than_the_header_is_reported_not_guessed(
    definition: ProgrammeDefinition,
) -> None:
    result = read("too_many_fields.csv", table(columns=without_note()), definition)

    assert problems(result) == [
        (3, "", "5 Felder, die Kopfzeile hat 4; enthält ein Wert das Trennzeichen ','?"),
    ]
    assert [r.line for r in result.rows_despite_errors()] == [2, 4]


def test_missing_file_is_a_file_level_error(definition: ProgrammeDefinition) -> None:
    result = read("gibt-es-nicht.csv", table(), definition)

    assert [e.reason.split(":")[0] for e in result.errors] == ["Datei nicht gefunden"]


def test_errors_are_in_english_when_asked(definition: ProgrammeDefinition) -> None:
    result = read("out_of_range.csv", table(), definition, lang="en")

    assert [str(e) for e in result.errors] == [
        "line 3, column 'Wert': 3 lies outside the scale -2 to 2",
        "line 4, column 'Wert': -2.5 lies outside the scale -2 to 2",
        "line 5, column 'Wert': -4 is negative, a count cannot be negative",
    ]


# --- the result: no rows without looking at the errors ----------------------------------------


def test_row_error_reads_like_a_sentence() -> None:
    error = RowError(7, "Wert", "12,5,3", "'12,5,3' ist keine Zahl")

    assert str(error) == "Zeile 7, Spalte „Wert“: '12,5,3' ist keine Zahl"
    assert str(RowError(0, "", "", "die Datei ist leer")) == "die Datei ist leer"


def test_rows_are_only_handed_out_when_there_are_no_errors(
    definition: ProgrammeDefinition,
) -> None:
    result = read("bad_number.csv", table(), definition)

    with pytest.raises(ImportFailed) as failed:
        _ = result.rows
    assert failed.value.result is result
    assert str(failed.value).splitlines()[:2] == [
        "Import aus „bad_number.csv“ fehlgeschlagen, 6 Fehler:",
        "  Zeile 2, Spalte „Wert“: '12,5,3' ist keine Zahl",
    ]
    with pytest.raises(ImportFailed):
        result.raise_if_errors()


def test_import_failed_lists_the_first_200_errors_and_counts_the_rest(
    tmp_path: Path, definition: ProgrammeDefinition
) -> None:
    lines = [";".join(LONG.values())] + [f"feedback;;2019-H1;{i + 3};" for i in range(250)]
    (tmp_path / "viele.csv").write_text("\n".join(lines), encoding="utf-8")

    result = read_source(table(), tmp_path / "viele.csv", definition)

    message = str(ImportFailed(result)).splitlines()
    assert len(result.errors) == 250
    assert len(message) == 1 + 200 + 1
    assert message[-1] == "  … und 50 weitere"


def test_content_hash_is_the_sha256_of_the_raw_bytes(definition: ProgrammeDefinition) -> None:
    result = read("kennzahlen_cp1252.csv", table(), definition)

    raw = (DATA / "kennzahlen_cp1252.csv").read_bytes()
    assert result.content_hash == hashlib.sha256(raw).hexdigest()
    assert (result.file_name, result.source_key) == ("kennzahlen_cp1252.csv", "tabelle")


def test_a_100000_row_csv_parses_and_validates_in_a_few_seconds(tmp_path: Path) -> None:
    organisations = [
        {"id": f"org-{i}", "name": f"Träger {i} e. V.", "state": "TH",
         "experiment_fields": ["verwaltung_4_0"], "owners": ["leitung"]}
        for i in range(400)
    ]  # fmt: skip
    big = ProgrammeDefinition.model_validate(
        {
            "programme": {"id": "gross", "title": "Transfer", "lead": "leitung",
                          "periods": ["2019-H1", "2019-H2", "2020-H1", "2020-H2", "2021-H1",
                                      "2021-H2"]},
            "people": [{"id": "leitung", "name": "L", "role": "project_lead",
                        "email": "l@example.org"}],
            "organisations": organisations,
            "indicators": [{"key": f"kennzahl-{i}", "title": f"K{i}", "dimension": "staff"}
                           for i in range(42)],
        }
    )  # fmt: skip
    written = ["1. HJ 2019", "2019-H2", "I. Halbjahr 2020", "2020-H2", "1/2021", "2021-H2"]
    lines = [";".join(LONG.values())]
    for period in written:
        for org in range(400):
            lines += [
                f"kennzahl-{k};Träger {org} e. V.;{period};{k}.{org:03d},5;" for k in range(42)
            ]
    (tmp_path / "gross.csv").write_bytes("\r\n".join(lines[:100_001]).encode("cp1252"))

    started = time.perf_counter()
    result = read_source(table(), tmp_path / "gross.csv", big)
    elapsed = time.perf_counter() - started

    assert result.ok and len(result.rows) == 100_000
    assert result.rows[-1].value == 39380.5
    assert elapsed < 15, f"{elapsed:.1f} s"


# --- surveys ----------------------------------------------------------------------------------


def survey(kind: Literal["moodle_feedback", "limesurvey"], **settings: Any) -> SurveySource:
    return SurveySource(kind=kind, key="umfrage", **settings)


def test_moodle_feedback_counts_means_and_distribution_are_exact(
    definition: ProgrammeDefinition,
) -> None:
    source = survey("moodle_feedback", mean_indicator="feedback", responses_indicator="antworten")

    result = read("moodle_feedback.csv", source, definition, period="2. HJ 2019")

    assert result.summary is not None
    assert result.summary.to_dict("index") == {
        "Inhalte": {"count": 5, "mean": 1.2, "-2": 0, "-1": 0, "0": 1, "1": 2, "2": 2},
        "Referent": {"count": 6, "mean": pytest.approx(5 / 6), "-2": 0, "-1": 1, "0": 1,
                     "1": 2, "2": 2},
        "Gesamteindruck": {"count": 6, "mean": pytest.approx(4 / 6), "-2": 1, "-1": 0, "0": 1,
                           "1": 2, "2": 2},
    }  # fmt: skip
    assert result.rows == [
        ImportRow("feedback", "", "2019-H2", pytest.approx(15 / 17), "", 0),  # type: ignore[arg-type]
        ImportRow("antworten", "", "2019-H2", 6.0, "", 0),
    ]


def _strings(value: object) -> list[str]:
    """Every string an object holds (rows, errors, DataFrames), keys included."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _strings(dataclasses.asdict(value))
    if hasattr(value, "to_dict"):
        return _strings(value.to_dict("index"))
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def test_moodle_feedback_keeps_no_names_emails_or_free_text(
    definition: ProgrammeDefinition,
) -> None:
    source = survey("moodle_feedback", mean_indicator="feedback")

    result = read("moodle_feedback.csv", source, definition, period="2019-H2")

    held = _strings([result.rows, result.errors, result.summary, result.free_text])
    for private in ("Anna", "anna@example.org", "Sehr gut, danke", "Zu lang", "Raum zu kalt"):
        assert not any(private in text for text in held), private
    assert result.free_text is None


def test_free_text_is_kept_only_when_configured_and_personal_data_never(
    definition: ProgrammeDefinition,
) -> None:
    source = survey("moodle_feedback", mean_indicator="feedback", keep_free_text=True)

    result = read("moodle_feedback.csv", source, definition, period="2019-H2")

    assert result.free_text is not None
    assert list(result.free_text.columns) == ["Bemerkungen"]
    assert result.free_text["Bemerkungen"].tolist() == [
        "Sehr gut, danke",
        "",
        "Zu lang",
        "",
        "Raum zu kalt",
        "",
    ]
    assert not any("@" in text for text in _strings(result.free_text))


def test_survey_answers_off_the_scale_are_row_errors_naming_the_question(
    definition: ProgrammeDefinition,
) -> None:
    source = survey("moodle_feedback", questions=["Inhalte", "Referent"], mean_indicator="feedback")

    result = read("moodle_out_of_range.csv", source, definition, period="2019-H2")

    assert problems(result) == [
        (2, "Referent", "Antwort 3 liegt außerhalb der Skala -2 bis 2"),
        (3, "Inhalte", "Antwort -5 liegt außerhalb der Skala -2 bis 2"),
        (4, "Referent", "Antwort 'sehr gut' ist kein Wert der Skala -2 bis 2"),
    ]


def test_a_detected_question_with_one_invalid_answer_is_listed_cell_by_cell(
    definition: ProgrammeDefinition,
) -> None:
    # No questions configured: each question column holds one invalid answer.
    source = survey("moodle_feedback", mean_indicator="feedback")

    result = read("moodle_one_bad_answer.csv", source, definition, period="2019-H2")

    assert problems(result) == [
        (3, "Inhalte", "Antwort 'gut' ist kein Wert der Skala -2 bis 2"),
        (5, "Referent", "Antwort 3 liegt außerhalb der Skala -2 bis 2"),
    ]
    assert not result.ok  # all or nothing: nothing to store


def test_survey_missing_question_column_is_a_file_level_error(
    definition: ProgrammeDefinition,
) -> None:
    source = survey("moodle_feedback", questions=["Inhalte", "Q9"], mean_indicator="feedback")

    result = read("moodle_out_of_range.csv", source, definition, period="2019-H2")

    assert problems(result) == [
        (0, "Q9", "Frage „Q9“ fehlt; gefunden: Response number, Submitted on, Course, Inhalte, "
         "Referent"),
    ]  # fmt: skip


def test_survey_without_a_period_is_refused(definition: ProgrammeDefinition) -> None:
    result = read("moodle_feedback.csv", survey("moodle_feedback"), definition)

    assert problems(result) == [
        (0, "", "für eine Umfrage muss der Zeitraum angegeben werden (z. B. 2019-H2)")
    ]


def test_limesurvey_export_with_bom_crlf_and_quotes_counts_only_complete_responses(
    definition: ProgrammeDefinition,
) -> None:
    source = survey("limesurvey", mean_indicator="feedback", responses_indicator="antworten",
                    participation_indicator="beteiligung", base_population=50)  # fmt: skip

    result = read("limesurvey.csv", source, definition, period="2019-H2")

    assert result.summary is not None
    assert result.summary.to_dict("index") == {
        "G01Q01": {"count": 4, "mean": 0.5, "-2": 0, "-1": 1, "0": 1, "1": 1, "2": 1},
        "Q1[SQ001]": {"count": 3, "mean": pytest.approx(4 / 3), "-2": 0, "-1": 0, "0": 0,
                      "1": 2, "2": 1},
        "Q1[SQ002]": {"count": 4, "mean": 0.25, "-2": 1, "-1": 0, "0": 1, "1": 1, "2": 1},
    }  # fmt: skip
    assert [(r.indicator, r.value) for r in result.rows] == [
        ("feedback", pytest.approx(7 / 11)),
        ("antworten", 4.0),
        ("beteiligung", 0.08),
    ]
    assert not any("example.org" in s or "Fragen" in s for s in _strings(result.summary))


def test_survey_with_an_organisation_column_gives_rows_per_organisation(
    tmp_path: Path, definition: ProgrammeDefinition
) -> None:
    (tmp_path / "feedback.csv").write_text(
        "Response number,Einrichtung,Frage 1,Frage 2\n"
        "1,Kinderhaus Sonnenblume gGmbH,2,1\n"
        "2,kinderhaus,0,1\n"
        "3,Sozialwerk Süd e. V.,-1,-2\n",
        encoding="utf-8",
    )
    source = survey("moodle_feedback", organisation_column="Einrichtung",
                    mean_indicator="zufriedenheit")  # fmt: skip

    result = read_source(source, tmp_path / "feedback.csv", definition, period="2020-H1")

    assert sorted((r.organisation, r.value) for r in result.rows) == [
        ("kinderhaus", 1.0),
        ("sozialwerk-sued", -1.5),
    ]


# --- SQL --------------------------------------------------------------------------------------


@pytest.fixture
def kpi_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "kpi.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "CREATE TABLE kennzahlen (Indicator TEXT, Organisation TEXT, Period TEXT, Value, Note)"
        )
        connection.executemany(
            "INSERT INTO kennzahlen VALUES (?, ?, ?, ?, ?)",
            [
                ("geschulte-mitarbeitende", "kinderhaus", "2019-H1", 7, "aus CRM"),
                ("feedback", None, "2019-H2", 1.25, None),
                ("feedback", "", "2019-H2", 3, None),
                ("ausgaben-ist", "Sozialwerk Süd e. V.", "2. HJ 2019", "12.500,50", None),
                ("ausgaben-ist", "kinderhaus", "2019-H2", None, None),
                ("ausgaben-ist", "Nirgendwo", "2019-H2", 100, None),
            ],
        )
    monkeypatch.setenv("STEERING_KPI_URL", f"sqlite:///{database}")
    return database


def sql(query: str = "SELECT * FROM kennzahlen ORDER BY rowid", **settings: Any) -> SqlSource:
    settings.setdefault("url", "${STEERING_KPI_URL}")
    return SqlSource(kind="sql", key="crm", query=query, **settings)


def test_sql_source_reads_and_validates_rows_of_a_sqlite_file(
    kpi_database: Path, definition: ProgrammeDefinition
) -> None:
    result = read_source(sql(), None, definition)

    assert result.rows_despite_errors() == [
        ImportRow("geschulte-mitarbeitende", "kinderhaus", "2019-H1", 7.0, "aus CRM", 1),
        ImportRow("feedback", "", "2019-H2", 1.25, "", 2),
        ImportRow("ausgaben-ist", "sozialwerk-sued", "2019-H2", 12500.5, "", 4),
    ]
    assert problems(result) == [
        (3, "Value", "3 liegt außerhalb der Skala -2 bis 2"),
        (6, "organisation", "unbekannte Organisation 'Nirgendwo'"),
    ]
    assert result.file_name == "${STEERING_KPI_URL}"
    assert len(result.content_hash) == 64


def test_sql_url_variable_that_is_not_set_is_named(
    definition: ProgrammeDefinition, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STEERING_NOT_SET", raising=False)

    result = read_source(sql(url="${STEERING_NOT_SET}"), None, definition)

    assert problems(result) == [(0, "", "Umgebungsvariable STEERING_NOT_SET ist nicht gesetzt")]


def test_sql_errors_never_show_the_resolved_url_or_password(
    definition: ProgrammeDefinition, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://steer:Geheim-123@127.0.0.1:1/kpi"
    monkeypatch.setenv("STEERING_KPI_URL", url)

    refused = read_source(sql(timeout_seconds=2), None, definition)

    def echoing_driver(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"cannot connect to {url} (password Geheim-123)")

    monkeypatch.setattr("steering.adapters.sources.sql.sqlalchemy.create_engine", echoing_driver)
    echoed = read_source(sql(), None, definition)

    for result in (refused, echoed):
        assert [e.reason.split(":")[0] for e in result.errors] == ["SQL-Abfrage fehlgeschlagen"]
        assert "Geheim-123" not in str(result.errors) and "steer:" not in str(result.errors)
    assert str(echoed.errors[0]).endswith("cannot connect to *** (password ***)")


def test_sql_result_needs_the_columns_indicator_organisation_period_value(
    kpi_database: Path, definition: ProgrammeDefinition
) -> None:
    result = read_source(sql("SELECT Indicator, Value FROM kennzahlen"), None, definition)

    assert problems(result) == [
        (0, "organisation", "Spalte „organisation“ fehlt; gefunden: Indicator, Value")
    ]


def test_sql_statement_timeout_cancels_a_runaway_query(
    kpi_database: Path, definition: ProgrammeDefinition
) -> None:
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )

    started = time.perf_counter()
    result = read_source(sql(endless, timeout_seconds=0.5), None, definition)

    assert problems(result) == [(0, "", "SQL-Abfrage nach 0,5 s abgebrochen (timeout_seconds)")]
    assert time.perf_counter() - started < 10


def test_sql_missing_sqlite_file_is_reported_and_not_created(
    tmp_path: Path, definition: ProgrammeDefinition, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_KPI_URL", f"sqlite:///{tmp_path / 'fehlt.sqlite'}")

    result = read_source(sql(), None, definition)

    assert problems(result) == [(0, "", "Datei nicht gefunden: ${STEERING_KPI_URL}")]
    assert not (tmp_path / "fehlt.sqlite").exists()


# --- the example programme --------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> ProgrammeDefinition:
    return load_definition(EXAMPLE_CONFIG)


def read_example(example: ProgrammeDefinition, key: str) -> ImportResult:
    source = next(s for s in example.sources if s.key == key)
    assert isinstance(source, TableSource | SurveySource)
    return read_source(source, source_path(source, EXAMPLE_CONFIG), example, period="2019-H2")


@pytest.mark.parametrize(
    "key", ["kennzahlen", "finanzcontrolling", "feedback-weiterbildung", "mo-befragung"]
)
def test_every_example_file_of_digital_und_sozial_reads_without_errors(
    key: str, example: ProgrammeDefinition
) -> None:
    result = read_example(example, key)

    assert result.errors == []
    assert result.rows


def test_example_data_shows_the_intended_mix_for_the_2019_h2_checkpoint(
    example: ProgrammeDefinition,
) -> None:
    rows = [
        *read_example(example, "kennzahlen").rows,
        *read_example(example, "finanzcontrolling").rows,
    ]
    value = {(r.indicator, r.organisation, r.period): r.value for r in rows}

    def spend(org: str, period: str) -> float:
        return value[("ausgaben-ist", org, period)] / value[("ausgaben-plan", org, period)]

    assert spend("beratung-gera", "2019-H2") == pytest.approx(1.15, abs=0.005)
    assert spend("werkstaetten-nordhausen", "2019-H1") == pytest.approx(1.24, abs=0.005)
    assert spend("werkstaetten-nordhausen", "2019-H2") == pytest.approx(1.30, abs=0.005)
    assert value[("geschulte-mitarbeitende", "kinderhaus-weimar", "2019-H2")] == 4
    assert value[("entwicklungszirkel-besuche", "familienzentrum-suhl", "2019-H2")] == 0
    steps = read_completed_steps(EXAMPLE_CONFIG.parent / STEPS_FILE)
    jugendhilfe = [day for day, org, _, _ in steps if org == "jugendhilfe-saalfeld"]
    assert len(jugendhilfe) == 7 and max(jugendhilfe) < date(2019, 7, 1)  # 3.5 per driver
    assert not any(r.indicator == "treiberschritte" for r in rows)  # from the steps now
    assert value[("lernplattform-zugriffe", "", "2019-H2")] == 1240
    assert ("ausgaben-ist", "integration-leipzig", "2019-H2") not in value
    kennzahlen = {
        (r.organisation, r.period) for r in rows if not r.indicator.startswith("ausgaben")
    }
    assert ("fruehfoerderung-sonneberg", "2019-H2") not in kennzahlen
    survey_rows = read_example(example, "mo-befragung").rows
    answers = next(r.value for r in survey_rows if r.indicator == "mo-befragung-antworten")
    assert answers == 110 and answers / 350 >= 0.30


def _load_script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "script", [EXAMPLES / "make_examples.py", DATA / "make_files.py"], ids=["examples", "test-data"]
)
def test_committed_sample_files_are_exactly_what_their_generator_writes(
    script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = _load_script(script)
    monkeypatch.setattr(module, "HERE", tmp_path)

    module.main()

    written = sorted(p.name for p in tmp_path.iterdir())
    assert written
    for name in written:
        assert (tmp_path / name).read_bytes() == (script.parent / name).read_bytes(), name


@pytest.mark.parametrize("chunk_rows", [1, 2, 3])
@pytest.mark.parametrize(
    "name", ["unknown_organisation.csv", "bad_number.csv", "kennzahlen_cp1252.csv"]
)
def test_a_file_read_in_small_chunks_gives_the_same_values_and_problems_as_read_whole(
    name: str, chunk_rows: int, definition: ProgrammeDefinition
) -> None:
    raw, source = (DATA / name).read_bytes(), table()
    whole = read_table_source(raw, source, Catalog(definition, source.key, "de"))
    chunked = read_table_source(
        raw, source, Catalog(definition, source.key, "de"), chunk_rows=chunk_rows
    )

    assert chunked[0] == whole[0]
    assert [(e.line, e.column, e.reason) for e in chunked[1]] == [
        (e.line, e.column, e.reason) for e in whole[1]
    ]
    assert whole[0] or whole[1]
