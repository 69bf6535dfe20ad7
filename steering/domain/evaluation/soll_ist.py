"""Planned vs actual (Soll/Ist) per indicator, period and organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.cube import Cube, build_cube, forward_fill
from steering.domain.evaluation.frames import normalise_measurements
from steering.domain.evaluation.targets import targets_frame
from steering.domain.vocabulary import Direction, NoDataPolicy

_EPS = 1e-9
_ATTRIBUTES = ("title", "unit", "dimension", "scope", "direction", "no_data_policy")
_CODED = {
    "value_origin": ["computed", "measured", "carried", "missing"],
    "trend": ["improving", "worsening", "stable"],
}


# Every column of the long table, in order.
TABLE_COLUMNS = (
    "indicator",
    "organisation",
    "period",
    "period_index",
    "actual",
    "value_origin",
    "share",
    "deviation_abs",
    "deviation_rel",
    "breach_abs",
    "breach_rel",
    "has_target",
    "lower",
    "upper",
    "base",
    "lower_binds",
    "upper_binds",
    "previous_actual",
    "change",
    "trend",
    *_ATTRIBUTES,
    "met",
    "target_text",
)
# What the reports and the checkpoint's snapshot read (a sixth of the memory at 10,000).
REPORT_COLUMNS = (
    "indicator",
    "organisation",
    "period",
    "actual",
    "share",
    "has_target",
    "lower",
    "upper",
    "trend",
    "title",
    "scope",
    "met",
    "target_text",
)


def indicator_frame(definition: ProgrammeDefinition) -> pd.DataFrame:
    """Static attributes of every indicator, one row each."""
    return pd.DataFrame(
        {
            "indicator": [i.key for i in definition.indicators],
            "title": [i.title for i in definition.indicators],
            "unit": [i.unit for i in definition.indicators],
            "dimension": [str(i.dimension) for i in definition.indicators],
            "scope": [str(i.scope) for i in definition.indicators],
            "direction": [str(i.direction) for i in definition.indicators],
            "no_data_policy": [str(i.no_data) for i in definition.indicators],
        }
    ).astype("string")


def _target_arrays(definition: ProgrammeDefinition, cube: Cube) -> dict[str, np.ndarray]:
    shape = (len(cube.indicators), len(cube.periods))
    arrays = {
        "lower": np.full(shape, np.nan),
        "upper": np.full(shape, np.nan),
        "base": np.full(shape, np.nan),
        "lower_binds": np.zeros(shape, dtype=bool),
        "upper_binds": np.zeros(shape, dtype=bool),
        "target_code": np.full(shape, -1, dtype=np.int64),
    }
    texts = {text: code for code, text in enumerate(columns_texts(definition))}
    k_index = {k: i for i, k in enumerate(cube.indicators)}
    p_index = {p: i for i, p in enumerate(cube.periods)}
    for row in targets_frame(definition).itertuples(index=False):
        at = (k_index[row.indicator], p_index[row.period])
        for name in arrays:
            if name != "target_code":
                arrays[name][at] = getattr(row, name)
        arrays["target_code"][at] = texts.get(str(row.target_text), -1)
    return arrays


@dataclass(frozen=True)
class Comparison:
    """Soll/Ist computed on the cube; long tables are built on request."""

    definition: ProgrammeDefinition
    cube: Cube
    columns: dict[str, np.ndarray]

    def table(
        self, periods: Sequence[str] | None = None, columns: Sequence[str] = TABLE_COLUMNS
    ) -> pd.DataFrame:
        """One row per indicator, organisation and period (all periods by default)."""
        return _long_table(self.definition, self.cube, self.columns, periods, columns)


def soll_ist(
    definition: ProgrammeDefinition,
    measurements: pd.DataFrame,
    *,
    organisations: Sequence[str],
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The planned-vs-actual table, one row per indicator, organisation and period."""
    return compare(definition, measurements, organisations=organisations).table(periods)


def compare(
    definition: ProgrammeDefinition, measurements: pd.DataFrame, *, organisations: Sequence[str]
) -> Comparison:
    """Compare every value with its target, vectorised over the whole cube.

    Only the core arrays are kept (a 10,000-organisation cube is 10 MB per float array);
    the columns derived from them are built for the cells a table or a light asks for.
    """
    cube = build_cube(definition, normalise_measurements(measurements), organisations)
    measured = cube.values
    policies = np.array([str(i.no_data) for i in definition.indicators], dtype=object)
    carry = (policies == str(NoDataPolicy.KEEP_LAST))[:, None, None]
    actual = np.where(carry, forward_fill(measured), measured) if carry.any() else measured
    origin = np.full(actual.shape, 3, dtype=np.int8)
    origin[~np.isnan(actual)] = 2
    origin[~np.isnan(measured)] = 1
    origin[cube.computed] = 0
    t = {name: array[:, None, :] for name, array in _target_arrays(definition, cube).items()}
    base = t["base"]
    if np.isnan(base).all():
        value = actual  # no shares: the value is the actual value itself
    else:
        value = np.where(np.isnan(base), actual, actual / np.where(np.isnan(base), 1.0, base))
    with np.errstate(invalid="ignore", divide="ignore"):
        below = value < t["lower"] - _EPS
        above = value > t["upper"] + _EPS
        deviation = np.where(below, value - t["lower"], np.where(above, value - t["upper"], 0.0))
        bound = np.abs(np.where(below, t["lower"], t["upper"]))
        relative = np.where(
            below | above,
            np.where(bound > _EPS, deviation / bound, np.sign(deviation) * np.inf),
            0.0,
        )
    del bound
    binding = (below & t["lower_binds"]) | (above & t["upper_binds"])
    del below, above
    has_target = ~np.isnan(t["lower"]) | ~np.isnan(t["upper"])
    comparable = has_target & ~np.isnan(value)
    columns = {
        "actual": actual,
        "value_origin": origin,
        "value": value,
        "deviation": deviation,
        "relative": relative,
        "binding": binding,
        "comparable": comparable,
        "has_target": np.broadcast_to(has_target, actual.shape),
        **{name: np.broadcast_to(array, actual.shape) for name, array in t.items()},
    }
    columns["trend"] = _trend(definition, actual, columns)
    return Comparison(definition, cube, columns)


