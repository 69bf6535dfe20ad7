"""Traffic lights: thresholds, aggregation, missing data, hysteresis over checkpoints, reasons.

Unless a case says otherwise an indicator has the target "at least 10" in every period and the
quality rule is relative with green within 0 and yellow within 20 %: 10 is green, 9 (10 % short)
yellow, 5 (50 % short) red.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from evaluation_fixtures import (
    ORG,
    ORGS,
    PERIODS,
    Row,
    checkpoints,
    indicator,
    measurements,
    programme,
    rule,
    series,
)

from steering.domain.evaluation.evaluate import evaluate
from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.lights import STATE_COLUMNS, empty_state
from steering.domain.vocabulary import Light

FIRST = PERIODS[0]
LIGHTS = {light.value for light in Light}


def _light(
    indicators: list[dict[str, Any]],
    rows: list[Row],
    *,
    rules: list[dict[str, Any]] | None = None,
    period: str = FIRST,
    previous: pd.DataFrame | None = None,
) -> pd.Series:
    """The single light row of awo-nord's quality dimension at `period`."""
    definition = programme(indicators, traffic_lights=rules or [rule()])
    lights = evaluate(
        definition,
        measurements(rows),
        period=period,
        previous=empty_state() if previous is None else previous,
        organisations=[ORG],
    ).lights
    assert len(lights) == 1
    return lights.iloc[0]


MINIMUM_10 = {"minimum": 10}

# rule, actual -> light; the target is "at least 10"
THRESHOLD_CASES = [
    pytest.param(rule(green_within=0.1, yellow_within=0.3), 10, "green", id="met-is-green"),
    pytest.param(rule(green_within=0.1, yellow_within=0.3), 9, "green", id="exactly-green-within"),
    pytest.param(rule(green_within=0.1, yellow_within=0.3), 8.9, "yellow", id="above-green-within"),
    pytest.param(
        rule(green_within=0.1, yellow_within=0.3), 7, "yellow", id="exactly-yellow-within"
    ),
    pytest.param(rule(green_within=0.1, yellow_within=0.3), 6.9, "red", id="above-yellow-within"),
    pytest.param(
        rule(green_within=0.0, yellow_within=0.2), 9.99, "yellow", id="any-miss-not-green"
    ),
    pytest.param(rule(green_within=0.2, yellow_within=0.2), 7.5, "red", id="no-yellow-band"),
    # absolute: the deviation counts in the indicator's unit
    pytest.param(
        rule(measure="absolute", green_within=1, yellow_within=3), 9, "green", id="abs-on-green"
    ),
    pytest.param(
        rule(measure="absolute", green_within=1, yellow_within=3), 7, "yellow", id="abs-on-yellow"
    ),
    pytest.param(
        rule(measure="absolute", green_within=1, yellow_within=3), 6.5, "red", id="abs-beyond"
    ),
]


@pytest.mark.parametrize(("light_rule", "actual", "expected"), THRESHOLD_CASES)
def test_a_deviation_on_a_threshold_belongs_to_the_better_light(
    light_rule: dict[str, Any], actual: float, expected: str
) -> None:
    row = _light(
        [indicator("kennzahl", MINIMUM_10)], [("kennzahl", ORG, FIRST, actual)], rules=[light_rule]
    )
    assert row["light"] == expected


@pytest.mark.parametrize(
    ("measure", "green", "yellow", "expected"),
    [
        # 95 of at least 100: 5 short, i.e. 5 %
        pytest.param("relative", 0.1, 0.2, "green", id="5%-is-within-10%"),
        pytest.param("absolute", 2, 10, "yellow", id="5-is-beyond-2"),
        pytest.param("absolute", 5, 10, "green", id="5-is-within-5"),
        pytest.param("relative", 0.01, 0.04, "red", id="5%-is-beyond-4%"),
    ],
)
def test_the_rule_measures_relative_or_absolute_deviation(
    measure: str, green: float, yellow: float, expected: str
) -> None:
    row = _light(
        [indicator("zugriffe", {"minimum": 100})],
        [("zugriffe", ORG, FIRST, 95)],
        rules=[rule(measure=measure, green_within=green, yellow_within=yellow)],
    )
    assert row["light"] == expected


