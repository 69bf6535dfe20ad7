"""Importing stores every row or nothing, once per content, and keeps corrected values' history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from steering.adapters.config import load_definition
from steering.adapters.db.models import ImportRow, MeasurementRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.sources.result import ImportFailed
from steering.bootstrap import indicator_sources
from steering.services.checkpoints import run_checkpoint
from steering.services.importing import import_source, record_value

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
HEADER = "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\r\n"
NOW = datetime(2020, 1, 15, 6, 0, tzinfo=UTC)


def _csv(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_bytes((HEADER + "".join(r + "\r\n" for r in rows)).encode("cp1252"))
    return path


def _count(engine: Engine, model: type) -> int:
    with SqlUnitOfWork.for_engine(engine) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _import(engine: Engine, path: Path) -> object:
    return import_source(
        load_definition(CONFIG),
        CONFIG,
        sources=indicator_sources(),
        source_key="kennzahlen",
        path=path,
        uow=SqlUnitOfWork.for_engine(engine),
        now=NOW,
        actor="test",
    )


def test_a_file_with_one_bad_row_stores_nothing_and_names_every_bad_row(
    store: Engine, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "kennzahlen.csv",
        [
            "geschulte-mitarbeitende;Sozialwerk Saale-Jena gGmbH (fiktiv);2. HJ 2019;7;",
            "geschulte-mitarbeitende;lebenshilfe-erfurt;2. HJ 2019;12,5,3;",
            "geschulte-mitarbeitende;unbekannt-ev;2. HJ 2019;3;",
        ],
    )
    before = _count(store, MeasurementRow), _count(store, ImportRow)

    with pytest.raises(ImportFailed) as failed:
        _import(store, path)

    assert (_count(store, MeasurementRow), _count(store, ImportRow)) == before
    message = str(failed.value)
    assert "Zeile 3" in message and "12,5,3" in message
    assert "Zeile 4" in message and "unbekannt-ev" in message
    assert "Zeile 2" not in message


def test_importing_the_same_content_twice_stores_it_once(store: Engine, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "kennzahlen.csv",
        [
            "geschulte-mitarbeitende;sozialwerk-jena;2. HJ 2019;7;",
            "entwicklungszirkel-besuche;sozialwerk-jena;II. HJ 2019;3;",
        ],
    )

    first = _import(store, path)
    second = _import(store, path)

    assert (first.status, first.rows) == ("imported", 2)  # type: ignore[attr-defined]
    assert second.status == "unchanged"  # type: ignore[attr-defined]
    assert _count(store, MeasurementRow) == 2


def test_a_corrected_file_replaces_the_values_and_keeps_the_old_ones_as_history(
    store: Engine, tmp_path: Path
) -> None:
    _import(
        store,
        _csv(tmp_path, "kennzahlen.csv", ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;"]),
    )
    corrected = _import(
        store,
        _csv(tmp_path, "kennzahlen.csv", ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;7;"]),
    )

    assert corrected.replaced_imports  # type: ignore[attr-defined]
    with SqlUnitOfWork.for_engine(store) as uow:
        rows = uow.session.execute(
            select(MeasurementRow.value, MeasurementRow.superseded).order_by(MeasurementRow.id)
        ).all()
        current = uow.repo.measurements_frame("digital-und-sozial")
    assert [tuple(r) for r in rows] == [(2.0, True), (7.0, False)]
    assert current["value"].tolist() == [7.0]


def test_a_manual_value_is_validated_like_an_imported_one(store: Engine) -> None:
    definition = load_definition(CONFIG)

    with pytest.raises(ImportFailed) as failed:
        record_value(
            definition,
            sources=indicator_sources(),
            indicator="weiterbildung-feedback",
            organisation="",
            period="2019-H2",
            value="3",
            note="",
            uow=SqlUnitOfWork.for_engine(store),
            now=NOW,
            actor="test",
        )
    row = record_value(
        definition,
        sources=indicator_sources(),
        indicator="geschulte-mitarbeitende",
        organisation="sozialwerk-jena",
        period="2. HJ 2019",
        value="7,0",
        note="nachgemeldet",
        uow=SqlUnitOfWork.for_engine(store),
        now=NOW,
        actor="test",
    )

    assert "-2" in str(failed.value) and "2" in str(failed.value)
    assert (row.indicator, row.period, row.value) == ("geschulte-mitarbeitende", "2019-H2", 7.0)


def test_a_checkpoint_run_twice_stores_one_set_of_lights(store: Engine, tmp_path: Path) -> None:
    _import(store, _csv(tmp_path, "k.csv", ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;"]))
    definition = load_definition(CONFIG)

    first = run_checkpoint(
        definition, uow=SqlUnitOfWork.for_engine(store), period="2019-H2", now=NOW
    )
    second = run_checkpoint(
        definition, uow=SqlUnitOfWork.for_engine(store), period="2019-H2", now=NOW
    )

    assert second.rerun and second.checkpoint_id == first.checkpoint_id
    with SqlUnitOfWork.for_engine(store) as uow:
        lights = uow.repo.lights_frame(first.checkpoint_id)
    assert len(lights) == len(first.evaluation.lights)
    staff = lights[(lights["organisation"] == "sozialwerk-jena") & (lights["dimension"] == "staff")]
    assert staff["raw_light"].tolist() == ["red"]  # 2 of a minimum of 5 trained staff


def test_recovery_after_a_checkpoint_without_data_still_needs_two_good_checkpoints(
    store: Engine,
) -> None:
    definition = load_definition(CONFIG)  # cost: recover only after 2 good checkpoints
    with SqlUnitOfWork.for_engine(store) as uow:
        uow.repo.add_measurements(
            "digital-und-sozial",
            [
                {"indicator": k, "organisation": "sozialwerk-jena", "period": p, "value": v}
                for p, plan, actual in (("2019-H1", 100, 130), ("2020-H1", 100, 100))
                for k, v in (("ausgaben-plan", plan), ("ausgaben-ist", actual))
            ],
            source_key="manuell",
            import_id=None,
            actor="test",
            now=NOW,
        )
        uow.commit()

    def cost_light(period: str) -> str:
        outcome = run_checkpoint(
            definition,
            uow=SqlUnitOfWork.for_engine(store),
            period=period,
            now=NOW,
            scheduled_for=datetime.fromisoformat(
                f"{period[:4]}-0{1 if period.endswith('1') else 7}-15T06:00+00:00"
            ),
        )
        lights = outcome.evaluation.lights
        return str(
            lights[(lights["organisation"] == "sozialwerk-jena") & (lights["dimension"] == "cost")][
                "light"
            ].iloc[0]
        )

    assert [cost_light(p) for p in ("2019-H1", "2019-H2", "2020-H1")] == ["red", "no_data", "red"]


def test_the_history_of_lights_follows_periods_not_run_times(store: Engine) -> None:
    from steering.services.collection import collect_sources

    definition = load_definition(CONFIG)
    uow = lambda: SqlUnitOfWork.for_engine(store)  # noqa: E731
    collect_sources(definition, CONFIG, sources=indicator_sources(), uow_factory=uow, now=NOW)
    # 2019-H2 runs first, 2019-H1 is backfilled later; re-running 2019-H2 compares with H1.
    run_checkpoint(definition, uow=uow(), period="2019-H2", now=NOW)
    run_checkpoint(definition, uow=uow(), period="2019-H1", now=NOW.replace(hour=9))
    again = run_checkpoint(definition, uow=uow(), period="2019-H2", now=NOW.replace(hour=10))

    assert again.previous_key == "digital-und-sozial/2019-H1"
