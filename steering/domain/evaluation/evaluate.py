"""One checkpoint's evaluation: Soll/Ist, lights with reasons, abort decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.abort import DecisionRecord, decide
from steering.domain.evaluation.light_scale import alarming
from steering.domain.evaluation.lights import contributions, dimension_lights
from steering.domain.evaluation.soll_ist import REPORT_COLUMNS, Comparison, compare
from steering.gc_pause import gc_paused


@dataclass(frozen=True)
class Evaluation:
    """Everything a checkpoint derives from the measurements."""

    period: str
    comparison: Comparison
    light_table: pd.DataFrame  # one row per light, its reasons still columnar
    decisions: list[DecisionRecord]

    @classmethod
    def of_stored_lights(
        cls,
        period: str,
        comparison: Comparison,
        lights: pd.DataFrame,
        decisions: list[DecisionRecord],
    ) -> Evaluation:
        """An evaluation over lights whose reasons were stored already (a sharded merge)."""
        evaluation = cls(period, comparison, lights.drop(columns=["reasons"]), decisions)
        # The shards' reasons come from the store: they must not be rebuilt (cached_property
        # reads this first).
        evaluation.__dict__["lights"] = lights
        return evaluation

    def restricted_to(self, organisations: set[str]) -> Evaluation:
        """The same checkpoint with only these organisations' lights and decisions."""
        keep = self.light_table["organisation"].astype(str).isin(organisations).to_numpy()
        part = Evaluation(
            self.period,
            self.comparison,
            self.light_table[keep].reset_index(drop=True),
            [d for d in self.decisions if d.organisation in organisations],
        )
        # What was built already is shared, not built again (the reasons are the costly part).
        if "lights" in self.__dict__:
            part.__dict__["lights"] = self.lights[keep].reset_index(drop=True)
        for name in ("contributions", "soll_ist"):
            if name in self.__dict__:
                part.__dict__[name] = self.__dict__[name]
        return part

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """Each targeted indicator of the period with its deviation and own light (for reasons)."""
        table = self.comparison.table([self.period])
        return contributions(table, self.period, self.comparison.definition.traffic_lights)

    @cached_property
    def lights(self) -> pd.DataFrame:
        """The lights with a reasons dict each, built once when a view or the store asks."""
        # Reasons are many small dicts (about 700 bytes a value at 10,000 organisations):
        # the evaluation and the abort criteria need none of them.
        with gc_paused():
            reasons = _reasons(self.contributions, self.light_table)
        # The contributions serve the reasons only: rebuilt if asked for again (40 MB at 10,000).
        self.__dict__.pop("contributions", None)
        return self.light_table.assign(reasons=reasons)

    @cached_property
    def by_organisation(self) -> dict[str, dict[str, tuple[str, dict[str, Any]]]]:
        """Organisation -> dimension -> (light, reasons), grouped once."""
        grouped: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        rows = zip(
            _texts(self.lights["organisation"]),
            _texts(self.lights["dimension"]),
            _texts(self.lights["light"]),
            self.lights["reasons"],
            strict=True,
        )
        for org, dim, light, reasons in rows:
            grouped.setdefault(org, {})[dim] = (light, reasons)
        return grouped

    @cached_property
    def decision_by_organisation(self) -> dict[str, str]:
        """Organisation (or the programme) -> its decision from the abort criteria."""
        return {d.organisation: str(d.decision) for d in self.decisions}

    def calls_for_decision(self, organisation: str) -> bool:
        """True when the abort criteria escalate or ask for an abort review."""
        return self.decision_by_organisation.get(organisation) in ("escalate", "abort_review")

    def needs_attention(self, organisation: str) -> bool:
        """True when a light is yellow or red, or the abort criteria did not say continue."""
        lights = self.by_organisation.get(organisation, {})
        if any(alarming(light) for light, _ in lights.values()):
            return True
        return self.decision_by_organisation.get(organisation, "continue") != "continue"

    @cached_property
    def soll_ist(self) -> pd.DataFrame:
        """The Soll/Ist table of all periods up to the checkpoint's, with the reports' columns."""
        periods = self.comparison.cube.periods
        return self.comparison.table(periods[: periods.index(self.period) + 1], REPORT_COLUMNS)


def _json_numbers(values: np.ndarray) -> np.ndarray:
    """Floats as JSON-safe objects: NaN -> None, infinity -> 'inf'."""
    out = values.astype(object)
    out[np.isnan(values)] = None
    out[np.isinf(values)] = "inf"
    return out