def test_a_decimal_deviation_on_the_green_threshold_is_green() -> None:
    # Spending ratio 1.1 on a maximum of 1.0: 0.1 over, and 1.1 - 1.0 is not exactly 0.1 in floats.
    row = _light(
        [indicator("ausgabenquote", {"maximum": 1.0}, direction="lower")],
        [("ausgabenquote", ORG, FIRST, 1.1)],
        rules=[rule(measure="absolute", green_within=0.1, yellow_within=0.3)],
    )
    assert row["light"] == "green"


# a: at least 10 with actual 10 (deviation 0); b: at least 10 with actual 6 (deviation 0.4);
# rule green within 0.1, yellow within 0.3.
AGGREGATION_CASES = [
    pytest.param({"aggregation": "worst"}, 0.4, "red", id="worst-of"),
    pytest.param({"aggregation": "weighted", "weights": {"a": 3}}, 0.1, "green", id="weighted-a3"),
    pytest.param({"aggregation": "weighted", "weights": {"b": 3}}, 0.3, "yellow", id="weighted-b3"),
    pytest.param(
        {"aggregation": "weighted", "weights": {"a": 1}}, 0.2, "yellow", id="unweighted-counts-1"
    ),
    pytest.param(
        {"aggregation": "weighted", "weights": {"a": 0.5, "b": 0.5}},
        0.2,
        "yellow",
        id="equal-weights-are-the-mean",
    ),
]


@pytest.mark.parametrize(("aggregation", "aggregate", "expected"), AGGREGATION_CASES)
def test_worst_of_or_weighted_mean_aggregates_a_dimension(
    aggregation: dict[str, Any], aggregate: float, expected: str
) -> None:
    row = _light(
        [indicator("a", MINIMUM_10), indicator("b", MINIMUM_10)],
        [("a", ORG, FIRST, 10), ("b", ORG, FIRST, 6)],
        rules=[rule(green_within=0.1, yellow_within=0.3, **aggregation)],
    )
    assert row["aggregate"] == pytest.approx(aggregate)
    assert row["light"] == expected
    assert row["reasons"]["rule"]["aggregation"] == aggregation["aggregation"]


# policy, values per period (the checkpoint is the last period) -> light, origin in reasons
NO_DATA_POLICY_CASES = [
    pytest.param("no_data", [None], "no_data", "missing", id="no-data-is-its-own-light"),
    pytest.param("breach", [None], "red", "missing", id="breach-counts-missing-as-red"),
    pytest.param("breach", [10], "green", "measured", id="breach-with-a-value-is-normal"),
    pytest.param("keep_last", [10, None], "green", "carried", id="keep-last-carries-green"),
    pytest.param("keep_last", [5, None], "red", "carried", id="keep-last-carries-red"),
    pytest.param("keep_last", [None, None], "no_data", "missing", id="keep-last-nothing-to-carry"),
    pytest.param("no_data", [10, None], "no_data", "missing", id="no-data-does-not-carry"),
]


@pytest.mark.parametrize(("policy", "values", "expected", "origin"), NO_DATA_POLICY_CASES)
def test_each_no_data_policy_decides_what_a_missing_value_means(
    policy: str, values: list[float | None], expected: str, origin: str
) -> None:
    row = _light(
        [indicator("kennzahl", MINIMUM_10, no_data=policy)],
        series("kennzahl", values),
        period=PERIODS[len(values) - 1],
    )
    assert row["light"] == expected
    (item,) = row["reasons"]["indicators"]
    assert item["origin"] == origin
    assert item["light"] == expected


# actual of a (None = no data), actual of b -> dimension light
NEVER_GREEN_CASES = [
    pytest.param(None, 10, "no_data", id="missing-and-green-is-no-data"),
    pytest.param(None, 9, "yellow", id="missing-and-yellow-shows-yellow"),
    pytest.param(None, 5, "red", id="missing-and-red-shows-red"),
    pytest.param(None, None, "no_data", id="all-missing-is-no-data"),
    pytest.param(10, 10, "green", id="all-present-and-green-is-green"),
]


