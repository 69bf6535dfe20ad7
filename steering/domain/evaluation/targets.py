"""The planned values (Soll) of a definition as one flat frame."""

from __future__ import annotations

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.vocabulary import Direction

TARGET_COLUMNS = [
    "indicator",
    "period",
    "lower",
    "upper",
    "base",
    "lower_binds",
    "upper_binds",
    "target_text",
]


def _describe(lower: float | None, upper: float | None, base: float | None) -> str:
    def fmt(x: float) -> str:
        text = f"{x * 100:g} %" if base else f"{x:g}"
        return text.replace(".", ",")

    share = f" von {base:g}" if base else ""
    if lower is not None and upper is not None:
        return f"= {fmt(lower)}{share}" if lower == upper else f"{fmt(lower)}–{fmt(upper)}{share}"
    if lower is not None:
        return f"≥ {fmt(lower)}{share}"
    if upper is not None:
        return f"≤ {fmt(upper)}{share}"
    return ""


def targets_frame(definition: ProgrammeDefinition) -> pd.DataFrame:
    """One row per indicator and period with its bounds and which bounds bind."""
    rows = []
    for indicator in definition.indicators:
        for target in indicator.targets:
            lower, upper = target.bounds()
            if lower is not None and upper is not None and lower > upper:
                # "ca. -1" with 50 % tolerance spans -1.5 to -0.5, not -0.5 to -1.5.
                lower, upper = upper, lower
            # A range's far side is over-fulfilment, not a miss, unless direction is 'range'.
            lower_binds = lower is not None and not (
                indicator.direction is Direction.LOWER and upper is not None
            )
            upper_binds = upper is not None and not (
                indicator.direction is Direction.HIGHER and lower is not None
            )
            for period in target.periods:
                rows.append(
                    (
                        indicator.key,
                        period,
                        lower,
                        upper,
                        target.base,
                        lower_binds,
                        upper_binds,
                        _describe(lower, upper, target.base),
                    )
                )
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    for column in ("lower", "upper", "base"):
        frame[column] = frame[column].astype("float64")
    return frame.astype({"indicator": "string", "period": "string", "target_text": "string"})
