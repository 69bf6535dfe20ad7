"""A JSON source: a list of records, checked and stored as the rows of a CSV file are."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from steering.adapters.config import load_definition
from steering.adapters.db.models import MeasurementRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.domain.definition import ProgrammeDefinition
from steering.ports.sources import ImportFailed
from steering.services.collection import collect_sources
from steering.services.importing import ImportOutcome, import_source

PROGRAMME = Path(__file__).resolve().parents[1] / "data" / "imports" / "programme.yaml"
NOW = datetime(2020, 1, 15, 6, 0, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """The import-test programme with a JSON source reading werte.json next to it."""
    text = PROGRAMME.read_text(encoding="utf-8").replace(
        "  - {key: manuell, kind: manual}\n",
        "  - {key: manuell, kind: manual}\n  - {key: werte, kind: json, path: werte.json}\n",
    )
    path = tmp_path / "programm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _write(config: Path, records: Any) -> None:
    (config.parent / "werte.json").write_text(json.dumps(records), encoding="utf-8")


def _import(config: Path, store: Engine, lang: str = "de") -> ImportOutcome:
    return import_source(
        load_definition(config),
        config,
        source_key="werte",
        sources=indicator_sources(),
        uow=SqlUnitOfWork.for_engine(store),
        now=NOW,
        actor="test",
        lang=lang,
    )


def _values(store: Engine) -> int:
    with SqlUnitOfWork.for_engine(store) as uow:
        return uow.session.scalar(select(func.count()).select_from(MeasurementRow)) or 0


def test_a_json_source_is_a_valid_kind_of_the_definition(config: Path) -> None:
    definition: ProgrammeDefinition = load_definition(config)

    assert [s.kind for s in definition.sources] == ["manual", "json"]


def test_records_are_imported_once_with_names_and_half_years_as_a_csv_file_has_them(
    config: Path, store: Engine
) -> None:
    _write(
        config,
        [
            {
                "organisation": "kinderhaus",
                "indicator": "geschulte-mitarbeitende",
                "period": "2019-H2",
                "value": 7,
            },
            {
                "organisation": "Sozialwerk Süd e. V.",
                "indicator": "Geplante Ausgaben",
                "period": "2. HJ 2019",
                "value": "1250.5",
                "note": "laut Haushalt",
            },
            {"organisation": "", "indicator": "teilnehmende", "period": "2019-H2", "value": 40},
            {
                "organisation": "kinderhaus",
                "indicator": "ausgaben-ist",
                "period": "2019-H2",
                "value": None,
            },
        ],
    )

    first = _import(config, store)
    again = _import(config, store)

    assert (first.status, first.rows, first.file_name) == ("imported", 3, "werte.json")
    assert (again.status, again.rows) == ("unchanged", 0)
    assert _values(store) == 3


def test_every_bad_record_is_named_by_file_record_and_field_and_nothing_is_stored(
    config: Path, store: Engine
) -> None:
    _write(
        config,
        [
            {
                "organisation": "kinderhaus",
                "indicator": "geschulte-mitarbeitende",
                "period": "2019-H2",
                "value": 7,
            },
            {
                "organisation": "unbekannt-ev",
                "indicator": "geschulte-mitarbeitende",
                "period": "2019-H2",
                "value": 3,
            },
            {"organisation": "kinderhaus", "indicator": "ausgaben-plan", "value": 10},
            {
                "organisation": "kinderhaus",
                "indicator": "ausgaben-ist",
                "period": "2019-H2",
                "value": "12,5",
            },
            "kinderhaus;ausgaben-ist;2019-H2;3",
            {
                "organisation": "kinderhaus",
                "indicator": "geschulte-mitarbeitende",
                "period": "2019-H2",
                "value": [1],
            },
        ],
    )

    with pytest.raises(ImportFailed) as failed:
        _import(config, store)

    message = str(failed.value)
    assert "„werte.json“" in message.splitlines()[0]
    assert "5 Fehler" in message.splitlines()[0]
    assert "Datensatz 2, Feld „organisation“: " in message
    assert "Datensatz 3, Feld „period“: Feld fehlt" in message
    assert "Datensatz 4, Feld „value“: " in message
    assert "Datensatz 5: kein Objekt" in message
    assert "Datensatz 6, Feld „value“: Text oder Zahl erwartet, gefunden: list" in message
    assert "Datensatz 1" not in message
    assert _values(store) == 0


def test_a_file_that_is_no_list_of_records_is_one_error_in_the_readers_language(
    config: Path, store: Engine
) -> None:
    _write(config, {"records": []})
    with pytest.raises(ImportFailed) as not_a_list:
        _import(config, store, lang="en")
    (config.parent / "werte.json").write_text('[{"value": 1,}]', encoding="utf-8")
    with pytest.raises(ImportFailed) as broken:
        _import(config, store, lang="en")

    assert "expected a list of records ([{…}, …]), found: dict" in str(not_a_list.value)
    assert "not valid JSON: Expecting property name" in str(broken.value)
    assert "(line 1, column 14)" in str(broken.value)


def test_a_checkpoint_collects_a_json_source_that_names_its_file(
    config: Path, store: Engine
) -> None:
    _write(config, [{"indicator": "teilnehmende", "period": "2019-H2", "value": 40}])

    collected = collect_sources(
        load_definition(config),
        config,
        sources=indicator_sources(),
        uow_factory=lambda: SqlUnitOfWork.for_engine(store),
        now=NOW,
        retry_delays=(),
    )

    assert [(c.source, c.status, c.rows) for c in collected] == [("werte", "imported", 1)]