@pytest.mark.parametrize(("a", "b", "expected"), NEVER_GREEN_CASES)
def test_no_data_is_never_green(a: float | None, b: float | None, expected: str) -> None:
    rows = [(k, ORG, FIRST, v) for k, v in (("a", a), ("b", b)) if v is not None]
    for aggregation in ({}, {"aggregation": "weighted", "weights": {"a": 2}}):
        row = _light(
            [indicator("a", MINIMUM_10), indicator("b", MINIMUM_10)],
            rows,
            rules=[rule(**aggregation)],
        )
        assert row["light"] == expected, aggregation
        assert row["missing"] == (a is None) + (b is None)


# rule, values per checkpoint -> final light and hysteresis note per checkpoint
HYSTERESIS_CASES = [
    pytest.param(
        {"red_after": 2},
        [5, 5, 5],
        ["yellow", "red", "red"],
        ["red_delayed", "", ""],
        id="red-after-2",
    ),
    pytest.param(
        {"red_after": 3},
        [5, 5, 5, 5],
        ["yellow", "yellow", "red", "red"],
        ["red_delayed", "red_delayed", "", ""],
        id="red-after-3",
    ),
    pytest.param(
        {"red_after": 2},
        [5, 10, 5, 5],
        ["yellow", "green", "yellow", "red"],
        ["red_delayed", "", "red_delayed", ""],
        id="red-after-2-restarts-after-green",
    ),
    pytest.param(
        {"red_after": 2},
        [5, None, 5],
        ["yellow", "no_data", "red"],
        ["red_delayed", "", ""],
        id="red-after-2-no-data-does-not-break-the-streak",
    ),
    pytest.param(
        {"recover_after": 2},
        [5, 10, 10],
        ["red", "red", "green"],
        ["", "recovery_pending", ""],
        id="recover-after-2",
    ),
    pytest.param(
        {"recover_after": 2},
        [5, 10, 5, 10, 10],
        ["red", "red", "red", "red", "green"],
        ["", "recovery_pending", "", "recovery_pending", ""],
        id="recover-after-2-restarts-after-red",
    ),
    pytest.param(
        {"recover_after": 3},
        [5, 9, 10, 10],
        ["red", "red", "red", "green"],
        ["", "recovery_pending", "recovery_pending", ""],
        id="recover-after-3-via-yellow",
    ),
    pytest.param(
        {"recover_after": 2},
        [9, 10, 10],
        ["yellow", "yellow", "green"],
        ["", "recovery_pending", ""],
        id="recover-after-2-from-yellow",
    ),
    pytest.param(
        {"recover_after": 2},
        [5, None, 10, 10],
        ["red", "no_data", "red", "green"],
        ["", "", "recovery_pending", ""],
        id="recover-after-2-a-checkpoint-without-data-does-not-erase-the-red",
    ),
    pytest.param(
        {"recover_after": 2},
        [5, 10, None, 10],
        ["red", "red", "no_data", "green"],
        ["", "recovery_pending", "", ""],
        id="recover-after-2-no-data-neither-counts-nor-breaks-the-good-streak",
    ),
    pytest.param(
        {"green_within": 0.1, "recovery_within": 0.05},
        [8.5, None, 9.2],
        ["yellow", "no_data", "yellow"],
        ["", "", "value_recovery_pending"],
        id="value-recovery-still-applies-after-a-checkpoint-without-data",
    ),
    pytest.param(
        {"recover_after": 2},
        [9, 5],
        ["yellow", "red"],
        ["", ""],
        id="getting-worse-is-never-delayed-by-recovery",
    ),
    pytest.param(
        {"red_after": 2, "recover_after": 2},
        [5, 5, 10, 10],
        ["yellow", "red", "red", "green"],
        ["red_delayed", "", "recovery_pending", ""],
        id="both-time-hystereses",
    ),
    # value hysteresis: green within 10 %, yellow within 20 %, back to green only within 5 %
    pytest.param(
        {"green_within": 0.1, "recovery_within": 0.05},
        [8.5, 9.2, 9.6],
        ["yellow", "yellow", "green"],
        ["", "value_recovery_pending", ""],
        id="value-recovery-from-yellow-8%-stays-4%-recovers",
    ),
    pytest.param(
        {"green_within": 0.1, "recovery_within": 0.05},
        [5, 9.2, 9.6],
        ["red", "yellow", "green"],
        ["", "value_recovery_pending", ""],
        id="value-recovery-from-red",
    ),
    pytest.param(
        {"green_within": 0.1, "recovery_within": 0.05},
        [9.2, 9.2],
        ["green", "green"],
        ["", ""],
        id="value-recovery-does-not-apply-when-green",
    ),
    pytest.param(
        {"green_within": 0.1, "recovery_within": 0.05},
        [8.5, 9.5],
        ["yellow", "green"],
        ["", ""],
        id="value-recovery-exactly-on-recovery-bound",
    ),
]


