"""The swing guard: many lights worse at once because data went missing is no verdict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from steering.domain.evaluation.light_scale import alarming, light_change

DEFAULT_SHARE = 0.3
DEFAULT_MINIMUM = 10


@dataclass(frozen=True)
class SwingGuard:
    """Hold light notices back when more than `share` of the lights compared with the
    previous checkpoint got worse for missing data, and at least `minimum` of them."""

    share: float = DEFAULT_SHARE
    minimum: int = DEFAULT_MINIMUM


@dataclass(frozen=True)
class Swing:
    """Lights that got worse for missing data, out of those compared, and the verdict."""

    missing_worse: frozenset[tuple[str, str]]
    compared: int
    tripped: bool
    # First lights (nothing to compare with) that are not fine for missing data either.
    missing_first: frozenset[tuple[str, str]] = frozenset()

    @property
    def held(self) -> frozenset[tuple[str, str]]:
        """The lights whose 'worse' notices are held back (none unless tripped)."""
        return self.missing_worse | self.missing_first if self.tripped else frozenset()


def lacks_data(reasons: Mapping[str, Any] | None) -> bool:
    """True when a light's reasons show an indicator without a value for the period."""
    if not reasons:
        return False
    if int(reasons.get("missing") or 0) > 0:
        return True
    return any(item.get("actual") is None for item in reasons.get("indicators") or ())


def assess_swing(
    previous: Mapping[tuple[str, str], str],
    lights: Iterable[tuple[str, str, str, Mapping[str, Any] | None]],
    guard: SwingGuard,
) -> Swing:
    """Judge (organisation, dimension, light, reasons) against the previous lights."""
    compared = 0
    worse: set[tuple[str, str]] = set()
    first: set[tuple[str, str]] = set()
    for org, dim, light, reasons in lights:
        before = previous.get((org, dim))
        if before is None:  # a first light compares with nothing
            if alarming(light) and lacks_data(reasons):
                first.add((org, dim))
            continue
        compared += 1
        if light_change(before, light) == "worse" and lacks_data(reasons):
            worse.add((org, dim))
    tripped = len(worse) >= max(guard.minimum, 1) and len(worse) > guard.share * compared
    return Swing(frozenset(worse), compared, tripped, frozenset(first))
