"""Soll/Ist: every target form, bounds, direction, deviations, trend, carrying and formulas.

Each row of a table reads: target, direction, actual value -> what the planned-vs-actual table
says. A value exactly on a bound is met; `higher` treats exceeding a range's upper bound as
over-fulfilment, `lower` undercutting its lower bound, and `range` makes both bounds bind.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from evaluation_fixtures import ORG, ORGS, PERIODS, cell, indicator, measurements, programme, series

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.evaluation.soll_ist import soll_ist

FIRST = PERIODS[0]
EPSILON = 1e-6


def _plain(values: pd.Series) -> list[object]:
    """The values as a list with every kind of missing value (NA, NaN, None) as None."""
    return [None if pd.isna(v) else v for v in values.tolist()]


def _one(
    target: dict[str, Any], actual: float, *, direction: str = "higher", **extra: Any
) -> pd.Series:
    """The Soll/Ist row of one indicator for one organisation in the first period."""
    definition = programme([indicator("kennzahl", target, direction=direction, **extra)])
    table = soll_ist(
        definition,
        measurements([("kennzahl", ORG, FIRST, actual)]),
        organisations=[ORG],
        periods=[FIRST],
    )
    assert len(table) == 1
    return table.iloc[0]


# target, direction, actual, met
MET_CASES = [
    # exact (milestone, e.g. "expert forum formed: 1")
    pytest.param({"exact": 1}, "range", 1, True, id="exact-reached"),
    pytest.param({"exact": 1}, "range", 0, False, id="exact-not-reached"),
    pytest.param({"exact": 1}, "range", 2, False, id="exact-overshot-with-range-is-missed"),
    pytest.param(
        {"exact": 1}, "higher", 2, True, id="exact-overshot-with-higher-is-over-fulfilment"
    ),
    pytest.param({"exact": 1}, "higher", 0, False, id="exact-undershot-with-higher-is-missed"),
    # minimum
    pytest.param({"minimum": 5}, "higher", 5, True, id="minimum-exactly-on-bound"),
    pytest.param({"minimum": 5}, "higher", 12, True, id="minimum-exceeded"),
    pytest.param({"minimum": 5}, "higher", 4, False, id="minimum-missed"),
    pytest.param({"minimum": 5}, "higher", 5 - EPSILON, False, id="minimum-epsilon-below"),
    pytest.param({"minimum": 5}, "lower", 4, False, id="single-minimum-binds-even-with-lower"),
    # maximum
    pytest.param({"maximum": 1.0}, "lower", 1.0, True, id="maximum-exactly-on-bound"),
    pytest.param({"maximum": 1.0}, "lower", 0.9, True, id="maximum-undercut-with-lower"),
    pytest.param({"maximum": 1.0}, "lower", 1.2, False, id="maximum-exceeded"),
    pytest.param({"maximum": 1.0}, "lower", 1.0 + EPSILON, False, id="maximum-epsilon-above"),
    pytest.param(
        {"maximum": 1.0}, "higher", 1.2, False, id="single-maximum-binds-even-with-higher"
    ),
    # range (e.g. "10-15 participants")
    pytest.param({"range": [10, 15]}, "higher", 10, True, id="range-on-lower-bound"),
    pytest.param({"range": [10, 15]}, "higher", 15, True, id="range-on-upper-bound"),
    pytest.param({"range": [10, 15]}, "higher", 12, True, id="range-inside"),
    pytest.param({"range": [10, 15]}, "higher", 9, False, id="range-below-with-higher"),
    pytest.param({"range": [10, 15]}, "higher", 16, True, id="range-above-with-higher-is-met"),
    pytest.param({"range": [10, 15]}, "range", 16, False, id="range-above-with-range-is-missed"),
    pytest.param({"range": [10, 15]}, "range", 9, False, id="range-below-with-range-is-missed"),
    pytest.param({"range": [10, 15]}, "lower", 9, True, id="range-below-with-lower-is-met"),
    pytest.param({"range": [10, 15]}, "lower", 16, False, id="range-above-with-lower-is-missed"),
    pytest.param(
        {"range": [10, 15]}, "range", 10 - EPSILON, False, id="range-epsilon-below-lower-bound"
    ),
    # approximately ("ca. 50", tolerance 10 % unless told)
    pytest.param({"approx": 50}, "range", 45, True, id="approx-on-lower-tolerance"),
    pytest.param({"approx": 50}, "range", 55, True, id="approx-on-upper-tolerance"),
    pytest.param({"approx": 50}, "range", 44, False, id="approx-below-tolerance"),
    pytest.param({"approx": 50}, "range", 56, False, id="approx-above-tolerance-with-range"),
    pytest.param({"approx": 50}, "higher", 56, True, id="approx-above-tolerance-with-higher"),
    pytest.param({"approx": 50, "tolerance": 0.2}, "range", 40, True, id="approx-wider-tolerance"),
    pytest.param({"approx": 50, "tolerance": 0.0}, "range", 50, True, id="approx-zero-tolerance"),
    pytest.param({"approx": -1, "tolerance": 0.5}, "range", -1, True, id="approx-negative-centre"),
    pytest.param(
        {"approx": -1, "tolerance": 0.5}, "range", -0.5, True, id="approx-negative-on-bound"
    ),
    pytest.param({"approx": -1, "tolerance": 0.5}, "range", 0, False, id="approx-negative-missed"),
    # share of a base population (30 % of the 350 member organisations)
    pytest.param({"base": 350, "minimum": 0.30}, "higher", 105, True, id="share-105-of-350-is-30%"),
    pytest.param({"base": 350, "minimum": 0.30}, "higher", 104, False, id="share-104-of-350"),
    pytest.param({"base": 350, "minimum": 0.30}, "higher", 350, True, id="share-all-of-350"),
    pytest.param({"base": 350, "maximum": 0.10}, "lower", 35, True, id="share-maximum-on-bound"),
    pytest.param({"base": 350, "maximum": 0.10}, "lower", 36, False, id="share-maximum-above"),
]


@pytest.mark.parametrize(("target", "direction", "actual", "met"), MET_CASES)
def test_a_target_is_met_exactly_when_no_binding_bound_is_crossed(
    target: dict[str, Any], direction: str, actual: float, met: bool
) -> None:
    row = _one(target, actual, direction=direction)
    assert bool(row["met"]) is met
    assert bool(row["has_target"]) is True
    assert bool(row["breach_abs"] == 0) is met


def test_a_share_target_reports_the_share_and_describes_the_base() -> None:
    row = _one({"base": 350, "minimum": 0.30}, 105)
    assert row["share"] == pytest.approx(0.30)
    assert row["target_text"] == "≥ 30 % von 350"


# target, direction, actual, deviation_abs, deviation_rel, breach_abs, breach_rel
DEVIATION_CASES = [
    pytest.param({"minimum": 10}, "higher", 8, -2.0, -0.2, 2.0, 0.2, id="below-minimum-negative"),
    pytest.param({"minimum": 10}, "higher", 13, 0.0, 0.0, 0.0, 0.0, id="above-minimum-is-zero"),
    pytest.param({"maximum": 1.0}, "lower", 1.5, 0.5, 0.5, 0.5, 0.5, id="above-maximum-positive"),
    pytest.param({"range": [10, 15]}, "range", 9, -1.0, -0.1, 1.0, 0.1, id="range-below-lower"),
    pytest.param({"range": [10, 15]}, "range", 18, 3.0, 0.2, 3.0, 0.2, id="range-above-upper"),
    pytest.param(
        {"range": [10, 15]}, "higher", 18, 3.0, 0.2, 0.0, 0.0, id="over-fulfilment-no-breach"
    ),
    pytest.param(
        {"range": [10, 15]}, "lower", 8, -2.0, -0.2, 0.0, 0.0, id="under-fulfilment-no-breach"
    ),
    pytest.param({"exact": 4}, "range", 3, -1.0, -0.25, 1.0, 0.25, id="exact-missed-by-one"),
    pytest.param(
        {"base": 350, "minimum": 0.30}, "higher", 70, -0.1, -1 / 3, 0.1, 1 / 3, id="share-in-shares"
    ),
    pytest.param(
        {"minimum": 0}, "higher", -2, -2.0, -math.inf, 2.0, math.inf, id="below-zero-minimum"
    ),
    pytest.param({"maximum": 0}, "lower", 3, 3.0, math.inf, 3.0, math.inf, id="above-zero-maximum"),
    pytest.param({"maximum": 0}, "lower", 0, 0.0, 0.0, 0.0, 0.0, id="on-zero-maximum"),
]


@pytest.mark.parametrize(
    ("target", "direction", "actual", "dev_abs", "dev_rel", "breach_abs", "breach_rel"),
    DEVIATION_CASES,
)
def test_deviation_is_signed_and_breach_is_the_binding_magnitude(
    target: dict[str, Any],
    direction: str,
    actual: float,
    dev_abs: float,
    dev_rel: float,
    breach_abs: float,
    breach_rel: float,
) -> None:
    row = _one(target, actual, direction=direction)
    assert row["deviation_abs"] == pytest.approx(dev_abs)
    assert row["deviation_rel"] == pytest.approx(dev_rel)
    assert row["breach_abs"] == pytest.approx(breach_abs)
    assert row["breach_rel"] == pytest.approx(breach_rel)


@pytest.mark.parametrize(
    ("targets", "actual"),
    [
        pytest.param([], 7.0, id="value-without-target"),
        pytest.param([{"minimum": 5}], None, id="target-without-value"),
        pytest.param([], None, id="neither"),
    ],
)
def test_nothing_is_met_or_missed_without_a_target_and_a_value(
    targets: list[dict[str, Any]], actual: float | None
) -> None:
    definition = programme([indicator("kennzahl", *targets)])
    rows = [] if actual is None else [("kennzahl", ORG, FIRST, actual)]
    row = soll_ist(definition, measurements(rows), organisations=[ORG], periods=[FIRST]).iloc[0]
    assert pd.isna(row["met"])
    assert math.isnan(row["deviation_abs"])
    assert math.isnan(row["breach_abs"])
    assert bool(row["has_target"]) is bool(targets)


def test_a_target_applies_only_to_its_periods() -> None:
    definition = programme(
        [indicator("teilnehmende", {"period": "2018-H2", "range": [10, 15]}, direction="range")]
    )
    table = soll_ist(
        definition,
        measurements(series("teilnehmende", [20, 20])),
        organisations=[ORG],
        periods=PERIODS[:2],
    )
    assert table["has_target"].tolist() == [False, True]
    assert _plain(table["met"]) == [None, False]
    assert _plain(table["target_text"]) == [None, "10–15"]


# direction, values per period, trend per period
TREND_CASES = [
    pytest.param("higher", [8, 9, 9, 7], [None, "improving", "stable", "worsening"], id="higher"),
    pytest.param("lower", [5, 4, 4, 6], [None, "improving", "stable", "worsening"], id="lower"),
    pytest.param(
        "range", [20, 17, 17, 22], [None, "improving", "stable", "worsening"], id="range-by-breach"
    ),
    pytest.param("range", [11, 14, 12], [None, "stable", "stable"], id="range-inside-is-stable"),
    pytest.param("higher", [8, None, 9], [None, None, None], id="no-trend-across-missing"),
]


@pytest.mark.parametrize(("direction", "values", "trends"), TREND_CASES)
def test_trend_compares_with_the_previous_period_and_is_na_for_the_first(
    direction: str, values: list[float | None], trends: list[object]
) -> None:
    target = {"higher": {"minimum": 10}, "lower": {"maximum": 3}, "range": {"range": [10, 15]}}
    definition = programme([indicator("kennzahl", target[direction], direction=direction)])
    table = soll_ist(
        definition,
        measurements(series("kennzahl", values)),
        organisations=[ORG],
        periods=PERIODS[: len(values)],
    )
    assert _plain(table["trend"]) == trends


# policy, values per period -> actual and value_origin per period
CARRY_CASES = [
    pytest.param(
        "keep_last",
        [12, None, None],
        [12.0, 12.0, 12.0],
        ["measured", "carried", "carried"],
        id="keep-last-carries-forward",
    ),
    pytest.param(
        "keep_last",
        [12, None, 7],
        [12.0, 12.0, 7.0],
        ["measured", "carried", "measured"],
        id="keep-last-a-new-value-wins",
    ),
    pytest.param(
        "keep_last",
        [None, 12, None],
        [None, 12.0, 12.0],
        ["missing", "measured", "carried"],
        id="keep-last-never-carries-backwards",
    ),
    pytest.param(
        "no_data",
        [12, None, None],
        [12.0, None, None],
        ["measured", "missing", "missing"],
        id="no-data-policy-does-not-carry",
    ),
    pytest.param(
        "breach",
        [12, None, None],
        [12.0, None, None],
        ["measured", "missing", "missing"],
        id="breach-policy-does-not-carry",
    ),
]


@pytest.mark.parametrize(("policy", "values", "actuals", "origins"), CARRY_CASES)
def test_only_keep_last_carries_the_last_earlier_value_forward(
    policy: str, values: list[float | None], actuals: list[float | None], origins: list[str]
) -> None:
    definition = programme([indicator("kennzahl", {"minimum": 10}, no_data=policy)])
    table = soll_ist(
        definition,
        measurements(series("kennzahl", values)),
        organisations=[ORG],
        periods=PERIODS[: len(values)],
    )
    assert _plain(table["actual"]) == actuals
    assert table["value_origin"].tolist() == origins


def test_a_carried_value_is_compared_with_the_target_of_its_new_period() -> None:
    # The same value against a raised target moves away from it: the trend is worsening.
    definition = programme(
        [
            indicator(
                "strategien",
                {"period": "2018-H1", "minimum": 2},
                {"period": "2018-H2", "minimum": 5},
                no_data="keep_last",
            )
        ]
    )
    table = soll_ist(
        definition,
        measurements(series("strategien", [3])),
        organisations=[ORG],
        periods=PERIODS[:2],
    )
    assert table["met"].tolist() == [True, False]
    assert _plain(table["trend"]) == [None, "worsening"]


def _ratio_programme(no_data: str = "no_data") -> ProgrammeDefinition:
    """Spending ratio (Ausgabenquote) = actual / planned spending, per organisation."""
    return programme(
        [
            indicator("ausgaben-ist", {"minimum": 0}, dimension="cost"),
            indicator("ausgaben-plan", {"minimum": 0}, dimension="cost"),
            indicator(
                "ausgabenquote",
                {"maximum": 1.0},
                dimension="cost",
                direction="lower",
                formula="ausgaben_ist / ausgaben_plan",
                no_data=no_data,
            ),
        ]
    )


# organisation -> (ausgaben-ist, ausgaben-plan, imported ausgabenquote) -> computed value
COMPUTED_CASES = [
    pytest.param((900.0, 1000.0, None), 0.9, "computed", id="ratio-of-two-indicators"),
    pytest.param((900.0, 0.0, None), None, "missing", id="division-by-zero-is-no-data"),
    pytest.param((0.0, 0.0, None), None, "missing", id="zero-by-zero-is-no-data"),
    pytest.param((900.0, None, None), None, "missing", id="missing-input-is-no-data"),
    pytest.param((900.0, 1000.0, 5.0), 0.9, "computed", id="imported-value-is-ignored"),
    pytest.param((None, None, 5.0), None, "missing", id="imported-value-alone-is-ignored"),
]


@pytest.mark.parametrize(("inputs", "expected", "origin"), COMPUTED_CASES)
def test_a_computed_indicator_is_its_formula_over_the_same_organisation_and_period(
    inputs: tuple[float | None, float | None, float | None], expected: float | None, origin: str
) -> None:
    ist, plan, imported = inputs
    rows = [
        (key, ORG, FIRST, value)
        for key, value in (
            ("ausgaben-ist", ist),
            ("ausgaben-plan", plan),
            ("ausgabenquote", imported),
        )
        if value is not None
    ]
    # Another organisation's inputs must not leak into this one's ratio.
    rows += [
        ("ausgaben-ist", "caritas-sued", FIRST, 1.0),
        ("ausgaben-plan", "caritas-sued", FIRST, 4.0),
    ]
    table = soll_ist(
        _ratio_programme(), measurements(rows), organisations=ORGS[:2], periods=[FIRST]
    )
    actual = cell(table, "actual", indicator="ausgabenquote", organisation=ORG)
    if expected is None:
        assert math.isnan(actual)
    else:
        assert actual == pytest.approx(expected)
    assert cell(table, "value_origin", indicator="ausgabenquote", organisation=ORG) == origin
    other = cell(table, "actual", indicator="ausgabenquote", organisation="caritas-sued")
    assert other == pytest.approx(0.25)


def test_a_chain_of_formulas_is_evaluated_in_dependency_order() -> None:
    # Declared c, b, a on purpose: c needs b, b needs a.
    definition = programme(
        [
            indicator("c", {"minimum": 0}, formula="b + 1"),
            indicator("b", {"minimum": 0}, formula="a * 2"),
            indicator("a", {"minimum": 0}, formula="x / y"),
            indicator("x", {"minimum": 0}),
            indicator("y", {"minimum": 0}),
        ]
    )
    rows = [("x", ORG, FIRST, 3.0), ("y", ORG, FIRST, 4.0)]
    table = soll_ist(definition, measurements(rows), organisations=[ORG], periods=[FIRST])
    values = {k: cell(table, "actual", indicator=k) for k in ("a", "b", "c")}
    assert values == {"a": pytest.approx(0.75), "b": pytest.approx(1.5), "c": pytest.approx(2.5)}
    assert {cell(table, "value_origin", indicator=k) for k in "abc"} == {"computed"}


def test_a_computed_indicator_can_keep_its_last_value() -> None:
    definition = _ratio_programme(no_data="keep_last")
    rows = [("ausgaben-ist", ORG, FIRST, 500.0), ("ausgaben-plan", ORG, FIRST, 1000.0)]
    table = soll_ist(definition, measurements(rows), organisations=[ORG], periods=PERIODS[:2])
    quote = table[table["indicator"] == "ausgabenquote"]
    assert quote["actual"].tolist() == [0.5, 0.5]
    assert quote["value_origin"].tolist() == ["computed", "carried"]


def test_programme_indicators_have_one_row_per_period_with_an_empty_organisation() -> None:
    definition = programme(
        [
            indicator("fachtag-teilnehmende", {"approx": 50}, scope="programme"),
            indicator("geschulte-mitarbeitende", {"minimum": 5}),
        ]
    )
    rows = [
        # A programme value may come without any organisation (None becomes '').
        ("fachtag-teilnehmende", None, FIRST, 52.0),
        ("geschulte-mitarbeitende", "awo-nord", FIRST, 6.0),
        ("geschulte-mitarbeitende", "caritas-sued", FIRST, 3.0),
    ]
    table = soll_ist(definition, measurements(rows), organisations=ORGS, periods=[FIRST])
    programme_rows = table[table["indicator"] == "fachtag-teilnehmende"]
    assert programme_rows["organisation"].tolist() == [PROGRAMME]
    assert programme_rows["met"].tolist() == [True]
    org_rows = table[table["indicator"] == "geschulte-mitarbeitende"]
    assert org_rows["organisation"].tolist() == ORGS
    assert _plain(org_rows["met"]) == [True, False, None]


@pytest.mark.filterwarnings("error")
def test_an_indicator_limited_to_some_organisations_has_rows_only_for_them() -> None:
    definition = programme(
        [indicator("moodle-zugriffe", {"minimum": 100}, organisations=["awo-nord", "caritas-sued"])]
    )
    rows = [("moodle-zugriffe", org, FIRST, 150.0) for org in ORGS]
    # caritas-sued is not participating at this checkpoint.
    table = soll_ist(
        definition, measurements(rows), organisations=["awo-nord", "diakonie-ost"], periods=[FIRST]
    )
    assert table["organisation"].tolist() == ["awo-nord"]


def test_without_a_period_list_every_programme_period_is_evaluated() -> None:
    definition = programme([indicator("kennzahl", {"minimum": 1})])
    table = soll_ist(definition, measurements([]), organisations=[ORG])
    assert table["period"].tolist() == PERIODS
    assert table["value_origin"].unique().tolist() == ["missing"]
