"""A light's aggregate is what its contributions give, to the last bit, for every rule kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.evaluate import evaluate
from steering.domain.evaluation.lights import empty_state

PERIODS = ["2019-H1", "2019-H2"]
ORGS = [f"org-{i:03d}" for i in range(40)]


def _programme(aggregation: str, measure: str) -> ProgrammeDefinition:
    keys = [f"k-{k:02d}" for k in range(7)]
    rng = np.random.default_rng(len(aggregation) + len(measure))
    weights = {key: float(w) for key, w in zip(keys, rng.uniform(0.1, 3.0, len(keys)), strict=True)}
    return ProgrammeDefinition.model_validate(
        {
            "programme": {"id": "p", "title": "P", "lead": "lead", "periods": PERIODS},
            "people": [{"id": "lead", "name": "L", "role": "project_lead", "email": "l@x.org"}],
            "organisations": [
                {
                    "id": o,
                    "name": o,
                    "state": "BE",
                    "experiment_fields": ["verwaltung_4_0"],
                    "owners": ["lead"],
                }
                for o in ORGS
            ],
            "indicators": [
                {
                    "key": key,
                    "title": key,
                    "dimension": "quality",
                    "no_data": ["no_data", "breach", "keep_last"][k % 3],
                    "targets": [{"periods": PERIODS, "range": [10 + k, 12 + k]}],
                }
                for k, key in enumerate(keys)
            ],
            "traffic_lights": [
                {
                    "dimension": "quality",
                    "yellow_within": 0.3,
                    "aggregation": aggregation,
                    "measure": measure,
                    "weights": weights if aggregation == "weighted" else {},
                }
            ],
        }
    )


def _values(definition: ProgrammeDefinition) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [
        (i.key, org, period, float(rng.normal(11.0, 3.0)))
        for i in definition.indicators
        for org in ORGS
        for period in PERIODS
        if rng.random() > 0.25  # some values missing, some lights without any
    ]
    return pd.DataFrame(rows, columns=["indicator", "organisation", "period", "value"])


def _expected(contributions: pd.DataFrame, aggregation: str) -> pd.Series:
    """The aggregate as the grouped pandas sum and max of the contributions compute it."""
    has = contributions["measure_value"].notna()
    frame = contributions.assign(
        weighted=(contributions["measure_value"] * contributions["weight"]).where(has),
        used=contributions["weight"].where(has, 0.0),
        present=has.astype(int),
    )
    grouped = frame.groupby("organisation", observed=True)
    worst = grouped["measure_value"].max()
    mean = grouped["weighted"].sum() / grouped["used"].sum()
    aggregate = worst if aggregation == "worst" else mean
    return aggregate.where(grouped["present"].sum() > 0)


@pytest.mark.parametrize("aggregation", ["worst", "weighted"])
@pytest.mark.parametrize("measure", ["relative", "absolute"])
def test_each_light_aggregates_its_contributions_exactly(aggregation: str, measure: str) -> None:
    definition = _programme(aggregation, measure)
    result = evaluate(
        definition,
        _values(definition),
        period="2019-H2",
        previous=empty_state(),
        organisations=ORGS,
    )
    expected = _expected(result.contributions, aggregation)
    lights = result.light_table.set_index(result.light_table["organisation"].astype(str))
    assert len(lights) == len(expected) == len(ORGS)
    for org, value in expected.items():
        got = lights.loc[str(org), "aggregate"]
        assert (np.isnan(got) and np.isnan(value)) or got == value, org
