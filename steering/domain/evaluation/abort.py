"""Abort criteria (Abbruchkriterien) over the light history, leading to decision records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.rules import (
    AbortCriterion,
    ActiveOrganisationsBelow,
    ConsecutiveRed,
    RedDimensions,
)
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.vocabulary import Decision, Light

_SEVERITY = [Decision.CONTINUE, Decision.WATCH, Decision.ESCALATE, Decision.ABORT_REVIEW]


@dataclass(frozen=True)
class DecisionRecord:
    """What the abort criteria say for one organisation (or the programme) at a checkpoint."""

    organisation: str
    decision: Decision
    matched: tuple[str, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    mitigations: tuple[dict[str, str], ...] = ()


def _dimensions_by_organisation(rows: pd.DataFrame) -> dict[str, list[str]]:
    """Organisation -> its rows' dimensions, sorted (one pass, no per-group frames)."""
    grouped: dict[str, list[str]] = {}
    orgs = rows["organisation"].astype(str).tolist()
    for org, dim in zip(orgs, rows["dimension"].astype(str).tolist(), strict=True):
        grouped.setdefault(org, []).append(dim)
    return {org: sorted(dims) for org, dims in grouped.items()}


def _matches(
    criterion: AbortCriterion, lights: pd.DataFrame, active_organisations: int
) -> Mapping[str, list[str] | int]:
    """Organisation -> evidence for every organisation the criterion matches."""
    cond = criterion.when
    red = lights[lights["light"] == Light.RED.value]
    if isinstance(cond, ConsecutiveRed):
        wanted = {str(d) for d in cond.dimensions}
        hit = red[(red["red_streak"] >= cond.checkpoints) & red["dimension"].isin(wanted)]
        return _dimensions_by_organisation(hit)
    if isinstance(cond, RedDimensions):
        by_org = _dimensions_by_organisation(red)
        return {org: dims for org, dims in by_org.items() if len(dims) >= cond.at_least}
    if isinstance(cond, ActiveOrganisationsBelow):
        return {PROGRAMME: active_organisations} if active_organisations < cond.threshold else {}
    raise TypeError(type(cond))  # pragma: no cover - the schema admits no other kind


def _mitigations(
    definition: ProgrammeDefinition, criteria: Sequence[AbortCriterion], red_dims: set[str]
) -> tuple[dict[str, str], ...]:
    named = {r for c in criteria for r in c.risks}
    chosen = [
        r
        for r in definition.risks
        if r.id in named or (not named and red_dims & {str(d) for d in r.dimensions})
    ]
    return tuple({"risk": r.id, "title": r.title, "mitigation": r.mitigation} for r in chosen)


def decide(
    definition: ProgrammeDefinition,
    lights: pd.DataFrame,
    *,
    active_organisations: int,
    organisations: Sequence[str] = (),
) -> list[DecisionRecord]:
    """One decision record per organisation (with lights or listed), plus the programme."""
    per_org: dict[str, list[tuple[AbortCriterion, Any]]] = {}
    for criterion in definition.abort_criteria:
        for org, evidence in _matches(criterion, lights, active_organisations).items():
            per_org.setdefault(org, []).append((criterion, evidence))
    red_by_org = _dimensions_by_organisation(lights[lights["light"] == Light.RED.value])
    records = []
    everyone = set(lights["organisation"].astype(str)) | {PROGRAMME} | set(per_org)
    for org in sorted(everyone | set(organisations)):
        hits = per_org.get(org, [])
        if not hits:
            records.append(DecisionRecord(org, Decision.CONTINUE))
            continue
        decision = max((c.decision for c, _ in hits), key=_SEVERITY.index)
        red_dims = set(red_by_org.get(org, []))
        records.append(
            DecisionRecord(
                organisation=org,
                decision=decision,
                matched=tuple(c.id for c, _ in hits),
                evidence={c.id: ev for c, ev in hits},
                mitigations=_mitigations(definition, [c for c, _ in hits], red_dims),
            )
        )
    return records
