"""Driver steps and PDCA phases through the services, on the in-memory store (tests/fakes.py).

The programme is config/digital-und-sozial.yaml: lebenshilfe-erfurt selected online platforms
and AI, familienzentrum-suhl only cloud; the built-in gates and the 30-day steps apply. What
the real store keeps of these calls (times, closed cycles) is tested in
tests/integration/test_progress_services.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fakes import FakeDatabase, FakeUnitOfWork
from programmes import demo_definition

from steering.domain.integration import (
    DriverNotSelected,
    StepLocked,
    StepStatus,
    UnknownOrganisation,
)
from steering.domain.pdca import Cycle, GateNotMet, OverrideNeedsReason, PhaseOrderError
from steering.domain.vocabulary import Phase
from steering.services.integration import (
    complete_step,
    ensure_integrations,
    integration_overview,
    tick_subtask,
)
from steering.services.pdca import (
    advance_phase,
    auto_advance,
    phase_status,
    record_evidence,
)

DEFINITION = demo_definition()
PID = DEFINITION.programme.id
ORG = "lebenshilfe-erfurt"
DRIVERS = ("online_platforms", "ai")
NOW = datetime(2020, 1, 15, 10, 0, tzinfo=UTC)
LEAD = "projektleitung"


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def uow(db: FakeDatabase) -> FakeUnitOfWork:
    return FakeUnitOfWork(db)


def step_rows(db: FakeDatabase) -> int:
    return len(db.programme(PID).steps)


def subtask_rows(db: FakeDatabase) -> int:
    return sum(len(row.ticks) for row in db.programme(PID).steps.values())


def complete(
    uow: FakeUnitOfWork,
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


# planning and completing steps ---------------------------------------------------------
def test_ensuring_integrations_plans_every_organisation_and_driver_once(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    pairs = sum(len(o.drivers) for o in DEFINITION.organisations)

    assert ensure_integrations(DEFINITION, uow=uow, today=date(2020, 1, 1)) == pairs
    assert ensure_integrations(DEFINITION, uow=uow, today=date(2020, 2, 1)) == 0

    assert step_rows(db) == pairs * 12
    assert subtask_rows(db) == pairs * 12 * 2
    assert db.actions() == ["integration-planned"] * pairs
    with uow:
        first = uow.progress(PID).steps(ORG)[0]
    assert first.status is StepStatus.OPEN
    assert first.due_date == date(2020, 1, 31)


def test_completing_a_step_is_stored_and_opens_the_next_with_its_due_date(
    uow: FakeUnitOfWork,
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
        steps = {(s.driver, s.step): s for s in uow.progress(PID).steps(ORG)}
    fourth = steps[("online_platforms", 4)]
    assert fourth.status is StepStatus.DONE
    assert fourth.evidence_url == "https://wiki.example/konzept"
    assert fourth.subtasks_done == (True, True)
    assert fourth.done_at == date(2020, 1, 15)
    assert steps[("online_platforms", 5)].status is StepStatus.OPEN
    assert steps[("ai", 2)].status is StepStatus.LOCKED


def test_completing_a_step_twice_changes_nothing_and_audits_once(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    complete(uow, 1, drivers=("ai",))
    before = db.actions()

    again = complete_step(
        DEFINITION, ORG, "ai", 1, evidence_url=None, uow=uow, now=NOW + timedelta(days=3), actor="x"
    )

    assert not again.completed
    assert again.step.done_at == date(2020, 1, 15)
    assert db.actions() == before
    assert before == ["integration-planned", "integration-planned", "step-completed"]


def test_completing_a_step_plans_the_organisation_if_nobody_did(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    complete_step(DEFINITION, ORG, "ai", 1, evidence_url=None, uow=uow, now=NOW, actor="gf")

    assert step_rows(db) == 2 * 12


def test_a_locked_step_an_unknown_organisation_and_an_unselected_driver_are_refused(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    with pytest.raises(StepLocked):
        complete_step(DEFINITION, ORG, "ai", 5, evidence_url=None, uow=uow, now=NOW, actor="x")
    with pytest.raises(UnknownOrganisation):
        complete_step(
            DEFINITION, "nirgendwo", "ai", 1, evidence_url=None, uow=uow, now=NOW, actor="x"
        )
    with pytest.raises(DriverNotSelected):
        complete_step(DEFINITION, ORG, "cloud", 1, evidence_url=None, uow=uow, now=NOW, actor="x")

    assert db.actions() == []
    assert step_rows(db) == 0


def test_a_ticked_subtask_is_kept_and_the_others_stay_open(uow: FakeUnitOfWork) -> None:
    state = tick_subtask(DEFINITION, ORG, "ai", 1, 0, uow=uow, now=NOW, actor="gf")

    assert state.subtasks_done == (True, False)
    with uow:
        first = uow.progress(PID).steps(ORG)[0]
    assert (first.driver, first.step, first.subtasks_done) == ("ai", 1, (True, False))


def test_the_overview_shows_progress_the_open_step_and_what_is_overdue(
    uow: FakeUnitOfWork,
) -> None:
    ensure_integrations(DEFINITION, uow=uow, today=date(2020, 1, 1))
    complete(uow, 2, drivers=("online_platforms",))

    overview = integration_overview(DEFINITION, uow=uow, today=date(2020, 2, 10))

    rows = {(r.organisation_id, r.driver): r for r in overview}
    assert len(rows) == sum(len(o.drivers) for o in DEFINITION.organisations)
    online, ai = rows[(ORG, "online_platforms")], rows[(ORG, "ai")]
    assert (online.done, online.total) == (2, 12)
    assert [(s.step, s.due_date) for s in online.open] == [(3, date(2020, 2, 14))]
    assert online.overdue == []
    assert (ai.done, [s.step for s in ai.overdue]) == (0, [1])


# evidence and phases -------------------------------------------------------------------
def test_evidence_is_recorded_once_in_the_current_cycle(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    first = record_evidence(
        DEFINITION,
        ORG,
        "strategy_document",
        "https://x.example/strategie.pdf",
        uow=uow,
        now=NOW,
        actor="gf",
    )
    again = record_evidence(
        DEFINITION,
        ORG,
        "strategy_document",
        "https://x.example/strategie.pdf",
        uow=uow,
        now=NOW,
        actor="gf",
    )

    assert (first.cycle, first.recorded, again.recorded) == (1, True, False)
    assert len(db.programme(PID).evidence) == 1
    assert db.actions() == ["evidence-recorded"]


def test_the_status_of_an_organisation_without_a_cycle_is_plan_of_cycle_1(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    view = phase_status(DEFINITION, ORG, uow=uow)

    assert view.cycle == Cycle(1, Phase.PLAN)
    assert view.phase_title.startswith("Plan – ")
    assert not view.gate.met
    assert view.gate.missing[0] == (
        "Schritt 1 (Bedarfsanalyse und Zielsetzung) für Treiber Online-Plattformen nicht erledigt"
    )
    assert view.gate.missing[-1] == "Nachweis 'strategy_document' fehlt"
    assert view.history == []
    assert db.programme(PID).cycles == []


def test_an_unmet_gate_blocks_advancing_and_stores_nothing(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    complete(uow, 4)

    with pytest.raises(GateNotMet, match="Nachweis 'strategy_document' fehlt"):
        advance_phase(
            DEFINITION, ORG, to="do", reason="", actor=LEAD, override=False, uow=uow, now=NOW
        )
    with pytest.raises(OverrideNeedsReason):
        advance_phase(
            DEFINITION, ORG, to="do", reason=" ", actor=LEAD, override=True, uow=uow, now=NOW
        )

    assert db.programme(PID).transitions == []
    assert phase_status(DEFINITION, ORG, uow=uow).cycle == Cycle(1, Phase.PLAN)


def test_advancing_keeps_the_history_who_when_and_why(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    complete(uow, 4)
    record_evidence(
        DEFINITION, ORG, "strategy_document", "Strategie.pdf", uow=uow, now=NOW, actor="gf"
    )
    at = NOW + timedelta(days=1)

    transition = advance_phase(
        DEFINITION,
        ORG,
        to="do",
        reason="Strategie beschlossen",
        actor=LEAD,
        override=False,
        uow=uow,
        now=at,
    )

    assert transition is not None
    view = phase_status(DEFINITION, ORG, uow=uow)
    assert view.cycle == Cycle(1, Phase.DO)
    assert [
        (h.from_phase, h.to_phase, h.actor, h.reason, h.at, h.override) for h in view.history
    ] == [(Phase.PLAN, Phase.DO, LEAD, "Strategie beschlossen", at, False)]
    assert view.history[0].at.tzinfo is not None
    assert {"requirement": "evidence", "kind": "strategy_document", "met": True} in (
        view.history[0].evidence
    )
    assert db.actions()[-1] == "phase-advanced"


def test_an_override_with_a_reason_is_kept_in_the_history(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    transition = advance_phase(
        DEFINITION,
        ORG,
        to="do",
        reason="Teilstrategie genügt",
        actor=LEAD,
        override=True,
        uow=uow,
        now=NOW,
    )

    assert transition is not None and transition.override
    history = phase_status(DEFINITION, ORG, uow=uow).history
    assert [(h.override, h.reason) for h in history] == [(True, "Teilstrategie genügt")]
    (advanced,) = (e for e in db.audit_log if e.action == "phase-advanced")
    assert advanced.details["override"] is True


def test_skipping_a_phase_is_refused_and_repeating_an_advance_changes_nothing(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    with pytest.raises(PhaseOrderError, match="nicht übersprungen"):
        advance_phase(
            DEFINITION, ORG, to="check", reason="Eile", actor=LEAD, override=True, uow=uow, now=NOW
        )
    advance_phase(
        DEFINITION, ORG, to="do", reason="Start", actor=LEAD, override=True, uow=uow, now=NOW
    )

    again = advance_phase(
        DEFINITION, ORG, to="do", reason="Start", actor=LEAD, override=True, uow=uow, now=NOW
    )

    assert again is None
    assert len(db.programme(PID).transitions) == 1


def test_auto_advance_moves_only_organisations_whose_gate_is_met_one_phase_at_a_time(
    db: FakeDatabase, uow: FakeUnitOfWork
) -> None:
    complete(uow, 8)
    record_evidence(
        DEFINITION, ORG, "strategy_document", "Strategie.pdf", uow=uow, now=NOW, actor="gf"
    )

    first = auto_advance(DEFINITION, uow=uow, now=NOW)
    second = auto_advance(DEFINITION, uow=uow, now=NOW + timedelta(hours=1))
    third = auto_advance(DEFINITION, uow=uow, now=NOW + timedelta(hours=2))

    assert [(t.organisation_id, t.from_phase, t.to_phase) for t in first] == [
        (ORG, Phase.PLAN, Phase.DO)
    ]
    assert [(t.organisation_id, t.from_phase, t.to_phase) for t in second] == [
        (ORG, Phase.DO, Phase.CHECK)
    ]
    assert third == []
    assert first[0].actor == "pdca-cycle"
    assert first[0].reason == "Übergangskriterien erfüllt (automatisch)"
    active = [o for o in DEFINITION.organisations if o.active]
    assert len(db.programme(PID).cycles) == len(active)


def test_leaving_act_starts_cycle_2_where_the_plan_steps_and_strategy_are_needed_again(
    db: FakeDatabase, uow: FakeUnitOfWork
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
    assert [(c.number, c.phase) for c in db.programme(PID).cycles] == [(1, "act"), (2, "plan")]
