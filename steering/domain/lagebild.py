"""Rules of the Lagebild: how severe an organisation's state is and what its signal says."""

from __future__ import annotations

from collections.abc import Mapping

from steering.domain.evaluation.light_scale import SEVERITY as LIGHT_SCALE
from steering.domain.evaluation.light_scale import worst_first
from steering.domain.vocabulary import Dimension

# The abort criteria's decisions, most severe first: the lead looks at these in this order.
SEVERITY = ("abort_review", "escalate", "watch", "continue")
# Lights, worst first, from the one light scale (no data is worse than green).
LIGHT_SEVERITY = tuple(sorted(LIGHT_SCALE, key=worst_first))
DIMENSION_ORDER = tuple(d.value for d in Dimension)


def severity_rank(decision: str) -> int:
    """0 for an abort review, 1 escalate, 2 watch, 3 continue (unknown words last)."""
    return SEVERITY.index(decision) if decision in SEVERITY else len(SEVERITY)


def light_rank(light: str | None) -> int:
    """0 for red, 1 yellow, 2 no data, 3 green, 4 no light at all."""
    return LIGHT_SEVERITY.index(light) if light in LIGHT_SEVERITY else len(LIGHT_SEVERITY)


def worst_dimensions(lights: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """The worst light and the dimensions showing it, in dimension order; green counts too."""
    if not lights:
        return None, []
    worst = min(lights.values(), key=light_rank)
    dims = [d for d in DIMENSION_ORDER if lights.get(d) == worst]
    return worst, dims + sorted(
        d for d, light in lights.items() if light == worst and d not in dims
    )


def severity_key(decision: str, lights: Mapping[str, str], name: str) -> tuple[int, int, int, str]:
    """Sort key: the decision's severity, then more red, then more yellow lights, then name."""
    values = list(lights.values())
    return (severity_rank(decision), -values.count("red"), -values.count("yellow"), name.casefold())


def needs_the_lead(decision: str, lights: Mapping[str, str]) -> bool:
    """The abort criteria said more than continue, or a light is red."""
    return severity_rank(decision) < severity_rank("continue") or "red" in lights.values()


def escalated(before: str | None, after: str) -> bool:
    """True when the abort criteria's decision became more severe (e.g. watch → abort review)."""
    return before is not None and severity_rank(after) < severity_rank(before)
