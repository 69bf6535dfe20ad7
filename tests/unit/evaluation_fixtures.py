"""Small programme definitions and measurement frames for the evaluation tests, built in code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.evaluate import Evaluation, evaluate
from steering.domain.evaluation.frames import empty_measurements
from steering.domain.evaluation.lights import empty_state

# The half-years of "digit@l und sozi@l" (2018-H1 ... 2020-H2).
PERIODS = ["2018-H1", "2018-H2", "2019-H1", "2019-H2", "2020-H1", "2020-H2"]
ORGS = ["awo-nord", "caritas-sued", "diakonie-ost"]
ORG = ORGS[0]

Row = tuple[str, str | None, str, float | None]


def indicator(
    key: str,
    *targets: dict[str, Any],
    dimension: str = "quality",
    title: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One indicator as the YAML would write it; a target without a period applies to all."""
    return {
        "key": key,
        "title": title or key.replace("-", " ").capitalize(),
        "dimension": dimension,
        "targets": [
            t if {"period", "periods"} & set(t) else {"periods": PERIODS, **t} for t in targets
        ],
        **extra,
    }


def rule(dimension: str = "quality", **extra: Any) -> dict[str, Any]:
    """A traffic-light rule: relative, green within 0 and yellow within 0.2 unless told."""
    return {"dimension": dimension, "green_within": 0.0, "yellow_within": 0.2, **extra}


def programme(
    indicators: Sequence[dict[str, Any]] = (),
    *,
    traffic_lights: Sequence[dict[str, Any]] = (),
    abort_criteria: Sequence[dict[str, Any]] = (),
    risks: Sequence[dict[str, Any]] = (),
    organisations: Sequence[str] = ORGS,
) -> ProgrammeDefinition:
    """A valid programme definition with the given indicators, rules, criteria and risks."""
    return ProgrammeDefinition.model_validate(
        {
            "programme": {
                "id": "digital-und-sozial",
                "title": "digit@l und sozi@l",
                "lead": "leitung",
                "periods": PERIODS,
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


def measurements(rows: Iterable[Row]) -> pd.DataFrame:
    """A measurements frame from (indicator, organisation, period, value) tuples."""
    rows = list(rows)
    if not rows:
        return empty_measurements()
    return pd.DataFrame(rows, columns=["indicator", "organisation", "period", "value"])


def series(key: str, values: Sequence[float | None], organisation: str = ORG) -> list[Row]:
    """One value per period from the first period on; None leaves the period without a value."""
    if len(values) > len(PERIODS):
        raise ValueError(f"at most {len(PERIODS)} values, one per period")
    periods = PERIODS[: len(values)]
    return [
        (key, organisation, p, v) for p, v in zip(periods, values, strict=True) if v is not None
    ]


def checkpoints(
    definition: ProgrammeDefinition,
    rows: Iterable[Row],
    *,
    count: int,
    organisations: Sequence[str] = (ORG,),
) -> list[Evaluation]:
    """Evaluate the first `count` periods in order, each with the previous one's lights."""
    frame = measurements(rows)
    previous = empty_state()
    out = []
    for period in PERIODS[:count]:
        result = evaluate(
            definition, frame, period=period, previous=previous, organisations=organisations
        )
        out.append(result)
        previous = result.lights
    return out


def cell(frame: pd.DataFrame, column: str, **where: str) -> Any:
    """The single value of `column` in the row matching all `where` columns."""
    mask = pd.Series(True, index=frame.index)
    for key, value in where.items():
        mask &= frame[key] == value
    matches = frame.loc[mask, column]
    assert len(matches) == 1, f"expected one row for {where}, found {len(matches)}"
    return matches.iloc[0]
