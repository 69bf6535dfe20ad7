"""A checkpoint writes its values and lights as one statement per batch, on every backend."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from steering.adapters.db import repository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.services.checkpoints import run_checkpoint
from tests.evaluation_reference import synthetic_programme

BATCH = 50


def test_values_and_lights_go_to_the_store_as_one_statement_per_batch(
    store: Engine, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small batch size makes a small programme span several batches.
    monkeypatch.setattr(repository, "WRITE_BATCH", BATCH)
    definition, measurements = synthetic_programme(organisations=30)
    values = measurements.astype({"value": float}).to_dict("records")
    inserts: list[tuple[str, bool]] = []

    def count(
        _conn: Any, _cursor: Any, statement: str, _params: Any, _ctx: Any, many: bool
    ) -> None:
        words = statement.split()
        if words[0].upper() == "COPY":  # PostgreSQL: one COPY ... FROM STDIN per batch
            inserts.append((words[1].strip('"'), many))
        elif statement.lstrip().upper().startswith("INSERT INTO"):
            inserts.append((words[2].strip('"'), many))

    sa.event.listen(store, "before_cursor_execute", count)
    with SqlUnitOfWork.for_engine(store) as uow:
        uow.repo.sync_organisations(definition.programme.id, definition.organisations, now)
        uow.repo.add_measurements(
            definition.programme.id,
            values,
            source_key="kennzahlen",
            import_id=None,
            actor=None,
            now=now,
        )
    outcome = run_checkpoint(
        definition,
        uow=SqlUnitOfWork.for_engine(store),
        period=definition.period_ids()[-1],
        now=now,
    )
    sa.event.remove(store, "before_cursor_execute", count)

    lights = outcome.evaluation.lights
    assert [many for table, many in inserts if table == "measurements"] == [True] * math.ceil(
        len(values) / BATCH
    )
    assert [many for table, many in inserts if table == "assessments"] == [True] * math.ceil(
        len(lights) / BATCH
    )
    with SqlUnitOfWork.for_engine(store) as uow:
        stored = uow.repo.lights_frame(outcome.checkpoint_id)
    by_key = {
        (o, d): (light, reasons)
        for o, d, light, reasons in zip(
            stored["organisation"],
            stored["dimension"],
            stored["light"],
            stored["reasons"],
            strict=True,
        )
    }
    assert len(by_key) == len(lights)
    for org, dim, light, reasons in zip(
        lights["organisation"],
        lights["dimension"],
        lights["light"],
        lights["reasons"],
        strict=True,
    ):
        assert by_key[(str(org), str(dim))] == (str(light), reasons), f"{org}/{dim}"
