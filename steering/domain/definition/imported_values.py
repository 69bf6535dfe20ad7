"""The rules an imported value keeps: its indicator's scope, scale and kind, the periods.

Adapters parse what a file says; these rules decide whether the parsed value may be stored.
A broken rule is a `Breach`: a message key and the facts the message names, worded by the
adapter that reports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from steering.domain.definition.indicators import Indicator
from steering.domain.vocabulary import IndicatorKind, Scope


@dataclass(frozen=True)
class Breach:
    """A rule an imported value breaks: a message key and what the message names."""

    code: str
    facts: Mapping[str, str | float] = field(default_factory=dict)


def importable_breach(indicator: Indicator) -> Breach | None:
    """A computed indicator is calculated from others, never imported."""
    if indicator.formula is not None:
        return Breach("indicator_computed", {"indicator": indicator.key})
    return None


def scope_breach(indicator: Indicator, organisation: str) -> Breach | None:
    """A programme value names no organisation; an organisation value names one it measures."""
    if indicator.scope is Scope.PROGRAMME and organisation:
        return Breach("organisation_for_programme", {"indicator": indicator.key})
    if indicator.scope is Scope.ORGANISATION and not organisation:
        return Breach("organisation_missing", {"indicator": indicator.key})
    allowed = indicator.organisations
    if organisation and allowed is not None and organisation not in allowed:
        return Breach(
            "organisation_not_measured", {"indicator": indicator.key, "organisation": organisation}
        )
    return None


def value_breach(indicator: Indicator, value: float) -> Breach | None:
    """A value lies on its indicator's scale, and a count is never negative."""
    scale = indicator.value_range()
    if scale is not None and not scale[0] <= value <= scale[1]:
        return Breach("out_of_range", {"value": value, "low": scale[0], "high": scale[1]})
    if indicator.kind is IndicatorKind.COUNT and value < 0:
        return Breach("negative_count", {"value": value})
    return None


def suspect_values(
    keys: pd.Series, values: pd.Series, by_key: Mapping[str, Indicator]
) -> pd.Series:
    """Which values may break `value_breach` (vectorised; only these are checked one by one)."""
    low = keys.map({k: i.scale[0] for k, i in by_key.items() if i.scale is not None})
    high = keys.map({k: i.scale[1] for k, i in by_key.items() if i.scale is not None})
    # eq(True): unknown keys map to NaN, which is simply "not a count".
    count = keys.map({k: i.kind is IndicatorKind.COUNT for k, i in by_key.items()}).eq(True)
    return (values < low) | (values > high) | (count & (values < 0))


def period_breach(period: str, periods: Sequence[str]) -> Breach | None:
    """A value belongs to one of the programme's periods."""
    if period not in periods:
        return Breach(
            "period_outside", {"period": period, "first": periods[0], "last": periods[-1]}
        )
    return None