_DERIVED = ("share", "deviation_abs", "deviation_rel", "breach_abs", "breach_rel")


def derived(
    columns: dict[str, np.ndarray], at: Any, names: Sequence[str] = _DERIVED
) -> dict[str, np.ndarray]:
    """The Soll/Ist columns `names` of the cells `at` (an index or mask into the cube)."""
    comparable = columns["comparable"][at]
    out = {}
    for name in names:
        if name == "share":
            out[name] = np.where(np.isnan(columns["base"][at]), np.nan, columns["value"][at])
            continue
        binding = columns["binding"][at]
        value = columns["deviation" if name.endswith("abs") else "relative"][at]
        if name.startswith("breach"):
            value = np.where(binding, np.abs(value), 0.0)
        out[name] = np.where(comparable, value, np.nan)
    return out


def _previous(values: np.ndarray) -> np.ndarray:
    """The values of the period before (NaN for the first period)."""
    shifted = np.empty_like(values, dtype=float)
    shifted[:, :, 0] = np.nan
    shifted[:, :, 1:] = values[:, :, :-1]
    return shifted


def _trend(
    definition: ProgrammeDefinition, actual: np.ndarray, columns: dict[str, np.ndarray]
) -> np.ndarray:
    breach = derived(columns, Ellipsis)["breach_rel"]
    previous_breach = _previous(breach)
    direction = np.array([str(i.direction) for i in definition.indicators], dtype=object)
    higher = (direction == str(Direction.HIGHER))[:, None, None]
    lower = (direction == str(Direction.LOWER))[:, None, None]
    with np.errstate(invalid="ignore", over="ignore"):
        change = actual - _previous(actual)
    with np.errstate(invalid="ignore"):
        better_breach = breach < previous_breach - _EPS
        worse_breach = breach > previous_breach + _EPS
        better_value = (higher & (change > _EPS)) | (lower & (change < -_EPS))
        worse_value = (higher & (change < -_EPS)) | (lower & (change > _EPS))
    # Codes of _CODED["trend"]; each later rule takes precedence over the ones before.
    trend = np.full(actual.shape, 2, dtype=np.int8)
    trend[worse_value & ~better_breach] = 1
    trend[better_value & ~worse_breach] = 0
    trend[worse_breach] = 1
    trend[better_breach] = 0
    trend[np.isnan(change)] = -1
    return trend


def _long_table(
    definition: ProgrammeDefinition,
    cube: Cube,
    columns: dict[str, np.ndarray],
    periods: Sequence[str] | None,
    names: Sequence[str] = TABLE_COLUMNS,
) -> pd.DataFrame:
    wanted = np.ones(len(cube.periods), dtype=bool)
    if periods is not None:
        wanted = np.isin(np.array(cube.periods, dtype=object), list(periods))
    mask = cube.valid & wanted[None, None, :]
    k, j, p = np.nonzero(mask)
    actual = columns["actual"]
    attributes = indicator_frame(definition)

    def previous() -> np.ndarray:
        return np.where(p > 0, actual[k, j, np.maximum(p - 1, 0)], np.nan)

    def change() -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):
            difference: np.ndarray = actual[mask] - previous()
        return difference

    def met() -> pd.api.extensions.ExtensionArray:
        values = pd.array(np.where(columns["comparable"][mask], ~columns["binding"][mask], False))
        values = values.astype("boolean")
        values[~columns["comparable"][mask]] = pd.NA
        return values

    def attribute(name: str) -> pd.Categorical:
        labels = attributes[name].fillna("").to_numpy(dtype=object)
        categories, codes = np.unique(labels.astype(str), return_inverse=True)
        return pd.Categorical.from_codes(codes[k], categories)

    def one(name: str) -> object:
        if name == "indicator":
            return pd.Categorical.from_codes(k, cube.indicators)
        if name == "organisation":
            return pd.Categorical.from_codes(j, cube.organisations)
        if name == "period":
            return pd.Categorical.from_codes(p, cube.periods, ordered=True)
        if name == "period_index":
            return p
        if name in _CODED:
            return pd.Categorical.from_codes(columns[name][mask], _CODED[name])
        if name in _ATTRIBUTES:
            return attribute(name)
        if name == "met":
            return met()
        if name == "target_text":
            codes = columns["target_code"][mask]
            return pd.Categorical.from_codes(codes, columns_texts(definition))
        if name == "previous_actual":
            return previous()
        if name == "change":
            return change()
        if name in _DERIVED:
            return derived(columns, mask, (name,))[name]
        return columns[name][mask]

    return pd.DataFrame({name: one(name) for name in names})


def columns_texts(definition: ProgrammeDefinition) -> list[str]:
    """Distinct target descriptions, in the order their codes use."""
    return sorted(set(targets_frame(definition)["target_text"].dropna().astype(str)))
