"""What the real store keeps of driver steps and PDCA phases: times, ticks, closed cycles.

The services' rules run on the in-memory store in tests/unit/test_steps_and_phases.py;
these tests check what SQLite stores of the same calls.

The programme is config/digital-und-sozial.yaml: lebenshilfe-erfurt selected online platforms
and AI, familienzentrum-suhl only cloud; the built-in gates and the 30-day steps apply.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from programmes import demo_definition
from sqlalchemy import select

from steering.adapters.db.models import PdcaCycleRow, StepProgressRow, SubtaskStatusRow
from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.integration import StepStatus
from steering.domain.pdca import Cycle
from steering.domain.vocabulary import Phase
from steering.services.integration import complete_step, ensure_integrations, tick_subtask
from steering.services.pdca import advance_phase, phase_status, record_evidence

DEFINITION = demo_definition()
ORG = "lebenshilfe-erfurt"
DRIVERS = ("online_platforms", "ai")
NOW = datetime(2020, 1, 15, 10, 0, tzinfo=UTC)
LEAD = "projektleitung"


@pytest.fixture
def uow(sqlite_uow: SqlUnitOfWork) -> SqlUnitOfWork:
    return sqlite_uow


def complete(
    uow: SqlUnitOfWork,
    through: int,
    *,
    org: str = ORG,
    drivers: tuple[str, ...] = DRIVERS,
    now: datetime = NOW,
) -> None:
    for driver in drivers:
        for step in range(1, through + 1):
            complete_step(
                DEFINITION, org, driver, step, evidence_url=None, uow=uow, now=now, actor="gf"
            )


def test_completing_a_step_is_stored_and_opens_the_next_with_its_due_date(
    uow: SqlUnitOfWork,
) -> None:
    ensure_integrations(DEFINITION, uow=uow, today=date(2020, 1, 1))
    complete(uow, 3, drivers=("online_platforms",))

    outcome = complete_step(
        DEFINITION,
        ORG,
        "online_platforms",
        4,
        evidence_url="https://wiki.example/konzept",
        uow=uow,
        now=NOW,
        actor="gf-lebenshilfe",
    )

    assert outcome.completed
    assert outcome.opened is not None
    assert (outcome.opened.step, outcome.opened.due_date) == (5, date(2020, 2, 14))
    assert (outcome.done, outcome.total) == (4, 12)
    with uow:
        steps = {
            (s.driver, s.step): s
            for s in ProgressRepository(uow.session, DEFINITION.programme.id).steps(ORG)
        }
        done_at = uow.session.scalars(
            select(StepProgressRow.done_at).where(
                StepProgressRow.organisation_id == ORG,
                StepProgressRow.driver == "online_platforms",
                StepProgressRow.step == 4,
            )
        ).one()
    fourth = steps[("online_platforms", 4)]
    assert fourth.status is StepStatus.DONE
    assert fourth.evidence_url == "https://wiki.example/konzept"
    assert fourth.subtasks_done == (True, True)
    assert fourth.done_at == date(2020, 1, 15)
    assert done_at == NOW
    assert done_at is not None and done_at.tzinfo is not None
    assert steps[("online_platforms", 5)].status is StepStatus.OPEN
    assert steps[("ai", 2)].status is StepStatus.LOCKED


def test_ticked_subtasks_are_stored_with_their_time(uow: SqlUnitOfWork) -> None:
    state = tick_subtask(DEFINITION, ORG, "ai", 1, 0, uow=uow, now=NOW, actor="gf")

    assert state.subtasks_done == (True, False)
    with uow:
        ticked = [
            (t.driver, t.step, t.subtask_index, t.done_at)
            for t in uow.session.scalars(
                select(SubtaskStatusRow).where(SubtaskStatusRow.done.is_(True))
            )
        ]
    assert ticked == [("ai", 1, 0, NOW)]


def test_leaving_act_starts_cycle_2_where_the_plan_steps_and_strategy_are_needed_again(
    uow: SqlUnitOfWork,
) -> None:
    complete(uow, 12)
    for kind in ("strategy_document", "evaluation", "recommendations"):
        record_evidence(DEFINITION, ORG, kind, f"{kind}.pdf", uow=uow, now=NOW, actor="gf")
    for target in ("do", "check", "act"):
        advance_phase(
            DEFINITION, ORG, to=target, reason="", actor=LEAD, override=False, uow=uow, now=NOW
        )

    transition = advance_phase(
        DEFINITION,
        ORG,
        to="plan",
        reason="Zyklus abgeschlossen",
        actor=LEAD,
        override=False,
        uow=uow,
        now=NOW + timedelta(days=1),
    )

    assert transition is not None and transition.starts_cycle
    view = phase_status(DEFINITION, ORG, uow=uow)
    assert view.cycle == Cycle(2, Phase.PLAN)
    plan_steps = [f"Schritt {n} " for driver in DRIVERS for n in range(1, 5)]
    assert [m[: len(p)] for m, p in zip(view.gate.missing, plan_steps, strict=False)] == plan_steps
    assert view.gate.missing[len(plan_steps) :] == ["Nachweis 'strategy_document' fehlt"]
    assert [(h.cycle, h.to_phase) for h in view.history] == [
        (1, Phase.DO),
        (1, Phase.CHECK),
        (1, Phase.ACT),
        (1, Phase.PLAN),
    ]
    with uow:
        cycles = uow.session.scalars(select(PdcaCycleRow).order_by(PdcaCycleRow.number)).all()
        assert [(c.number, c.phase, c.closed_at) for c in cycles] == [
            (1, "act", NOW + timedelta(days=1)),
            (2, "plan", None),
        ]
