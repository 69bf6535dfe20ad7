"""Column names of the data frames that flow through the evaluation."""

from __future__ import annotations

import pandas as pd

PROGRAMME = ""  # organisation value of programme-level rows

MEASUREMENT_COLUMNS = ["indicator", "organisation", "period", "value"]


def empty_measurements() -> pd.DataFrame:
    """An empty measurements frame with the expected columns and dtypes."""
    return pd.DataFrame(
        {
            "indicator": pd.Series(dtype="string"),
            "organisation": pd.Series(dtype="string"),
            "period": pd.Series(dtype="string"),
            "value": pd.Series(dtype="float64"),
        }
    )


def normalise_measurements(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce a measurements frame to the expected columns and dtypes."""
    missing = set(MEASUREMENT_COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"measurements lack columns: {sorted(missing)}")
    out = frame[MEASUREMENT_COLUMNS].copy()
    for column in ("indicator", "organisation", "period"):
        out[column] = _keys(out[column])
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    return out


def _keys(column: pd.Series) -> pd.Series:
    """A key column without gaps; categorical columns stay categorical (compact and fast)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        if not column.isna().any():
            return column
        if PROGRAMME not in column.cat.categories:
            column = column.cat.add_categories([PROGRAMME])
        return column.fillna(PROGRAMME)
    return column.fillna(PROGRAMME).astype("string")
