"""The checkpoint flow under a real Prefect server: artifacts, report, idempotent re-runs."""

from __future__ import annotations

import json
from itertools import pairwise
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
from steering.services.table_width import TABLE_PX, rendered_px


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


def _run_artifacts(run_name: str) -> list[Any]:
    """The artifacts of the newest run of this name, in the order they were created."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterName,
    )
    from prefect.client.schemas.sorting import ArtifactSort, FlowRunSort

    with get_client(sync_client=True) as client:
        (run,) = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[run_name])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])),
            sort=ArtifactSort.CREATED_DESC,
        )[::-1]


def test_a_checkpoint_publishes_the_lagebild_first_and_tables_that_fit(store: Path) -> None:
    _import_surveys()
    checkpoint(config=str(CONFIG), period="2019-H2")

    artifacts = _run_artifacts("checkpoint/digital-und-sozial/2019-H2")
    first = artifacts[0]
    assert first.key == "lagebild-digital-und-sozial" and first.type == "markdown"
    assert first.data.startswith("# Lagebild 2019-H2")
    assert first.description.startswith("Lagebild 2019-H2: 1 eskalieren, ")
    for artifact in artifacts:
        words = artifact.key.split("-")
        assert all(a != b for a, b in pairwise(words)), artifact.key
        if artifact.type == "table":  # no cell wider than fits 1440 px (table_width.py)
            assert rendered_px(json.loads(artifact.data)) <= TABLE_PX, artifact.key
    by_key = {a.key: a for a in artifacts}
    # Only 2019-H2 ran here: two red dimensions escalate, no abort review yet.
    assert by_key["status-werkstaetten-nordhausen"].description == (
        "🔴 Kosten, Zeit · eskalieren · Plan"
    )
    assert "integration-leipzig-online-platforms" in by_key
    assert by_key["integration-leipzig-online-platforms"].description.startswith(
        "Integrationsfachdienst Leipzig gGmbH (fiktiv, Sachsen) · Online-Plattformen: "
    )
    matrix = json.loads(by_key["ampelmatrix-digital-und-sozial"].data)
    severity = ["Abbruchprüfung", "eskalieren", "beobachten", "fortsetzen"]
    ranks = [severity.index(r["Entscheidung"].split(" → ")[0]) for r in matrix[1:]]
    assert matrix[0]["Organisation"] == "Programm" and ranks == sorted(ranks)  # most severe first
    soll_ist = json.loads(by_key["soll-ist-digital-und-sozial"].data)
    assert "Zeitraum" not in soll_ist[0]  # the current period only, named in the description
    assert by_key["soll-ist-digital-und-sozial"].description.startswith("Soll/Ist 2019-H2: ")


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
    # Names longer than fits 1440 px end in '…': rows are found by their beginning.
    listed = json.loads(matrix.data)
    rows = {
        name: next(r for r in listed if r["Organisation"].startswith(name))
        for name in (
            "Programm",
            "Werkstätten Nordhausen",
            "Sozialwerk Saale-Jena",
            "Integrationsfachdienst",
        )
    }
    assert len(listed) == 13  # the programme and twelve organisations
    assert rows["Werkstätten Nordhausen"]["Kosten"].startswith("🔴 rot")
    assert rows["Sozialwerk Saale-Jena"]["Kosten"] == "🟢 grün"
    assert rows["Integrationsfachdienst"]["Kosten"] == "⚪ keine Daten"
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


def test_with_a_portal_address_the_report_links_point_at_the_portal_downloads(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from steering.settings import get_settings

    monkeypatch.setenv("STEERING_PORTAL_URL", "https://portal.example.org")
    get_settings.cache_clear()
    common.wiring.cache_clear()
    checkpoint(config=str(CONFIG), period="2019-H2")
    base = "https://portal.example.org/reports/2019-H2"
    for key, target in (
        ("bericht-digital-und-sozial", f"{base}/checkpoint.md"),
        ("sachbericht-html-digital-und-sozial", f"{base}/sachbericht.html"),
        ("sachbericht-xlsx-digital-und-sozial", f"{base}/sachbericht.xlsx"),
    ):
        link = _latest_artifact(key)
        assert target in link.data and "file://" not in link.data, key


def test_a_large_programme_lists_only_its_most_urgent_organisations_in_prefect(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from steering.settings import get_settings

    monkeypatch.setenv("STEERING_STATUS_ARTIFACTS_ALL_UP_TO", "3")
    monkeypatch.setenv("STEERING_SUMMARY_ORGANISATIONS", "2")
    get_settings.cache_clear()
    common.wiring.cache_clear()
    _import_surveys()

    checkpoint(config=str(CONFIG), period="2019-H2")

    by_key = {a.key: a for a in _run_artifacts("checkpoint/digital-und-sozial/2019-H2")}
    matrix = json.loads(by_key["ampelmatrix-digital-und-sozial"].data)
    assert matrix[0]["Organisation"] == "Programm" and len(matrix) == 3
    summary = by_key["checkpoint-digital-und-sozial"].data
    organisations = load_definition(CONFIG).organisations
    assert f"Von {len(organisations)} Trägern brauchen " in summary
    report = next(store.rglob("digital-und-sozial-2019-H2.md"))
    assert f"hier stehen die 2 dringendsten. Die Berichtsdatei {report.name} führt" in summary
    listed = [o.name for o in organisations if o.name in summary]
    assert sorted(listed) == sorted(row["Organisation"] for row in matrix[1:])
    assert all(o.name in report.read_text() for o in organisations)  # the file keeps everyone
