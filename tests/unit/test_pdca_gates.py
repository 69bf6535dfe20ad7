"""PDCA phase gates: a phase is left only when its exit gate is met, or overridden with a reason.

Unless a case says otherwise the organisation 'lebenshilfe-erfurt' selected the drivers
online platforms and cloud and the built-in gates apply: plan -> do needs steps 1-4 of each
driver and a strategy_document, do -> check steps 5-8, check -> act step 9 and an
evaluation, act -> plan steps 10-12 and recommendations.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import StepState, complete_step, plan_integration
from steering.domain.pdca import (
    Cycle,
    GateNotMet,
    GateStatus,
    OverrideNeedsReason,
    PhaseOrderError,
    UnknownPhase,
    advance,
    advance_to,
    gate_status,
    next_phase,
    parse_phase,
)
from steering.domain.vocabulary import Phase

ORG = "lebenshilfe-erfurt"
START = date(2020, 1, 1)
AT = datetime(2020, 3, 2, 9, 30, tzinfo=UTC)


def programme(drivers: tuple[str, ...] = ("online_platforms", "cloud")) -> ProgrammeDefinition:
    """A programme with one organisation that selected `drivers`."""
    data: dict[str, Any] = {
        "programme": {"id": "test", "title": "Test", "lead": "leitung", "periods": ["2020-H1"]},
        "people": [
            {"id": "leitung", "name": "Leitung", "role": "project_lead", "email": "l@x.example"},
            {"id": "gf", "name": "Geschäftsführung", "email": "gf@x.example"},
        ],
        "organisations": [
            {
                "id": ORG,
                "name": "Lebenshilfe Erfurt",
                "state": "TH",
                "experiment_fields": ["leistungserbringung"],
                "owners": ["gf"],
                "drivers": list(drivers),
            }
        ],
    }
    return ProgrammeDefinition.model_validate(data)


DEFINITION = programme()


def steps_done(
    through: int,
    drivers: tuple[str, ...] = ("online_platforms", "cloud"),
    definition: ProgrammeDefinition = DEFINITION,
) -> list[StepState]:
    """Step states with steps 1..`through` done for each of `drivers`."""
    states = plan_integration(definition, ORG, START)
    for driver in drivers:
        for number in range(1, through + 1):
            states, _ = complete_step(
                states, driver, number, on=START, template=definition.driver_integration
            )
    return states


def gate(
    phase: Phase,
    steps: list[StepState],
    evidence: set[str] | None = None,
    *,
    cycle: int = 1,
    lang: str = "de",
    definition: ProgrammeDefinition = DEFINITION,
) -> GateStatus:
    return gate_status(definition, ORG, Cycle(cycle, phase), steps, evidence or set(), lang=lang)


# plan -> do ----------------------------------------------------------------------------
def test_plan_is_not_left_before_any_step_is_done() -> None:
    status = gate(Phase.PLAN, steps_done(0), {"strategy_document"})

    assert not status.met
    assert status.next_phase is Phase.DO
    assert len(status.missing) == 8
    assert status.missing[2] == (
        "Schritt 3 (Stakeholder*innen-Engagement) für Treiber Online-Plattformen nicht erledigt"
    )


def test_plan_needs_steps_1_to_4_of_each_selected_driver() -> None:
    only_online = steps_done(4, drivers=("online_platforms",))

    status = gate(Phase.PLAN, only_online, {"strategy_document"})

    assert not status.met
    assert status.missing == [
        "Schritt 1 (Bedarfsanalyse und Zielsetzung) für Treiber Cloud nicht erledigt",
        "Schritt 2 (Markt- und Technologierecherche) für Treiber Cloud nicht erledigt",
        "Schritt 3 (Stakeholder*innen-Engagement) für Treiber Cloud nicht erledigt",
        "Schritt 4 (Konzeptentwicklung) für Treiber Cloud nicht erledigt",
    ]


def test_plan_needs_a_strategy_document_besides_the_steps() -> None:
    status = gate(Phase.PLAN, steps_done(4))

    assert not status.met
    assert status.missing == ["Nachweis 'strategy_document' fehlt"]


def test_plan_is_left_with_steps_1_to_4_of_every_driver_and_a_strategy_document() -> None:
    status = gate(Phase.PLAN, steps_done(4), {"strategy_document"})

    assert status.met
    assert status.missing == []


def test_missing_items_are_readable_in_english() -> None:
    status = gate(Phase.PLAN, steps_done(3), lang="en")

    assert status.missing == [
        "Step 4 (Konzeptentwicklung) for driver Online platforms not done",
        "Step 4 (Konzeptentwicklung) for driver Cloud not done",
        "Evidence 'strategy_document' missing",
    ]


def test_an_organisation_without_drivers_needs_only_the_evidence() -> None:
    definition = programme(())

    assert not gate(Phase.PLAN, [], definition=definition).met
    assert gate(Phase.PLAN, [], {"strategy_document"}, definition=definition).met


# do -> check -> act -> plan ------------------------------------------------------------
def test_do_is_left_with_steps_5_to_8_and_needs_no_evidence() -> None:
    assert not gate(Phase.DO, steps_done(7)).met
    assert gate(Phase.DO, steps_done(8)).met


def test_check_needs_step_9_and_an_evaluation() -> None:
    assert gate(Phase.CHECK, steps_done(9)).missing == ["Nachweis 'evaluation' fehlt"]
    assert gate(Phase.CHECK, steps_done(9), {"evaluation"}).met


def test_act_needs_steps_10_to_12_and_recommendations() -> None:
    status = gate(Phase.ACT, steps_done(11), {"evaluation"}, cycle=1)

    assert status.next_phase is Phase.PLAN
    assert status.missing == [
        "Schritt 12 (Dokumentation und Wissensaustausch) für Treiber Online-Plattformen "
        "nicht erledigt",
        "Schritt 12 (Dokumentation und Wissensaustausch) für Treiber Cloud nicht erledigt",
        "Nachweis 'recommendations' fehlt",
    ]
    assert gate(Phase.ACT, steps_done(12), {"recommendations"}).met


def test_leaving_act_starts_the_next_cycle_in_plan() -> None:
    cycle = Cycle(1, Phase.ACT)
    status = gate(Phase.ACT, steps_done(12), {"recommendations"})

    new_cycle, transition = advance(cycle, status, actor="projektleitung", reason="", at=AT)

    assert new_cycle == Cycle(2, Phase.PLAN)
    assert transition.cycle == 1
    assert transition.starts_cycle


@pytest.mark.parametrize(
    ("phase", "following"),
    [
        (Phase.PLAN, Phase.DO),
        (Phase.DO, Phase.CHECK),
        (Phase.CHECK, Phase.ACT),
        (Phase.ACT, Phase.PLAN),
    ],
)
def test_phases_follow_each_other_in_a_circle(phase: Phase, following: Phase) -> None:
    assert next_phase(phase) is following


# transitions ---------------------------------------------------------------------------
def test_a_transition_records_who_when_why_and_what_the_gate_checked() -> None:
    cycle = Cycle(1, Phase.PLAN)
    status = gate(Phase.PLAN, steps_done(4), {"strategy_document"})

    new_cycle, transition = advance(
        cycle, status, actor="projektleitung", reason="Strategie beschlossen", at=AT
    )

    assert new_cycle == Cycle(1, Phase.DO)
    assert (transition.from_phase, transition.to_phase) == (Phase.PLAN, Phase.DO)
    assert (transition.actor, transition.reason, transition.at) == (
        "projektleitung",
        "Strategie beschlossen",
        AT,
    )
    assert transition.override is False
    assert transition.organisation_id == ORG
    assert {"requirement": "step", "driver": "cloud", "step": 4, "met": True} in (
        transition.evidence
    )
    assert transition.evidence[-1] == {
        "requirement": "evidence",
        "kind": "strategy_document",
        "met": True,
    }


def test_an_unmet_gate_blocks_the_transition() -> None:
    status = gate(Phase.PLAN, steps_done(4))

    with pytest.raises(GateNotMet) as refused:
        advance(Cycle(1, Phase.PLAN), status, actor="projektleitung", reason="", at=AT)

    assert str(refused.value) == (
        "Übergang von Plan nach Do nicht möglich, es fehlt: Nachweis 'strategy_document' fehlt"
    )
    assert refused.value.missing == ["Nachweis 'strategy_document' fehlt"]


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(reason: str) -> None:
    status = gate(Phase.PLAN, steps_done(0))

    with pytest.raises(OverrideNeedsReason, match="braucht eine Begründung"):
        advance(
            Cycle(1, Phase.PLAN),
            status,
            actor="projektleitung",
            reason=reason,
            at=AT,
            override=True,
        )


def test_an_override_with_a_reason_passes_an_unmet_gate_and_is_recorded_as_such() -> None:
    status = gate(Phase.PLAN, steps_done(2))

    new_cycle, transition = advance(
        Cycle(1, Phase.PLAN),
        status,
        actor="projektleitung",
        reason="Teilstrategie reicht für die Erprobung",
        at=AT,
        override=True,
    )

    assert new_cycle.phase is Phase.DO
    assert transition.override is True
    assert transition.reason == "Teilstrategie reicht für die Erprobung"
    assert {"requirement": "evidence", "kind": "strategy_document", "met": False} in (
        transition.evidence
    )


def test_an_override_of_a_met_gate_is_not_recorded_as_an_override() -> None:
    status = gate(Phase.DO, steps_done(8))

    _, transition = advance(
        Cycle(1, Phase.DO), status, actor="projektleitung", reason="x", at=AT, override=True
    )

    assert transition.override is False


def test_a_transition_needs_an_aware_timestamp() -> None:
    status = gate(Phase.DO, steps_done(8))

    with pytest.raises(ValueError, match="aware"):
        advance(Cycle(1, Phase.DO), status, actor="x", reason="", at=datetime(2020, 3, 2))


def test_the_gate_must_belong_to_the_cycle_it_is_used_for() -> None:
    status = gate(Phase.DO, steps_done(8))

    with pytest.raises(ValueError, match="does not fit"):
        advance(Cycle(1, Phase.PLAN), status, actor="x", reason="", at=AT)


# advancing to a named phase ------------------------------------------------------------
def test_advancing_to_the_next_phase_by_name_is_allowed() -> None:
    status = gate(Phase.PLAN, steps_done(4), {"strategy_document"})

    new_cycle, _ = advance_to(
        Cycle(1, Phase.PLAN), Phase.DO, status, actor="projektleitung", reason="", at=AT
    )

    assert new_cycle == Cycle(1, Phase.DO)


def test_skipping_a_phase_is_refused_even_with_an_override() -> None:
    status = gate(Phase.PLAN, steps_done(12), {"strategy_document"})

    with pytest.raises(PhaseOrderError) as refused:
        advance_to(
            Cycle(1, Phase.PLAN),
            Phase.CHECK,
            status,
            actor="projektleitung",
            reason="Eile",
            at=AT,
            override=True,
        )

    assert str(refused.value) == (
        "Von Plan geht es nur nach Do, nicht nach Check: Phasen werden nicht übersprungen"
    )


def test_going_back_to_an_earlier_phase_is_refused() -> None:
    status = gate(Phase.CHECK, steps_done(9), {"evaluation"})

    with pytest.raises(PhaseOrderError, match="nur nach Act, nicht nach Do"):
        advance_to(Cycle(1, Phase.CHECK), Phase.DO, status, actor="x", reason="", at=AT)


def test_advancing_to_the_current_phase_is_refused() -> None:
    status = gate(Phase.DO, steps_done(8))

    with pytest.raises(PhaseOrderError, match="bereits in Phase Do"):
        advance_to(Cycle(1, Phase.DO), Phase.DO, status, actor="x", reason="", at=AT)


@pytest.mark.parametrize(("text", "phase"), [("do", Phase.DO), (" Check ", Phase.CHECK)])
def test_a_phase_is_named_in_any_case(text: str, phase: Phase) -> None:
    assert parse_phase(text) is phase


def test_an_unknown_phase_name_is_refused() -> None:
    with pytest.raises(UnknownPhase, match="Unbekannte Phase 'review' \\(erlaubt: plan, do"):
        parse_phase("review")
