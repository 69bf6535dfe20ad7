"""The 12-step driver integration: steps open one after the other, each with its own due date.

Unless a case says otherwise the organisation 'lebenshilfe-erfurt' selected the drivers
online platforms and cloud, the built-in template applies (sequential, 30 days per step) and
the integration starts on 2020-01-01.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import (
    DriverNotSelected,
    ProgressFigures,
    StepAssigned,
    StepCompleted,
    StepLocked,
    StepOpened,
    StepState,
    StepStatus,
    SubtaskTicked,
    UnknownDriver,
    UnknownOrganisation,
    UnknownStep,
    assign_step,
    complete_step,
    overdue,
    parse_driver,
    phase_steps,
    plan_integration,
    planned_due_dates,
    progress,
    progress_figures,
    selected_driver,
    step_phase,
    tick_subtask,
)
from steering.domain.templates import DEFAULT_DRIVER_INTEGRATION
from steering.domain.vocabulary import Phase

ORG = "lebenshilfe-erfurt"
START = date(2020, 1, 1)


def programme(
    drivers: tuple[str, ...] = ("online_platforms", "cloud"), *, sequential: bool = True
) -> ProgrammeDefinition:
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
        "driver_integration": {**DEFAULT_DRIVER_INTEGRATION, "sequential": sequential},
    }
    return ProgrammeDefinition.model_validate(data)


DEFINITION = programme()
TEMPLATE = DEFINITION.driver_integration


def state(states: list[StepState], driver: str, step: int) -> StepState:
    return next(s for s in states if s.driver == driver and s.step == step)


def complete_through(
    states: list[StepState], driver: str, last: int, on: date = START
) -> list[StepState]:
    for number in range(1, last + 1):
        states, _ = complete_step(states, driver, number, on=on, template=TEMPLATE)
    return states


# planning ------------------------------------------------------------------------------
def test_planning_lays_out_twelve_steps_for_each_selected_driver_without_a_step_owner() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    assert len(states) == 24
    assert {s.driver for s in states} == {"online_platforms", "cloud"}
    assert all(s.owner is None for s in states)  # the organisation's owners until assigned
    assert all(s.subtasks_done == (False, False) for s in states)


def test_planning_opens_step_1_with_a_due_date_after_its_duration_and_locks_the_rest() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    first = state(states, "cloud", 1)
    assert first.status is StepStatus.OPEN
    assert first.due_date == date(2020, 1, 31)
    later = [s for s in states if s.step > 1]
    assert all(s.status is StepStatus.LOCKED and s.due_date is None for s in later)


def test_planning_a_non_sequential_integration_opens_every_step_at_once() -> None:
    states = plan_integration(programme(sequential=False), ORG, START)

    assert all(s.status is StepStatus.OPEN for s in states)
    assert all(s.due_date == START + timedelta(days=30) for s in states)


def test_planning_for_an_unknown_organisation_is_refused() -> None:
    with pytest.raises(UnknownOrganisation, match="Unbekannte Organisation 'nirgendwo'"):
        plan_integration(DEFINITION, "nirgendwo", START)


def test_an_organisation_without_drivers_has_nothing_to_integrate() -> None:
    assert plan_integration(programme(()), ORG, START) == []


# completing steps ----------------------------------------------------------------------
def test_completing_a_step_opens_the_next_due_after_its_own_duration() -> None:
    states = complete_through(plan_integration(DEFINITION, ORG, START), "online_platforms", 3)

    states, events = complete_step(
        states, "online_platforms", 4, on=date(2020, 1, 15), template=TEMPLATE
    )

    assert state(states, "online_platforms", 4).status is StepStatus.DONE
    assert state(states, "online_platforms", 4).done_at == date(2020, 1, 15)
    fifth = state(states, "online_platforms", 5)
    assert fifth.status is StepStatus.OPEN
    assert fifth.due_date == date(2020, 2, 14)
    assert events == [
        StepCompleted("online_platforms", 4, date(2020, 1, 15), None),
        StepOpened("online_platforms", 5, date(2020, 2, 14)),
    ]


def test_completing_a_step_leaves_the_other_drivers_untouched() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    after, _ = complete_step(states, "cloud", 1, on=START, template=TEMPLATE)

    assert [s for s in after if s.driver == "online_platforms"] == [
        s for s in states if s.driver == "online_platforms"
    ]


def test_completing_a_step_ticks_all_its_subtasks_and_keeps_the_evidence() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    states, _ = complete_step(
        states, "cloud", 1, on=START, template=TEMPLATE, evidence_url="https://x.example/1"
    )

    first = state(states, "cloud", 1)
    assert first.subtasks_done == (True, True)
    assert first.evidence_url == "https://x.example/1"


def test_completing_a_locked_step_is_refused_with_a_german_message() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    with pytest.raises(StepLocked) as refused:
        complete_step(states, "cloud", 3, on=START, template=TEMPLATE)

    assert str(refused.value) == (
        "Schritt 3 für Treiber Cloud ist noch gesperrt: zuerst Schritt 2 erledigen"
    )
    assert refused.value.text("en").startswith("Step 3 for driver Cloud is still locked")


def test_completing_a_done_step_again_changes_nothing() -> None:
    states = complete_through(plan_integration(DEFINITION, ORG, START), "cloud", 2)

    again, events = complete_step(states, "cloud", 2, on=date(2020, 3, 1), template=TEMPLATE)

    assert again == states
    assert events == []


def test_completing_the_last_step_opens_nothing_further() -> None:
    states = complete_through(plan_integration(DEFINITION, ORG, START), "cloud", 11)

    states, events = complete_step(states, "cloud", 12, on=START, template=TEMPLATE)

    assert progress(states, "cloud") == (12, 12)
    assert events == [StepCompleted("cloud", 12, START, None)]


@pytest.mark.parametrize("step", [0, 13, -1])
def test_completing_a_step_outside_the_template_is_refused(step: int) -> None:
    states = plan_integration(DEFINITION, ORG, START)

    with pytest.raises(UnknownStep, match=f"Schritt {step} gibt es .* nicht \\(1 bis 12\\)"):
        complete_step(states, "cloud", step, on=START, template=TEMPLATE)


def test_completing_a_step_of_a_driver_the_organisation_did_not_select_is_refused() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    with pytest.raises(DriverNotSelected, match="Robotik"):
        complete_step(states, "robotics", 1, on=START, template=TEMPLATE)


def test_completing_a_step_of_an_unknown_driver_is_refused() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    with pytest.raises(UnknownDriver, match="Unbekannter Treiber 'blockchain'"):
        complete_step(states, "blockchain", 1, on=START, template=TEMPLATE)


def test_in_a_non_sequential_integration_steps_are_done_in_any_order() -> None:
    definition = programme(sequential=False)
    states = plan_integration(definition, ORG, START)

    states, events = complete_step(
        states, "cloud", 9, on=START, template=definition.driver_integration
    )

    assert state(states, "cloud", 9).status is StepStatus.DONE
    assert events == [StepCompleted("cloud", 9, START, None)]
    assert state(states, "cloud", 10).due_date == START + timedelta(days=30)


def test_states_are_frozen_values() -> None:
    first = plan_integration(DEFINITION, ORG, START)[0]

    with pytest.raises(dataclasses.FrozenInstanceError):
        first.status = StepStatus.DONE  # type: ignore[misc]


# drivers -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["online_platforms", "Online-Plattformen", "online platforms"])
def test_a_driver_may_be_named_by_its_id_or_its_label(text: str) -> None:
    assert parse_driver(text) == "online_platforms"


def test_a_driver_the_organisation_did_not_select_is_named_in_the_refusal() -> None:
    organisation = DEFINITION.organisation(ORG)

    assert selected_driver(organisation, "Cloud") == "cloud"
    with pytest.raises(DriverNotSelected) as refused:
        selected_driver(organisation, "ai")
    assert str(refused.value) == (
        "lebenshilfe-erfurt hat den Treiber Künstliche Intelligenz nicht ausgewählt "
        "(ausgewählt: online_platforms, cloud)"
    )


# sub-tasks -----------------------------------------------------------------------------
def test_ticking_a_subtask_marks_only_that_subtask() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    states, events = tick_subtask(states, "cloud", 1, 1, START)

    assert state(states, "cloud", 1).subtasks_done == (False, True)
    assert state(states, "cloud", 1).status is StepStatus.OPEN
    assert events == [SubtaskTicked("cloud", 1, 1, START)]


def test_a_step_whose_subtasks_are_all_ticked_may_be_completed() -> None:
    states = plan_integration(DEFINITION, ORG, START)
    states, _ = tick_subtask(states, "cloud", 1, 0, START)
    states, _ = tick_subtask(states, "cloud", 1, 1, START)
    assert state(states, "cloud", 1).subtasks_complete

    states, _ = complete_step(states, "cloud", 1, on=START, template=TEMPLATE)

    assert state(states, "cloud", 1).status is StepStatus.DONE


def test_ticking_a_subtask_twice_changes_nothing() -> None:
    states, _ = tick_subtask(plan_integration(DEFINITION, ORG, START), "cloud", 1, 0, START)

    again, events = tick_subtask(states, "cloud", 1, 0, START)

    assert again == states
    assert events == []


def test_ticking_a_subtask_of_a_locked_step_is_refused() -> None:
    with pytest.raises(StepLocked):
        tick_subtask(plan_integration(DEFINITION, ORG, START), "cloud", 2, 0, START)


def test_ticking_a_subtask_that_does_not_exist_is_refused() -> None:
    with pytest.raises(UnknownStep, match="keine Teilaufgabe 3 \\(2 Teilaufgaben\\)"):
        tick_subtask(plan_integration(DEFINITION, ORG, START), "cloud", 1, 2, START)


# progress and overdue ------------------------------------------------------------------
def test_progress_counts_the_done_steps_of_one_driver() -> None:
    states = complete_through(plan_integration(DEFINITION, ORG, START), "cloud", 5)

    assert progress(states, "cloud") == (5, 12)
    assert progress(states, "online_platforms") == (0, 12)


def test_an_open_step_is_overdue_only_after_its_due_date() -> None:
    states = plan_integration(DEFINITION, ORG, START)
    due = date(2020, 1, 31)

    assert overdue(states, due) == []
    late = overdue(states, due + timedelta(days=1))
    assert [(s.driver, s.step) for s in late] == [("online_platforms", 1), ("cloud", 1)]


def test_done_and_locked_steps_are_never_overdue() -> None:
    states = complete_through(plan_integration(DEFINITION, ORG, START), "cloud", 1)

    late = overdue(states, date(2030, 1, 1))

    assert [(s.driver, s.step) for s in late] == [("online_platforms", 1), ("cloud", 2)]


# phases of the steps -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("steps", "phase"),
    [
        ([1, 2, 3, 4], Phase.PLAN),
        ([5, 6, 7, 8], Phase.DO),
        ([9], Phase.CHECK),
        ([10, 11, 12], Phase.ACT),
    ],
)
def test_each_step_belongs_to_a_pdca_phase(steps: list[int], phase: Phase) -> None:
    assert all(step_phase(TEMPLATE, s) is phase for s in steps)
    assert phase_steps(TEMPLATE, phase) == steps


# the plan's due dates and the progress figures -------------------------------------------
def test_locked_steps_are_due_one_duration_after_the_step_before_them() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    due = planned_due_dates(states, "cloud", TEMPLATE)

    assert due[1] == date(2020, 1, 31)
    assert due[3] == date(2020, 1, 31) + timedelta(days=60)
    assert len(due) == 12


def test_a_due_date_assigned_to_a_locked_step_is_kept_when_it_opens() -> None:
    states = plan_integration(DEFINITION, ORG, START)
    states, events = assign_step(states, "cloud", 2, owner="gf", due_date=date(2020, 6, 1))

    states, _ = complete_step(states, "cloud", 1, on=date(2020, 1, 10), template=TEMPLATE)

    assert events == [StepAssigned("cloud", 2, "gf", date(2020, 6, 1))]
    assert (state(states, "cloud", 2).status, state(states, "cloud", 2).due_date) == (
        StepStatus.OPEN,
        date(2020, 6, 1),
    )


def test_assigning_what_a_step_already_has_changes_nothing() -> None:
    states, _ = assign_step(plan_integration(DEFINITION, ORG, START), "cloud", 2, owner="gf")

    again, events = assign_step(states, "cloud", 2, owner="gf")

    assert (again, events) == (states, [])


def test_nothing_due_yet_counts_as_on_plan_and_nothing_overdue() -> None:
    states = plan_integration(DEFINITION, ORG, START)

    figures = progress_figures(states, ["online_platforms", "cloud"], TEMPLATE, as_of=START)

    assert figures == ProgressFigures(0.0, 0.0, 1.0, 0, 0)


def test_all_steps_done_in_time_are_on_plan() -> None:
    states = complete_through(plan_integration(DEFINITION, ORG, START), "cloud", 12)
    states = complete_through(states, "online_platforms", 12)

    figures = progress_figures(
        states, ["online_platforms", "cloud"], TEMPLATE, as_of=date(2020, 12, 31)
    )

    assert figures == ProgressFigures(12.0, 12.0, 1.0, 0, 0)
