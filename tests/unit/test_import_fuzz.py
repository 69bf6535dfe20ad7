"""Fuzzing the importers: whatever a file holds, the result is rows or named errors.

Random bytes, CSV-like text built from German spellings, and random workbooks go through
the same reader as `steer import`. Any exception other than a listed error is a bug.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples
from openpyxl.utils.exceptions import IllegalCharacterError
from paths import CONFIG
from programmes import demo_definition

from steering.adapters.sources.result import ImportResult
from steering.bootstrap import indicator_sources
from steering.services.importing import read_for_import

DEFINITION = demo_definition()
KEYS = {i.key for i in DEFINITION.indicators}
PERIODS = set(DEFINITION.period_ids())
FUZZ = settings(
    max_examples=examples(150),
    deadline=3000,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
CELLS = st.one_of(
    st.sampled_from(
        [
            "lernplattform-zugriffe",
            "geschulte-mitarbeitende",
            "Sozialwerk Saale-Jena gGmbH (fiktiv)",
            "2. HJ 2019",
            "2019-H2",
            "H1/2019",
            "31.12.2019",
            "1.234,56",
            "12,5",
            "1e309",
            "-0",
            "",
            " ",
            "=SUMME(A1)",
            '"',
            ";",
            "\t",
            "\x00",
            "ü",
            "NaN",
        ]
    ),
    st.text(max_size=30),
)
HEADER = "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\r\n"


def _read(folder: Path, name: str, raw: bytes, source: str) -> ImportResult:
    path = folder / name
    path.write_bytes(raw)
    result = read_for_import(
        DEFINITION, CONFIG, sources=indicator_sources(), source_key=source, path=path
    )
    # Every error says what is wrong; every row handed out is a known indicator in a
    # programme period (empty value cells are "nothing reported" and give no row).
    assert all(str(error).strip() for error in result.errors)
    if not result.errors:
        for row in result.rows_despite_errors():
            assert row.indicator in KEYS and row.period in PERIODS
    return result


@FUZZ
@given(raw=st.binary(max_size=4000))
def test_random_bytes_give_rows_or_named_errors(tmp_path: Path, raw: bytes) -> None:
    _read(tmp_path, "kennzahlen.csv", raw, "kennzahlen")


@FUZZ
@given(
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=7), max_size=20),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_csv_like_text_gives_rows_or_named_errors(
    tmp_path: Path, rows: list[list[str]], separator: str, encoding: str
) -> None:
    text = HEADER + "".join(separator.join(r) + "\r\n" for r in rows)
    _read(tmp_path, "kennzahlen.csv", text.encode(encoding, errors="replace"), "kennzahlen")


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.one_of(CELLS, st.floats(), st.integers(), st.none()), max_size=6), max_size=15
    )
)
def test_random_workbooks_give_rows_or_named_errors(
    tmp_path: Path, rows: list[list[object]]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Ausgaben"
    sheet.append(["Träger", "Halbjahr", "Plan (EUR)", "Ist (EUR)"])
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses these itself
            continue
    out = io.BytesIO()
    try:
        book.save(out)
    except ValueError:
        assume(False)  # openpyxl cannot write this workbook: not an input users can have
    _read(tmp_path, "finanzcontrolling.xlsx", out.getvalue(), "finanzcontrolling")
