"""Indicators (Erfolgsindikatoren) and their targets per half-year."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from steering.domain.definition.common import PeriodId, Slug, StrictModel
from steering.domain.vocabulary import Dimension, Direction, IndicatorKind, NoDataPolicy, Scope


class Target(StrictModel):
    """Planned value (Soll) for one or more periods.

    Forms: `exact`, `minimum` and/or `maximum`, `range: [lo, hi]`, `approx` with a relative
    `tolerance` ("ca. 50"), and with `base` the bounds are shares of a base population.
    """

    periods: list[PeriodId] = Field(min_length=1)
    exact: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    approx: float | None = None
    tolerance: float = Field(default=0.1, ge=0, le=1)
    base: float | None = Field(default=None, gt=0)
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "period" in data:
            if "periods" in data:
                raise ValueError("give either 'period' or 'periods', not both")
            data["periods"] = [data.pop("period")]
        if "range" in data:
            bounds = data.pop("range")
            if not isinstance(bounds, list | tuple) or len(bounds) != 2:
                raise ValueError("'range' must be a list of two numbers [min, max]")
            if "minimum" in data or "maximum" in data:
                raise ValueError("give either 'range' or 'minimum'/'maximum', not both")
            data["minimum"], data["maximum"] = bounds
        return data

    @model_validator(mode="after")
    def _one_consistent_form(self) -> Target:
        forms = [
            self.exact is not None,
            self.approx is not None,
            self.minimum is not None or self.maximum is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("a target needs exactly one of: exact, approx, minimum/maximum/range")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum:g} is greater than maximum {self.maximum:g}")
        if self.base is not None:
            for bound in (self.minimum, self.maximum, self.exact, self.approx):
                if bound is not None and not 0 <= bound <= 1:
                    raise ValueError(
                        "with 'base' the bounds are shares between 0 and 1 (30 % = 0.3)"
                    )
        return self

    def bounds(self) -> tuple[float | None, float | None]:
        """Lower and upper bound of the planned value (as shares when `base` is set)."""
        if self.exact is not None:
            return self.exact, self.exact
        if self.approx is not None:
            return self.approx * (1 - self.tolerance), self.approx * (1 + self.tolerance)
        return self.minimum, self.maximum


class Indicator(StrictModel):
    """A measured or computed success indicator."""

    key: Slug
    title: str
    unit: str = ""
    scope: Scope = Scope.ORGANISATION
    dimension: Dimension
    kind: IndicatorKind = IndicatorKind.COUNT
    direction: Direction = Direction.HIGHER
    source: Slug | None = None
    formula: str | None = None
    scale: tuple[float, float] | None = None
    targets: list[Target] = Field(default_factory=list)
    no_data: NoDataPolicy = NoDataPolicy.NO_DATA
    organisations: list[Slug] | None = None
    description: str | None = None

    @field_validator("scale")
    @classmethod
    def _ordered_scale(cls, scale: tuple[float, float] | None) -> tuple[float, float] | None:
        if scale is not None and scale[0] >= scale[1]:
            raise ValueError("scale must be [lowest, highest] with lowest < highest")
        return scale

    @model_validator(mode="after")
    def _source_or_formula(self) -> Indicator:
        if self.formula is not None and self.source is not None:
            raise ValueError("an indicator has either a 'source' or a 'formula', not both")
        if self.kind is IndicatorKind.SCORE and self.scale is None:
            raise ValueError("a score indicator needs a 'scale', e.g. [-2, 2]")
        return self

    def value_range(self) -> tuple[float, float] | None:
        """Allowed values (the scale, e.g. -2..+2 for feedback), or None if open."""
        return self.scale
