"""The checkpoint flow under a real Prefect server: artifacts, report, idempotent re-runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from paths import CONFIG
from prefect.artifacts import Artifact
from sqlalchemy import func, select
from typer.testing import CliRunner

from flows import common
from flows.checkpoint import checkpoint
from steering.adapters.config import load_definition
from steering.adapters.db.models import (
    AbortDecisionRow,
    AssessmentRow,
    CheckpointRow,
    MeasurementRow,
)
from steering.bootstrap import indicator_sources
from steering.cli import app
from steering.services.importing import import_source


def _latest_artifact(key: str) -> Any:
    found = Artifact.get(key)
    assert found is not None, f"no artifact {key}"
    return found


def _import_surveys() -> None:
    definition = load_definition(CONFIG)
    for source in ("feedback-weiterbildung", "mo-befragung"):
        import_source(
            definition,
            CONFIG,
            sources=indicator_sources(),
            source_key=source,
            uow=common.wiring().uow(),
            now=common.now(),
            actor="test",
            period="2019-H2",
        )


def _counts() -> dict[str, int]:
    with common.wiring().uow() as uow:
        return {
            model.__tablename__: uow.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (CheckpointRow, AssessmentRow, AbortDecisionRow, MeasurementRow)
        }


def test_a_checkpoint_publishes_the_matrix_soll_ist_status_and_a_report(store: Path) -> None:
    _import_surveys()

    result = checkpoint(config=str(CONFIG), period="2019-H2")

    assert result["key"] == "digital-und-sozial/2019-H2"
    assert {s["source"]: s["status"] for s in result["sources"]} == {
        "kennzahlen": "imported",
        "finanzcontrolling": "imported",
    }
    matrix = _latest_artifact("ampelmatrix-digital-und-sozial")
    assert matrix.type == "table"
    rows = {row["Organisation"]: row for row in json.loads(matrix.data)}
    assert len(rows) == 13  # the programme and twelve organisations
    assert rows["Werkstätten Nordhausen gGmbH (fiktiv)"]["Kosten"].startswith("🔴 rot")
    assert rows["Sozialwerk Saale-Jena gGmbH (fiktiv)"]["Kosten"] == "🟢 grün"
    assert rows["Integrationsfachdienst Leipzig gGmbH (fiktiv, Sachsen)"]["Kosten"] == (
        "⚪ keine Daten"
    )
    assert set(rows["Programm"]) == {
        "Organisation",
        "Qualität",
        "Kosten",
        "Personal",
        "Zeit",
        "Entscheidung",
    }
    status = _latest_artifact("status-werkstaetten-nordhausen")
    assert status.type == "markdown"
    assert "Kosten" in status.data and "Ausgaben im Verhältnis zum Plan 1,3" in status.data
    soll_ist = json.loads(_latest_artifact("soll-ist-digital-und-sozial").data)
    survey = next(r for r in soll_ist if r["Soll"] == "≥ 30 % von 350")
    assert survey["Ist"] == "110 (31,4 %)" and survey["Bewertung"] == "erfüllt"
    report = Path(result["report"])
    assert report.is_file() and report.parent == store / "reports"
    assert "## Ampelmatrix" in report.read_text(encoding="utf-8")
    # The Sachbericht is written as Markdown, HTML and Excel and linked in the artifacts.
    for fmt in ("md", "html", "xlsx"):
        assert Path(result[fmt]).is_file() and Path(result[fmt]).parent == store / "reports"
    sachbericht = _latest_artifact("sachbericht-digital-und-sozial")
    assert sachbericht.type == "markdown" and "## Soll/Ist nach Halbjahren" in sachbericht.data
    html_link = _latest_artifact("sachbericht-html-digital-und-sozial")
    assert html_link.type == "markdown" and Path(result["html"]).name in html_link.data


def test_running_the_same_checkpoint_again_changes_nothing(store: Path) -> None:
    _import_surveys()
    first = checkpoint(config=str(CONFIG), period="2019-H2")
    before = _counts()

    second = checkpoint(config=str(CONFIG), period="2019-H2")

    assert _counts() == before
    assert second["lights"] == first["lights"]
    assert {s["status"] for s in second["sources"]} == {"unchanged"}


def test_the_flow_writes_the_sachbericht_steer_report_writes_for_the_same_revision(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import_surveys()
    checkpoint(config=str(CONFIG), period="2019-H2")
    result = checkpoint(config=str(CONFIG), period="2019-H2")  # a re-run: revision 2
    # `steer report` on another day: the report comes from the stored revision, not the day.
    monkeypatch.setenv("STEERING_NOW", "2031-03-30")

    written = {}
    for fmt in ("md", "html", "xlsx"):
        out = tmp_path / f"steer.{fmt}"
        args = ["report", str(CONFIG), "--period", "2019-H2", "--format", fmt, "--out", str(out)]
        outcome = CliRunner().invoke(app, args)
        assert outcome.exit_code == 0, outcome.output
        written[fmt] = out

    for fmt in ("md", "html", "xlsx"):
        assert written[fmt].read_bytes() == Path(result[fmt]).read_bytes(), fmt
    assert "Revision 2 vom " in written["md"].read_text(encoding="utf-8")
