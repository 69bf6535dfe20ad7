"""The rules an imported value keeps, decided in the domain before any message is worded."""

from __future__ import annotations

import pandas as pd
from evaluation_fixtures import ORG, PERIODS, indicator, programme

from steering.domain.definition.imported_values import (
    Breach,
    importable_breach,
    period_breach,
    scope_breach,
    suspect_values,
    value_breach,
)

DEFINITION = programme(
    [
        indicator("kurse", {"minimum": 10}, kind="count"),
        indicator("feedback", {"minimum": 1}, kind="score", scale=[-2, 2]),
        indicator("reichweite", {"minimum": 100}, scope="programme"),
        indicator("nur-awo", {"minimum": 1}, organisations=[ORG]),
        indicator("summe", {"minimum": 1}, formula="kurse + feedback"),
    ]
)
BY_KEY = {i.key: i for i in DEFINITION.indicators}


def test_a_negative_count_breaks_the_count_rule_and_names_the_value() -> None:
    assert value_breach(BY_KEY["kurse"], -1.0) == Breach("negative_count", {"value": -1.0})
    assert value_breach(BY_KEY["kurse"], 0.0) is None


def test_a_value_off_the_scale_names_the_value_and_both_ends() -> None:
    assert value_breach(BY_KEY["feedback"], 3.0) == Breach(
        "out_of_range", {"value": 3.0, "low": -2, "high": 2}
    )
    assert value_breach(BY_KEY["feedback"], -2.0) is None


def test_the_vectorised_suspects_are_exactly_the_values_that_break_a_rule() -> None:
    keys = pd.Series(["kurse", "kurse", "feedback", "feedback", "reichweite", "unbekannt"])
    values = pd.Series([-1.0, 4.0, 2.5, -2.0, -5.0, -1.0])  # counts by default: reichweite too
    suspects = suspect_values(keys, values, BY_KEY)
    one_by_one = [
        key in BY_KEY and value_breach(BY_KEY[key], value) is not None
        for key, value in zip(keys, values, strict=True)
    ]
    assert suspects.tolist() == one_by_one == [True, False, True, False, True, False]


def test_scope_programme_values_name_no_organisation_and_organisation_values_one_measured() -> None:
    assert scope_breach(BY_KEY["reichweite"], ORG).code == "organisation_for_programme"  # type: ignore[union-attr]
    assert scope_breach(BY_KEY["reichweite"], "") is None
    assert scope_breach(BY_KEY["kurse"], "").code == "organisation_missing"  # type: ignore[union-attr]
    assert scope_breach(BY_KEY["nur-awo"], "caritas-sued") == Breach(
        "organisation_not_measured", {"indicator": "nur-awo", "organisation": "caritas-sued"}
    )
    assert scope_breach(BY_KEY["nur-awo"], ORG) is None


def test_a_computed_indicator_is_never_imported() -> None:
    assert importable_breach(BY_KEY["summe"]) == Breach(
        "indicator_computed", {"indicator": "summe"}
    )
    assert importable_breach(BY_KEY["kurse"]) is None


def test_a_period_outside_the_programme_names_its_first_and_last_period() -> None:
    assert period_breach("2021-H1", PERIODS) == Breach(
        "period_outside", {"period": "2021-H1", "first": PERIODS[0], "last": PERIODS[-1]}
    )
    assert period_breach(PERIODS[2], PERIODS) is None
