"""A synthetic programme of N organisations x K indicators x P half-years, for benchmarks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from steering.domain.definition import ProgrammeDefinition

DIMENSIONS = ["quality", "cost", "staff", "time"]


def synthetic_definition(organisations: int, indicators: int, periods: int) -> ProgrammeDefinition:
    """A valid definition with every indicator targeted in every period."""
    period_ids = [f"{2018 + p // 2}-H{p % 2 + 1}" for p in range(periods)]
    data: dict[str, Any] = {
        "programme": {"id": "bench", "title": "Benchmark", "lead": "lead", "periods": period_ids},
        "people": [
            {"id": "lead", "name": "Lead", "role": "project_lead", "email": "l@example.org"}
        ],
        "organisations": [
            {
                "id": f"org-{i:05d}",
                "name": f"Organisation {i}",
                "state": "TH",
                "experiment_fields": ["verwaltung_4_0"],
                "owners": ["lead"],
            }
            for i in range(organisations)
        ],
        "indicators": [
            {
                "key": f"ind-{k:03d}",
                "title": f"Indikator {k}",
                "dimension": DIMENSIONS[k % 4],
                "direction": "lower" if k % 4 == 1 else "higher",
                "no_data": ["no_data", "keep_last", "breach"][k % 3],
                "targets": [
                    {"periods": period_ids, "maximum": 1.0}
                    if k % 4 == 1
                    else {"periods": period_ids, "range": [10, 15]}
                ],
            }
            for k in range(indicators)
        ],
        "traffic_lights": [
            {"dimension": "quality", "yellow_within": 0.15},
            {
                "dimension": "cost",
                "green_within": 0.1,
                "yellow_within": 0.2,
                "recovery_within": 0.05,
                "recover_after": 2,
            },
            {"dimension": "staff", "yellow_within": 0.25, "red_after": 2},
            {"dimension": "time", "yellow_within": 0.3},
        ],
        "abort_criteria": [
            {
                "id": "zweimal-rot",
                "title": "2x rot",
                "when": {"kind": "consecutive_red"},
                "decision": "abort_review",
            },
            {
                "id": "zwei-rot",
                "title": "2 Dimensionen rot",
                "when": {"kind": "red_dimensions", "at_least": 2},
            },
        ],
    }
    return ProgrammeDefinition.model_validate(data)


def synthetic_measurements(
    definition: ProgrammeDefinition, *, missing_share: float = 0.05, seed: int = 7
) -> pd.DataFrame:
    """Random values around the targets; a share of them missing."""
    rng = np.random.default_rng(seed)
    orgs = [o.id for o in definition.organisations]
    keys = [i.key for i in definition.indicators]
    periods = definition.period_ids()
    # Every indicator x organisation x period in that order, built from codes: a frame of
    # strings would take more memory than the evaluation that the benchmarks measure.
    k, o, p = (
        codes.ravel()
        for codes in np.meshgrid(
            np.arange(len(keys)), np.arange(len(orgs)), np.arange(len(periods)), indexing="ij"
        )
    )
    cost = np.array([i.dimension == "cost" for i in definition.indicators])[k]
    # Like a real programme: most values on target, a few organisations drifting off.
    values = np.where(cost, rng.normal(0.95, 0.03, len(k)), rng.normal(12.5, 0.8, len(k)))
    kept = rng.random(len(k)) >= missing_share
    # Categorical keys, as the store returns them.
    return pd.DataFrame(
        {
            "indicator": pd.Categorical.from_codes(k[kept], keys),
            "organisation": pd.Categorical.from_codes(o[kept], orgs),
            "period": pd.Categorical.from_codes(p[kept], periods),
            "value": values[kept],
        }
    )


def growth(results: list[dict[str, Any]], seconds: str, peak_rss: str) -> dict[str, Any]:
    """Seconds per value at each size, and how seconds and peak memory per value grow from
    the first size to the last (1 = linear, below 1 = better)."""

    def per_value(key: str, r: dict[str, Any]) -> float:
        return float(r[key]) / float(r["values"])

    first, last = results[0], results[-1]
    return {
        "seconds_per_value": [f"{per_value(seconds, r):.3g}" for r in results],
        "growth_seconds_per_value_ratio_last_vs_first": round(
            per_value(seconds, last) / per_value(seconds, first), 2
        ),
        "growth_peak_rss_per_value_ratio_last_vs_first": round(
            per_value(peak_rss, last) / per_value(peak_rss, first), 2
        ),
    }
