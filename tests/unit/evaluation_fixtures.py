"""Small programme definitions and measurement frames for the evaluation tests, built in code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.frames import PROGRAMME, empty_measurements
from steering.domain.evaluation.lights import empty_state

PERIODS = ["2019-H1", "2019-H2", "2020-H1", "2020-H2"]
ORGS = ["awo-nord", "caritas-sued", "diakonie-ost"]

__all__ = [
    "ORGS",
    "PERIODS",
    "PROGRAMME",
    "empty_state",
    "indicator",
    "measurements",
    "programme",
    "rule",
]


def indicator(
    key: str,
    *targets: dict[str, Any],
    dimension: str = "quality",
    title: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One indicator as the YAML would write it; a target without period applies to all."""
    return {
        "key": key,
        "title": title or key.replace("-", " ").capitalize(),
        "dimension": dimension,
        "targets": [t if {"period", "periods"} & set(t) else {"periods": PERIODS, **t} for t in targets],
        **extra,
    }


def rule(dimension: str = "quality", **extra: Any) -> dict[str, Any]:
    """A traffic-light rule; relative, green within 0 and yellow within 0.2 unless told."""
    return {"dimension": dimension, "green_within": 0.0, "yellow_within": 0.2, **extra}


def programme(
    indicators: Sequence[dict[str, Any]] = (),
    *,
    traffic_lights: Sequence[dict[str, Any]] = (),
    abort_criteria: Sequence[dict[str, Any]] = (),
    risks: Sequence[dict[str, Any]] = (),
    periods: Sequence[str] = PERIODS,
    organisations: Sequence[str] = ORGS,
) -> ProgrammeDefinition:
    """A valid programme definition with the given indicators, rules and criteria."""
    return ProgrammeDefinition.model_validate(
        {
            "programme": {
                "id": "digital-und-sozial",
                "title": "digit@l und sozi@l",
                "lead": "leitung",
                "periods": list(periods),
            },
            "people": [
                {
                    "id": "leitung",
                    "name": "Projektleitung",
                    "role": "project_lead",
                    "email": "leitung@example.org",
                },
                {"id": "gf", "name": "Geschäftsführung", "email": "gf@example.org"},
            ],
            "organisations": [
                {
                    "id": org,
                    "name": org.replace("-", " ").title(),
                    "state": "NW",
                    "experiment_fields": ["verwaltung_4_0"],
                    "owners": ["gf"],
                }
                for org in organisations
            ],
            "sources": [{"key": "manuell", "kind": "manual"}],
            "indicators": list(indicators),
            "traffic_lights": list(traffic_lights),
            "abort_criteria": list(abort_criteria),
            "risks": list(risks),
        }
    )


def measurements(rows: Iterable[tuple[str, str, str, float]]) -> pd.DataFrame:
    """A measurements frame from (indicator, organisation, period, value) tuples."""
    rows = list(rows)
    if not rows:
        return empty_measurements()
    frame = pd.DataFrame(rows, columns=["indicator", "organisation", "period", "value"])
    return frame.astype(
        {"indicator": "string", "organisation": "string", "period": "string", "value": "float64"}
    )
