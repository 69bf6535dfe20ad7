"""Traffic lights per organisation and dimension, with value and time hysteresis."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from steering.domain.definition.rules import LightRule
from steering.domain.evaluation.light_cube import light_groups, previous_columns, rule_columns
from steering.domain.evaluation.light_scale import SEVERITY
from steering.domain.evaluation.soll_ist import Comparison
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
        *(rows[c].to_numpy(dtype=float) for c in ("measure_value", "green_within", "yellow_within"))
    )
    return rows


def _classify(value: np.ndarray, green: np.ndarray, yellow: np.ndarray) -> np.ndarray:
    """Each value's light against its green and yellow bounds (NaN: no data)."""
    with np.errstate(invalid="ignore"):
        return np.select(
            [np.isnan(value), value <= green + _EPS, value <= yellow + _EPS],
            [Light.NO_DATA.value, Light.GREEN.value, Light.YELLOW.value],
            default=Light.RED.value,
        ).astype(object)


def _ranks(lights: np.ndarray) -> np.ndarray:
    """Severity rank per light; -1 for no data or none."""
    ranks = np.full(len(lights), -1, dtype=np.int64)
    for light, rank in _RANK.items():
        ranks[lights == light] = rank
    return ranks


def dimension_lights(
    comparison: Comparison, period: str, rules: Sequence[LightRule], previous: pd.DataFrame
) -> pd.DataFrame:
    """The light of every organisation x dimension after value and time hysteresis.

    One row per light, ordered by organisation (as in the cube), then dimension name.
    """
    groups = light_groups(comparison, period, rules)
    settings = rule_columns(rules, groups.rule)
    dimensions = [str(r.dimension) for r in rules]
    before = previous_columns(previous, comparison.cube.organisations, groups, dimensions)
    aggregate, recovery = groups.aggregate, settings["recovery_within"]
    prev_light = before["prev_basis_light"]
    was_bad = np.isin(prev_light, [Light.YELLOW.value, Light.RED.value])
    use_recovery = was_bad & ~np.isnan(recovery)
    green_bound = np.where(use_recovery, recovery, settings["green_within"])
    raw = _classify(aggregate, green_bound, settings["yellow_within"])
    # Missing data never shows as green: an otherwise green light becomes "keine Daten".
    raw[(raw == Light.GREEN.value) & (groups.missing > 0)] = Light.NO_DATA.value
    with np.errstate(invalid="ignore"):
        held_by_value = (
            use_recovery
            & (aggregate > recovery + _EPS)
            & (aggregate <= settings["green_within"] + _EPS)
            & (raw == Light.YELLOW.value)
        )
    organisation = pd.Categorical.from_codes(groups.org, comparison.cube.organisations)
    table = pd.DataFrame(
        {
            "organisation": organisation,
            "dimension": settings.pop("dimension"),
            "missing": groups.missing,
            "aggregate": aggregate,
            **settings,
        }
    )
    return _time_hysteresis(table, raw, held_by_value, before)


def _time_hysteresis(
    table: pd.DataFrame,
    raw: np.ndarray,
    held_by_value: np.ndarray,
    before: dict[str, np.ndarray],
) -> pd.DataFrame:
    prev = before["prev_basis_light"]
    no_data = raw == Light.NO_DATA.value
    is_red = raw == Light.RED.value
    prev_breach = before["prev_breach_streak"]
    breach = np.where(is_red, prev_breach + 1, np.where(no_data, prev_breach, 0))
    candidate = raw.copy()
    delay_red = is_red & (breach < table["red_after"].to_numpy()) & (prev != Light.RED.value)
    candidate[delay_red] = Light.YELLOW.value
    cand_rank, prev_rank = _ranks(candidate), _ranks(prev)
    improving = ~no_data & (prev_rank >= 0) & (cand_rank < prev_rank)
    prev_recover = before["prev_recover_streak"]
    recover = np.where(
        improving,
        prev_recover + 1,
        np.where(no_data, prev_recover, 0),  # no data: neither good nor bad
    )
    hold = improving & (recover < table["recover_after"].to_numpy())
    final = np.where(hold, prev, candidate)
    recover = np.where(improving & ~hold, 0, recover)
    red_streak = np.where(final == Light.RED.value, before["prev_red_streak"] + 1, 0)
    note = np.select(
        [delay_red, hold, held_by_value],
        ["red_delayed", "recovery_pending", "value_recovery_pending"],
        default="",
    ).astype(object)
    basis_light = np.where(final == Light.NO_DATA.value, prev, final)
    return table.assign(
        raw_light=raw,
        basis_light=basis_light,
        light=final,
        breach_streak=breach.astype("int64"),
        recover_streak=recover.astype("int64"),
        red_streak=red_streak.astype("int64"),
        hysteresis=note,
    )
