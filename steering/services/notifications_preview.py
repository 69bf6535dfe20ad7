"""Use case: decide what a checkpoint has to tell people (light changes, decisions)."""

from __future__ import annotations

from steering.domain.definition import ProgrammeDefinition
from steering.services.checkpoints import CheckpointOutcome

_RANK = {"green": 0, "no_data": 1, "yellow": 2, "red": 3}


def light_changes(
    definition: ProgrammeDefinition, outcome: CheckpointOutcome
) -> list[dict[str, str]]:
    """Lights that got worse or recovered since the previous checkpoint, and decisions to act on."""
    events = []
    lights = outcome.evaluation.lights
    for org, dim, light in zip(
        lights["organisation"].astype(str),
        lights["dimension"].astype(str),
        lights["light"].astype(str),
        strict=True,
    ):
        before = outcome.previous_lights.get((org, dim))
        if before is None or before == light:
            continue
        kind = "worse" if _RANK[light] > _RANK[before] else "recovered"
        events.append(
            {"kind": kind, "organisation": org, "dimension": dim, "before": before, "after": light}
        )
    for decision in outcome.evaluation.decisions:
        if str(decision.decision) in ("escalate", "abort_review"):
            events.append(
                {
                    "kind": "abort_decision",
                    "organisation": decision.organisation,
                    "decision": str(decision.decision),
                    "rules": ", ".join(decision.matched),
                }
            )
    return events
