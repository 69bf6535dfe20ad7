"""PDCA-cycle, driver-integration and evaluation flows under a real Prefect server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from paths import CONFIG, ROOT
from prefect.artifacts import Artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterName,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.deployments import run_deployment
from prefect.flow_runs import resume_flow_run
from sqlalchemy import func, select

from flows import common
from flows.checkpoint import checkpoint
from flows.evaluation import evaluation
from flows.integration import driver_integration
from flows.pdca import pdca_cycle
from steering.adapters.config import load_definition
from steering.adapters.db.models import (
    AssessmentRow,
    AuditLogRow,
    CheckpointRow,
    EvidenceRow,
    ImportRow,
    LeadDecisionRow,
    NoticeLogRow,
)
from steering.services.integration import complete_step
from steering.services.pdca import record_evidence

ORG = "lebenshilfe-erfurt"  # drivers: online_platforms, ai
NAME = "Lebenshilfe für Menschen mit Behinderung Erfurt e. V. (fiktiv)"


def _finish_plan_phase_work(org: str) -> None:
    definition = load_definition(CONFIG)
    now = common.now()  # the test clock (tests/conftest.py)
    for driver in ("online_platforms", "ai"):
        for step in (1, 2, 3, 4):
            complete_step(
                definition,
                org,
                driver,
                step,
                evidence_url=None,
                uow=common.wiring().uow(),
                now=now,
                actor="test",
            )
    record_evidence(
        definition,
        org,
        "strategy_document",
        "https://dms.example/strategie.pdf",
        uow=common.wiring().uow(),
        now=now,
        actor="test",
    )


def test_the_pdca_flow_advances_only_organisations_whose_gate_is_met(store: Path) -> None:
    _finish_plan_phase_work(ORG)

    moved = pdca_cycle(config=str(CONFIG))

    assert moved == [{"organisation": ORG, "from": "plan", "to": "do", "cycle": 1}]
    assert pdca_cycle(config=str(CONFIG)) == []  # the Do gate (steps 5-8) is not met yet


def test_a_pdca_run_for_one_organisation_is_named_after_it_and_its_phase(store: Path) -> None:
    state = pdca_cycle(config=str(CONFIG), organisation="sozialwerk-jena", return_state=True)

    async def name() -> str:
        async with get_client() as client:
            run = await client.read_flow_run(state.state_details.flow_run_id)
            return run.name

    import asyncio

    assert asyncio.run(name()) == "pdca/sozialwerk-jena/plan"


def test_the_integration_flow_publishes_progress_per_organisation_and_driver(store: Path) -> None:
    driver_integration(config=str(CONFIG))
    definition = load_definition(CONFIG)
    for step in (1, 2, 3):
        complete_step(
            definition,
            ORG,
            "ai",
            step,
            evidence_url=None,
            uow=common.wiring().uow(),
            now=common.now(),
            actor="test",
        )

    result = driver_integration(config=str(CONFIG), organisation=ORG)

    assert result["integrations"] == 2
    progress = Artifact.get(f"integration-{ORG}-ai")
    assert progress is not None and progress.type == "progress"
    assert float(progress.data) == 25.0  # 3 of 12 steps


def test_a_checkpoint_republishes_the_integration_progress_after_steps_changed(
    store: Path,
) -> None:
    driver_integration(config=str(CONFIG))  # publishes 0/12
    definition = load_definition(CONFIG)
    for step in (1, 2, 3, 4, 5, 6):
        complete_step(
            definition,
            ORG,
            "online_platforms",
            step,
            evidence_url=None,
            uow=common.wiring().uow(),
            now=common.now(),
            actor="test",
        )

    checkpoint(config=str(CONFIG), period="2019-H2")

    progress = Artifact.get(f"integration-{ORG}-online-platforms")
    status = Artifact.get(f"status-{ORG}")
    assert progress is not None and float(progress.data) == 50.0  # 6 of 12 steps
    assert status is not None and ": 6/12 Schritte" in str(status.data)


def _paused_run_id(name: str, deadline: float, worker: threading.Thread) -> Any:
    async def find() -> Any:
        async with get_client() as client:
            runs = await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name]))
            )
            return next((r.id for r in runs if r.state and r.state.is_paused()), None)

    import asyncio

    while time.monotonic() < deadline and worker.is_alive():
        found = asyncio.run(find())
        if found is not None:
            return found
        time.sleep(0.5)
    raise AssertionError(f"flow run {name} never paused (see its log)")


def _resume_form_description(run_id: Any) -> str:
    from prefect.input.actions import read_flow_run_input
    from prefect.input.run_input import keyset_from_paused_state

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    assert state is not None
    return str(read_flow_run_input(keyset_from_paused_state(state)["description"], run_id))


def test_the_evaluation_waits_for_the_leads_decision_and_records_it_everywhere(
    store: Path,
) -> None:
    checkpoint(config=str(CONFIG), period="2019-H2")
    outcome: dict[str, Any] = {}
    worker = threading.Thread(
        target=lambda: outcome.update(
            evaluation(
                config=str(CONFIG),
                organisation=ORG,
                period="2019-H2",
                source="feedback-weiterbildung",
                wait_hours=1,
            )
        )
    )
    worker.start()
    run_id = _paused_run_id(f"evaluation/{ORG}/2019-H2", time.monotonic() + 120, worker)

    # While it waits, the Lagebild links it and the resume form tells what to decide on.
    lagebild = Artifact.get("lagebild-digital-und-sozial")
    assert lagebild is not None and f"runs/flow-run/{run_id})" in str(lagebild.data)
    form = _resume_form_description(run_id)
    assert form.startswith(f"**{NAME}** – ") and "**Ampeln:**" in form
    assert "**Abbruchkriterien:**" in form and f"artifacts/key/status-{ORG})" in form

    resume_flow_run(run_id, run_input={"decision": "anpassen", "comment": "Schulungen verdoppeln"})
    worker.join(timeout=120)

    lagebild = Artifact.get("lagebild-digital-und-sozial")
    assert lagebild is not None and f"runs/flow-run/{run_id})" not in str(lagebild.data)

    assert outcome["decision"] == "adapt"
    with common.wiring().uow() as uow:
        decided = uow.session.scalars(select(LeadDecisionRow)).one()
        assert (decided.organisation_id, decided.period) == (ORG, "2019-H2")
        assert (decided.decision, decided.comment) == ("adapt", "Schulungen verdoppeln")
        assert decided.decided_by == "projektleitung"
        assessed = uow.session.scalars(
            select(AssessmentRow.scope_key)
            .join(CheckpointRow, AssessmentRow.checkpoint_id == CheckpointRow.id)
            .where(CheckpointRow.key == f"digital-und-sozial/2019-H2/evaluation-{ORG}")
        )
        assert set(assessed) == {ORG}  # the evaluation assessed its organisation only
        kinds = uow.session.scalars(
            select(EvidenceRow.kind).where(EvidenceRow.organisation_id == ORG)
        )
        assert "evaluation" in set(kinds)
        actions = set(uow.session.scalars(select(AuditLogRow.action)))
        assert "lead-decided" in actions
    status = Artifact.get(f"status-{ORG}")
    assert status is not None and "Entscheidung der Projektleitung" in str(status.data)
    assert "anpassen (2019-H2, projektleitung" in str(status.data)
    assert "Schulungen verdoppeln" in str(status.data)
    matrix = Artifact.get("ampelmatrix-digital-und-sozial")
    assert matrix is not None
    (row,) = [
        r for r in json.loads(str(matrix.data)) if r["Organisation"].startswith("Lebenshilfe")
    ]
    assert row["Entscheidung"].endswith("→ anpassen")


def _engine(run_id: Any) -> subprocess.CompletedProcess[str]:
    """Execute a deployed flow run the way a worker or `steer serve` does: a new process."""
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "PREFECT__FLOW_RUN_ID": str(run_id),
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
    }
    return subprocess.run(
        [sys.executable, "-m", "prefect.engine"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def _run_facts(run_id: Any) -> tuple[Any, list[str], list[tuple[str, str]]]:
    async def read() -> tuple[Any, list[str], list[tuple[str, str]]]:
        async with get_client() as client:
            run = await client.read_flow_run(run_id)
            logs = await client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))
            )
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id]))
            )
            states = [(t.name.rsplit("-", 1)[0], t.state.name if t.state else "") for t in tasks]
            return run.state, [log.message for log in logs], sorted(states)

    import asyncio

    return asyncio.run(read())


def test_a_resumed_deployed_evaluation_skips_its_work_before_the_wait_and_logs_the_decision(
    store: Path,
) -> None:
    deployment_id = evaluation.to_deployment(name="resume-test").apply()
    run = run_deployment(
        deployment_id,
        parameters={
            "config": str(CONFIG),
            "organisation": ORG,
            "period": "2019-H2",
            "source": "feedback-weiterbildung",
        },
        timeout=0,
    )

    first = _engine(run.id)
    state, _, _ = _run_facts(run.id)
    assert state.is_paused(), first.stderr[-3000:]  # suspended: the process has exited
    with common.wiring().uow() as uow:
        before_resume = {
            "evaluated": uow.session.scalars(
                select(func.count())
                .select_from(AuditLogRow)
                .where(AuditLogRow.action == "checkpoint-evaluated")
            ).one(),
            "imports": uow.session.scalars(select(func.count()).select_from(ImportRow)).one(),
            "told": uow.session.scalars(select(func.count()).select_from(NoticeLogRow)).one(),
        }
    assert before_resume["evaluated"] == 1 and before_resume["imports"] == 1

    resume_flow_run(run.id, run_input={"decision": "abbrechen", "comment": "Träger steigt aus"})
    second = _engine(run.id)

    state, logs, tasks = _run_facts(run.id)
    assert state.is_completed(), second.stderr[-3000:]
    with common.wiring().uow() as uow:
        after_resume = {
            "evaluated": uow.session.scalars(
                select(func.count())
                .select_from(AuditLogRow)
                .where(AuditLogRow.action == "checkpoint-evaluated")
            ).one(),
            "imports": uow.session.scalars(select(func.count()).select_from(ImportRow)).one(),
            "told": uow.session.scalars(select(func.count()).select_from(NoticeLogRow)).one(),
        }
        decided = uow.session.execute(
            select(LeadDecisionRow.organisation_id, LeadDecisionRow.decision)
        ).one()
    assert after_resume == before_resume  # nothing imported, evaluated or told again
    assert tuple(decided) == (ORG, "abort")
    assert ("Auswerten und Status bereitstellen", "Cached") in tasks
    assert ("Befragung importieren", "Cached") in tasks
    assert ("Benachrichtigen", "Cached") in tasks
    assert [s for n, s in tasks if n == "Entscheidung speichern"] == ["Completed"]
    assert any("abbrechen" in m and "Träger steigt aus" in m for m in logs), logs
