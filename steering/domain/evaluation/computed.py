"""Computed indicators: formulas over other indicators of the same organisation and period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.formula import evaluate_formula, evaluation_order


def add_computed(definition: ProgrammeDefinition, measurements: pd.DataFrame) -> pd.DataFrame:
    """Measurements plus one row per computed indicator, organisation and period."""
    formulas = {i.key: i.formula for i in definition.indicators if i.formula is not None}
    measurements = measurements.assign(origin="measured")
    if not formulas or measurements.empty:
        return measurements
    # A formula owns its indicator: imported values under a computed key are ignored.
    measurements = measurements[~measurements["indicator"].isin(list(formulas))]
    wide = measurements.pivot_table(
        index=["organisation", "period"], columns="indicator", values="value", aggfunc="last"
    )
    wide.columns = wide.columns.astype(str)
    computed_frames = []
    for key in evaluation_order(formulas):
        values = {col: wide[col] for col in wide.columns}
        for other in formulas:
            values.setdefault(other, pd.Series(np.nan, index=wide.index))
        for ref in definition.indicators:
            values.setdefault(ref.key, pd.Series(np.nan, index=wide.index))
        with np.errstate(divide="ignore", invalid="ignore"):
            result = pd.Series(evaluate_formula(formulas[key], values), index=wide.index)
        # Division by zero and missing inputs are no data, never a number.
        result = result.astype("float64").replace([np.inf, -np.inf], np.nan)
        wide[key] = result
        frame = result.dropna().rename("value").reset_index()
        frame["indicator"] = key
        frame["origin"] = "computed"
        computed_frames.append(frame)
    out = pd.concat([measurements, *computed_frames], ignore_index=True)
    for column in ("indicator", "organisation", "period"):
        out[column] = out[column].astype("string")
    return out
