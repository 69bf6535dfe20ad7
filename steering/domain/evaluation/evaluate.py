"""One checkpoint's evaluation: Soll/Ist, lights with reasons, abort decisions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.abort import DecisionRecord, decide
from steering.domain.evaluation.lights import contributions, dimension_lights
from steering.domain.evaluation.soll_ist import soll_ist

_REASON_FIELDS = ("indicator", "title", "unit", "actual", "target_text", "measure_value")


@dataclass(frozen=True)
class Evaluation:
    """Everything a checkpoint derives from the measurements."""

    period: str
    soll_ist: pd.DataFrame
    contributions: pd.DataFrame
    lights: pd.DataFrame
    decisions: list[DecisionRecord]


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return value if not hasattr(value, "item") else _clean(value.item())


def _reasons(contrib: pd.DataFrame, lights: pd.DataFrame) -> list[dict[str, Any]]:
    columns = [*_REASON_FIELDS, "value_origin", "indicator_light", "organisation", "dimension"]
    ordered = contrib.sort_values(["organisation", "dimension", "indicator"], kind="stable")
    records = ordered[columns].astype(object).to_dict("records")
    by_key = {
        key: [
            {
                "indicator": r["indicator"],
                "title": r["title"],
                "unit": _clean(r["unit"]),
                "actual": _clean(r["actual"]),
                "target": r["target_text"],
                "deviation": _clean(r["measure_value"]),
                "light": r["indicator_light"],
                "origin": r["value_origin"],
            }
            for r in group
        ]
        for key, group in groupby(records, key=lambda r: (r["organisation"], r["dimension"]))
    }
    out = []
    for row in lights[
        [
            "organisation",
            "dimension",
            "aggregation",
            "measure",
            "green_within",
            "yellow_within",
            "recovery_within",
            "red_after",
            "recover_after",
            "aggregate",
            "raw_light",
            "hysteresis",
            "missing",
        ]
    ].itertuples(index=False):
        out.append(
            {
                "rule": {
                    "dimension": row.dimension,
                    "measure": row.measure,
                    "aggregation": row.aggregation,
                    "green_within": _clean(row.green_within),
                    "yellow_within": _clean(row.yellow_within),
                    "recovery_within": _clean(row.recovery_within),
                    "red_after": int(row.red_after),
                    "recover_after": int(row.recover_after),
                },
                "aggregate": _clean(row.aggregate),
                "raw_light": row.raw_light,
                "hysteresis": row.hysteresis or None,
                "missing": int(row.missing),
                "indicators": by_key.get((row.organisation, row.dimension), []),
            }
        )
    return out


def evaluate(
    definition: ProgrammeDefinition,
    measurements: pd.DataFrame,
    *,
    period: str,
    previous: pd.DataFrame,
    organisations: Sequence[str],
) -> Evaluation:
    """Evaluate the checkpoint for `period` given the lights' previous state."""
    periods = definition.period_ids()
    upto = periods[: periods.index(period) + 1]
    table = soll_ist(definition, measurements, organisations=organisations, periods=upto)
    contrib = contributions(table, period, definition.traffic_lights)
    lights = dimension_lights(contrib, definition.traffic_lights, previous)
    lights = lights.sort_values(["organisation", "dimension"], kind="stable").reset_index(drop=True)
    lights["reasons"] = _reasons(contrib, lights)
    decisions = decide(definition, lights, active_organisations=len(organisations))
    return Evaluation(period, table, contrib, lights, decisions)
