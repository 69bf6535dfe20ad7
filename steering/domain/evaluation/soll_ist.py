"""Planned vs actual (Soll/Ist) per indicator, period and organisation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.computed import add_computed
from steering.domain.evaluation.frames import PROGRAMME, normalise_measurements
from steering.domain.evaluation.targets import targets_frame
from steering.domain.vocabulary import Direction, NoDataPolicy, Scope

_EPS = 1e-9


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


def _grid(
    definition: ProgrammeDefinition, organisations: Sequence[str], periods: Sequence[str]
) -> pd.DataFrame:
    parts = []
    for indicator in definition.indicators:
        if indicator.scope is Scope.PROGRAMME:
            orgs: Sequence[str] = [PROGRAMME]
        elif indicator.organisations is not None:
            orgs = [o for o in indicator.organisations if o in set(organisations)]
        else:
            orgs = organisations
        if not orgs:
            continue
        index = pd.MultiIndex.from_product([[indicator.key], orgs, periods])
        parts.append(index.to_frame(index=False, name=["indicator", "organisation", "period"]))
    if not parts:
        return pd.DataFrame(columns=["indicator", "organisation", "period"], dtype="string")
    return pd.concat(parts, ignore_index=True).astype("string")


def soll_ist(
    definition: ProgrammeDefinition,
    measurements: pd.DataFrame,
    *,
    organisations: Sequence[str],
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The planned-vs-actual table, one row per indicator, organisation and period."""
    all_periods = definition.period_ids()
    periods = list(periods) if periods is not None else all_periods
    measured = add_computed(definition, normalise_measurements(measurements))
    measured = measured.drop_duplicates(["indicator", "organisation", "period"], keep="last")
    table = _grid(definition, organisations, periods)
    table = table.merge(measured, on=["indicator", "organisation", "period"], how="left")
    table = table.rename(columns={"value": "actual"})
    table = table.merge(indicator_frame(definition), on="indicator", how="left")
    order = {p: i for i, p in enumerate(all_periods)}
    table["period_index"] = table["period"].map(order).astype("int64")
    table = table.sort_values(["indicator", "organisation", "period_index"], kind="stable")
    table = _apply_keep_last(table)
    table = table.merge(targets_frame(definition), on=["indicator", "period"], how="left")
    table = _compare(table)
    table = _trend(table)
    return table.reset_index(drop=True)


def _apply_keep_last(table: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator", "organisation"]
    origin = np.where(table["actual"].notna(), table["origin"].fillna("measured"), "missing")
    carry = table["no_data_policy"] == str(NoDataPolicy.KEEP_LAST)
    if carry.any():
        filled = table.groupby(keys, sort=False)["actual"].ffill()
        use = carry & table["actual"].isna() & filled.notna()
        table["actual"] = table["actual"].where(~use, filled)
        origin = np.where(use, "carried", origin)
    table["value_origin"] = pd.array(origin, dtype="string")
    return table.drop(columns=["origin"])


def _compare(table: pd.DataFrame) -> pd.DataFrame:
    base = table["base"]
    actual = table["actual"]
    value = (actual / base).where(base.notna(), actual)
    lower, upper = table["lower"], table["upper"]
    below = (value < lower - _EPS).fillna(False)
    above = (value > upper + _EPS).fillna(False)
    deviation = np.where(below, value - lower, np.where(above, value - upper, 0.0))
    bound = np.where(below, lower, np.where(above, upper, np.nan))
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(
            below | above,
            np.where(np.abs(bound) > _EPS, deviation / np.abs(bound), np.sign(deviation) * np.inf),
            0.0,
        )
    binding = (below & table["lower_binds"].fillna(False).astype(bool)) | (
        above & table["upper_binds"].fillna(False).astype(bool)
    )
    has_target = lower.notna() | upper.notna()
    comparable = has_target & value.notna()
    table["share"] = value.where(base.notna())
    table["deviation_abs"] = pd.Series(deviation, index=table.index).where(comparable)
    table["deviation_rel"] = pd.Series(relative, index=table.index).where(comparable)
    table["breach_abs"] = np.abs(table["deviation_abs"]).where(binding, 0.0).where(comparable)
    table["breach_rel"] = np.abs(table["deviation_rel"]).where(binding, 0.0).where(comparable)
    met = pd.array(~binding, dtype="boolean")
    met[~comparable.to_numpy()] = pd.NA
    table["met"] = met
    table["has_target"] = has_target
    return table


def _trend(table: pd.DataFrame) -> pd.DataFrame:
    grouped = table.groupby(["indicator", "organisation"], sort=False)
    previous = grouped["actual"].shift(1)
    previous_breach = grouped["breach_rel"].shift(1)
    change = table["actual"] - previous
    breach = table["breach_rel"]
    higher = table["direction"] == str(Direction.HIGHER)
    lower = table["direction"] == str(Direction.LOWER)
    better_by_breach = breach < previous_breach - _EPS
    worse_by_breach = breach > previous_breach + _EPS
    better_by_value = (higher & (change > _EPS)) | (lower & (change < -_EPS))
    worse_by_value = (higher & (change < -_EPS)) | (lower & (change > _EPS))
    trend = np.select(
        [
            change.isna(),
            better_by_breach,
            worse_by_breach,
            better_by_value & ~worse_by_breach,
            worse_by_value & ~better_by_breach,
        ],
        ["", "improving", "worsening", "improving", "worsening"],
        default="stable",
    )
    table["previous_actual"] = previous
    table["change"] = change
    table["trend"] = pd.Series(trend, index=table.index, dtype="string").replace("", pd.NA)
    return table
