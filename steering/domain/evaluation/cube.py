"""Dense indicator x organisation x period arrays: the fast layout for Soll/Ist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.formula import evaluate_formula, evaluation_order
from steering.domain.vocabulary import Scope


@dataclass
class Cube:
    """Values[k, j, p] for indicator k, organisation j (0 = programme), period p."""

    indicators: list[str]
    organisations: list[str]
    periods: list[str]
    values: np.ndarray
    computed: np.ndarray
    valid: np.ndarray


def _codes(series: pd.Series, categories: Sequence[str]) -> np.ndarray:
    # -1 for values outside the categories (e.g. an organisation that does not take part);
    # pd.Categorical(values, categories=...) warns about those and will raise in pandas 4.
    wanted = pd.Index(list(categories))
    if isinstance(series.dtype, pd.CategoricalDtype):
        # Look up each distinct label once, then translate the codes (a million rows, few labels).
        positions = np.append(wanted.get_indexer(series.cat.categories), -1)
        return np.asarray(positions[series.cat.codes.to_numpy()], dtype=np.int64)
    return np.asarray(wanted.get_indexer(series), dtype=np.int64)


def build_cube(
    definition: ProgrammeDefinition, measurements: pd.DataFrame, organisations: Sequence[str]
) -> Cube:
    """Place the measurements into the cube; the last value of a duplicate key wins."""
    keys = [i.key for i in definition.indicators]
    orgs = [PROGRAMME, *organisations]
    periods = definition.period_ids()
    shape = (len(keys), len(orgs), len(periods))
    values = np.full(shape, np.nan)
    k = _codes(measurements["indicator"], keys)
    j = _codes(measurements["organisation"], orgs)
    p = _codes(measurements["period"], periods)
    known = (k >= 0) & (j >= 0) & (p >= 0)
    flat = ((k * shape[1] + j) * shape[2] + p)[known]
    vals = measurements["value"].to_numpy(dtype=float)[known]
    if len(flat):
        _, first_in_reversed = np.unique(flat[::-1], return_index=True)
        last = len(flat) - 1 - first_in_reversed
        values.reshape(-1)[flat[last]] = vals[last]
    valid = np.zeros(shape, dtype=bool)
    org_index = {o: i for i, o in enumerate(orgs)}
    for index, indicator in enumerate(definition.indicators):
        if indicator.scope is Scope.PROGRAMME:
            valid[index, 0, :] = True
        elif indicator.organisations is None:
            valid[index, 1:, :] = True
        else:
            rows = [org_index[o] for o in indicator.organisations if o in org_index]
            valid[index, rows, :] = True
    cube = Cube(keys, orgs, periods, values, np.zeros(shape, dtype=bool), valid)
    _compute(definition, cube)
    cube.values[~cube.valid] = np.nan
    return cube


def _compute(definition: ProgrammeDefinition, cube: Cube) -> None:
    formulas = {i.key: i.formula for i in definition.indicators if i.formula is not None}
    if not formulas:
        return
    index = {key: i for i, key in enumerate(cube.indicators)}
    scopes = {i.key: i.scope for i in definition.indicators}
    for key in evaluation_order(formulas):
        target = index[key]
        names: dict[str, np.ndarray] = {}
        for ref in cube.indicators:
            slab = cube.values[index[ref]]
            # A programme-wide value (e.g. a base population) applies to every organisation.
            if scopes[ref] is Scope.PROGRAMME and scopes[key] is Scope.ORGANISATION:
                slab = np.broadcast_to(slab[0:1, :], slab.shape)
            names[ref] = slab
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = np.asarray(evaluate_formula(formulas[key], names), dtype=float)
        result = np.where(np.isfinite(result), result, np.nan)
        cube.values[target] = np.broadcast_to(result, cube.values[target].shape)
        cube.computed[target] = ~np.isnan(cube.values[target])


def forward_fill(values: np.ndarray) -> np.ndarray:
    """Carry the last known value forward along the period axis."""
    periods = np.arange(values.shape[-1])
    last_known = np.where(~np.isnan(values), periods, 0)
    np.maximum.accumulate(last_known, axis=-1, out=last_known)
    # Before the first known value the index stays 0, whose value is then NaN as well.
    return np.take_along_axis(values, last_known, axis=-1)