@pytest.mark.parametrize(("rule_extra", "values", "lights", "notes"), HYSTERESIS_CASES)
def test_hysteresis_over_consecutive_checkpoints(
    rule_extra: dict[str, Any], values: list[float | None], lights: list[str], notes: list[str]
) -> None:
    definition = programme([indicator("kennzahl", MINIMUM_10)], traffic_lights=[rule(**rule_extra)])
    results = checkpoints(definition, series("kennzahl", values), count=len(values))
    assert [r.lights.loc[0, "light"] for r in results] == lights
    assert [r.lights.loc[0, "hysteresis"] for r in results] == notes
    assert [r.lights.loc[0, "reasons"]["hysteresis"] or "" for r in results] == notes


def test_streak_counters_over_checkpoints() -> None:
    """breach_streak counts raw reds (no data neither breaks nor increases it); red_streak counts
    final reds and no data resets it; recover_streak counts improving checkpoints."""
    values = [5, 5, None, 5, 10, 10]
    definition = programme(
        [indicator("kennzahl", MINIMUM_10)], traffic_lights=[rule(recover_after=2)]
    )
    results = checkpoints(definition, series("kennzahl", values), count=len(values))
    got = [
        tuple(r.lights.loc[0, ["light", "breach_streak", "recover_streak", "red_streak"]])
        for r in results
    ]
    assert got == [
        ("red", 1, 0, 1),
        ("red", 2, 0, 2),
        ("no_data", 2, 0, 0),
        ("red", 3, 0, 1),
        ("red", 0, 1, 2),  # raw green, held red: recovery pending
        ("green", 0, 0, 0),
    ]


def test_the_returned_lights_are_the_next_checkpoints_state() -> None:
    definition = programme([indicator("kennzahl", MINIMUM_10)], traffic_lights=[rule(red_after=2)])
    first, _ = checkpoints(definition, series("kennzahl", [5, 5]), count=2)
    assert set(STATE_COLUMNS) <= set(first.lights.columns)
    # A state as an adapter would load it: plain Python values, default dtypes.
    stored = pd.DataFrame(first.lights[STATE_COLUMNS].astype(object).to_dict("records"))
    row = _light(
        [indicator("kennzahl", MINIMUM_10)],
        series("kennzahl", [5, 5]),
        rules=[rule(red_after=2)],
        period=PERIODS[1],
        previous=stored,
    )
    assert (row["light"], row["breach_streak"], row["red_streak"]) == ("red", 2, 1)


def test_every_organisation_and_dimension_gets_its_own_light() -> None:
    definition = programme(
        [
            indicator("geschulte-mitarbeitende", MINIMUM_10, dimension="staff"),
            indicator("ausgabenquote", {"maximum": 1.0}, dimension="cost", direction="lower"),
            indicator("ohne-regel", MINIMUM_10, dimension="time"),
        ],
        traffic_lights=[rule("staff"), rule("cost")],
    )
    rows = [
        ("geschulte-mitarbeitende", "awo-nord", FIRST, 12),
        ("geschulte-mitarbeitende", "caritas-sued", FIRST, 5),
        ("ausgabenquote", "awo-nord", FIRST, 1.1),
        ("ausgabenquote", "caritas-sued", FIRST, 0.8),
    ]
    lights = evaluate(
        definition, measurements(rows), period=FIRST, previous=empty_state(), organisations=ORGS
    ).lights
    got = {(o, d): light for o, d, light in lights[["organisation", "dimension", "light"]].values}
    assert got == {
        ("awo-nord", "cost"): "yellow",
        ("awo-nord", "staff"): "green",
        ("caritas-sued", "cost"): "green",
        ("caritas-sued", "staff"): "red",
        ("diakonie-ost", "cost"): "no_data",
        ("diakonie-ost", "staff"): "no_data",
    }
    assert set(lights["light"]) <= LIGHTS


