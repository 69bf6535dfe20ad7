"""Dimension lights computed on the Soll/Ist cube: one array per column, no long tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from steering.domain.definition.rules import LightRule
from steering.domain.evaluation.soll_ist import Comparison, derived
from steering.domain.vocabulary import NoDataPolicy


@dataclass(frozen=True)
class Groups:
    """Every organisation x dimension that has at least one targeted indicator this period."""

    org: np.ndarray  # cube organisation index per light
    rule: np.ndarray  # index into the rules per light
    aggregate: np.ndarray
    missing: np.ndarray


def _kahan_add(
    total: np.ndarray, compensation: np.ndarray, value: np.ndarray, take: np.ndarray
) -> None:
    """Add `value` where `take`, compensated as pandas' grouped sum does (same result bits)."""
    y = value - compensation
    t = total + y
    with np.errstate(invalid="ignore"):
        c = (t - total) - y
    # An infinite value makes the compensation NaN; pandas resets it to 0 (GH#53606).
    c[np.isnan(c)] = 0.0
    np.copyto(total, t, where=take)
    np.copyto(compensation, c, where=take)


def _rule_groups(
    comparison: Comparison, p: int, rule: LightRule, weights: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(organisations, aggregate, missing) of one rule's dimension, or None without indicators."""
    definition = comparison.definition
    ks = [k for k, i in enumerate(definition.indicators) if str(i.dimension) == str(rule.dimension)]
    if not ks:
        return None
    columns = comparison.columns
    member = comparison.cube.valid[ks, :, p] & columns["has_target"][ks, :, p]
    if not member.any():
        return None
    breach = derived(columns, (ks, slice(None), p))[
        "breach_rel" if rule.measure == "relative" else "breach_abs"
    ]
    actual = columns["actual"][ks, :, p]
    counts_as_breach = np.array(
        [definition.indicators[k].no_data is NoDataPolicy.BREACH for k in ks]
    )[:, None]
    measure = np.where(np.isnan(actual) & counts_as_breach, np.inf, breach)
    size = member.shape[1]
    worst = np.full(size, np.nan)
    weighted, weighted_c = np.zeros(size), np.zeros(size)
    used, used_c = np.zeros(size), np.zeros(size)
    present = np.zeros(size, dtype=np.int64)
    missing = np.zeros(size, dtype=np.int64)
    # Indicator by indicator in key order, as the rows of a group come in the long table.
    for row, k in enumerate(ks):
        weight = weights.get(definition.indicators[k].key, 1.0)
        value = measure[row]
        has = member[row] & ~np.isnan(value)
        present += has
        missing += member[row] & ~has
        worst = np.fmax(worst, np.where(has, value, np.nan))
        with np.errstate(invalid="ignore"):
            _kahan_add(weighted, weighted_c, value * weight, has)
        _kahan_add(used, used_c, np.where(has, weight, 0.0), member[row])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = weighted / used
    aggregate = worst if rule.aggregation == "worst" else mean
    aggregate = np.where(present == 0, np.nan, aggregate)
    js = np.flatnonzero(member.any(axis=0))
    return js, aggregate[js], missing[js]


def light_groups(comparison: Comparison, period: str, rules: Sequence[LightRule]) -> Groups:
    """The groups of all rules, ordered by organisation, then dimension name."""
    p = comparison.cube.periods.index(period)
    # Weight keys are checked to belong to the rule's dimension, so the key alone suffices.
    weights = {key: weight for rule in rules for key, weight in rule.weights.items()}
    parts = []
    for index, each in enumerate(rules):
        found = _rule_groups(comparison, p, each, weights)
        if found is not None:
            js, aggregate, missing = found
            parts.append((js, np.full(len(js), index), aggregate, missing))
    if not parts:
        empty = np.array([], dtype=np.int64)
        return Groups(empty, empty, np.array([], dtype=float), empty)
    org, rule, aggregate, missing = (np.concatenate(column) for column in zip(*parts, strict=True))
    names = np.array([str(r.dimension) for r in rules], dtype=object)
    order = np.lexsort((names[rule], org))
    return Groups(org[order], rule[order], aggregate[order], missing[order])


def rule_columns(rules: Sequence[LightRule], rule: np.ndarray) -> dict[str, np.ndarray]:
    """Each light's rule settings, one array per setting."""

    def column(values: list[Any], dtype: type) -> np.ndarray:
        picked: np.ndarray = np.asarray(values, dtype=dtype)[rule]
        return picked

    return {
        "dimension": column([str(r.dimension) for r in rules], object),
        "measure": column([r.measure for r in rules], object),
        "aggregation": column([r.aggregation for r in rules], object),
        "green_within": column([r.green_within for r in rules], float),
        "yellow_within": column([r.yellow_within for r in rules], float),
        "recovery_within": column(
            [np.nan if r.recovery_within is None else r.recovery_within for r in rules], float
        ),
        "red_after": column([r.red_after for r in rules], np.int64),
        "recover_after": column([r.recover_after for r in rules], np.int64),
    }


def previous_columns(
    previous: pd.DataFrame, organisations: Sequence[str], groups: Groups, dimensions: list[str]
) -> dict[str, np.ndarray]:
    """The previous checkpoint's light, basis light and streaks for each group ('' / 0 if none)."""
    size = len(groups.org)
    found = np.full(size, -1, dtype=np.int64)
    if len(previous):
        at = np.full((len(organisations), len(dimensions)), -1, dtype=np.int64)
        j = pd.Index(list(organisations)).get_indexer(previous["organisation"].astype(str))
        d = pd.Index(dimensions).get_indexer(previous["dimension"].astype(str))
        known = (j >= 0) & (d >= 0)
        at[j[known], d[known]] = np.flatnonzero(known)
        found = at[groups.org, groups.rule]
    has = found >= 0

    def texts(name: str) -> np.ndarray:
        out = np.full(size, "", dtype=object)
        if has.any() and name in previous.columns:
            values = previous[name].to_numpy(dtype=object)[found[has]]
            out[has] = [v if isinstance(v, str) else "" for v in values]
        return out

    def streak(name: str) -> np.ndarray:
        out = np.zeros(size, dtype=np.int64)
        if has.any():
            values = pd.to_numeric(previous[name], errors="coerce").fillna(0).to_numpy()
            out[has] = values[found[has]].astype(np.int64)
        return out

    light = texts("light")
    basis = texts("basis_light")
    # A checkpoint without data does not erase the history: compare with the last real light.
    basis = np.where(basis != "", basis, light)
    return {
        "prev_basis_light": basis,
        "prev_breach_streak": streak("breach_streak"),
        "prev_recover_streak": streak("recover_streak"),
        "prev_red_streak": streak("red_streak"),
    }
