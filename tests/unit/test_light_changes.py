"""Changes of lights and trends as people see them: arrows, the report's trend, notices.

The programme has one quality indicator "at least 10" (5 is red) for three half-years.
"""

from __future__ import annotations

from evaluation_fixtures import (
    ORG,
    PERIODS,
    checkpoints,
    indicator,
    measurements,
    programme,
    rule,
    series,
)

from steering.domain.evaluation.evaluate import evaluate
from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.light_scale import (
    SEVERITY,
    SYMBOLS,
    alarming,
    light_change,
    worst_first,
)
from steering.domain.evaluation.lights import empty_state
from steering.domain.notifications.notices import NoticeKind
from steering.services.checkpoints import CheckpointOutcome
from steering.services.notices import checkpoint_notices
from steering.services.notification_texts import sentence
from steering.services.period_report import DecisionView, matrix, timeline
from steering.services.presentation import matrix_rows, soll_ist_rows
from steering.services.report_snapshot import timeline_snapshot

DEFINITION = programme([indicator("kurse", {"minimum": 10})], traffic_lights=[rule()])


def _outcome(index: int, values: list[float | None]) -> CheckpointOutcome:
    """The checkpoint of PERIODS[index] after the earlier ones, with their lights as previous."""
    evaluations = checkpoints(DEFINITION, series("kurse", values), count=index + 1)
    previous = (
        {}
        if index == 0
        else {
            (str(o), str(d)): str(light)
            for o, d, light in evaluations[index - 1]
            .lights[["organisation", "dimension", "light"]]
            .itertuples(index=False)
        }
    )
    return CheckpointOutcome(
        1, f"p/{PERIODS[index]}", PERIODS[index], evaluations[index], False, previous, None
    )


def test_a_move_to_no_data_is_neither_better_nor_worse() -> None:
    assert light_change("red", "no_data") == ""
    assert light_change("green", "no_data") == ""
    assert light_change("no_data", "red") == "worse"
    assert light_change("no_data", "green") == "better"  # back from a gap, maybe after red
    assert light_change("red", "yellow") == "better"
    assert light_change("green", "yellow") == "worse"
    assert light_change(None, "red") == ""


def test_worst_first_lists_the_lights_by_falling_severity_and_unknown_ones_last() -> None:
    ordered = sorted([*SYMBOLS, "unknown"], key=worst_first)
    assert ordered == ["red", "yellow", "no_data", "green", "unknown"]
    assert ordered[:-1] == sorted(SEVERITY, key=SEVERITY.__getitem__, reverse=True)


def test_only_yellow_and_red_lights_are_alarming() -> None:
    assert [light for light in [*SYMBOLS, None] if alarming(light)] == ["yellow", "red"]


def test_a_red_light_that_moves_to_no_data_shows_no_better_arrow_in_matrix_and_report() -> None:
    outcome = _outcome(1, [5.0])  # red in 2018-H1, no value in 2018-H2
    assert outcome.previous_lights[(ORG, "quality")] == "red"
    row = next(
        r
        for r in matrix_rows(DEFINITION, outcome.evaluation, outcome.previous_lights)
        if r["Organisation"] == "Awo Nord"
    )
    assert row["Qualität"] == "⚪ keine Daten"
    stored: dict[str, dict[str, tuple[str, str]]] = {}
    frame = outcome.evaluation.lights
    for org, dim, light, reasons in zip(
        frame["organisation"], frame["dimension"], frame["light"], frame["reasons"], strict=True
    ):
        why = explain(reasons, str(light), "de", with_light=False)
        stored.setdefault(str(org), {})[str(dim)] = (str(light), why)
    decisions = [DecisionView(ORG, "continue", [], [])]
    report_row = next(
        m
        for m in matrix(DEFINITION, stored, decisions, outcome.previous_lights, "de")
        if m.organisation == ORG
    )
    assert report_row.lights["quality"] == "no_data"
    assert report_row.changes["quality"] == ""


def test_a_light_that_moves_to_no_data_is_not_told_as_recovered() -> None:
    outcome = _outcome(1, [5.0])
    assert [n for n in checkpoint_notices(outcome) if n.item == "light:quality"] == []


def test_a_red_light_at_the_first_checkpoint_is_told_once_to_its_owners() -> None:
    outcome = _outcome(0, [5.0])
    told = [n for n in checkpoint_notices(outcome) if n.item == "light:quality"]
    assert [(n.kind, n.organisation, n.facts["after"]) for n in told] == [
        (NoticeKind.LIGHT_WORSE, ORG, "red")
    ]
    assert sentence(told[0], "de") == (
        "Ampel Qualität: rot (erstmals bewertet, Checkpoint 2018-H1)."
    )
    assert sentence(told[0], "en") == "Light Quality: red (first assessed, checkpoint 2018-H1)."
    # The next checkpoint, still red, tells nothing new.
    assert [
        n for n in checkpoint_notices(_outcome(1, [5.0, 5.0])) if n.item == "light:quality"
    ] == []


def test_a_green_light_at_the_first_checkpoint_is_not_told() -> None:
    assert [
        n for n in checkpoint_notices(_outcome(0, [12.0])) if n.kind is NoticeKind.LIGHT_WORSE
    ] == []


def test_the_trend_of_a_period_without_data_is_empty_in_report_and_soll_ist() -> None:
    definition = programme(
        [indicator("fachtag", {"minimum": 10}, scope="programme")],
        traffic_lights=[rule()],
    )
    rows = [("fachtag", None, PERIODS[0], 8.0), ("fachtag", None, PERIODS[1], 12.0)]
    result = evaluate(
        definition,
        measurements(rows),
        period=PERIODS[2],
        previous=empty_state(),
        organisations=[ORG],
    )
    table = result.soll_ist
    [row] = timeline(definition, timeline_snapshot(definition, table), "de")
    assert row.cells[PERIODS[1]].shown == "12"
    assert row.cells[PERIODS[2]].shown == "–"
    assert row.trend == ""
    shown = {r["Zeitraum"]: r["Trend"] for r in soll_ist_rows(definition, table, "de")}
    assert shown[PERIODS[1]] == "↗ besser"
    assert shown[PERIODS[2]] == ""