def _texts(column: pd.Series) -> list[str]:
    """A column as plain Python strings (NA -> '')."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = np.append(np.asarray(column.cat.categories, dtype=object).astype(str), "")
        return list(labels[column.cat.codes.to_numpy()].tolist())
    values = column.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = ""
    return [v if isinstance(v, str) else str(v) for v in values.tolist()]


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """A text column as integer codes plus the labels they index."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), _texts(pd.Series(column.cat.categories))
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes, _texts(pd.Series(uniques, dtype=object))


def _indicator_items(contrib: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(organisation, dimension) -> the indicators behind that light, in indicator order."""
    ordered = contrib.sort_values(["organisation", "dimension", "indicator"], kind="stable")
    actual = _json_numbers(ordered["actual"].to_numpy(dtype=float))
    deviation = _json_numbers(ordered["measure_value"].to_numpy(dtype=float))
    fields = zip(
        *(_texts(ordered[c]) for c in ("indicator", "title", "unit")),
        actual.tolist(),
        _texts(ordered["target_text"]),
        deviation.tolist(),
        *(_texts(ordered[c]) for c in ("indicator_light", "value_origin")),
        strict=True,
    )
    items = [
        {
            "indicator": i,
            "title": t,
            "unit": u,
            "actual": a,
            "target": tt,
            "deviation": d,
            "light": lt,
            "origin": o,
        }
        for i, t, u, a, tt, d, lt, o in fields
    ]
    if not items:
        return {}
    # Rows are sorted by (organisation, dimension): slice runs instead of keying every row.
    org_codes, org_labels = _codes(ordered["organisation"])
    dim_codes, dim_labels = _codes(ordered["dimension"])
    changes = np.flatnonzero((np.diff(org_codes) != 0) | (np.diff(dim_codes) != 0)) + 1
    starts = np.concatenate(([0], changes))
    keys = zip(org_codes[starts].tolist(), dim_codes[starts].tolist(), strict=True)
    bounds = zip(starts.tolist(), [*starts[1:].tolist(), len(items)], strict=True)
    return {
        (org_labels[o], dim_labels[d]): items[s:e]
        for (o, d), (s, e) in zip(keys, bounds, strict=True)
    }


def _reasons(contrib: pd.DataFrame, lights: pd.DataFrame) -> list[dict[str, Any]]:
    by_key = _indicator_items(contrib)
    aggregate = _json_numbers(lights["aggregate"].to_numpy(dtype=float))
    # The rule is the same for every light of a dimension: build it once per dimension.
    rules = {
        dim: {
            "dimension": dim,
            "measure": measure,
            "aggregation": aggregation,
            "green_within": float(green),
            "yellow_within": float(yellow),
            "recovery_within": None if pd.isna(recovery) else float(recovery),
            "red_after": int(red_after),
            "recover_after": int(recover_after),
        }
        for dim, measure, aggregation, green, yellow, recovery, red_after, recover_after in (
            lights[
                [
                    "dimension",
                    "measure",
                    "aggregation",
                    "green_within",
                    "yellow_within",
                    "recovery_within",
                    "red_after",
                    "recover_after",
                ]
            ]
            .drop_duplicates("dimension")
            .itertuples(index=False)
        )
    }
    columns = zip(
        _texts(lights["organisation"]),
        _texts(lights["dimension"]),
        aggregate.tolist(),
        _texts(lights["raw_light"]),
        _texts(lights["hysteresis"]),
        lights["missing"].tolist(),
        _texts(lights["basis_light"]),
        strict=True,
    )
    return [
        {
            "rule": rules[dim],
            "aggregate": agg,
            "raw_light": raw,
            "hysteresis": note or None,
            "missing": int(missing),
            "indicators": by_key.get((org, dim), []),
            "basis_light": basis or None,
        }
        for org, dim, agg, raw, note, missing, basis in columns
    ]


def evaluate(
    definition: ProgrammeDefinition,
    measurements: pd.DataFrame,
    *,
    period: str,
    previous: pd.DataFrame,
    organisations: Sequence[str],
) -> Evaluation:
    """Evaluate the checkpoint for `period` given the lights' previous state."""
    comparison = compare(definition, measurements, organisations=organisations)
    lights = dimension_lights(comparison, period, definition.traffic_lights, previous)
    decisions = decide(
        definition, lights, active_organisations=len(organisations), organisations=organisations
    )
    return Evaluation(period, comparison, lights, decisions)
