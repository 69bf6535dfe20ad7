"""The in-memory store of tests/fakes.py answers as the real one: same calls, same answers.

Service tests run on the fake (tests/unit); this runs one story of steps, ticks, evidence and
phases through the services on both and compares what the progress port reads back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes import FakeDatabase, FakeUnitOfWork
from programmes import demo_definition

from steering.adapters.db.uow import SqlUnitOfWork
from steering.ports.store import UnitOfWork
from steering.services.integration import complete_step, ensure_integrations, tick_subtask
from steering.services.pdca import advance_phase, auto_advance, record_evidence

DEFINITION = demo_definition()
PID = DEFINITION.programme.id
ORG = "lebenshilfe-erfurt"
NOW = datetime(2020, 1, 15, 10, 0, tzinfo=UTC)


def story(uow: UnitOfWork) -> dict[str, Any]:
    """Plan, complete, tick, prove and advance; then read everything back through the port."""
    ensure_integrations(DEFINITION, uow=uow, today=NOW.date())
    for driver in ("online_platforms", "ai"):
        for step in range(1, 13):
            complete_step(
                DEFINITION, ORG, driver, step, evidence_url=None, uow=uow, now=NOW, actor="gf"
            )
    tick_subtask(DEFINITION, "kinderhaus-weimar", "cloud", 1, 1, uow=uow, now=NOW, actor="gf")
    for kind in ("strategy_document", "evaluation", "recommendations"):
        record_evidence(DEFINITION, ORG, kind, f"{kind}.pdf", uow=uow, now=NOW, actor="gf")
    moved = [auto_advance(DEFINITION, uow=uow, now=NOW + timedelta(hours=h)) for h in range(4)]
    advance_phase(
        DEFINITION, ORG, to="plan", reason="", actor="lead", override=False, uow=uow, now=NOW
    )
    orgs = [o.id for o in DEFINITION.organisations]
    with uow:
        store = uow.progress(PID)
        return {
            "moved": [[(t.organisation_id, t.to_phase) for t in run] for run in moved],
            "steps": store.steps_by_organisation(orgs),
            "first pass": store.steps(ORG, cycle=1),
            "passes": {org: store.step_passes(org) for org in orgs},
            "planned": store.planned_drivers(),
            "cycles": store.newest_cycles(orgs),
            "starts": store.phase_starts(orgs),
            "evidence": store.evidence_kinds_by_cycle(orgs),
            "transitions": store.transitions(ORG),
            "active": uow.repo.active_organisation_ids(PID),
        }


def test_the_fake_store_reads_back_what_the_real_store_reads_back(
    sqlite_uow: SqlUnitOfWork,
) -> None:
    real, fake = story(sqlite_uow), story(FakeUnitOfWork(FakeDatabase()))

    assert fake == real
    assert real["moved"][0] and real["transitions"]  # the story did move someone


@pytest.mark.parametrize("backend", ["fake", "sqlite"])
def test_leaving_a_unit_of_work_without_commit_keeps_nothing(
    backend: str, request: pytest.FixtureRequest
) -> None:
    uow: UnitOfWork = (
        FakeUnitOfWork(FakeDatabase())
        if backend == "fake"
        else request.getfixturevalue("sqlite_uow")
    )
    with uow:
        uow.repo.sync_organisations(PID, DEFINITION.organisations, NOW)
        uow.commit()
        uow.progress(PID).current_cycle(ORG, now=NOW)

    with uow:
        assert uow.progress(PID).find_cycle(ORG) is None
        assert uow.repo.knows_organisations(PID, [ORG])
