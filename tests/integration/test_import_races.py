"""Imports and manual values at the same moment, and earlier files imported again."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from paths import CONFIG
from programmes import demo_definition
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from steering.adapters.db.engine import make_engine, sqlite_file
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import AuditLogRow, ImportRow, MeasurementRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.services.importing import (
    import_source,
    record_value,
    restore_import,
    source_lock,
)

DEFINITION = demo_definition()
PROGRAMME = DEFINITION.programme.id
NOW = datetime(2020, 1, 15, 6, 0, tzinfo=UTC)
HEADER = "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\r\n"
# Runs `steer` once the file named by STEER_GO exists: imports done, all start together.
STARTER = (
    "import os, sys, time\n"
    "from steering.cli import app\n"
    "open(os.environ['STEER_READY'], 'w').close()\n"
    "while not os.path.exists(os.environ['STEER_GO']): time.sleep(0.005)\n"
    "sys.argv = ['steer', *sys.argv[1:]]\n"
    "app()\n"
)


def _csv(folder: Path, name: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes((HEADER + "".join(r + "\r\n" for r in rows)).encode("cp1252"))
    return path


def _together(works: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(len(works))
    results: list[Any] = [None] * len(works)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = works[i]()
        except Exception as error:  # collected and asserted on by the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _own_uow(url: str, engines: list[Engine]) -> SqlUnitOfWork:
    """A unit of work on an engine of its own, as a separate process would have."""
    engine = make_engine(url)
    engines.append(engine)
    return SqlUnitOfWork.for_engine(engine)


def _current(engine: Engine) -> list[tuple[str, str, str, float, int | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                MeasurementRow.indicator_key,
                MeasurementRow.scope_key,
                MeasurementRow.period,
                MeasurementRow.value,
                MeasurementRow.import_id,
            )
            .where(MeasurementRow.superseded.is_(False))
            .order_by(MeasurementRow.indicator_key, MeasurementRow.scope_key)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _steer_together(calls: list[list[str]], env: dict[str, str], folder: Path) -> list[Any]:
    """Run `steer` once per argument list in processes of their own, started together."""
    folder.mkdir(parents=True, exist_ok=True)
    go = folder / "go"
    processes = []
    for i, args in enumerate(calls):
        ready = folder / f"ready-{i}"
        environment = {**env, "STEER_READY": str(ready), "STEER_GO": str(go), "COLUMNS": "200"}
        processes.append(
            (
                ready,
                subprocess.Popen(
                    [sys.executable, "-c", STARTER, *args],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=environment,
                ),
            )
        )
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    return [(*process.communicate(timeout=120), process.returncode) for _, process in processes]


def _env(db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "STEERING_DATABASE_URL": db_url,
        "STEERING_DATA_DIR": str(tmp_path / "data"),
        **extra,
    }


def test_the_store_keeps_at_most_one_current_value_per_key(store: Engine) -> None:
    row = {
        "programme_id": PROGRAMME,
        "indicator_key": "geschulte-mitarbeitende",
        "organisation_id": "sozialwerk-jena",
        "scope_key": "sozialwerk-jena",
        "period": "2019-H2",
        "value": 7.0,
        "source_key": "manuell",
        "recorded_at": NOW,
        "superseded": False,
    }
    with store.begin() as connection:
        connection.execute(sa.insert(MeasurementRow), [row, {**row, "superseded": True}])

    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(sa.insert(MeasurementRow), [{**row, "value": 8.0}])


def test_the_migration_keeps_the_newest_of_several_current_values(db_url: str) -> None:
    upgrade(db_url, "0006")
    engine = make_engine(db_url)
    try:
        base = {
            "programme_id": PROGRAMME,
            "organisation_id": "sozialwerk-jena",
            "scope_key": "sozialwerk-jena",
            "period": "2019-H2",
            "source_key": "manuell",
            "recorded_at": NOW,
            "superseded": False,
        }
        trained = {**base, "indicator_key": "geschulte-mitarbeitende"}
        visits = {**base, "indicator_key": "entwicklungszirkel-besuche", "value": 3.0}
        with engine.begin() as connection:
            connection.execute(
                sa.insert(MeasurementRow),
                [{**trained, "value": float(v)} for v in range(1, 7)] + [visits],
            )

        upgrade(db_url)

        assert _current(engine) == [
            ("entwicklungszirkel-besuche", "sozialwerk-jena", "2019-H2", 3.0, None),
            ("geschulte-mitarbeitende", "sozialwerk-jena", "2019-H2", 6.0, None),
        ]
    finally:
        engine.dispose()


def test_six_simultaneous_manual_values_for_one_key_leave_one_current_value(
    store: Engine, db_url: str
) -> None:
    engines: list[Engine] = []

    def record(value: int) -> Callable[[], object]:
        return lambda: record_value(
            DEFINITION,
            sources=indicator_sources(),
            indicator="geschulte-mitarbeitende",
            organisation="sozialwerk-jena",
            period="2019-H2",
            value=str(value),
            note="",
            uow=_own_uow(db_url, engines),
            now=NOW,
            actor=f"writer-{value}",
        )

    try:
        results = _together([record(v) for v in range(1, 7)])
    finally:
        for engine in engines:
            engine.dispose()

    assert not [r for r in results if isinstance(r, Exception)], results
    current = _current(store)
    assert len(current) == 1 and current[0][3] in {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    with store.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(MeasurementRow)) == 6


def test_six_simultaneous_steer_record_calls_leave_one_current_value_and_print_one_line(
    store: Engine, db_url: str, tmp_path: Path
) -> None:
    calls = [
        [
            "record",
            str(CONFIG),
            "--indicator",
            "geschulte-mitarbeitende",
            "--org",
            "sozialwerk-jena",
            "--period",
            "2019-H2",
            "--value",
            str(value),
        ]
        for value in range(1, 7)
    ]

    finished = _steer_together(calls, _env(db_url, tmp_path), tmp_path / "run")

    for out, err, code in finished:
        assert (code, err) == (0, ""), (out, err)
        assert len(out.strip().splitlines()) == 1, out
    assert len(_current(store)) == 1


def test_two_simultaneous_corrected_imports_leave_one_active_import_with_one_files_values(
    store: Engine, db_url: str, tmp_path: Path
) -> None:
    def path(folder: str, rows: list[str]) -> Path:
        return _csv(tmp_path / folder, "kennzahlen.csv", rows)

    first = path("v1", ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;1;"])
    corrections = {
        "a": path(
            "a",
            [
                "geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;",
                "geschulte-mitarbeitende;lebenshilfe-erfurt;2019-H2;4;",
            ],
        ),
        "b": path(
            "b",
            [
                "geschulte-mitarbeitende;sozialwerk-jena;2019-H2;3;",
                "entwicklungszirkel-besuche;sozialwerk-jena;2019-H2;5;",
            ],
        ),
    }
    engines: list[Engine] = []

    def load(file: Path) -> Callable[[], object]:
        return lambda: import_source(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            source_key="kennzahlen",
            path=file,
            uow=_own_uow(db_url, engines),
            now=NOW,
            actor="test",
        )

    try:
        load(first)()
        results = _together([load(corrections["a"]), load(corrections["b"])])
    finally:
        for engine in engines:
            engine.dispose()

    assert not [r for r in results if isinstance(r, Exception)], results
    with store.connect() as connection:
        active = connection.execute(
            sa.select(ImportRow.id).where(ImportRow.status == "active")
        ).all()
    assert len(active) == 1
    values = {(k, o, v) for k, o, _, v, _ in _current(store)}
    a = {("geschulte-mitarbeitende", "sozialwerk-jena", 2.0)}
    a.add(("geschulte-mitarbeitende", "lebenshilfe-erfurt", 4.0))
    b = {("geschulte-mitarbeitende", "sozialwerk-jena", 3.0)}
    b.add(("entwicklungszirkel-besuche", "sozialwerk-jena", 5.0))
    assert values in (a, b)
    assert {i for *_, i in _current(store)} == {active[0][0]}


def test_importing_an_earlier_version_again_makes_its_values_current(
    store: Engine, tmp_path: Path
) -> None:
    def load(folder: str, rows: list[str]) -> Any:
        return import_source(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            source_key="kennzahlen",
            path=_csv(tmp_path / folder, "kennzahlen.csv", rows),
            uow=SqlUnitOfWork.for_engine(store),
            now=NOW,
            actor="test",
        )

    earlier = ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;"]
    first = load("v1", earlier)
    newer = load(
        "v2",
        [
            "geschulte-mitarbeitende;sozialwerk-jena;2019-H2;7;",
            "entwicklungszirkel-besuche;sozialwerk-jena;2019-H2;3;",
        ],
    )

    again = load("v1-again", earlier)

    assert (again.status, again.import_id, again.replaced_imports) == (
        "restored",
        first.import_id,
        (newer.import_id,),
    )
    assert _current(store) == [
        ("geschulte-mitarbeitende", "sozialwerk-jena", "2019-H2", 2.0, first.import_id)
    ]
    assert load("v1-once-more", earlier).status == "unchanged"
    with store.connect() as connection:
        audited = connection.scalars(
            sa.select(AuditLogRow.action).where(AuditLogRow.subject_type == "source")
        ).all()
    assert audited == ["import", "import", "import-restored"]


def test_restoring_an_import_by_number_makes_its_values_current_without_the_file(
    store: Engine, tmp_path: Path
) -> None:
    def load(folder: str, value: int) -> Any:
        rows = [f"geschulte-mitarbeitende;sozialwerk-jena;2019-H2;{value};"]
        return import_source(
            DEFINITION,
            CONFIG,
            sources=indicator_sources(),
            source_key="kennzahlen",
            path=_csv(tmp_path / folder, "kennzahlen.csv", rows),
            uow=SqlUnitOfWork.for_engine(store),
            now=NOW,
            actor="test",
        )

    first, second = load("v1", 2), load("v2", 7)

    restored = restore_import(
        DEFINITION,
        import_id=first.import_id,
        uow=SqlUnitOfWork.for_engine(store),
        now=NOW,
        actor="test",
    )

    assert (restored.status, restored.rows, restored.replaced_imports) == (
        "restored",
        1,
        (second.import_id,),
    )
    assert [v for *_, v, _ in _current(store)] == [2.0]


def test_the_losing_side_of_simultaneous_imports_prints_one_german_line(
    store: Engine, db_url: str, tmp_path: Path
) -> None:
    file = _csv(tmp_path, "kennzahlen.csv", ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;"])
    calls = [["import", str(CONFIG), str(file), "--source", "kennzahlen"]] * 4

    finished = _steer_together(calls, _env(db_url, tmp_path), tmp_path / "run")

    outputs = sorted(out.strip() for out, _, _ in finished)
    assert [(err, code) for _, err, code in finished] == [("", 0)] * 4, finished
    assert all(len(out.splitlines()) == 1 for out in outputs), outputs
    assert sum("Wert importiert (Import 1)" in out for out in outputs) == 1, outputs
    assert sum("bereits importiert (Import 1)" in out for out in outputs) == 3, outputs
    with store.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(ImportRow)) == 1


def test_a_write_kept_waiting_too_long_prints_one_german_line_and_stores_nothing(
    store: Engine, db_url: str, tmp_path: Path
) -> None:
    file = _csv(tmp_path, "kennzahlen.csv", ["geschulte-mitarbeitende;sozialwerk-jena;2019-H2;2;"])
    database = sqlite_file(db_url)
    env = _env(db_url, tmp_path, STEERING_SQLITE_BUSY_TIMEOUT_MS="300")
    if database is None:  # PostgreSQL: an import of the source is running; wait 0.3 s at most
        url = make_url(db_url)
        options = f"{url.query['options']} -clock_timeout=300"
        env["STEERING_DATABASE_URL"] = url.update_query_dict({"options": options}).render_as_string(
            hide_password=False
        )
    blocker = sqlite3.connect(database) if database else None
    holder = SqlUnitOfWork.for_engine(store)
    try:
        if blocker is not None:  # SQLite: another writer holds the file
            blocker.execute("BEGIN IMMEDIATE")
        held = holder.serialised(source_lock(PROGRAMME, "kennzahlen")) if not blocker else None
        with held or contextlib.nullcontext():
            ((out, err, code),) = _steer_together(
                [["import", str(CONFIG), str(file), "--source", "kennzahlen"]],
                env,
                tmp_path / "run",
            )
    finally:
        if blocker is not None:
            blocker.rollback()
            blocker.close()

    assert (code, out) == (1, ""), (out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert "nichts wurde gespeichert" in err
    with store.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(ImportRow)) == 0
