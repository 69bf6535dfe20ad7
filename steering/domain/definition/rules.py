"""Traffic-light rules, abort criteria and the risk catalogue."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from steering.domain.definition.common import Slug, StrictModel
from steering.domain.vocabulary import Decision, Dimension


class LightRule(StrictModel):
    """How one dimension's light is derived from the deviations of its indicators.

    A deviation is how far the actual value lies outside its target on the bad side
    (relative to the bound, or absolute). Within `green_within` green, within
    `yellow_within` yellow, beyond red.
    """

    dimension: Dimension
    measure: Literal["relative", "absolute"] = "relative"
    green_within: float = Field(default=0.0, ge=0)
    yellow_within: float = Field(ge=0)
    # Value hysteresis: once yellow or red, back to green only within this deviation.
    recovery_within: float | None = Field(default=None, ge=0)
    # Time hysteresis: red only after N breaching checkpoints in a row; back after M good ones.
    red_after: int = Field(default=1, ge=1, le=12)
    recover_after: int = Field(default=1, ge=1, le=12)
    aggregation: Literal["worst", "weighted"] = "worst"
    weights: dict[Slug, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered_thresholds(self) -> LightRule:
        if self.yellow_within < self.green_within:
            raise ValueError(
                f"yellow bound {self.yellow_within:g} lies inside the green bound "
                f"{self.green_within:g}; the yellow bound must be the wider one"
            )
        if self.recovery_within is not None and self.recovery_within > self.green_within:
            raise ValueError(
                f"recovery bound {self.recovery_within:g} is wider than the green bound "
                f"{self.green_within:g}; recovery must be at least as strict as green"
            )
        if self.aggregation == "weighted" and not self.weights:
            raise ValueError("weighted aggregation needs weights per indicator")
        if any(w <= 0 for w in self.weights.values()):
            raise ValueError("weights must be positive")
        return self


class ConsecutiveRed(StrictModel):
    """The same dimension red at N consecutive checkpoints."""

    kind: Literal["consecutive_red"]
    checkpoints: int = Field(default=2, ge=2, le=12)
    dimensions: list[Dimension] = Field(default_factory=lambda: list(Dimension))


class RedDimensions(StrictModel):
    """At least N dimensions red at the same checkpoint."""

    kind: Literal["red_dimensions"]
    at_least: int = Field(default=2, ge=1, le=4)


class ActiveOrganisationsBelow(StrictModel):
    """Programme level: fewer than N organisations still active."""

    kind: Literal["active_organisations_below"]
    threshold: int = Field(ge=1)


Condition = Annotated[
    ConsecutiveRed | RedDimensions | ActiveOrganisationsBelow, Field(discriminator="kind")
]


class AbortCriterion(StrictModel):
    """A rule over the light history that leads to a decision record."""

    id: Slug
    title: str
    when: Condition
    decision: Decision = Decision.ESCALATE
    risks: list[Slug] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_continue(self) -> AbortCriterion:
        if self.decision is Decision.CONTINUE:
            raise ValueError("an abort criterion must lead to watch, escalate or abort_review")
        return self


class Risk(StrictModel):
    """A named risk with its countermeasure (Gegenmaßnahme)."""

    id: Slug
    title: str
    mitigation: str
    dimensions: list[Dimension] = Field(default_factory=list)
