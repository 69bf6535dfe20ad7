"""The stored lights and reasons of the synthetic programme, as plain rows to compare."""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
from dataclasses import asdict
from types import ModuleType
from typing import Any

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from tests.paths import ROOT

# Produced by the evaluation before reasons were built columnar (commit 7cd734c):
#   python -m tests.evaluation_reference
SNAPSHOT = ROOT / "tests" / "data" / "evaluation_reference.json.gz"
ORGANISATIONS, INDICATORS, PERIODS = 200, 20, 6


def _synthetic() -> ModuleType:
    path = ROOT / "bench" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("bench_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_programme(
    organisations: int = ORGANISATIONS,
) -> tuple[ProgrammeDefinition, pd.DataFrame]:
    """The benchmarks' synthetic programme and its values."""
    synthetic = _synthetic()
    definition = synthetic.synthetic_definition(organisations, INDICATORS, PERIODS)
    return definition, synthetic.synthetic_measurements(definition)


def _plain(value: Any) -> Any:
    """A stored value as JSON would keep it (numpy scalars to Python, NaN to None)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def stored_rows() -> list[dict[str, Any]]:
    """Every period's lights with reasons, each checkpoint carrying the previous one's state."""
    from steering.domain.evaluation.evaluate import evaluate
    from steering.domain.evaluation.lights import STATE_COLUMNS, empty_state

    definition, measurements = synthetic_programme()
    orgs = [o.id for o in definition.organisations]
    previous = empty_state()
    rows: list[dict[str, Any]] = []
    for period in definition.period_ids():
        result = evaluate(
            definition, measurements, period=period, previous=previous, organisations=orgs
        )
        lights = result.lights
        for org, dim, light, reasons in zip(
            lights["organisation"],
            lights["dimension"],
            lights["light"],
            lights["reasons"],
            strict=True,
        ):
            rows.append(
                {
                    "period": period,
                    "organisation": str(org),
                    "dimension": str(dim),
                    "light": str(light),
                    "reasons": _plain(reasons),
                }
            )
        rows.extend({"period": period, "decision": _plain(asdict(d))} for d in result.decisions)
        previous = lights[STATE_COLUMNS]
    return rows


if __name__ == "__main__":
    with gzip.open(SNAPSHOT, "wt", encoding="utf-8") as out:
        json.dump(stored_rows(), out, ensure_ascii=False, sort_keys=True)
