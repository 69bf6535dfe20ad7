"""Traffic lights per organisation and dimension, with value and time hysteresis."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from steering.domain.definition.rules import LightRule
from steering.domain.evaluation.light_scale import SEVERITY
from steering.domain.vocabulary import Light, NoDataPolicy

STATE_COLUMNS = [
    "organisation",
    "dimension",
    "light",
    "breach_streak",
    "recover_streak",
    "red_streak",
    "basis_light",
]
# Hysteresis compares lights with data only: a light without data has no rank (-1).
_RANK = {light: rank for light, rank in SEVERITY.items() if light != Light.NO_DATA.value}
# A deviation on a threshold counts as within it; 1.1 - 1.0 is 0.10000000000000009 in floats.
_EPS = 1e-9


def empty_state() -> pd.DataFrame:
    """No previous checkpoint: no lights, all streaks zero."""
    return pd.DataFrame(
        {
            "organisation": pd.Series(dtype="string"),
            "dimension": pd.Series(dtype="string"),
            "light": pd.Series(dtype="string"),
            "breach_streak": pd.Series(dtype="int64"),
            "recover_streak": pd.Series(dtype="int64"),
            "red_streak": pd.Series(dtype="int64"),
            # The last light that was not "no data": hysteresis compares against it.
            "basis_light": pd.Series(dtype="string"),
        }
    )


def _rule_frame(rules: Sequence[LightRule]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dimension": [str(r.dimension) for r in rules],
            "measure": [r.measure for r in rules],
            "green_within": [r.green_within for r in rules],
            "yellow_within": [r.yellow_within for r in rules],
            "recovery_within": [
                r.recovery_within if r.recovery_within is not None else np.nan for r in rules
            ],
            "red_after": [r.red_after for r in rules],
            "recover_after": [r.recover_after for r in rules],
            "aggregation": [r.aggregation for r in rules],
        }
    ).astype({"dimension": "string"})


def _classify(value: pd.Series, green: pd.Series, yellow: pd.Series) -> np.ndarray:
    return np.select(
        [value.isna(), value <= green + _EPS, value <= yellow + _EPS],
        [Light.NO_DATA.value, Light.GREEN.value, Light.YELLOW.value],
        default=Light.RED.value,
    )


def contributions(table: pd.DataFrame, period: str, rules: Sequence[LightRule]) -> pd.DataFrame:
    """Each targeted indicator of the period with its measured deviation and own light."""
    rows = table[(table["period"] == period) & table["has_target"]]
    rows = rows.merge(_rule_frame(rules), on="dimension", how="inner")
    measure = rows["breach_rel"].where(rows["measure"] == "relative", rows["breach_abs"])
    breach_missing = rows["actual"].isna() & (rows["no_data_policy"] == str(NoDataPolicy.BREACH))
    rows = rows.assign(measure_value=measure.where(~breach_missing, np.inf))
    # Weight keys are checked to belong to the rule's dimension, so the key alone suffices.
    weights = {key: weight for rule in rules for key, weight in rule.weights.items()}
    rows["weight"] = rows["indicator"].astype(str).map(weights).fillna(1.0).astype(float)
    rows["indicator_light"] = _classify(
        rows["measure_value"], rows["green_within"], rows["yellow_within"]
    )
    return rows


def _aggregate(contrib: pd.DataFrame) -> pd.DataFrame:
    has = contrib["measure_value"].notna()
    frame = contrib.assign(
        weighted=(contrib["measure_value"] * contrib["weight"]).where(has),
        used_weight=contrib["weight"].where(has, 0.0),
        missing=(~has).astype("int64"),
        present=has.astype("int64"),
    )
    grouped = frame.groupby(["organisation", "dimension"], sort=False, observed=True)
    agg = grouped.agg(
        worst=("measure_value", "max"),
        weighted_sum=("weighted", "sum"),
        weight_sum=("used_weight", "sum"),
        missing=("missing", "sum"),
        present=("present", "sum"),
        aggregation=("aggregation", "first"),
    ).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = agg["weighted_sum"] / agg["weight_sum"]
    agg["aggregate"] = agg["worst"].where(agg["aggregation"] == "worst", mean)
    agg.loc[agg["present"] == 0, "aggregate"] = np.nan
    return agg


def dimension_lights(
    contrib: pd.DataFrame, rules: Sequence[LightRule], previous: pd.DataFrame
) -> pd.DataFrame:
    """The light of every organisation x dimension after value and time hysteresis."""
    agg = _aggregate(contrib).merge(_rule_frame(rules).drop(columns="aggregation"), on="dimension")
    if "basis_light" not in previous.columns:
        previous = previous.assign(basis_light=previous["light"])
    prev = previous[STATE_COLUMNS].rename(columns={c: f"prev_{c}" for c in STATE_COLUMNS[2:]})
    agg = agg.merge(prev, on=["organisation", "dimension"], how="left")
    for column in ("prev_breach_streak", "prev_recover_streak", "prev_red_streak"):
        agg[column] = agg[column].fillna(0).astype("int64")
    # A checkpoint without data does not erase the history: compare with the last real light.
    basis = (
        agg["prev_basis_light"]
        .astype(object)
        .where(
            agg["prev_basis_light"].notna() & (agg["prev_basis_light"].astype(object) != ""),
            agg["prev_light"],
        )
    )
    agg["prev_basis_light"] = basis.astype(object).where(basis.notna(), "")
    prev_light = agg["prev_basis_light"].astype(str)
    was_bad = prev_light.isin([Light.YELLOW.value, Light.RED.value])
    use_recovery = was_bad & agg["recovery_within"].notna()
    green_bound = agg["recovery_within"].where(use_recovery, agg["green_within"])
    raw = _classify(agg["aggregate"], green_bound, agg["yellow_within"])
    # Missing data never shows as green: an otherwise green light becomes "keine Daten".
    raw = np.where((raw == Light.GREEN.value) & (agg["missing"] > 0), Light.NO_DATA.value, raw)
    held_by_recovery = (
        use_recovery
        & (agg["aggregate"] > agg["recovery_within"] + _EPS)
        & (agg["aggregate"] <= agg["green_within"] + _EPS)
        & (raw == Light.YELLOW.value)
    )
    return _time_hysteresis(agg.assign(raw_light=raw, held_by_value=held_by_recovery.to_numpy()))


def _time_hysteresis(agg: pd.DataFrame) -> pd.DataFrame:
    raw = agg["raw_light"].to_numpy()
    prev = agg["prev_basis_light"].astype(str).to_numpy()
    no_data = raw == Light.NO_DATA.value
    is_red = raw == Light.RED.value
    breach = np.where(
        is_red, agg["prev_breach_streak"] + 1, np.where(no_data, agg["prev_breach_streak"], 0)
    )
    candidate = raw.copy()
    delay_red = is_red & (breach < agg["red_after"].to_numpy()) & (prev != Light.RED.value)
    candidate[delay_red] = Light.YELLOW.value
    cand_rank = pd.Series(candidate).map(_RANK).fillna(-1).to_numpy()
    prev_rank = pd.Series(prev).map(_RANK).fillna(-1).to_numpy()
    improving = ~no_data & (prev_rank >= 0) & (cand_rank < prev_rank)
    recover = np.where(
        improving,
        agg["prev_recover_streak"] + 1,
        np.where(no_data, agg["prev_recover_streak"], 0),  # no data: neither good nor bad
    )
    hold = improving & (recover < agg["recover_after"].to_numpy())
    final = np.where(hold, prev, candidate)
    recover = np.where(improving & ~hold, 0, recover)
    red_streak = np.where(final == Light.RED.value, agg["prev_red_streak"] + 1, 0)
    note = np.select(
        [delay_red, hold, agg["held_by_value"].to_numpy()],
        ["red_delayed", "recovery_pending", "value_recovery_pending"],
        default="",
    )
    basis_light = np.where(final == Light.NO_DATA.value, prev, final)
    return agg.assign(
        basis_light=basis_light,
        light=final,
        breach_streak=breach.astype("int64"),
        recover_streak=recover.astype("int64"),
        red_streak=red_streak.astype("int64"),
        hysteresis=note,
    )
