"""Hostile and broken files: each one a clear error naming where, nothing stored, no hang.

Together with the 45 broken programme definitions (tests/data/broken_configs) and the
parser property tests this is the corpus of bad input. Each case writes its file, imports
it into a real SQLite store and asserts the error text, and that no row was stored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from paths import CONFIG
from programmes import demo_definition
from sqlalchemy import Engine, func, select

from steering.adapters.db.models import AuditLogRow, ImportRow, MeasurementRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.sources.result import ImportFailed
from steering.bootstrap import indicator_sources
from steering.services.importing import import_source

DEFINITION = demo_definition()
NOW = datetime(2020, 1, 15, 6, 0, tzinfo=UTC)
HEADER = "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\r\n"
GOOD = "entwicklungszirkel-teilnehmende;;2. HJ 2019;11;\r\n"


def _csv(text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "kennzahlen.csv"
        path.write_bytes(text.encode(encoding))
        return path

    return write


def _raw(data: bytes) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "kennzahlen.csv"
        path.write_bytes(data)
        return path

    return write


def _xlsx(fill: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Ausgaben"
        sheet.append(["Träger", "Halbjahr", "Plan (EUR)", "Ist (EUR)"])
        fill(book)
        path = folder / "finanzcontrolling.xlsx"
        book.save(path)
        return path

    return write


def _formula_cells(book: openpyxl.Workbook) -> None:
    book["Ausgaben"].append(["Sozialwerk Saale-Jena gGmbH (fiktiv)", "2. HJ 2019", "=1+1", 5])


def _merged_cells(book: openpyxl.Workbook) -> None:
    sheet = book["Ausgaben"]
    sheet.append(["Sozialwerk Saale-Jena gGmbH (fiktiv)", "2. HJ 2019", 100, 90])
    sheet.append([None, None, 100, 95])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")


def _text_in_numbers(book: openpyxl.Workbook) -> None:
    book["Ausgaben"].append(["Sozialwerk Saale-Jena gGmbH (fiktiv)", "2. HJ 2019", "viel", 5])


def _unknown_period(book: openpyxl.Workbook) -> None:
    book["Ausgaben"].append(["Sozialwerk Saale-Jena gGmbH (fiktiv)", "3. HJ 2019", 100, 90])


def _only_hidden(book: openpyxl.Workbook) -> None:
    sheet = book["Ausgaben"]
    sheet.title = "Alt"
    sheet.sheet_state = "hidden"
    book.create_sheet("Notizen").append(["nichts"])


def _wrong_serial(book: openpyxl.Workbook) -> None:
    book["Ausgaben"].append(["Sozialwerk Saale-Jena gGmbH (fiktiv)", 99999999, 100, 90])


ZUGRIFFE = "lernplattform-zugriffe;;2. HJ 2019;"
MIXED = "geschulte-mitarbeitende,Sozialwerk Saale-Jena gGmbH (fiktiv),2. HJ 2019,5,\r\n"
# name, source, file, what the error must say (the place and the reason)
CASES: list[tuple[str, str, Callable[[Path], Path], str]] = [
    ("csv-empty", "kennzahlen", _raw(b""), "die Datei ist leer"),
    ("csv-header-only", "kennzahlen", _csv(HEADER), "nur die Kopfzeile"),
    ("csv-utf16", "kennzahlen", _csv(HEADER + GOOD, "utf-16"), "UTF-16"),
    ("csv-binary-garbage", "kennzahlen", _raw(bytes(range(256)) * 64), "keine Textdatei"),
    (
        "csv-nul-bytes",
        "kennzahlen",
        _raw((HEADER + GOOD).encode() + b"a\x00b;;x;1;\r\n"),
        "keine Textdatei",
    ),
    (
        "csv-mixed-separators",
        "kennzahlen",
        _csv(HEADER + GOOD + MIXED),
        "Zeile 3: 1 Feld, die Kopfzeile hat 5",
    ),
    (
        "csv-decimal-confusion",
        "kennzahlen",
        _csv(HEADER + ZUGRIFFE + "1.234.5;\r\n"),
        "Zeile 2, Spalte „Wert“: '1.234.5' ist keine Zahl",
    ),
    (
        "csv-commas-everywhere",
        "kennzahlen",
        _csv(HEADER + ZUGRIFFE + "1,2,3;\r\n"),
        "'1,2,3' ist keine Zahl",
    ),
    (
        "csv-formula-as-value",
        "kennzahlen",
        _csv(HEADER + ZUGRIFFE + "=1+2;\r\n"),
        "'=1+2' ist keine Zahl",
    ),
    (
        "csv-unknown-organisation",
        "kennzahlen",
        _csv(HEADER + "geschulte-mitarbeitende;Gibt es nicht e. V.;2. HJ 2019;5;\r\n"),
        "Zeile 2, Spalte „Träger“: unbekannte Organisation",
    ),
    (
        "csv-unknown-indicator",
        "kennzahlen",
        _csv(HEADER + "erfundene-kennzahl;;2. HJ 2019;5;\r\n"),
        "Zeile 2, Spalte „Kennzahl“: unbekannter Indikator",
    ),
    (
        "csv-bad-period",
        "kennzahlen",
        _csv(HEADER + "lernplattform-zugriffe;;3. HJ 2019;5;\r\n"),
        "'3. HJ 2019' ist kein Halbjahr",
    ),
    (
        "csv-period-outside-programme",
        "kennzahlen",
        _csv(HEADER + "lernplattform-zugriffe;;1. HJ 2031;5;\r\n"),
        "nicht im Programmzeitraum",
    ),
    ("csv-duplicate-rows", "kennzahlen", _csv(HEADER + GOOD + GOOD), "Zeile 3: doppelt"),
    (
        "csv-negative-count",
        "kennzahlen",
        _csv(HEADER + ZUGRIFFE + "-5;\r\n"),
        "eine Anzahl kann nicht negativ sein",
    ),
    (
        "csv-indicator-of-another-source",
        "kennzahlen",
        _csv(HEADER + "weiterbildung-feedback;;2. HJ 2019;1;\r\n"),
        "aus der Quelle 'feedback-weiterbildung'",
    ),
    (
        "csv-missing-column",
        "kennzahlen",
        _csv("Kennzahl;Träger;Wert\r\ngeschulte-mitarbeitende;;5\r\n"),
        "Spalte „Zeitraum“ fehlt",
    ),
    (
        "csv-extremely-long-field",
        "kennzahlen",
        _csv(HEADER + "x" * 2_000_000 + ";;2. HJ 2019;5;\r\n"),
        "Zeile 2: die Zeile ist länger als 1.000.000 Zeichen",
    ),
    (
        "csv-huge-number",
        "kennzahlen",
        _csv(HEADER + ZUGRIFFE + "1" + "0" * 400 + ";\r\n"),
        "Zeile 2, Spalte „Wert“",
    ),
    ("csv-infinity", "kennzahlen", _csv(HEADER + ZUGRIFFE + "inf;\r\n"), "'inf' ist keine Zahl"),
    ("csv-nan", "kennzahlen", _csv(HEADER + ZUGRIFFE + "NaN;\r\n"), "'NaN' ist keine Zahl"),
    ("csv-one-huge-line", "kennzahlen", _raw(b"A" * 8_000_000), "Zeile 1: die Zeile ist länger"),
    (
        "csv-50-mb",
        "kennzahlen",
        _raw(HEADER.encode() + b"A;" * 25_000_000),
        "Zeile 2: die Zeile ist länger",
    ),
    (
        "csv-good-short-line-but-a-bad-one",
        "kennzahlen",
        _csv(HEADER + ZUGRIFFE + "5,5\r\n" + "lernplattform-zugriffe;;1. HJ 2031;5;\r\n"),
        "Zeile 3, Spalte „Zeitraum“",
    ),
    (
        "xlsx-formula-without-result",
        "finanzcontrolling",
        _xlsx(_formula_cells),
        "Formel =1+1 ohne gespeichertes Ergebnis",
    ),
    (
        "xlsx-merged-cells",
        "finanzcontrolling",
        _xlsx(_merged_cells),
        "Zeile 3, Spalte „Halbjahr“: Zeitraum fehlt",
    ),
    (
        "xlsx-text-in-number-column",
        "finanzcontrolling",
        _xlsx(_text_in_numbers),
        "'viel' ist keine Zahl",
    ),
    (
        "xlsx-unknown-period",
        "finanzcontrolling",
        _xlsx(_unknown_period),
        "'3. HJ 2019' ist kein Halbjahr",
    ),
    (
        "xlsx-only-a-hidden-sheet-has-the-data",
        "finanzcontrolling",
        _xlsx(_only_hidden),
        "Tabellenblatt „Ausgaben“ fehlt",
    ),
    (
        "xlsx-wrong-excel-serial",
        "finanzcontrolling",
        _xlsx(_wrong_serial),
        "'99999999' ist kein Halbjahr",
    ),
    (
        "xlsx-not-a-workbook",
        "finanzcontrolling",
        lambda f: _raw(b"PK\x03\x04 kein Excel")(f).rename(f / "finanzcontrolling.xlsx"),
        "keine gültige Excel-Datei",
    ),
]


def _count(engine: Engine, model: type) -> int:
    with SqlUnitOfWork.for_engine(engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    ("source", "make", "where"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_hostile_file_is_refused_clearly_and_stores_nothing(
    store: Engine, tmp_path: Path, source: str, make: Callable[[Path], Path], where: str
) -> None:
    path = make(tmp_path)
    before = {m: _count(store, m) for m in (MeasurementRow, ImportRow, AuditLogRow)}
    started = time.monotonic()

    with pytest.raises(ImportFailed) as refused:
        import_source(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            source_key=source,
            path=path,
            uow=SqlUnitOfWork.for_engine(store),
            now=NOW,
            actor="test",
        )

    message = str(refused.value)
    assert path.name in message.splitlines()[0]  # the file is named
    assert where in message, message[:500]  # and where in it, when a place can be named
    assert len(message) < 20_000  # long fields are not echoed in full
    assert {m: _count(store, m) for m in before} == before  # nothing stored, not even partly
    assert time.monotonic() - started < 30


def test_a_50_mb_file_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    from steering.services.importing import read_for_import

    path = tmp_path / "kennzahlen.csv"
    path.write_bytes(HEADER.encode() + (GOOD.encode() * 20) + b"A;" * 25_000_000)
    tracemalloc.start()
    try:
        result = read_for_import(
            DEFINITION, CONFIG, sources=indicator_sources(), source_key="kennzahlen", path=path
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [str(e) for e in result.errors] == [
        "Zeile 22: die Zeile ist länger als 1.000.000 Zeichen"
    ]
    assert peak < 4 * path.stat().st_size  # bytes, text and line scan: no per-field objects
