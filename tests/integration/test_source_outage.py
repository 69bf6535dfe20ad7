"""A SQL source that is down: retried, then its values count as missing, never as fresh."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from loopback import free_port
from paths import ROOT
from sqlalchemy import Engine

from steering.adapters.config import load_definition
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.domain.definition import ProgrammeDefinition
from steering.services import collection
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.period_report import period_report

NOW = datetime(2026, 1, 20, 7, 0, tzinfo=UTC)


@pytest.fixture
def programme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, ProgrammeDefinition]]:
    """config/minimal.yaml with its indicator read from a CRM database (SQLite file)."""
    data = yaml.safe_load((ROOT / "config" / "minimal.yaml").read_text(encoding="utf-8"))
    data["sources"].append(
        {
            "key": "crm",
            "kind": "sql",
            "url": "${STEERING_CRM_URL}",
            "query": "SELECT indicator, organisation, period, value FROM kpi",
        }
    )
    data["indicators"][0]["source"] = "crm"
    config = tmp_path / "programm.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    database = tmp_path / "crm.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE kpi (indicator, organisation, period, value)")
        connection.execute(
            "INSERT INTO kpi VALUES ('geschulte-mitarbeitende', 'beispiel-ev', '2025-H2', 12)"
        )
    monkeypatch.setenv("STEERING_CRM_URL", f"sqlite:///{database}")
    yield config, load_definition(config)


def _staff_light(outcome: Any) -> str:
    return outcome.evaluation.by_organisation["beispiel-ev"]["staff"][0]


def test_a_source_that_is_down_is_retried_then_counts_as_missing(
    store: Engine, programme: tuple[Path, ProgrammeDefinition], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, definition = programme

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(store)

    collected = collect_sources(
        definition, config, sources=indicator_sources(), uow_factory=uow, now=NOW
    )
    healthy = run_checkpoint(definition, uow=uow(), period="2025-H2", now=NOW)
    # The CRM server goes away: nothing listens on its port any more.
    monkeypatch.setenv("STEERING_CRM_URL", f"postgresql+psycopg://crm@127.0.0.1:{free_port()}/crm")
    calls: list[str] = []
    real_import = collection.import_source

    def counting_import(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["source_key"])
        return real_import(*args, **kwargs)

    monkeypatch.setattr(collection, "import_source", counting_import)
    down = collect_sources(
        definition,
        config,
        sources=indicator_sources(),
        uow_factory=uow,
        now=NOW,
        retry_delays=(0.01, 0.02),
    )
    failed = [c.source for c in down if c.status == "failed"]
    later = run_checkpoint(
        definition, uow=uow(), period="2025-H2", now=NOW, unavailable_sources=failed
    )

    assert [(c.source, c.status) for c in collected] == [("crm", "imported")]
    assert _staff_light(healthy) == "green"  # 12 trained against a minimum of 10
    assert calls == ["crm", "crm", "crm"]  # the first try and two retries
    assert failed == ["crm"] and "127.0.0.1" in down[0].message
    assert _staff_light(later) == "no_data"  # not the 12 of the last successful read
    # The report of that checkpoint, built later, shows the same: missing, not stale.
    report = period_report(definition, uow_factory=uow, period="2025-H2")
    (row,) = [m for m in report.matrix if m.organisation == "beispiel-ev"]
    assert row.lights["staff"] == "no_data"


def test_bad_content_is_not_retried(
    store: Engine, programme: tuple[Path, ProgrammeDefinition], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, definition = programme
    database = Path(os.environ["STEERING_CRM_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO kpi VALUES ('geschulte-mitarbeitende', 'x', '2025-H2', 1)")
    calls: list[str] = []
    real_import = collection.import_source

    def counting_import(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["source_key"])
        return real_import(*args, **kwargs)

    monkeypatch.setattr(collection, "import_source", counting_import)
    (result,) = collect_sources(
        definition,
        config,
        sources=indicator_sources(),
        uow_factory=lambda: SqlUnitOfWork.for_engine(store),
        now=NOW,
        retry_delays=(0.01, 0.02),
    )

    assert result.status == "failed" and "unbekannte Organisation 'x'" in result.message
    assert calls == ["crm"]