def _feedback_evaluation(actual: float) -> pd.DataFrame:
    definition = programme(
        [
            indicator(
                "feedback-mittel",
                {"range": [1.0, 1.5]},
                title="Mittlere Bewertung Feedbackbogen",
                kind="score",
                scale=[-2, 2],
                direction="range",
            ),
            indicator("geschulte-mitarbeitende", MINIMUM_10, title="Geschulte Mitarbeitende"),
        ],
        traffic_lights=[rule(measure="absolute", green_within=0.1, yellow_within=0.5)],
    )
    rows = [("feedback-mittel", ORG, FIRST, actual), ("geschulte-mitarbeitende", ORG, FIRST, 10)]
    return evaluate(
        definition, measurements(rows), period=FIRST, previous=empty_state(), organisations=[ORG]
    ).lights


def test_every_light_carries_its_rule_aggregate_and_indicators_as_reasons() -> None:
    lights = _feedback_evaluation(0.25)
    (reasons,) = lights["reasons"]
    assert reasons["rule"] == {
        "dimension": "quality",
        "measure": "absolute",
        "aggregation": "worst",
        "green_within": 0.1,
        "yellow_within": 0.5,
        "recovery_within": None,
        "red_after": 1,
        "recover_after": 1,
    }
    assert reasons["aggregate"] == pytest.approx(0.75)
    assert reasons["raw_light"] == "red"
    assert reasons["missing"] == 0
    by_key = {i["indicator"]: i for i in reasons["indicators"]}
    assert by_key["feedback-mittel"] == {
        "indicator": "feedback-mittel",
        "title": "Mittlere Bewertung Feedbackbogen",
        "unit": "",
        "actual": 0.25,
        "target": "1–1,5",
        "deviation": pytest.approx(0.75),
        "light": "red",
        "origin": "measured",
    }
    assert by_key["geschulte-mitarbeitende"]["light"] == "green"
    assert by_key["geschulte-mitarbeitende"]["deviation"] == 0


def test_reasons_of_missing_data_say_so() -> None:
    row = _light([indicator("kennzahl", MINIMUM_10)], [])
    (item,) = row["reasons"]["indicators"]
    assert (item["actual"], item["deviation"], item["light"]) == (None, None, "no_data")
    assert row["reasons"]["aggregate"] is None


@pytest.mark.parametrize(
    ("lang", "fragments"),
    [
        pytest.param(
            "de",
            [
                "rot: ",
                "Mittlere Bewertung Feedbackbogen 0,25",
                "Soll 1–1,5",
                "0,75",
                "Regel: grün ≤ 0,1, gelb ≤ 0,5",
            ],
            id="german",
        ),
        pytest.param(
            "en",
            [
                "red: ",
                "Mittlere Bewertung Feedbackbogen 0.25",
                "target ",
                "0.75",
                "rule: green ≤ 0.1, yellow ≤ 0.5",
            ],
            id="english",
        ),
    ],
)
def test_explain_renders_one_readable_line(lang: str, fragments: list[str]) -> None:
    row = _feedback_evaluation(0.25).iloc[0]
    line = explain(row["reasons"], row["light"], lang=lang)
    assert "\n" not in line
    for fragment in fragments:
        assert fragment in line
    # Green indicators do not distract from a red light.
    assert "Geschulte Mitarbeitende" not in line


def test_explain_names_a_relative_rule_in_percent_and_the_pending_hysteresis() -> None:
    definition = programme(
        [indicator("kennzahl", MINIMUM_10, title="Teilnehmende Entwicklungszirkel")],
        traffic_lights=[rule(green_within=0.05, yellow_within=0.25, red_after=2)],
    )
    (result,) = checkpoints(definition, series("kennzahl", [5]), count=1)
    row = result.lights.iloc[0]
    line = explain(row["reasons"], row["light"])
    assert line.startswith("gelb: Teilnehmende Entwicklungszirkel 5 (Soll ≥ 10; 50 %)")
    assert "Regel: grün ≤ 5 %, gelb ≤ 25 %" in line
    assert "rot erst nach 2 Checkpoints in Folge" in line
